/*
 * collect_source — the interface between the collector and its sources (internal to
 * collect). A source reads one class of objects into a snapshot; the collector keeps
 * a per-class list of sources and uses the first that is available.
 */
#ifndef IPCTOP_COLLECT_SOURCE_H
#define IPCTOP_COLLECT_SOURCE_H

#include "collect.h"
#include "kind.h"
#include "shmdev.h"
#include "snapshot.h"

#include <sys/types.h>

/* State shared by the sources of one collector, kept across refreshes. */
struct collect_ctx {
    const char *proc_root;
    /* per class, so that classes can be read in parallel: */
    char *buf[IPC_NCLASSES]; /* reused for reading /proc files in chunks */
    size_t bufcap[IPC_NCLASSES];
    bool stat_any_refused[IPC_NCLASSES]; /* learnt once: this kernel has no *_STAT_ANY */
    uint64_t page_size;
    uint64_t hugepage_sizes[8]; /* sizes this kernel supports, bytes */
    size_t nhugepage;
    struct shm_devs devs;    /* where segments' files live: checks attachers (shmdev.h) */
    unsigned short *semvals; /* scratch for GETALL (sem only) */
    size_t semvals_cap;
    int32_t *hint_ids; /* scratch for the semaphore hint */
    size_t hint_cap;
    /* a timerfd that is cancelled when the realtime clock is set (collect_sem.c): -1 not made
     * yet, -2 cannot be had; and CLOCK_MONOTONIC when it last said so, or when the watch
     * began (+inf without a watch) */
    int clock_fd;
    double clock_set_seen;
};

enum source_status {
    SRC_OK = 0,
    SRC_UNAVAILABLE = 1, /* this source cannot read the class here: try the next one */
    SRC_NOMEM = -1,
};

struct collect_source {
    enum collect_path path;
    /* Appends the class's objects to s, or leaves s as it was and says why not. */
    enum source_status (*read)(struct collect_ctx *ctx, enum ipc_class cls, struct snapshot *s);
};

extern const struct collect_source collect_source_stat_any;
extern const struct collect_source collect_source_stat;
extern const struct collect_source collect_source_procfs;

/* *_INFO of a class: returns the highest index in use (or -1 when refused) and gives the
 * number of objects (and, for sem, of semaphores). */
int collect_class_info(enum ipc_class cls, int *in_use, size_t *nelems);

/* Room to reserve in the element pool for a kind's nelems elements (and a little slack):
 * none for a kind without elements. The kinds are read in two threads at once and only the
 * kind with elements may touch the pool. */
static inline size_t elements_room(enum ipc_class cls, size_t nelems)
{
    return kind_of(cls)->element_fields ? nelems + 256 : 0;
}

/* Truncates a class back to n records (drops what a failed source appended). */
void collect_truncate(struct snapshot *s, enum ipc_class cls, size_t n);

/* Reads every field of one set's elements, asking the kernel for all of them (re-checks
 * before an action): false when the set is gone or unreadable (errno). */
bool collect_sem_one(struct snapshot *s, struct sem_set *set);

/* The sem kind's after_read: which sets tasks wait on, then every set's elements. */
void collect_sem_after_read(struct collect_ctx *ctx, const struct snapshot *prev,
                            struct snapshot *s);
/* The shm kind's finish: hugetlb segments' rss corrected or flagged (collect_shm.c). */
void collect_shm_finish(struct collect_ctx *ctx, struct snapshot *s);

/* Fills every set's elements (collect_sem.c). */
struct sem_hint;
void collect_sem_elements(struct collect_ctx *ctx, const struct snapshot *prev, struct snapshot *s,
                          const struct sem_hint *hint);

#endif
