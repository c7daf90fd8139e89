#ifndef CICUSHIM_H
#define CICUSHIM_H
/* The searchdocs view of ICU: plain C types only, so that Swift can import this header
 * next to Foundation (whose private ICU copy clashes with the system ICU headers). */
#include <stddef.h>
#include <stdint.h>
/* Charset detection and conversion live in their own header, exported with this one. */
#include "CICUCharset.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Folds a traditional-only Han character to its simplified form (a static table generated from
 * ICU's transliterators by Scripts/generate-traditional-table.c); other characters are returned
 * unchanged. */
uint32_t sd_fold_traditional(uint32_t c);

/* Normalizes UTF-16 `src` with ICU's NFKC_Casefold into `dst`, then folds traditional-only
 * characters to simplified ones.
 * For every UTF-16 unit written to dst, `map_start`/`map_end` receive the range of source
 * units it came from (a whole normalization segment when ICU composes or expands).
 * Returns the number of units written, or -1 on an ICU error, or -(needed) - 2 when dst_cap
 * is too small. */
int32_t sd_nfkc_cf(const uint16_t *src, int32_t src_len,
                   uint16_t *dst, int32_t dst_cap,
                   int32_t *map_start, int32_t *map_end);

/* NFKC_Casefold of the whole text in one ICU call, then the traditional folding: what
 * sd_nfkc_cf must produce (without its map), for tests. Returns units written, or -1. */
int32_t sd_nfkc_cf_whole(const uint16_t *src, int32_t src_len, uint16_t *dst, int32_t dst_cap);

/* How ICU split short Han runs between punctuation, remembered so that their next occurrences
 * need no ICU: about 8 MB at most, allocated as used. Thread safe: one can serve the breakers of
 * several threads. */
typedef struct sd_run_memory sd_run_memory;
sd_run_memory *sd_run_memory_new(void);
void sd_run_memory_free(sd_run_memory *memory);

/* An ICU word break iterator for locale zh. Not thread safe: one per thread.
 * After `remember_after` UTF-16 units of text (0: from the start; negative: never), it
 * remembers how ICU split the short Han runs between punctuation, in `shared` or (NULL) a memory
 * of its own, and gives ICU only the rest of each text; the segments stay exactly ICU's. A
 * shared memory must outlive the breaker. */
typedef struct sd_word_breaker sd_word_breaker;
sd_word_breaker *sd_word_breaker_open(int64_t remember_after, sd_run_memory *shared);
/* How many Han runs the breaker took from memory instead of giving them to ICU. */
int64_t sd_word_breaker_recalled(const sd_word_breaker *wb);
void sd_word_breaker_close(sd_word_breaker *wb);

/* Segments `text` into words. For each segment i (at most cap), writes its start and end
 * (UTF-16 offsets) and ICU's rule status (0-99 none, 100-199 number, 200-299 letter,
 * 300-399 kana, 400-499 ideographic). Returns the number of segments, -1 on an ICU error,
 * or -(needed) - 2 when cap is too small. */
int32_t sd_word_breaker_segment(sd_word_breaker *wb, const uint16_t *text, int32_t len,
                                int32_t *starts, int32_t *ends, int32_t *status, int32_t cap);

/* Character classes, as bits. */
enum {
    SD_CHAR_WHITESPACE = 1,  /* white space or a control character */
    SD_CHAR_CJK = 2,         /* Han, kana, hangul, bopomofo, CJK punctuation and symbols */
    SD_CHAR_ALNUM = 4,       /* a letter or digit of a script written with spaces (Latin, digits ...) */
    SD_CHAR_SENTENCE_END = 8, /* 。！？； and !?; */
    SD_CHAR_NFKC_BOUNDARY = 16, /* NFKC_Casefold has a boundary before it (never set for surrogates) */
    SD_CHAR_NFKC_INERT = 32   /* NFKC_Casefold leaves it as it is, whatever is next to it (never set for surrogates) */
};
/* The class bits of code point c, through ICU. */
int32_t sd_char_class(uint32_t c);

/* The same bits for a Basic Multilingual Plane code point (c < 0x10000) from a static table
 * (CharClassTable.c, generated from sd_char_class by Scripts/generate-char-class-table.c):
 * nothing to build when a process starts. */
extern const uint8_t sd_bmp_class_index[256];
extern const uint8_t sd_bmp_class_blocks[][256];
static inline uint8_t sd_bmp_char_class(uint32_t c) {
    return sd_bmp_class_blocks[sd_bmp_class_index[(c >> 8) & 0xFF]][c & 0xFF];
}

/* Asks the processor to bring the cache line at p in (a hint: never faults). The indexing loop
 * uses it for hash-table slots and per-term state it is about to touch. */
static inline void sd_prefetch(const void *p) {
    __builtin_prefetch(p);
}

/* The first index in [from, count) of `bytes` holding 0x0A, 0x0D, 0xC2 or 0xE2 — a byte that may
 * begin a line break in UTF-8 (\n, \r, U+0085, U+2028, U+2029) — or count when there is none.
 * Sixteen bytes at a time where SSE2 is there: the metadata parser finds lines of whole texts. */
size_t sd_find_line_break_lead(const uint8_t *bytes, size_t from, size_t count);

/* ICU's version, for messages ("72.1"). */
void sd_icu_version(char *buf, int32_t cap);

#ifdef __cplusplus
}
#endif
#endif
