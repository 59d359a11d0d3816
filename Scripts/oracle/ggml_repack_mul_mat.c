// A ggml_mul_mat graph on the CPU backend with the weight in the CPU "extra" repack buffer type
// (CPU_REPACK), so the native library repacks the weight itself and runs its own repack
// forward_mul_mat (gemm for the first T - T%4 tokens, gemv for the rest), as llama-perplexity does
// with --repack on. Built and run by Scripts/oracle/make_gemma3_repack_goldens.py; not part of Kiln.
//
// usage: ggml_repack_mul_mat TYPE ROWS COLUMNS TOKENS THREADS BUFFER weight.bin x.f32 out.f32 [repacked.bin]
//   TYPE: a ggml_type number; BUFFER: "repack" (CPU_REPACK) or "plain" (the ordinary CPU buffer);
//   x.f32: TOKENS x COLUMNS floats, token-major; out.f32: TOKENS x ROWS floats, token-major, from
//   ONE mul_mat of all TOKENS tokens. repacked.bin (repack only): the weight bytes as repacked.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggml.h"
#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"

static void fail(const char * message, const char * detail) {
    fprintf(stderr, "ggml_repack_mul_mat: %s%s\n", message, detail ? detail : "");
    exit(1);
}

static void * read_file(const char * path, size_t size) {
    FILE * f = fopen(path, "rb");
    if (!f) fail("cannot open ", path);
    void * data = malloc(size);
    if (fread(data, 1, size, f) != size || fgetc(f) != EOF) fail("unexpected size of ", path);
    fclose(f);
    return data;
}

static void write_file(const char * path, const void * data, size_t size) {
    FILE * f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) fail("cannot write ", path);
}

int main(int argc, char ** argv) {
    if (argc != 10 && argc != 11) fail("usage: TYPE ROWS COLUMNS TOKENS THREADS repack|plain weight.bin x.f32 out.f32 [repacked.bin]", NULL);
    const enum ggml_type type = (enum ggml_type) atoi(argv[1]);
    const int64_t rows = atoll(argv[2]), columns = atoll(argv[3]), tokens = atoll(argv[4]);
    const int threads = atoi(argv[5]);
    const int repack = strcmp(argv[6], "repack") == 0;
    if (!repack && strcmp(argv[6], "plain") != 0) fail("BUFFER must be repack or plain, not ", argv[6]);

    ggml_backend_t backend = ggml_backend_cpu_init();
    if (!backend) fail("no CPU backend", NULL);
    ggml_backend_cpu_set_n_threads(backend, threads);
    ggml_backend_buffer_type_t buft = ggml_backend_cpu_buffer_type();
    if (repack) {
        ggml_backend_dev_t dev = ggml_backend_get_device(backend);
        ggml_backend_dev_get_extra_bufts_t get_extra = (ggml_backend_dev_get_extra_bufts_t)
            ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(dev), "ggml_backend_dev_get_extra_bufts");
        if (!get_extra) fail("the CPU backend exports no ggml_backend_dev_get_extra_bufts", NULL);
        buft = NULL;
        for (ggml_backend_buffer_type_t * extra = get_extra(dev); extra && *extra; extra++) {
            if (strcmp(ggml_backend_buft_name(*extra), "CPU_REPACK") == 0) buft = *extra;
        }
        if (!buft) fail("no CPU_REPACK extra buffer type", NULL);
    }

    // The weight: its own context, allocated in BUFFER; set_tensor repacks it there.
    struct ggml_init_params weight_params = { ggml_tensor_overhead(), NULL, true };
    struct ggml_context * weight_ctx = ggml_init(weight_params);
    struct ggml_tensor * w = ggml_new_tensor_2d(weight_ctx, type, columns, rows);
    ggml_backend_buffer_t weight_buffer = ggml_backend_alloc_ctx_tensors_from_buft(weight_ctx, buft);
    if (!weight_buffer) fail("cannot allocate the weight in ", ggml_backend_buft_name(buft));
    const size_t weight_bytes = ggml_nbytes(w);
    void * weight = read_file(argv[7], weight_bytes);
    ggml_backend_tensor_set(w, weight, 0, weight_bytes);
    if (repack && !w->extra) fail("the repack buffer chose no repack layout for this weight", NULL);

    // Activations, product and graph in host memory of a plain context.
    struct ggml_init_params params = { (size_t) (tokens * (columns + rows)) * sizeof(float) + 4 * ggml_tensor_overhead()
                                           + ggml_graph_overhead() + 1024 * 1024, NULL, false };
    struct ggml_context * ctx = ggml_init(params);
    struct ggml_tensor * x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, columns, tokens);
    float * xs = read_file(argv[8], (size_t) (tokens * columns) * sizeof(float));
    memcpy(x->data, xs, ggml_nbytes(x));
    struct ggml_tensor * out = ggml_mul_mat(ctx, w, x);
    struct ggml_cgraph * graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, out);
    if (ggml_backend_graph_compute(backend, graph) != GGML_STATUS_SUCCESS) fail("graph compute failed", NULL);
    write_file(argv[9], out->data, ggml_nbytes(out));
    if (argc == 11) write_file(argv[10], w->data, weight_bytes);

    free(xs);
    free(weight);
    ggml_free(ctx);
    ggml_backend_buffer_free(weight_buffer);
    ggml_free(weight_ctx);
    ggml_backend_free(backend);
    return 0;
}
