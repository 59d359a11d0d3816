// The reference version of each kernel: plain C, one weight row times one activation row, written
// lane by lane so that its float operations are exactly those of the SIMD versions.
#include "blocks.h"
#include "portable.h"
#include <math.h>

// Every fused multiply-add is written out (fmaf), so that no other product may be fused.
#pragma clang fp contract(off)

/// A Q8_0 block's 32 signed levels.
static void q8_0_levels(const uint8_t *w, int8_t levels[32]) { memcpy(levels, w + 2, 32); }

/// A Q5_0 block's 32 levels q − 16, q the low or high nibble of byte j mod 16 and bit j of qh above it.
static void q5_0_levels(const uint8_t *w, int8_t levels[32]) {
    uint32_t high;
    memcpy(&high, w + 2, 4);
    for (int j = 0; j < 32; j++) {
        const int low = j < 16 ? w[6 + j] & 0x0f : w[6 + j - 16] >> 4;
        levels[j] = (int8_t)((low | (int)((high >> j) & 1) << 4) - 16);
    }
}

/// Weight blocks of 32 signed levels and an F16 d times Q8_0 blocks, in the order llama.cpp's
/// `ggml_vec_dot_q8_0_q8_0` and `ggml_vec_dot_q5_0_q8_0` share (and tinyBLAS's `tinyBLAS_Q0_AVX`):
/// lane l sums the products of values 4l…4l+3, d_w·d_x times it is fused into the lane.
static float dot_q0(const uint8_t *w, int weightBytes, void (*unpack)(const uint8_t *, int8_t *), const uint8_t *x, int blocks) {
    float acc[8] = {0};
    for (int b = 0; b < blocks; b++, w += weightBytes, x += Q8_0_BYTES) {
        const float d = kiln_half(w) * kiln_half(x);
        int8_t wq[32];
        unpack(w, wq);
        const int8_t *xq = (const int8_t *)(x + 2);
        for (int l = 0; l < 8; l++) {
            int32_t p = 0;
            for (int k = 0; k < 4; k++) p += (int32_t)wq[4 * l + k] * xq[4 * l + k];
            acc[l] = fmaf(d, (float)p, acc[l]);
        }
    }
    return kiln_sum8(acc);
}

float kiln_dot_q8_0_portable(const uint8_t *w, const uint8_t *x, int blocks) { return dot_q0(w, Q8_0_BYTES, q8_0_levels, x, blocks); }

float kiln_dot_q5_0_portable(const uint8_t *w, const uint8_t *x, int blocks) { return dot_q0(w, Q5_0_BYTES, q5_0_levels, x, blocks); }

float kiln_dot_q4_K_portable(const uint8_t *w, const uint8_t *x, int blocks) {
    float acc[8] = {0}, minimums[4] = {0};
    for (int b = 0; b < blocks; b++, w += Q4_K_BYTES, x += Q8_K_BYTES) {
        const float dx = kiln_float(x);
        const float d = dx * kiln_half(w), dmin = -dx * kiln_half(w + 2);
        uint64_t scales, mins;
        kiln_q4_K_scales(w + 4, &scales, &mins);
        uint8_t sm[16];
        memcpy(sm, &scales, 8);
        memcpy(sm + 8, &mins, 8);
        const uint8_t *q = w + 16;
        const int8_t *xq = (const int8_t *)(x + 4);
        int16_t sums[16];
        memcpy(sums, x + 260, 32);
        for (int k = 0; k < 4; k++) {
            int32_t m = 0;
            for (int j = 2 * k; j < 2 * k + 2; j++) m += (int32_t)sm[8 + j] * (sums[2 * j] + sums[2 * j + 1]);
            minimums[k] = fmaf(dmin, (float)m, minimums[k]);
        }
        for (int l = 0; l < 8; l++) {
            int32_t s = 0;
            for (int c = 0; c < 4; c++) {
                int32_t low = 0, high = 0;
                for (int k = 0; k < 4; k++) {
                    const int i = 32 * c + 4 * l + k;
                    low += (q[i] & 0x0f) * xq[64 * c + 4 * l + k];
                    high += (q[i] >> 4) * xq[64 * c + 32 + 4 * l + k];
                }
                s += sm[2 * c] * low + sm[2 * c + 1] * high;
            }
            acc[l] = fmaf(d, (float)s, acc[l]);
        }
    }
    return kiln_sum8(acc) + kiln_sum4(minimums);
}

