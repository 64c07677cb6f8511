/*
 * tracker — what the screens remember about objects across refreshes: when ipctop first
 * saw each one (for AGE and for highlighting new rows for a few refreshes).
 *
 * Pure: fed one refresh view after another. Objects present at the first refresh were
 * not "seen appearing": they get no first-seen time and no highlight.
 */
#ifndef IPCTOP_UI_TRACKER_H
#define IPCTOP_UI_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* How many refreshes a new object stays highlighted. */
#define TRACKER_NEW_REFRESHES 3

/* What is known of one object; the entries of a class are in the order of the current
 * snapshot (sorted by id), so the diff's previous indices carry them over in one pass. */
struct tracker_entry {
    struct obj_key key;
    int64_t first_seen; /* unix seconds, 0 = was there at the start */
    long seq;           /* refresh in which it appeared */
};

struct tracker {
    struct tracker_entry *e[IPC_NCLASSES];
    size_t n[IPC_NCLASSES], cap[IPC_NCLASSES];
    long seq; /* the last refresh fed */
};

void tracker_init(struct tracker *t);
void tracker_free(struct tracker *t);
/* Feeds the diff of refresh seq (against the snapshot of refresh seq - 1, as the refresher
 * makes them); returns false when out of memory (then nothing is new). */
bool tracker_update(struct tracker *t, const struct snapshot_diff *d, long seq);
/* When object i of the current snapshot (what a row has) was first seen (0 unknown), and
 * whether it is still "new". */
int64_t tracker_first_seen_at(const struct tracker *t, enum ipc_class cls, size_t i);
bool tracker_is_new_at(const struct tracker *t, enum ipc_class cls, size_t i);

#endif
