// The x86 kernels, written once and compiled once per ISA: the including file sets KILN_ISA_NAME,
// the tile shapes and KILN_VNNI, and wraps this file in a `#pragma clang attribute` that gives every
// function its target attribute. Each tile multiplies R weight rows with T activation rows; every
// output keeps its own accumulators, so tiling never changes a result's bits.

// Every fused multiply-add is written out, so that no other product may be fused.
#pragma clang fp contract(off)

#define KILN_CAT_(a, b) a##_##b
#define KILN_CAT(a, b) KILN_CAT_(a, b)
#define KILN_NAME(name) KILN_CAT(name, KILN_ISA_NAME)
#define KILN_INLINE static inline __attribute__((always_inline))
#define KILN_UNROLL _Pragma("clang loop unroll(full)")

/// Eight sums of four u8·s8 products (exact: the pair sums stay within int16 for these types).
KILN_INLINE __m256i KILN_NAME(dot4)(__m256i unsigned_bytes, __m256i signed_bytes) {
#if KILN_VNNI
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), unsigned_bytes, signed_bytes);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(unsigned_bytes, signed_bytes), _mm256_set1_epi16(1));
#endif
}

KILN_INLINE float KILN_NAME(half)(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// llama.cpp's `hsum_float_8`.
KILN_INLINE float KILN_NAME(sum8)(__m256 v) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(v, 1), _mm256_castps256_ps128(v));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

KILN_INLINE float KILN_NAME(sum4)(__m128 v) {
    v = _mm_add_ps(v, _mm_movehl_ps(v, v));
    v = _mm_add_ss(v, _mm_movehdup_ps(v));
    return _mm_cvtss_f32(v);
}

#define KILN_TILE_ARGS const uint8_t *w, size_t ws, const uint8_t *x, size_t xs, int blocks, float *out, size_t os

/// The 32 signed levels of a Q8_0 or Q5_0 weight block, in value order (for Q5_0 llama.cpp's
/// unpacking: nibble q, then q − 16 where the value's fifth bit is clear).
KILN_INLINE __m256i KILN_NAME(q0_levels)(const kiln_row_type type, const uint8_t *wb) {
    if (type == KILN_ROWS_Q8_0) return _mm256_loadu_si256((const __m256i *)(wb + 2));
    const __m128i packed = _mm_loadu_si128((const __m128i *)(wb + 6));
    const __m256i nibbles = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0f));
    uint32_t high;
    memcpy(&high, wb + 2, 4);
#if KILN_WIDE
    return _mm256_mask_sub_epi8(nibbles, (__mmask32)~high, nibbles, _mm256_set1_epi8(16));
#else
    // Byte j = bit j of `high`: its byte spread over eight lanes, each lane's other bits set, compared with all ones.
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)high),
                                               _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    const __m256i set = _mm256_cmpeq_epi8(_mm256_or_si256(spread, _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe)), _mm256_set1_epi64x(-1));
    return _mm256_or_si256(nibbles, _mm256_andnot_si256(set, _mm256_set1_epi8((char)0xf0)));
#endif
}

KILN_INLINE size_t KILN_NAME(q0_bytes)(const kiln_row_type type) { return type == KILN_ROWS_Q8_0 ? Q8_0_BYTES : Q5_0_BYTES; }

/// Q8_0 or Q5_0 rows × Q8_0 activations, in the order llama.cpp's `vec_dot` and tinyBLAS share for
/// both: eight exact lane sums of four products, each fused with d_w·d_x into its lane.
KILN_INLINE void KILN_NAME(q0_tile)(const kiln_row_type type, const int R, const int T, KILN_TILE_ARGS) {
    __m256 acc[KILN_MAX_R][KILN_MAX_T];
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++) acc[r][t] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        __m256i xq[KILN_MAX_T];
        __m256 dx[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const uint8_t *xb = x + t * xs + (size_t)b * Q8_0_BYTES;
            xq[t] = _mm256_loadu_si256((const __m256i *)(xb + 2));
            dx[t] = _mm256_set1_ps(KILN_NAME(half)(xb));
        }
        KILN_UNROLL for (int r = 0; r < R; r++) {
            const uint8_t *wb = w + r * ws + b * KILN_NAME(q0_bytes)(type);
            const __m256i wq = KILN_NAME(q0_levels)(type, wb);
            const __m256i magnitudes = _mm256_sign_epi8(wq, wq);
            const __m256 dw = _mm256_set1_ps(KILN_NAME(half)(wb));
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const __m256i p = KILN_NAME(dot4)(magnitudes, _mm256_sign_epi8(xq[t], wq));
                acc[r][t] = _mm256_fmadd_ps(_mm256_mul_ps(dw, dx[t]), _mm256_cvtepi32_ps(p), acc[r][t]);
            }
        }
    }
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++) out[t * os + r] = KILN_NAME(sum8)(acc[r][t]);
}

KILN_INLINE void KILN_NAME(q8_0_tile)(const int R, const int T, KILN_TILE_ARGS) { KILN_NAME(q0_tile)(KILN_ROWS_Q8_0, R, T, w, ws, x, xs, blocks, out, os); }
KILN_INLINE void KILN_NAME(q5_0_tile)(const int R, const int T, KILN_TILE_ARGS) { KILN_NAME(q0_tile)(KILN_ROWS_Q5_0, R, T, w, ws, x, xs, blocks, out, os); }

/// Chunk c (values 64c…64c+63) of a Q4_K block: its 32 bytes' low and high nibbles (sub-blocks 2c and
/// 2c+1) and their scales in every 16-bit lane.
typedef struct {
    __m256i low, high, scaleLow, scaleHigh;
} KILN_NAME(q4_K_chunk);

