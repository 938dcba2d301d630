// The system HDF5 headers plus static inline accessors for values Swift cannot import.
//
// HDF5 spells its predefined types, property-list classes and flags as macros that expand to
// `(H5OPEN H5T_NATIVE_UINT8_g)`-style expressions (a call to H5open() followed by a global),
// or to casts such as `((size_t)(-1))`. The Swift importer only imports macros that are plain
// literals, so each value we use gets one `cch5_` function below. They could be dropped only if
// HDF5 ever exported these as `static const` values (it does not, up to 1.14).
//
// zlib is included because HDF5's deflate filter is zlib: cococonvert compresses label chunks
// with `compress2` on worker threads and hands finished chunks to H5Dwrite_chunk.
//
// Only Sources/CocoConvertHDF5/LibHDF5.swift imports this module.
#include <hdf5.h>
#include <zlib.h>

// --- predefined datatypes: macros over H5OPEN + a global id (H5Tpublic.h) ---

/// H5T_NATIVE_UINT8: macro `(H5OPEN H5T_NATIVE_UINT8_g)`.
static inline hid_t cch5_native_uint8(void) { return H5T_NATIVE_UINT8; }
/// H5T_NATIVE_UINT16: macro `(H5OPEN H5T_NATIVE_UINT16_g)`.
static inline hid_t cch5_native_uint16(void) { return H5T_NATIVE_UINT16; }
/// H5T_NATIVE_UINT32: macro `(H5OPEN H5T_NATIVE_UINT32_g)`.
static inline hid_t cch5_native_uint32(void) { return H5T_NATIVE_UINT32; }
/// H5T_NATIVE_UINT64: macro `(H5OPEN H5T_NATIVE_UINT64_g)`.
static inline hid_t cch5_native_uint64(void) { return H5T_NATIVE_UINT64; }
/// H5T_NATIVE_INT32: macro `(H5OPEN H5T_NATIVE_INT32_g)`.
static inline hid_t cch5_native_int32(void) { return H5T_NATIVE_INT32; }
/// H5T_NATIVE_INT64: macro `(H5OPEN H5T_NATIVE_INT64_g)`.
static inline hid_t cch5_native_int64(void) { return H5T_NATIVE_INT64; }
/// H5T_NATIVE_DOUBLE: macro `(H5OPEN H5T_NATIVE_DOUBLE_g)`.
static inline hid_t cch5_native_double(void) { return H5T_NATIVE_DOUBLE; }
/// H5T_STD_U8LE: macro; the file type of labels and flags (little-endian on disk, whatever the host).
static inline hid_t cch5_std_u8le(void) { return H5T_STD_U8LE; }
/// H5T_STD_U16LE: macro; the file type of 16-bit labels.
static inline hid_t cch5_std_u16le(void) { return H5T_STD_U16LE; }
/// H5T_STD_U32LE: macro; unsigned 32-bit integers on disk.
static inline hid_t cch5_std_u32le(void) { return H5T_STD_U32LE; }
/// H5T_STD_I32LE: macro; the file type of heights, widths and mask sizes.
static inline hid_t cch5_std_i32le(void) { return H5T_STD_I32LE; }
/// H5T_STD_I64LE: macro; the file type of ids and indices.
static inline hid_t cch5_std_i64le(void) { return H5T_STD_I64LE; }
/// H5T_IEEE_F64LE: macro; the file type of boxes, areas and scores.
static inline hid_t cch5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
/// H5T_C_S1: macro `(H5OPEN H5T_C_S1_g)`; the base of our variable-length strings.
static inline hid_t cch5_c_s1(void) { return H5T_C_S1; }
/// H5T_VARIABLE: macro `((size_t)(-1))`, a cast the importer skips.
static inline size_t cch5_variable(void) { return H5T_VARIABLE; }

// --- property lists and defaults ---