/// Q4_K rows as llama.cpp multiplies the Q4_K tensors it repacks into `block_q4_Kx8` (on x86 with
/// AVX2, when the row count is divisible by 8): the exact integer sums of scale·q·x and of minimum·Σx
/// over each 64 values (two sub-blocks), each converted to float and fused with d_w·d_x (dmin_w·d_x)
/// into its own accumulator, the minimums' subtracted last. `perPair`: one multiply-add per 64 values,
/// as `ggml_gemm_q4_K_8x8_q8_K` (tokens in groups of four); else one per block, as
/// `ggml_gemv_q4_K_8x8_q8_K` (the rest).
float kiln_dot_q4_K_repacked_portable(const uint8_t *w, const uint8_t *x, int blocks, int perPair) {
    float acc = 0, minimums = 0;
    for (int b = 0; b < blocks; b++, w += Q4_K_BYTES, x += Q8_K_BYTES) {
        const float dx = kiln_float(x), d = kiln_half(w) * dx, dmin = kiln_half(w + 2) * dx;
        uint64_t scales, mins;
        kiln_q4_K_scales(w + 4, &scales, &mins);
        const uint8_t *q = w + 16;
        const int8_t *xq = (const int8_t *)(x + 4);
        int16_t sums[16];
        memcpy(sums, x + 260, 32);
        int32_t blockSum = 0, blockMinimum = 0;
        for (int c = 0; c < 4; c++) {
            int32_t low = 0, high = 0;
            for (int i = 0; i < 32; i++) {
                low += (q[32 * c + i] & 0x0f) * xq[64 * c + i];
                high += (q[32 * c + i] >> 4) * xq[64 * c + 32 + i];
            }
            const int32_t s = (int32_t)(scales >> (16 * c) & 0xff) * low + (int32_t)(scales >> (16 * c + 8) & 0xff) * high;
            const int32_t m = (int32_t)(mins >> (16 * c) & 0xff) * (sums[4 * c] + sums[4 * c + 1]) +
                              (int32_t)(mins >> (16 * c + 8) & 0xff) * (sums[4 * c + 2] + sums[4 * c + 3]);
            if (perPair) {
                acc = fmaf((float)s, d, acc);
                minimums = fmaf((float)m, dmin, minimums);
            } else {
                blockSum += s;
                blockMinimum += m;
            }
        }
        if (!perPair) {
            acc = fmaf((float)blockSum, d, acc);
            minimums = fmaf((float)blockMinimum, dmin, minimums);
        }
    }
    return acc - minimums;
}

float kiln_dot_q6_K_portable(const uint8_t *w, const uint8_t *x, int blocks) {
    float acc[8] = {0};
    for (int b = 0; b < blocks; b++, w += Q6_K_BYTES, x += Q8_K_BYTES) {
        const float d = kiln_float(x) * kiln_half(w + 208);
        const uint8_t *ql = w, *qh = w + 128;
        const int8_t *scales = (const int8_t *)(w + 192), *xq = (const int8_t *)(x + 4);
        int16_t sums[16];
        memcpy(sums, x + 260, 32);
        for (int l = 0; l < 8; l++) {
            int32_t s = 0;
            for (int half = 0; half < 2; half++) {
                for (int c = 0; c < 4; c++) {
                    int32_t p = 0;
                    for (int k = 0; k < 4; k++) {
                        const int i = 4 * l + k;  // byte within the 32 of chunk c
                        const uint8_t low = ql[64 * half + 32 * (c & 1) + i], high = qh[32 * half + i];
                        const int level = (c < 2 ? (low & 0x0f) : (low >> 4)) | (((high >> (2 * c)) & 3) << 4);
                        p += level * xq[128 * half + 32 * c + i];
                    }
                    s += scales[8 * half + 2 * c + (l >= 4)] * p;
                }
            }
            // The −32 offset of every level, through the activation sums of each 16 values.
            s -= 32 * (scales[2 * l] * sums[2 * l] + scales[2 * l + 1] * sums[2 * l + 1]);
            acc[l] = fmaf(d, (float)s, acc[l]);
        }
    }
    return kiln_sum8(acc);
}

