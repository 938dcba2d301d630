#ifndef CPNGSHIM_H
#define CPNGSHIM_H

// The C side of cococonvert's PNG codec.
//
// Why this target exists: libpng reports every error by calling an error callback that must not
// return; the only way out is longjmp to a setjmp made earlier. A longjmp across a Swift frame is
// undefined behaviour, so every libpng call sequence (create -> configure -> read/write -> destroy)
// lives in one C function here, behind its own setjmp, and I/O goes through C callbacks over memory
// buffers. Swift sees plain functions that return 0 on success and -1 with a message on failure.
// This header deliberately does not include <png.h>: Swift needs none of libpng's types.
//
// It could be removed only if libpng grew an error-code API without longjmp (it has not, as of 1.6).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Colour types, numerically equal to the PNG IHDR colour type.
enum {
    CCPNG_COLOR_GRAY = 0,
    CCPNG_COLOR_RGB = 2,
    CCPNG_COLOR_PALETTE = 3,
    CCPNG_COLOR_GRAY_ALPHA = 4,
    CCPNG_COLOR_RGBA = 6
};

/// Row filters, numerically equal to libpng's PNG_FILTER_* masks (may be OR-ed: libpng then picks
/// per row by its minimum-sum-of-absolute-differences heuristic).
enum {
    CCPNG_FILTER_NONE = 0x08,
    CCPNG_FILTER_SUB = 0x10,
    CCPNG_FILTER_UP = 0x20,
    CCPNG_FILTER_AVG = 0x40,
    CCPNG_FILTER_PAETH = 0x80
};

/// zlib strategies, numerically equal to zlib's Z_* constants.
enum {
    CCPNG_STRATEGY_DEFAULT = 0,
    CCPNG_STRATEGY_FILTERED = 1,
    CCPNG_STRATEGY_HUFFMAN_ONLY = 2,
    CCPNG_STRATEGY_RLE = 3
};

/// What to write.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 8 or 16 (16 only for gray).
    int bit_depth;
    /// CCPNG_COLOR_GRAY, CCPNG_COLOR_PALETTE (8-bit only) or CCPNG_COLOR_RGB (8-bit only).
    int color_type;
    /// Bytes per input sample: 1 (uint8) or 2 (host-order uint16). With 2 and bit_depth 8 every
    /// sample must be <= 255 (the caller checks); values are narrowed row by row.
    int input_sample_bytes;
    /// zlib level 0...9.
    int compression_level;
    /// One of CCPNG_STRATEGY_*.
    int strategy;
    /// OR of CCPNG_FILTER_*.
    int filters;
    /// Palette as r,g,b triples (color_type PALETTE only), 1...256 entries.
    const uint8_t *palette_rgb;
    int palette_count;
} ccpng_encode_params;

/// A growable output buffer owned by the shim (malloc/realloc); free it with ccpng_buffer_free.
typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} ccpng_buffer;

/// What a PNG header says, and what the decoder will deliver.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// The file's bit depth (1, 2, 4, 8, 16).
    int file_bit_depth;
    /// Bit depth of decoded samples: 8 or 16.
    int bit_depth;
    /// CCPNG_COLOR_*.
    int color_type;
    /// Samples per pixel: 1 (gray, palette), 2 (gray+alpha), 3 (rgb), 4 (rgba).
    int channels;
    /// Adam7 interlaced.
    int interlaced;
    /// Palette entries (0 when the image has no PLTE chunk).
    int palette_count;
    uint8_t palette_rgb[768];
} ccpng_info;

/// Encodes `pixels` (row-major, rows of width*channels samples, `row_stride` bytes apart) into `out`.
/// Returns 0, or -1 with a NUL-terminated message in `err`. `out` is valid (possibly empty) either
/// way and must be freed with ccpng_buffer_free.
/// C because: every libpng write call may longjmp (png_create_write_struct ... png_write_end).
int ccpng_encode(const ccpng_encode_params *params, const void *pixels, size_t row_stride,
                 ccpng_buffer *out, char *err, size_t err_len);

/// Writes a PNG whose image data is already a complete zlib stream (`zdata`, `zsize` bytes: the
/// filtered scanlines of the image described by `params`, compressed by the caller; cococonvert's
/// label-map deflate encoder). libpng writes the signature, IHDR and PLTE as in ccpng_encode, the
/// stream goes out as IDAT chunks of at most 64 KiB through png_write_chunk, then IEND.
/// Only width, height, bit_depth, color_type and the palette of `params` are used.
/// Returns 0, or -1 with a message in `err`; `out` must be freed with ccpng_buffer_free either way.
/// C because: png_write_info and png_write_chunk longjmp on error. The zlib stream is not
/// checked here; the caller must hand in one that inflates to exactly the image's scanlines.
int ccpng_write_precompressed(const ccpng_encode_params *params, const uint8_t *zdata, size_t zsize,
                              ccpng_buffer *out, char *err, size_t err_len);

/// Frees the memory of a buffer filled by ccpng_encode or ccpng_write_precompressed and resets it to empty.
/// C because: the buffer was allocated with the C allocator by the write callback.
void ccpng_buffer_free(ccpng_buffer *buffer);

/// Reads the signature and the chunks before the first IDAT and fills `info`.
/// Returns 0, or -1 with a message in `err`.
/// C because: png_read_info longjmps on a bad signature, CRC or header.
int ccpng_read_info(const uint8_t *data, size_t size, ccpng_info *info, char *err, size_t err_len);

/// Decodes the whole image into `out`, `width * height * channels` uint16 samples, row-major,
/// channels interleaved, values in host order. Palette images deliver indices (no expansion), gray
/// images below 8 bits are scaled to 8 bits (libpng's expand_gray_1_2_4_to_8), nothing else is
/// transformed (tRNS stays a chunk, alpha stays a channel). `out_count` is the number of uint16
/// the caller allocated; it must be exactly the size above for the header ccpng_read_info reported.
/// `max_width`/`max_height` are passed to png_set_user_limits as a second guard.
/// Returns 0, or -1 with a message in `err`.
/// C because: png_read_row and friends longjmp on corrupt or truncated data.
int ccpng_decode(const uint8_t *data, size_t size, uint32_t max_width, uint32_t max_height,
                 uint16_t *out, size_t out_count, char *err, size_t err_len);

/// libpng's version number (e.g. 10639), for diagnostics.
/// C because: keeps Swift from importing libpng at all.
int ccpng_version_number(void);

#ifdef __cplusplus
}
#endif

#endif
