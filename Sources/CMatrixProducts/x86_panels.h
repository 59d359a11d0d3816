// Prompt products on prepared panels, for the AVX-512 kernels (included by x86_kernels.h when
// KILN_WIDE). A prompt multiplies every weight row with hundreds of tokens, so a few rows at a time
// are first unpacked into a panel of ready-made registers (nibbles split, scales widened and spread
// over their lanes, halves converted, rows paired): the tile loop then only loads, multiplies and
// accumulates, and the panel's cost is shared by every token. Each Q8_0, Q5_0 and Q4_K output still gets
// exactly the integer lane sums and the float operations, in the same order, of the pair kernels
// above; Q6_K prompts have their own layout and order (last in this file).

#include <stdlib.h>

/// A tile's arguments: one prepared pair of rows (`blocks` blocks), T tokens' activations and their
/// part of the token table.
#define KILN_PANEL_TILE_ARGS const void *pair, int blocks, const uint8_t *x, size_t xs, const void *table, float *out, size_t os

enum {
    KILN_PANEL_ROWS = 16,  // rows unpacked at a time (8 pairs: a panel stays in the L2 cache)
    KILN_PANEL_T = 8,      // tokens per tile: their activation blocks stay in L1 across the panel
};

/// A pair of Q4_K rows' block, unpacked. 512-bit lanes hold row 0 in their low half, row 1 in the high.
typedef struct {
    __m512i low[4], high[4];            // the nibbles of each 32-byte chunk, one per byte
    __m512i scaleLow[4], scaleHigh[4];  // their sub-block scales in every 16-bit lane
    __m512 d;                           // each row's d in its eight lanes
    __m256 negativeMinimum;             // −dmin, in four lanes per row
    __m256i minimums;                   // the eight 6-bit minimums per row, as 16-bit lanes
} KILN_NAME(q4_K_pair);

static void KILN_NAME(q4_K_prepare)(const uint8_t *w, size_t ws, int pairs, int blocks, void *prepared) {
    KILN_NAME(q4_K_pair) *panel = prepared;
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    for (int p = 0; p < pairs; p++)
        for (int b = 0; b < blocks; b++) {
            const uint8_t *w0 = w + 2 * p * ws + (size_t)b * Q4_K_BYTES, *w1 = w0 + ws;
            KILN_NAME(q4_K_pair) *o = panel + p * blocks + b;
            uint64_t scales0, mins0, scales1, mins1;
            kiln_q4_K_scales(w0 + 4, &scales0, &mins0);
            kiln_q4_K_scales(w1 + 4, &scales1, &mins1);
            const __m512i scales = _mm512_castsi256_si512(_mm256_cvtepu8_epi16(_mm_set_epi64x((long long)scales1, (long long)scales0)));
            for (int c = 0; c < 4; c++) {
                o->scaleLow[c] = _mm512_permutexvar_epi16(KILN_NAME(pick)(2 * c, 8 + 2 * c), scales);
                o->scaleHigh[c] = _mm512_permutexvar_epi16(KILN_NAME(pick)(2 * c + 1, 9 + 2 * c), scales);
                const __m512i q = KILN_NAME(rows2)(w0 + 16 + 32 * c, w1 + 16 + 32 * c);
                o->low[c] = _mm512_and_si512(q, nibble);
                o->high[c] = _mm512_and_si512(_mm512_srli_epi16(q, 4), nibble);
            }
            o->d = KILN_NAME(halves)(KILN_NAME(half)(w0), KILN_NAME(half)(w1));
            // −dx·dmin is dx·(−dmin) exactly (rounding is symmetric in sign).
            o->negativeMinimum = _mm256_insertf128_ps(_mm256_set1_ps(-KILN_NAME(half)(w0 + 2)), _mm_set1_ps(-KILN_NAME(half)(w1 + 2)), 1);
            o->minimums = _mm256_cvtepu8_epi16(_mm_set_epi64x((long long)mins1, (long long)mins0));
        }
}

