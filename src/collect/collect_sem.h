/*
 * collect_sem — which semaphore sets must be asked for what (internal to collect).
 *
 * Values and pids: a set whose record shows that nothing touched it since its elements were
 * last read keeps them (collect_sem.c explains why that is exact); the two rules are here
 * for the tests.
 *
 * Waiters: a sem_hint lists the sets that tasks were seen blocked on. Only when `complete` (every
 * task of the machine could be inspected) may the collector trust that the other sets
 * have no waiters and skip their GETNCNT/GETZCNT.
 */
#ifndef IPCTOP_COLLECT_SEM_H
#define IPCTOP_COLLECT_SEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

struct sem_hint {
    bool complete;
    const int32_t *semids; /* sorted ascending */
    size_t n;
};

/* True unless the hint is complete and does not name semid. NULL hint: true. */
bool sem_hint_may_wait(const struct sem_hint *h, int32_t semid);

/* Whether the realtime clock may have gone back between the element passes of prev and s
 * (elems_wall, elems_mono): set_seen is CLOCK_MONOTONIC when the collector's watch last saw
 * the clock set (+inf: no watch), or the realtime clock came nearer the monotonic one than
 * NTP's slewing explains. */
bool sem_clock_may_have_gone_back(double set_seen, const struct snapshot *prev,
                                  const struct snapshot *s);

/* Whether set p of prev (NULL: not there) can lend its values and pids to set cur of the
 * snapshot being read: the same set, its otime and ctime as they were and older than the
 * second in which prev's element pass began, less a margin. clock_ok: the clock did not go
 * back in between (sem_clock_may_have_gone_back). */
bool sem_elements_carry(bool clock_ok, const struct snapshot *prev, const struct sem_set *p,
                        const struct sem_set *cur);

#endif
