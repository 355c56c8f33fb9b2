import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, spread over the machine's cores, and returns
/// the results in index order. Deterministic: results never depend on scheduling.
///
/// Use for coarse work items (a territory, a chunk of units); each item should take at least
/// tens of microseconds, or the dispatch overhead dominates.
public func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    if count == 1 { return [body(0)] }
    let buffer = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    buffer.initialize(repeating: nil)
    defer { buffer.deinitialize(); buffer.deallocate() }
    let slots = SendableSlots(buffer: buffer)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        slots.buffer[i] = body(i)
    }
    return buffer.map { $0! }
}

/// Number of worker threads `parallelMap` effectively uses.
public var availableCores: Int { ProcessInfoCores.count }

private enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }()
}

/// Each index is written by exactly one iteration, so sharing the buffer is race-free.
private struct SendableSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
}

#if canImport(Glibc)
import Glibc
#endif
