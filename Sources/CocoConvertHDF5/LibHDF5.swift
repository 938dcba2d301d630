// The only Swift file that imports CHDF5. Everything else in CocoConvertHDF5 talks to HDF5
// through the types here, which take Swift values and throw `ConversionError`.
//
// Rules kept in this file (STYLE.md §8, after hdf5-rust's sync/handle/error modules):
// - one process-wide recursive lock around every HDF5 call (the library may be built without
//   thread safety; a recursive lock lets a handle's deinit close while the lock is held);
// - H5open once before the first call, and the automatic error printer silenced on every thread
//   that calls in (thread-safe builds keep that setting per thread);
// - an id is wrapped only when valid (>= 0), and every wrapped id is released exactly once;
// - after a failing call the error stack is walked (H5Ewalk2) into the thrown error.
import CHDF5
import CocoConvertCore
import Foundation

// MARK: - Library state and errors

/// Process-wide HDF5 state: the lock and one-time initialisation.
enum HDF5Library {
    /// Guards every HDF5 call in the process.
    private static let lock = NSRecursiveLock()

    /// Runs once (Swift initialises static lets exactly once, thread-safely).
    private static let initialized: Bool = {
        // No atexit handler: at exit libhdf5 would close (and flush) every id still open, including
        // those of a file whose writes already failed (a full disk), and it crashes doing so. Files
        // are closed explicitly when they are complete; a failed file's temporary is removed anyway.
        _ = H5dont_atexit()
        _ = H5open()
        return true
    }()

    /// Nesting depth of `locked` (only touched with the lock held).
    nonisolated(unsafe) private static var depth = 0

