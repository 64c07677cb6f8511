/*
 * demo.c — the scene of ipcload --demo; see demo.h. Everything is a function of the
 * tick number, so two runs look the same and a screenshot can be reproduced.
 */
#include "demo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>

#include "workload.h"

#define SHM_KEY  0x1c0ffee0
#define DEST_KEY 0x1c0ffeef
#define SEM_KEY  0x5e3a0000
#define MSG_KEY  0x3e55a9e0
#define TMP_KEY  0x7e300000

#define KIB ((size_t)1024)
#define MIB (1024 * KIB)

/* Processes waiting in one place, oldest first (the order the kernel wakes them). */
struct pidq {
    pid_t v[16];
    int n;
};

static int pidq_full(const struct pidq *q)
{
    return q->n == (int)(sizeof q->v / sizeof q->v[0]);
}

static void pidq_push(struct pidq *q, pid_t pid)
{
    q->v[q->n++] = pid;
}

/* Kills the oldest k processes of q. */
static void pidq_kill_oldest(struct pidq *q, int k)
{
    if (k > q->n) k = q->n;
    for (int i = 0; i < k; i++) wl_kill_wait(q->v[i]);
    memmove(q->v, q->v + k, (size_t)(q->n - k) * sizeof q->v[0]);
    q->n -= k;
}

/* Segments: attachers follow a triangle wave of the given period and height. */
static const struct seg_plan {
    size_t size;
    int flags;   /* for wl_spawn_attacher */
    int forking; /* attach through wl_spawn_attacher_forking */
    unsigned period, height;
} SEGS[] = {
    {64 * KIB, WL_ATTACH_WRITE, 0, 8, 2},  {1 * MIB, SHM_RDONLY, 0, 10, 3},
    {4 * MIB, WL_ATTACH_WRITE, 0, 12, 4},  {16 * MIB, 0, 1, 14, 3},
    {32 * MIB, WL_ATTACH_WRITE, 0, 20, 5},
};
#define NSEGS (sizeof SEGS / sizeof SEGS[0])

#define NSETS     3
#define NSEMS     4
#define NQUEUES   5
#define NTRANS    4 /* transient objects alive at once: one every 3 ticks, for 7 ticks */
#define TRANS_TTL 7

/* Message size per queue: different sizes make used-bytes and counts diverge. */
static const size_t QSIZE[NQUEUES] = {512, 128, 256, 64, 200};

struct transient {
    enum wl_class cls;
    int id; /* -1: free slot */
    unsigned expires;
};

struct demo {
    int mode;
    int shm[NSEGS];
    struct pidq attached[NSEGS];
    int dest_shm; /* the removed-while-attached segment, -1 if none */
    struct pidq dest_attached;
    int sem[NSETS];
    struct pidq dec_waiters[NSETS][2]; /* on semaphores 0 and 1 */
    struct pidq zero_waiters[NSETS];   /* on semaphore 2 */
    int msq[NQUEUES];
    int q0_draining;
    pid_t receiver, sender; /* on queues 3 and 4, 0 if none */
    struct transient trans[NTRANS];
    unsigned ntrans_made;
    long *msgbuf; /* for sending and receiving, large enough for any QSIZE */
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < errlen)
        snprintf(err + n, errlen - (size_t)n, ": %s", strerror(saved));
    return -1;
}

struct demo *demo_start(int mode, char *err, size_t errlen)
{
    struct demo *d = calloc(1, sizeof *d);
    if (!d) {
        fail(err, errlen, "demo: cannot allocate its state");
        return NULL;
    }
    d->mode = mode;
    d->dest_shm = -1;
    for (int i = 0; i < NTRANS; i++) d->trans[i].id = -1;
    d->msgbuf = calloc(1, sizeof(long) + 1024);
    if (!d->msgbuf) goto nomem;

    for (size_t i = 0; i < NSEGS; i++) {
        d->shm[i] = wl_shm_create((key_t)(SHM_KEY + i), SEGS[i].size, mode);
        if (d->shm[i] < 0) {
            fail(err, errlen, "demo: cannot create segment 0x%08zx", SHM_KEY + i);
            goto out;
        }
    }
    for (int i = 0; i < NSETS; i++) {
        d->sem[i] = wl_sem_create((key_t)(SEM_KEY + i), NSEMS, mode);
        if (d->sem[i] < 0) {
            fail(err, errlen, "demo: cannot create semaphore set 0x%08x", SEM_KEY + i);
            goto out;
        }
    }
    for (int i = 0; i < NQUEUES; i++) {
        d->msq[i] = wl_msg_create((key_t)(MSG_KEY + i), mode);
        if (d->msq[i] < 0) {
            fail(err, errlen, "demo: cannot create queue 0x%08x", MSG_KEY + i);
            goto out;
        }
    }
    return d;
nomem:
    fail(err, errlen, "demo: cannot allocate its state");
out:
    demo_free(d);
    return NULL;
}