KILN_INLINE KILN_NAME(q4_K_chunk) KILN_NAME(q4_K_chunk_at)(const uint8_t *wb, uint64_t scales, int c) {
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i q = _mm256_loadu_si256((const __m256i *)(wb + 16 + 32 * c));
    return (KILN_NAME(q4_K_chunk)){
        .low = _mm256_and_si256(q, nibble),
        .high = _mm256_and_si256(_mm256_srli_epi16(q, 4), nibble),
        .scaleLow = _mm256_set1_epi16((short)(scales >> (16 * c) & 0xff)),
        .scaleHigh = _mm256_set1_epi16((short)(scales >> (16 * c + 8) & 0xff)),
    };
}

/// That chunk times the same values of a token's Q8_K block `xb`: eight lanes of exact scale·q·x sums.
KILN_INLINE __m256i KILN_NAME(q4_K_chunk_dot)(const KILN_NAME(q4_K_chunk) k, const uint8_t *xb, int c) {
    const __m256i low = _mm256_madd_epi16(k.scaleLow, _mm256_maddubs_epi16(k.low, _mm256_loadu_si256((const __m256i *)(xb + 4 + 64 * c))));
    const __m256i high = _mm256_madd_epi16(k.scaleHigh, _mm256_maddubs_epi16(k.high, _mm256_loadu_si256((const __m256i *)(xb + 36 + 64 * c))));
    return _mm256_add_epi32(low, high);
}

/// A Q8_K block's eight 32-value level sums as int16 lanes (what Q4_K's minimums multiply).
KILN_INLINE __m128i KILN_NAME(q8_K_sub_block_sums)(const uint8_t *xb) {
    const __m256i sums = _mm256_loadu_si256((const __m256i *)(xb + 260));
    return _mm_hadd_epi16(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
}

KILN_INLINE void KILN_NAME(q4_K_tile)(const int R, const int T, KILN_TILE_ARGS) {
    __m256 acc[KILN_MAX_R][KILN_MAX_T];
    __m128 minimums[KILN_MAX_R][KILN_MAX_T];
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++) {
        acc[r][t] = _mm256_setzero_ps();
        minimums[r][t] = _mm_setzero_ps();
    }
    for (int b = 0; b < blocks; b++) {
        const uint8_t *xb[KILN_MAX_T];
        __m128i groupSums[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) {
            xb[t] = x + t * xs + (size_t)b * Q8_K_BYTES;
            groupSums[t] = KILN_NAME(q8_K_sub_block_sums)(xb[t]);
        }
        KILN_UNROLL for (int r = 0; r < R; r++) {
            const uint8_t *wb = w + r * ws + (size_t)b * Q4_K_BYTES;
            uint64_t sm, minimumBytes;
            kiln_q4_K_scales(wb + 4, &sm, &minimumBytes);
            const __m128i mins = _mm_cvtepu8_epi16(_mm_cvtsi64_si128((long long)minimumBytes));
            __m256i sumi[KILN_MAX_T];
            KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm256_setzero_si256();
            KILN_UNROLL for (int c = 0; c < 4; c++) {
                const KILN_NAME(q4_K_chunk) chunk = KILN_NAME(q4_K_chunk_at)(wb, sm, c);
                KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm256_add_epi32(sumi[t], KILN_NAME(q4_K_chunk_dot)(chunk, xb[t], c));
            }
            const float dw = KILN_NAME(half)(wb), dminw = KILN_NAME(half)(wb + 2);
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const float dx = kiln_float(xb[t]);
                acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(dx * dw), _mm256_cvtepi32_ps(sumi[t]), acc[r][t]);
                const __m128i product = _mm_madd_epi16(mins, groupSums[t]);
                minimums[r][t] = _mm_fmadd_ps(_mm_set1_ps(-dx * dminw), _mm_cvtepi32_ps(product), minimums[r][t]);
            }
        }
    }
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++)
        out[t * os + r] = KILN_NAME(sum8)(acc[r][t]) + KILN_NAME(sum4)(minimums[r][t]);
}

/// A Q6_K block's six-bit levels of one half (128 values) as bytes, in value order: q[c] holds
/// values 32c…32c+31 of the half.
KILN_INLINE void KILN_NAME(q6_K_levels)(const uint8_t *wb, int half, __m256i q[4]) {
    const __m256i m3 = _mm256_set1_epi8(3), m15 = _mm256_set1_epi8(15);
    const __m256i bits1 = _mm256_loadu_si256((const __m256i *)(wb + 64 * half));
    const __m256i bits2 = _mm256_loadu_si256((const __m256i *)(wb + 64 * half + 32));
    const __m256i bitsH = _mm256_loadu_si256((const __m256i *)(wb + 128 + 32 * half));
    q[0] = _mm256_or_si256(_mm256_and_si256(bits1, m15), _mm256_slli_epi16(_mm256_and_si256(bitsH, m3), 4));
    q[1] = _mm256_or_si256(_mm256_and_si256(bits2, m15), _mm256_slli_epi16(_mm256_and_si256(bitsH, _mm256_set1_epi8(12)), 2));
    q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits1, 4), m15), _mm256_and_si256(bitsH, _mm256_set1_epi8(48)));
    q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits2, 4), m15),
                           _mm256_srli_epi16(_mm256_and_si256(bitsH, _mm256_set1_epi8((char)0xc0)), 2));
}

