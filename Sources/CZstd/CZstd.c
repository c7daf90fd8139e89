#include "CZstd.h"
#include <zstd.h>
#include <zlib.h>

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

uint32_t sd_crc32(uint32_t crc, const void *data, size_t len) {
    /* zlib takes a uInt length: feed large buffers in pieces. */
    const unsigned char *p = (const unsigned char *)data;
    uLong c = crc;
    while (len > 0) {
        uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
        c = crc32(c, p, n);
        p += n; len -= n;
    }
    return (uint32_t)c;
}
