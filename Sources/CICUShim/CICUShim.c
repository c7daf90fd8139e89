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

/* Word breaking with a memory of Han runs.
 *
 * ICU's dictionary segmentation (most of the cost of indexing) splits each run of Han
 * characters on its own: a run bounded by characters that always break next to Han (ASCII,
 * common CJK and general punctuation) is split the same way wherever it occurs. Disclosures
 * repeat many such runs (第一条, 人民政府, 根据……规定), so the breaker remembers how ICU split the
 * runs of up to SD_RUN_MAX characters and hands ICU only the rest of the text: the pieces it has
 * to see are copied one after another, with a paragraph separator (always a boundary on both
 * sides) where a remembered run was left out. The segments are the same as ICU's over the whole
 * text; WordBreakerMemoryTests compare the two on the shared corpora and on random texts.
 *
 * The memory can be shared by the breakers of several threads (an index build's): documents are
 * handed out in turn, so a thread's neighbours in the corpus go to the others. A lock guards it
 * twice per text: while the text's runs are looked up (what is found is copied out) and while
 * the new ones are added; ICU runs outside it. */

#define SD_RUN_MAX 32
#define SD_SLOTS 262144u               /* hash slots, a power of two, at most half full */
#define SD_MAX_RUNS 131072u
#define SD_ARENA_UNITS (3072u * 1024u) /* 6 MB of remembered runs */
#define SD_SEPARATOR 0x2029

typedef struct { uint32_t hash; uint32_t offset; } sd_slot; /* offset + 1 into the arena; 0 = free */

struct sd_run_memory {
    pthread_mutex_t lock;
    sd_slot *slots;
    /* Entries: length, segment count, the run's units, segment ends (relative), statuses. */
    uint16_t *arena;
    uint32_t arena_used, runs;
    int full; /* cleared before the next text looks anything up */
};

sd_run_memory *sd_run_memory_new(void) {
    sd_run_memory *m = (sd_run_memory *)calloc(1, sizeof(sd_run_memory));
    if (!m) return NULL;
    /* Large blocks come zeroed and unmapped from the system: only the pages used cost memory. */
    m->slots = (sd_slot *)calloc(SD_SLOTS, sizeof(sd_slot));
    m->arena = (uint16_t *)malloc(SD_ARENA_UNITS * sizeof(uint16_t));
    if (!m->slots || !m->arena || pthread_mutex_init(&m->lock, NULL) != 0) {
        free(m->slots); free(m->arena); free(m);
        return NULL;
    }
    return m;
}

void sd_run_memory_free(sd_run_memory *m) {
    if (!m) return;
    pthread_mutex_destroy(&m->lock);
    free(m->slots);
    free(m->arena);
    free(m);
}

/* A piece of the text: a remembered run (entry ≥ 0: its segments at that offset of the
 * breaker's `recall` copy), or text ICU segments at m_start of the copy (entry −1; −2 for a run
 * to remember, whose segments start at output index `first`). */
typedef struct { int32_t start, end, m_start, entry, first; uint32_t hash; } sd_piece;

struct sd_word_breaker {
    UBreakIterator *bi;
    int64_t remember_after; /* units to segment before remembering; < 0 never */
    sd_run_memory *memory;  /* shared, or the breaker's own (made when it starts remembering) */
    int owns_memory;
    int64_t recalled;       /* runs not given to ICU */
    uint16_t *copy;         /* what ICU sees */
    uint16_t *recall;       /* segments of the remembered runs found, copied out of the memory */
    sd_piece *pieces;
    int32_t buffer_cap;
};

sd_word_breaker *sd_word_breaker_open(int64_t remember_after, sd_run_memory *shared) {
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err) || !bi) return NULL;
    sd_word_breaker *wb = (sd_word_breaker *)calloc(1, sizeof(sd_word_breaker));
    if (!wb) { ubrk_close(bi); return NULL; }
    wb->bi = bi;
    wb->remember_after = remember_after;
    wb->memory = shared;
    return wb;
}

