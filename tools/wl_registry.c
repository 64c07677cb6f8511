/*
 * wl_registry.c — see wl_registry.h.
 */
#include "wl_registry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Objects are looked up by id on every wl_remove(); with 32,000 objects per class and a
 * churning caller a linear list would dominate, hence open addressing. */
enum { SLOT_EMPTY, SLOT_USED, SLOT_DELETED };

struct obj_table {
    struct wl_registry_obj *slots;
    size_t cap;  /* power of two, or 0 */
    size_t used; /* SLOT_USED + SLOT_DELETED: what probing has to walk over */
    size_t live;
};

static struct obj_table objects[3];
static struct wl_registry_proc *procs;
static size_t nprocs, procs_cap;
static pid_t owner_pid; /* process the registry belongs to */

static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

void wl_registry_free(void)
{
    for (int c = 0; c < 3; c++) {
        free(objects[c].slots);
        memset(&objects[c], 0, sizeof objects[c]);
    }
    free(procs);
    procs = NULL;
    nprocs = procs_cap = 0;
}

/* A process forked by the caller inherits a copy of the registry; what it names belongs
 * to the parent, so a child that starts using the library starts from scratch. */
void wl_registry_claim(void)
{
    pid_t self = getpid();
    if (owner_pid == self) return;
    wl_registry_free();
    owner_pid = self;
}

int wl_registry_owned(void)
{
    return owner_pid == getpid();
}

int wl_registry_empty(void)
{
    return owner_pid != getpid() ||
           (nprocs == 0 && objects[0].live + objects[1].live + objects[2].live == 0);
}

struct wl_registry_obj *wl_registry_obj_find(enum wl_class cls, int id)
{
    struct obj_table *t = &objects[cls];
    if (t->cap == 0) return NULL;
    for (size_t i = mix32((uint32_t)id) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct wl_registry_obj *e = &t->slots[i];
        if (e->state == SLOT_EMPTY) return NULL;
        if (e->state == SLOT_USED && e->id == id) return e;
    }
}

static int obj_rehash(struct obj_table *t, size_t cap)
{
    struct wl_registry_obj *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].state != SLOT_USED) continue;
        size_t j = mix32((uint32_t)t->slots[i].id) & (cap - 1);
        while (slots[j].state != SLOT_EMPTY) j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    t->used = t->live;
    return 0;
}

int wl_registry_obj_add(enum wl_class cls, int id, key_t key, pid_t cpid)
{
    struct obj_table *t = &objects[cls];
    struct wl_registry_obj *e = wl_registry_obj_find(cls, id);
    if (e) { /* an id the kernel reused after an outside removal: same object now */
        e->key = key;
        e->cpid = cpid;
        return 0;
    }
    if ((t->used + 1) * 4 > t->cap * 3) {
        size_t cap = 64;
        while (cap < (t->live + 1) * 2) cap *= 2;
        if (obj_rehash(t, cap) < 0) return -1;
    }
    size_t i = mix32((uint32_t)id) & (t->cap - 1);
    while (t->slots[i].state == SLOT_USED) i = (i + 1) & (t->cap - 1);
    if (t->slots[i].state == SLOT_EMPTY) t->used++;
    t->slots[i] = (struct wl_registry_obj){.id = id, .key = key, .cpid = cpid, .state = SLOT_USED};
    t->live++;
    return 0;
}

void wl_registry_obj_forget(enum wl_class cls, struct wl_registry_obj *e)
{
    e->state = SLOT_DELETED;
    objects[cls].live--;
}

struct wl_registry_obj *wl_registry_obj_next(enum wl_class cls, size_t *cursor)
{
    struct obj_table *t = &objects[cls];
    while (*cursor < t->cap) {
        struct wl_registry_obj *e = &t->slots[(*cursor)++];
        if (e->state == SLOT_USED) return e;
    }
    return NULL;
}

int wl_registry_proc_reserve(size_t more)
{
    if (nprocs + more <= procs_cap) return 0;
    size_t cap = procs_cap ? procs_cap * 2 : 64;
    while (cap < nprocs + more) cap *= 2;
    struct wl_registry_proc *p = realloc(procs, cap * sizeof *p);
    if (!p) return -1;
    procs = p;
    procs_cap = cap;
    return 0;
}

void wl_registry_proc_add(pid_t pid, pid_t parent)
{
    procs[nprocs++] = (struct wl_registry_proc){.pid = pid, .parent = parent};
}

struct wl_registry_proc *wl_registry_proc_find(pid_t pid)
{
    for (size_t i = nprocs; i-- > 0;)
        if (procs[i].pid == pid) return &procs[i];
    return NULL;
}

void wl_registry_proc_drop(struct wl_registry_proc *p)
{
    *p = procs[--nprocs];
}

struct wl_registry_proc *wl_registry_procs(size_t *n)
{
    *n = nprocs;
    return procs;
}

void wl_registry_proc_clear(void)
{
    nprocs = 0;
}

size_t wl_process_count(void)
{
    return owner_pid == getpid() ? nprocs : 0;
}

size_t wl_object_count(enum wl_class cls)
{
    return owner_pid == getpid() && (unsigned)cls <= WL_MSG ? objects[cls].live : 0;
}
