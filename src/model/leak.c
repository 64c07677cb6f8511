#include "leak.h"
#include "sorted.h"

#include "format.h"
#include "kind.h"
#include "owners.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

const char *leak_kind_word(enum leak_kind k)
{
    switch (k) {
    case LEAK_LEAKED: return "leaked";
    case LEAK_POSSIBLY: return "possibly";
    default: return "";
    }
}

struct leak_verdict leak_no(enum leak_basis b)
{
    return (struct leak_verdict){
        .kind = LEAK_NO, .basis = (uint8_t)b, .sibling_id = -1, .remembered = -1};
}

struct leak_verdict leak_alive(enum leak_role role, int32_t pid)
{
    struct leak_verdict v = leak_no(LB_PID_ALIVE);
    v.role = (uint8_t)role;
    v.pid = pid;
    return v;
}

/* The owner-index entry of uid, or NULL. */
static const struct leak_owner *owner_of(const struct leak_owners *o, uint32_t uid)
{
    if (!o) return NULL;
    size_t at = sorted_lower_bound(o->u, o->n, sizeof *o->u, &uid, cmp_uint32);
    return at < o->n && o->u[at].uid == uid ? &o->u[at] : NULL;
}

/* Whether pid is a live process of our namespace other than ipctop and its ancestors. */
static bool lives_here(const struct snapshot *s, int32_t pid)
{
    if (pid <= 0) return false;
    if (s->owners.read) return owners_find(&s->owners, pid) && !owners_is_self(&s->owners, pid);
    const struct proc_info *p = procs_find(&s->procs, pid);
    return p && p->state != 'Z' && p->state != 'X';
}

/* The remembered process that had pid when an operation happened at op_time; -1 none. */
static int32_t recall(const struct leak_inputs *in, int32_t pid, int64_t op_time)
{
    size_t lo = sorted_lower_bound(in->mem, in->nmem, sizeof *in->mem, &pid, cmp_int32);
    int32_t best = -1;
    for (size_t k = lo; k < in->nmem && in->mem[k].pid == pid; k++)
        if (op_time <= 0 || in->mem[k].start < (double)op_time + 1.0) best = (int32_t)k;
    return best;
}

/*
 * The doubts every candidate shares, after the kind's own: a dead user's parent that
 * lives, the owner's live processes, processes out of sight. dead[] are the recorded pids
 * (with the time of the operation that recorded each) of processes that have exited.
 */
static void owner_doubt(const struct leak_inputs *in, const struct ipc_common *c,
                        const struct leak_recorded *dead, size_t ndead, struct leak_verdict *v)
{
    /* a process the monitor saw using it has exited, but its parent, which may well start
     * another one (a PostgreSQL backend and its postmaster), is still here */
    for (size_t k = 0; k < ndead && v->doubt == LD_NONE; k++) {
        int32_t r = recall(in, dead[k].pid, dead[k].when);
        if (r < 0 || !lives_here(in->s, in->mem[r].ppid)) continue;
        v->doubt = LD_PARENT_ALIVE;
        v->role = (uint8_t)dead[k].role;
        v->remembered = r;
        v->parent = in->mem[r].ppid;
    }
    if (v->doubt != LD_NONE) return;
    if (!in->owners || !in->owners->known) {
        v->doubt = LD_OWNER_UNSEEN;
        return;
    }
    const struct leak_owner *a = owner_of(in->owners, c->uid);
    const struct leak_owner *b = c->cuid != c->uid ? owner_of(in->owners, c->cuid) : NULL;
    if (!a && !b) return;
    /* name the one that uses IPC, else any */
    const struct leak_owner *pick = a && a->user_pid > 0 ? a : b && b->user_pid > 0 ? b : a ? a : b;
    v->doubt = LD_OWNER_ACTIVE;
    v->uid = pick->uid;
    v->count = (a ? a->count : 0) + (b ? b->count : 0);
    v->pid = pick->user_pid > 0 ? pick->user_pid : pick->example;
    v->sibling_cls = pick->user_cls;
    v->sibling_id = pick->user_pid > 0 ? pick->user_id : -1;
}

struct leak_verdict leak_conclude(const struct leak_inputs *in, const struct ipc_common *c,
                                  int64_t last, bool never_used, enum leak_doubt doubt,
                                  const struct leak_dead *d)
{
    if (last > 0 && in->now - last < in->min_age) {
        struct leak_verdict v = leak_no(LB_RECENT);
        v.last = last;
        return v;
    }
    struct leak_verdict v = leak_no(LB_UNUSED);
    v.last = last;
    v.never_used = never_used;
    if (doubt == LD_NONE && d->unseen) doubt = LD_LIVENESS_UNSEEN;
    v.doubt = (uint8_t)doubt;
    if (doubt == LD_NONE) owner_doubt(in, c, d->r, d->n, &v);
    v.kind = v.doubt == LD_NONE ? LEAK_LEAKED : LEAK_POSSIBLY;
    return v;
}

bool leak_note_pid(struct leak_dead *d, enum liveness l, int32_t pid, int64_t when,
                   enum leak_role role)
{
    if (l == LIVE_ALIVE) return true;
    if (l == LIVE_UNKNOWN) d->unseen = true;
    if ((l != LIVE_DEAD && l != LIVE_REUSED) || pid <= 0) return false;
    /* a few distinct dead users are enough to ask after their parents */
    for (size_t j = 0; j < d->n; j++)
        if (d->r[j].pid == pid) return false;
    if (d->n < sizeof d->r / sizeof d->r[0]) d->r[d->n++] = (struct leak_recorded){pid, when, role};
    return false;
}

struct leak_verdict leak_judge(const struct leak_inputs *in, enum ipc_class cls, size_t i)
{
    return kind_of(cls)->judge(in, i);
}