/// One Q6_K row block times T tokens' Q8_K blocks: eight exact integer lanes per token, the −32
/// offset of every level included (llama.cpp's AVX2 `ggml_vec_dot_q6_K_q8_K` lanes).
KILN_INLINE void KILN_NAME(q6_K_lanes)(const int T, const uint8_t *wb, const uint8_t *const *xb, __m256i *sumi) {
    const int8_t *sc = (const int8_t *)(wb + 192);
    KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm256_setzero_si256();
    KILN_UNROLL for (int half = 0; half < 2; half++) {
        __m256i q[4];
        KILN_NAME(q6_K_levels)(wb, half, q);
        KILN_UNROLL for (int c = 0; c < 4; c++) {
            const int s = 8 * half + 2 * c;
            const __m256i scale = _mm256_set_m128i(_mm_set1_epi16(sc[s + 1]), _mm_set1_epi16(sc[s]));
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const __m256i xq = _mm256_loadu_si256((const __m256i *)(xb[t] + 4 + 128 * half + 32 * c));
                sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(scale, _mm256_maddubs_epi16(q[c], xq)));
            }
        }
    }
    const __m256i scales16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)sc));
    KILN_UNROLL for (int t = 0; t < T; t++) {
        const __m256i sums = _mm256_loadu_si256((const __m256i *)(xb[t] + 260));
        sumi[t] = _mm256_sub_epi32(sumi[t], _mm256_slli_epi32(_mm256_madd_epi16(sums, scales16), 5));
    }
}

/// The sum of eight int32 lanes (exact).
KILN_INLINE int32_t KILN_NAME(sum8i)(__m256i v) {
    __m128i r = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    r = _mm_add_epi32(r, _mm_shuffle_epi32(r, 0x4e));
    r = _mm_add_epi32(r, _mm_shuffle_epi32(r, 0xb1));
    return _mm_cvtsi128_si32(r);
}

/// Q6_K rows × tokens in llama.cpp's AVX2 `vec_dot` order (eight float lanes per output, one fused
/// multiply-add per block and lane), or with `prompt` in its tiled order (`kiln_dot_q6_K_prompt_portable`:
/// the lanes summed to one exact integer per block, then acc + (sum · d_w) · d_x, the last product fused).
KILN_INLINE void KILN_NAME(q6_K_rows)(const int prompt, const int R, const int T, KILN_TILE_ARGS) {
    __m256 lanes[KILN_MAX_R][KILN_MAX_T];
    float acc[KILN_MAX_R][KILN_MAX_T];
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++) {
        lanes[r][t] = _mm256_setzero_ps();
        acc[r][t] = 0;
    }
    for (int b = 0; b < blocks; b++) {
        const uint8_t *xb[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) xb[t] = x + t * xs + (size_t)b * Q8_K_BYTES;
        KILN_UNROLL for (int r = 0; r < R; r++) {
            const uint8_t *wb = w + r * ws + (size_t)b * Q6_K_BYTES;
            __m256i sumi[KILN_MAX_T];
            KILN_NAME(q6_K_lanes)(T, wb, xb, sumi);
            const float dw = KILN_NAME(half)(wb + 208);
            KILN_UNROLL for (int t = 0; t < T; t++) {
                if (prompt)
                    acc[r][t] = fmaf((float)KILN_NAME(sum8i)(sumi[t]) * dw, kiln_float(xb[t]), acc[r][t]);
                else
                    lanes[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(kiln_float(xb[t]) * dw), _mm256_cvtepi32_ps(sumi[t]), lanes[r][t]);
            }
        }
    }
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++)
        out[t * os + r] = prompt ? acc[r][t] : KILN_NAME(sum8)(lanes[r][t]);
}

KILN_INLINE void KILN_NAME(q6_K_tile)(const int R, const int T, KILN_TILE_ARGS) { KILN_NAME(q6_K_rows)(0, R, T, w, ws, x, xs, blocks, out, os); }
KILN_INLINE void KILN_NAME(q6_K_prompt_tile)(const int R, const int T, KILN_TILE_ARGS) { KILN_NAME(q6_K_rows)(1, R, T, w, ws, x, xs, blocks, out, os); }

#if KILN_WIDE
// 512-bit versions for pairs of rows: each 256-bit half is one row's eight lanes, so every output
// gets exactly the integer lanes and float operations of the 256-bit kernels above.

KILN_INLINE __m512i KILN_NAME(rows2)(const uint8_t *a, const uint8_t *b) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)a)), _mm256_loadu_si256((const __m256i *)b), 1);
}

KILN_INLINE __m512i KILN_NAME(twice)(const uint8_t *a) {
    return _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)a));
}

KILN_INLINE __m512 KILN_NAME(halves)(float a, float b) {
    return _mm512_insertf32x8(_mm512_set1_ps(a), _mm256_set1_ps(b), 1);
}

/// 16-bit lane `a` in the low half, `b` in the high half (indices for VPERMW).
KILN_INLINE __m512i KILN_NAME(pick)(int a, int b) {
    return _mm512_inserti64x4(_mm512_set1_epi16((short)a), _mm256_set1_epi16((short)b), 1);
}

/// Two rows' Q8_0 or Q5_0 levels: row 0 in the low half, row 1 in the high half.
KILN_INLINE __m512i KILN_NAME(q0_levels2)(const kiln_row_type type, const uint8_t *w0, const uint8_t *w1) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(KILN_NAME(q0_levels)(type, w0)), KILN_NAME(q0_levels)(type, w1), 1);
}

