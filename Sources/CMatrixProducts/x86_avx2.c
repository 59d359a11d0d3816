// The kernels for AVX2 + FMA + F16C (x86-64-v3).
#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>
#include "blocks.h"
#include "portable.h"
#include "x86.h"

#define KILN_ISA_NAME avx2
#define KILN_VNNI 0
#define KILN_MAX_R 4
#define KILN_MAX_T 4
#define KILN_Q8_0_R 2
#define KILN_Q8_0_T 3
#define KILN_Q5_0_R 2
#define KILN_Q5_0_T 3
#define KILN_Q4_K_R 1
#define KILN_Q4_K_T 4
#define KILN_Q6_K_R 1
#define KILN_Q6_K_T 4
#define KILN_COLUMN_R 4
// Tokens per tile of the Q4_K octet panels (x86_q4_K_repacked.h).
#define KILN_OCTET_T 2
#define KILN_Q8_0_G 4
#define KILN_Q5_0_G 4
#define KILN_WIDE 0
#define KILN_F16_R 3
#define KILN_F16_T 2

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "x86_kernels.h"

int kiln_quantized_product_avx2(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                                int tokens, int grouped, int blocks, float *out, size_t os) {
    return product_avx2(type, w, ws, rows, x, xs, tokens, grouped, blocks, out, os);
}

int kiln_quantize_activations_avx2(kiln_activation_type type, const float *x, int count, uint8_t *out) {
    return quantize_avx2(type, x, count, out);
}
#pragma clang attribute pop
#endif
