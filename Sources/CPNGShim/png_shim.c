// libpng call sequences for cococonvert, each behind its own setjmp (see CPNGShim.h for why).
//
// Rules kept here:
// - no Swift callback is ever called between a setjmp and a possible longjmp: all I/O callbacks
//   are C functions over memory buffers;
// - every local that is assigned after setjmp and used after a longjmp is `volatile`;
// - libpng's messages are copied into the caller's buffer; warnings are dropped.

#include "CPNGShim.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Errors

/// Where the error callback puts libpng's message.
typedef struct {
    char *buffer;
    size_t length;
} ccpng_error_sink;

static void ccpng_copy_message(char *buffer, size_t length, const char *message) {
    if (buffer == NULL || length == 0) return;
    if (message == NULL) message = "unknown libpng error";
    size_t n = strlen(message);
    if (n >= length) n = length - 1;
    memcpy(buffer, message, n);
    buffer[n] = '\0';
}

/// libpng error callback: records the message and leaves through the setjmp of the running shim
/// function. C because: it must longjmp, and it must never return to libpng.
static void ccpng_error_fn(png_structp png, png_const_charp message) {
    ccpng_error_sink *sink = (ccpng_error_sink *)png_get_error_ptr(png);
    if (sink != NULL) ccpng_copy_message(sink->buffer, sink->length, message);
    png_longjmp(png, 1);
}

