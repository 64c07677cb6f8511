#include "actions.h"

#include "collect.h"
#include "engine.h"
#include "format.h"
#include "kind.h"
#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

bool action_read_start_tics(int32_t pid, uint64_t *tics)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n <= 0) return false;
    struct proc_stat st;
    if (!procstat_parse(buf, (size_t)n, &st)) return false;
    *tics = st.start_tics;
    return true;
}

static const char *signame(int sig)
{
    const char *d = sigabbrev_np(sig);
    return d ? d : "?";
}

enum action_status action_signal(int32_t pid, uint64_t start_tics, int sig, char *msg, size_t len)
{
    /* the pidfd holds on to this process: if it exits and the pid is reused, the signal
     * fails instead of reaching the newcomer */
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    bool have_pidfd = fd >= 0;
    if (!have_pidfd && errno != ENOSYS) {
        snprintf(msg, len, "process %d is gone: no signal sent", pid);
        return ACTION_GONE;
    }
    /* kernels before 5.3 (and valgrind) have no pidfd: the check then the signal, with the
     * small window between them that a pidfd closes */
    uint64_t now_tics;
    if (!action_read_start_tics(pid, &now_tics)) {
        if (have_pidfd) close(fd);
        snprintf(msg, len, "process %d is gone: no signal sent", pid);
        return ACTION_GONE;
    }
    if (now_tics != start_tics) {
        if (have_pidfd) close(fd);
        snprintf(msg, len, "pid %d now belongs to another process: no signal sent", pid);
        return ACTION_CHANGED;
    }
    int r = have_pidfd ? (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) : kill(pid, sig);
    int e = errno;
    if (have_pidfd) close(fd);
    if (r == 0) {
        snprintf(msg, len, "sent SIG%s to process %d", signame(sig), pid);
        return ACTION_DONE;
    }
    if (e == ESRCH) {
        snprintf(msg, len, "process %d is gone: no signal sent", pid);
        return ACTION_GONE;
    }
    snprintf(msg, len, "cannot signal process %d: %s", pid,
             e == EPERM ? "permission denied (it belongs to another user)" : strerror(e));
    return e == EPERM ? ACTION_DENIED : ACTION_FAILED;
}

bool action_may_remove(const struct ipc_common *c)
{
    uid_t me = geteuid();
    if (((c->valid & FBIT(F_UID)) && c->uid == me) || ((c->valid & FBIT(F_CUID)) && c->cuid == me))
        return true;
    /* CAP_SYS_ADMIN in the effective set (root, or a capability granted) */
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &h, d) < 0) return me == 0;
    return (d[CAP_SYS_ADMIN / 32].effective >> (CAP_SYS_ADMIN % 32)) & 1;
}

void removal_batch_init(struct removal_batch *b)
{
    memset(b, 0, sizeof *b);
    snapshot_init(&b->judged);
}

void removal_batch_free(struct removal_batch *b)
{
    snapshot_free(&b->judged);
    free(b->items);
    memset(b, 0, sizeof *b);
}

bool removal_batch_add(struct removal_batch *b, const struct snapshot *s, enum ipc_class cls,
                       size_t i, enum leak_kind verdict, enum leak_kind accept, const char *owner)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 16;
        struct removal_item *ni = realloc(b->items, nc * sizeof *ni);
        if (!ni) return false;
        b->items = ni;
        b->cap = nc;
    }
    size_t rec = snapshot_count(&b->judged, cls);
    if (!snapshot_append_copy(&b->judged, s, cls, i)) return false;
    b->judged.ipc_ns = s->ipc_ns;
    struct removal_item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->key = snapshot_key(s, cls, i);
    it->cls = cls;
    it->rec = rec;
    it->verdict = verdict;
    it->accept = accept;
    snprintf(it->owner, sizeof it->owner, "%s", owner ? owner : "?");
    return true;
}

/* The name of the first field set in m, for "its last attach changed". */
static const char *first_field(uint64_t m)
{
    for (int f = 0; f < F_NFIELDS; f++)
        if (m & FBIT(f)) return ipc_field_name((enum ipc_field)f);
    return "?";
}

/* Fields that move without anyone using the object: the kernel swapping it out. */
#define PASSIVE_FIELDS (FBIT(F_RSS) | FBIT(F_SWAP))