/// Token t's eight 32-value sums of each block (`table[t * blocks + b]`), shared by every pair.
static void KILN_NAME(q4_K_table)(const uint8_t *x, size_t xs, int tokens, int blocks, void *table) {
    __m256i *sums = table;
    for (int t = 0; t < tokens; t++)
        for (int b = 0; b < blocks; b++)
            sums[t * blocks + b] = _mm256_broadcastsi128_si256(KILN_NAME(q8_K_sub_block_sums)(x + t * xs + (size_t)b * Q8_K_BYTES));
}

/// One pair of rows × T tokens.
KILN_INLINE void KILN_NAME(q4_K_panel_tile)(const int T, KILN_PANEL_TILE_ARGS) {
    const KILN_NAME(q4_K_pair) *w4 = pair;
    const __m256i *groupSums = table;
    __m512 acc[KILN_PANEL_T];
    __m256 minimums[KILN_PANEL_T];
    KILN_UNROLL for (int t = 0; t < T; t++) {
        acc[t] = _mm512_setzero_ps();
        minimums[t] = _mm256_setzero_ps();
    }
    for (int b = 0; b < blocks; b++) {
        const KILN_NAME(q4_K_pair) *o = w4 + b;
        const uint8_t *xb = x + (size_t)b * Q8_K_BYTES;
        __m512i sumi[KILN_PANEL_T];
        KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm512_setzero_si512();
        KILN_UNROLL for (int c = 0; c < 4; c++) {
            KILN_UNROLL for (int t = 0; t < T; t++) {
                sumi[t] = _mm512_dpwssd_epi32(sumi[t], o->scaleLow[c], _mm512_maddubs_epi16(o->low[c], KILN_NAME(twice)(xb + t * xs + 4 + 64 * c)));
                sumi[t] = _mm512_dpwssd_epi32(sumi[t], o->scaleHigh[c], _mm512_maddubs_epi16(o->high[c], KILN_NAME(twice)(xb + t * xs + 36 + 64 * c)));
            }
        }
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const float dx = kiln_float(xb + t * xs);
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(dx), o->d), _mm512_cvtepi32_ps(sumi[t]), acc[t]);
            const __m256i product = _mm256_madd_epi16(o->minimums, groupSums[t * blocks + b]);
            minimums[t] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(dx), o->negativeMinimum), _mm256_cvtepi32_ps(product), minimums[t]);
        }
    }
    KILN_UNROLL for (int t = 0; t < T; t++) KILN_NAME(store_pair)(acc[t], minimums[t], 1, out + t * os, out + t * os + 1);
}


/// Q8_0 and Q5_0: a pair of rows' levels, their scales, and the start of each lane's sum: VPDPBUSD
/// wants unsigned bytes, so the activations are offset by 128 (in the token table) and each lane
/// starts from −128 × (its four weights' sum), which leaves exactly the signed sums.
typedef struct {
    __m512i q, start;
    __m512 d;
} KILN_NAME(q0_pair);

KILN_INLINE void KILN_NAME(q0_prepare)(const kiln_row_type type, const uint8_t *w, size_t ws, int pairs, int blocks, void *prepared) {
    KILN_NAME(q0_pair) *panel = prepared;
    for (int p = 0; p < pairs; p++)
        for (int b = 0; b < blocks; b++) {
            const uint8_t *w0 = w + 2 * p * ws + b * KILN_NAME(q0_bytes)(type), *w1 = w0 + ws;
            KILN_NAME(q0_pair) *o = panel + p * blocks + b;
            o->q = KILN_NAME(q0_levels2)(type, w0, w1);
            // −128 × Σ w (not 128 × Σ −w: a level of −128 has no byte negative).
            const __m512i sums = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(1), o->q);
            o->start = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(sums, 7));
            o->d = KILN_NAME(halves)(KILN_NAME(half)(w0), KILN_NAME(half)(w1));
        }
}

static void KILN_NAME(q8_0_prepare)(const uint8_t *w, size_t ws, int pairs, int blocks, void *prepared) {
    KILN_NAME(q0_prepare)(KILN_ROWS_Q8_0, w, ws, pairs, blocks, prepared);
}

static void KILN_NAME(q5_0_prepare)(const uint8_t *w, size_t ws, int pairs, int blocks, void *prepared) {
    KILN_NAME(q0_prepare)(KILN_ROWS_Q5_0, w, ws, pairs, blocks, prepared);
}