KILN_INLINE void KILN_NAME(store_pair)(__m512 acc, __m256 minimums, int hasMinimums, float *out0, float *out1) {
    float low = KILN_NAME(sum8)(_mm512_castps512_ps256(acc)), high = KILN_NAME(sum8)(_mm512_extractf32x8_ps(acc, 1));
    if (hasMinimums) {
        low = low + KILN_NAME(sum4)(_mm256_castps256_ps128(minimums));
        high = high + KILN_NAME(sum4)(_mm256_extractf128_ps(minimums, 1));
    }
    *out0 = low;
    *out1 = high;
}

/// Q8_0 or Q5_0 for P pairs of rows × T tokens. VPDPBUSD wants unsigned bytes: the weight levels
/// are offset by 128 and each lane starts from −128 × (its four activations' sum), computed once per
/// token, so the lane sums are exactly the signed ones.
KILN_INLINE void KILN_NAME(q0_wide)(const kiln_row_type type, const int P, const int T, KILN_TILE_ARGS) {
    __m512 acc[KILN_MAX_P][KILN_MAX_T];
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++) acc[p][t] = _mm512_setzero_ps();
    const __m512i offset = _mm512_set1_epi8((char)0x80);
    for (int b = 0; b < blocks; b++) {
        __m512i xq[KILN_MAX_T], start[KILN_MAX_T];
        __m512 dx[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const uint8_t *xb = x + t * xs + (size_t)b * Q8_0_BYTES;
            xq[t] = KILN_NAME(twice)(xb + 2);
            start[t] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, _mm512_sub_epi8(_mm512_setzero_si512(), xq[t]));
            dx[t] = _mm512_set1_ps(KILN_NAME(half)(xb));
        }
        KILN_UNROLL for (int p = 0; p < P; p++) {
            const uint8_t *w0 = w + 2 * p * ws + b * KILN_NAME(q0_bytes)(type), *w1 = w0 + ws;
            const __m512i shifted = _mm512_xor_si512(KILN_NAME(q0_levels2)(type, w0, w1), offset);
            const __m512 dw = KILN_NAME(halves)(KILN_NAME(half)(w0), KILN_NAME(half)(w1));
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const __m512i sums = _mm512_dpbusd_epi32(start[t], shifted, xq[t]);
                acc[p][t] = _mm512_fmadd_ps(_mm512_mul_ps(dw, dx[t]), _mm512_cvtepi32_ps(sums), acc[p][t]);
            }
        }
    }
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++)
        KILN_NAME(store_pair)(acc[p][t], _mm256_setzero_ps(), 0, out + t * os + 2 * p, out + t * os + 2 * p + 1);
}

KILN_INLINE void KILN_NAME(q8_0_wide)(const int P, const int T, KILN_TILE_ARGS) { KILN_NAME(q0_wide)(KILN_ROWS_Q8_0, P, T, w, ws, x, xs, blocks, out, os); }
KILN_INLINE void KILN_NAME(q5_0_wide)(const int P, const int T, KILN_TILE_ARGS) { KILN_NAME(q0_wide)(KILN_ROWS_Q5_0, P, T, w, ws, x, xs, blocks, out, os); }

KILN_INLINE void KILN_NAME(q4_K_wide)(const int P, const int T, KILN_TILE_ARGS) {
    __m512 acc[KILN_MAX_P][KILN_MAX_T];
    __m256 minimums[KILN_MAX_P][KILN_MAX_T];
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++) {
        acc[p][t] = _mm512_setzero_ps();
        minimums[p][t] = _mm256_setzero_ps();
    }
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    for (int b = 0; b < blocks; b++) {
        const uint8_t *xb[KILN_MAX_T];
        __m256i groupSums[KILN_MAX_T];
        float dx[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) {
            xb[t] = x + t * xs + (size_t)b * Q8_K_BYTES;
            dx[t] = kiln_float(xb[t]);
            groupSums[t] = _mm256_broadcastsi128_si256(KILN_NAME(q8_K_sub_block_sums)(xb[t]));
        }
        KILN_UNROLL for (int p = 0; p < P; p++) {
            const uint8_t *w0 = w + 2 * p * ws + (size_t)b * Q4_K_BYTES, *w1 = w0 + ws;
            uint64_t scales0, mins0, scales1, mins1;
            kiln_q4_K_scales(w0 + 4, &scales0, &mins0);
            kiln_q4_K_scales(w1 + 4, &scales1, &mins1);
            // Row 0's eight scales in 16-bit lanes 0–7, row 1's in 8–15; the minimums alike.
            const __m512i scales = _mm512_castsi256_si512(_mm256_cvtepu8_epi16(_mm_set_epi64x((long long)scales1, (long long)scales0)));
            const __m256i mins = _mm256_cvtepu8_epi16(_mm_set_epi64x((long long)mins1, (long long)mins0));
            __m512i sumi[KILN_MAX_T];
            KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm512_setzero_si512();
            KILN_UNROLL for (int c = 0; c < 4; c++) {
                const __m512i scaleLow = _mm512_permutexvar_epi16(KILN_NAME(pick)(2 * c, 8 + 2 * c), scales);
                const __m512i scaleHigh = _mm512_permutexvar_epi16(KILN_NAME(pick)(2 * c + 1, 9 + 2 * c), scales);
                const __m512i q = KILN_NAME(rows2)(w0 + 16 + 32 * c, w1 + 16 + 32 * c);
                const __m512i low = _mm512_and_si512(q, nibble), high = _mm512_and_si512(_mm512_srli_epi16(q, 4), nibble);
                // VPDPWSSD: the scale products added to the sums in one instruction.
                KILN_UNROLL for (int t = 0; t < T; t++) {
                    sumi[t] = _mm512_dpwssd_epi32(sumi[t], scaleLow, _mm512_maddubs_epi16(low, KILN_NAME(twice)(xb[t] + 4 + 64 * c)));
                    sumi[t] = _mm512_dpwssd_epi32(sumi[t], scaleHigh, _mm512_maddubs_epi16(high, KILN_NAME(twice)(xb[t] + 36 + 64 * c)));
                }
            }
            const __m512 dw = KILN_NAME(halves)(KILN_NAME(half)(w0), KILN_NAME(half)(w1));
            const __m256 dmin = _mm256_insertf128_ps(_mm256_set1_ps(KILN_NAME(half)(w0 + 2)), _mm_set1_ps(KILN_NAME(half)(w1 + 2)), 1);
            KILN_UNROLL for (int t = 0; t < T; t++) {
                acc[p][t] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(dx[t]), dw), _mm512_cvtepi32_ps(sumi[t]), acc[p][t]);
                const __m256i product = _mm256_madd_epi16(mins, groupSums[t]);
                minimums[p][t] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(-dx[t]), dmin), _mm256_cvtepi32_ps(product), minimums[p][t]);
            }
        }
    }
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++)
        KILN_NAME(store_pair)(acc[p][t], minimums[p][t], 1, out + t * os + 2 * p, out + t * os + 2 * p + 1);
}

