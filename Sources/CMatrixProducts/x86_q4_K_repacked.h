// Q4_K rows of tensors llama.cpp repacks (`block_q4_Kx8`, included by x86_kernels.h for both ISAs),
// in the order of its `ggml_gemm_q4_K_8x8_q8_K` (the first tokens − tokens % 4 tokens of its product)
// and `ggml_gemv_q4_K_8x8_q8_K` (the rest): `kiln_dot_q4_K_repacked_portable` says what each output
// is. Both orders fuse exact integer sums into one float accumulator per output, so the vectors here
// may hold any outputs in their lanes.
//
// Prompts unpack 8 rows at a time into an octet panel where each group of four values is one vector
// with one 32-bit lane per row (that row's four levels): a token's four activation bytes, broadcast,
// multiply all 8 rows in one instruction and every lane ends with its own row's sum, with no
// horizontal sums. A token or three (generation) multiply the stored rows directly instead.

#include <stdlib.h>

enum {
    KILN_OCTET_ROWS = 8,
};

/// One block of 8 rows, unpacked.
typedef struct {
    __m256i q[64];        // values 4g…4g+3 of the block: lane r holds row r's four levels, one per byte
    __m256i scales[8];    // sub-block s's scale in lane r (in both 16-bit halves without VNNI, for VPMADDWD)
    __m256i minimums[4];  // values 64c…64c+63: lane r holds row r's min of sub-block 2c | that of 2c+1 << 16
    __m256 d, dmin;
} KILN_NAME(q4_K_octet);

/// A token's block: its d and, for each 64 values, the sums of its two sub-blocks' levels (low | high << 16).
typedef struct {
    float d;
    int32_t sums[4];
} KILN_NAME(q4_K_token);