/// A token's block offset by 128, and its scale as a float.
typedef struct {
    uint8_t shifted[32];
    float d;
} KILN_NAME(q0_token);

static void KILN_NAME(q0_table)(const uint8_t *x, size_t xs, int tokens, int blocks, void *table) {
    KILN_NAME(q0_token) *o = table;
    for (int t = 0; t < tokens; t++)
        for (int b = 0; b < blocks; b++) {
            const uint8_t *xb = x + t * xs + (size_t)b * Q8_0_BYTES;
            _mm256_storeu_si256((__m256i *)o[t * blocks + b].shifted,
                                _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(xb + 2)), _mm256_set1_epi8((char)0x80)));
            o[t * blocks + b].d = KILN_NAME(half)(xb);
        }
}

KILN_INLINE void KILN_NAME(q0_panel_tile)(const int T, KILN_PANEL_TILE_ARGS) {
    const KILN_NAME(q0_pair) *w8 = pair;
    const KILN_NAME(q0_token) *tokens = table;
    __m512 acc[KILN_PANEL_T];
    KILN_UNROLL for (int t = 0; t < T; t++) acc[t] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const KILN_NAME(q0_pair) *o = w8 + b;
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const KILN_NAME(q0_token) *token = tokens + t * blocks + b;
            const __m512i sums = _mm512_dpbusd_epi32(o->start, KILN_NAME(twice)(token->shifted), o->q);
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(o->d, _mm512_set1_ps(token->d)), _mm512_cvtepi32_ps(sums), acc[t]);
        }
    }
    KILN_UNROLL for (int t = 0; t < T; t++) KILN_NAME(store_pair)(acc[t], _mm256_setzero_ps(), 0, out + t * os, out + t * os + 1);
}

typedef void (*KILN_NAME(prepare_fn))(const uint8_t *w, size_t ws, int pairs, int blocks, void *panel);
typedef void (*KILN_NAME(table_fn))(const uint8_t *x, size_t xs, int tokens, int blocks, void *table);
typedef void (*KILN_NAME(panel_tile_fn))(KILN_PANEL_TILE_ARGS);