/// Q6_K for prompts, in the order of llama.cpp's tiled kernel (`ggml-cpu/tiled`, which multiplies
/// K-quants once a product has 8 or more tokens): one exact integer sum per block, then
/// acc + (sum · d_w) · d_x with the last product fused (as GCC compiles that kernel's
/// `acc + result · d_x`; llama.cpp's native build returns exactly these bits).
float kiln_dot_q6_K_prompt_portable(const uint8_t *w, const uint8_t *x, int blocks) {
    float acc = 0;
    for (int b = 0; b < blocks; b++, w += Q6_K_BYTES, x += Q8_K_BYTES) {
        const uint8_t *ql = w, *qh = w + 128;
        const int8_t *scales = (const int8_t *)(w + 192), *xq = (const int8_t *)(x + 4);
        int16_t sums[16];
        memcpy(sums, x + 260, 32);
        int32_t s = 0;
        for (int sub = 0; sub < 16; sub++) {
            int32_t raw = 0;
            for (int j = 16 * sub; j < 16 * sub + 16; j++) {
                const int half = j / 128, c = j % 128 / 32, i = j % 32;
                const uint8_t low = ql[64 * half + 32 * (c & 1) + i], high = qh[32 * half + i];
                raw += ((c < 2 ? (low & 0x0f) : (low >> 4)) | (((high >> (2 * c)) & 3) << 4)) * xq[j];
            }
            s += scales[sub] * (raw - 32 * sums[sub]);
        }
        acc = fmaf((float)s * kiln_half(w + 208), kiln_float(x), acc);
    }
    return acc;
}

float kiln_dot_f16_portable(const uint8_t *w, const float *x, int columns) {
    float lanes[16] = {0};
    const int wide = columns / 16 * 16;
    for (int i = 0; i < wide; i += 16)
        for (int l = 0; l < 16; l++) lanes[l] = fmaf(kiln_half(w + 2 * (i + l)), x[i + l], lanes[l]);
    float s = kiln_sum16(lanes);
    for (int i = wide; i < columns; i++) s = s + kiln_half(w + 2 * i) * x[i];
    return s;
}

/// One 32-value block as x86 `quantize_row_q8_0` writes it: d = amax/127 rounded to F16, levels
/// x·(127/amax) rounded half to even (the portable reference rounds half away from zero; users run x86).
void kiln_quantize_q8_0_portable(const float *x, uint8_t *block) {
    float largest = 0;
    for (int j = 0; j < 32; j++) {
        const float a = fabsf(x[j]);
        if (a > largest) largest = a;
    }
    const float inverse = largest != 0 ? 127 / largest : 0;
    const _Float16 d = (_Float16)(largest / 127);
    memcpy(block, &d, 2);
    for (int j = 0; j < 32; j++) block[2 + j] = (uint8_t)(int8_t)nearbyintf(x[j] * inverse);
}

/// One 256-value block as `quantize_row_q8_K_ref` writes it: the first value of largest magnitude
/// sets d = −max/127 (float), levels are round(−127/max · x) by the 1.5·2²³ trick, at most 127, and
/// each 16 levels' sum follows as an int16.
void kiln_quantize_q8_K_portable(const float *x, uint8_t *block) {
    float largest = 0, signed_max = 0;
    for (int j = 0; j < 256; j++)
        if (fabsf(x[j]) > largest) {
            largest = fabsf(x[j]);
            signed_max = x[j];
        }
    if (largest == 0) {
        memset(block, 0, Q8_K_BYTES);
        return;
    }
    const float inverse = -127 / signed_max, d = 1 / inverse;
    memcpy(block, &d, 4);
    for (int g = 0; g < 16; g++) {
        int16_t sum = 0;
        for (int j = 16 * g; j < 16 * g + 16; j++) {
            const float shifted = inverse * x[j] + 12582912.0f;
            int32_t bits;
            memcpy(&bits, &shifted, 4);
            int32_t level = (bits & 0x007fffff) - 0x00400000;
            if (level > 127) level = 127;
            if (level < -128) level = -128;
            block[4 + j] = (uint8_t)(int8_t)level;
            sum = (int16_t)(sum + level);
        }
        memcpy(block + 260 + 2 * g, &sum, 2);
    }
}
