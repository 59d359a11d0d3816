// llama.cpp's CPU matrix product (`ggml_mul_mat` on the CPU backend, one thread) of deterministic
// weights and activations, for the weight types Kiln's CMatrixProducts multiplies: the exact float
// bits Kiln's kernels are checked against (KernelOrderTests). Built and run by
// make_kernel_order_goldens.sh; prints JSON. "Q4_K_repacked" is Q4_K in the backend's repack buffer
// (`CPU_REPACK`, where llama.cpp loads every Q4_K tensor of 8k rows on x86 with AVX2): its
// block_q4_Kx8 gemm and gemv kernels.
#include "ggml.h"
#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLUMNS = 512, ROWS = 12, REPACKED_ROWS = 24, MAX_TOKENS = 19 };
static const int token_counts[] = {1, 2, 7, 8, 19};
static const int repacked_token_counts[] = {1, 2, 3, 4, 5, 7, 8, 19};

/// Integers in [-1000, 1000] from a 64-bit LCG (KernelOrderTests draws the same).
static int next_value(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((*state >> 33) % 2001) - 1000;
}

static void print_bits(const float *y, int count) {
    for (int i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, y + i, 4);
        printf("%s%u", i ? ", " : "", bits);
    }
}

/// Q4_K weights set into the CPU backend's repack buffer (which repacks them) times `tokens` rows.
static void repacked_product(ggml_backend_t backend, ggml_backend_buffer_type_t repack, const float *weights, const float *activations,
                             int tokens, float *out) {
    struct ggml_init_params params = {16 << 20, NULL, true};
    struct ggml_context *ctx = ggml_init(params);
    struct ggml_tensor *w = ggml_new_tensor_2d(ctx, GGML_TYPE_Q4_K, COLUMNS, REPACKED_ROWS);
    struct ggml_tensor *x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, COLUMNS, tokens);
    struct ggml_tensor *y = ggml_mul_mat(ctx, w, x);
    ggml_backend_buffer_t weight_buffer = ggml_backend_buft_alloc_buffer(repack, ggml_backend_buft_get_alloc_size(repack, w));
    struct ggml_tallocr weight_alloc = ggml_tallocr_new(weight_buffer);
    ggml_tallocr_alloc(&weight_alloc, w);
    ggml_backend_buffer_t buffer = ggml_backend_buft_alloc_buffer(ggml_backend_cpu_buffer_type(), ggml_nbytes(x) + ggml_nbytes(y) + 1024);
    struct ggml_tallocr alloc = ggml_tallocr_new(buffer);
    ggml_tallocr_alloc(&alloc, x);
    ggml_tallocr_alloc(&alloc, y);
    static uint8_t blocks[REPACKED_ROWS * COLUMNS];
    ggml_quantize_chunk(GGML_TYPE_Q4_K, weights, blocks, 0, REPACKED_ROWS, COLUMNS, NULL);
    ggml_backend_tensor_set(w, blocks, 0, ggml_nbytes(w));
    ggml_backend_tensor_set(x, activations, 0, ggml_nbytes(x));
    struct ggml_cgraph *graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, y);
    if (ggml_backend_graph_compute(backend, graph) != GGML_STATUS_SUCCESS) {
        fprintf(stderr, "graph compute failed\n");
        exit(1);
    }
    ggml_backend_tensor_get(y, out, 0, ggml_nbytes(y));
    ggml_backend_buffer_free(buffer);
    ggml_backend_buffer_free(weight_buffer);
    ggml_free(ctx);
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

