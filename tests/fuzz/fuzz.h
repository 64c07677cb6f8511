/*
 * fuzz — what every harness in tests/fuzz shares: the libFuzzer entry point (also called
 * by fuzz_driver.c in builds without libFuzzer) and a check that holds in every build type.
 */
#ifndef IPCTOP_FUZZ_H
#define IPCTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs one input; returns 0. A broken property aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Like assert(), but not compiled out by NDEBUG (Release and RelWithDebInfo define it). */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
