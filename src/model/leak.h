/*
 * leak — is an object a leftover nobody will use again? Pure: reads a snapshot, its
 * who-uses-what join and the owner index the model builds, and says, per object, one of
 * three verdicts with the evidence for it (docs/leak-rules.md has the rules in words):
 *
 *   leaked    certain: nothing uses it, every process that used it is gone, no process of
 *             its owner or creator user is alive in its IPC namespace (a System V object is
 *             found by its key, and nothing records who holds a key), everything that
 *             decides this could be seen, and nothing touched it for min_age seconds;
 *   possibly  it would be leaked, but something makes it uncertain — the evidence says what;
 *   no        in use (attached, waited on, a process that used it is alive), or too recent.
 *
 * A pid of 0 means "never used", which is no evidence that anyone is gone. ipctop itself
 * and its ancestors (the shell that started it) do not count as live owners.
 *
 * The verdict is evidence, not words: a few numbers per object, so that 96,000 objects cost
 * no formatting. leak_describe() puts it in words for the views that show it.
 */
#ifndef IPCTOP_LEAK_H
#define IPCTOP_LEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

#define LEAK_DEFAULT_MIN_AGE 600 /* seconds: 10 minutes */

enum leak_kind {
    LEAK_NO,       /* in use, too recent, or not enough known to judge */
    LEAK_POSSIBLY, /* would be leaked, but something makes it uncertain */
    LEAK_LEAKED,   /* certain */
};

/* "", "possibly", "leaked": the one word every view uses. */
const char *leak_kind_word(enum leak_kind k);

/* What the verdict rests on. */
enum leak_basis {
    LB_UNKNOWN,   /* not enough is known to judge (fields unreadable) */
    LB_ATTACHED,  /* count attachments */
    LB_WAITING,   /* count processes waiting (sem) or blocked (msg) on it */
    LB_PID_ALIVE, /* a process that used it (role, pid) is alive */
    LB_RECENT,    /* touched at `last`, less than min_age ago */
    LB_UNUSED,    /* nothing uses it and its users are gone, or it was never used */
};

/* Which recorded pid. */
enum leak_role { LR_CREATOR, LR_LAST_USER, LR_SEMAPHORE, LR_SENDER, LR_RECEIVER };

/* Why a candidate is only "possibly" leaked; the first that applies is given. */
enum leak_doubt {
    LD_NONE,
    LD_LIVENESS_UNSEEN,   /* whether a recorded pid lives could not be told */
    LD_COUNTS_UNREADABLE, /* its waiter counts or last pids may not be read */
    LD_TASKS_PARTIAL,     /* not every task could be inspected: a blocked one may be missing */
    LD_PARENT_ALIVE,      /* a process that used it has exited, but its parent lives */
    LD_OWNER_ACTIVE,      /* live processes of its owner or creator user */
    LD_OWNER_UNSEEN,      /* not every process of the namespace could be seen */
};

/* A process as the monitor saw it, kept after it exits (model.c remembers them). */
struct leak_remembered {
    int32_t pid, ppid;
    uint32_t ruid;
    double start; /* unix seconds */
    char cmd[64]; /* its command line, cut */
};

struct leak_verdict {
    uint8_t kind;  /* enum leak_kind */
    uint8_t basis; /* enum leak_basis */
    uint8_t role;  /* enum leak_role, for LB_PID_ALIVE and LD_PARENT_ALIVE */
    uint8_t doubt; /* enum leak_doubt */
    bool never_used;
    uint8_t sibling_cls; /* LD_OWNER_ACTIVE: an object the owner's process uses ... */
    int32_t sibling_id;  /* ... (-1 none) */
    uint32_t count;      /* attachments, waiters, or the owner's live processes */
    int32_t pid;         /* LB_PID_ALIVE: the live one; LD_OWNER_ACTIVE: an example */
    int32_t parent;      /* LD_PARENT_ALIVE: the live parent */
    uint32_t uid;        /* LD_OWNER_ACTIVE: whose processes */
    uint32_t semnum;     /* LR_SEMAPHORE */
    int32_t remembered;  /* LD_PARENT_ALIVE: index into the model's remembered processes */
    int64_t last;        /* last activity, unix seconds; 0 never */
};

