// The kernels for AVX-512 with VNNI: 512-bit vectors hold two weight rows (or 16 F16 lanes), 32
// registers allow larger tiles, and VPDPBUSD does Q8_0's four-product sums in one instruction.
#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>
#include "blocks.h"
#include "portable.h"
#include "x86.h"

#define KILN_ISA_NAME avx512
#define KILN_VNNI 1
#define KILN_MAX_R 4
#define KILN_MAX_T 6
#define KILN_MAX_P 8
#define KILN_Q8_0_R 4
#define KILN_Q8_0_T 4
#define KILN_Q5_0_R 4
#define KILN_Q5_0_T 4
#define KILN_Q4_K_R 2
#define KILN_Q4_K_T 4
#define KILN_Q6_K_R 2
#define KILN_Q6_K_T 4
#define KILN_COLUMN_R 4
// Tokens per tile of the Q4_K octet panels (x86_q4_K_repacked.h).
#define KILN_OCTET_T 4
// Q8_0 generation passes 16 rows over a token at a time: the token's per-block work (its broadcast and
// offset sums) then costs little beside the rows' (a quarter less time per token than 4 rows). Q5_0 too.
#define KILN_Q8_0_G 16
#define KILN_Q5_0_G 16
#define KILN_WIDE 1
#define KILN_F16_R 4
#define KILN_F16_T 6

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512dq"))), apply_to = function)
#include "x86_kernels.h"

int kiln_quantized_product_avx512(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                                  int tokens, int grouped, int blocks, float *out, size_t os) {
    return product_avx512(type, w, ws, rows, x, xs, tokens, grouped, blocks, out, os);
}

int kiln_quantize_activations_avx512(kiln_activation_type type, const float *x, int count, uint8_t *out) {
    return quantize_avx512(type, x, count, out);
}
#pragma clang attribute pop
#endif
