/* Use of the kernel's limits, summed over a snapshot (used by every view's header). */
#include "output.h"

void ipc_usage_of(const struct snapshot *s, struct ipc_usage *u)
{
    uint64_t page = s->limits.page_size ? s->limits.page_size : 4096;
    *u = (struct ipc_usage){0};
    u->segments = s->nshm;
    for (size_t i = 0; i < s->nshm; i++) {
        const struct shm_segment *g = &s->shm[i];
        uint64_t pages = (g->size + page - 1) / page; /* what the kernel counts against shmall */
        u->shm_pages += pages;
        u->shm_bytes += g->size;
        if (g->c.valid & FBIT(F_RSS)) u->shm_rss += g->rss;
        if (g->c.valid & FBIT(F_SWAP)) u->shm_swap += g->swap;
    }
    u->sem_sets = s->nsem;
    for (size_t i = 0; i < s->nsem; i++) u->semaphores += s->sem[i].nsems;
    u->queues = s->nmsg;
    for (size_t i = 0; i < s->nmsg; i++) {
        u->messages += s->msg[i].msgs;
        u->msg_bytes += s->msg[i].usedbytes;
    }
}
