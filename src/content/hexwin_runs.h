/*
 * hexwin_runs — private to the hexwin module (hexwin*.c): runs of bytes of one kind in a
 * read's kind array, and what a read costs against a budget.
 */
#ifndef IPCTOP_HEXWIN_RUNS_H
#define IPCTOP_HEXWIN_RUNS_H

#include <stddef.h>
#include <stdint.h>

/* What reading n bytes costs against a budget. Bytes that are not read (holes, pages not
 * resident) are only looked at, which is cheap (a memset, a mincore entry): 64 times less
 * than data, so that a long span is passed by reading where next_data is not cheap. */
#define HEXWIN_SPAN_DISCOUNT 64

/* The end of the run of equal kinds starting at i (kind[i..n)). */
size_t hexwin_run_end(const uint8_t *kind, size_t i, size_t n);
/* The start of the run of equal kinds ending at i (inclusive). */
size_t hexwin_run_start(const uint8_t *kind, size_t i);
/* The budget n bytes of these kinds cost. */
uint64_t hexwin_read_cost(const uint8_t *kind, size_t n);

#endif
