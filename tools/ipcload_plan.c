/*
 * ipcload_plan.c — see ipcload_plan.h.
 */
#include "ipcload_plan.h"
#include "ipcload_say.h"
#include "ipcload_signals.h"

#include <errno.h>
#include <string.h>
#include <sys/sem.h>

/* Semaphores are numbered slot = semnum * nsets + set, so consecutive waiters land on
 * different sets first. Decrementing waiters take slots [0, dec_slots), wait-for-zero
 * waiters the rest. */
static size_t sem_slots(const struct ipcload_options *o)
{
    return (size_t)o->count[WL_SEM] * (size_t)o->nsems;
}

static size_t dec_slots(const struct ipcload_options *o)
{
    if (!o->sem_waiters) return 0;
    return o->zero_waiters ? sem_slots(o) / 2 : sem_slots(o);
}

static void slot_to_sem(struct ipcload_pool pools[3], const struct ipcload_options *o, size_t slot,
                        struct ipcload_obj **set, int *semnum)
{
    size_t nsets = (size_t)o->count[WL_SEM];
    *set = &pools[WL_SEM].v[slot % nsets];
    *semnum = (int)(slot / nsets);
}

/* Queues [0, recv_queues) are for receivers and stay empty; senders use the rest. */
static size_t recv_queues(const struct ipcload_options *o)
{
    if (!o->receivers) return 0;
    size_t q = (size_t)o->count[WL_MSG];
    return o->senders ? q / 2 : q;
}

int ipcload_plan_contents(struct ipcload_pool pools[3], const struct ipcload_options *o)
{
    struct ipcload_pool *mq = &pools[WL_MSG];
    size_t first = o->receivers < (long)recv_queues(o) ? (size_t)o->receivers : recv_queues(o);
    for (size_t i = first; o->fill && i < mq->n; i++) {
        if (i % 256 == 0 && ipcload_signals_stopping()) return 1;
        if (wl_msg_fill(mq->v[i].id, (int)o->fill, o->msg_size, 1) < 0) {
            int err = errno;
            ipcload_say("cannot put %ld message%s of %zu bytes in queue %d: %s%s", o->fill,
                        o->fill == 1 ? "" : "s", o->msg_size, mq->v[i].id, strerror(err),
                        err == EAGAIN   ? " (they exceed the queue's byte limit, kernel.msgmnb)"
                        : err == EINVAL ? " (the size exceeds kernel.msgmax)"
                                        : "");
            return -1;
        }
    }
    size_t zslots = sem_slots(o) - dec_slots(o);
    for (size_t i = 0; i < (size_t)o->zero_waiters && i < zslots; i++) {
        struct ipcload_obj *set;
        int semnum;
        slot_to_sem(pools, o, dec_slots(o) + i, &set, &semnum);
        if (wl_sem_setval(set->id, semnum, 1) < 0) {
            ipcload_say("cannot set semaphore %d of set %d: %s", semnum, set->id, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int say_spawn_error(const char *what, long i, long total, const char *cls, int id)
{
    int err = errno;
    ipcload_say("cannot start %s %ld of %ld on %s %d: %s%s", what, i + 1, total, cls, id,
                strerror(err),
                err == ETIMEDOUT ? " (it did not reach its state within a few seconds)"
                : err == EAGAIN && strcmp(what, "attacher") != 0
                    ? " (its call completed instead of blocking, or fork hit a limit)"
                    : "");
    return -1;
}

int ipcload_plan_spawn(struct ipcload_pool pools[3], const struct ipcload_options *o)
{
    struct ipcload_pool *shm = &pools[WL_SHM], *mq = &pools[WL_MSG];
    int attach_flags = o->touch ? WL_ATTACH_WRITE : 0;
    for (long i = 0; i < o->attachers; i++) {
        if (ipcload_signals_stopping()) return 1;
        struct ipcload_obj *seg = &shm->v[(size_t)i % shm->n];
        if (wl_spawn_attacher(seg->id, attach_flags) < 0)
            return say_spawn_error("attacher", i, o->attachers, "shm", seg->id);
        seg->pinned = 1;
    }
    for (long i = 0; i < o->sem_waiters; i++) {
        if (ipcload_signals_stopping()) return 1;
        struct ipcload_obj *set;
        int semnum;
        slot_to_sem(pools, o, (size_t)i % dec_slots(o), &set, &semnum);
        struct sembuf op = {.sem_num = (unsigned short)semnum, .sem_op = -1};
        if (wl_spawn_sem_waiter(set->id, &op, 1) < 0)
            return say_spawn_error("semaphore waiter", i, o->sem_waiters, "set", set->id);
        set->pinned = 1;
    }
    size_t zslots = sem_slots(o) - dec_slots(o);
    for (long i = 0; i < o->zero_waiters; i++) {
        if (ipcload_signals_stopping()) return 1;
        struct ipcload_obj *set;
        int semnum;
        slot_to_sem(pools, o, dec_slots(o) + (size_t)i % zslots, &set, &semnum);
        struct sembuf op = {.sem_num = (unsigned short)semnum, .sem_op = 0};
        if (wl_spawn_sem_waiter(set->id, &op, 1) < 0)
            return say_spawn_error("zero waiter", i, o->zero_waiters, "set", set->id);
        set->pinned = 1;
    }
    for (long i = 0; i < o->receivers; i++) {
        if (ipcload_signals_stopping()) return 1;
        struct ipcload_obj *q = &mq->v[(size_t)i % recv_queues(o)];
        if (wl_spawn_msg_receiver(q->id, 0) < 0)
            return say_spawn_error("receiver", i, o->receivers, "queue", q->id);
        q->pinned = 1;
    }
    size_t first = recv_queues(o), nsend = mq->n - first;
    for (long i = 0; i < o->senders; i++) {
        if (ipcload_signals_stopping()) return 1;
        struct ipcload_obj *q = &mq->v[first + (size_t)i % nsend];
        if (!q->pinned && wl_msg_fill_to_limit(q->id, o->msg_size, 1) < 0) {
            ipcload_say("cannot fill queue %d: %s", q->id, strerror(errno));
            return -1;
        }
        if (wl_spawn_msg_sender(q->id, o->msg_size) < 0)
            return say_spawn_error("sender", i, o->senders, "queue", q->id);
        q->pinned = 1;
    }
    /* Pinned objects to the front: churn picks its victims from the rest. */
    for (int c = 0; c < 3; c++) {
        struct ipcload_pool *p = &pools[c];
        for (size_t i = 0; i < p->n; i++) {
            if (!p->v[i].pinned) continue;
            struct ipcload_obj t = p->v[p->npinned];
            p->v[p->npinned++] = p->v[i];
            p->v[i] = t;
        }
    }
    return 0;
}
