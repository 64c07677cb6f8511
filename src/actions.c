#include "actions.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

bool action_read_start_tics(int32_t pid, uint64_t *tics)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = '\0';
    /* fields after the command name, which may contain spaces and parentheses */
    const char *p = strrchr(buf, ')');
    if (!p) return false;
    unsigned long long v;
    /* p is at the end of field 2; every space starts the next field, up to 22 (starttime) */
    int field = 2;
    for (p++; *p && field < 22; p++)
        if (*p == ' ') field++;
    if (sscanf(p, "%llu", &v) != 1) return false;
    *tics = v;
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
    if (fd < 0) {
        snprintf(msg, len, "process %d is gone: no signal sent", pid);
        return ACTION_GONE;
    }
    uint64_t now_tics;
    if (!action_read_start_tics(pid, &now_tics)) {
        close(fd);
        snprintf(msg, len, "process %d is gone: no signal sent", pid);
        return ACTION_GONE;
    }
    if (now_tics != start_tics) {
        close(fd);
        snprintf(msg, len, "pid %d now belongs to another process: no signal sent", pid);
        return ACTION_CHANGED;
    }
    int r = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
    int e = errno;
    close(fd);
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
