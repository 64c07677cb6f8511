/*
 * model — every fact the views show that is not read straight from a snapshot, computed
 * once per refresh. No I/O.
 *
 * Owns (struct model): the diff — for every object of the current snapshot whether it is
 * new, changed (and which fields, and which semaphores) or the same, which objects of the
 * previous snapshot are gone, queue rates —, who uses what (who.h), the owners' live
 * processes, and the leak verdict of every object (leak.h). Views read it; none of them
 * compares snapshots or judges a leak itself. Across refreshes it keeps what the monitor
 * saw of processes (struct proc_memory), so that a verdict can say who a dead pid was.
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

#include "leak.h"
#include "snapshot.h"
#include "usage.h"
#include "users.h"
#include "who.h"

enum obj_state { OBJ_SAME, OBJ_NEW, OBJ_CHANGED, OBJ_GONE };

const char *obj_state_name(enum obj_state s); /* "", "new", "chg", "gone" */

struct obj_diff {
    enum obj_state state;
    int64_t prev;     /* index in the previous snapshot, -1 if new */
    uint64_t changed; /* FBIT(F_*) of the fields whose value changed */
};

/* Per semaphore of the current snapshot (sem class only): what changed. */
enum elem_change { EC_VALUE = 1, EC_PID = 2, EC_COUNTS = 4 };

struct class_diff {
    struct obj_diff *cur; /* one per record of the current snapshot, same order */
    uint8_t *elem;        /* sem: per element of the current snapshot, enum elem_change bits */
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

/* FBIT of the fields that differ between records a (earlier) and b (later) of one object. */
uint64_t model_changed_fields(enum ipc_class cls, const struct snapshot *sa, size_t a,
                              const struct snapshot *sb, size_t b);

/* Whether records a (earlier) and b (later) of class cls are the same object. */
bool model_same_object(enum ipc_class cls, const struct snapshot *sa, size_t a,
                       const struct snapshot *sb, size_t b);

/*
 * The net rate of a numeric field of object i of kind cls of the current snapshot, per
 * second since the previous one (a queue's messages and bytes: positive while it fills,
 * negative while it drains). The kernel keeps no throughput counters, so what passes
 * through between two snapshots is not seen. False when unknown: no previous record of the
 * object, the field unknown in either, or the kind has no such field.
 */
bool model_rate(const struct snapshot_diff *d, enum ipc_class cls, size_t i, enum ipc_field f,
                double *per_s);

/* ---- the whole model of one refresh ------------------------------------------------------ */

struct model_params {
    int64_t min_age; /* seconds untouched before an object can be a leak (--older-than) */
};

/*
 * Processes the monitor has seen, kept after they exit so that a verdict can say "created
 * by 4711 (postgres: autovacuum worker), a child of 20, which is alive". Sorted by pid,
 * then start. Owned by whoever runs refreshes one after another (pipeline.h).
 */
struct proc_memory {
    struct leak_remembered *p;
    double *seen; /* per entry: monotonic seconds it was last seen alive */
    size_t n, cap;
};
void proc_memory_free(struct proc_memory *m);

struct model {
    const struct snapshot *prev, *cur;
    struct snapshot_diff diff;
    struct who who;
    struct leak_owners owners;
    struct leak_verdict *verdict[IPC_NCLASSES]; /* per object of cur */
    struct leak_remembered *mem;                /* the remembered processes verdicts name */
    size_t nmem;
    struct ipc_usage usage; /* of the kernel's limits, by cur */
    int64_t now;            /* cur's wall clock, whole seconds: what verdicts were judged against */
    int64_t min_age;
};

/*
 * Builds the model of cur against prev (NULL for the first refresh). mem, when not NULL, is
 * updated with cur's processes first and lends the verdicts what it remembers. 0, or -1
 * when out of memory (then m is empty).
 */
int model_build(struct model *m, const struct snapshot *prev, const struct snapshot *cur,
                const struct model_params *p, struct proc_memory *mem);
void model_free(struct model *m);

static inline const struct leak_verdict *model_verdict(const struct model *m, enum ipc_class cls,
                                                       size_t i)
{
    return &m->verdict[cls][i];
}

/* The verdict on object i of cur in words (leak_describe). Returns buf. */
char *model_leak_text(const struct model *m, enum ipc_class cls, size_t i, struct users *u,
                      char *buf, size_t len);

#endif
