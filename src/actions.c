#include "actions.h"

#include "collect.h"
#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
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

struct ipc_identity ipc_identity_of(const struct snapshot *s, enum ipc_class cls, size_t i,
                                    const char *owner)
{
    const struct ipc_common *c = snapshot_common(s, cls, i);
    return (struct ipc_identity){cls, c->id, c->key, c->uid, c->cuid, c->ctime, owner};
}

/*
 * Re-reads object id into *rec (a one-object snapshot): 0 when found, 1 when it no longer
 * exists, -1 when it cannot be read (errno). The index of an id is its low bits (15, or 24
 * with the kernel's ipcmni_extend): *_STAT_ANY of that index returns the full id, so a
 * recreated object in the same slot shows as a different id.
 */
static int reread(enum ipc_class cls, int32_t id, struct snapshot *rec)
{
    static const int masks[] = {0x7fff, 0xffffff};
    for (size_t k = 0; k < sizeof masks / sizeof masks[0]; k++) {
        snapshot_clear(rec);
        if (collect_one(cls, id & masks[k], false, rec) == id) return 0;
    }
    /* not there by index (or no *_STAT_ANY): ask by id, which also tells "gone" */
    snapshot_clear(rec);
    if (collect_one(cls, id, true, rec) == id) return 0;
    return errno == EINVAL || errno == EIDRM ? 1 : -1;
}

static int rmid(enum ipc_class cls, int32_t id)
{
    switch (cls) {
    case IPC_SHM: return shmctl(id, IPC_RMID, NULL);
    case IPC_SEM: return semctl(id, 0, IPC_RMID);
    default: return msgctl(id, IPC_RMID, NULL);
    }
}

static enum action_status remove_checked(const struct ipc_identity *want, int r,
                                         const struct snapshot *rec, char *msg, size_t len);

enum action_status action_remove(const struct ipc_identity *want, char *msg, size_t len)
{
    struct snapshot rec;
    snapshot_init(&rec);
    int r = reread(want->cls, want->id, &rec);
    enum action_status st = remove_checked(want, r, &rec, msg, len);
    snapshot_free(&rec);
    return st;
}

/* The rest of action_remove, once the object has been re-read (r as reread returns). */
static enum action_status remove_checked(const struct ipc_identity *want, int r,
                                         const struct snapshot *rec, char *msg, size_t len)
{
    const char *cls = ipc_class_name(want->cls);
    const char *owner = want->owner ? want->owner : "?";
    if (r == 1) {
        snprintf(msg, len, "%s %d: already gone", cls, want->id);
        return ACTION_GONE;
    }
    if (r < 0) {
        int e = errno;
        snprintf(msg, len, "%s %d: %s (owned by %s); not removed", cls, want->id,
                 e == EACCES ? "permission denied: cannot check it is the same object"
                             : strerror(e),
                 owner);
        return e == EACCES ? ACTION_DENIED : ACTION_FAILED;
    }
    const struct ipc_common *now = snapshot_common(rec, want->cls, 0);
    uint64_t nattch = want->cls == IPC_SHM ? rec->shm[0].nattch : 0;
    bool dest = want->cls == IPC_SHM && (now->mode & 01000);
    if (dest) {
        snprintf(msg, len,
                 "%s %d: already marked for destruction; the kernel removes it when "
                 "its last process detaches",
                 cls, want->id);
        return ACTION_DONE;
    }
    const char *what = now->key != want->key       ? "its key"
                       : now->cuid != want->cuid   ? "its creator"
                       : now->uid != want->uid     ? "its owner"
                       : now->ctime != want->ctime ? "its change time"
                                                   : NULL;
    if (what) {
        snprintf(msg, len, "%s %d: changed since shown (%s differs) - skipped", cls, want->id,
                 what);
        return ACTION_CHANGED;
    }
    if (rmid(want->cls, want->id) < 0) {
        int e = errno;
        if (e == EINVAL || e == EIDRM) {
            snprintf(msg, len, "%s %d: already gone", cls, want->id);
            return ACTION_GONE;
        }
        if (e == EPERM || e == EACCES) {
            snprintf(msg, len, "%s %d: permission denied - owned by %s", cls, want->id, owner);
            return ACTION_DENIED;
        }
        snprintf(msg, len, "%s %d: cannot remove it: %s", cls, want->id, strerror(e));
        return ACTION_FAILED;
    }
    if (want->cls == IPC_SHM && nattch > 0)
        snprintf(msg, len,
                 "shm %d: marked for destruction; %" PRIu64 " attachment(s) remain, "
                 "the kernel removes it at the last detach",
                 want->id, nattch);
    else
        snprintf(msg, len, "%s %d (key 0x%08x, owner %s): removed", cls, want->id, want->key,
                 owner);
    return ACTION_DONE;
}