/// libpng warning callback: warnings (unknown chunks, bad ancillary CRCs) are not errors for us.
static void ccpng_warning_fn(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

// MARK: - Memory I/O

/// Read cursor over the caller's bytes.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} ccpng_reader;

/// libpng read callback over memory. C because: it calls png_error (longjmp) on truncation.
static void ccpng_read_fn(png_structp png, png_bytep out, png_size_t length) {
    ccpng_reader *reader = (ccpng_reader *)png_get_io_ptr(png);
    if (reader == NULL || length > reader->size - reader->offset) {
        png_error(png, "PNG data ends early (truncated file)");
    }
    memcpy(out, reader->data + reader->offset, length);
    reader->offset += length;
}

/// libpng write callback: appends to a buffer that grows by doubling. C because: it calls
/// png_error (longjmp) when memory runs out.
static void ccpng_write_fn(png_structp png, png_bytep data, png_size_t length) {
    ccpng_buffer *buffer = (ccpng_buffer *)png_get_io_ptr(png);
    if (length > SIZE_MAX - buffer->size) png_error(png, "PNG output too large");
    size_t needed = buffer->size + length;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
        while (capacity < needed) {
            if (capacity > SIZE_MAX / 2) { capacity = needed; break; }
            capacity *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(buffer->data, capacity);
        if (grown == NULL) png_error(png, "out of memory while writing PNG");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, data, length);
    buffer->size = needed;
}

static void ccpng_flush_fn(png_structp png) {
    (void)png;
}

/// Whether `params` describe an image the encoders write (size, colour type / depth, palette);
/// otherwise a message in `err`.
static int ccpng_check_header(const ccpng_encode_params *params, char *err, size_t err_len) {
    const int color = params->color_type;
    const int depth = params->bit_depth;
    if (params->width == 0 || params->height == 0 || params->width > 0x7fffffffu || params->height > 0x7fffffffu) {
        ccpng_copy_message(err, err_len, "image width and height must be 1...2^31-1");
        return 0;
    }
    if (!((color == CCPNG_COLOR_GRAY && (depth == 8 || depth == 16)) ||
          (color == CCPNG_COLOR_PALETTE && depth == 8) ||
          (color == CCPNG_COLOR_RGB && depth == 8))) {
        ccpng_copy_message(err, err_len, "unsupported colour type / bit depth combination");
        return 0;
    }
    if (color == CCPNG_COLOR_PALETTE &&
        (params->palette_rgb == NULL || params->palette_count < 1 || params->palette_count > 256)) {
        ccpng_copy_message(err, err_len, "a palette image needs 1...256 palette entries");
        return 0;
    }
    return 1;
}

/// IHDR (no interlace, default compression and filter method) and, for palette images, PLTE from
/// `params`: the same header for rows encoded by libpng and for a precompressed stream.
static void ccpng_set_header(png_structp png, png_infop info, const ccpng_encode_params *params, int depth, int color) {
    png_set_IHDR(png, info, params->width, params->height, depth, color, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color == CCPNG_COLOR_PALETTE) {
        png_color entries[256];
        for (int i = 0; i < params->palette_count; i++) {
            entries[i].red = params->palette_rgb[3 * i];
            entries[i].green = params->palette_rgb[3 * i + 1];
            entries[i].blue = params->palette_rgb[3 * i + 2];
        }
        png_set_PLTE(png, info, entries, params->palette_count);
    }
}

void ccpng_buffer_free(ccpng_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}

// MARK: - Encode

int ccpng_encode(const ccpng_encode_params *params, const void *pixels, size_t row_stride,
                 ccpng_buffer *out, char *err, size_t err_len) {
    if (params == NULL || pixels == NULL || out == NULL) {
        ccpng_copy_message(err, err_len, "ccpng_encode: missing argument");
        return -1;
    }
    const int color = params->color_type;
    const int depth = params->bit_depth;
    const int in_bytes = params->input_sample_bytes;
    if (!ccpng_check_header(params, err, err_len)) return -1;
    if (in_bytes != 1 && in_bytes != 2) {
        ccpng_copy_message(err, err_len, "input samples must be 1 or 2 bytes");
        return -1;
    }
    if (depth == 16 && in_bytes != 2) {
        ccpng_copy_message(err, err_len, "16-bit output needs 16-bit input samples");
        return -1;
    }
    const size_t channels = color == CCPNG_COLOR_RGB ? 3 : 1;
    const size_t samples_per_row = (size_t)params->width * channels;
    if (row_stride < samples_per_row * (size_t)in_bytes) {
        ccpng_copy_message(err, err_len, "row stride smaller than a row");
        return -1;
    }
    // Rows go to libpng as-is when they are already 8-bit samples; otherwise each row is converted
    // into this scratch row (narrowed to 8 bits, or made big-endian for 16-bit output).
    const int direct = (in_bytes == 1 && depth == 8);
    const size_t out_row_bytes = samples_per_row * (size_t)(depth / 8);
    uint8_t *scratch = NULL;
    if (!direct) {
        scratch = (uint8_t *)malloc(out_row_bytes);
        if (scratch == NULL) {
            ccpng_copy_message(err, err_len, "out of memory");
            return -1;
        }
    }

    ccpng_error_sink sink = { err, err_len };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, ccpng_error_fn, ccpng_warning_fn);
    if (png == NULL) {
        free(scratch);
        ccpng_copy_message(err, err_len, "png_create_write_struct failed");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        free(scratch);
        ccpng_copy_message(err, err_len, "png_create_info_struct failed");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(scratch);
        return -1;
    }

    png_set_write_fn(png, out, ccpng_write_fn, ccpng_flush_fn);
    ccpng_set_header(png, info, params, depth, color);
    png_set_compression_level(png, params->compression_level);
    png_set_compression_strategy(png, params->strategy);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, params->filters);
    png_write_info(png, info);

    const uint8_t *base = (const uint8_t *)pixels;
    for (uint32_t y = 0; y < params->height; y++) {
        const uint8_t *row = base + (size_t)y * row_stride;
        if (direct) {
            png_write_row(png, row);
            continue;
        }
        const uint16_t *wide = (const uint16_t *)(const void *)row;
        if (depth == 8) {
            uint16_t seen = 0;
            for (size_t i = 0; i < samples_per_row; i++) {
                seen |= wide[i];
                scratch[i] = (uint8_t)wide[i];
            }
            if (seen > 255) png_error(png, "a sample exceeds 255 in an 8-bit image");
        } else {
            for (size_t i = 0; i < samples_per_row; i++) {
                scratch[2 * i] = (uint8_t)(wide[i] >> 8);
                scratch[2 * i + 1] = (uint8_t)(wide[i] & 0xff);
            }
        }
        png_write_row(png, scratch);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(scratch);
    return 0;
}

// MARK: - Precompressed image data

/// Largest IDAT chunk written by ccpng_write_precompressed (64 KiB, like common encoders; any size up
/// to 2^31-1 is valid PNG, smaller chunks only cost 12 bytes each).
#define CCPNG_IDAT_CHUNK_MAX ((size_t)65536)

