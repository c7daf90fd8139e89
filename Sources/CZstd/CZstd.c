#include "CZstd.h"
#include <string.h>
/* ZSTD_createDDict_byReference: in the experimental part of zstd.h, exported by the shared library. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
/* ZDICT_trainFromBuffer_fastCover and its parameters: in the experimental part of zdict.h, and
 * exported by the shared library. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zlib.h>
#include <libdeflate.h>

size_t sd_zstd_compress(void *dst, size_t dst_cap, const void *src, size_t src_len, int level) {
    size_t r = ZSTD_compress(dst, dst_cap, src, src_len, level);
    return ZSTD_isError(r) ? 0 : r;
}

void *sd_zstd_cctx_new(void) { return ZSTD_createCCtx(); }
void sd_zstd_cctx_free(void *cctx) { ZSTD_freeCCtx((ZSTD_CCtx *)cctx); }
size_t sd_zstd_compress_cctx(void *cctx, void *dst, size_t dst_cap, const void *src, size_t src_len, int level) {
    size_t r = ZSTD_compressCCtx((ZSTD_CCtx *)cctx, dst, dst_cap, src, src_len, level);
    return ZSTD_isError(r) ? 0 : r;
}

size_t sd_zstd_bound(size_t src_len) { return ZSTD_compressBound(src_len); }

size_t sd_zstd_decompress(void *dst, size_t dst_cap, const void *src, size_t src_len) {
    size_t r = ZSTD_decompress(dst, dst_cap, src, src_len);
    return ZSTD_isError(r) ? (size_t)-1 : r;
}

size_t sd_zdict_train(void *dict, size_t dict_cap, const void *samples, const size_t *sizes, unsigned count) {
    /* One fastCover pass with fixed parameters. ZDICT_trainFromBuffer searches segment sizes
     * (k) from 50 to 2000, training and test-compressing for each: five times the time, and on
     * these texts (blocks of a few KB of Chinese) it settles on k near 2000, which compresses
     * about 1.5 % worse than k = 200. */
    ZDICT_fastCover_params_t p;
    memset(&p, 0, sizeof p);
    p.k = 200;
    p.d = 8;
    p.f = 20;
    p.accel = 1;
    p.zParams.compressionLevel = 3;
    size_t r = ZDICT_trainFromBuffer_fastCover(dict, dict_cap, samples, sizes, count, p);
    return ZDICT_isError(r) ? 0 : r;
}

void *sd_zstd_cdict_new(const void *dict, size_t dict_len, int level) { return ZSTD_createCDict(dict, dict_len, level); }
void sd_zstd_cdict_free(void *cdict) { ZSTD_freeCDict((ZSTD_CDict *)cdict); }
size_t sd_zstd_compress_cdict(void *cctx, void *dst, size_t dst_cap, const void *src, size_t src_len, const void *cdict) {
    size_t r = ZSTD_compress_usingCDict((ZSTD_CCtx *)cctx, dst, dst_cap, src, src_len, (const ZSTD_CDict *)cdict);
    return ZSTD_isError(r) ? 0 : r;
}

void *sd_zstd_ddict_new(const void *dict, size_t dict_len) { return ZSTD_createDDict_byReference(dict, dict_len); }
void sd_zstd_ddict_free(void *ddict) { ZSTD_freeDDict((ZSTD_DDict *)ddict); }

/* One decompression context per thread, made on first use and kept. */
static _Thread_local ZSTD_DCtx *sd_dctx;

size_t sd_zstd_decompress_ddict(void *dst, size_t dst_cap, const void *src, size_t src_len, const void *ddict) {
    if (!sd_dctx) sd_dctx = ZSTD_createDCtx();
    if (!sd_dctx) return (size_t)-1;
    size_t r = ZSTD_decompress_usingDDict(sd_dctx, dst, dst_cap, src, src_len, (const ZSTD_DDict *)ddict);
    return ZSTD_isError(r) ? (size_t)-1 : r;
}

uint32_t sd_crc32(uint32_t crc, const void *data, size_t len) {
    /* libdeflate's CRC-32 is zlib's (the same polynomial and conventions, the same values), with
     * carry-less multiplication where the processor has it: 4 to 13 times zlib's speed here, most
     * on the short pieces a document record is checked in. */
    return libdeflate_crc32(crc, data, len);
}

uint32_t sd_crc32_combine(uint32_t crc1, uint32_t crc2, size_t len2) {
    return (uint32_t)crc32_combine(crc1, crc2, (z_off_t)len2);
}

/* 64-bit content hash: two lanes of 128-bit multiply-and-fold over 32-byte blocks (the mixing
 * of wyhash), then the tail and the length. About 8 bytes per cycle: a quarter of a CRC-32's
 * time, with 64 bits of hash rather than 32. */
static inline uint64_t sd_fold_mul(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t sd_read64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

uint64_t sd_hash64(const void *data, size_t len, uint64_t seed) {
    const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL;
    const uint64_t k2 = 0x8ebc6af09c88c6e3ULL, k3 = 0x589965cc75374cc3ULL;
    const uint8_t *p = (const uint8_t *)data;
    uint64_t a = seed ^ k0, b = seed ^ k3;
    size_t n = len;
    for (; n >= 32; n -= 32, p += 32) {
        a = sd_fold_mul(sd_read64(p) ^ k1, sd_read64(p + 8) ^ a);
        b = sd_fold_mul(sd_read64(p + 16) ^ k2, sd_read64(p + 24) ^ b);
    }
    uint8_t tail[32] = {0};
    memcpy(tail, p, n);
    a = sd_fold_mul(sd_read64(tail) ^ k1, sd_read64(tail + 8) ^ a);
    b = sd_fold_mul(sd_read64(tail + 16) ^ k2, sd_read64(tail + 24) ^ b);
    return sd_fold_mul(a ^ k3 ^ (uint64_t)len, b ^ k0);
}