void sd_word_breaker_close(sd_word_breaker *wb) {
    if (!wb) return;
    ubrk_close(wb->bi);
    if (wb->owns_memory) sd_run_memory_free(wb->memory);
    free(wb->copy);
    free(wb->recall);
    free(wb->pieces);
    free(wb);
}

int64_t sd_word_breaker_recalled(const sd_word_breaker *wb) { return wb->recalled; }

/* ICU over the whole text. */
static int32_t sd_segment_plain(sd_word_breaker *wb, const uint16_t *text, int32_t len,
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

/* Han characters every ICU version in use segments with its dictionary. */
static inline int sd_is_han(uint16_t c) {
    return (c >= 0x4E00 && c <= 0x9FEF) || (c >= 0x3400 && c <= 0x4DB5);
}

/* Characters next to which a Han run always ends: ASCII, CJK brackets and punctuation, general
 * punctuation (no format characters, no marks that attach to what precedes them). */
static inline int sd_breaks_next_to_han(uint16_t c) {
    return c < 0x80 || c == 0x3001 || c == 0x3002 || (c >= 0x3008 && c <= 0x3011) ||
           (c >= 0x3014 && c <= 0x301F) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E);
}

static inline uint32_t sd_run_hash(const uint16_t *s, int32_t n) {
    uint32_t h = 0x811C9DC5u ^ (uint32_t)n;
    for (int32_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x01000193u;
    return h ^ (h >> 15);
}

/* The first slot at or after h's that holds h or is free. */
static inline uint32_t sd_memory_probe(const sd_run_memory *m, uint32_t h) {
    uint32_t i = h & (SD_SLOTS - 1);
    while (m->slots[i].offset != 0 && m->slots[i].hash != h) i = (i + 1) & (SD_SLOTS - 1);
    return i;
}

/* The entry of the remembered run s[0..<n], or NULL, looking from slot `from` on. */
static const uint16_t *sd_memory_find(const sd_run_memory *m, const uint16_t *s, int32_t n, uint32_t h, uint32_t from) {
    for (uint32_t i = from;; i = (i + 1) & (SD_SLOTS - 1)) {
        sd_slot slot = m->slots[i];
        if (slot.offset == 0) return NULL;
        if (slot.hash != h) continue;
        const uint16_t *e = m->arena + slot.offset - 1;
        if (e[0] == n && memcmp(e + 2, s, (size_t)n * 2) == 0) return e;
    }
}

static void sd_memory_clear(sd_run_memory *m) {
    memset(m->slots, 0, SD_SLOTS * sizeof(sd_slot));
    m->arena_used = 0;
    m->runs = 0;
    m->full = 0;
}

/* Remembers the run s[0..<n] and its segments (ends relative to `base`). When the memory is
 * full, it is cleared before the next lookup. */
static void sd_memory_add(sd_run_memory *m, const uint16_t *s, int32_t n, uint32_t h,
                          const int32_t *ends, const int32_t *status, int32_t count, int32_t base) {
    uint32_t size = 2 + (uint32_t)n + 2 * (uint32_t)count;
    if (m->runs >= SD_MAX_RUNS || m->arena_used + size > SD_ARENA_UNITS) { m->full = 1; return; }
    uint32_t i = sd_memory_probe(m, h);
    if (m->slots[i].offset != 0 && sd_memory_find(m, s, n, h, i)) return; /* another thread was first */
    uint16_t *e = m->arena + m->arena_used;
    e[0] = (uint16_t)n;
    e[1] = (uint16_t)count;
    memcpy(e + 2, s, (size_t)n * 2);
    for (int32_t k = 0; k < count; k++) {
        e[2 + n + k] = (uint16_t)(ends[k] - base);
        e[2 + n + count + k] = (uint16_t)status[k];
    }
    while (m->slots[i].offset != 0) i = (i + 1) & (SD_SLOTS - 1);
    m->slots[i].hash = h;
    m->slots[i].offset = m->arena_used + 1;
    m->arena_used += size;
    m->runs++;
}

/* A memory and buffers for a text of `len` units; 0 when they cannot be had. */
static int sd_breaker_prepare(sd_word_breaker *wb, int32_t len) {
    if (!wb->memory) {
        wb->memory = sd_run_memory_new();
        if (!wb->memory) { wb->remember_after = -1; return 0; }
        wb->owns_memory = 1;
    }
    /* The copy holds the text and a separator between pieces (≤ 1.5 len); the pieces, at most
     * one per unit plus one, then the runs, at most one per two units plus one; the recalled
     * segments, at most 1 + 2 units per unit. */
    int32_t need = 3 * len + 32;
    if (wb->buffer_cap < need) {
        free(wb->copy); free(wb->recall); free(wb->pieces);
        wb->copy = (uint16_t *)malloc((size_t)need * sizeof(uint16_t));
        wb->recall = (uint16_t *)malloc((size_t)need * sizeof(uint16_t));
        wb->pieces = (sd_piece *)malloc((size_t)need * sizeof(sd_piece));
        if (!wb->copy || !wb->recall || !wb->pieces) {
            free(wb->copy); free(wb->recall); free(wb->pieces);
            wb->copy = NULL; wb->recall = NULL; wb->pieces = NULL; wb->buffer_cap = 0;
            return 0;
        }
        wb->buffer_cap = need;
    }
    return 1;
}

int32_t sd_word_breaker_segment(sd_word_breaker *wb, const uint16_t *text, int32_t len,
                                int32_t *starts, int32_t *ends, int32_t *status, int32_t cap) {
    if (wb->remember_after != 0 || len == 0) {
        if (wb->remember_after > 0) wb->remember_after = len >= wb->remember_after ? 0 : wb->remember_after - len;
        return sd_segment_plain(wb, text, len, starts, ends, status, cap);
    }
    if (!sd_breaker_prepare(wb, len)) return sd_segment_plain(wb, text, len, starts, ends, status, cap);
    sd_run_memory *mem = wb->memory;
    sd_piece *pieces = wb->pieces;
    sd_piece *runs = wb->pieces + len / 2 + 16;
    uint16_t *copy = wb->copy;

    /* 1. The runs that can be remembered, with their hashes; their slots are fetched ahead
     * (the slot table never moves). */
    int32_t run_count = 0;
    for (int32_t i = 0; i < len;) {
        if (!sd_is_han(text[i])) { i++; continue; }
        int32_t j = i + 1;
        while (j < len && sd_is_han(text[j])) j++;
        if (j - i <= SD_RUN_MAX && (i == 0 || sd_breaks_next_to_han(text[i - 1])) &&
            (j == len || sd_breaks_next_to_han(text[j]))) {
            uint32_t h = sd_run_hash(text + i, j - i);
            __builtin_prefetch(&mem->slots[h & (SD_SLOTS - 1)]);
            runs[run_count].start = i;
            runs[run_count].end = j;
            runs[run_count].hash = h;
            run_count++;
        }
        i = j;
    }

    /* 2. Under the lock: look the runs up (probing first, so that the entries are fetched
     * ahead), copying the segments of those found. */
    int32_t recalled = 0;
    pthread_mutex_lock(&mem->lock);
    if (mem->full) sd_memory_clear(mem);
    for (int32_t k = 0; k < run_count; k++) {
        uint32_t slot = sd_memory_probe(mem, runs[k].hash);
        runs[k].entry = (int32_t)slot;
        if (mem->slots[slot].offset != 0) __builtin_prefetch(mem->arena + mem->slots[slot].offset - 1);
    }
    for (int32_t k = 0; k < run_count; k++) {
        sd_piece *run = &runs[k];
        const uint16_t *e = sd_memory_find(mem, text + run->start, run->end - run->start, run->hash, (uint32_t)run->entry);
        if (!e) { run->entry = -2; continue; }
        int32_t length = e[0], count = e[1];
        run->entry = recalled;
        wb->recall[recalled] = (uint16_t)count;
        memcpy(wb->recall + recalled + 1, e + 2 + length, (size_t)count * 2 * sizeof(uint16_t));
        recalled += 1 + 2 * count;
    }
    pthread_mutex_unlock(&mem->lock);

    /* 3. The pieces: remembered runs, and what ICU must see, copied. Piece k is written at
     * index ≤ 2k + 1, before run k (at k + len / 2 + 16) is read: the two lists never overlap. */
    int32_t piece_count = 0, copied = 0, copied_end = -1, gap = 0;
#define SD_COPY(a, b, e) do { \
        if (copied_end >= 0 && copied_end != (a)) copy[copied++] = SD_SEPARATOR; \
        sd_piece *p_ = &pieces[piece_count++]; \
        p_->start = (a); p_->end = (b); p_->m_start = copied; p_->entry = (e); \
        memcpy(copy + copied, text + (a), (size_t)((b) - (a)) * sizeof(uint16_t)); \
        copied += (b) - (a); copied_end = (b); } while (0)
    for (int32_t k = 0; k < run_count; k++) {
        sd_piece run = runs[k];
        if (gap < run.start) SD_COPY(gap, run.start, -1);
        if (run.entry >= 0) {
            sd_piece *p = &pieces[piece_count++];
            p->start = run.start; p->end = run.end; p->m_start = -1; p->entry = run.entry;
            wb->recalled++;
        } else {
            SD_COPY(run.start, run.end, -2);
            pieces[piece_count - 1].hash = run.hash;
        }
        gap = run.end;
    }
    if (gap < len) SD_COPY(gap, len, -1);
#undef SD_COPY

    /* 4. ICU over the copy; the segments in text order. */
    int32_t n = 0, at = 0, failed = 0, to_add = 0;
    if (copied > 0) {
        UErrorCode err = U_ZERO_ERROR;
        ubrk_setText(wb->bi, (const UChar *)copy, copied, &err);
        if (U_FAILURE(err)) return -1;
        at = ubrk_first(wb->bi);
    }
    for (int32_t p = 0; p < piece_count && !failed; p++) {
        sd_piece *pc = &pieces[p];
        if (pc->entry >= 0) {
            const uint16_t *e = wb->recall + pc->entry;
            int32_t count = e[0], s = pc->start;
            for (int32_t k = 0; k < count; k++) {
                int32_t end = pc->start + e[1 + k];
                if (n < cap) { starts[n] = s; ends[n] = end; status[n] = e[1 + count + k]; }
                n++;
                s = end;
            }
            continue;
        }
        int32_t from = pc->m_start, to = from + (pc->end - pc->start), delta = pc->start - from;
        while (at < from) { /* the separator before the piece */
            int32_t b = ubrk_next(wb->bi);
            if (b == UBRK_DONE || b > from) { failed = 1; break; }
            at = b;
        }
        pc->first = n;
        while (!failed && at < to) {
            int32_t b = ubrk_next(wb->bi);
            if (b == UBRK_DONE || b > to) { failed = 1; break; }
            if (n < cap) { starts[n] = at + delta; ends[n] = b + delta; status[n] = ubrk_getRuleStatus(wb->bi); }
            n++;
            at = b;
        }
        if (pc->entry == -2) to_add++;
    }
    if (copied > 0) {
        UErrorCode err = U_ZERO_ERROR;
        ubrk_setText(wb->bi, (const UChar *)u"", 0, &err);
    }
    /* A segment across a piece's edge would mean ICU joins a Han run to its neighbour after
     * all: segment the whole text, and remember nothing more. */
    if (failed) {
        wb->remember_after = -1;
        return sd_segment_plain(wb, text, len, starts, ends, status, cap);
    }
    if (n > cap) return -n - 2;

    /* 5. Under the lock: remember the new runs. */
    if (to_add > 0) {
        pthread_mutex_lock(&mem->lock);
        for (int32_t p = 0; p < piece_count; p++) {
            const sd_piece *pc = &pieces[p];
            if (pc->entry != -2) continue;
            int32_t count = 0;
            while (pc->first + count < n && ends[pc->first + count] <= pc->end) count++;
            sd_memory_add(mem, text + pc->start, pc->end - pc->start, pc->hash, ends + pc->first,
                          status + pc->first, count, pc->start);
        }
        pthread_mutex_unlock(&mem->lock);
    }
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