int main(void) {
    ggml_cpu_init();
    // Weights v/16384 (exact in F16), activations v/256 with every 97th value 8 times larger.
    static float weights[ROWS * COLUMNS], activations[MAX_TOKENS * COLUMNS];
    uint64_t state = 1;
    for (int i = 0; i < ROWS * COLUMNS; i++) weights[i] = next_value(&state) / 16384.0f;
    for (int i = 0; i < MAX_TOKENS * COLUMNS; i++) activations[i] = next_value(&state) / 256.0f * (i % 97 == 0 ? 8 : 1);
    const struct { const char *name; enum ggml_type type; } types[] = {
        {"F16", GGML_TYPE_F16}, {"Q8_0", GGML_TYPE_Q8_0}, {"Q5_0", GGML_TYPE_Q5_0}, {"Q4_K", GGML_TYPE_Q4_K}, {"Q6_K", GGML_TYPE_Q6_K},
    };
    printf("{\n  \"columns\": %d, \"rows\": %d, \"seed\": 1,\n  \"types\": {\n", COLUMNS, ROWS);
    for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
        struct ggml_init_params params = {64 << 20, NULL, false};
        struct ggml_context *ctx = ggml_init(params);
        struct ggml_tensor *w = ggml_new_tensor_2d(ctx, types[k].type, COLUMNS, ROWS);
        ggml_quantize_chunk(types[k].type, weights, w->data, 0, ROWS, COLUMNS, NULL);
        printf("    \"%s\": {\"weights_fnv1a\": \"%016llx\", \"products\": {", types[k].name,
               (unsigned long long)fnv1a(w->data, ggml_nbytes(w)));
        for (size_t c = 0; c < sizeof(token_counts) / sizeof(token_counts[0]); c++) {
            const int tokens = token_counts[c];
            struct ggml_tensor *x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, COLUMNS, tokens);
            memcpy(x->data, activations, sizeof(float) * COLUMNS * tokens);
            struct ggml_tensor *y = ggml_mul_mat(ctx, w, x);
            struct ggml_cgraph *graph = ggml_new_graph(ctx);
            ggml_build_forward_expand(graph, y);
            ggml_graph_compute_with_ctx(ctx, graph, 1);
            printf("%s\n      \"%d\": [", c ? "," : "", tokens);
            print_bits(y->data, ROWS * tokens);
            printf("]");
        }
        printf("\n    }}%s\n", k + 1 < sizeof(types) / sizeof(types[0]) ? "," : "");
        ggml_free(ctx);
    }
    printf("  },\n");

    // The backend's first extra buffer type is CPU_REPACK (on a CPU with AVX2).
    ggml_backend_t backend = ggml_backend_cpu_init();
    ggml_backend_cpu_set_n_threads(backend, 1);
    ggml_backend_dev_t device = ggml_backend_get_device(backend);
    ggml_backend_dev_get_extra_bufts_t extra_types =
        (ggml_backend_dev_get_extra_bufts_t)ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(device), "ggml_backend_dev_get_extra_bufts");
    ggml_backend_buffer_type_t repack = extra_types ? extra_types(device)[0] : NULL;
    if (!repack || strcmp(ggml_backend_buft_name(repack), "CPU_REPACK") != 0) {
        fprintf(stderr, "no CPU_REPACK buffer type\n");
        return 1;
    }
    static float repacked_weights[REPACKED_ROWS * COLUMNS], out[REPACKED_ROWS * MAX_TOKENS];
    for (int i = 0; i < REPACKED_ROWS * COLUMNS; i++) repacked_weights[i] = next_value(&state) / 16384.0f;
    static uint8_t blocks[REPACKED_ROWS * COLUMNS];
    ggml_quantize_chunk(GGML_TYPE_Q4_K, repacked_weights, blocks, 0, REPACKED_ROWS, COLUMNS, NULL);
    printf("  \"Q4_K_repacked\": {\"rows\": %d, \"weights_fnv1a\": \"%016llx\", \"products\": {", REPACKED_ROWS,
           (unsigned long long)fnv1a(blocks, ggml_row_size(GGML_TYPE_Q4_K, COLUMNS) * REPACKED_ROWS));
    for (size_t c = 0; c < sizeof(repacked_token_counts) / sizeof(repacked_token_counts[0]); c++) {
        const int tokens = repacked_token_counts[c];
        repacked_product(backend, repack, repacked_weights, activations, tokens, out);
        printf("%s\n      \"%d\": [", c ? "," : "", tokens);
        print_bits(out, REPACKED_ROWS * tokens);
        printf("]");
    }
    printf("\n  }}\n}\n");
    ggml_backend_free(backend);
    return 0;
}
