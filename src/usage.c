/* Use of the kernel's limits, summed over a snapshot (used by every view's header). */
#include "output.h"

void ipc_usage_of(const struct snapshot *s, struct ipc_usage *u)
{
    uint64_t page = s->limits.page_size ? s->limits.page_size : 4096;
    *u = (struct ipc_usage){0};
    u->segments = s->tab[IPC_SHM].n;
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) {
        const struct shm_segment *g = &SNAP_SHM(s)[i];
        uint64_t pages = (g->size + page - 1) / page; /* what the kernel counts against shmall */
        u->shm_pages += pages;
        u->shm_bytes += g->size;
        if (g->c.valid & FBIT(F_RSS)) u->shm_rss += g->rss;
        if (g->c.valid & FBIT(F_SWAP)) u->shm_swap += g->swap;
    }
    u->sem_sets = s->tab[IPC_SEM].n;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) u->semaphores += SNAP_SEM(s)[i].nsems;
    u->queues = s->tab[IPC_MSG].n;
    for (size_t i = 0; i < s->tab[IPC_MSG].n; i++) {
        u->messages += SNAP_MSG(s)[i].msgs;
        u->msg_bytes += SNAP_MSG(s)[i].usedbytes;
    }
}
