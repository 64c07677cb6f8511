/*
 * demo.h — ipcload --demo: a lively, deterministic scene for a person watching ipctop.
 *
 * What it owns: the schedule (what happens at which tick) and the bookkeeping of the
 * demo's own processes. Every object and process goes through libipcworkload, so the
 * caller's wl_cleanup() removes the whole scene; demo_free() only releases memory.
 *
 * The scene, driven by a tick of about one second:
 * - segments with keys 0x1c0ffee0.. gain and lose attachers on triangle waves; some are
 *   written (rss grows), one read-only, one attached by forking processes (nattch counts
 *   two per process pair); every 20 ticks a segment 0x1c0ffeef is removed while still
 *   attached (key 0, SHM_DEST) and disappears when its attachers go;
 * - semaphore sets 0x5e3a0000.. collect decrementing waiters (sem 0, 1) and
 *   wait-for-zero waiters (sem 2) that are released in steps; sem 3 counts ticks;
 * - queues 0x3e55a9e0.. fill and drain at different rates (a sawtooth, a slow fill with
 *   burst drains, a wave), one has a blocked receiver that is fed every 5 ticks, one is
 *   full with a blocked sender let through every 7 ticks;
 * - every 3 ticks a short-lived object (keys 0x7e300000..) appears, living 7 ticks.
 */
#ifndef IPCTOP_TOOLS_DEMO_H
#define IPCTOP_TOOLS_DEMO_H

#include <stddef.h>

struct demo;

/* Creates the fixed objects (permissions mode). NULL on failure, with a sentence in err. */
struct demo *demo_start(int mode, char *err, size_t errlen);

/* Advances the scene to tick t (0, 1, 2, ...). -1 on failure, with a sentence in err. */
int demo_tick(struct demo *d, unsigned t, char *err, size_t errlen);

/* Frees the bookkeeping; the objects and processes are left to wl_cleanup(). */
void demo_free(struct demo *d);

#endif