int ccpng_write_precompressed(const ccpng_encode_params *params, const uint8_t *zdata, size_t zsize,
                              ccpng_buffer *out, char *err, size_t err_len) {
    if (params == NULL || zdata == NULL || zsize == 0 || out == NULL) {
        ccpng_copy_message(err, err_len, "ccpng_write_precompressed: missing argument");
        return -1;
    }
    const int color = params->color_type;
    const int depth = params->bit_depth;
    if (!ccpng_check_header(params, err, err_len)) return -1;
    // Room for everything up front: signature, IHDR, PLTE, IDAT chunk framing, IEND.
    if (zsize > SIZE_MAX / 4) {
        ccpng_copy_message(err, err_len, "compressed image data too large");
        return -1;
    }
    const size_t chunks = zsize / CCPNG_IDAT_CHUNK_MAX + 1;  // cannot overflow below: zsize <= SIZE_MAX / 4
    const size_t reserve = zsize + 12 * chunks + 8 + 25 + (12 + 768) + 12;
    if (out->capacity < reserve) {
        uint8_t *grown = (uint8_t *)realloc(out->data, reserve);
        if (grown == NULL) {
            ccpng_copy_message(err, err_len, "out of memory");
            return -1;
        }
        out->data = grown;
        out->capacity = reserve;
    }

    ccpng_error_sink sink = { err, err_len };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, ccpng_error_fn, ccpng_warning_fn);
    if (png == NULL) {
        ccpng_copy_message(err, err_len, "png_create_write_struct failed");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        ccpng_copy_message(err, err_len, "png_create_info_struct failed");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }

    png_set_write_fn(png, out, ccpng_write_fn, ccpng_flush_fn);
    ccpng_set_header(png, info, params, depth, color);
    // Signature, IHDR and PLTE exactly as libpng writes them for ccpng_encode.
    png_write_info(png, info);
    // The zlib stream goes out through libpng's public chunk writer (which frames the chunk and
    // computes its CRC). png_write_end cannot follow: it insists on PNG_HAVE_IDAT, a mode bit only
    // libpng's own row writer sets, so IEND (an empty chunk) goes through the same public writer.
    for (size_t offset = 0; offset < zsize; offset += CCPNG_IDAT_CHUNK_MAX) {
        size_t length = zsize - offset < CCPNG_IDAT_CHUNK_MAX ? zsize - offset : CCPNG_IDAT_CHUNK_MAX;
        png_write_chunk(png, (png_const_bytep)"IDAT", zdata + offset, length);
    }
    png_write_chunk(png, (png_const_bytep)"IEND", NULL, 0);
    png_destroy_write_struct(&png, &info);
    return 0;
}

// MARK: - Decode

/// Channels per pixel of an IHDR colour type (palette: one index).
static int ccpng_channels_of(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return 1;
    case PNG_COLOR_TYPE_PALETTE: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return 0;
    }
}

/// Checks the signature and creates the read and info structs, with `sink` as the error sink.
/// Returns 0, or -1 with a message in the sink (nothing left allocated). No libpng call here can
/// longjmp: creation failures are reported by NULL returns.
static int ccpng_create_reader(const uint8_t *data, size_t size, ccpng_error_sink *sink,
                               png_structp *png_out, png_infop *info_out) {
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        ccpng_copy_message(sink->buffer, sink->length, "Not a PNG file (bad signature)");
        return -1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, sink, ccpng_error_fn, ccpng_warning_fn);
    if (png == NULL) {
        ccpng_copy_message(sink->buffer, sink->length, "png_create_read_struct failed");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        ccpng_copy_message(sink->buffer, sink->length, "png_create_info_struct failed");
        return -1;
    }
    *png_out = png;
    *info_out = info;
    return 0;
}

