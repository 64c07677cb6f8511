/* What the kernel's limits are used by, summed over a snapshot: computed once per refresh
 * by the model (model.h: usage) and read by every view's header and by --limits. */
#ifndef IPCTOP_USAGE_H
#define IPCTOP_USAGE_H

#include <stdint.h>

struct snapshot;

struct ipc_usage {
    uint64_t segments, shm_pages, shm_bytes, shm_rss, shm_swap;
    uint64_t sem_sets, semaphores;
    uint64_t queues, messages, msg_bytes;
};
/* Each kind adds its part (kind.h: usage). */
void ipc_usage_of(const struct snapshot *s, struct ipc_usage *u);

#endif
