#ifndef CICUCHARSET_H
#define CICUCHARSET_H
/* Charset detection and strict conversion with ICU (ucsdet, ucnv), behind plain C types so
 * that Swift can import this header next to Foundation. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest charset name written by sd_charset_detect, including the terminating NUL. */
#define SD_CHARSET_NAME_CAP 32

/* Runs ICU's charset detector over `bytes`. When `strip_markup` is non-zero, ICU's input
 * filter ignores text between `<` and `>` (for HTML). For each candidate, best first (at most
 * `cap`), writes its NUL-terminated name into `names + i * SD_CHARSET_NAME_CAP` and its
 * confidence (0-100) into `confidences[i]`.
 * Returns the number of candidates written, or -1 on an ICU error. */
int32_t sd_charset_detect(const uint8_t *bytes, int32_t len, int32_t strip_markup,
                          char *names, int32_t *confidences, int32_t cap);

/* Status codes of the conversion functions (all negative). */
enum {
    SD_CHARSET_UNKNOWN = -1,   /* ICU has no converter of that name */
    SD_CHARSET_ILLEGAL = -2,   /* an illegal, truncated or unmapped sequence; see `error_offset` */
    SD_CHARSET_OVERFLOW = -3,  /* the output buffer is too small */
    SD_CHARSET_FAILURE = -4    /* any other ICU error */
};

/* Converts `src` (bytes in `charset`) to UTF-16 in `dst`, stopping at the first illegal,
 * truncated or unmapped sequence instead of substituting it. A byte order mark at the start is
 * kept as U+FEFF. Returns the number of UTF-16 units written, or a status code above; on
 * SD_CHARSET_ILLEGAL, `*error_offset` receives the byte offset of the offending sequence.
 * `canonical` (at least SD_CHARSET_NAME_CAP bytes, may be NULL) receives ICU's name for the
 * converter that was used. */
int32_t sd_charset_to_utf16(const char *charset, const uint8_t *src, int32_t len,
                            uint16_t *dst, int32_t cap, int32_t *error_offset,
                            char *canonical);

/* Converts UTF-16 `src` to bytes in `charset`, failing (SD_CHARSET_ILLEGAL, with the UTF-16
 * offset in `*error_offset`) on a character the charset cannot represent or an unpaired
 * surrogate. Returns the number of bytes written, or a status code. */
int32_t sd_charset_from_utf16(const char *charset, const uint16_t *src, int32_t len,
                              uint8_t *dst, int32_t cap, int32_t *error_offset);

#ifdef __cplusplus
}
#endif
#endif
