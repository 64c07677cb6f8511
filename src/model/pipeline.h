/*
 * pipeline — the one refresh every view shares: collect a snapshot, then build its model
 * (diff, who uses what, owners, verdicts). The engine (one-shot modes, batch frames, reap)
 * and the refresher (the screens' background thread) both run it; nothing else does.
 *
 * Owns the collector and what must live from one refresh to the next: the memory of the
 * processes seen (model.h), when the caller asks for it.
 */
#ifndef IPCTOP_PIPELINE_H
#define IPCTOP_PIPELINE_H

#include <stdbool.h>

#include "collect.h"
#include "model.h"
#include "snapshot.h"

struct pipeline {
    struct collector *collector;
    struct model_params params;
    struct proc_memory memory;
    bool remember; /* refreshes follow one another: keep what was seen of processes */
};

/* 0, or -1 when out of memory. */
int pipeline_init(struct pipeline *p, const struct collect_options *co,
                  const struct model_params *mp, bool remember);
void pipeline_free(struct pipeline *p);

/*
 * Collects into out (cleared first; prev is the snapshot the previous run produced, or
 * NULL) and builds its model. 0, or -1 with a sentence in err (then m is empty).
 */
int pipeline_run(struct pipeline *p, const struct snapshot *prev, struct snapshot *out,
                 struct model *m, char *err, size_t errlen);

#endif
