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

/// Variable-length UTF-8 strings.
final class StringColumn: ShardColumn {
    let dataset: HDF5Dataset
    private var buffer: [String] = []
    private var bytes = 0
    private var written = 0

    init(_ dataset: HDF5Dataset) { self.dataset = dataset }

    var pendingRows: Int { buffer.count }
    var pendingBytes: Int { bytes }

    func append(_ value: String) {
        buffer.append(value)
        bytes += value.utf8.count
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try dataset.setExtent([written + buffer.count])
        try dataset.write(strings: buffer, atRow: written)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
        bytes = 0
    }
}

/// Variable-length byte sequences (embedded image files).
final class BytesColumn: ShardColumn {
    let dataset: HDF5Dataset
    private var buffer: [[UInt8]] = []
    private var bytes = 0
    private var written = 0

    init(_ dataset: HDF5Dataset) { self.dataset = dataset }

    var pendingRows: Int { buffer.count }
    var pendingBytes: Int { bytes }

    func append(_ value: [UInt8]) {
        buffer.append(value)
        bytes += value.count
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try dataset.setExtent([written + buffer.count])
        try dataset.write(byteArrays: buffer, atRow: written)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
        bytes = 0
    }
}
