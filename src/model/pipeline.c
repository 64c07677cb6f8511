#include "pipeline.h"

#include <stdio.h>
#include <string.h>

int pipeline_init(struct pipeline *p, const struct collect_options *co,
                  const struct model_params *mp, bool remember)
{
    memset(p, 0, sizeof *p);
    p->params = *mp;
    p->remember = remember;
    p->collector = collector_new(co);
    return p->collector ? 0 : -1;
}

void pipeline_free(struct pipeline *p)
{
    collector_free(p->collector);
    proc_memory_free(&p->memory);
    memset(p, 0, sizeof *p);
}

int pipeline_run(struct pipeline *p, const struct snapshot *prev, struct snapshot *out,
                 struct model *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (collector_collect(p->collector, prev, out, err, errlen) < 0) return -1;
    if (model_build(m, prev, out, &p->params, p->remember ? &p->memory : NULL) < 0) {
        snprintf(err, errlen, "out of memory while building the model of a refresh");
        return -1;
    }
    return 0;
}
