#include "tracker.h"

#include <stdlib.h>
#include <string.h>

static uint64_t key_of(enum ipc_class cls, int32_t id)
{
    return (uint64_t)cls << 32 | (uint32_t)id;
}

void tracker_init(struct tracker *t)
{
    memset(t, 0, sizeof *t);
}

void tracker_free(struct tracker *t)
{
    free(t->slots);
    tracker_init(t);
}

static size_t slot_of(const struct tracker_entry *slots, size_t cap, uint64_t key)
{
    size_t h = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
    while (slots[h].used && slots[h].key != key) h = (h + 1) & (cap - 1);
    return h;
}

static const struct tracker_entry *find(const struct tracker *t, uint64_t key)
{
    if (!t->cap) return NULL;
    const struct tracker_entry *e = &t->slots[slot_of(t->slots, t->cap, key)];
    return e->used ? e : NULL;
}

bool tracker_update(struct tracker *t, const struct snapshot_diff *d, long seq)
{
    size_t total = 0;
    for (int c = 0; c < IPC_NCLASSES; c++) total += d->cls[c].ncur;
    size_t cap = 64;
    while (cap < total * 2) cap *= 2;
    struct tracker_entry *ns = calloc(cap, sizeof *ns);
    if (!ns) return false;
    /* rebuilt each refresh from the current objects: gone ones drop out by themselves */
    for (int c = 0; c < IPC_NCLASSES; c++) {
        const struct class_diff *cd = &d->cls[c];
        for (size_t i = 0; i < cd->ncur; i++) {
            int32_t id = snapshot_common(d->cur, (enum ipc_class)c, i)->id;
            uint64_t key = key_of((enum ipc_class)c, id);
            struct tracker_entry *e = &ns[slot_of(ns, cap, key)];
            const struct tracker_entry *old = cd->cur[i].state == OBJ_NEW ? NULL : find(t, key);
            e->key = key;
            e->used = true;
            if (old) {
                e->first_seen = old->first_seen;
                e->seq = old->seq;
            } else if (d->prev) {
                e->first_seen = (int64_t)d->cur->wall;
                e->seq = seq;
            } else {
                e->first_seen = 0;
                e->seq = 0;
            }
        }
    }
    free(t->slots);
    t->slots = ns;
    t->cap = cap;
    t->n = total;
    t->seq = seq;
    return true;
}

int64_t tracker_first_seen(const struct tracker *t, enum ipc_class cls, int32_t id)
{
    const struct tracker_entry *e = find(t, key_of(cls, id));
    return e ? e->first_seen : 0;
}

bool tracker_is_new(const struct tracker *t, enum ipc_class cls, int32_t id)
{
    const struct tracker_entry *e = find(t, key_of(cls, id));
    return e && e->seq > 0 && t->seq - e->seq < TRACKER_NEW_REFRESHES;
}
