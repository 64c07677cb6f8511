/*
 * workload.c — libipcworkload: see workload.h for the contract.
 *
 * Layout: the registry (objects in per-class hash tables, processes in an array), the
 * namespace and limit helpers, object helpers, then the child machinery: fork, a report
 * pipe from child to parent, and a check from outside (/proc) that the child is really
 * asleep where it should be.
 */
#include "workload.h"
#include "wl_os.h"
#include "wl_obj.h"
#include "wl_registry.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------ */
/* Children                                                                             */
/* ------------------------------------------------------------------------------------ */

/* What a child tells its parent through the report pipe. */
enum { REP_READY = 1, REP_FAILED, REP_RETURNED };
struct report {
    int kind;
    int err;   /* errno for REP_FAILED / REP_RETURNED */
    int value; /* REP_READY: forked child's pid, or the orphan's id */
};

/* What "asleep where it should be" looks like in /proc. */
struct where {
    long nr[3];        /* acceptable syscall numbers in /proc/PID/syscall, -1 unused */
    const char *wchan; /* substring of /proc/PID/wchan, the fallback; NULL: state S only */
};

#ifndef SYS_semop
#define SYS_semop -1L
#endif
#ifndef SYS_semtimedop
#define SYS_semtimedop -1L
#endif
#ifndef SYS_ipc
#define SYS_ipc -1L
#endif
#ifndef SYS_pause
#define SYS_pause -1L
#endif
#ifndef SYS_msgsnd
#define SYS_msgsnd SYS_ipc
#endif
#ifndef SYS_msgrcv
#define SYS_msgrcv SYS_ipc
#endif
#ifndef SYS_wait4
#define SYS_wait4 -1L
#endif

static const struct where IN_PAUSE = {{SYS_pause, SYS_ppoll, -1}, NULL};
static const struct where IN_WAIT = {{SYS_wait4, SYS_waitid, -1}, "wait"};
static const struct where IN_SEMOP = {{SYS_semtimedop, SYS_semop, SYS_ipc}, "semtimedop"};
static const struct where IN_MSGRCV = {{SYS_msgrcv, SYS_ipc, -1}, "msgrcv"};
static const struct where IN_MSGSND = {{SYS_msgsnd, SYS_ipc, -1}, "msgsnd"};

/* 1: asleep (state S) in one of w's syscalls; 0: not yet; -1: exited or gone. */
static int proc_asleep_in(pid_t pid, const struct where *w)
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

static void child_report(int fd, int kind, int err, int value)
{
    struct report r = {.kind = kind, .err = err, .value = value};
    ssize_t n;
    do n = write(fd, &r, sizeof r);
    while (n < 0 && errno == EINTR);
}

static _Noreturn void child_park(void)
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

/* fork() with a report pipe. Parent: returns the pid, *rfd is the read end. Child:
 * returns 0 after child_setup(), *wfd is the write end. */
static pid_t spawn_fork(int *rfd, int *wfd)
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

static void reap(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) continue;
}

/* Kill and reap a child that never made it into the registry, keeping errno. */
static void abandon(pid_t pid, int rfd)
{
    int saved = errno;
    kill(pid, SIGKILL);
    reap(pid);
    if (rfd >= 0) close(rfd);
    errno = saved;
}

/* Waits until pid is asleep in w. If want_ready, a REP_READY report must come first
 * (stored in *ready). Any other report, or the pipe's EOF, means the child's call did
 * not do what was asked: fail with its errno (EAGAIN for "returned at once"). */
