#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "CICUShim.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/utypes.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/uversion.h>
#include <unicode/utf16.h>
#include <pthread.h>
#include "TraditionalTable.h"

/* Traditional → simplified folding: a bitmap of the table's characters (built once) in front of
 * a binary search of the table. */
#define SD_FOLD_LOW 0x3400
#define SD_FOLD_HIGH 0x30000
static uint8_t sd_fold_bits[(SD_FOLD_HIGH - SD_FOLD_LOW) / 8];
static pthread_once_t sd_fold_once = PTHREAD_ONCE_INIT;
/* Set (with release order) once the bitmap is built: after that, no call to pthread_once per
 * character. */
static int sd_fold_ready;

static void sd_fold_init(void) {
    for (int32_t i = 0; i < sd_traditional_pair_count; i++) {
        uint32_t c = sd_traditional_pairs[i][0] - SD_FOLD_LOW;
        sd_fold_bits[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    __atomic_store_n(&sd_fold_ready, 1, __ATOMIC_RELEASE);
}

uint32_t sd_fold_traditional(uint32_t c) {
    if (c < SD_FOLD_LOW || c >= SD_FOLD_HIGH) return c;
    if (!__atomic_load_n(&sd_fold_ready, __ATOMIC_ACQUIRE)) pthread_once(&sd_fold_once, sd_fold_init);
    uint32_t k = c - SD_FOLD_LOW;
    if (!(sd_fold_bits[k >> 3] & (1u << (k & 7)))) return c;
    int32_t lo = 0, hi = sd_traditional_pair_count;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (sd_traditional_pairs[mid][0] < c) lo = mid + 1; else hi = mid;
    }
    return sd_traditional_pairs[lo][1];
}

static const UNormalizer2 *nfkc_cf(void) {
    /* ICU caches the instance; the call is cheap after the first. */
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&err);
    return U_SUCCESS(err) ? n : NULL;
}

/* Whether NFKC_Casefold has a boundary before code point c: ASCII always, the rest of the BMP as
 * the generated table says (CharClassTests compares it with ICU), other code points through ICU. */
static inline int sd_boundary_before(const UNormalizer2 *n, UChar32 c) {
    if (c < 0x80) return 1;
    if (c < 0x10000 && !U_IS_SURROGATE(c)) return (sd_bmp_char_class((uint32_t)c) & SD_CHAR_NFKC_BOUNDARY) != 0;
    return unorm2_hasBoundaryBefore(n, c);
}

