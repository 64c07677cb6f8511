/*
 * collect_sem — which semaphore sets can have waiters (internal to collect).
 *
 * A sem_hint lists the sets that tasks were seen blocked on. Only when `complete` (every
 * task of the machine could be inspected) may the collector trust that the other sets
 * have no waiters and skip their GETNCNT/GETZCNT.
 */
#ifndef IPCTOP_COLLECT_SEM_H
#define IPCTOP_COLLECT_SEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sem_hint {
    bool complete;
    const int32_t *semids; /* sorted ascending */
    size_t n;
};

/* True unless the hint is complete and does not name semid. NULL hint: true. */
bool sem_hint_may_wait(const struct sem_hint *h, int32_t semid);

#endif