static int await_child(pid_t pid, int rfd, const struct where *w, int want_ready,
                       struct report *ready)
{
    long long deadline = wl_os_now_us() + (long long)WL_STATE_TIMEOUT_MS * 1000;
    long delay_us = 20;
    int have_ready = !want_ready;
    for (;;) {
        struct pollfd pfd = {.fd = rfd, .events = POLLIN};
        struct timespec ts = {.tv_sec = 0, .tv_nsec = delay_us * 1000};
        int r = ppoll(&pfd, 1, &ts, NULL);
        if (r > 0) {
            struct report rep;
            ssize_t n;
            do n = read(rfd, &rep, sizeof rep);
            while (n < 0 && errno == EINTR);
            if (n != (ssize_t)sizeof rep) {
                errno = ECHILD; /* died without a word */
                return -1;
            }
            if (rep.kind == REP_READY && !have_ready) {
                have_ready = 1;
                if (ready) *ready = rep;
                /* Fresh time for falling asleep: the work before the report (writing the
                 * pattern over a large segment) may have used much of it. */
                deadline = wl_os_now_us() + (long long)WL_STATE_TIMEOUT_MS * 1000;
                delay_us = 10; /* it is about to sleep: look again soon */
            } else {
                errno = rep.kind == REP_RETURNED && rep.err == 0 ? EAGAIN : rep.err;
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

/* The common tail of a spawner: wait for the state, register or clean up. */
static pid_t finish_spawn(pid_t pid, int rfd, const struct where *w, int want_ready)
{
    if (await_child(pid, rfd, w, want_ready, NULL) < 0) {
        abandon(pid, rfd);
        return -1;
    }
    close(rfd);
    wl_registry_proc_add(pid, 0);
    return pid;
}

static _Noreturn void attacher_fail(int wfd)
{
    child_report(wfd, REP_FAILED, errno, 0);
    _exit(1);
}

/* Child side of both attachers: attach (and write the pattern if asked). */
static void attacher_attach(int wfd, int shmid, int flags)
{
    unsigned char *p = shmat(shmid, NULL, flags & ~WL_ATTACH_WRITE);
    if (p == (void *)-1) attacher_fail(wfd);
    if (flags & WL_ATTACH_WRITE) {
        struct shmid_ds ds;
        if (shmctl(shmid, IPC_STAT, &ds) < 0) attacher_fail(wfd);
        wl_obj_fill_pattern(p, ds.shm_segsz);
    }
}

static int check_attach_flags(int flags)
{
    if ((flags & WL_ATTACH_WRITE) && (flags & SHM_RDONLY)) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

pid_t wl_spawn_attacher(int shmid, int flags)
{
    if (check_attach_flags(flags) < 0) return -1;
    wl_registry_claim();
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        attacher_attach(wfd, shmid, flags);
        child_report(wfd, REP_READY, 0, 0);
        child_park();
    }
    return finish_spawn(pid, rfd, &IN_PAUSE, 1);
}

/* Kill a registered grandchild and wait until its parent has reaped it. Its pid cannot
 * be trusted blindly (its parent may have reaped it long ago and the pid been reused):
 * it is ours only while /proc says its parent is the registered one. */
static int kill_forked(const struct wl_registry_proc *p)
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

pid_t wl_spawn_attacher_forking(int shmid, int flags, pid_t *child_pid)
{
    if (check_attach_flags(flags) < 0) return -1;
    wl_registry_claim();
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        attacher_attach(wfd, shmid, flags);
        pid_t self = getpid();
        pid_t g = fork();
        if (g < 0) attacher_fail(wfd);
        if (g == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != self) _exit(1);
            child_park();
        }
        child_report(wfd, REP_READY, 0, g);
        /* Reap the forked child when it is killed, so its pid never lingers as a zombie. */
        for (;;)
            if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD) child_park();
    }
    struct report ready = {0};
    if (await_child(pid, rfd, &IN_WAIT, 1, &ready) < 0) {
        abandon(pid, rfd);
        return -1;
    }
    pid_t g = ready.value;
    if (await_child(g, rfd, &IN_PAUSE, 0, NULL) < 0) {
        struct wl_registry_proc forked = {.pid = g, .parent = pid};
        int saved = errno;
        kill_forked(&forked);
        errno = saved;
        abandon(pid, rfd);
        return -1;
    }
    close(rfd);
    wl_registry_proc_add(pid, 0);
    wl_registry_proc_add(g, pid);
    if (child_pid) *child_pid = g;
    return pid;
}

pid_t wl_spawn_sem_waiter(int semid, const struct sembuf *ops, size_t nops)
{
    if (!ops || nops == 0) {
        errno = EINVAL;
        return -1;
    }
    wl_registry_claim();
    /* semop() wants a non-const array; the child gets its own copy through fork. */
    struct sembuf *copy = malloc(nops * sizeof *copy);
    if (!copy) return -1;
    memcpy(copy, ops, nops * sizeof *copy);
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid == 0) {
        int r = semop(semid, copy, nops);
        child_report(wfd, REP_RETURNED, r < 0 ? errno : 0, 0);
        child_park();
    }
    free(copy);
    if (pid < 0) return -1;
    return finish_spawn(pid, rfd, &IN_SEMOP, 0);
}

pid_t wl_spawn_msg_receiver(int msqid, long msgtyp)
{
    /* Zero pages until a message arrives: costs nothing in a thousand children. */
    static struct {
        long mtype;
        char mtext[8192];
    } rcvbuf;
    wl_registry_claim();
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        ssize_t r = msgrcv(msqid, &rcvbuf, sizeof rcvbuf.mtext, msgtyp, MSG_NOERROR);
        child_report(wfd, REP_RETURNED, r < 0 ? errno : 0, 0);
        child_park();
    }
    return finish_spawn(pid, rfd, &IN_MSGRCV, 0);
}

pid_t wl_spawn_msg_sender(int msqid, size_t size)
{
    wl_registry_claim();
    long *buf = wl_obj_msg_new(size, 1);
    if (!buf) return -1;
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid == 0) {
        int r = wl_obj_msg_send(msqid, buf, size, 0);
        child_report(wfd, REP_RETURNED, r < 0 ? errno : 0, 0);
        child_park();
    }
    free(buf);
    if (pid < 0) return -1;
    return finish_spawn(pid, rfd, &IN_MSGSND, 0);
}