KILN_INLINE void KILN_NAME(q6_K_wide)(const int P, const int T, KILN_TILE_ARGS) {
    __m512 acc[KILN_MAX_P][KILN_MAX_T];
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++) acc[p][t] = _mm512_setzero_ps();
    const __m512i m3 = _mm512_set1_epi8(3), m15 = _mm512_set1_epi8(15);
    for (int b = 0; b < blocks; b++) {
        const uint8_t *xb[KILN_MAX_T];
        KILN_UNROLL for (int t = 0; t < T; t++) xb[t] = x + t * xs + (size_t)b * Q8_K_BYTES;
        KILN_UNROLL for (int p = 0; p < P; p++) {
            const uint8_t *w0 = w + 2 * p * ws + (size_t)b * Q6_K_BYTES, *w1 = w0 + ws;
            // Both rows' 16 scales as 16-bit lanes: row 0 in lanes 0–15, row 1 in 16–31.
            const __m512i scales = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w0 + 192)))),
                                                      _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w1 + 192))), 1);
            __m512i sumi[KILN_MAX_T];
            KILN_UNROLL for (int t = 0; t < T; t++) sumi[t] = _mm512_setzero_si512();
            KILN_UNROLL for (int half = 0; half < 2; half++) {
                const __m512i bits1 = KILN_NAME(rows2)(w0 + 64 * half, w1 + 64 * half);
                const __m512i bits2 = KILN_NAME(rows2)(w0 + 64 * half + 32, w1 + 64 * half + 32);
                const __m512i bitsH = KILN_NAME(rows2)(w0 + 128 + 32 * half, w1 + 128 + 32 * half);
                __m512i q[4];
                q[0] = _mm512_or_si512(_mm512_and_si512(bits1, m15), _mm512_slli_epi16(_mm512_and_si512(bitsH, m3), 4));
                q[1] = _mm512_or_si512(_mm512_and_si512(bits2, m15), _mm512_slli_epi16(_mm512_and_si512(bitsH, _mm512_set1_epi8(12)), 2));
                q[2] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(bits1, 4), m15), _mm512_and_si512(bitsH, _mm512_set1_epi8(48)));
                q[3] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(bits2, 4), m15),
                                       _mm512_srli_epi16(_mm512_and_si512(bitsH, _mm512_set1_epi8((char)0xc0)), 2));
                KILN_UNROLL for (int c = 0; c < 4; c++) {
                    const int s = 8 * half + 2 * c;
                    // Lanes 0–7 scale s, 8–15 scale s+1 of row 0; 16–23 and 24–31 the same of row 1.
                    const __m512i index = _mm512_inserti64x4(
                        _mm512_castsi256_si512(_mm256_set_m128i(_mm_set1_epi16((short)(s + 1)), _mm_set1_epi16((short)s))),
                        _mm256_set_m128i(_mm_set1_epi16((short)(s + 17)), _mm_set1_epi16((short)(s + 16))), 1);
                    const __m512i scale = _mm512_permutexvar_epi16(index, scales);
                    KILN_UNROLL for (int t = 0; t < T; t++) {
                        const __m512i xq = KILN_NAME(twice)(xb[t] + 4 + 128 * half + 32 * c);
                        sumi[t] = _mm512_dpwssd_epi32(sumi[t], scale, _mm512_maddubs_epi16(q[c], xq));
                    }
                }
            }
            const __m512 dw = KILN_NAME(halves)(KILN_NAME(half)(w0 + 208), KILN_NAME(half)(w1 + 208));
            KILN_UNROLL for (int t = 0; t < T; t++) {
                const __m512i sums = KILN_NAME(twice)(xb[t] + 260);
                const __m512i offset = _mm512_slli_epi32(_mm512_madd_epi16(sums, scales), 5);
                acc[p][t] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(kiln_float(xb[t])), dw),
                                            _mm512_cvtepi32_ps(_mm512_sub_epi32(sumi[t], offset)), acc[p][t]);
            }
        }
    }
    KILN_UNROLL for (int p = 0; p < P; p++) KILN_UNROLL for (int t = 0; t < T; t++)
        KILN_NAME(store_pair)(acc[p][t], _mm256_setzero_ps(), 0, out + t * os + 2 * p, out + t * os + 2 * p + 1);
}
#endif

