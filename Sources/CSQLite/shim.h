/* The system's SQLite (libsqlite3-dev), for the benchmark's FTS5 comparison. */
#include <sqlite3.h>