/* ---- words ------------------------------------------------------------------------------ */

void leak_put(struct leak_words *t, const char *fmt, ...)
{
    if (t->at >= t->len) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->at, t->len - t->at, fmt, ap);
    va_end(ap);
    if (n > 0) t->at += (size_t)n < t->len - t->at ? (size_t)n : t->len - t->at - 1;
}

/* " (postgres: checkpointer)" of a live process, from what the snapshot read of it */
static void put_command(struct leak_words *t, const struct snapshot *s, int32_t pid)
{
    const char *cmd = NULL;
    const struct proc_info *p = procs_find(&s->procs, pid);
    if (p)
        cmd = procs_cmdline(&s->procs, p);
    else {
        const struct owner_proc *o = s->owners.read ? owners_find(&s->owners, pid) : NULL;
        if (o) cmd = o->name;
    }
    if (!cmd || !*cmd) return;
    char clean[72];
    sanitize_text(clean, sizeof clean, cmd, strlen(cmd));
    leak_put(t, " (%s)", clean);
}

static const char *role_name(enum leak_role r)
{
    switch (r) {
    case LR_CREATOR: return "creator";
    case LR_LAST_USER: return "last user";
    case LR_SEMAPHORE: return "last user";
    case LR_SENDER: return "last sender";
    default: return "last receiver";
    }
}

char *leak_describe(char *buf, size_t len, const struct leak_verdict *v, const struct snapshot *s,
                    enum ipc_class cls, size_t i, const struct leak_remembered *mem,
                    struct users *u, int64_t now, int64_t min_age)
{
    struct leak_words t = {buf, len, 0};
    if (len) buf[0] = '\0';
    char a[FMT_BUFSZ], b[FMT_BUFSZ];
    switch ((enum leak_basis)v->basis) {
    case LB_UNKNOWN: leak_put(&t, "not judged: what decides it could not be read"); return buf;
    case LB_ATTACHED: {
        const struct ipc_kind *k = kind_of(cls);
        bool dest = k->removed_mode && (snapshot_common(s, cls, i)->mode & k->removed_mode);
        leak_put(&t, "in use: %" PRIu32 " attachment%s%s", v->count, v->count == 1 ? "" : "s",
                 dest ? " (removed already: the kernel frees it at the last detach)" : "");
        return buf;
    }
    case LB_WAITING:
        leak_put(&t, "in use: %" PRIu32 " process%s %s", v->count, v->count == 1 ? "" : "es",
                 kind_of(cls)->waiting_words);
        return buf;
    case LB_PID_ALIVE:
        leak_put(&t, "in use: its %s %d", role_name((enum leak_role)v->role), v->pid);
        if (v->role == LR_SEMAPHORE) leak_put(&t, " (semaphore %" PRIu32 ")", v->semnum);
        put_command(&t, s, v->pid);
        leak_put(&t, " is alive");
        return buf;
    case LB_RECENT:
        leak_put(&t, "active %s ago (less than %s)", fmt_age(a, now - v->last),
                 fmt_age(b, min_age));
        return buf;
    default: break;
    }
    kind_of(cls)->describe_users(&t, s, i, v);
    if (v->kind == LEAK_LEAKED) {
        const struct ipc_common *c = snapshot_common(s, cls, i);
        leak_put(&t, ", no process of %s", users_name(u, c->uid));
        if (c->cuid != c->uid) leak_put(&t, " or %s", users_name(u, c->cuid));
        leak_put(&t, " left");
    }
    if (v->last > 0)
        leak_put(&t, ", untouched for %s", fmt_age(a, now - v->last));
    else
        leak_put(&t, ", never touched");
    switch ((enum leak_doubt)v->doubt) {
    case LD_NONE: break;
    case LD_LIVENESS_UNSEEN:
        leak_put(&t, "; but whether its processes live could not be seen");
        break;
    case LD_COUNTS_UNREADABLE:
        leak_put(&t, "; but this user may not read its waiters and last pids");
        break;
    case LD_TASKS_PARTIAL:
        leak_put(&t, "; but some tasks could not be inspected, so a blocked one may be missing");
        break;
    case LD_PARENT_ALIVE: {
        const struct leak_remembered *r = mem && v->remembered >= 0 ? &mem[v->remembered] : NULL;
        char clean[72] = "";
        if (r) sanitize_text(clean, sizeof clean, r->cmd, strlen(r->cmd));
        leak_put(&t, "; but its %s %d", role_name((enum leak_role)v->role), r ? r->pid : 0);
        if (clean[0]) leak_put(&t, " (%s)", clean);
        leak_put(&t, " was a child of %d", v->parent);
        put_command(&t, s, v->parent);
        leak_put(&t, ", which is alive and may use it again");
        break;
    }
    case LD_OWNER_ACTIVE:
        leak_put(&t, "; but %s has %" PRIu32 " live process%s in this namespace",
                 users_name(u, v->uid), v->count, v->count == 1 ? "" : "es");
        if (v->pid > 0) {
            leak_put(&t, ": %d", v->pid);
            put_command(&t, s, v->pid);
            if (v->sibling_id >= 0) {
                const char *what = kind_of((enum ipc_class)v->sibling_cls)->users == KU_ATTACHERS
                                       ? "is attached to"
                                       : "uses";
                leak_put(&t, " %s %s %d", what, ipc_class_name((enum ipc_class)v->sibling_cls),
                         v->sibling_id);
            }
        }
        break;
    case LD_OWNER_UNSEEN:
        leak_put(&t, "; but not every process of this namespace could be seen (%s)",
                 s->owners.read && !s->owners.sees_all && s->procs.initial_pid_ns
                     ? "not root, or /proc hides pids"
                     : "another PID namespace may share it");
        break;
    }
    return buf;
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
