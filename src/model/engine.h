/*
 * engine — the pipeline (pipeline.h) for the non-interactive modes: refreshes run one
 * after another in the caller's thread. Owns the pipeline, the two snapshots (current and
 * previous, swapped on each refresh so their memory is reused) and the model of the
 * current one.
 */
#ifndef IPCTOP_ENGINE_H
#define IPCTOP_ENGINE_H

#include "pipeline.h"
#include "users.h"

struct engine {
    struct pipeline pipe;
    struct snapshot snap[2];
    int cur;        /* index of the current snapshot in snap[] */
    long refreshes; /* how many refreshes succeeded */
    struct model model;
    struct users *users;
};

/* remember: refreshes will follow one another (batch frames): keep what was seen of
 * processes for the verdicts. 0, or -1 out of memory. */
int engine_init(struct engine *e, const struct collect_options *o, const struct model_params *mp,
                bool remember);
void engine_free(struct engine *e);

/* Collects a new snapshot and builds its model. 0, or -1 with err set. */
int engine_refresh(struct engine *e, char *err, size_t errlen);

static inline const struct snapshot *engine_snapshot(const struct engine *e)
{
    return &e->snap[e->cur];
}

#endif
