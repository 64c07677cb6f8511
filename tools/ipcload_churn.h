/*
 * ipcload_churn — --churn RATE: remove and create objects of every class, in turn, at
 * RATE operations per second, each class swinging between its initial count and one
 * less. Objects pinned by a process of ours are left alone; with --key-base, removed keys
 * are reused. The victims come from a fixed-seed generator: runs are reproducible.
 *
 * What it owns: struct ipcload_churn (the rate's credit, the next class, the generator).
 * What it may call: libipcworkload (wl_remove), ipcload_pools (creation, room), ipcload_say
 * (one warning per run when creation fails; churn carries on), libc.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_CHURN_H
#define IPCTOP_TOOLS_IPCLOAD_CHURN_H

#include "ipcload_options.h"
#include "ipcload_pools.h"

#include <stdint.h>

struct ipcload_churn {
    double credit; /* operations due */
    long long last;
    unsigned next_class;
    uint64_t rng; /* xorshift64* state */
    int warned;
};

/* Starts at now (wl_os_now_us() time) with nothing due. */
void ipcload_churn_start(struct ipcload_churn *ch, long long now);

/* Does the operations due since the last call (at most about half a second's worth: no
 * bursts after a stall). */
void ipcload_churn_run(struct ipcload_churn *ch, struct ipcload_pool pools[3],
                       const struct ipcload_options *o, long long now);

#endif
