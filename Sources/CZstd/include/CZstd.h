#ifndef CZSTD_H
#define CZSTD_H
/* zstd block compression and the CRC-32 of zlib (computed by libdeflate), behind plain C types. */
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
/* Trains a zstd dictionary of at most dict_cap bytes from count samples laid end to end;
   returns its size, or 0 when training fails (too few or too uniform samples). */
size_t sd_zdict_train(void *dict, size_t dict_cap, const void *samples, const size_t *sizes, unsigned count);
/* A digested dictionary for compression at a level; NULL on error. */
void *sd_zstd_cdict_new(const void *dict, size_t dict_len, int level);
void sd_zstd_cdict_free(void *cdict);
/* Compresses with a context and a digested dictionary; returns the compressed size, or 0 on error. */
size_t sd_zstd_compress_cdict(void *cctx, void *dst, size_t dst_cap, const void *src, size_t src_len, const void *cdict);
/* A digested dictionary for decompression (thread safe to share); NULL on error. It refers to
 * dict's bytes rather than copying them: they must outlive it. */
void *sd_zstd_ddict_new(const void *dict, size_t dict_len);
void sd_zstd_ddict_free(void *ddict);
/* Decompresses with a dictionary exactly into dst; returns the size, or (size_t)-1 on error. */
size_t sd_zstd_decompress_ddict(void *dst, size_t dst_cap, const void *src, size_t src_len, const void *ddict);
/* CRC-32 (zlib's; computed by libdeflate) of a buffer, continuing from crc (start with 0). */
uint32_t sd_crc32(uint32_t crc, const void *data, size_t len);
/* The CRC-32 of two buffers end to end, from their CRC-32s and the second one's length. */
uint32_t sd_crc32_combine(uint32_t crc1, uint32_t crc2, size_t len2);
/* A 64-bit hash of a buffer (not a checksum of the format: it identifies a document's text). */
uint64_t sd_hash64(const void *data, size_t len, uint64_t seed);
#endif