static int done(struct removal_item *it, int status, const char *word, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int done(struct removal_item *it, int status, const char *word, const char *fmt, ...)
{
    it->word = word;
    va_list ap;
    va_start(ap, fmt);
    int n =
        snprintf(it->outcome, sizeof it->outcome, "%s %d: ", ipc_class_name(it->cls), it->key.id);
    if (n > 0 && (size_t)n < sizeof it->outcome)
        vsnprintf(it->outcome + n, sizeof it->outcome - (size_t)n, fmt, ap);
    va_end(ap);
    it->status = status;
    return status;
}

/* Step 2 for one item: the kernel's record now against the fresh one, then IPC_RMID. */
static int remove_one(struct removal_item *it, const struct snapshot *fresh, size_t fi)
{
    struct snapshot now;
    snapshot_init(&now);
    int r = kind_of(it->cls)->collect.reread(&it->key, &now);
    int st;
    char why[128];
    if (r == 1) {
        st = done(it, ACTION_GONE, "already gone", "already gone");
    } else if (r < 0) {
        int e = errno;
        st = done(it, e == EACCES ? ACTION_DENIED : ACTION_FAILED,
                  e == EACCES ? "permission denied" : "failed", "%s (owned by %s); not removed",
                  e == EACCES ? "permission denied: cannot check it is the same object"
                              : strerror(e),
                  it->owner);
    } else if (!model_same_object(it->cls, fresh, fi, &now, 0)) {
        st = done(it, ACTION_CHANGED, "skipped: not the same object",
                  "not the same object any more (made again under the same id) - skipped");
    } else if (it->accept != LEAK_NO && kind_of(it->cls)->busy(&now, 0, why, sizeof why)) {
        st = done(it, ACTION_SKIPPED, "skipped: in use now", "in use now (%s) - skipped", why);
    } else {
        uint64_t moved = model_changed_fields(it->cls, fresh, fi, &now, 0) & ~PASSIVE_FIELDS;
        if (it->accept != LEAK_NO && moved) {
            st = done(it, ACTION_CHANGED, "skipped: used since judged",
                      "used since it was judged (%s changed) - skipped", first_field(moved));
        } else if (kind_of(it->cls)->remove(&it->key) < 0) {
            int e = errno;
            if (e == EINVAL || e == EIDRM)
                st = done(it, ACTION_GONE, "already gone", "already gone");
            else if (e == EPERM || e == EACCES)
                st = done(it, ACTION_DENIED, "permission denied", "permission denied - owned by %s",
                          it->owner);
            else
                st = done(it, ACTION_FAILED, "failed", "cannot remove it: %s", strerror(e));
        } else if (kind_of(it->cls)->removal_deferred &&
                   kind_of(it->cls)->busy(&now, 0, why, sizeof why)) {
            /* removed while in use (the person confirmed it): the kernel keeps it meanwhile */
            st = done(it, ACTION_DONE, "marked for destruction",
                      "marked for destruction: %s remain, the kernel removes it when they are "
                      "done",
                      why);
        } else {
            char key[FMT_BUFSZ];
            st = done(it, ACTION_DONE, "removed", "(key %s, owner %s) removed",
                      fmt_key(key, snapshot_common(&now, it->cls, 0)->key), it->owner);
        }
    }
    snapshot_free(&now);
    return st;
}

long actions_remove(struct removal_batch *b, const struct model *fresh,
                    const struct collect_options *co, const struct model_params *mp,
                    struct users *u)
{
    struct engine e;
    bool own = !fresh;
    if (own) {
        char err[512];
        if (engine_init(&e, co, mp, false) < 0) {
            for (size_t k = 0; k < b->n; k++)
                done(&b->items[k], ACTION_FAILED, "failed", "out of memory: nothing removed");
            return -1;
        }
        if (engine_refresh(&e, err, sizeof err) < 0) {
            for (size_t k = 0; k < b->n; k++)
                done(&b->items[k], ACTION_FAILED, "failed",
                     "cannot check it again (%s): not removed", err);
            engine_free(&e);
            return -1;
        }
        fresh = &e.model;
    }
    const struct snapshot *s = fresh->cur;
    long removed = 0;
    for (size_t k = 0; k < b->n; k++) {
        struct removal_item *it = &b->items[k];
        if (it->left_out) {
            done(it, ACTION_SKIPPED, "skipped: left out", "not removed (left out)");
            continue;
        }
        long fi = snapshot_index_of_key(s, &it->key);
        if (fi < 0) {
            done(it, ACTION_GONE, "already gone", "already gone");
            continue;
        }
        if (!model_same_object(it->cls, &b->judged, it->rec, s, (size_t)fi)) {
            done(it, ACTION_CHANGED, "skipped: not the same object",
                 "not the same object any more (made again under the same id) - skipped");
            continue;
        }
        const struct leak_verdict *v = model_verdict(fresh, it->cls, (size_t)fi);
        if ((enum leak_kind)v->kind < it->accept) {
            char reason[320];
            model_leak_text(fresh, it->cls, (size_t)fi, u, reason, sizeof reason);
            done(it, ACTION_SKIPPED,
                 v->kind == LEAK_POSSIBLY ? "skipped: possibly leaked now" : "skipped: in use now",
                 "%s now - skipped: %s",
                 v->kind == LEAK_POSSIBLY ? "only possibly leaked" : "not leaked", reason);
            continue;
        }
        uint64_t moved =
            model_changed_fields(it->cls, &b->judged, it->rec, s, (size_t)fi) & ~PASSIVE_FIELDS;
        if (it->accept != LEAK_NO && moved) {
            done(it, ACTION_CHANGED, "skipped: used since judged",
                 "used since it was judged (%s changed) - skipped", first_field(moved));
            continue;
        }
        if (remove_one(it, s, (size_t)fi) == ACTION_DONE) removed++;
    }
    if (own) engine_free(&e);
    return removed;
}
