#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// The encoded file grows in memory; libpng calls write_bytes as it compresses.
typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} png_memory;

static void write_fail(png_structp png, png_const_charp text) {
    (void)text;
    png_longjmp(png, 1);
}

static void write_warn(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
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
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, write_fail, write_warn);
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
