/*
 * ipcload_plan — which process uses which object, and the contents that make them block:
 * attachers take the segments round-robin; semaphores are numbered slot = semnum * nsets
 * + set, decrementing waiters take the first slots (value 0), wait-for-zero waiters the
 * rest (set to 1); receivers take the first queues (kept empty), senders the rest (filled
 * to their byte limit); --fill puts messages in every queue but the receivers'.
 *
 * What it owns: the assignment rules above and the "pinned" marks in the pools.
 * What it may call: libipcworkload (contents, spawners), ipcload_pools (the objects),
 * ipcload_say, ipcload_signals (stopping between children), libc.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_PLAN_H
#define IPCTOP_TOOLS_IPCLOAD_PLAN_H

#include "ipcload_options.h"
#include "ipcload_pools.h"

/* Puts the --fill messages in the queues and sets the wait-for-zero semaphores to 1.
 * 0, -1 on failure (reported), 1 if interrupted by a signal. */
int ipcload_plan_contents(struct ipcload_pool pools[3], const struct ipcload_options *o);

/* Starts the processes and marks the objects they use as pinned, moving them to the
 * front of their pool (v[0 .. npinned)). 0, -1 on failure (reported), 1 if interrupted. */
int ipcload_plan_spawn(struct ipcload_pool pools[3], const struct ipcload_options *o);

#endif
