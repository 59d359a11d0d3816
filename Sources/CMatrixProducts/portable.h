#ifndef KILN_PORTABLE_H
#define KILN_PORTABLE_H
#include <stdint.h>

float kiln_dot_q8_0_portable(const uint8_t *w, const uint8_t *x, int blocks);
float kiln_dot_q5_0_portable(const uint8_t *w, const uint8_t *x, int blocks);
float kiln_dot_q4_K_portable(const uint8_t *w, const uint8_t *x, int blocks);
float kiln_dot_q4_K_repacked_portable(const uint8_t *w, const uint8_t *x, int blocks, int perPair);
float kiln_dot_q6_K_portable(const uint8_t *w, const uint8_t *x, int blocks);
float kiln_dot_q6_K_prompt_portable(const uint8_t *w, const uint8_t *x, int blocks);
float kiln_dot_f16_portable(const uint8_t *w, const float *x, int columns);

void kiln_quantize_q8_0_portable(const float *x, uint8_t *block);
void kiln_quantize_q8_K_portable(const float *x, uint8_t *block);

#endif
