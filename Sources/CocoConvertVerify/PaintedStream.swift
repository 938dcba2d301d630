import CocoConvertCore
import Dispatch
import Foundation

/// One side's samples, painted: read in order, painted a batch at a time on every core, classes
/// resolved in order. Memory: one batch of samples and painted images.
final class PaintedStream {
    private let reader: any DatasetReader
    private let painter: LabelPainter
    private var classes: SideClasses
    private let batchSize: Int
    private var buffer: [Result<PaintedImage, any Error>] = []
    private var position = 0
    private var ended = false

    init(reader: any DatasetReader, painter: LabelPainter, classes: SideClasses, batchSize: Int = 16) {
        self.reader = reader
        self.painter = painter
        self.classes = classes
        self.batchSize = batchSize
    }

    /// The next painted sample, or nil at the end (the reader is not asked again after its end).
    func next() throws -> PaintedImage? {
        if position == buffer.count {
            try refill()
            if buffer.isEmpty { return nil }
        }
        let item = buffer[position]
        position += 1
        return try item.get()
    }

    private func refill() throws {
        buffer = []
        position = 0
        guard !ended else { return }
        var samples: [Sample] = []
        samples.reserveCapacity(batchSize)
        var readError: (any Error)?
        while samples.count < batchSize {
            do {
                guard let s = try reader.next() else { ended = true; break }
                samples.append(s)
            } catch {
                // Reported after the samples read before it.
                readError = error
                ended = true
                break
            }
        }
        let slots = Slots(count: samples.count)
        let painter = self.painter, ownSchema = reader.header.labelSchema, work = samples
        if work.count == 1 {
            slots.set(0, Result { try PaintedImage(work[0], painter: painter, ownSchema: ownSchema) })
        } else if !work.isEmpty {
            DispatchQueue.concurrentPerform(iterations: work.count) { i in
                slots.set(i, Result { try PaintedImage(work[i], painter: painter, ownSchema: ownSchema) })
            }
        }
        for slot in slots.values {
            guard var result = slot else { continue }
            if case .success(var image) = result {
                image.resolveClasses(&classes)
                result = .success(image)
            }
            buffer.append(result)
        }
        if let readError { buffer.append(.failure(readError)) }
    }
}

/// Fixed slots filled concurrently, one writer per slot.
private final class Slots: @unchecked Sendable {
    private var slots: [Result<PaintedImage, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<PaintedImage, any Error>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    var values: [Result<PaintedImage, any Error>?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
