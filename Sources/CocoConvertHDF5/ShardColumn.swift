/// A growing 1-D (or rows-of-fixed-shape) dataset with a small write buffer, so a shard's tables are
/// written in a few large writes instead of one per sample. Memory: at most one flush's worth of rows.
protocol ShardColumn: AnyObject {
    /// Rows buffered and not yet written.
    var pendingRows: Int { get }
    /// Bytes buffered (for vlen data, the payload).
    var pendingBytes: Int { get }
    /// Writes the buffered rows at the end of the dataset.
    func flush() throws
}

/// Rows of `T`, each `rowShape` elements (`[]` for scalars, `[4]` for boxes).
final class NumericColumn<T: HDF5Scalar>: ShardColumn {
    let dataset: HDF5Dataset
    let rowShape: [Int]
    private let rowElements: Int
    private var buffer: [T] = []
    private var written = 0

    init(_ dataset: HDF5Dataset, rowShape: [Int] = []) {
        self.dataset = dataset
        self.rowShape = rowShape
        self.rowElements = rowShape.reduce(1, *)
    }

    var pendingRows: Int { buffer.count / rowElements }
    var pendingBytes: Int { buffer.count * T.hdf5.size }

    func append(_ value: T) { buffer.append(value) }
    func append(contentsOf values: [T]) { buffer.append(contentsOf: values) }

    func flush() throws {
        let rows = pendingRows
        guard rows > 0 else { return }
        try dataset.setExtent([written + rows] + rowShape)
        try dataset.write(buffer, atRow: written, rowShape: rowShape)
        written += rows
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Variable-length items: UTF-8 strings or byte sequences (embedded image files).
final class VariableLengthColumn<Item>: ShardColumn {
    let dataset: HDF5Dataset
    private let byteCount: (Item) -> Int
    private let write: (HDF5Dataset, [Item], Int) throws -> Void
    private var buffer: [Item] = []
    private var bytes = 0
    private var written = 0

    private init(_ dataset: HDF5Dataset, byteCount: @escaping (Item) -> Int,
                 write: @escaping (HDF5Dataset, [Item], Int) throws -> Void) {
        self.dataset = dataset
        self.byteCount = byteCount
        self.write = write
    }

    var pendingRows: Int { buffer.count }
    var pendingBytes: Int { bytes }

    func append(_ value: Item) {
        buffer.append(value)
        bytes += byteCount(value)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try dataset.setExtent([written + buffer.count])
        try write(dataset, buffer, written)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
        bytes = 0
    }
}

extension VariableLengthColumn where Item == String {
    /// A column of variable-length UTF-8 strings.
    convenience init(strings dataset: HDF5Dataset) {
        self.init(dataset, byteCount: { $0.utf8.count }, write: { try $0.write(strings: $1, atRow: $2) })
    }
}

extension VariableLengthColumn where Item == [UInt8] {
    /// A column of variable-length byte sequences.
    convenience init(bytes dataset: HDF5Dataset) {
        self.init(dataset, byteCount: { $0.count }, write: { try $0.write(byteArrays: $1, atRow: $2) })
    }
}