/// Rows r0…r7 of 32-bit lanes as columns: out[g] lane r = in[r] lane g.
KILN_INLINE void KILN_NAME(transpose8)(const __m256i in[8], __m256i *out) {
    __m256i t[8], u[8];
    KILN_UNROLL for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_epi32(in[2 * i], in[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(in[2 * i], in[2 * i + 1]);
    }
    KILN_UNROLL for (int i = 0; i < 2; i++) {
        u[4 * i] = _mm256_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 1] = _mm256_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        u[4 * i + 2] = _mm256_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        u[4 * i + 3] = _mm256_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    KILN_UNROLL for (int g = 0; g < 4; g++) {
        out[g] = _mm256_permute2x128_si256(u[g], u[g + 4], 0x20);
        out[g + 4] = _mm256_permute2x128_si256(u[g], u[g + 4], 0x31);
    }
}

/// `rows` (at most 8) rows' blocks as octets; missing rows are zeros.
static void KILN_NAME(q4_K_octet_prepare)(const uint8_t *w, size_t ws, int rows, int blocks, KILN_NAME(q4_K_octet) *panel) {
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    for (int b = 0; b < blocks; b++) {
        KILN_NAME(q4_K_octet) *o = panel + b;
        __m256i low[4][KILN_OCTET_ROWS], high[4][KILN_OCTET_ROWS];
        int32_t scales[8][KILN_OCTET_ROWS], minimums[4][KILN_OCTET_ROWS];
        float d[KILN_OCTET_ROWS], dmin[KILN_OCTET_ROWS];
        for (int r = 0; r < KILN_OCTET_ROWS; r++) {
            if (r >= rows) {
                for (int c = 0; c < 4; c++) low[c][r] = high[c][r] = _mm256_setzero_si256();
                for (int s = 0; s < 8; s++) scales[s][r] = 0;
                for (int c = 0; c < 4; c++) minimums[c][r] = 0;
                d[r] = dmin[r] = 0;
                continue;
            }
            const uint8_t *wb = w + r * ws + (size_t)b * Q4_K_BYTES;
            uint64_t sc, mn;
            kiln_q4_K_scales(wb + 4, &sc, &mn);
            for (int s = 0; s < 8; s++) scales[s][r] = (int32_t)(sc >> (8 * s) & 0xff) * (KILN_VNNI ? 1 : 0x10001);
            for (int c = 0; c < 4; c++) minimums[c][r] = (int32_t)(mn >> (16 * c) & 0xff) | (int32_t)(mn >> (16 * c + 8) & 0xff) << 16;
            d[r] = KILN_NAME(half)(wb);
            dmin[r] = KILN_NAME(half)(wb + 2);
            for (int c = 0; c < 4; c++) {
                const __m256i q = _mm256_loadu_si256((const __m256i *)(wb + 16 + 32 * c));
                low[c][r] = _mm256_and_si256(q, nibble);
                high[c][r] = _mm256_and_si256(_mm256_srli_epi16(q, 4), nibble);
            }
        }
        // Sub-block 2c is chunk c's low nibbles, 2c+1 its high ones.
        for (int c = 0; c < 4; c++) {
            KILN_NAME(transpose8)(low[c], o->q + 16 * c);
            KILN_NAME(transpose8)(high[c], o->q + 16 * c + 8);
        }
        for (int s = 0; s < 8; s++) o->scales[s] = _mm256_loadu_si256((const __m256i *)scales[s]);
        for (int c = 0; c < 4; c++) o->minimums[c] = _mm256_loadu_si256((const __m256i *)minimums[c]);
        o->d = _mm256_loadu_ps(d);
        o->dmin = _mm256_loadu_ps(dmin);
    }
}

static void KILN_NAME(q4_K_token_table)(const uint8_t *x, size_t xs, int tokens, int blocks, KILN_NAME(q4_K_token) *table) {
    for (int t = 0; t < tokens; t++)
        for (int b = 0; b < blocks; b++) {
            const uint8_t *xb = x + t * xs + (size_t)b * Q8_K_BYTES;
            int16_t sums[16];
            memcpy(sums, xb + 260, 32);
            KILN_NAME(q4_K_token) *e = table + t * blocks + b;
            e->d = kiln_float(xb);
            for (int c = 0; c < 4; c++) {
                const uint16_t first = (uint16_t)(sums[4 * c] + sums[4 * c + 1]), second = (uint16_t)(sums[4 * c + 2] + sums[4 * c + 3]);
                e->sums[c] = (int32_t)((uint32_t)first | (uint32_t)second << 16);
            }
        }
}

/// An octet's `rows` rows × T tokens; `perPair`: the gemm order, else the gemv order.
KILN_INLINE void KILN_NAME(q4_K_octet_tile)(const int T, const int perPair, const KILN_NAME(q4_K_octet) *panel, int blocks,
                                             const uint8_t *x, size_t xs, const KILN_NAME(q4_K_token) *table, float *out, size_t os,
                                             int rows) {
    __m256 acc[KILN_OCTET_T], minimums[KILN_OCTET_T];
    KILN_UNROLL for (int t = 0; t < T; t++) acc[t] = minimums[t] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const KILN_NAME(q4_K_octet) *o = panel + b;
        const uint8_t *xb = x + (size_t)b * Q8_K_BYTES + 4;
        __m256 d[KILN_OCTET_T], dmin[KILN_OCTET_T];
        __m256i blockSum[KILN_OCTET_T], blockMinimum[KILN_OCTET_T];
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const __m256 dx = _mm256_set1_ps(table[t * blocks + b].d);
            d[t] = _mm256_mul_ps(o->d, dx);
            dmin[t] = _mm256_mul_ps(o->dmin, dx);
            blockSum[t] = blockMinimum[t] = _mm256_setzero_si256();
        }
        KILN_UNROLL for (int c = 0; c < 4; c++) {
            __m256i pair[KILN_OCTET_T];
            KILN_UNROLL for (int half = 0; half < 2; half++) {
                const int s = 2 * c + half;
                __m256i sub[KILN_OCTET_T];
                KILN_UNROLL for (int t = 0; t < T; t++) sub[t] = _mm256_setzero_si256();
                KILN_UNROLL for (int g = 0; g < 8; g++) {
                    const __m256i levels = o->q[8 * s + g];
                    KILN_UNROLL for (int t = 0; t < T; t++) {
                        int32_t four;
                        memcpy(&four, xb + t * xs + 32 * s + 4 * g, 4);
                        const __m256i activations = _mm256_set1_epi32(four);
#if KILN_VNNI
                        sub[t] = _mm256_dpbusd_epi32(sub[t], levels, activations);
#else
                        // Eight pair sums of at most 2·15·128 stay within int16.
                        sub[t] = _mm256_add_epi16(sub[t], _mm256_maddubs_epi16(levels, activations));
#endif
                    }
                }
                KILN_UNROLL for (int t = 0; t < T; t++) {
#if KILN_VNNI
                    const __m256i scaled = _mm256_mullo_epi32(sub[t], o->scales[s]);
#else
                    const __m256i scaled = _mm256_madd_epi16(sub[t], o->scales[s]);
#endif
                    pair[t] = half ? _mm256_add_epi32(pair[t], scaled) : scaled;
                }
            }
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const __m256i minimum = _mm256_madd_epi16(o->minimums[c], _mm256_set1_epi32(table[t * blocks + b].sums[c]));
                if (perPair) {
                    acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(pair[t]), d[t], acc[t]);
                    minimums[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(minimum), dmin[t], minimums[t]);
                } else {
                    blockSum[t] = _mm256_add_epi32(blockSum[t], pair[t]);
                    blockMinimum[t] = _mm256_add_epi32(blockMinimum[t], minimum);
                }
            }
        }
        if (!perPair) {
            KILN_UNROLL for (int t = 0; t < T; t++) {
                acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(blockSum[t]), d[t], acc[t]);
                minimums[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(blockMinimum[t]), dmin[t], minimums[t]);
            }
        }
    }
    KILN_UNROLL for (int t = 0; t < T; t++) {
        const __m256 result = _mm256_sub_ps(acc[t], minimums[t]);
        if (rows == KILN_OCTET_ROWS) {
            _mm256_storeu_ps(out + t * os, result);
        } else {
            float lanes[KILN_OCTET_ROWS];
            _mm256_storeu_ps(lanes, result);
            for (int r = 0; r < rows; r++) out[t * os + r] = lanes[r];
        }
    }
}