/// F16 rows in the order of llama.cpp's tinyBLAS (`llamafile_sgemm`, which multiplies F16 weights
/// with F16-rounded activations for prompts and generation alike): lane l of 16 sums the products at
/// l, l+16, l+32… with fused multiply-adds, the lanes are added as `_mm512_reduce_add_ps` adds them
/// (`kiln_sum16`), then the last `columns % 16` products one by one (tinyBLAS takes only multiples of
/// 16). `blocks` counts columns; activations are floats. AVX2 keeps the 16 lanes in two registers.
#if KILN_WIDE
typedef __m512 KILN_NAME(lanes16);
KILN_INLINE __m512 KILN_NAME(f16_load)(const uint8_t *w) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)w)); }
KILN_INLINE __m512 KILN_NAME(f32_load)(const float *x) { return _mm512_loadu_ps(x); }
KILN_INLINE __m512 KILN_NAME(lanes_fma)(__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); }
KILN_INLINE __m512 KILN_NAME(lanes_zero)(void) { return _mm512_setzero_ps(); }
KILN_INLINE __m256 KILN_NAME(lanes_fold)(__m512 v) { return _mm256_add_ps(_mm512_extractf32x8_ps(v, 1), _mm512_castps512_ps256(v)); }
#else
typedef struct { __m256 low, high; } KILN_NAME(lanes16);
KILN_INLINE KILN_NAME(lanes16) KILN_NAME(f16_load)(const uint8_t *w) {
    return (KILN_NAME(lanes16)){_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)w)), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + 16)))};
}
KILN_INLINE KILN_NAME(lanes16) KILN_NAME(f32_load)(const float *x) {
    return (KILN_NAME(lanes16)){_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8)};
}
KILN_INLINE KILN_NAME(lanes16) KILN_NAME(lanes_fma)(KILN_NAME(lanes16) a, KILN_NAME(lanes16) b, KILN_NAME(lanes16) c) {
    return (KILN_NAME(lanes16)){_mm256_fmadd_ps(a.low, b.low, c.low), _mm256_fmadd_ps(a.high, b.high, c.high)};
}
KILN_INLINE KILN_NAME(lanes16) KILN_NAME(lanes_zero)(void) { return (KILN_NAME(lanes16)){_mm256_setzero_ps(), _mm256_setzero_ps()}; }
KILN_INLINE __m256 KILN_NAME(lanes_fold)(KILN_NAME(lanes16) v) { return _mm256_add_ps(v.high, v.low); }
#endif

KILN_INLINE float KILN_NAME(f16_sum)(KILN_NAME(lanes16) v, const uint8_t *w, const float *x, int done, int columns) {
    const __m256 h = KILN_NAME(lanes_fold)(v);
    const __m128 q = _mm_add_ps(_mm256_extractf128_ps(h, 1), _mm256_castps256_ps128(h));
    const __m128 r = _mm_add_ps(q, _mm_movehl_ps(q, q));
    float s = _mm_cvtss_f32(_mm_add_ss(r, _mm_movehdup_ps(r)));
    for (int i = done; i < columns; i++) s = s + KILN_NAME(half)(w + 2 * i) * x[i];
    return s;
}

KILN_INLINE void KILN_NAME(f16_tile)(const int R, const int T, KILN_TILE_ARGS) {
    const int columns = blocks, wide = columns / 16 * 16;
    KILN_NAME(lanes16) acc[KILN_MAX_R][KILN_MAX_T];
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++) acc[r][t] = KILN_NAME(lanes_zero)();
    for (int i = 0; i < wide; i += 16) {
        KILN_NAME(lanes16) wv[KILN_MAX_R];
        KILN_UNROLL for (int r = 0; r < R; r++) wv[r] = KILN_NAME(f16_load)(w + r * ws + 2 * i);
        KILN_UNROLL for (int t = 0; t < T; t++) {
            const KILN_NAME(lanes16) xv = KILN_NAME(f32_load)((const float *)(x + t * xs) + i);
            KILN_UNROLL for (int r = 0; r < R; r++) acc[r][t] = KILN_NAME(lanes_fma)(wv[r], xv, acc[r][t]);
        }
    }
    KILN_UNROLL for (int r = 0; r < R; r++) KILN_UNROLL for (int t = 0; t < T; t++)
        out[t * os + r] = KILN_NAME(f16_sum)(acc[r][t], w + r * ws, (const float *)(x + t * xs), wide, columns);
}

typedef void (*KILN_NAME(tile_fn))(KILN_TILE_ARGS);

