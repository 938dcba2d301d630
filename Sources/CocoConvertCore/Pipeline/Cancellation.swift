import Synchronization

/// A request to stop a running ``Conversion`` (Ctrl-C, `kill`), safe to make from any thread.
///
/// Once ``cancel()`` is called, the pipeline's reader thread stops reading, the workers stop
/// rendering, the committer stops committing, and `run` throws ``ConversionCancelled`` after joining
/// every thread (so the sink is released and its temporary files removed).
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    private let handlers = Mutex<[Int: @Sendable () -> Void]>([:])
    private let nextHandler = Atomic<Int>(0)

    public init() {}

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Requests the stop; the first call runs the registered handlers, later calls do nothing.
    public func cancel() {
        guard flag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let waiting = handlers.withLock { handlers in
            defer { handlers.removeAll() }
            return Array(handlers.values)
        }
        for handler in waiting { handler() }
    }

    /// Runs `handler` on ``cancel()`` (at once when already cancelled); returns a token for
    /// ``removeHandler(_:)``.
    func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int {
        let token = nextHandler.wrappingAdd(1, ordering: .relaxed).oldValue
        handlers.withLock { $0[token] = handler }
        if isCancelled {
            // cancel() may have collected the handlers before this one was added.
            if handlers.withLock({ $0.removeValue(forKey: token) }) != nil { handler() }
        }
        return token
    }

    func removeHandler(_ token: Int) {
        _ = handlers.withLock { $0.removeValue(forKey: token) }
    }
}
