/* glibc's malloc tuning (mallopt), which Swift's Glibc module leaves out; empty elsewhere. */
#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
#endif