// Each type's tiles: R×T for prompts, 1×T for the last rows, G×1 for a token or two, 1×1 for the edges.
#define KILN_TILES(type, R, T, G) \
    static void KILN_NAME(type##_full)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(R, T, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_row)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(1, T, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_column)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(G, 1, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_single)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(1, 1, w, ws, x, xs, blocks, out, os); }
// The same with the R×T and G×1 tiles on 512-bit pairs of rows (R and G even).
#define KILN_WIDE_TILES(type, R, T, G) \
    static void KILN_NAME(type##_full)(KILN_TILE_ARGS) { KILN_NAME(type##_wide)(R / 2, T, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_row)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(1, T, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_column)(KILN_TILE_ARGS) { KILN_NAME(type##_wide)(G / 2, 1, w, ws, x, xs, blocks, out, os); } \
    static void KILN_NAME(type##_single)(KILN_TILE_ARGS) { KILN_NAME(type##_tile)(1, 1, w, ws, x, xs, blocks, out, os); }

#if KILN_WIDE
KILN_WIDE_TILES(q8_0, KILN_Q8_0_R, KILN_Q8_0_T, KILN_Q8_0_G)
KILN_WIDE_TILES(q5_0, KILN_Q5_0_R, KILN_Q5_0_T, KILN_Q5_0_G)
KILN_WIDE_TILES(q4_K, KILN_Q4_K_R, KILN_Q4_K_T, KILN_COLUMN_R)
KILN_WIDE_TILES(q6_K, KILN_Q6_K_R, KILN_Q6_K_T, KILN_COLUMN_R)
#else
KILN_TILES(q8_0, KILN_Q8_0_R, KILN_Q8_0_T, KILN_Q8_0_G)
KILN_TILES(q5_0, KILN_Q5_0_R, KILN_Q5_0_T, KILN_Q5_0_G)
KILN_TILES(q4_K, KILN_Q4_K_R, KILN_Q4_K_T, KILN_COLUMN_R)
KILN_TILES(q6_K, KILN_Q6_K_R, KILN_Q6_K_T, KILN_COLUMN_R)
#endif
KILN_TILES(q6_K_prompt, KILN_Q6_K_R, KILN_Q6_K_T, KILN_COLUMN_R)
KILN_TILES(f16, KILN_F16_R, KILN_F16_T, KILN_COLUMN_R)

/// Tiles over the whole product. A prompt's activations are taken in chunks of about 256 KiB that
/// stay in the L2 cache while every R-row group of weights passes over them; fewer than T tokens
/// (generation) go one at a time over G-row groups.
static void KILN_NAME(drive)(const int R, const int T, const int G, KILN_NAME(tile_fn) full, KILN_NAME(tile_fn) row,
                             KILN_NAME(tile_fn) column, KILN_NAME(tile_fn) single,
                             const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs, int tokens,
                             int blocks, float *out, size_t os) {
    if (tokens < T) {
        for (int t = 0; t < tokens; t++) {
            int r = 0;
            for (; r + G <= rows; r += G) column(w + r * ws, ws, x + t * xs, xs, blocks, out + t * os + r, os);
            for (; r < rows; r++) single(w + r * ws, ws, x + t * xs, xs, blocks, out + t * os + r, os);
        }
        return;
    }
    int chunk = (int)((256 << 10) / (xs ? xs : 1)) / T * T;
    if (chunk < T) chunk = T;
    for (int t0 = 0; t0 < tokens; t0 += chunk) {
        const int t1 = t0 + chunk < tokens ? t0 + chunk : tokens;
        for (int r = 0; r < rows;) {
            const int count = rows - r >= R ? R : 1;
            int t = t0;
            for (; t + T <= t1; t += T) (count == R ? full : row)(w + r * ws, ws, x + t * xs, xs, blocks, out + t * os + r, os);
            for (; t < t1; t++)
                for (int k = r; k < r + count; k++) single(w + k * ws, ws, x + t * xs, xs, blocks, out + t * os + k, os);
            r += count;
        }
    }
}

/// Four vectors of eight int32 levels as 32 saturated int8 levels, in order.
KILN_INLINE __m256i KILN_NAME(pack_levels)(__m256i a, __m256i b, __m256i c, __m256i d) {
    const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
    return _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/// `kiln_quantize_q8_0_portable`, eight lanes at a time. MAXPS returns its second operand for a
/// NaN, so NaNs are passed over as the portable comparison passes over them.
static void KILN_NAME(quantize_q8_0)(const float *x, uint8_t *block) {
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 v[4], largest = _mm256_setzero_ps();
    KILN_UNROLL for (int k = 0; k < 4; k++) {
        v[k] = _mm256_loadu_ps(x + 8 * k);
        largest = _mm256_max_ps(_mm256_and_ps(v[k], magnitude), largest);
    }
    __m128 m = _mm_max_ps(_mm256_extractf128_ps(largest, 1), _mm256_castps256_ps128(largest));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float amax = _mm_cvtss_f32(m);
    const float inverse = amax != 0 ? 127 / amax : 0;
    const uint16_t d = (uint16_t)_cvtss_sh(amax / 127, _MM_FROUND_TO_NEAREST_INT);
    memcpy(block, &d, 2);
    __m256i levels[4];
    KILN_UNROLL for (int k = 0; k < 4; k++) levels[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], _mm256_set1_ps(inverse)));
    _mm256_storeu_si256((__m256i *)(block + 2), KILN_NAME(pack_levels)(levels[0], levels[1], levels[2], levels[3]));
}

/// `kiln_quantize_q8_K_portable`, eight lanes at a time (the first value of largest magnitude is
/// found again by a scan).
static void KILN_NAME(quantize_q8_K)(const float *x, uint8_t *block) {
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 largest = _mm256_setzero_ps();
    for (int j = 0; j < 256; j += 8) largest = _mm256_max_ps(_mm256_and_ps(_mm256_loadu_ps(x + j), magnitude), largest);
    __m128 m = _mm_max_ps(_mm256_extractf128_ps(largest, 1), _mm256_castps256_ps128(largest));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float amax = _mm_cvtss_f32(m);
    if (amax == 0) {
        memset(block, 0, Q8_K_BYTES);
        return;
    }
    int first = 0;
    while (fabsf(x[first]) != amax) first++;
    const float inverse = -127 / x[first], d = 1 / inverse;
    memcpy(block, &d, 4);
    const __m256 scale = _mm256_set1_ps(inverse), magic = _mm256_set1_ps(12582912.0f);
    const __m256i mantissa = _mm256_set1_epi32(0x007fffff), middle = _mm256_set1_epi32(0x00400000);
    for (int j = 0; j < 256; j += 32) {
        __m256i levels[4];
        KILN_UNROLL for (int k = 0; k < 4; k++) {
            const __m256 shifted = _mm256_add_ps(_mm256_mul_ps(scale, _mm256_loadu_ps(x + j + 8 * k)), magic);
            levels[k] = _mm256_sub_epi32(_mm256_and_si256(_mm256_castps_si256(shifted), mantissa), middle);
        }
        const __m256i packed = KILN_NAME(pack_levels)(levels[0], levels[1], levels[2], levels[3]);
        _mm256_storeu_si256((__m256i *)(block + 4 + j), packed);
        // The two 16-level sums of these 32 levels.
        const __m256i wide = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), packed), _mm256_set1_epi16(1));
        const __m128i lanes = _mm_add_epi32(_mm256_castsi256_si128(wide), _mm_shuffle_epi32(_mm256_castsi256_si128(wide), 0x4e));
        const __m128i high = _mm_add_epi32(_mm256_extracti128_si256(wide, 1), _mm_shuffle_epi32(_mm256_extracti128_si256(wide, 1), 0x4e));
        const int16_t sums[2] = {(int16_t)(_mm_cvtsi128_si32(lanes) + _mm_extract_epi32(lanes, 1)),
                                 (int16_t)(_mm_cvtsi128_si32(high) + _mm_extract_epi32(high, 1))};
        memcpy(block + 260 + j / 8, sums, 4);
    }
}