    /// Runs `body` holding the HDF5 lock, after initialising the library if needed.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            depth -= 1
            lock.unlock()
        }
        _ = initialized
        depth += 1
        if depth == 1 {
            // Errors are reported through the thrown ConversionError, never printed to stderr.
            // Thread-safe builds keep this setting per thread, so it is set on every outermost
            // entry rather than once (a plain function call; cheaper than a thread-local lookup).
            _ = H5Eset_auto2(cch5_e_default(), nil, nil)
        }
        return try body()
    }

    /// One frame of the HDF5 error stack.
    struct Frame: Sendable {
        var function: String
        var description: String
        var major: String
        var minor: String
    }

    /// The current error stack, innermost call last. Call under the lock right after a failure.
    static func currentFrames() -> [Frame] {
        struct Raw {
            var function: String
            var description: String
            var major: hid_t
            var minor: hid_t
        }
        var raw: [Raw] = []
        let walker: H5E_walk2_t = { _, err, data in
            guard let err, let data else { return 0 }
            let list = data.assumingMemoryBound(to: [Raw].self)
            let e = err.pointee
            list.pointee.append(Raw(function: e.func_name.map { String(cString: $0) } ?? "",
                                    description: e.desc.map { String(cString: $0) } ?? "",
                                    major: e.maj_num, minor: e.min_num))
            return 0
        }
        _ = withUnsafeMutablePointer(to: &raw) { H5Ewalk2(cch5_e_default(), H5E_WALK_DOWNWARD, walker, $0) }
        return raw.map { Frame(function: $0.function, description: $0.description,
                               major: message($0.major), minor: message($0.minor)) }
    }

    private static func message(_ id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = H5Eget_msg(id, nil, &buffer, buffer.count)
        guard n > 0 else { return "" }
        return String(decoding: buffer.prefix(min(Int(n), buffer.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A `.library` error for a failed `operation` on `file`, with HDF5's own explanation.
    static func failure(_ operation: String, file: String?, field: String? = nil, hint: String? = nil) -> ConversionError {
        let frames = currentFrames()
        let full = frames.map { f in
            var s = f.function.isEmpty ? f.description : "\(f.function): \(f.description)"
            if !f.minor.isEmpty { s += " [\(f.minor)]" }
            return s
        }
        // The innermost frame usually names the cause ("file signature not found"); keep the chain
        // short in the message, whole in the cause (--verbose).
        let detail = full.count > 3 ? [full[0], "…", full[full.count - 1]] : full
        let reason = detail.isEmpty ? "" : ": " + detail.joined(separator: " → ")
        return ConversionError(.library, "HDF5 could not \(operation)\(reason)",
                               context: ErrorContext(file: file, field: field), hint: hint,
                               cause: full.isEmpty ? nil : LibraryTrace(library: "libhdf5", frames: full))
    }

    /// Throws ``failure(_:file:field:hint:)`` when `status` is negative.
    @discardableResult
    static func check<T: BinaryInteger>(_ status: T, _ operation: @autoclosure () -> String, file: String?,
                                        field: String? = nil) throws -> T {
        if status < 0 { throw failure(operation(), file: file, field: field) }
        return status
    }

    /// The library version, e.g. "1.10.8".
    static var version: String {
        locked {
            var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
            _ = H5get_libversion(&major, &minor, &release)
            return "\(major).\(minor).\(release)"
        }
    }
}

/// Owns one HDF5 id and releases it exactly once (under the lock) when it goes out of scope.
///
/// Only valid ids are wrapped: wrapping a negative id would risk closing an unrelated object.
struct HDF5Handle: ~Copyable {
    let id: hid_t

    /// Wraps `id`, or throws the HDF5 error stack if the call that produced it failed.
    init(_ id: hid_t, _ operation: @autoclosure () -> String, file: String?, field: String? = nil) throws {
        guard id >= 0 else { throw HDF5Library.failure(operation(), file: file, field: field) }
        self.id = id
    }

    deinit {
        HDF5Library.locked { _ = H5Idec_ref(id) }
    }
}

// MARK: - Element types

/// The fixed-size numeric element types cococonvert shards use.
enum HDF5Numeric: Sendable {
    case uint8, uint16, uint32, int32, int64, float64

    /// Bytes per element.
    var size: Int {
        switch self {
        case .uint8: 1
        case .uint16: 2
        case .uint32, .int32: 4
        case .int64, .float64: 8
        }
    }

    /// The in-memory type (native byte order).
    fileprivate var memoryType: hid_t {
        switch self {
        case .uint8: cch5_native_uint8()
        case .uint16: cch5_native_uint16()
        case .uint32: cch5_native_uint32()
        case .int32: cch5_native_int32()
        case .int64: cch5_native_int64()
        case .float64: cch5_native_double()
        }
    }

    /// The on-disk type: little-endian whatever the host, so files are the same everywhere.
    fileprivate var fileType: hid_t {
        switch self {
        case .uint8: cch5_std_u8le()
        case .uint16: cch5_std_u16le()
        case .uint32: cch5_std_u32le()
        case .int32: cch5_std_i32le()
        case .int64: cch5_std_i64le()
        case .float64: cch5_ieee_f64le()
        }
    }
}

/// A Swift type that maps to one ``HDF5Numeric`` element type.
protocol HDF5Scalar: Sendable {
    static var hdf5: HDF5Numeric { get }
    init()
}

extension UInt8: HDF5Scalar { static var hdf5: HDF5Numeric { .uint8 } }
extension UInt16: HDF5Scalar { static var hdf5: HDF5Numeric { .uint16 } }
extension UInt32: HDF5Scalar { static var hdf5: HDF5Numeric { .uint32 } }
extension Int32: HDF5Scalar { static var hdf5: HDF5Numeric { .int32 } }
extension Int64: HDF5Scalar { static var hdf5: HDF5Numeric { .int64 } }
extension Double: HDF5Scalar { static var hdf5: HDF5Numeric { .float64 } }

/// What one element of a dataset holds.
enum HDF5Element: Sendable, Equatable {
    case numeric(HDF5Numeric)
    /// Variable-length UTF-8 string (h5py: `h5py.string_dtype()`).
    case string
    /// Variable-length sequence of bytes (h5py: `h5py.vlen_dtype(np.uint8)`).
    case bytes
}

/// How a dataset stores its elements, as found in a file.
struct HDF5TypeInfo: Sendable, Equatable, CustomStringConvertible {
    enum Kind: String, Sendable { case integer, float, string, vlen, other }
    var kind: Kind
    /// Bytes per element (for strings and vlen: the size of the handle, not of the data).
    var size: Int
    var signed: Bool
    /// For vlen sequences: the base element type.
    var base: HDF5Numeric?

    var description: String {
        switch kind {
        case .integer: return "\(signed ? "int" : "uint")\(size * 8)"
        case .float: return "float\(size * 8)"
        case .string: return "string"
        case .vlen: return base.map { "vlen \($0)" } ?? "vlen"
        case .other: return "other"
        }
    }

    /// Whether values of this type read as `element` without loss of meaning.
    func matches(_ element: HDF5Element) -> Bool {
        switch element {
        case .numeric(let n):
            switch n {
            case .float64: return kind == .float
            case .uint8, .uint16, .uint32: return kind == .integer && !signed && size <= n.size
            case .int32, .int64: return kind == .integer && size <= n.size && (signed || size < n.size)
            }
        case .string: return kind == .string
        case .bytes: return kind == .vlen && size > 0
        }
    }
}

/// Creation settings of a chunked dataset.
struct HDF5DatasetSpec: Sendable {
    var element: HDF5Element
    /// Current extent.
    var dims: [Int]
    /// Largest extent per axis; `nil` = unlimited.
    var maxDims: [Int?]
    /// Chunk shape (same rank as `dims`, every value ≥ 1).
    var chunk: [Int]
    /// Apply the byte-shuffle filter before deflate.
    var shuffle = false
    /// Deflate (gzip) level 1...9, or `nil` for no compression.
    var deflateLevel: Int?
    /// Fill value of numeric datasets (what unwritten elements read as).
    var fill: Double?
}

/// Filters found on a dataset, for `inspect`.
struct HDF5FilterInfo: Sendable, Equatable {
    var name: String
    var parameters: [UInt32]
}

// MARK: - Files

/// An open HDF5 file.
final class HDF5File {
    let path: String
    private var handle: HDF5Handle?

    private init(path: String, handle: consuming HDF5Handle) {
        self.path = path
        self.handle = consume handle
    }

    private var id: hid_t {
        // Using a closed file is a programming error in this module, not a data problem.
        guard let h = handle?.id else { preconditionFailure("HDF5File used after close: \(path)") }
        return h
    }

    /// Creates (truncating) a file for writing, with `userBlock` bytes reserved at its start
    /// (0, or a power of two ≥ 512) that HDF5 leaves alone.
    static func create(path: String, userBlock: Int = 0) throws -> HDF5File {
        try HDF5Library.locked {
            let fcpl = try HDF5Handle(H5Pcreate(cch5_p_file_create()), "create a file creation property list", file: path)
            if userBlock > 0 {
                try HDF5Library.check(H5Pset_userblock(fcpl.id, hsize_t(userBlock)), "reserve a user block", file: path)
            }
            // No times in the root group's header either (the file creation list is also its group list).
            try HDF5Library.check(H5Pset_obj_track_times(fcpl.id, false), "turn off time tracking", file: path)
            let fapl = try HDF5Handle(H5Pcreate(cch5_p_file_access()), "create a file access property list", file: path)
            // File format of HDF5 1.10 (readable by 1.10 and later, i.e. every h5py of the last years):
            // its metadata (superblock, object headers, chunk indexes) carries checksums, so a damaged
            // shard is reported as an error instead of being parsed. The upper bound keeps 1.12+ builds
            // from using newer structures.
            try HDF5Library.check(H5Pset_libver_bounds(fapl.id, H5F_LIBVER_V110, H5F_LIBVER_V110),
                                  "choose the file format version", file: path)
            let id = H5Fcreate(path, cch5_f_acc_trunc(), fcpl.id, fapl.id)
            let h = try HDF5Handle(id, "create the file", file: path)
            return HDF5File(path: path, handle: h)
        }
    }

    /// Opens an existing file read-only.
    static func open(path: String) throws -> HDF5File {
        IsolatedCheck.trace("opening the file")
        return try HDF5Library.locked {
            let id = H5Fopen(path, cch5_f_acc_rdonly(), cch5_p_default())
            guard id >= 0 else {
                throw HDF5Library.failure("open the file as HDF5", file: path,
                                          hint: "it is not an HDF5 file, or it is truncated or damaged")
            }
            return HDF5File(path: path, handle: try HDF5Handle(id, "open the file", file: path))
        }
    }

    /// Opens an existing file for reading and writing (used to stamp attributes known only at the end).
    static func openForUpdate(path: String) throws -> HDF5File {
        try HDF5Library.locked {
            let id = H5Fopen(path, cch5_f_acc_rdwr(), cch5_p_default())
            return HDF5File(path: path, handle: try HDF5Handle(id, "open the file for update", file: path))
        }
    }

    /// Flushes and closes the file, reporting any write error. Objects opened from it must be
    /// released first (otherwise HDF5 keeps the file open until they are).
    func close() throws {
        try HDF5Library.locked {
            guard let h = handle.take() else { return }
            let status = H5Fclose(h.id)
            if status < 0 {
                let error = HDF5Library.failure("close (flush) the file", file: path)
                // H5Fclose failed: the id may still be valid; let the handle's deinit release it.
                throw error
            }
            // Closed by H5Fclose: the handle must not release the id a second time.
            discardWithoutClosing(h)
        }
    }

    private func discardWithoutClosing(_ h: consuming HDF5Handle) {
        h.forget()
    }

    /// Size of the file in bytes.
    var fileSize: Int64 {
        HDF5Library.locked {
            var size: hsize_t = 0
            guard H5Fget_filesize(id, &size) >= 0 else { return 0 }
            return Int64(clamping: size)
        }
    }

    // MARK: Links

    /// Whether an object exists at `path` (each intermediate group must exist too).
    func exists(_ objectPath: String) -> Bool {
        IsolatedCheck.trace("the link \(objectPath)")
        return HDF5Library.locked {
            var prefix = ""
            for part in objectPath.split(separator: "/") {
                prefix += "/" + part
                guard H5Lexists(id, prefix, cch5_p_default()) > 0 else { return false }
            }
            return true
        }
    }

    /// Names of the members of the group at `group` ("/" for the root), in name order.
    func memberNames(of group: String = "/") throws -> [String] {
        IsolatedCheck.trace("the links of group \(group)")
        return try HDF5Library.locked {
            let g = try HDF5Handle(H5Gopen2(id, group, cch5_p_default()), "open group \(group)", file: path)
            var info = H5G_info_t()
            try HDF5Library.check(H5Gget_info(g.id, &info), "list group \(group)", file: path)
            var names: [String] = []
            for i in 0..<info.nlinks {
                let n = H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, cch5_p_default())
                try HDF5Library.check(n, "read a member name of \(group)", file: path)
                var buffer = [CChar](repeating: 0, count: Int(n) + 1)
                try HDF5Library.check(H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer,
                                                         buffer.count, cch5_p_default()),
                                      "read a member name of \(group)", file: path)
                names.append(Self.string(buffer))
            }
            return names
        }
    }

    /// Creates a group.
    func createGroup(_ name: String) throws {
        try HDF5Library.locked { try createGroupLocked(name) }
    }

    /// Creates a group (without modification times, so output bytes are reproducible); the caller
    /// holds the library lock.
    private func createGroupLocked(_ name: String) throws {
        let gcpl = try HDF5Handle(H5Pcreate(cch5_p_group_create()), "create a group property list", file: path)
        try HDF5Library.check(H5Pset_obj_track_times(gcpl.id, false), "turn off time tracking on \(name)", file: path)
        _ = try HDF5Handle(H5Gcreate2(id, name, cch5_p_default(), gcpl.id, cch5_p_default()),
                           "create group \(name)", file: path)
    }

    // MARK: Root attributes

    /// Names of the root group's attributes.
    func attributeNames() throws -> [String] {
        IsolatedCheck.trace("the root attribute names")
        return try HDF5Library.locked {
            var names: [String] = []
            let collect: H5A_operator2_t = { _, name, _, data in
                guard let name, let data else { return 0 }
                data.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                return 0
            }
            var index: hsize_t = 0
            let status = withUnsafeMutablePointer(to: &names) {
                H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, &index, collect, $0)
            }
            try HDF5Library.check(status, "list the root attributes", file: path)
            return names
        }
    }

    /// Writes a root attribute holding one variable-length UTF-8 string.
    func setAttribute(_ name: String, _ value: String) throws {
        try HDF5Library.locked {
            try removeAttributeIfPresent(name)
            let type = try Self.stringType(file: path)
            let space = try HDF5Handle(H5Screate(H5S_SCALAR), "create a scalar dataspace", file: path)
            let attr = try HDF5Handle(H5Acreate2(id, name, type.id, space.id, cch5_p_default(), cch5_p_default()),
                                      "create attribute \(name)", file: path)
            let bytes = Array(value.utf8) + [0]
            let status = bytes.withUnsafeBufferPointer { buffer -> herr_t in
                var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
                return withUnsafePointer(to: &pointer) { H5Awrite(attr.id, type.id, $0) }
            }
            try HDF5Library.check(status, "write attribute \(name)", file: path)
        }
    }

    /// Writes a root attribute holding one 64-bit integer.
    func setAttribute(_ name: String, _ value: Int64) throws {
        try HDF5Library.locked {
            try removeAttributeIfPresent(name)
            let space = try HDF5Handle(H5Screate(H5S_SCALAR), "create a scalar dataspace", file: path)
            let attr = try HDF5Handle(H5Acreate2(id, name, cch5_std_i64le(), space.id, cch5_p_default(), cch5_p_default()),
                                      "create attribute \(name)", file: path)
            var v = value
            try HDF5Library.check(H5Awrite(attr.id, cch5_native_int64(), &v), "write attribute \(name)", file: path)
        }
    }

    private func removeAttributeIfPresent(_ name: String) throws {
        if H5Aexists(id, name) > 0 {
            try HDF5Library.check(H5Adelete(id, name), "replace attribute \(name)", file: path)
        }
    }

    /// The string value of a root attribute, `nil` if there is none.
    /// Accepts variable- and fixed-length strings (other writers use either); throws if it is not a string.
    func stringAttribute(_ name: String) throws -> String? {
        IsolatedCheck.trace("attribute \(name)")
        return try HDF5Library.locked {
            guard H5Aexists(id, name) > 0 else { return nil }
            let attr = try HDF5Handle(H5Aopen(id, name, cch5_p_default()), "open attribute \(name)", file: path)
            let fileType = try HDF5Handle(H5Aget_type(attr.id), "read the type of attribute \(name)", file: path)
            guard H5Tget_class(fileType.id) == H5T_STRING else {
                throw ConversionError(.invalidValue, "root attribute '\(name)' is not a string",
                                      context: ErrorContext(file: path, field: name))
            }
            let space = try HDF5Handle(H5Aget_space(attr.id), "read the shape of attribute \(name)", file: path)
            guard H5Sget_simple_extent_npoints(space.id) == 1 else {
                throw ConversionError(.invalidValue, "root attribute '\(name)' is not a single string",
                                      context: ErrorContext(file: path, field: name))
            }
            if H5Tis_variable_str(fileType.id) > 0 {
                let memType = try Self.stringType(file: path)
                var pointer: UnsafeMutablePointer<CChar>? = nil
                try HDF5Library.check(H5Aread(attr.id, memType.id, &pointer), "read attribute \(name)", file: path)
                defer { _ = withUnsafeMutablePointer(to: &pointer) { cch5_vlen_reclaim(memType.id, space.id, $0) } }
                return pointer.map { String(cString: $0) } ?? ""
            }
            let size = H5Tget_size(fileType.id)
            guard size > 0, size < 1 << 26 else {
                throw ConversionError(.invalidValue, "root attribute '\(name)' has an impossible size \(size)",
                                      context: ErrorContext(file: path, field: name))
            }
            var buffer = [CChar](repeating: 0, count: size + 1)
            try HDF5Library.check(H5Aread(attr.id, fileType.id, &buffer), "read attribute \(name)", file: path)
            return Self.string(buffer)
        }
    }

    /// The integer value of a root attribute, `nil` if there is none; throws if it is not an integer.
    func intAttribute(_ name: String) throws -> Int64? {
        IsolatedCheck.trace("attribute \(name)")
        return try HDF5Library.locked {
            guard H5Aexists(id, name) > 0 else { return nil }
            let attr = try HDF5Handle(H5Aopen(id, name, cch5_p_default()), "open attribute \(name)", file: path)
            let fileType = try HDF5Handle(H5Aget_type(attr.id), "read the type of attribute \(name)", file: path)
            let space = try HDF5Handle(H5Aget_space(attr.id), "read the shape of attribute \(name)", file: path)
            guard H5Tget_class(fileType.id) == H5T_INTEGER, H5Sget_simple_extent_npoints(space.id) == 1 else {
                throw ConversionError(.invalidValue, "root attribute '\(name)' is not a single integer",
                                      context: ErrorContext(file: path, field: name))
            }
            var v: Int64 = 0
            try HDF5Library.check(H5Aread(attr.id, cch5_native_int64(), &v), "read attribute \(name)", file: path)
            return v
        }
    }

    // MARK: Datasets

    /// Creates a chunked dataset.
    func createDataset(_ name: String, _ spec: HDF5DatasetSpec) throws -> HDF5Dataset {
        try HDF5Library.locked {
            precondition(spec.dims.count == spec.maxDims.count && spec.dims.count == spec.chunk.count,
                         "HDF5DatasetSpec: rank mismatch")
            let dims = spec.dims.map { hsize_t($0) }
            let maxDims = spec.maxDims.map { $0.map { hsize_t($0) } ?? cch5_s_unlimited() }
            let space = try HDF5Handle(H5Screate_simple(Int32(dims.count), dims, maxDims),
                                       "create the dataspace of \(name)", file: path)
            let dcpl = try HDF5Handle(H5Pcreate(cch5_p_dataset_create()), "create a dataset property list", file: path)
            // No modification times in object headers: the same input gives the same bytes.
            try HDF5Library.check(H5Pset_obj_track_times(dcpl.id, false), "turn off time tracking on \(name)", file: path)
            let chunk = spec.chunk.map { hsize_t($0) }
            try HDF5Library.check(H5Pset_chunk(dcpl.id, Int32(chunk.count), chunk), "set the chunk shape of \(name)", file: path)
            if spec.shuffle {
                try HDF5Library.check(H5Pset_shuffle(dcpl.id), "enable the shuffle filter on \(name)", file: path)
            }
            if let level = spec.deflateLevel {
                try HDF5Library.check(H5Pset_deflate(dcpl.id, UInt32(level)), "enable deflate on \(name)", file: path)
            }
            let type = try Self.fileType(spec.element, file: path)
            if let fill = spec.fill, case .numeric(let n) = spec.element {
                try Self.withScalarBytes(fill, n) { pointer in
                    try HDF5Library.check(H5Pset_fill_value(dcpl.id, n.memoryType, pointer),
                                          "set the fill value of \(name)", file: path)
                }
            }
            // Parent groups ("instances/…") made here rather than as HDF5's intermediate groups,
            // which would carry modification times.
            var parent = ""
            for component in name.split(separator: "/").dropLast() {
                parent += parent.isEmpty ? String(component) : "/" + component
                if H5Lexists(id, parent, cch5_p_default()) <= 0 { try createGroupLocked(parent) }
            }
            let d = H5Dcreate2(id, name, type.id, space.id, cch5_p_default(), dcpl.id, cch5_p_default())
            return HDF5Dataset(file: self, name: name, handle: try HDF5Handle(d, "create dataset \(name)", file: path))
        }
    }

    /// Opens an existing dataset.
    func openDataset(_ name: String) throws -> HDF5Dataset {
        IsolatedCheck.trace("dataset \(name)")
        return try HDF5Library.locked {
            let d = H5Dopen2(id, name, cch5_p_default())
            guard d >= 0 else {
                throw ConversionError(.malformedInput, "dataset '\(name)' is missing or unreadable",
                                      context: ErrorContext(file: path, field: name))
            }
            return HDF5Dataset(file: self, name: name, handle: try HDF5Handle(d, "open dataset \(name)", file: path))
        }
    }

    // MARK: Helpers (call under the lock)

    fileprivate static func stringType(file: String?) throws -> HDF5Handle {
        let t = try HDF5Handle(H5Tcopy(cch5_c_s1()), "copy the string type", file: file)
        try HDF5Library.check(H5Tset_size(t.id, cch5_variable()), "make a variable-length string type", file: file)
        try HDF5Library.check(H5Tset_cset(t.id, H5T_CSET_UTF8), "make a UTF-8 string type", file: file)
        return t
    }

    fileprivate static func bytesType(file: String?) throws -> HDF5Handle {
        try HDF5Handle(H5Tvlen_create(cch5_native_uint8()), "make a variable-length byte type", file: file)
    }

    fileprivate static func fileType(_ element: HDF5Element, file: String?) throws -> HDF5Handle {
        switch element {
        case .numeric(let n): return try HDF5Handle(H5Tcopy(n.fileType), "copy a numeric type", file: file)
        case .string: return try stringType(file: file)
        case .bytes: return try bytesType(file: file)
        }
    }

    fileprivate static func withScalarBytes(_ value: Double, _ type: HDF5Numeric,
                                            _ body: (UnsafeRawPointer) throws -> Void) throws {
        switch type {
        case .uint8: var v = UInt8(clamping: Int64(value)); try body(&v)
        case .uint16: var v = UInt16(clamping: Int64(value)); try body(&v)
        case .uint32: var v = UInt32(clamping: Int64(value)); try body(&v)
        case .int32: var v = Int32(clamping: Int64(value)); try body(&v)
        case .int64: var v = Int64(value); try body(&v)
        case .float64: var v = value; try body(&v)
        }
    }

    fileprivate static func string(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension HDF5Handle {
    /// Drops the handle without releasing its id (the id was closed by a type-specific close call).
    consuming func forget() {
        discard self
    }
}

// MARK: - Datasets

/// An open dataset of a file. Keeps its file open while it lives.
final class HDF5Dataset {
    let file: HDF5File
    let name: String
    private let handle: HDF5Handle

    fileprivate init(file: HDF5File, name: String, handle: consuming HDF5Handle) {
        self.file = file
        self.name = name
        self.handle = consume handle
    }

    private var id: hid_t { handle.id }
    private var path: String { file.path }

    /// Current extent.
    func dims() throws -> [Int] {
        try HDF5Library.locked {
            let space = try HDF5Handle(H5Dget_space(id), "read the shape of \(name)", file: path, field: name)
            return try Self.extent(space.id, name: name, file: path)
        }
    }

    /// Changes the extent (within the maximum given at creation).
    func setExtent(_ dims: [Int]) throws {
        try HDF5Library.locked {
            let d = dims.map { hsize_t($0) }
            try HDF5Library.check(H5Dset_extent(id, d), "resize \(name) to \(dims)", file: path, field: name)
        }
    }

    /// The element type as stored.
    func typeInfo() throws -> HDF5TypeInfo {
        try HDF5Library.locked {
            let t = try HDF5Handle(H5Dget_type(id), "read the type of \(name)", file: path, field: name)
            let size = H5Tget_size(t.id)
            switch H5Tget_class(t.id) {
            case H5T_INTEGER:
                return HDF5TypeInfo(kind: .integer, size: size, signed: H5Tget_sign(t.id) == H5T_SGN_2, base: nil)
            case H5T_FLOAT:
                return HDF5TypeInfo(kind: .float, size: size, signed: true, base: nil)
            case H5T_STRING:
                return HDF5TypeInfo(kind: .string, size: size, signed: false, base: nil)
            case H5T_VLEN:
                let base = try HDF5Handle(H5Tget_super(t.id), "read the base type of \(name)", file: path, field: name)
                let isU8 = H5Tget_class(base.id) == H5T_INTEGER && H5Tget_size(base.id) == 1
                return HDF5TypeInfo(kind: .vlen, size: isU8 ? size : 0, signed: false, base: isU8 ? .uint8 : nil)
            default:
                return HDF5TypeInfo(kind: .other, size: size, signed: false, base: nil)
            }
        }
    }

    /// Chunk shape, or `nil` when the dataset is not chunked.
    func chunkDims() throws -> [Int]? {
        try HDF5Library.locked {
            let dcpl = try HDF5Handle(H5Dget_create_plist(id), "read the creation settings of \(name)", file: path)
            guard H5Pget_layout(dcpl.id) == H5D_CHUNKED else { return nil }
            var dims = [hsize_t](repeating: 0, count: 32)
            let rank = H5Pget_chunk(dcpl.id, 32, &dims)
            guard rank > 0 else { return nil }
            return dims.prefix(Int(rank)).map { Int(clamping: $0) }
        }
    }

    /// The filter pipeline, in application order.
    func filters() throws -> [HDF5FilterInfo] {
        try HDF5Library.locked {
            let dcpl = try HDF5Handle(H5Dget_create_plist(id), "read the creation settings of \(name)", file: path)
            let n = H5Pget_nfilters(dcpl.id)
            guard n > 0 else { return [] }
            var out: [HDF5FilterInfo] = []
            for i in 0..<UInt32(n) {
                var flags: UInt32 = 0
                var count = 8
                var values = [UInt32](repeating: 0, count: 8)
                var buffer = [CChar](repeating: 0, count: 64)
                var config: UInt32 = 0
                let filter = H5Pget_filter2(dcpl.id, i, &flags, &count, &values, buffer.count, &buffer, &config)
                let fallback = filter == H5Z_FILTER_DEFLATE ? "deflate" : filter == H5Z_FILTER_SHUFFLE ? "shuffle" : "filter \(filter)"
                let name = HDF5File.string(buffer)
                out.append(HDF5FilterInfo(name: name.isEmpty ? fallback : name,
                                          parameters: Array(values.prefix(min(count, 8)))))
            }
            return out
        }
    }

    /// Bytes the dataset's data occupies in the file.
    func storageSize() -> Int64 {
        HDF5Library.locked { Int64(clamping: H5Dget_storage_size(id)) }
    }

    // MARK: Writing

    /// Writes `values` into rows `row ..< row + values.count / rowElements` of a dataset whose rows
    /// have `rowElements` elements. The extent must already cover the rows.
    func write<T: HDF5Scalar>(_ values: [T], atRow row: Int, rowShape: [Int] = []) throws {
        let rowElements = rowShape.reduce(1, *)
        precondition(rowElements > 0 && values.count % rowElements == 0, "HDF5Dataset.write: ragged rows")
        let rows = values.count / rowElements
        guard rows > 0 else { return }
        try HDF5Library.locked {
            try withRowSelection(row: row, rows: rows, rowShape: rowShape) { memSpace, fileSpace in
                let status = values.withUnsafeBytes {
                    H5Dwrite(id, T.hdf5.memoryType, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status, "write rows \(row)..<\(row + rows) of \(name)", file: path, field: name)
            }
        }
    }

    /// Writes variable-length UTF-8 strings into rows `row ..< row + strings.count` of a 1-D dataset.
    func write(strings: [String], atRow row: Int) throws {
        guard !strings.isEmpty else { return }
        // One NUL-terminated buffer for all strings, and pointers into it.
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        offsets.reserveCapacity(strings.count)
        for s in strings {
            offsets.append(bytes.count)
            bytes.append(contentsOf: s.utf8)
            bytes.append(0)
        }
        try HDF5Library.locked {
            let memType = try HDF5File.stringType(file: path)
            try withRowSelection(row: row, rows: strings.count, rowShape: []) { memSpace, fileSpace in
                try bytes.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    let pointers: [UnsafePointer<UInt8>?] = offsets.map { base + $0 }
                    let status = pointers.withUnsafeBufferPointer {
                        H5Dwrite(id, memType.id, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                    }
                    try HDF5Library.check(status, "write strings to \(name)", file: path, field: name)
                }
            }
        }
    }

    /// Writes variable-length byte sequences into rows `row ..< row + items.count` of a 1-D dataset.
    func write(byteArrays items: [[UInt8]], atRow row: Int) throws {
        guard !items.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.reduce(0) { $0 + $1.count })
        var offsets: [Int] = []
        for item in items {
            offsets.append(bytes.count)
            bytes.append(contentsOf: item)
        }
        try HDF5Library.locked {
            let memType = try HDF5File.bytesType(file: path)
            try withRowSelection(row: row, rows: items.count, rowShape: []) { memSpace, fileSpace in
                try bytes.withUnsafeBufferPointer { buffer in
                    // An empty buffer has no base address; zero-length sequences need none.
                    let base = UnsafeMutableRawPointer(mutating: buffer.baseAddress)
                    let descriptors: [hvl_t] = zip(offsets, items).map { offset, item in
                        hvl_t(len: item.count, p: item.isEmpty ? nil : base.map { $0 + offset })
                    }
                    let status = descriptors.withUnsafeBufferPointer {
                        H5Dwrite(id, memType.id, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                    }
                    try HDF5Library.check(status, "write byte sequences to \(name)", file: path, field: name)
                }
            }
        }
    }

    /// Writes one already-filtered chunk at the element offset `offset` (a multiple of the chunk shape).
    /// `filterMask` bit i set means filter i of the pipeline was *not* applied to `data`.
    func writeChunk(_ data: [UInt8], at offset: [Int], filterMask: UInt32) throws {
        try HDF5Library.locked {
            let o = offset.map { hsize_t($0) }
            let status = data.withUnsafeBytes {
                H5Dwrite_chunk(id, cch5_p_default(), filterMask, o, $0.count, $0.baseAddress)
            }
            try HDF5Library.check(status, "write the chunk at \(offset) of \(name)", file: path, field: name)
        }
    }

    // MARK: Reading

    /// Reads rows `row ..< row + rows` (each of `rowShape` elements), converting to `T`.
    func read<T: HDF5Scalar>(_: T.Type, rows: Range<Int>, rowShape: [Int] = []) throws -> [T] {
        IsolatedCheck.trace("dataset \(name) rows \(rows)")
        let rowElements = rowShape.reduce(1, *)
        guard !rows.isEmpty, rowElements > 0 else { return [] }
        var out = [T](repeating: T(), count: rows.count * rowElements)
        try HDF5Library.locked {
            try withRowSelection(row: rows.lowerBound, rows: rows.count, rowShape: rowShape) { memSpace, fileSpace in
                let status = out.withUnsafeMutableBytes {
                    H5Dread(id, T.hdf5.memoryType, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status, "read rows \(rows) of \(name)", file: path, field: name)
            }
        }
        return out
    }

    /// Reads the block starting at `start` with extent `count` (row-major), converting to `T`.
    func read<T: HDF5Scalar>(_: T.Type, start: [Int], count: [Int]) throws -> [T] {
        IsolatedCheck.trace("dataset \(name) at \(start)+\(count)")
        let total = count.reduce(1, *)
        guard total > 0 else { return [] }
        var out = [T](repeating: T(), count: total)
        try HDF5Library.locked {
            let s = start.map { hsize_t($0) }, c = count.map { hsize_t($0) }
            let fileSpace = try HDF5Handle(H5Dget_space(id), "read the shape of \(name)", file: path, field: name)
            try HDF5Library.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, s, nil, c, nil),
                                  "select \(start)+\(count) in \(name)", file: path, field: name)
            let memSpace = try HDF5Handle(H5Screate_simple(Int32(c.count), c, nil), "create a dataspace", file: path)
            let status = out.withUnsafeMutableBytes {
                H5Dread(id, T.hdf5.memoryType, memSpace.id, fileSpace.id, cch5_p_default(), $0.baseAddress)
            }
            try HDF5Library.check(status, "read \(start)+\(count) of \(name)", file: path, field: name)
        }
        return out
    }

    /// Reads rows of a 1-D variable-length string dataset.
    func readStrings(rows: Range<Int>) throws -> [String] {
        IsolatedCheck.trace("dataset \(name) rows \(rows)")
        guard !rows.isEmpty else { return [] }
        return try HDF5Library.locked {
            let memType = try HDF5File.stringType(file: path)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: rows.count)
            var out: [String] = []
            try withRowSelection(row: rows.lowerBound, rows: rows.count, rowShape: []) { memSpace, fileSpace in
                let status = pointers.withUnsafeMutableBufferPointer {
                    H5Dread(id, memType.id, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status, "read strings \(rows) of \(name)", file: path, field: name)
                out = pointers.map { $0.map { String(cString: $0) } ?? "" }
                _ = pointers.withUnsafeMutableBufferPointer { cch5_vlen_reclaim(memType.id, memSpace, $0.baseAddress) }
            }
            return out
        }
    }

    /// Reads rows of a 1-D variable-length byte dataset; `maxBytes` bounds one element.
    func readByteArrays(rows: Range<Int>, maxBytes: Int) throws -> [[UInt8]] {
        IsolatedCheck.trace("dataset \(name) rows \(rows)")
        guard !rows.isEmpty else { return [] }
        return try HDF5Library.locked {
            let memType = try HDF5File.bytesType(file: path)
            var descriptors = [hvl_t](repeating: hvl_t(len: 0, p: nil), count: rows.count)
            var out: [[UInt8]] = []
            try withRowSelection(row: rows.lowerBound, rows: rows.count, rowShape: []) { memSpace, fileSpace in
                let status = descriptors.withUnsafeMutableBufferPointer {
                    H5Dread(id, memType.id, memSpace, fileSpace, cch5_p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status, "read byte sequences \(rows) of \(name)", file: path, field: name)
                defer { _ = descriptors.withUnsafeMutableBufferPointer { cch5_vlen_reclaim(memType.id, memSpace, $0.baseAddress) } }
                for (i, d) in descriptors.enumerated() {
                    guard d.len <= maxBytes else {
                        throw ConversionError(.limitExceeded, "element \(rows.lowerBound + i) of \(name) holds \(d.len) bytes, more than the limit \(maxBytes)",
                                              context: ErrorContext(file: path, field: name))
                    }
                    if d.len == 0 || d.p == nil {
                        out.append([])
                    } else if let p = d.p {
                        out.append(Array(UnsafeRawBufferPointer(start: p, count: d.len)))
                    }
                }
            }
            return out
        }
    }

    // MARK: Helpers (call under the lock)

    /// Selects rows `row ..< row + rows` of the file dataspace and makes a matching memory dataspace.
    private func withRowSelection(row: Int, rows: Int, rowShape: [Int],
                                  _ body: (_ memSpace: hid_t, _ fileSpace: hid_t) throws -> Void) throws {
        let start = [hsize_t(row)] + rowShape.map { _ in 0 }
        let count = [hsize_t(rows)] + rowShape.map { hsize_t($0) }
        let fileSpace = try HDF5Handle(H5Dget_space(id), "read the shape of \(name)", file: path, field: name)
        let extent = try Self.extent(fileSpace.id, name: name, file: path)
        guard extent.count == count.count, let rowsInFile = extent.first, row >= 0, row + rows <= rowsInFile,
              zip(extent.dropFirst(), rowShape).allSatisfy({ $0 == $1 }) else {
            throw ConversionError(.malformedInput, "\(name) has shape \(extent); rows \(row)..<\(row + rows) of shape \(rowShape) do not fit",
                                  context: ErrorContext(file: path, field: name))
        }
        try HDF5Library.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil),
                              "select rows of \(name)", file: path, field: name)
        let memSpace = try HDF5Handle(H5Screate_simple(Int32(count.count), count, nil), "create a dataspace", file: path)
        try body(memSpace.id, fileSpace.id)
    }

    private static func extent(_ space: hid_t, name: String, file: String) throws -> [Int] {
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0, rank <= 32 else {
            throw ConversionError(.malformedInput, "\(name) has an unreadable shape", context: ErrorContext(file: file, field: name))
        }
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        _ = H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int(clamping: $0) }
    }
}