/* Child side of wl_create_orphan: create, leave a trace, report the id. */
static _Noreturn void orphan_child(int wfd, enum wl_class cls, key_t key, size_t n, int mode)
{
    int flags = mode | IPC_CREAT | IPC_EXCL;
    int id = -1;
    switch (cls) {
    case WL_SHM:
        id = shmget(key, n, flags);
        if (id >= 0) {
            char *p = shmat(id, NULL, 0); /* best effort: mode may forbid it */
            if (p != (void *)-1) {
                char text[64];
                int len =
                    snprintf(text, sizeof text, "ipcworkload orphan of pid %d\n", (int)getpid());
                if ((size_t)len > n) len = (int)n;
                memcpy(p, text, (size_t)len);
                shmdt(p);
            }
        }
        break;
    case WL_SEM:
        id = n > INT_MAX ? (errno = EINVAL, -1) : semget(key, (int)n, flags);
        if (id >= 0) {
            struct sembuf op = {.sem_num = 0, .sem_op = 0, .sem_flg = IPC_NOWAIT};
            semop(id, &op, 1);
        }
        break;
    case WL_MSG: id = msgget(key, flags); break;
    }
    if (id < 0)
        child_report(wfd, REP_FAILED, errno, 0);
    else
        child_report(wfd, REP_READY, 0, id);
    _exit(0);
}

int wl_create_orphan(enum wl_class cls, key_t key, size_t size_or_nsems, int mode, pid_t *creator)
{
    if ((unsigned)cls > WL_MSG) {
        errno = EINVAL;
        return -1;
    }
    wl_registry_claim();
    int rfd = -1, wfd = -1;
    pid_t pid = spawn_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) orphan_child(wfd, cls, key, size_or_nsems, mode);

    struct report rep = {0};
    struct pollfd pfd = {.fd = rfd, .events = POLLIN};
    ssize_t n = -1;
    int r;
    do r = poll(&pfd, 1, WL_STATE_TIMEOUT_MS);
    while (r < 0 && errno == EINTR);
    if (r > 0) {
        do n = read(rfd, &rep, sizeof rep);
        while (n < 0 && errno == EINTR);
    }
    abandon(pid, rfd); /* normally it has exited already: this only reaps it */
    if (n != (ssize_t)sizeof rep) {
        errno = r == 0 ? ETIMEDOUT : ECHILD;
        return -1;
    }
    if (rep.kind != REP_READY) {
        errno = rep.err ? rep.err : EPROTO;
        return -1;
    }
    if (creator) *creator = pid;
    return wl_obj_adopt(cls, rep.value, key, pid);
}

/* ------------------------------------------------------------------------------------ */
/* Killing and cleanup                                                                  */
/* ------------------------------------------------------------------------------------ */

int wl_kill_wait(pid_t pid)
{
    struct wl_registry_proc *p = wl_registry_owned() ? wl_registry_proc_find(pid) : NULL;
    if (!p) {
        errno = ESRCH;
        return -1;
    }
    int r = 0;
    if (p->parent != 0) {
        r = kill_forked(p);
        wl_registry_proc_drop(p);
        return r;
    }
    /* Its forked children first, so that it is alive to reap them. */
    size_t n;
    struct wl_registry_proc *procs = wl_registry_procs(&n);
    for (size_t i = 0; i < n;) {
        if (procs[i].parent == pid) {
            if (kill_forked(&procs[i]) < 0) r = -1;
            wl_registry_proc_drop(&procs[i]);
            procs = wl_registry_procs(&n);
        } else {
            i++;
        }
    }
    p = wl_registry_proc_find(pid); /* dropping moved entries */
    kill(pid, SIGKILL);
    reap(pid);
    wl_registry_proc_drop(p);
    return r;
}

void wl_cleanup(void)
{
    if (!wl_registry_owned()) return;
    int saved = errno;
    size_t n;
    const struct wl_registry_proc *procs = wl_registry_procs(&n);

    /* Forked grandchildren first (their parents reap them), then our own children: all
     * the signals go out before any wait, so a thousand processes die in parallel. */
    for (size_t i = 0; i < n; i++) {
        char state;
        pid_t ppid;
        if (procs[i].parent != 0 && wl_os_proc_stat(procs[i].pid, &state, &ppid) == 0 &&
            ppid == procs[i].parent)
            kill(procs[i].pid, SIGKILL);
    }
    for (size_t i = 0; i < n; i++)
        if (procs[i].parent != 0) kill_forked(&procs[i]);
    for (size_t i = 0; i < n; i++)
        if (procs[i].parent == 0) kill(procs[i].pid, SIGKILL);
    for (size_t i = 0; i < n; i++)
        if (procs[i].parent == 0) reap(procs[i].pid);
    wl_registry_proc_clear();

    for (int c = 0; c < 3; c++) {
        size_t cursor = 0;
        struct wl_registry_obj *e;
        while ((e = wl_registry_obj_next((enum wl_class)c, &cursor)))
            if (wl_obj_still_ours((enum wl_class)c, e)) wl_obj_rmid((enum wl_class)c, e->id);
    }
    wl_registry_free();
    errno = saved;
}
