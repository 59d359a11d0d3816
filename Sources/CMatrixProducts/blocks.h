// GGUF block layouts and the scalar pieces every kernel version shares.
#ifndef KILN_BLOCKS_H
#define KILN_BLOCKS_H

#include <stdint.h>
#include <string.h>

enum {
    Q8_0_BYTES = 34,   // fp16 d, int8 qs[32]
    Q5_0_BYTES = 22,   // fp16 d, uint8 qh[4] (value j's fifth bit is bit j), uint8 qs[16] (values 0-15 low nibbles, 16-31 high)
    Q4_K_BYTES = 144,  // fp16 d, fp16 dmin, uint8 scales[12], uint8 qs[128]
    Q6_K_BYTES = 210,  // uint8 ql[128], uint8 qh[64], int8 scales[16], fp16 d
    Q8_K_BYTES = 292,  // float d, int8 qs[256], int16 bsums[16]
};

/// IEEE half to float, exactly (subnormals, infinities and NaNs included).
static inline float kiln_half(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        // Subnormal: shift the leading one into the implicit bit.
        int shift = 0;
        while (!(mantissa & 0x400)) { mantissa <<= 1; shift++; }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mantissa & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline float kiln_float(const uint8_t *p) {
    float f;
    memcpy(&f, p, 4);
    return f;
}

/// Q4_K's twelve scale bytes as eight 6-bit scales and eight 6-bit minimums, one per byte (kept in
/// registers: building them in memory and reloading them wider stalls store forwarding).
static inline void kiln_q4_K_scales(const uint8_t *packed, uint64_t *scales, uint64_t *minimums) {
    uint32_t u[3];
    memcpy(u, packed, 12);
    const uint32_t s0 = u[0] & 0x3f3f3f3f, m0 = u[1] & 0x3f3f3f3f;
    const uint32_t s1 = (u[2] & 0x0f0f0f0f) | (((u[0] >> 6) & 0x03030303) << 4);
    const uint32_t m1 = ((u[2] >> 4) & 0x0f0f0f0f) | (((u[1] >> 6) & 0x03030303) << 4);
    *scales = (uint64_t)s1 << 32 | s0;
    *minimums = (uint64_t)m1 << 32 | m0;
}

/// Products with this many tokens or more are prompts: llama.cpp multiplies K-quants in its tiled
/// kernel from there (`ggml_tiled_min_batch`), in another float order than its `vec_dot` kernels.
#define KILN_PROMPT_TOKENS 8

/// llama.cpp's `hsum_float_8` order: ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)).
static inline float kiln_sum8(const float a[8]) {
    float r0 = a[0] + a[4], r1 = a[1] + a[5], r2 = a[2] + a[6], r3 = a[3] + a[7];
    return (r0 + r2) + (r1 + r3);
}

/// Four lanes as llama.cpp's Q4_K minimum accumulator is summed: (a0+a2) + (a1+a3).
static inline float kiln_sum4(const float a[4]) {
    return (a[0] + a[2]) + (a[1] + a[3]);
}

/// Sixteen lanes as GCC's `_mm512_reduce_add_ps` adds them (llama.cpp's tinyBLAS `hsum`): lane i
/// plus lane i+8, then i+4, then (0+2) + (1+3).
static inline float kiln_sum16(const float a[16]) {
    float h[8], q[4];
    for (int i = 0; i < 8; i++) h[i] = a[i + 8] + a[i];
    for (int i = 0; i < 4; i++) q[i] = h[i + 4] + h[i];
    return (q[0] + q[2]) + (q[1] + q[3]);
}

#endif
