#include "CJPEGShim.h"

#include <stdio.h>
#include <string.h>
#include <turbojpeg.h>

static void copy_message(tjhandle handle, char *message, size_t message_size, const char *fallback) {
    if (message == NULL || message_size == 0) return;
    const char *text = handle ? tjGetErrorStr2(handle) : NULL;
    snprintf(message, message_size, "%s", (text && text[0]) ? text : fallback);
}

/* A decompressor for `size` bytes, or NULL with `message` set (too large for libjpeg-turbo's
   unsigned long sizes on 32-bit systems, or out of memory). */
static tjhandle open_decompressor(size_t size, char *message, size_t message_size) {
    if (size > (size_t)0xFFFFFFFFu) {
        snprintf(message, message_size, "JPEG larger than 4 GiB");
        return NULL;
    }
    tjhandle handle = tjInitDecompress();
    if (handle == NULL) copy_message(NULL, message, message_size, "libjpeg-turbo could not start a decompressor");
    return handle;
}

int ccjpeg_size(const uint8_t *data, size_t size, int *width, int *height, char *message, size_t message_size) {
    tjhandle handle = open_decompressor(size, message, message_size);
    if (handle == NULL) return -1;
    int subsampling = 0, colorspace = 0;
    int status = tjDecompressHeader3(handle, data, (unsigned long)size, width, height, &subsampling, &colorspace);
    if (status != 0) copy_message(handle, message, message_size, "not a JPEG header");
    tjDestroy(handle);
    return status == 0 ? 0 : -1;
}

int ccjpeg_decode_rgb(const uint8_t *data, size_t size, uint8_t *rgb, int width, int height,
                      char *message, size_t message_size) {
    tjhandle handle = open_decompressor(size, message, message_size);
    if (handle == NULL) return -1;
    int status = tjDecompress2(handle, data, (unsigned long)size, rgb, width, width * 3, height, TJPF_RGB,
                               TJFLAG_STOPONWARNING);
    if (status != 0) copy_message(handle, message, message_size, "JPEG data could not be decoded");
    tjDestroy(handle);
    return status == 0 ? 0 : -1;
}
