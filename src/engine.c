#include "engine.h"

#include <stdio.h>
#include <string.h>

int engine_init(struct engine *e, const struct collect_options *o)
{
    memset(e, 0, sizeof *e);
    snapshot_init(&e->snap[0]);
    snapshot_init(&e->snap[1]);
    e->collector = collector_new(o);
    e->users = users_new();
    if (!e->collector || !e->users) {
        engine_free(e);
        return -1;
    }
    return 0;
}

void engine_free(struct engine *e)
{
    snapshot_diff_free(&e->diff);
    who_free(&e->who);
    snapshot_free(&e->snap[0]);
    snapshot_free(&e->snap[1]);
    collector_free(e->collector);
    users_free(e->users);
    memset(e, 0, sizeof *e);
}

int engine_refresh(struct engine *e, char *err, size_t errlen)
{
    int next = 1 - e->cur;
    const struct snapshot *prev = e->refreshes ? &e->snap[e->cur] : NULL;
    /* the diff points into the snapshot about to be overwritten */
    snapshot_diff_free(&e->diff);
    who_free(&e->who);
    if (collector_collect(e->collector, prev, &e->snap[next], err, errlen) < 0) return -1;
    if (snapshot_diff(prev, &e->snap[next], &e->diff) < 0) {
        snprintf(err, errlen, "out of memory while comparing snapshots");
        return -1;
    }
    if (who_build(&e->who, &e->snap[next]) < 0) {
        snprintf(err, errlen, "out of memory while joining processes to objects");
        return -1;
    }
    e->cur = next;
    e->refreshes++;
    return 0;
}
