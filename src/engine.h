/*
 * engine — the refresh cycle every view shares: collect a snapshot, diff it against the
 * previous one. Owns the collector, the two snapshots (current and previous, swapped on
 * each refresh so their memory is reused) and the diff between them.
 */
#ifndef IPCTOP_ENGINE_H
#define IPCTOP_ENGINE_H

#include "collect.h"
#include "model.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

struct engine {
    struct collector *collector;
    struct snapshot snap[2];
    int cur;        /* index of the current snapshot in snap[] */
    long refreshes; /* how many refreshes succeeded */
    struct snapshot_diff diff;
    struct who who; /* who uses what, for the current snapshot */
    struct users *users;
};

int engine_init(struct engine *e, const struct collect_options *o);
void engine_free(struct engine *e);

/* Collects a new snapshot and diffs it against the last one. 0, or -1 with err set. */
int engine_refresh(struct engine *e, char *err, size_t errlen);

static inline const struct snapshot *engine_snapshot(const struct engine *e)
{
    return &e->snap[e->cur];
}

#endif