/*
 * Per user, the live processes of our IPC namespace (the model builds it from the owner
 * scan): how many, one of them, and one that uses an IPC object (attached, waiting, or the
 * live last user of something) with that object.
 */
struct leak_owner {
    uint32_t uid;
    uint32_t count;
    int32_t example;
    int32_t user_pid; /* -1 none uses IPC */
    uint8_t user_cls;
    int32_t user_id;
};

struct leak_owners {
    struct leak_owner *u; /* sorted by uid */
    size_t n;
    bool known; /* every process of the namespace could be seen */
};

/* What leak_judge needs besides the object: the join, the owners, the remembered
 * processes and the clock. */
struct leak_inputs {
    const struct snapshot *s; /* its owners scan says which processes live in the namespace */
    const struct who *who;
    const struct leak_owners *owners;
    /* processes seen before now, sorted by pid then start (empty in one-shot modes) */
    const struct leak_remembered *mem;
    size_t nmem;
    int64_t now;
    int64_t min_age;
};

/* The verdict on object i of class cls (its kind's judge). */
struct leak_verdict leak_judge(const struct leak_inputs *in, enum ipc_class cls, size_t i);

/*
 * The verdict in words: "nothing attached, creator 4711 and last user 4790 gone, no process
 * of postgres left, untouched for 12m" or "...; but its owner postgres has 6 live processes
 * here (4711 postgres: checkpointer is attached to shm 32769)". mem is the remembered
 * processes the verdict may point into (NULL when none). Returns buf.
 */
char *leak_describe(char *buf, size_t len, const struct leak_verdict *v, const struct snapshot *s,
                    enum ipc_class cls, size_t i, const struct leak_remembered *mem,
                    struct users *u, int64_t now, int64_t min_age);

/* ---- for the kinds' judges (kind.h: judge, describe_users) ---------------------------- */

/* The verdict of an object that is not a candidate, for the reason given. */
struct leak_verdict leak_no(enum leak_basis b);
/* ... because a process that used it (role, pid) is alive. */
struct leak_verdict leak_alive(enum leak_role role, int32_t pid);

/* The recorded pids of a candidate that have exited, and whether any could not be told. */
struct leak_recorded {
    int32_t pid;
    int64_t when; /* time of the operation that recorded it */
    enum leak_role role;
};
struct leak_dead {
    struct leak_recorded r[8];
    size_t n;
    bool unseen; /* some pid's liveness could not be told */
};

/* Notes a recorded pid's liveness: true when it is alive (the object is in use). A pid
 * already noted is not noted twice. */
bool leak_note_pid(struct leak_dead *d, enum liveness l, int32_t pid, int64_t when,
                   enum leak_role role);

/*
 * The steps every candidate shares, after the kind's own: recent activity (last) keeps it;
 * then the doubt the kind found (or LD_LIVENESS_UNSEEN when d says so), or the remembered
 * parent of a dead user, or the owner's live processes, or what could not be seen, makes it
 * "possibly"; otherwise it is leaked.
 */
struct leak_verdict leak_conclude(const struct leak_inputs *in, const struct ipc_common *c,
                                  int64_t last, bool never_used, enum leak_doubt doubt,
                                  const struct leak_dead *d);

/* Words being put together (leak_describe hands one to describe_users). */
struct leak_words {
    char *buf;
    size_t len, at;
};
void leak_put(struct leak_words *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses "30s", "10m", "2h", "1d" or a plain number of seconds; false if not one. */
bool leak_parse_duration(const char *text, int64_t *seconds);

#endif
