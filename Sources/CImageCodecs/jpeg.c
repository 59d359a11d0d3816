#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

// A progressive file may hold any number of scans, each a full pass over the coefficients: a
// small hostile file can make decoding take hours. libjpeg-turbo's own tools stop at 500.
#define KILN_JPEG_MAXIMUM_SCANS 500

struct kiln_jpeg_decoder {
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    const uint8_t *data;
    size_t size;
    int created;
    char message[JMSG_LENGTH_MAX];
};

static void fail(j_common_ptr info) {
    kiln_jpeg_decoder *decoder = (kiln_jpeg_decoder *)info->client_data;
    info->err->format_message(info, decoder->message);
    longjmp(decoder->jump, 1);
}

// Warnings about damaged data (a truncated file, a corrupt entropy-coded segment) end decoding:
// libjpeg would go on and fill the rest with grey. Harmless ones (stray bytes between markers,
// an unknown JFIF version, a malformed ICC chunk) are ignored, and nothing is printed.
static void message(j_common_ptr info, int level) {
    if (level >= 0) return;
    switch (info->err->msg_code) {
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC:
    case JWRN_TOO_MUCH_DATA:
        return;
    default:
        fail(info);
    }
}

static void progress(j_common_ptr info) {
    j_decompress_ptr decompress = (j_decompress_ptr)info;
    if (decompress->input_scan_number > KILN_JPEG_MAXIMUM_SCANS) {
        kiln_jpeg_decoder *decoder = (kiln_jpeg_decoder *)info->client_data;
        snprintf(decoder->message, sizeof decoder->message, "more than %d progressive scans", KILN_JPEG_MAXIMUM_SCANS);
        longjmp(decoder->jump, 1);
    }
}

kiln_jpeg_decoder *kiln_jpeg_create(const uint8_t *data, size_t size) {
    kiln_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    if (!decoder) return NULL;
    decoder->data = data;
    decoder->size = size;
    decoder->info.err = jpeg_std_error(&decoder->errors);
    decoder->errors.error_exit = fail;
    decoder->errors.emit_message = message;
    decoder->info.client_data = decoder;
    if (setjmp(decoder->jump)) return decoder;
    jpeg_create_decompress(&decoder->info);
    decoder->created = 1;
    decoder->progress.progress_monitor = progress;
    decoder->info.progress = &decoder->progress;
    return decoder;
}

int kiln_jpeg_read_header(kiln_jpeg_decoder *decoder, kiln_jpeg_header *header) {
    if (!decoder->created) return 0;
    if (setjmp(decoder->jump)) return 0;
    jpeg_mem_src(&decoder->info, decoder->data, (unsigned long)decoder->size);
    jpeg_read_header(&decoder->info, TRUE);
    switch (decoder->info.num_components) {
    case 1: decoder->info.out_color_space = JCS_GRAYSCALE; break;
    case 3: decoder->info.out_color_space = JCS_RGB; break;
    case 4: decoder->info.out_color_space = JCS_CMYK; break;
    default:
        snprintf(decoder->message, sizeof decoder->message, "%d colour components (only 1, 3 or 4 are images)",
                 decoder->info.num_components);
        return 0;
    }
    header->width = decoder->info.image_width;
    header->height = decoder->info.image_height;
    header->components = decoder->info.num_components;
    return 1;
}

int kiln_jpeg_read_pixels(kiln_jpeg_decoder *decoder, uint8_t *pixels, size_t size) {
    if (!decoder->created) return 0;
    if (setjmp(decoder->jump)) return 0;
    jpeg_start_decompress(&decoder->info);
    size_t stride = (size_t)decoder->info.output_width * (size_t)decoder->info.output_components;
    if (stride * decoder->info.output_height != size) {
        snprintf(decoder->message, sizeof decoder->message, "decoder output does not match the header");
        return 0;
    }
    while (decoder->info.output_scanline < decoder->info.output_height) {
        JSAMPROW row = pixels + stride * decoder->info.output_scanline;
        jpeg_read_scanlines(&decoder->info, &row, 1);
    }
    jpeg_finish_decompress(&decoder->info);
    return 1;
}

const char *kiln_jpeg_message(const kiln_jpeg_decoder *decoder) { return decoder->message; }

void kiln_jpeg_destroy(kiln_jpeg_decoder *decoder) {
    if (!decoder) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->info);
    free(decoder);
}
