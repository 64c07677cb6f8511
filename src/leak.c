#include "leak.h"

#include "format.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct leak_verdict verdict(enum leak_kind k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set while only the kind is wanted: reasons are then not formatted (the common "no"). */
static __thread bool kind_only;

static struct leak_verdict verdict(enum leak_kind k, const char *fmt, ...)
{
    struct leak_verdict v = {k, ""};
    if (kind_only) return v;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v.reason, sizeof v.reason, fmt, ap);
    va_end(ap);
    return v;
}

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

/* What a pid's liveness means for a verdict: 1 it holds the object, 0 it does not, -1 unknown. */
static int holds(enum liveness l)
{
    switch (l) {
    case LIVE_ALIVE: return 1;
    case LIVE_UNKNOWN: return -1;
    default: return 0; /* none, dead, reused */
    }
}

/*
 * Common tail of every rule: recent activity keeps an object; a missing piece of
 * information turns a "yes" into a "possibly".
 */
static struct leak_verdict conclude(int64_t last, int64_t now, int64_t min_age, const char *unseen,
                                    const char *why)
{
    char age[FMT_BUFSZ], need[FMT_BUFSZ];
    if (kind_only) {
        enum leak_kind k = last > 0 && now - last < min_age ? LEAK_NO
                           : unseen                         ? LEAK_POSSIBLE
                                                            : LEAK_YES;
        return (struct leak_verdict){k, ""};
    }
    if (last > 0 && now - last < min_age)
        return verdict(LEAK_NO, "active %s ago (less than %s)", fmt_age(age, now - last),
                       fmt_age(need, min_age));
    char idle[80];
    if (last > 0)
        snprintf(idle, sizeof idle, "untouched for %s", fmt_age(age, now - last));
    else
        snprintf(idle, sizeof idle, "never used");
    if (unseen) return verdict(LEAK_POSSIBLE, "possibly leaked: %s, %s; but %s", why, idle, unseen);
    return verdict(LEAK_YES, "%s, %s", why, idle);
}

static struct leak_verdict judge_shm(const struct snapshot *s, const struct who *w, size_t i,
                                     int64_t now, int64_t min_age)
{
    const struct shm_segment *g = &s->shm[i];
    const uint64_t need = FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID);
    if ((g->c.valid & need) != need) return verdict(LEAK_NO, "not enough is known about it");
    if (g->nattch > 0)
        return verdict(LEAK_NO, "in use: %llu attachment(s)", (unsigned long long)g->nattch);
    (void)w;
    int c = holds(who_shm_cpid_alive(s, g)), l = holds(who_shm_lpid_alive(s, g));
    if (c == 1) return verdict(LEAK_NO, "its creator %d is alive", g->cpid);
    if (l == 1) return verdict(LEAK_NO, "its last user %d is alive", g->lpid);
    const char *unseen = c < 0 || l < 0 ? "whether its processes live could not be seen" : NULL;
    return conclude(max3(g->c.ctime, g->atime, g->dtime), now, min_age, unseen,
                    "nothing attached, creator and last user gone");
}

static struct leak_verdict judge_sem(const struct snapshot *s, const struct who *w, size_t i,
                                     int64_t now, int64_t min_age)
{
    const struct sem_set *set = &s->sem[i];
    size_t nw;
    who_waiters(w, IPC_SEM, i, &nw);
    if (nw) return verdict(LEAK_NO, "in use: %zu process(es) waiting", nw);
    int64_t counted = sem_set_waiters(s, set);
    if (counted > 0) return verdict(LEAK_NO, "in use: %lld waiting", (long long)counted);
    const char *unseen = NULL;
    if (counted < 0 || !(set->c.valid & FBIT(F_SEMPID)))
        unseen = "this user may not read its waiters and last pids";
    else {
        for (uint32_t k = 0; k < set->nsems; k++) {
            int h = holds(who_sem_pid_alive(s, set, k));
            if (h == 1)
                return verdict(LEAK_NO, "its last user %d (semaphore %u) is alive",
                               sem_elements(s, set)[k].pid, k);
            if (h < 0) unseen = "whether its processes live could not be seen";
        }
    }
    return conclude(set->otime > set->c.ctime ? set->otime : set->c.ctime, now, min_age, unseen,
                    "nobody waiting, last users gone");
}

static struct leak_verdict judge_msg(const struct snapshot *s, const struct who *w, size_t i,
                                     int64_t now, int64_t min_age)
{
    const struct msg_queue *q = &s->msg[i];
    size_t nw;
    who_waiters(w, IPC_MSG, i, &nw);
    if (nw) return verdict(LEAK_NO, "in use: %zu process(es) blocked on it", nw);
    int ls = holds(who_msg_lspid_alive(s, q)), lr = holds(who_msg_lrpid_alive(s, q));
    if (ls == 1) return verdict(LEAK_NO, "its last sender %d is alive", q->lspid);
    if (lr == 1) return verdict(LEAK_NO, "its last receiver %d is alive", q->lrpid);
    const char *unseen = NULL;
    if (ls < 0 || lr < 0)
        unseen = "whether its processes live could not be seen";
    else if (!who_complete(w, s, IPC_MSG, i))
        unseen = "some tasks could not be inspected, so blocked senders or receivers may be "
                 "missing";
    return conclude(max3(q->stime, q->rtime, q->c.ctime), now, min_age, unseen,
                    "nobody blocked on it, last sender and receiver gone");
}

struct leak_verdict leak_judge(const struct snapshot *s, const struct who *w, enum ipc_class cls,
                               size_t i, int64_t now, int64_t min_age)
{
    switch (cls) {
    case IPC_SHM: return judge_shm(s, w, i, now, min_age);
    case IPC_SEM: return judge_sem(s, w, i, now, min_age);
    default: return judge_msg(s, w, i, now, min_age);
    }
}

enum leak_kind leak_kind_of(const struct snapshot *s, const struct who *w, enum ipc_class cls,
                            size_t i, int64_t now, int64_t min_age)
{
    kind_only = true;
    enum leak_kind k = leak_judge(s, w, cls, i, now, min_age).kind;
    kind_only = false;
    return k;
}

bool leak_parse_duration(const char *text, int64_t *seconds)
{
    if (!text || *text < '0' || *text > '9') return false; /* no sign, no blank */
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || v < 0 || *text == '-' || *text == '+') return false;
    int64_t unit = 1;
    if (*end) {
        if (end[1]) return false;
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return false;
        }
    }
    if (v > INT64_MAX / unit) return false;
    *seconds = v * unit;
    return true;
}
