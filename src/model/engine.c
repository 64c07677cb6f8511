#include "engine.h"

#include <string.h>

int engine_init(struct engine *e, const struct collect_options *o, const struct model_params *mp,
                bool remember)
{
    memset(e, 0, sizeof *e);
    snapshot_init(&e->snap[0]);
    snapshot_init(&e->snap[1]);
    e->users = users_new();
    if (pipeline_init(&e->pipe, o, mp, remember) < 0 || !e->users) {
        engine_free(e);
        return -1;
    }
    return 0;
}

void engine_free(struct engine *e)
{
    model_free(&e->model);
    snapshot_free(&e->snap[0]);
    snapshot_free(&e->snap[1]);
    pipeline_free(&e->pipe);
    users_free(e->users);
    memset(e, 0, sizeof *e);
}

int engine_refresh(struct engine *e, char *err, size_t errlen)
{
    int next = 1 - e->cur;
    const struct snapshot *prev = e->refreshes ? &e->snap[e->cur] : NULL;
    /* the model points into the snapshot about to be overwritten */
    model_free(&e->model);
    if (pipeline_run(&e->pipe, prev, &e->snap[next], &e->model, err, errlen) < 0) return -1;
    e->cur = next;
    e->refreshes++;
    return 0;
}
