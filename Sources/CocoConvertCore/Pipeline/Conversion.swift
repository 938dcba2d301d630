import Foundation

/// Drives a reader into a writer on every core, in bounded memory, with deterministic output.
///
/// Three stages overlap: one thread pulls samples from the reader, `jobs` workers call the
/// writer's ``SampleRenderer`` concurrently, and the calling thread commits rendered samples to
/// the writer's ``SampleSink`` strictly in reader order. At most `window` batches are in flight
/// at once, so memory does not grow with the dataset. Output does not depend on `jobs`.
public struct Conversion {
    /// Progress callback: samples committed so far, and the total when the reader knows it.
    public typealias Progress = (_ done: Int, _ total: Int?) -> Void

    public var jobs: Int
    /// Batches read but not yet committed, at most (default: 4 per worker).
    public var window: Int
    /// Samples handed to a worker at once; batching keeps thread hand-offs off the profile.
    public var batch: Int
    /// Stops the run on request (Ctrl-C): `run` then throws ``ConversionCancelled``.
    public var cancellation: Cancellation?

    public init(jobs: Int? = nil, window: Int? = nil, batch: Int = 8, cancellation: Cancellation? = nil) {
        let workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.jobs = workers
        self.window = max(2, window ?? workers * 4)
        self.batch = max(1, batch)
        self.cancellation = cancellation
    }

    /// What a run did.
    public struct Outcome: Sendable {
        public var summary: WriteSummary
        /// Samples read from the source.
        public var samplesRead: Int
        /// Samples the writer rejected and `--on-error skip` left out.
        public var samplesSkipped: Int

        public init(summary: WriteSummary, samplesRead: Int, samplesSkipped: Int) {
            self.summary = summary
            self.samplesRead = samplesRead
            self.samplesSkipped = samplesSkipped
        }
    }

    /// Runs the conversion to completion, or throws the first error (in sample order).
    ///
    /// The writer's ``DatasetWriter/begin(_:)`` runs here, on the calling thread; its renderer is
    /// shared by the worker threads and its sink stays on this thread. A writer error about one sample (from `render` or `commit`) goes through `skips`: under
    /// `fail` it stops the run, under `skip` that sample is left out and recorded. I/O and library
    /// failures always stop the run.
    ///
    /// When ``cancellation`` is cancelled, the reader thread stops reading, the workers stop
    /// rendering and the committer stops committing (a sample being read, rendered or committed is
    /// finished first); `run` joins every thread, releases the sink (which removes its temporary
    /// files) and throws ``ConversionCancelled``. A cancellation during ``SampleSink/finish()`` is
    /// noticed when it returns.
    public func run(reader: any DatasetReader, writer: any DatasetWriter, skips: SkipReport,
                    progress: Progress? = nil) throws -> Outcome {
        try runTyped(reader: reader, writer: writer, skips: skips, progress: progress)
    }

    private func runTyped<W: DatasetWriter>(reader: any DatasetReader, writer: W, skips: SkipReport,
                                            progress: Progress?) throws -> Outcome {
        let header = reader.header
        let cancellation = self.cancellation
        if cancellation?.isCancelled == true { throw ConversionCancelled() }
        // The renderer goes to every worker; the sink never leaves this thread.
        let (renderer, initialSink) = try writer.begin(header)
        var sink = initialSink
        let state = PipelineState<[Result<W.Renderer.Rendered, Error>]>(window: window)
        let batchSize = batch
        let source = ReaderHandOff(reader)
        // A cancellation wakes every waiting thread; the committer then throws.
        let handler = cancellation?.onCancel { state.interrupt() }
        defer { if let handler { cancellation?.removeHandler(handler) } }

        // Batches are numbered; a reader error ends the stream after the samples read before it.
        // Every thread is joined before `run` returns, so nothing touches the reader after a
        // failure has been reported, and the sink (with its unfinished files) is released here.
        let threads = DispatchGroup()
        threads.enter()
        let readerThread = Thread {
            defer { threads.leave() }
            var seq = 0
            while state.waitForRoom() {
                var samples: [Sample] = []
                samples.reserveCapacity(batchSize)
                var failure: Error?
                while samples.count < batchSize {
                    if cancellation?.isCancelled == true { return }
                    do {
                        guard let sample = try source.reader.next() else { break }
                        samples.append(sample)
                    } catch {
                        failure = error
                        break
                    }
                }
                if !samples.isEmpty {
                    state.enqueue(seq: seq, samples: samples)
                    seq += 1
                }
                if failure != nil || samples.count < batchSize {
                    state.finishReading(seq: seq, error: failure)
                    return
                }
            }
            state.finishReading(seq: seq, error: nil)
        }
        readerThread.stackSize = 8 << 20
        readerThread.start()

        for _ in 0..<jobs {
            threads.enter()
            let worker = Thread {
                defer { threads.leave() }
                while let (seq, samples) = state.dequeue() {
                    var results: [Result<W.Renderer.Rendered, Error>] = []
                    results.reserveCapacity(samples.count)
                    for sample in samples {
                        // Stopped: nothing is delivered, the committer throws.
                        if cancellation?.isCancelled == true { return }
                        results.append(Self.render(sample, with: renderer))
                    }
                    state.deliver(seq: seq, result: results)
                }
            }
            worker.stackSize = 8 << 20
            worker.start()
        }

        var committed = 0
        var skipped = 0
        var read = 0
        var seq = 0
        defer {
            state.cancel()
            threads.wait()
        }
        while let results = try state.take(seq: seq) {
            for result in results {
                if cancellation?.isCancelled == true { throw ConversionCancelled() }
                do {
                    try sink.commit(result.get())
                    committed += 1
                } catch let error as ConversionError where error.isItemProblem {
                    try skips.report(error)
                    skipped += 1
                }
                read += 1
            }
            seq += 1
            progress?(read, header.sampleCount)
        }
        if cancellation?.isCancelled == true { throw ConversionCancelled() }
        var summary = try sink.finish()
        if cancellation?.isCancelled == true { throw ConversionCancelled() }
        summary.samples = max(summary.samples, committed)
        return Outcome(summary: summary, samplesRead: read, samplesSkipped: skipped)
    }