void demo_free(struct demo *d)
{
    if (!d) return;
    free(d->msgbuf);
    free(d);
}

/* 0, 1, .., height, .., 1, 0 over one period. */
static unsigned triangle(unsigned t, unsigned period, unsigned height)
{
    unsigned half = period / 2, phase = t % period;
    unsigned up = phase <= half ? phase : period - phase;
    return (up * height + half / 2) / half;
}

static int tick_segments(struct demo *d, unsigned t, char *err, size_t errlen)
{
    for (size_t i = 0; i < NSEGS; i++) {
        struct pidq *q = &d->attached[i];
        unsigned want = triangle(t + (unsigned)i * 3, SEGS[i].period, SEGS[i].height);
        if ((unsigned)q->n > want) pidq_kill_oldest(q, q->n - (int)want);
        while ((unsigned)q->n < want && !pidq_full(q)) {
            pid_t child;
            pid_t pid = SEGS[i].forking ? wl_spawn_attacher_forking(d->shm[i], 0, &child)
                                        : wl_spawn_attacher(d->shm[i], SEGS[i].flags);
            if (pid < 0) return fail(err, errlen, "demo: cannot attach segment %d", d->shm[i]);
            pidq_push(q, pid);
        }
    }

    /* A segment removed while attached: key 0 and "dest" until its last detach. */
    if (t % 20 == 5 && d->dest_shm < 0) {
        int id = wl_shm_create(DEST_KEY, 2 * MIB, d->mode);
        if (id < 0) return fail(err, errlen, "demo: cannot create segment 0x%08x", DEST_KEY);
        for (int k = 0; k < 2; k++) {
            pid_t pid = wl_spawn_attacher(id, WL_ATTACH_WRITE);
            if (pid < 0) return fail(err, errlen, "demo: cannot attach segment %d", id);
            pidq_push(&d->dest_attached, pid);
        }
        if (wl_remove(WL_SHM, id) < 0)
            return fail(err, errlen, "demo: cannot remove segment %d", id);
        d->dest_shm = id;
    } else if (t % 20 == 12 && d->dest_shm >= 0) {
        pidq_kill_oldest(&d->dest_attached, d->dest_attached.n);
        d->dest_shm = -1;
    }
    return 0;
}

static int sem_add(int semid, int semnum, int delta)
{
    struct sembuf op = {.sem_num = (unsigned short)semnum, .sem_op = (short)delta};
    return semop(semid, &op, 1);
}

static int tick_semaphores(struct demo *d, unsigned t, char *err, size_t errlen)
{
    for (int s = 0; s < NSETS; s++) {
        int id = d->sem[s];
        unsigned len = 8 + 2 * (unsigned)s, half = len / 2, p = t % len;

        if (p < half) { /* a decrementing waiter on sem 0 or 1 */
            struct pidq *q = &d->dec_waiters[s][p % 2];
            struct sembuf op = {.sem_num = (unsigned short)(p % 2), .sem_op = -1};
            if (!pidq_full(q)) {
                pid_t pid = wl_spawn_sem_waiter(id, &op, 1);
                if (pid < 0) return fail(err, errlen, "demo: cannot block on set %d", id);
                pidq_push(q, pid);
            }
        } else if (p == half && d->dec_waiters[s][0].n > 0) { /* let one through */
            if (sem_add(id, 0, 1) < 0) return fail(err, errlen, "demo: semop on set %d", id);
            pidq_kill_oldest(&d->dec_waiters[s][0], 1);
        } else if (p == len - 1) { /* let everyone through */
            for (int k = 0; k < 2; k++) {
                struct pidq *q = &d->dec_waiters[s][k];
                if (q->n > 0 && sem_add(id, k, q->n) < 0)
                    return fail(err, errlen, "demo: semop on set %d", id);
                pidq_kill_oldest(q, q->n);
                wl_sem_setval(id, k, 0); /* in case a waiter died on its own */
            }
        }

        /* Wait-for-zero waiters gather on sem 2 while it is 1, then all go at once. */
        if (p == 1 && wl_sem_setval(id, 2, 1) < 0)
            return fail(err, errlen, "demo: cannot set semaphore 2 of set %d", id);
        if (p >= 1 && p <= half && !pidq_full(&d->zero_waiters[s])) {
            struct sembuf op = {.sem_num = 2, .sem_op = 0};
            pid_t pid = wl_spawn_sem_waiter(id, &op, 1);
            if (pid < 0) return fail(err, errlen, "demo: cannot block on set %d", id);
            pidq_push(&d->zero_waiters[s], pid);
        }
        if (p == len - 2) {
            if (wl_sem_setval(id, 2, 0) < 0)
                return fail(err, errlen, "demo: cannot set semaphore 2 of set %d", id);
            pidq_kill_oldest(&d->zero_waiters[s], d->zero_waiters[s].n);
        }

        if (wl_sem_setval(id, 3, (int)(t % 10)) < 0)
            return fail(err, errlen, "demo: cannot set semaphore 3 of set %d", id);
    }
    return 0;
}

