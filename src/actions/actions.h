/*
 * actions — the only code that changes anything outside ipctop. Every action re-checks its
 * target right before acting, so that what is acted on is what the person saw: a process
 * by its pid *and* start time, an object by its whole record and its verdict.
 *
 * Each returns a status and writes one sentence for the person into msg.
 */
#ifndef IPCTOP_ACTIONS_H
#define IPCTOP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect.h"
#include "model.h"
#include "snapshot.h"
#include "users.h"

enum action_status {
    ACTION_DONE = 0,
    ACTION_GONE = 1,    /* the target no longer exists */
    ACTION_CHANGED = 2, /* the target is not the one shown any more: nothing done */
    ACTION_DENIED = 3,  /* permission denied */
    ACTION_FAILED = 4,  /* another error */
};

/*
 * Sends signal sig to process pid if it is still the process that started at start_tics
 * (field 22 of /proc/PID/stat). Uses a pidfd, so a pid reused between the check and the
 * signal cannot receive it.
 */
enum action_status action_signal(int32_t pid, uint64_t start_tics, int sig, char *msg, size_t len);

/*
 * Removing objects. What the person saw is kept as a batch of records with the verdict
 * each had and the weakest verdict the person accepted for it (`--reap`: leaked only;
 * `--include-possible` or a confirmation: possibly; a second confirmation: in use too).
 * actions_remove() then, for the whole batch:
 *   1. runs the pipeline afresh (or takes a model built a moment ago) and re-judges every
 *      object: gone, not the same object any more (model_same_object: made again under
 *      the same id), or now judged weaker than accepted (in use, only possibly) — skipped;
 *   2. right before each IPC_RMID, re-reads the object from the kernel with every field
 *      (the kind's collect.reread) and removes it only if it is still the same object and, unless
 * the person accepted "in use", nothing touched it since it was judged (attach, detach, semop,
 * send, receive, counts, values, pids) and nothing is attached or waiting. IPC_RMID itself cannot
 * be made conditional: what is left is the microseconds between the re-read and the call.
 */
enum action_status_more {
    ACTION_SKIPPED = 5, /* judged weaker than accepted now (in use, only possibly leaked) */
};

struct removal_item {
    struct obj_key key;     /* which object (its kind, namespace and name) */
    enum ipc_class cls;     /* key.kind */
    size_t rec;             /* its record in the batch's judged snapshot (index in its class) */
    enum leak_kind verdict; /* as judged when listed */
    enum leak_kind accept;  /* the weakest verdict accepted for it */
    char owner[64];
    bool left_out;     /* the person chose not to remove it after all: not acted on */
    int status;        /* enum action_status or ACTION_SKIPPED, once done */
    const char *word;  /* the outcome in a few fixed words: "removed", "skipped: in use now" */
    char outcome[400]; /* one sentence */
};

struct removal_batch {
    struct snapshot judged; /* the records as they were judged, in the order added */
    struct removal_item *items;
    size_t n, cap;
};

void removal_batch_init(struct removal_batch *b);
void removal_batch_free(struct removal_batch *b);

/* Adds object i of cls of s, as judged (verdict), accepting down to accept. false when out of
 * memory. */
bool removal_batch_add(struct removal_batch *b, const struct snapshot *s, enum ipc_class cls,
                       size_t i, enum leak_kind verdict, enum leak_kind accept, const char *owner);

/*
 * Re-judges and removes every item (see above) and sets its status and outcome. fresh: a
 * model built from the kernel a moment ago, or NULL to build one now with co and mp.
 * Returns the number removed (or marked for destruction), or -1 when the fresh judgement
 * could not be made (then nothing was removed, and every outcome says why).
 */
long actions_remove(struct removal_batch *b, const struct model *fresh,
                    const struct collect_options *co, const struct model_params *mp,
                    struct users *u);

/* Whether this process may remove an object (IPC_RMID: its owner or creator, or
 * CAP_SYS_ADMIN); says nothing of whether it exists. */
bool action_may_remove(const struct ipc_common *c);

/* Reads field 22 (starttime) of /proc/PID/stat; false when the process is gone. */
bool action_read_start_tics(int32_t pid, uint64_t *tics);

#endif