    private static func render<R: SampleRenderer>(_ sample: Sample, with renderer: R) -> Result<R.Rendered, Error> {
        do {
            return .success(try renderer.render(sample))
        } catch let error as ConversionError {
            return .failure(error.adding(ErrorContext(imageID: sample.id)))
        } catch {
            return .failure(error)
        }
    }
}

/// Moves the reader to the reader thread.
///
/// `@unchecked` is safe here because the reader is used by one thread at a time and never
/// concurrently: ``Conversion/run(reader:writer:skips:progress:)`` reads `header` before it
/// starts the reader thread, from then on only the reader thread calls `next()`, and `run`
/// joins that thread (`threads.wait()` in its `defer`) before it returns, so the caller gets
/// the reader back only when no other thread can touch it any more. The hand-off is private
/// to this file and created only there.
private struct ReaderHandOff: @unchecked Sendable {
    let reader: any DatasetReader
    init(_ reader: any DatasetReader) { self.reader = reader }
}

/// The shared state of one pipeline run: the work queue, the reorder buffer and the window.
///
/// `@unchecked` is safe here because every stored property is either immutable (`condition`,
/// `window`) or read and written only between `condition.lock()` and `condition.unlock()` (every
/// method below takes the lock first, and `wait()` gives it back only while blocked). What crosses
/// threads through it (samples, items, errors) is `Sendable`.
private final class PipelineState<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let window: Int
    private var inFlight = 0
    private var queue: [(Int, [Sample])] = []
    private var queueHead = 0
    private var done: [Int: Item] = [:]
    private var readEnd: Int?
    private var readError: Error?
    private var cancelled = false
    /// Cancelled on request (not at the end of the run): the committer throws.
    private var interrupted = false

    init(window: Int) {
        self.window = window
    }

    /// Reader: blocks until a slot is free; false when the run was cancelled.
    func waitForRoom() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while inFlight >= window && !cancelled { condition.wait() }
        return !cancelled
    }

    func enqueue(seq: Int, samples: [Sample]) {
        condition.lock()
        inFlight += 1
        queue.append((seq, samples))
        condition.broadcast()
        condition.unlock()
    }

    func finishReading(seq: Int, error: Error?) {
        condition.lock()
        readEnd = seq
        readError = error
        condition.broadcast()
        condition.unlock()
    }

    /// Worker: the next batch to render, or nil when reading is over or the run was cancelled.
    func dequeue() -> (Int, [Sample])? {
        condition.lock()
        defer { condition.unlock() }
        while queueHead == queue.count && readEnd == nil && !cancelled { condition.wait() }
        guard queueHead < queue.count, !cancelled else { return nil }
        let item = queue[queueHead]
        // Release the batch's samples now: dequeued slots stay in the array until it is compacted
        // (up to 256 batches), and samples can hold image bytes (tars, embedded images).
        queue[queueHead].1 = []
        queueHead += 1
        if queueHead > 256 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        return item
    }

    func deliver(seq: Int, result: Item) {
        condition.lock()
        done[seq] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Committer: the results of batch `seq`, nil at the end; throws the reader's error at its position.
    func take(seq: Int) throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while done[seq] == nil {
            if interrupted { throw ConversionCancelled() }
            if let end = readEnd, seq >= end {
                if let readError { throw readError }
                return nil
            }
            condition.wait()
        }
        let result = done.removeValue(forKey: seq)
        inFlight -= 1
        condition.broadcast()
        return result
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// A cancellation request: stops every stage, and the committer throws ``ConversionCancelled``.
    func interrupt() {
        condition.lock()
        cancelled = true
        interrupted = true
        condition.broadcast()
        condition.unlock()
    }
}
