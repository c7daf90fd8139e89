#if canImport(Glibc)
import CMalloc
#endif

/// Keeps freed memory at the top of the heap for the rest of a query process.
///
/// A query allocates and frees buffers of a few hundred KB for every hit (stored text blocks,
/// snippets); with glibc's default 128 KB trim threshold each free hands the top of the heap back
/// to the kernel and the next allocation takes it back, page faults included: ten hits made about
/// fifty brk calls, some 9 % of a cold `searchdocs query`. A query process is short, or a loop
/// that reuses the same buffers (`--stdin`), so it keeps up to 64 MB instead.
func keepFreedMemoryForQueries() {
    #if canImport(Glibc)
    _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
    #endif
}
