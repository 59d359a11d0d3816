#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct kiln_png_decoder {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    char message[256];
};

static void fail(png_structp png, png_const_charp text) {
    kiln_png_decoder *decoder = png_get_error_ptr(png);
    snprintf(decoder->message, sizeof decoder->message, "%s", text);
    png_longjmp(png, 1);
}

// libpng prints warnings (a bad ancillary chunk, which it skips) to stderr; Kiln stays quiet.
static void warn(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void read_bytes(png_structp png, png_bytep out, size_t count) {
    kiln_png_decoder *decoder = png_get_io_ptr(png);
    if (count > decoder->size - decoder->offset) png_error(png, "file ends early (truncated)");
    memcpy(out, decoder->data + decoder->offset, count);
    decoder->offset += count;
}

kiln_png_decoder *kiln_png_create(const uint8_t *data, size_t size) {
    kiln_png_decoder *decoder = calloc(1, sizeof *decoder);
    if (!decoder) return NULL;
    decoder->data = data;
    decoder->size = size;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, fail, warn);
    if (!decoder->png) {
        snprintf(decoder->message, sizeof decoder->message, "cannot start libpng");
        return decoder;
    }
    if (setjmp(png_jmpbuf(decoder->png))) return decoder;
    decoder->info = png_create_info_struct(decoder->png);
    png_set_read_fn(decoder->png, decoder, read_bytes);
    // Bounds on what a hostile file can make libpng allocate before Kiln sees the header.
    png_set_user_limits(decoder->png, 1u << 24, 1u << 24);
    png_set_chunk_cache_max(decoder->png, 1000);
    png_set_chunk_malloc_max(decoder->png, 8u << 20);
    return decoder;
}

int kiln_png_read_header(kiln_png_decoder *decoder, kiln_png_header *header) {
    if (!decoder->png || !decoder->info) return 0;
    if (setjmp(png_jmpbuf(decoder->png))) return 0;
    png_read_info(decoder->png, decoder->info);
    header->width = png_get_image_width(decoder->png, decoder->info);
    header->height = png_get_image_height(decoder->png, decoder->info);
    header->bit_depth = png_get_bit_depth(decoder->png, decoder->info);
    header->color_type = png_get_color_type(decoder->png, decoder->info);
    header->has_transparency = png_get_valid(decoder->png, decoder->info, PNG_INFO_tRNS) != 0;
    return 1;
}

int kiln_png_read_pixels(kiln_png_decoder *decoder, int keep_16_bit, uint8_t *pixels, size_t size) {
    if (!decoder->png || !decoder->info) return 0;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(decoder->png))) {
        free(rows);
        return 0;
    }
    int color_type = png_get_color_type(decoder->png, decoder->info);
    int bit_depth = png_get_bit_depth(decoder->png, decoder->info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(decoder->png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(decoder->png);
    if (png_get_valid(decoder->png, decoder->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(decoder->png);
    if (bit_depth == 16 && !keep_16_bit) png_set_strip_16(decoder->png);
    png_set_interlace_handling(decoder->png);
    png_read_update_info(decoder->png, decoder->info);

    size_t height = png_get_image_height(decoder->png, decoder->info);
    size_t stride = png_get_rowbytes(decoder->png, decoder->info);
    if (height == 0 || stride * height != size) {
        snprintf(decoder->message, sizeof decoder->message, "decoder output does not match the header");
        return 0;
    }
    rows = malloc(height * sizeof *rows);
    if (!rows) {
        snprintf(decoder->message, sizeof decoder->message, "out of memory");
        return 0;
    }
    for (size_t row = 0; row < height; row++) rows[row] = pixels + row * stride;
    png_read_image(decoder->png, rows);
    free(rows);
    return 1;
}

const char *kiln_png_message(const kiln_png_decoder *decoder) { return decoder->message; }

void kiln_png_destroy(kiln_png_decoder *decoder) {
    if (!decoder) return;
    if (decoder->png) png_destroy_read_struct(&decoder->png, decoder->info ? &decoder->info : NULL, NULL);
    free(decoder);
}

// MARK: encoding (kiln verify --report)

// The encoded file grows in memory; libpng calls write_bytes as it compresses.
typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} png_memory;

// The encoder has no message to keep: a failure is out of memory.
static void write_fail(png_structp png, png_const_charp text) {
    (void)text;
    png_longjmp(png, 1);
}

static void write_bytes(png_structp png, png_bytep bytes, size_t count) {
    png_memory *memory = png_get_io_ptr(png);
    if (count > memory->capacity - memory->size) {
        size_t capacity = memory->capacity * 2 > memory->size + count ? memory->capacity * 2 : memory->size + count;
        uint8_t *grown = realloc(memory->data, capacity);
        if (!grown) png_error(png, "out of memory");
        memory->data = grown;
        memory->capacity = capacity;
    }
    memcpy(memory->data + memory->size, bytes, count);
    memory->size += count;
}

static void flush_bytes(png_structp png) { (void)png; }

int kiln_png_encode_rgb(const uint8_t *pixels, uint32_t width, uint32_t height, uint8_t **out, size_t *size) {
    *out = NULL;
    *size = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, write_fail, warn);
    if (!png) return 0;
    png_infop info = png_create_info_struct(png);
    // Reached through a pointer only, so its contents are current after a longjmp.
    png_memory *memory = calloc(1, sizeof *memory);
    if (!info || !memory || setjmp(png_jmpbuf(png))) {
        if (memory) free(memory->data);
        free(memory);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return 0;
    }
    png_set_write_fn(png, memory, write_bytes, flush_bytes);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 9);
    png_write_info(png, info);
    for (uint32_t row = 0; row < height; row++) png_write_row(png, pixels + (size_t)row * width * 3);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = memory->data;
    *size = memory->size;
    free(memory);
    return 1;
}

void kiln_png_free(uint8_t *bytes) { free(bytes); }
