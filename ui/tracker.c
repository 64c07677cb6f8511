#include "tracker.h"

#include <stdlib.h>
#include <string.h>

void tracker_init(struct tracker *t)
{
    memset(t, 0, sizeof *t);
}

void tracker_free(struct tracker *t)
{
    for (int c = 0; c < IPC_NCLASSES; c++) free(t->e[c]);
    tracker_init(t);
}

/*
 * Whether the entries of a class stand as they are: the tracker was fed the refresh just
 * before (the one this diff is against), and no object of the class appeared or went, so
 * each one is at the same place in both snapshots (sorted by id) and keeps its entry. The
 * usual refresh: 96,000 keys not read again.
 */
static bool entries_stand(const struct tracker *t, const struct snapshot_diff *d,
                          const struct class_diff *cd, int c, long seq)
{
    if (!d->prev || t->seq + 1 != seq || cd->nnew || cd->ngone || cd->ncur != t->n[c] ||
        d->prev->ipc_ns != d->cur->ipc_ns)
        return false;
    for (size_t i = 0; i < cd->ncur; i++)
        if (cd->cur[i].prev != (int64_t)i) return false;
    return true;
}

bool tracker_update(struct tracker *t, const struct snapshot_diff *d, long seq)
{
    for (int c = 0; c < IPC_NCLASSES; c++) {
        const struct class_diff *cd = &d->cls[c];
        if (entries_stand(t, d, cd, c, seq)) continue;
        /* a new array in the order of the current snapshot; kept entries come from the old
         * one by the diff's previous index: one pass, no hashing, at 96,000 objects */
        struct tracker_entry *ne = malloc((cd->ncur ? cd->ncur : 1) * sizeof *ne);
        if (!ne) return false;
        for (size_t i = 0; i < cd->ncur; i++) {
            const struct obj_diff *od = &cd->cur[i];
            ne[i].key = snapshot_key(d->cur, (enum ipc_class)c, i);
            if (od->prev >= 0 && (size_t)od->prev < t->n[c] &&
                obj_key_eq(&t->e[c][od->prev].key, &ne[i].key)) {
                ne[i].first_seen = t->e[c][od->prev].first_seen;
                ne[i].seq = t->e[c][od->prev].seq;
            } else if (d->prev && od->state == OBJ_NEW) {
                ne[i].first_seen = (int64_t)d->cur->wall;
                ne[i].seq = seq;
            } else {
                /* there from the start, or a refresh the tracker missed: not seen appearing */
                ne[i].first_seen = 0;
                ne[i].seq = 0;
            }
        }
        free(t->e[c]);
        t->e[c] = ne;
        t->n[c] = t->cap[c] = cd->ncur;
    }
    t->seq = seq;
    return true;
}

static bool is_new(const struct tracker *t, const struct tracker_entry *e)
{
    return e && e->seq > 0 && t->seq - e->seq < TRACKER_NEW_REFRESHES;
}

int64_t tracker_first_seen_at(const struct tracker *t, enum ipc_class cls, size_t i)
{
    return i < t->n[cls] ? t->e[cls][i].first_seen : 0;
}

bool tracker_is_new_at(const struct tracker *t, enum ipc_class cls, size_t i)
{
    return i < t->n[cls] && is_new(t, &t->e[cls][i]);
}