#define KILN_OCTET_ARGS const KILN_NAME(q4_K_octet) *panel, int blocks, const uint8_t *x, size_t xs, const KILN_NAME(q4_K_token) *table, \
                        float *out, size_t os, int rows
static void KILN_NAME(q4_K_octet_gemm)(KILN_OCTET_ARGS) { KILN_NAME(q4_K_octet_tile)(KILN_OCTET_T, 1, panel, blocks, x, xs, table, out, os, rows); }
static void KILN_NAME(q4_K_octet_gemm1)(KILN_OCTET_ARGS) { KILN_NAME(q4_K_octet_tile)(1, 1, panel, blocks, x, xs, table, out, os, rows); }
static void KILN_NAME(q4_K_octet_gemv)(KILN_OCTET_ARGS) { KILN_NAME(q4_K_octet_tile)(1, 0, panel, blocks, x, xs, table, out, os, rows); }
#undef KILN_OCTET_ARGS

/// One stored row times one token in the gemv order (a token or three: no panel to amortize).
static float KILN_NAME(q4_K_gemv_row)(const uint8_t *w, const uint8_t *x, int blocks) {
    float acc = 0, minimums = 0;
    for (int b = 0; b < blocks; b++) {
        const uint8_t *wb = w + (size_t)b * Q4_K_BYTES, *xb = x + (size_t)b * Q8_K_BYTES;
        uint64_t sc, mn;
        kiln_q4_K_scales(wb + 4, &sc, &mn);
        __m256i sum = _mm256_setzero_si256();
        KILN_UNROLL for (int c = 0; c < 4; c++) sum = _mm256_add_epi32(sum, KILN_NAME(q4_K_chunk_dot)(KILN_NAME(q4_K_chunk_at)(wb, sc, c), xb, c));
        const __m128i minimum = _mm_madd_epi16(_mm_cvtepu8_epi16(_mm_cvtsi64_si128((long long)mn)), KILN_NAME(q8_K_sub_block_sums)(xb));
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
        __m128i m = _mm_add_epi32(minimum, _mm_shuffle_epi32(minimum, 0x4e));
        m = _mm_add_epi32(m, _mm_shuffle_epi32(m, 0xb1));
        const float dx = kiln_float(xb);
        acc = fmaf((float)_mm_cvtsi128_si32(s), KILN_NAME(half)(wb) * dx, acc);
        minimums = fmaf((float)_mm_cvtsi128_si32(m), KILN_NAME(half)(wb + 2) * dx, minimums);
    }
    return acc - minimums;
}

/// `grouped`: how many of the tokens, from the first, take the gemm order.
static int KILN_NAME(q4_K_repacked)(const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs, int tokens, int grouped,
                                    int blocks, float *out, size_t os) {
    const int paneled = tokens >= 4;
    KILN_NAME(q4_K_octet) *panel = paneled ? aligned_alloc(32, (size_t)blocks * sizeof *panel) : NULL;
    KILN_NAME(q4_K_token) *table = paneled ? malloc((size_t)tokens * blocks * sizeof *table) : NULL;
    if (!panel || !table) {
        // A token or three, or no memory for a panel: row by row (the portable kernel has the gemm order).
        free(panel);
        free(table);
        for (int t = 0; t < tokens; t++)
            for (int r = 0; r < rows; r++)
                out[t * os + r] = t < grouped ? kiln_dot_q4_K_repacked_portable(w + r * ws, x + t * xs, blocks, 1)
                                              : KILN_NAME(q4_K_gemv_row)(w + r * ws, x + t * xs, blocks);
        return 0;
    }
    KILN_NAME(q4_K_token_table)(x, xs, tokens, blocks, table);
    for (int r = 0; r < rows; r += KILN_OCTET_ROWS) {
        const int count = rows - r < KILN_OCTET_ROWS ? rows - r : KILN_OCTET_ROWS;
        KILN_NAME(q4_K_octet_prepare)(w + r * ws, ws, count, blocks, panel);
        int t = 0;
        for (; t + KILN_OCTET_T <= grouped; t += KILN_OCTET_T)
            KILN_NAME(q4_K_octet_gemm)(panel, blocks, x + t * xs, xs, table + t * blocks, out + t * os + r, os, count);
        for (; t < grouped; t++) KILN_NAME(q4_K_octet_gemm1)(panel, blocks, x + t * xs, xs, table + t * blocks, out + t * os + r, os, count);
        for (; t < tokens; t++) KILN_NAME(q4_K_octet_gemv)(panel, blocks, x + t * xs, xs, table + t * blocks, out + t * os + r, os, count);
    }
    free(panel);
    free(table);
    return 0;
}
