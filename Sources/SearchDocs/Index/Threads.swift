#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// A mutual-exclusion lock, and a condition to wait on while holding it: a POSIX mutex and
/// condition variable (what Foundation's NSLock and NSCondition wrap), so that the library needs
/// only FoundationEssentials.
///
/// `@unchecked Sendable`: the mutex and the condition are made for use from several threads.
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for ``broadcast()``, the lock released meanwhile; called holding the lock (wake-ups
    /// may be spurious: wait in a loop that checks what it waits for).
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every thread waiting in ``wait()``.
    func broadcast() { pthread_cond_broadcast(condition) }
}

/// The processors this process may run on (read once, when first needed).
let onlineProcessors = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Runs `body` on a thread of its own with a stack of `stackSize` bytes (a POSIX thread, as
/// Foundation's Thread starts one).
func startThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    var thread = pthread_t()
    let made = pthread_create(&thread, &attributes, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard made == 0 else {
        // No thread could be made: run it here rather than not at all.
        Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        return
    }
    pthread_detach(thread)
}

/// Runs `body(0)` … `body(count - 1)` on up to `threads` threads, the calling one among them, each
/// thread taking the next number until none is left; on one thread (or for one number), in order
/// on the calling thread. After an error no further number is started; once every thread has
/// stopped, the error of the lowest number is thrown. `body` must touch nothing that another
/// number's run writes.
func concurrently(_ count: Int, threads: Int, _ body: (Int) throws -> Void) throws {
    let workers = min(threads, count)
    if workers <= 1 {
        for k in 0..<count { try body(k) }
        return
    }
    nonisolated(unsafe) let body = body
    let next = Atomic<Int>(0)
    let failure = Mutex<(at: Int, error: any Error)?>(nil)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard k < count, failure.withLock({ $0 == nil }) else { return }
            do {
                try body(k)
            } catch {
                failure.withLock { f in if f.map({ k < $0.at }) ?? true { f = (k, error) } }
            }
        }
    }
    if let f = failure.withLock({ $0 }) { throw f.error }
}
