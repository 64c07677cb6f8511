/*
 * wl_child.c — the child machinery of libipcworkload: see wl_child.h.
 */
#include "wl_child.h"
#include "wl_os.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 1: asleep (state S) in one of w's syscalls; 0: not yet; -1: exited or gone. */
static int proc_asleep_in(pid_t pid, const struct wl_child_where *w)
{
    char state, path[64], buf[256];
    pid_t ppid;
    if (wl_os_proc_stat(pid, &state, &ppid) < 0 || state == 'Z' || state == 'X') {
        errno = ECHILD;
        return -1;
    }
    if (state != 'S') return 0;
    /* S alone is not enough: the child also sleeps in page faults and in the pipe. */
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
    if (wl_os_read_text(path, buf, sizeof buf) >= 0) {
        char *end;
        long nr = strtol(buf, &end, 10);
        if (end == buf) return 0; /* "running" */
        for (int i = 0; i < 3; i++)
            if (w->nr[i] >= 0 && w->nr[i] == nr) return 1;
        return 0;
    }
    if (!w->wchan) return 1;
    snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
    if (wl_os_read_text(path, buf, sizeof buf) < 0 || strcmp(buf, "0") == 0) return 1;
    return strstr(buf, w->wchan) != NULL;
}

void wl_child_report(int fd, int kind, int err, int value)
{
    struct wl_child_report r = {.kind = kind, .err = err, .value = value};
    ssize_t n;
    do n = write(fd, &r, sizeof r);
    while (n < 0 && errno == EINTR);
}

_Noreturn void wl_child_park(void)
{
    for (;;) pause();
}

/* Make a forked child independent of whatever the caller had set up: default signal
 * handling (a caller's handler would turn pause() into a busy return), nothing blocked,
 * death with the parent, and none of the caller's descriptors (a test reading a pipe to
 * EOF must not wait for our children). keep_fd is the report pipe. */
static void child_setup(pid_t parent, int keep_fd)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    signal(SIGPIPE, SIG_IGN); /* a late report to a parent that stopped listening */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1); /* the parent died before prctl */
    if (keep_fd > 3) close_range(3, (unsigned)keep_fd - 1, 0);
    close_range((unsigned)(keep_fd >= 3 ? keep_fd + 1 : 3), ~0U, 0);
}

pid_t wl_child_fork(int *rfd, int *wfd)
{
    if (wl_registry_proc_reserve(2) < 0) return -1;
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(p[0]);
        close(p[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        child_setup(parent, p[1]);
        *wfd = p[1];
        return 0;
    }
    close(p[1]);
    *rfd = p[0];
    return pid;
}

void wl_child_reap(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) continue;
}

void wl_child_abandon(pid_t pid, int rfd)
{
    int saved = errno;
    kill(pid, SIGKILL);
    wl_child_reap(pid);
    if (rfd >= 0) close(rfd);
    errno = saved;
}

int wl_child_await(pid_t pid, int rfd, const struct wl_child_where *w, int want_ready,
                   struct wl_child_report *ready)
{
    long long deadline = wl_os_now_us() + (long long)WL_STATE_TIMEOUT_MS * 1000;
    long delay_us = 20;
    int have_ready = !want_ready;
    for (;;) {
        struct pollfd pfd = {.fd = rfd, .events = POLLIN};
        struct timespec ts = {.tv_sec = 0, .tv_nsec = delay_us * 1000};
        int r = ppoll(&pfd, 1, &ts, NULL);
        if (r > 0) {
            struct wl_child_report rep;
            ssize_t n;
            do n = read(rfd, &rep, sizeof rep);
            while (n < 0 && errno == EINTR);
            if (n != (ssize_t)sizeof rep) {
                errno = ECHILD; /* died without a word */
                return -1;
            }
            if (rep.kind == WL_CHILD_READY && !have_ready) {
                have_ready = 1;
                if (ready) *ready = rep;
                /* Fresh time for falling asleep: the work before the report (writing the
                 * pattern over a large segment) may have used much of it. */
                deadline = wl_os_now_us() + (long long)WL_STATE_TIMEOUT_MS * 1000;
                delay_us = 10; /* it is about to sleep: look again soon */
            } else {
                errno = rep.kind == WL_CHILD_RETURNED && rep.err == 0 ? EAGAIN : rep.err;
                if (errno == 0) errno = EPROTO;
                return -1;
            }
        }
        if (have_ready) {
            int s = proc_asleep_in(pid, w);
            if (s != 0) return s > 0 ? 0 : -1;
        }
        if (wl_os_now_us() > deadline) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (delay_us < 5000) delay_us *= 2;
    }
}

pid_t wl_child_finish(pid_t pid, int rfd, const struct wl_child_where *w, int want_ready)
{
    if (wl_child_await(pid, rfd, w, want_ready, NULL) < 0) {
        wl_child_abandon(pid, rfd);
        return -1;
    }
    close(rfd);
    wl_registry_proc_add(pid, 0);
    return pid;
}

int wl_child_kill_forked(const struct wl_registry_proc *p)
{
    char state;
    pid_t ppid;
    if (wl_os_proc_stat(p->pid, &state, &ppid) < 0 || ppid != p->parent) return 0;
    kill(p->pid, SIGKILL);
    long long deadline = wl_os_now_us() + (long long)WL_STATE_TIMEOUT_MS * 1000;
    while (wl_os_proc_stat(p->pid, &state, &ppid) == 0 && ppid == p->parent) {
        if (wl_os_now_us() > deadline) {
            errno = ETIMEDOUT;
            return -1;
        }
        wl_os_sleep_us(200);
    }
    return 0;
}