/* Sends up to n messages without blocking; returns how many went in. */
static int q_send(struct demo *d, int q, int n)
{
    d->msgbuf[0] = 1 + q;
    int sent = 0;
    while (sent < n && msgsnd(d->msq[q], d->msgbuf, QSIZE[q], IPC_NOWAIT) == 0) sent++;
    return sent;
}

/* Receives up to n messages without blocking; returns how many came out. */
static int q_recv(struct demo *d, int q, int n)
{
    int got = 0;
    while (got < n && msgrcv(d->msq[q], d->msgbuf, 1024, 0, IPC_NOWAIT | MSG_NOERROR) >= 0) got++;
    return got;
}

static int tick_queues(struct demo *d, unsigned t, char *err, size_t errlen)
{
    /* q0: a sawtooth — fills 3 per tick until full, then drains 8 per tick until empty. */
    if (!d->q0_draining && q_send(d, 0, 3) < 3) d->q0_draining = 1;
    if (d->q0_draining && q_recv(d, 0, 8) < 8) d->q0_draining = 0;

    /* q1: a slow fill, emptied in one burst every 15 ticks. */
    if (t % 15 == 14)
        q_recv(d, 1, 1000);
    else
        q_send(d, 1, 1);

    /* q2: a wave — 8 ticks up, 8 ticks down. */
    if (t % 16 < 8)
        q_send(d, 2, 4);
    else
        q_recv(d, 2, 4);

    /* q3: an empty queue with a receiver blocked on it, fed every 5 ticks. */
    if (d->receiver && t % 5 == 1 && t > 1) {
        wl_kill_wait(d->receiver); /* it got its message last tick and sleeps */
        d->receiver = 0;
    }
    if (!d->receiver) {
        d->receiver = wl_spawn_msg_receiver(d->msq[3], 0);
        if (d->receiver < 0) {
            d->receiver = 0;
            return fail(err, errlen, "demo: cannot block a receiver on queue %d", d->msq[3]);
        }
    }
    if (t % 5 == 0 && t > 0) q_send(d, 3, 1);

    /* q4: a full queue with a sender blocked on it, let through every 7 ticks. */
    if (d->sender && t % 7 == 1 && t > 1) {
        wl_kill_wait(d->sender); /* its message went in last tick */
        d->sender = 0;
    }
    if (!d->sender) {
        if (wl_msg_fill_to_limit(d->msq[4], QSIZE[4], 5) < 0)
            return fail(err, errlen, "demo: cannot fill queue %d", d->msq[4]);
        d->sender = wl_spawn_msg_sender(d->msq[4], QSIZE[4]);
        if (d->sender < 0) {
            d->sender = 0;
            return fail(err, errlen, "demo: cannot block a sender on queue %d", d->msq[4]);
        }
    }
    if (t % 7 == 0 && t > 0) q_recv(d, 4, 1);
    return 0;
}

static int tick_transients(struct demo *d, unsigned t, char *err, size_t errlen)
{
    for (int i = 0; i < NTRANS; i++) {
        struct transient *tr = &d->trans[i];
        if (tr->id >= 0 && tr->expires <= t) {
            wl_remove(tr->cls, tr->id);
            tr->id = -1;
        }
    }
    if (t % 3 != 0) return 0;

    struct transient *tr = NULL;
    for (int i = 0; i < NTRANS && !tr; i++)
        if (d->trans[i].id < 0) tr = &d->trans[i];
    if (!tr) return 0;

    unsigned n = d->ntrans_made++;
    /* Every other one is private: both kinds of key show up in the list. */
    key_t key = n % 2 ? IPC_PRIVATE : (key_t)(TMP_KEY + n);
    tr->cls = (enum wl_class)(n % 3);
    tr->expires = t + TRANS_TTL;
    switch (tr->cls) {
    case WL_SHM: tr->id = wl_shm_create(key, 256 * KIB, d->mode); break;
    case WL_SEM: tr->id = wl_sem_create(key, 1 + (int)(n % 8), d->mode); break;
    case WL_MSG:
        tr->id = wl_msg_create(key, d->mode);
        if (tr->id >= 0) wl_msg_fill(tr->id, 1 + (int)(n % 5), 100, 1);
        break;
    }
    if (tr->id < 0) return fail(err, errlen, "demo: cannot create a short-lived object");
    return 0;
}

int demo_tick(struct demo *d, unsigned t, char *err, size_t errlen)
{
    if (tick_transients(d, t, err, errlen) < 0) return -1;
    if (tick_segments(d, t, err, errlen) < 0) return -1;
    if (tick_semaphores(d, t, err, errlen) < 0) return -1;
    return tick_queues(d, t, err, errlen);
}
