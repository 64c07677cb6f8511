/*
 * who — who uses what: the join of a snapshot's objects with its processes. No I/O.
 *
 * Owns, per object of the snapshot, the list of processes attached to a segment (distinct
 * processes, with how many mappings each) and of tasks blocked on a set or a queue (with
 * the semaphore and operation, or the message type, they wait for). Computed once per
 * refresh, read by every view.
 *
 * Completeness is per object: an attacher list is complete when the mappings found add up
 * to the kernel's nattch exactly (every process read or not: a process may come or go
 * between the kernel's count and the scan); a set's waiter list when the
 * waiters found add up to its ncount+zcount (or every task could be read); a queue's when
 * every task could be read. A view must say "partial" otherwise, never show a short list
 * as the whole.
 */
#ifndef IPCTOP_WHO_H
#define IPCTOP_WHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs.h"
#include "snapshot.h"
#include "tasks.h"

#define WHO_OP_UNKNOWN INT32_MIN

struct who_attacher {
    int32_t pid;
    uint32_t mappings; /* VMAs of the segment in this process (nattch counts these) */
    bool writable;     /* at least one mapping is writable */
};

struct who_waiter {
    int32_t pid, tid;
    enum ipc_wait wait; /* WAIT_SEMOP, WAIT_MSGRCV or WAIT_MSGSND */
    int32_t semnum;     /* semop: the semaphore it is blocked on, -1 unknown */
    int32_t op;         /* semop: its sem_op (< 0 decrement, 0 wait for zero); WHO_OP_UNKNOWN */
    int64_t msgtyp;     /* msgrcv: the type asked for; msgsnd: the type being sent (0 unknown) */
    uint64_t size;      /* msgrcv: bytes it can take; msgsnd: bytes it sends */
    uint32_t msgflg;    /* msgrcv: its flags (MSG_EXCEPT changes what msgtyp means) */
    bool stopped;       /* stopped (SIGSTOP, a debugger): the kernel no longer counts it */
    int64_t since;      /* unix time it began waiting, as far as known */
};

struct who_range {
    uint32_t off, n;
};

struct who {
    struct who_range *range[IPC_NCLASSES]; /* per object: attachers or waiters (kind.h: users) */
    uint32_t *mappings[IPC_NCLASSES];      /* per object of an attached kind: mappings found */
    struct who_attacher *att;
    size_t natt;
    struct who_waiter *wait;
    size_t nwait;
    bool procs_ok;        /* the process table could be read */
    bool attach_complete; /* every process of the namespace's maps could be read */
    bool tasks_complete;  /* every task's syscall could be read */
};

/* Builds the join for snapshot s. 0, or -1 when out of memory (then everything is empty). */
int who_build(struct who *w, const struct snapshot *s);
void who_free(struct who *w);

static inline const struct who_attacher *who_attachers(const struct who *w, enum ipc_class cls,
                                                       size_t i, size_t *n)
{
    *n = w->range[cls] ? w->range[cls][i].n : 0;
    return *n ? &w->att[w->range[cls][i].off] : NULL;
}

/* The mappings found of object i of an attached kind (what nattch counts). */
static inline uint32_t who_mappings(const struct who *w, enum ipc_class cls, size_t i)
{
    return w->mappings[cls] ? w->mappings[cls][i] : 0;
}

static inline const struct who_waiter *who_waiters(const struct who *w, enum ipc_class cls,
                                                   size_t i, size_t *n)
{
    *n = w->range[cls] ? w->range[cls][i].n : 0;
    return *n ? &w->wait[w->range[cls][i].off] : NULL;
}

/* Whether the list of object i is the whole truth (see the top of this file): its kind's
 * rule (kind.h: complete). */
bool who_complete(const struct who *w, const struct snapshot *s, enum ipc_class cls, size_t i);

/* The rule for attached kinds: the mappings found add up to the kernel's count exactly, and
 * none could be a forgery. */
bool who_attachers_complete(const struct who *w, const struct snapshot *s, enum ipc_class cls,
                            size_t i, uint64_t counted);

/* The semaphore and operation a semop waiter is blocked on, from its sembuf and the set's
 * values (the sem kind's waiter hook). */
void who_sem_target(const struct snapshot *s, const struct blocked_task *b,
                    const struct sem_set *set, struct who_waiter *w);

/*
 * Which operation of a semop blocks against the current values, as the kernel decides it:
 * the operations apply in order, and the first that cannot (a decrement below 0, a wait
 * for zero on a non-zero value) is where the task waits. Returns its index, or -1 when all
 * could proceed (the values moved since the task blocked). Pure.
 */
int who_blocking_op(const struct sem_op *ops, size_t nops, const int32_t *values, uint32_t nsems);

/* Liveness of the pids of an object, each against the time of the operation that set it. */
enum liveness who_shm_cpid_alive(const struct snapshot *s, const struct shm_segment *g);
enum liveness who_shm_lpid_alive(const struct snapshot *s, const struct shm_segment *g);
enum liveness who_sem_pid_alive(const struct snapshot *s, const struct sem_set *set, uint32_t k);
enum liveness who_msg_lspid_alive(const struct snapshot *s, const struct msg_queue *q);
enum liveness who_msg_lrpid_alive(const struct snapshot *s, const struct msg_queue *q);

#endif
