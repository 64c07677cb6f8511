/*
 * bench_items — the in-process measurements of bench_core, each run in a fresh child
 * process by the driver (so each starts alike and its peak RSS is its own).
 *
 * An item prints lines for the driver on stdout:
 *   "M <wall_ns> <cpu_ns> <label>"  one measurement (the first one is the item's main row;
 *                                   labels of sub-rows start with two spaces)
 *   "P <label>"                     the process's peak RSS belongs to that row (only where it
 *                                   means something: the refresh item holds what ipctop does)
 *   "I <topic>: <text>"             a fact worth showing once (what was found, paths taken)
 * and returns 0, or 1 after printing a sentence on stderr.
 *
 * Items read the current IPC namespace and change nothing in it.
 */
#ifndef IPCTOP_BENCH_ITEMS_H
#define IPCTOP_BENCH_ITEMS_H

/* Names of the items, NULL-terminated, in the order the driver starts from. */
extern const char *const bench_item_names[];

/* Runs the item called name. */
int bench_item_run(const char *name);

#endif