int ccpng_read_info(const uint8_t *data, size_t size, ccpng_info *out, char *err, size_t err_len) {
    if (data == NULL || out == NULL) {
        ccpng_copy_message(err, err_len, "ccpng_read_info: missing argument");
        return -1;
    }
    memset(out, 0, sizeof *out);
    ccpng_error_sink sink = { err, err_len };
    ccpng_reader reader = { data, size, 0 };
    png_structp png = NULL;
    png_infop info = NULL;
    if (ccpng_create_reader(data, size, &sink, &png, &info) != 0) return -1;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &reader, ccpng_read_fn);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int depth = 0, color = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    out->width = width;
    out->height = height;
    out->file_bit_depth = depth;
    out->bit_depth = depth == 16 ? 16 : 8;
    out->color_type = color;
    out->channels = ccpng_channels_of(color);
    out->interlaced = interlace != PNG_INTERLACE_NONE;
    png_colorp entries = NULL;
    int count = 0;
    if (png_get_PLTE(png, info, &entries, &count) != 0 && entries != NULL) {
        if (count > 256) count = 256;
        for (int i = 0; i < count; i++) {
            out->palette_rgb[3 * i] = entries[i].red;
            out->palette_rgb[3 * i + 1] = entries[i].green;
            out->palette_rgb[3 * i + 2] = entries[i].blue;
        }
        out->palette_count = count;
    }
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

/// Copies one decoded row (8- or 16-bit big-endian samples) into host-order uint16 samples.
static void ccpng_widen_row(const uint8_t *row, size_t samples, int depth, uint16_t *out) {
    if (depth == 16) {
        for (size_t i = 0; i < samples; i++) out[i] = (uint16_t)((row[2 * i] << 8) | row[2 * i + 1]);
    } else {
        for (size_t i = 0; i < samples; i++) out[i] = row[i];
    }
}

int ccpng_decode(const uint8_t *data, size_t size, uint32_t max_width, uint32_t max_height,
                 uint16_t *out, size_t out_count, char *err, size_t err_len) {
    if (data == NULL || out == NULL) {
        ccpng_copy_message(err, err_len, "ccpng_decode: missing argument");
        return -1;
    }
    ccpng_error_sink sink = { err, err_len };
    ccpng_reader reader = { data, size, 0 };
    png_structp png = NULL;
    png_infop info = NULL;
    if (ccpng_create_reader(data, size, &sink, &png, &info) != 0) return -1;
    // Assigned after setjmp and freed after a longjmp: must be volatile.
    uint8_t *volatile buffer = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &reader, ccpng_read_fn);
    if (max_width > 0 && max_height > 0) png_set_user_limits(png, max_width, max_height);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int depth = 0, color = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    if (color == PNG_COLOR_TYPE_PALETTE && depth < 8) png_set_packing(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    const int out_depth = png_get_bit_depth(png, info);
    const size_t channels = png_get_channels(png, info);
    const size_t row_bytes = png_get_rowbytes(png, info);
    const size_t samples_per_row = (size_t)width * channels;
    if ((out_depth != 8 && out_depth != 16) || channels == 0 ||
        row_bytes != samples_per_row * (size_t)(out_depth / 8)) {
        png_error(png, "unexpected row layout after transforms");
    }
    if (height != 0 && samples_per_row > SIZE_MAX / height) png_error(png, "image too large");
    if (out_count != samples_per_row * (size_t)height) {
        png_error(png, "output buffer does not match the image size");
    }

    if (passes <= 1) {
        buffer = (uint8_t *)malloc(row_bytes);
        if (buffer == NULL) png_error(png, "out of memory");
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(png, buffer, NULL);
            ccpng_widen_row(buffer, samples_per_row, out_depth, out + (size_t)y * samples_per_row);
        }
    } else {
        // Adam7: every pass revisits rows, so the whole image is assembled first.
        if (row_bytes > SIZE_MAX / height) png_error(png, "image too large");
        buffer = (uint8_t *)malloc(row_bytes * (size_t)height);
        if (buffer == NULL) png_error(png, "out of memory");
        for (int pass = 0; pass < passes; pass++) {
            for (png_uint_32 y = 0; y < height; y++) png_read_row(png, buffer + (size_t)y * row_bytes, NULL);
        }
        for (png_uint_32 y = 0; y < height; y++) {
            ccpng_widen_row(buffer + (size_t)y * row_bytes, samples_per_row, out_depth,
                            out + (size_t)y * samples_per_row);
        }
    }
    free(buffer);
    buffer = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

int ccpng_version_number(void) {
    return (int)png_access_version_number();
}
