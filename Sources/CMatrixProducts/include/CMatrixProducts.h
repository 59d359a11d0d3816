// Matrix products of stored GGUF weight rows with quantized activations, as llama.cpp's CPU backend
// computes them: integer dot products inside each block, one float fused multiply-add per block (per
// 64 values for the Q4_K rows it repacks, in its gemm).
//
// Every kernel has a portable C version and x86 versions (AVX2, AVX-512 VNNI) compiled for their ISA
// with target attributes and chosen at run time, so one binary runs on any x86-64-v3 machine. All
// versions of a type return the same bits: block sums are exact integers, and the float work follows
// one order per type (llama.cpp's AVX2 `ggml_vec_dot_*` order for the blocks; for F16 that of
// llama.cpp's tinyBLAS `llamafile_sgemm`), whatever the ISA or the tiling. Q6_K products of 8 tokens
// or more (prompts) follow llama.cpp's tiled kernel instead (`ggml-cpu/tiled`, which its CPU backend
// uses from 8 tokens): one exact integer sum per block, then one fused multiply-add.
#ifndef KILN_MATRIX_PRODUCTS_H
#define KILN_MATRIX_PRODUCTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets a kernel can run on.
typedef enum {
    KILN_ISA_PORTABLE = 0,
    KILN_ISA_AVX2 = 1,      // AVX2 + FMA + F16C
    KILN_ISA_AVX512 = 2,    // AVX-512 F/BW/VL/VNNI (as well as AVX2)
} kiln_isa;

/// The best instruction set this CPU and OS support.
kiln_isa kiln_best_isa(void);

/// Weight row types with kernels; activations are Q8_0 blocks (34 bytes per 32 values) for Q8_0
/// and Q5_0 weights, Q8_K blocks (292 bytes per 256 values: float d, 256 int8, 16 int16 sums) for K-quants,
/// and floats (already rounded to F16, as llama.cpp rounds them) for F16 weights.
typedef enum {
    KILN_ROWS_Q8_0 = 0,
    KILN_ROWS_Q4_K = 1,
    KILN_ROWS_Q6_K = 2,
    KILN_ROWS_F16 = 3,
    KILN_ROWS_Q5_0 = 4,
    /// Q4_K rows of a tensor llama.cpp repacks (x86 with AVX2, a row count divisible by 8), in the order
    /// of its `block_q4_Kx8` kernels: the first `grouped_tokens` tokens as its gemm multiplies them, the
    /// rest as its gemv does.
    KILN_ROWS_Q4_K_REPACKED = 5,
} kiln_row_type;

/// out[t * out_stride + r] = (weight row r) · (activation row t), for r < rows, t < tokens.
/// Weight rows lie `weight_row_bytes` apart, activation rows `activation_row_bytes` apart; each row
/// holds `blocks` blocks (32 values for Q8_0 and Q5_0, 256 for K-quants; for F16, `blocks` counts values).
/// `grouped_tokens` (clamped to 0…tokens) only matters to KILN_ROWS_Q4_K_REPACKED: llama.cpp's gemm
/// takes the first n − n % 4 tokens of a product of n (`kiln_grouped_tokens`), and these tokens may be
/// part of a larger product (llama-perplexity decodes several sequences in one micro-batch).
/// Returns -1 for an unknown type or an ISA this build lacks, else 0.
int kiln_quantized_product(kiln_isa isa, kiln_row_type type,
                           const void *weights, size_t weight_row_bytes, int rows,
                           const void *activations, size_t activation_row_bytes, int tokens, int grouped_tokens,
                           int blocks, float *out, size_t out_stride);

/// The tokens of a product of `tokens` that llama.cpp's repacked gemm multiplies: all but tokens % 4.
static inline int kiln_grouped_tokens(int tokens) { return tokens - tokens % 4; }

/// Activation blocks as llama.cpp's CPU backend makes them before a product with quantized rows.
typedef enum {
    KILN_ACTIVATIONS_Q8_0 = 0,  // x86 `quantize_row_q8_0`: F16 d = amax/127, levels rounded half to even
    KILN_ACTIVATIONS_Q8_K = 1,  // `quantize_row_q8_K_ref`: float d, levels, the sum of each 16 levels
} kiln_activation_type;

/// Writes `count` floats (a multiple of 32 for Q8_0, of 256 for Q8_K) as blocks of `type` into `out`
/// (34 or 292 bytes per block). Every ISA writes the same bytes. Returns -1 for an unknown type or ISA.
int kiln_quantize_activations(kiln_isa isa, kiln_activation_type type, const float *x, int count, void *out);

#ifdef __cplusplus
}
#endif

#endif
