/*
 * ipcload_pools — the objects ipcload made, one pool per class (indexed by enum
 * wl_class): their ids and keys, which ones a process of ours uses (pinned, left alone
 * by churn), and the keys churn may reuse. Creating them all, with one sentence that
 * names the limit or the cause when the kernel refuses.
 *
 * What it owns: struct ipcload_pool and its memory. The objects themselves belong to
 * libipcworkload's registry (wl_cleanup() removes them); ipcload_pools_free() frees only
 * memory.
 * What it may call: libipcworkload (creation), ipcload_say, ipcload_signals (stopping
 * between steps of a long setup), libc.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_POOLS_H
#define IPCTOP_TOOLS_IPCLOAD_POOLS_H

#include "ipcload_options.h"
#include "workload.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ipcload_obj {
    int id;
    key_t key;
    int pinned; /* a process of ours uses it: churn leaves it alone */
};

struct ipcload_pool {
    enum wl_class cls;
    struct ipcload_obj *v;
    size_t n, cap;
    size_t npinned; /* v[0 .. npinned) are pinned, after ipcload_plan_spawn() */
    size_t initial;
    key_t *free_keys; /* keys of objects removed by churn, to be reused */
    size_t nfree;
    uint32_t next_key; /* offset from key_base of the next never-used key */
};

/* Creates opts->count[c] objects of each class into pools[c] (keys key_base + i, or
 * IPC_PRIVATE). 0, -1 on failure (reported), 1 if interrupted by a signal. */
int ipcload_pools_create(struct ipcload_pool pools[3], const struct ipcload_options *o);

/* One object of class cls with the options' size, nsems and mode; its id, or -1. */
int ipcload_pools_new_object(const struct ipcload_options *o, enum wl_class cls, key_t key);

/* Room for cap objects (and as many free keys). 0, or -1 when out of memory. */
int ipcload_pools_reserve(struct ipcload_pool *p, size_t cap);

/* Frees the pools' memory and empties them. */
void ipcload_pools_free(struct ipcload_pool pools[3]);

/* "shm segment", "semaphore set", "message queue". */
const char *ipcload_pools_class_name(enum wl_class cls);

#endif