/// A type's panel kernels: the full tile and the one-token tile.
#define KILN_PANEL_TILES(type) \
    static void KILN_NAME(type##_panel_full)(KILN_PANEL_TILE_ARGS) { KILN_NAME(type##_panel_tile)(KILN_PANEL_T, pair, blocks, x, xs, table, out, os); } \
    static void KILN_NAME(type##_panel_one)(KILN_PANEL_TILE_ARGS) { KILN_NAME(type##_panel_tile)(1, pair, blocks, x, xs, table, out, os); }
KILN_PANEL_TILES(q4_K)
KILN_PANEL_TILES(q0)

/// A prompt's product: panels of KILN_PANEL_ROWS rows are unpacked (`pairBytes` per pair and block)
/// once, and every tile of KILN_PANEL_T tokens passes over all their pairs (a panel's hundreds of
/// thousands of products per token tile leave the activations plenty of time to stream in from any
/// cache); an odd last row takes `single`. A token table (`tableBytes` per token and block) is built
/// first. Returns -1 if memory runs out.
static int KILN_NAME(panels)(KILN_NAME(prepare_fn) prepare, size_t pairBytes, KILN_NAME(table_fn) fill, size_t tableBytes,
                             KILN_NAME(panel_tile_fn) full, KILN_NAME(panel_tile_fn) one, KILN_NAME(tile_fn) single,
                             const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs, int tokens, int blocks,
                             float *out, size_t os) {
    const int T = KILN_PANEL_T;
    uint8_t *panel = aligned_alloc(64, pairBytes * (KILN_PANEL_ROWS / 2) * blocks);
    uint8_t *table = tableBytes ? aligned_alloc(64, (tableBytes * tokens * blocks + 63) / 64 * 64) : NULL;
    if (!panel || (tableBytes && !table)) {
        free(panel);
        free(table);
        return -1;
    }
    if (fill) fill(x, xs, tokens, blocks, table);
    for (int r = 0; r < rows; r += KILN_PANEL_ROWS) {
        const int count = rows - r < KILN_PANEL_ROWS ? rows - r : KILN_PANEL_ROWS, pairs = count / 2;
        prepare(w + r * ws, ws, pairs, blocks, panel);
        int t = 0;
        for (; t + T <= tokens; t += T)
            for (int p = 0; p < pairs; p++)
                full(panel + p * blocks * pairBytes, blocks, x + t * xs, xs, table ? table + t * blocks * tableBytes : NULL,
                     out + t * os + r + 2 * p, os);
        for (; t < tokens; t++)
            for (int p = 0; p < pairs; p++)
                one(panel + p * blocks * pairBytes, blocks, x + t * xs, xs, table ? table + t * blocks * tableBytes : NULL,
                    out + t * os + r + 2 * p, os);
        if (count % 2)
            for (t = 0; t < tokens; t++) single(w + (r + count - 1) * ws, ws, x + t * xs, xs, blocks, out + t * os + r + count - 1, os);
    }
    free(panel);
    free(table);
    return 0;
}

/// Q6_K prompts in llama.cpp's tiled layout and order (`kiln_dot_q6_K_prompt_portable`): 16 tokens
/// in the lanes of a register, 8 rows at a time. Each row's levels are unpacked to bytes once per
/// product and each group of four is broadcast against the 16 tokens' four activations (VPDPBUSD,
/// one instruction per 64 products); a 16-value sub-block's sum starts from −32 × its activation sum,
/// is multiplied by its scale, and each block ends in acc + (sum · d_w) · d_x.
enum { KILN_Q6_K_BAND = 16, KILN_Q6_K_ROWS = 8 };

/// One row's block, unpacked.
typedef struct {
    uint8_t q[256];     // six-bit levels in value order
    int32_t scale[16];  // sub-block scales
    float d;
} KILN_NAME(q6_K_unpacked);

/// One block of a band of 16 tokens.
typedef struct {
    int8_t x[64][KILN_Q6_K_BAND][4];        // activations, four consecutive values per token and group
    int32_t start[16][KILN_Q6_K_BAND];      // −32 × each sub-block's activation sum
    float d[KILN_Q6_K_BAND];
} KILN_NAME(q6_K_tokens);

static void KILN_NAME(q6_K_band_fill)(const uint8_t *x, size_t xs, int count, int blocks, KILN_NAME(q6_K_tokens) *band) {
    memset(band, 0, sizeof(*band) * blocks);  // tokens past `count` multiply as zeros
    for (int b = 0; b < blocks; b++)
        for (int t = 0; t < count; t++) {
            const uint8_t *xb = x + t * xs + (size_t)b * Q8_K_BYTES;
            for (int g = 0; g < 64; g++) memcpy(band[b].x[g][t], xb + 4 + 4 * g, 4);
            int16_t sums[16];
            memcpy(sums, xb + 260, 32);
            for (int s = 0; s < 16; s++) band[b].start[s][t] = -32 * sums[s];
            band[b].d[t] = kiln_float(xb);
        }
}

static void KILN_NAME(q6_K_rows_fill)(const uint8_t *w, size_t ws, int count, int blocks, KILN_NAME(q6_K_unpacked) *panel) {
    memset(panel, 0, sizeof(*panel) * KILN_Q6_K_ROWS * blocks);  // rows past `count` are zeros
    for (int r = 0; r < count; r++)
        for (int b = 0; b < blocks; b++) {
            const uint8_t *wb = w + r * ws + (size_t)b * Q6_K_BYTES;
            KILN_NAME(q6_K_unpacked) *o = panel + r * blocks + b;
            for (int half = 0; half < 2; half++) {
                __m256i q[4];
                KILN_NAME(q6_K_levels)(wb, half, q);
                for (int c = 0; c < 4; c++) _mm256_storeu_si256((__m256i *)(o->q + 128 * half + 32 * c), q[c]);
            }
            _mm512_storeu_si512(o->scale, _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(wb + 192))));
            o->d = KILN_NAME(half)(wb + 208);
        }
}

