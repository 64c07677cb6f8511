/*
 * wl_child — the child machinery of libipcworkload (internal): fork a child that is
 * independent of the caller, hear from it through a report pipe, and check from outside
 * (/proc/PID/stat, /proc/PID/syscall, /proc/PID/wchan) that it is really asleep where it
 * should be before the spawner returns; kill and reap what went wrong.
 *
 * What it owns: the report protocol between child and parent. The spawners (wl_spawn.c)
 * say what each child does and where it should sleep; this module knows how to wait.
 *
 * What it may call: wl_registry (room for and registration of processes), wl_os, libc
 * and the kernel (fork, pipes, signals, prctl, close_range).
 */
#ifndef IPCTOP_TOOLS_WL_CHILD_H
#define IPCTOP_TOOLS_WL_CHILD_H

#include "wl_registry.h"

#include <sys/types.h>

/* What a child tells its parent through the report pipe. */
enum { WL_CHILD_READY = 1, WL_CHILD_FAILED, WL_CHILD_RETURNED };
struct wl_child_report {
    int kind;
    int err;   /* errno for WL_CHILD_FAILED / WL_CHILD_RETURNED */
    int value; /* WL_CHILD_READY: forked child's pid, or the orphan's id */
};

/* What "asleep where it should be" looks like in /proc. */
struct wl_child_where {
    long nr[3];        /* acceptable syscall numbers in /proc/PID/syscall, -1 unused */
    const char *wchan; /* substring of /proc/PID/wchan, the fallback; NULL: state S only */
};

/* fork() with a report pipe, after reserving room in the registry. Parent: returns the
 * pid, *rfd is the read end. Child: returns 0 with default signal handling, nothing
 * blocked, death with the parent and no descriptor above 2 but *wfd, the write end. */
pid_t wl_child_fork(int *rfd, int *wfd);

/* Child side: one report to the parent. */
void wl_child_report(int fd, int kind, int err, int value);

/* Child side: sleep until killed. */
_Noreturn void wl_child_park(void);

/* Waits until pid is asleep in w. If want_ready, a WL_CHILD_READY report must come first
 * (stored in *ready). Any other report, or the pipe's EOF, means the child's call did
 * not do what was asked: fail with its errno (EAGAIN for "returned at once"). */
int wl_child_await(pid_t pid, int rfd, const struct wl_child_where *w, int want_ready,
                   struct wl_child_report *ready);

/* The common tail of a spawner: wait for the state, then register the child, or kill
 * and reap it. Closes rfd. */
pid_t wl_child_finish(pid_t pid, int rfd, const struct wl_child_where *w, int want_ready);

/* waitpid, resumed after signals. */
void wl_child_reap(pid_t pid);

/* Kill and reap a child that never made it into the registry, keeping errno; closes rfd
 * unless it is -1. */
void wl_child_abandon(pid_t pid, int rfd);

/* Kill a registered grandchild and wait until its parent has reaped it. Its pid cannot
 * be trusted blindly (its parent may have reaped it long ago and the pid been reused):
 * it is ours only while /proc says its parent is the registered one. */
int wl_child_kill_forked(const struct wl_registry_proc *p);

#endif