/// H5P_DEFAULT: macro `0 /* (hid_t) */`; imported as Int32, so give it the hid_t type.
static inline hid_t cch5_p_default(void) { return H5P_DEFAULT; }
/// H5P_FILE_ACCESS: macro `(H5OPEN H5P_CLS_FILE_ACCESS_ID_g)`.
static inline hid_t cch5_p_file_access(void) { return H5P_FILE_ACCESS; }
/// H5P_FILE_CREATE: macro `(H5OPEN H5P_CLS_FILE_CREATE_ID_g)`.
static inline hid_t cch5_p_file_create(void) { return H5P_FILE_CREATE; }
/// H5P_DATASET_CREATE: macro `(H5OPEN H5P_CLS_DATASET_CREATE_ID_g)`.
static inline hid_t cch5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t cch5_p_group_create(void) { return H5P_GROUP_CREATE; }
/// H5P_DATASET_ACCESS: macro `(H5OPEN H5P_CLS_DATASET_ACCESS_ID_g)`.
static inline hid_t cch5_p_dataset_access(void) { return H5P_DATASET_ACCESS; }
/// H5P_LINK_CREATE: macro `(H5OPEN H5P_CLS_LINK_CREATE_ID_g)`.
/// H5S_ALL: macro `(hid_t)0`, a cast the importer skips.
static inline hid_t cch5_s_all(void) { return H5S_ALL; }
/// H5S_UNLIMITED: macro `HSIZE_UNDEF` (`(hsize_t)(hssize_t)(-1)`), a cast the importer skips.
static inline hsize_t cch5_s_unlimited(void) { return H5S_UNLIMITED; }
/// H5E_DEFAULT: macro `0 /* (hid_t) */`; imported as Int32, so give it the hid_t type.
static inline hid_t cch5_e_default(void) { return H5E_DEFAULT; }

// --- file access flags: macros `(H5CHECK H5OPEN 0x000Nu)` (H5Fpublic.h) ---

/// H5F_ACC_RDONLY.
static inline unsigned cch5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
/// H5F_ACC_RDWR.
static inline unsigned cch5_f_acc_rdwr(void) { return H5F_ACC_RDWR; }
/// H5F_ACC_TRUNC.
static inline unsigned cch5_f_acc_trunc(void) { return H5F_ACC_TRUNC; }
/// H5F_ACC_EXCL.
static inline unsigned cch5_f_acc_excl(void) { return H5F_ACC_EXCL; }

// --- functions whose name or availability depends on the library version ---

/// H5Dvlen_reclaim (1.10) / H5Treclaim (1.12+): frees the buffers HDF5 allocated while reading
/// variable-length data. H5Dvlen_reclaim is deprecated from 1.12 and absent when the library is
/// built without deprecated symbols, so pick by version here; removable once 1.10 is not supported.
static inline herr_t cch5_vlen_reclaim(hid_t type_id, hid_t space_id, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type_id, space_id, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type_id, space_id, H5P_DEFAULT, buf);
#endif
}

/// deflateInit2 + deflate + deflateEnd (zlib): deflates `src` into `dst` as a zlib stream (the format
/// of HDF5's deflate filter) with `level` and `strategy` (Z_DEFAULT_STRATEGY or Z_RLE). A shim because
/// deflateInit2 is a macro over deflateInit2_ with the library version and the z_stream size.
/// Returns the compressed size, or 0 on failure or when `dst` is too small.
static inline size_t cch5_deflate(const void *src, size_t src_len, void *dst, size_t dst_cap, int level, int strategy) {
    if (src_len > 0xFFFFFFFFu || dst_cap > 0xFFFFFFFFu) return 0;
    z_stream s = {0};
    if (deflateInit2(&s, level, Z_DEFLATED, 15, 8, strategy) != Z_OK) return 0;
    s.next_in = (Bytef *)src;
    s.avail_in = (uInt)src_len;
    s.next_out = (Bytef *)dst;
    s.avail_out = (uInt)dst_cap;
    int result = deflate(&s, Z_FINISH);
    size_t written = (size_t)s.total_out;
    deflateEnd(&s);
    return result == Z_STREAM_END ? written : 0;
}

/// Z_RLE: zlib's run-length strategy (matches of distance 1 only); a plain constant, named here so
/// Swift code need not know zlib's numbering.
/// Z_DEFAULT_STRATEGY.
static inline int cch5_z_default_strategy(void) { return Z_DEFAULT_STRATEGY; }

/// compressBound (zlib): the largest compressed size for `len` input bytes.
static inline size_t cch5_deflate_bound(size_t len) { return (size_t)compressBound((uLong)len); }