/// 8 rows × 16 tokens over all blocks: result[r][t].
static void KILN_NAME(q6_K_band_tile)(const KILN_NAME(q6_K_unpacked) *panel, const KILN_NAME(q6_K_tokens) *band, int blocks,
                                      float result[KILN_Q6_K_ROWS][KILN_Q6_K_BAND]) {
    const int R = KILN_Q6_K_ROWS;
    __m512 acc[KILN_Q6_K_ROWS];
    KILN_UNROLL for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const KILN_NAME(q6_K_tokens) *x = band + b;
        const KILN_NAME(q6_K_unpacked) *row[KILN_Q6_K_ROWS];
        KILN_UNROLL for (int r = 0; r < R; r++) row[r] = panel + r * blocks + b;
        __m512i sum[KILN_Q6_K_ROWS];
        KILN_UNROLL for (int r = 0; r < R; r++) sum[r] = _mm512_setzero_si512();
        for (int s = 0; s < 16; s++) {
            const __m512i start = _mm512_load_si512(x->start[s]);
            __m512i part[KILN_Q6_K_ROWS];
            KILN_UNROLL for (int r = 0; r < R; r++) part[r] = start;
            KILN_UNROLL for (int g = 0; g < 4; g++) {
                const __m512i codes = _mm512_load_si512(x->x[4 * s + g]);
                KILN_UNROLL for (int r = 0; r < R; r++) {
                    int32_t levels;
                    memcpy(&levels, row[r]->q + 16 * s + 4 * g, 4);
                    part[r] = _mm512_dpbusd_epi32(part[r], _mm512_set1_epi32(levels), codes);
                }
            }
            KILN_UNROLL for (int r = 0; r < R; r++)
                sum[r] = _mm512_add_epi32(sum[r], _mm512_mullo_epi32(part[r], _mm512_set1_epi32(row[r]->scale[s])));
        }
        const __m512 dx = _mm512_load_ps(x->d);
        KILN_UNROLL for (int r = 0; r < R; r++)
            acc[r] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(sum[r]), _mm512_set1_ps(row[r]->d)), dx, acc[r]);
    }
    KILN_UNROLL for (int r = 0; r < R; r++) _mm512_storeu_ps(result[r], acc[r]);
}

/// The whole prompt product: every band's activations are laid out once, then each group of 8 rows
/// is unpacked once and passes over all bands. Returns -1 if memory runs out.
static int KILN_NAME(q6_K_prompt)(const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs, int tokens, int blocks,
                                  float *out, size_t os) {
    const int bands = (tokens + KILN_Q6_K_BAND - 1) / KILN_Q6_K_BAND;
    KILN_NAME(q6_K_tokens) *table = aligned_alloc(64, sizeof(KILN_NAME(q6_K_tokens)) * bands * blocks);
    KILN_NAME(q6_K_unpacked) *panel = aligned_alloc(64, sizeof(KILN_NAME(q6_K_unpacked)) * KILN_Q6_K_ROWS * blocks);
    if (!table || !panel) {
        free(table);
        free(panel);
        return -1;
    }
    for (int band = 0; band < bands; band++) {
        const int t0 = band * KILN_Q6_K_BAND, count = tokens - t0 < KILN_Q6_K_BAND ? tokens - t0 : KILN_Q6_K_BAND;
        KILN_NAME(q6_K_band_fill)(x + t0 * xs, xs, count, blocks, table + (size_t)band * blocks);
    }
    float result[KILN_Q6_K_ROWS][KILN_Q6_K_BAND];
    for (int r0 = 0; r0 < rows; r0 += KILN_Q6_K_ROWS) {
        const int count = rows - r0 < KILN_Q6_K_ROWS ? rows - r0 : KILN_Q6_K_ROWS;
        KILN_NAME(q6_K_rows_fill)(w + r0 * ws, ws, count, blocks, panel);
        for (int band = 0; band < bands; band++) {
            KILN_NAME(q6_K_band_tile)(panel, table + (size_t)band * blocks, blocks, result);
            const int t0 = band * KILN_Q6_K_BAND, n = tokens - t0 < KILN_Q6_K_BAND ? tokens - t0 : KILN_Q6_K_BAND;
            for (int t = 0; t < n; t++)
                for (int r = 0; r < count; r++) out[(t0 + t) * os + r0 + r] = result[r][t];
        }
    }
    free(table);
    free(panel);
    return 0;
}
