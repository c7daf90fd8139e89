#ifndef CZSTD_H
#define CZSTD_H
/* zstd block compression and zlib's CRC-32, behind plain C types. */
#include <stdint.h>
#include <stddef.h>

/* Compresses src into dst; returns the compressed size, or 0 on error (dst too small). */
size_t sd_zstd_compress(void *dst, size_t dst_cap, const void *src, size_t src_len, int level);
/* A reusable compression context (one per thread). */
void *sd_zstd_cctx_new(void);
void sd_zstd_cctx_free(void *cctx);
/* Compresses with a context; returns the compressed size, or 0 on error. */
size_t sd_zstd_compress_cctx(void *cctx, void *dst, size_t dst_cap, const void *src, size_t src_len, int level);
/* Upper bound of the compressed size of src_len bytes. */
size_t sd_zstd_bound(size_t src_len);
/* Decompresses exactly into dst; returns the decompressed size, or (size_t)-1 on error. */
size_t sd_zstd_decompress(void *dst, size_t dst_cap, const void *src, size_t src_len);
/* CRC-32 (zlib's) of a buffer, continuing from crc (start with 0). */
uint32_t sd_crc32(uint32_t crc, const void *data, size_t len);
#endif
