/*
 * ipcload_pools.c — see ipcload_pools.h.
 */
#include "ipcload_pools.h"
#include "ipcload_say.h"
#include "ipcload_signals.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const CLASS_NAME[] = {"shm segment", "semaphore set", "message queue"};
static const char *const CLASS_LIMIT[] = {"kernel.shmmni", "semmni (kernel.sem)", "kernel.msgmni"};

int ipcload_pools_reserve(struct ipcload_pool *p, size_t cap)
{
    if (cap <= p->cap) return 0;
    struct ipcload_obj *v = realloc(p->v, cap * sizeof *v);
    if (!v) return -1;
    p->v = v;
    key_t *k = realloc(p->free_keys, cap * sizeof *k);
    if (!k) return -1;
    p->free_keys = k;
    p->cap = cap;
    return 0;
}

void ipcload_pools_free(struct ipcload_pool pools[3])
{
    for (int c = 0; c < 3; c++) {
        free(pools[c].v);
        free(pools[c].free_keys);
        memset(&pools[c], 0, sizeof pools[c]);
    }
}

int ipcload_pools_new_object(const struct ipcload_options *o, enum wl_class cls, key_t key)
{
    switch (cls) {
    case WL_SHM: return wl_shm_create(key, o->shm_size, o->mode);
    case WL_SEM: return wl_sem_create(key, (int)o->nsems, o->mode);
    case WL_MSG: return wl_msg_create(key, o->mode);
    }
    errno = EINVAL;
    return -1;
}

static void say_create_error(const struct ipcload_options *o, enum wl_class cls, size_t index,
                             size_t total, key_t key)
{
    int err = errno;
    char hint[160] = "";
    if (err == ENOSPC)
        snprintf(hint, sizeof hint, " (limit %s reached; raise it with --unshare --raise-limits)",
                 CLASS_LIMIT[cls]);
    else if (err == EEXIST)
        snprintf(hint, sizeof hint, " (key 0x%08x is already in use)", (unsigned)key);
    else if (err == EINVAL && cls == WL_SHM)
        snprintf(hint, sizeof hint, " (size %zu is outside kernel.shmmin..shmmax)", o->shm_size);
    else if (err == EINVAL && cls == WL_SEM)
        snprintf(hint, sizeof hint, " (--nsems %ld is above SEMMSL, kernel.sem's 1st field)",
                 o->nsems);
    ipcload_say("cannot create %s %zu of %zu: %s%s", ipcload_pools_class_name(cls), index + 1,
                total, strerror(err), hint);
}

int ipcload_pools_create(struct ipcload_pool pools[3], const struct ipcload_options *o)
{
    for (int c = 0; c < 3; c++) {
        struct ipcload_pool *p = &pools[c];
        size_t n = (size_t)o->count[c];
        p->cls = (enum wl_class)c;
        p->initial = n;
        p->next_key = (uint32_t)n;
        if (ipcload_pools_reserve(p, n + 2) < 0) {
            ipcload_say("out of memory");
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (i % 256 == 0 && ipcload_signals_stopping()) return 1;
            key_t key = o->key_base ? (key_t)(o->key_base + (uint32_t)i) : IPC_PRIVATE;
            int id = ipcload_pools_new_object(o, p->cls, key);
            if (id < 0) {
                say_create_error(o, p->cls, i, n, key);
                return -1;
            }
            p->v[p->n++] = (struct ipcload_obj){.id = id, .key = key};
        }
    }
    return 0;
}

const char *ipcload_pools_class_name(enum wl_class cls)
{
    return CLASS_NAME[cls];
}
