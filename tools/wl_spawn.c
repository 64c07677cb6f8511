/*
 * wl_spawn.c — libipcworkload's processes: the section "processes" of workload.h
 * (wl_spawn_attacher, wl_spawn_attacher_forking, wl_spawn_sem_waiter,
 * wl_spawn_msg_receiver, wl_spawn_msg_sender) and wl_create_orphan(), whose object is
 * made by a child. workload.h is this module's header.
 *
 * What it owns: what each child does (its one IPC call) and where it should then sleep.
 * What it may call: wl_child (forking, reports, waiting), wl_registry, wl_obj (pattern,
 * message buffers, registering an orphan's object), libc and the System V IPC syscalls.
 */
#include "workload.h"
#include "wl_child.h"
#include "wl_obj.h"
#include "wl_registry.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What "asleep where it should be" means for each kind of child. Syscalls this
 * architecture lacks are -1 (never matched); SysV calls may come through ipc(2). */
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

static const struct wl_child_where IN_PAUSE = {{SYS_pause, SYS_ppoll, -1}, NULL};
static const struct wl_child_where IN_WAIT = {{SYS_wait4, SYS_waitid, -1}, "wait"};
static const struct wl_child_where IN_SEMOP = {{SYS_semtimedop, SYS_semop, SYS_ipc}, "semtimedop"};
static const struct wl_child_where IN_MSGRCV = {{SYS_msgrcv, SYS_ipc, -1}, "msgrcv"};
static const struct wl_child_where IN_MSGSND = {{SYS_msgsnd, SYS_ipc, -1}, "msgsnd"};

static _Noreturn void attacher_fail(int wfd)
{
    wl_child_report(wfd, WL_CHILD_FAILED, errno, 0);
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
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        attacher_attach(wfd, shmid, flags);
        wl_child_report(wfd, WL_CHILD_READY, 0, 0);
        wl_child_park();
    }
    return wl_child_finish(pid, rfd, &IN_PAUSE, 1);
}

pid_t wl_spawn_attacher_forking(int shmid, int flags, pid_t *child_pid)
{
    if (check_attach_flags(flags) < 0) return -1;
    wl_registry_claim();
    int rfd = -1, wfd = -1;
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        attacher_attach(wfd, shmid, flags);
        pid_t self = getpid();
        pid_t g = fork();
        if (g < 0) attacher_fail(wfd);
        if (g == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != self) _exit(1);
            wl_child_park();
        }
        wl_child_report(wfd, WL_CHILD_READY, 0, g);
        /* Reap the forked child when it is killed, so its pid never lingers as a zombie. */
        for (;;)
            if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD) wl_child_park();
    }
    struct wl_child_report ready = {0};
    if (wl_child_await(pid, rfd, &IN_WAIT, 1, &ready) < 0) {
        wl_child_abandon(pid, rfd);
        return -1;
    }
    pid_t g = ready.value;
    if (wl_child_await(g, rfd, &IN_PAUSE, 0, NULL) < 0) {
        struct wl_registry_proc forked = {.pid = g, .parent = pid};
        int saved = errno;
        wl_child_kill_forked(&forked);
        errno = saved;
        wl_child_abandon(pid, rfd);
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
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid == 0) {
        int r = semop(semid, copy, nops);
        wl_child_report(wfd, WL_CHILD_RETURNED, r < 0 ? errno : 0, 0);
        wl_child_park();
    }
    free(copy);
    if (pid < 0) return -1;
    return wl_child_finish(pid, rfd, &IN_SEMOP, 0);
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
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) {
        ssize_t r = msgrcv(msqid, &rcvbuf, sizeof rcvbuf.mtext, msgtyp, MSG_NOERROR);
        wl_child_report(wfd, WL_CHILD_RETURNED, r < 0 ? errno : 0, 0);
        wl_child_park();
    }
    return wl_child_finish(pid, rfd, &IN_MSGRCV, 0);
}

pid_t wl_spawn_msg_sender(int msqid, size_t size)
{
    wl_registry_claim();
    long *buf = wl_obj_msg_new(size, 1);
    if (!buf) return -1;
    int rfd = -1, wfd = -1;
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid == 0) {
        int r = wl_obj_msg_send(msqid, buf, size, 0);
        wl_child_report(wfd, WL_CHILD_RETURNED, r < 0 ? errno : 0, 0);
        wl_child_park();
    }
    free(buf);
    if (pid < 0) return -1;
    return wl_child_finish(pid, rfd, &IN_MSGSND, 0);
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
        wl_child_report(wfd, WL_CHILD_FAILED, errno, 0);
    else
        wl_child_report(wfd, WL_CHILD_READY, 0, id);
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
    pid_t pid = wl_child_fork(&rfd, &wfd);
    if (pid < 0) return -1;
    if (pid == 0) orphan_child(wfd, cls, key, size_or_nsems, mode);

    struct wl_child_report rep = {0};
    struct pollfd pfd = {.fd = rfd, .events = POLLIN};
    ssize_t n = -1;
    int r;
    do r = poll(&pfd, 1, WL_STATE_TIMEOUT_MS);
    while (r < 0 && errno == EINTR);
    if (r > 0) {
        do n = read(rfd, &rep, sizeof rep);
        while (n < 0 && errno == EINTR);
    }
    wl_child_abandon(pid, rfd); /* normally it has exited already: this only reaps it */
    if (n != (ssize_t)sizeof rep) {
        errno = r == 0 ? ETIMEDOUT : ECHILD;
        return -1;
    }
    if (rep.kind != WL_CHILD_READY) {
        errno = rep.err ? rep.err : EPROTO;
        return -1;
    }
    if (creator) *creator = pid;
    return wl_obj_adopt(cls, rep.value, key, pid);
}