int32_t sd_nfkc_cf(const uint16_t *src, int32_t src_len,
                   uint16_t *dst, int32_t dst_cap,
                   int32_t *map_start, int32_t *map_end) {
    const UNormalizer2 *n = nfkc_cf();
    if (!n) return -1;
    int32_t out = 0, i = 0;
    int32_t overflow_need = 0;
    UChar buf[256];
    while (i < src_len) {
        uint16_t u = src[i];
        /* Whether the unit at i + 1 starts a normalization segment of its own (the end, or a BMP
         * code point with a boundary before it): then the code point at i, if it is a single
         * unit, is a segment alone. */
        int next_alone = i + 1 == src_len || (!U16_IS_SURROGATE(src[i + 1]) && sd_boundary_before(n, src[i + 1]));
        if (next_alone && (u < 0x80 || (u >= 0xFF01 && u <= 0xFF5E))) {
            /* ASCII, or a full-width ASCII form (！ to ～), alone: its ASCII character, case-folded
             * (a combining mark after it goes to ICU with it). */
            if (out >= dst_cap) { overflow_need = out + (src_len - i) * 4; break; }
            uint16_t a = u < 0x80 ? u : (uint16_t)(u - 0xFEE0);
            dst[out] = (a >= 'A' && a <= 'Z') ? (uint16_t)(a + 32) : a;
            map_start[out] = i; map_end[out] = i + 1;
            out++; i++;
            continue;
        }
        /* A code point NFKC_Casefold leaves as it is (every unified Han character, most CJK
         * punctuation …), alone, is a segment that stays unchanged: only the traditional folding
         * applies, without asking ICU. The table's bits come from ICU (CharClassTests). */
        if (next_alone && !U16_IS_SURROGATE(u) && (sd_bmp_char_class(u) & SD_CHAR_NFKC_INERT)) {
            if (out + 2 > dst_cap) { overflow_need = out + (src_len - i) * 4; break; }
            int32_t at = out;
            U16_APPEND_UNSAFE(dst, out, (UChar32)sd_fold_traditional(u));
            for (int32_t k = at; k < out; k++) { map_start[k] = i; map_end[k] = i + 1; }
            i++;
            continue;
        }
        /* A normalization segment: from i up to the next code point with a boundary before it. */
        int32_t seg_start = i;
        UChar32 c;
        U16_NEXT(src, i, src_len, c);
        int32_t single_end = i;
        while (i < src_len) {
            int32_t j = i;
            UChar32 d;
            U16_NEXT(src, j, src_len, d);
            if (sd_boundary_before(n, d)) break;
            i = j;
        }
        int32_t seg_len = i - seg_start;
        if (seg_len == single_end - seg_start && unorm2_isInert(n, c)) {
            if (out + 2 > dst_cap) { overflow_need = out + (src_len - seg_start) * 4; break; }
            UChar32 f = (UChar32)sd_fold_traditional((uint32_t)c);
            int32_t at = out;
            U16_APPEND_UNSAFE(dst, out, f);
            for (int32_t k = at; k < out; k++) { map_start[k] = seg_start; map_end[k] = i; }
            continue;
        }
        UErrorCode err = U_ZERO_ERROR;
        UChar *tmp = buf;
        int32_t cap = (int32_t)(sizeof(buf) / sizeof(buf[0]));
        int32_t len = unorm2_normalize(n, (const UChar *)src + seg_start, seg_len, tmp, cap, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR) {
            tmp = (UChar *)malloc(sizeof(UChar) * (size_t)(len + 1));
            if (!tmp) return -1;
            err = U_ZERO_ERROR;
            len = unorm2_normalize(n, (const UChar *)src + seg_start, seg_len, tmp, len + 1, &err);
        }
        if (U_FAILURE(err)) { if (tmp != buf) free(tmp); return -1; }
        if (out + len > dst_cap) {
            if (tmp != buf) free(tmp);
            overflow_need = out + len + (src_len - i) * 4;
            break;
        }
        for (int32_t k = 0; k < len;) {
            UChar32 d;
            U16_NEXT(tmp, k, len, d);
            int32_t at = out;
            U16_APPEND_UNSAFE(dst, out, (UChar32)sd_fold_traditional((uint32_t)d));
            for (int32_t m = at; m < out; m++) { map_start[m] = seg_start; map_end[m] = i; }
        }
        if (tmp != buf) free(tmp);
    }
    if (overflow_need) return -overflow_need - 2;
    return out;
}

int32_t sd_nfkc_cf_whole(const uint16_t *src, int32_t src_len, uint16_t *dst, int32_t dst_cap) {
    const UNormalizer2 *n = nfkc_cf();
    if (!n) return -1;
    UErrorCode err = U_ZERO_ERROR;
    UChar *tmp = (UChar *)malloc(sizeof(UChar) * (size_t)(src_len * 4 + 16));
    if (!tmp) return -1;
    int32_t len = unorm2_normalize(n, (const UChar *)src, src_len, tmp, src_len * 4 + 16, &err);
    if (U_FAILURE(err)) { free(tmp); return -1; }
    int32_t out = 0;
    for (int32_t k = 0; k < len;) {
        UChar32 d;
        U16_NEXT(tmp, k, len, d);
        if (out + 2 > dst_cap) { free(tmp); return -1; }
        U16_APPEND_UNSAFE(dst, out, (UChar32)sd_fold_traditional((uint32_t)d));
    }
    free(tmp);
    return out;
}

