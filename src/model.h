/*
 * model — what changed between two snapshots. No I/O.
 *
 * Owns the diff: for every object of the current snapshot whether it is new, changed
 * (and which fields) or the same, which objects of the previous snapshot are gone, and
 * queue rates. Views read it; none of them compares snapshots itself.
 *
 * Same object: two records are the same object when they have the same class and id and
 * nothing that cannot change for one object did: creator uid/gid, the key (except the
 * shm key turning 0 when a segment with attachers is marked for destruction), size
 * (shm) or nsems (sem), and ctime does not go backwards. Linux ids carry a sequence
 * number, so a removed-and-recreated object nearly always has a new id; the extra
 * checks catch ids reused after the sequence wraps or when checkpoint/restore sets ids.
 * A record that fails them is shown as the old object gone and a new one.
 */
#ifndef IPCTOP_MODEL_H
#define IPCTOP_MODEL_H

#include "snapshot.h"

enum obj_state { OBJ_SAME, OBJ_NEW, OBJ_CHANGED, OBJ_GONE };

const char *obj_state_name(enum obj_state s); /* "", "new", "chg", "gone" */

struct obj_diff {
    enum obj_state state;
    int64_t prev;     /* index in the previous snapshot, -1 if new */
    uint64_t changed; /* FBIT(F_*) of the fields whose value changed */
};

struct class_diff {
    struct obj_diff *cur; /* one per record of the current snapshot, same order */
    size_t ncur;
    size_t *gone; /* indices into the previous snapshot */
    size_t ngone;
    size_t nnew, nchanged;
};

struct snapshot_diff {
    const struct snapshot *prev; /* NULL for the first snapshot: nothing is marked */
    const struct snapshot *cur;
    double dt; /* seconds between the two, monotonic; 0 without prev */
    struct class_diff cls[IPC_NCLASSES];
};

/* Computes the diff in O(n) over the id-sorted snapshots. 0, or -1 when out of memory. */
int snapshot_diff(const struct snapshot *prev, const struct snapshot *cur, struct snapshot_diff *d);
void snapshot_diff_free(struct snapshot_diff *d);

/* Whether records a (earlier) and b (later) of class cls are the same object. */
bool model_same_object(enum ipc_class cls, const struct snapshot *sa, size_t a,
                       const struct snapshot *sb, size_t b);

/*
 * Net rates of queue i of the current snapshot: messages/s and bytes/s (positive while it
 * fills, negative while it drains). The kernel keeps no throughput counters, so messages
 * that pass through between two snapshots are not seen. False when unknown.
 */
bool model_msg_rates(const struct snapshot_diff *d, size_t i, double *msgs_per_s,
                     double *bytes_per_s);

#endif
