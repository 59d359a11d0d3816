#ifndef KILN_X86_H
#define KILN_X86_H
#include "CMatrixProducts.h"

int kiln_quantized_product_avx2(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                                int tokens, int grouped, int blocks, float *out, size_t os);
int kiln_quantized_product_avx512(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                                  int tokens, int grouped, int blocks, float *out, size_t os);
int kiln_quantize_activations_avx2(kiln_activation_type type, const float *x, int count, uint8_t *out);
int kiln_quantize_activations_avx512(kiln_activation_type type, const float *x, int count, uint8_t *out);
#endif
