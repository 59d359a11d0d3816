// Chooses a kernel version by what the CPU reports at run time.
#include "CMatrixProducts.h"
#include "blocks.h"
#include "portable.h"
#include "x86.h"

kiln_isa kiln_best_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512dq"))
        return KILN_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return KILN_ISA_AVX2;
#endif
    return KILN_ISA_PORTABLE;
}

static int portable_product(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                            int tokens, int grouped, int blocks, float *out, size_t os) {
    float (*dot)(const uint8_t *, const uint8_t *, int);
    switch (type) {
    case KILN_ROWS_Q8_0: dot = kiln_dot_q8_0_portable; break;
    case KILN_ROWS_Q5_0: dot = kiln_dot_q5_0_portable; break;
    case KILN_ROWS_Q4_K: dot = kiln_dot_q4_K_portable; break;
    case KILN_ROWS_Q6_K: dot = tokens >= KILN_PROMPT_TOKENS ? kiln_dot_q6_K_prompt_portable : kiln_dot_q6_K_portable; break;
    case KILN_ROWS_Q4_K_REPACKED:
        for (int t = 0; t < tokens; t++)
            for (int r = 0; r < rows; r++)
                out[t * os + r] = kiln_dot_q4_K_repacked_portable(w + r * ws, x + t * xs, blocks, t < grouped);
        return 0;
    case KILN_ROWS_F16:
        for (int t = 0; t < tokens; t++)
            for (int r = 0; r < rows; r++) out[t * os + r] = kiln_dot_f16_portable(w + r * ws, (const float *)(x + t * xs), blocks);
        return 0;
    default: return -1;
    }
    for (int t = 0; t < tokens; t++)
        for (int r = 0; r < rows; r++) out[t * os + r] = dot(w + r * ws, x + t * xs, blocks);
    return 0;
}

int kiln_quantized_product(kiln_isa isa, kiln_row_type type, const void *weights, size_t weight_row_bytes, int rows,
                           const void *activations, size_t activation_row_bytes, int tokens, int grouped_tokens, int blocks,
                           float *out, size_t out_stride) {
    const uint8_t *w = weights, *x = activations;
    const int grouped = grouped_tokens < 0 ? 0 : grouped_tokens > tokens ? tokens : grouped_tokens;
    switch (isa) {
    case KILN_ISA_PORTABLE:
        return portable_product(type, w, weight_row_bytes, rows, x, activation_row_bytes, tokens, grouped, blocks, out, out_stride);
#if defined(__x86_64__)
    case KILN_ISA_AVX2:
        return kiln_quantized_product_avx2(type, w, weight_row_bytes, rows, x, activation_row_bytes, tokens, grouped, blocks, out, out_stride);
    case KILN_ISA_AVX512:
        return kiln_quantized_product_avx512(type, w, weight_row_bytes, rows, x, activation_row_bytes, tokens, grouped, blocks, out, out_stride);
#endif
    default:
        return -1;
    }
}

int kiln_quantize_activations(kiln_isa isa, kiln_activation_type type, const float *x, int count, void *out) {
    uint8_t *o = out;
    switch (isa) {
    case KILN_ISA_PORTABLE:
        switch (type) {
        case KILN_ACTIVATIONS_Q8_0:
            for (int b = 0; b < count / 32; b++) kiln_quantize_q8_0_portable(x + 32 * b, o + (size_t)b * Q8_0_BYTES);
            return 0;
        case KILN_ACTIVATIONS_Q8_K:
            for (int b = 0; b < count / 256; b++) kiln_quantize_q8_K_portable(x + 256 * b, o + (size_t)b * Q8_K_BYTES);
            return 0;
        }
        return -1;
#if defined(__x86_64__)
    case KILN_ISA_AVX2: return kiln_quantize_activations_avx2(type, x, count, o);
    case KILN_ISA_AVX512: return kiln_quantize_activations_avx512(type, x, count, o);
#endif
    default: return -1;
    }
}