// MARK: - Deflate (HDF5's gzip filter format)

/// zlib compression of one chunk, in the format of HDF5's deflate filter.
enum HDF5Deflate {
    /// Compresses `data` with zlib at `level` (1...9); `nil` if zlib fails or the result would not
    /// be smaller than the input.
    static func compress(_ data: [UInt8], level: Int) -> [UInt8]? {
        let bound = cch5_deflate_bound(data.count)
        let strategy = cch5_z_default_strategy()
        // zlib writes the first `count` bytes; nothing else of the buffer is ever read.
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = data.withUnsafeBytes { src in
                cch5_deflate(src.baseAddress, src.count, buffer.baseAddress, buffer.count, Int32(level), strategy)
            }
        }
        guard !out.isEmpty, out.count < data.count else { return nil }
        // A fresh array of the exact size: `out` keeps the capacity of the worst case.
        return [UInt8](unsafeUninitializedCapacity: out.count) { buffer, count in
            count = out.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
    }
}

/// zlib's CRC-32 (the gzip/PNG polynomial), for the shard seal.
enum ZlibCRC32 {
    /// Continues `crc` over `bytes` (start with 0).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = UInt(crc)
        var rest = bytes
        while !rest.isEmpty {
            let n = min(rest.count, 1 << 30)
            c = crc32(c, rest.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(n))
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        return UInt32(truncatingIfNeeded: c)
    }
}
