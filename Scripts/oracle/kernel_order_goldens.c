// llama.cpp's CPU matrix product (`ggml_mul_mat` on the CPU backend, one thread) of deterministic
// weights and activations, for the weight types Kiln's CMatrixProducts multiplies: the exact float
// bits Kiln's kernels are checked against (KernelOrderTests). Built and run by
// make_kernel_order_goldens.sh; prints JSON.
#include "ggml.h"
#include "ggml-cpu.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { COLUMNS = 512, ROWS = 12, MAX_TOKENS = 19 };
static const int token_counts[] = {1, 2, 7, 8, 19};

/// Integers in [-1000, 1000] from a 64-bit LCG (KernelOrderTests draws the same).
static int next_value(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((*state >> 33) % 2001) - 1000;
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
            for (int i = 0; i < ROWS * tokens; i++) {
                uint32_t bits;
                memcpy(&bits, (const float *)y->data + i, 4);
                printf("%s%u", i ? ", " : "", bits);
            }
            printf("]");
        }
        printf("\n    }}%s\n", k + 1 < sizeof(types) / sizeof(types[0]) ? "," : "");
        ggml_free(ctx);
    }
    printf("  }\n}\n");
    return 0;
}