struct sd_word_breaker { UBreakIterator *bi; };

sd_word_breaker *sd_word_breaker_open(void) {
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err) || !bi) return NULL;
    sd_word_breaker *wb = (sd_word_breaker *)malloc(sizeof(sd_word_breaker));
    if (!wb) { ubrk_close(bi); return NULL; }
    wb->bi = bi;
    return wb;
}

void sd_word_breaker_close(sd_word_breaker *wb) {
    if (!wb) return;
    ubrk_close(wb->bi);
    free(wb);
}

int32_t sd_word_breaker_segment(sd_word_breaker *wb, const uint16_t *text, int32_t len,
                                int32_t *starts, int32_t *ends, int32_t *status, int32_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(wb->bi, (const UChar *)text, len, &err);
    if (U_FAILURE(err)) return -1;
    int32_t n = 0;
    int32_t prev = ubrk_first(wb->bi);
    for (int32_t b = ubrk_next(wb->bi); b != UBRK_DONE; b = ubrk_next(wb->bi)) {
        if (n < cap) {
            starts[n] = prev; ends[n] = b; status[n] = ubrk_getRuleStatus(wb->bi);
        }
        n++;
        prev = b;
    }
    /* Detach the text: the caller's buffer may go away. */
    err = U_ZERO_ERROR;
    ubrk_setText(wb->bi, (const UChar *)u"", 0, &err);
    if (n > cap) return -n - 2;
    return n;
}

static int32_t sd_char_class_of_script(uint32_t c) {
    if (c < 0x80) {
        if (c <= 0x20 || c == 0x7f) return SD_CHAR_WHITESPACE;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return SD_CHAR_ALNUM;
        if (c == '!' || c == '?' || c == ';') return SD_CHAR_SENTENCE_END;
        return 0;
    }
    UChar32 u = (UChar32)c;
    if (u_isUWhiteSpace(u) || u_iscntrl(u) || u_hasBinaryProperty(u, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
        return SD_CHAR_WHITESPACE;
    int32_t cls = 0;
    if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == 0xFF61) cls |= SD_CHAR_SENTENCE_END;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(u, &err);
    if (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_HANGUL ||
        sc == USCRIPT_BOPOMOFO || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
        (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x31C0 && c <= 0x31EF) || (c >= 0x3200 && c <= 0x33FF) ||
        (c >= 0xFE30 && c <= 0xFE4F))
        return cls | SD_CHAR_CJK;
    if (u_isalnum(u)) return cls | SD_CHAR_ALNUM;
    return cls;
}

int32_t sd_char_class(uint32_t c) {
    int32_t cls = sd_char_class_of_script(c);
    const UNormalizer2 *n = nfkc_cf();
    if (n && c <= 0x10FFFF && !U_IS_SURROGATE(c)) {
        if (unorm2_hasBoundaryBefore(n, (UChar32)c)) cls |= SD_CHAR_NFKC_BOUNDARY;
        if (unorm2_isInert(n, (UChar32)c)) cls |= SD_CHAR_NFKC_INERT;
    }
    return cls;
}

void sd_icu_version(char *buf, int32_t cap) {
    UVersionInfo v;
    u_getVersion(v);
    char tmp[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(v, tmp);
    strncpy(buf, tmp, (size_t)cap);
    if (cap > 0) buf[cap - 1] = 0;
}

size_t sd_find_line_break_lead(const uint8_t *bytes, size_t from, size_t count) {
    size_t i = from;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8(0x0A), cr = _mm_set1_epi8(0x0D);
    const __m128i c2 = _mm_set1_epi8((char)0xC2), e2 = _mm_set1_epi8((char)0xE2);
    while (i + 16 <= count) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, e2)));
        int mask = _mm_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
        i += 16;
    }
#endif
    for (; i < count; i++) {
        uint8_t b = bytes[i];
        if (b == 0x0A || b == 0x0D || b == 0xC2 || b == 0xE2) return i;
    }
    return count;
}