static int KILN_NAME(quantize)(kiln_activation_type type, const float *x, int count, uint8_t *out) {
    switch (type) {
    case KILN_ACTIVATIONS_Q8_0:
        for (int b = 0; b < count / 32; b++) KILN_NAME(quantize_q8_0)(x + 32 * b, out + (size_t)b * Q8_0_BYTES);
        return 0;
    case KILN_ACTIVATIONS_Q8_K:
        for (int b = 0; b < count / 256; b++) KILN_NAME(quantize_q8_K)(x + 256 * b, out + (size_t)b * Q8_K_BYTES);
        return 0;
    }
    return -1;
}

#if KILN_WIDE
#include "x86_panels.h"
#endif
#include "x86_q4_K_repacked.h"

static int KILN_NAME(product)(kiln_row_type type, const uint8_t *w, size_t ws, int rows, const uint8_t *x, size_t xs,
                              int tokens, int grouped, int blocks, float *out, size_t os) {
    if (type == KILN_ROWS_Q4_K_REPACKED) return KILN_NAME(q4_K_repacked)(w, ws, rows, x, xs, tokens, grouped, blocks, out, os);
#define KILN_DRIVE(name, R, T, G) \
    KILN_NAME(drive)(R, T, G, KILN_NAME(name##_full), KILN_NAME(name##_row), KILN_NAME(name##_column), KILN_NAME(name##_single), \
                     w, ws, rows, x, xs, tokens, blocks, out, os)
#if KILN_WIDE
    // Quantized prompts: prepared panels (x86_panels.h), unless their scratch memory cannot be had.
#define KILN_PANELS(name, tiles, pairBytes, table, tableBytes) \
    KILN_NAME(panels)(KILN_NAME(name##_prepare), pairBytes, table, tableBytes, KILN_NAME(tiles##_panel_full), KILN_NAME(tiles##_panel_one), \
                      KILN_NAME(name##_single), w, ws, rows, x, xs, tokens, blocks, out, os)
    if (tokens >= KILN_PANEL_T) {
        int status = -1;
        switch (type) {
        case KILN_ROWS_Q8_0: status = KILN_PANELS(q8_0, q0, sizeof(KILN_NAME(q0_pair)), KILN_NAME(q0_table), sizeof(KILN_NAME(q0_token))); break;
        case KILN_ROWS_Q5_0: status = KILN_PANELS(q5_0, q0, sizeof(KILN_NAME(q0_pair)), KILN_NAME(q0_table), sizeof(KILN_NAME(q0_token))); break;
        case KILN_ROWS_Q4_K: status = KILN_PANELS(q4_K, q4_K, sizeof(KILN_NAME(q4_K_pair)), KILN_NAME(q4_K_table), sizeof(__m256i)); break;
        case KILN_ROWS_Q6_K: status = KILN_NAME(q6_K_prompt)(w, ws, rows, x, xs, tokens, blocks, out, os); break;
        default: break;
        }
        if (status == 0) return 0;
    }
#undef KILN_PANELS
#endif
    if (type == KILN_ROWS_Q6_K && tokens >= KILN_PROMPT_TOKENS) {
        KILN_DRIVE(q6_K_prompt, KILN_Q6_K_R, KILN_Q6_K_T, KILN_COLUMN_R);
        return 0;
    }
    switch (type) {
    case KILN_ROWS_Q8_0: KILN_DRIVE(q8_0, KILN_Q8_0_R, KILN_Q8_0_T, KILN_Q8_0_G); return 0;
    case KILN_ROWS_Q5_0: KILN_DRIVE(q5_0, KILN_Q5_0_R, KILN_Q5_0_T, KILN_Q5_0_G); return 0;
    case KILN_ROWS_Q4_K: KILN_DRIVE(q4_K, KILN_Q4_K_R, KILN_Q4_K_T, KILN_COLUMN_R); return 0;
    case KILN_ROWS_Q6_K: KILN_DRIVE(q6_K, KILN_Q6_K_R, KILN_Q6_K_T, KILN_COLUMN_R); return 0;
    case KILN_ROWS_F16: KILN_DRIVE(f16, KILN_F16_R, KILN_F16_T, KILN_COLUMN_R); return 0;
    }
#undef KILN_DRIVE
    return -1;
}
