#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H

// The C side of cococonvert's JPEG decoding (preview sheets and verify overlays), over libjpeg-turbo's
// TurboJPEG API. TurboJPEG catches libjpeg's longjmp errors itself and returns -1, so one call per
// operation suffices; this shim exists to keep libjpeg-turbo's types out of Swift, to check sizes
// before allocating, and to treat warnings (a truncated file decodes to grey rows) as errors.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Reads the size of a JPEG in memory. Returns 0, or -1 with a message in `message`.
int ccjpeg_size(const uint8_t *data, size_t size, int *width, int *height, char *message, size_t message_size);

/// Decodes a JPEG in memory to 8-bit RGB into `rgb` (`width * height * 3` bytes, the size
/// ccjpeg_size reported). Any warning (truncated data, corrupt markers) is an error.
/// Returns 0, or -1 with a message in `message`.
int ccjpeg_decode_rgb(const uint8_t *data, size_t size, uint8_t *rgb, int width, int height,
                      char *message, size_t message_size);

#ifdef __cplusplus
}
#endif

#endif
