// The smallest C layer over libjpeg and libpng that Swift can call safely (decoding both, and
// encoding PNG for kiln verify's report).
//
// Both libraries report errors by longjmp from inside their calls; Swift frames must never be
// jumped over, so every library call happens here, below a setjmp in the same C function. Each
// entry point returns 1 on success and 0 on failure, with the library's message in the decoder.
// Decoding is two calls: the header (so the caller can check the size before allocating), then
// the pixels into the caller's buffer.
#ifndef KILN_IMAGE_CODECS_H
#define KILN_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

typedef struct kiln_jpeg_decoder kiln_jpeg_decoder;

typedef struct {
    uint32_t width;
    uint32_t height;
    /// 1 (grey), 3 (RGB from YCbCr or RGB) or 4 (CMYK, from CMYK or YCCK, as stored: Adobe files
    /// store it inverted).
    int components;
} kiln_jpeg_header;

kiln_jpeg_decoder *kiln_jpeg_create(const uint8_t *data, size_t size);
int kiln_jpeg_read_header(kiln_jpeg_decoder *decoder, kiln_jpeg_header *header);
/// Decodes every row into `pixels`, `width * components` bytes per row, rows contiguous.
int kiln_jpeg_read_pixels(kiln_jpeg_decoder *decoder, uint8_t *pixels, size_t size);
const char *kiln_jpeg_message(const kiln_jpeg_decoder *decoder);
void kiln_jpeg_destroy(kiln_jpeg_decoder *decoder);

typedef struct kiln_png_decoder kiln_png_decoder;

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    /// PNG's colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    int color_type;
    /// Whether a tRNS chunk adds transparency (a palette alpha table or one transparent colour).
    int has_transparency;
} kiln_png_header;

kiln_png_decoder *kiln_png_create(const uint8_t *data, size_t size);
int kiln_png_read_header(kiln_png_decoder *decoder, kiln_png_header *header);
/// Decodes every row (de-interlacing Adam7) into `pixels`: palette expanded to RGB, grey of 1, 2
/// or 4 bits scaled to 8, tRNS turned into an alpha channel, and 16-bit samples cut to their high
/// byte unless `keep_16_bit` (then big-endian pairs). Fails unless the rows fill `size` exactly.
int kiln_png_read_pixels(kiln_png_decoder *decoder, int keep_16_bit, uint8_t *pixels, size_t size);
const char *kiln_png_message(const kiln_png_decoder *decoder);
void kiln_png_destroy(kiln_png_decoder *decoder);

/// Encodes `height` rows of `width` 8-bit RGB pixels (rows contiguous) as a PNG in memory. On
/// success `*out` holds `*size` bytes, to be released with kiln_png_free.
int kiln_png_encode_rgb(const uint8_t *pixels, uint32_t width, uint32_t height, uint8_t **out, size_t *size);
void kiln_png_free(uint8_t *bytes);

#endif
