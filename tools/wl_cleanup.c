/*
 * wl_cleanup.c — libipcworkload's undoing: wl_kill_wait() and wl_cleanup() of workload.h
 * (the section "everything at once"), which is this module's header.
 *
 * What it owns: the order of the undoing (forked grandchildren before their parents,
 * every signal before any wait, processes before objects).
 * What it may call: wl_registry, wl_child (killing and reaping), wl_obj (still ours?
 * IPC_RMID), wl_os, libc.
 */
#include "workload.h"
#include "wl_child.h"
#include "wl_obj.h"
#include "wl_os.h"
#include "wl_registry.h"

#include <errno.h>
#include <signal.h>

int wl_kill_wait(pid_t pid)
{
    struct wl_registry_proc *p = wl_registry_owned() ? wl_registry_proc_find(pid) : NULL;
    if (!p) {
        errno = ESRCH;
        return -1;
    }
    int r = 0;
    if (p->parent != 0) {
        r = wl_child_kill_forked(p);
        wl_registry_proc_drop(p);
        return r;
    }
    /* Its forked children first, so that it is alive to reap them. */
    size_t n;
    struct wl_registry_proc *procs = wl_registry_procs(&n);
    for (size_t i = 0; i < n;) {
        if (procs[i].parent == pid) {
            if (wl_child_kill_forked(&procs[i]) < 0) r = -1;
            wl_registry_proc_drop(&procs[i]);
            procs = wl_registry_procs(&n);
        } else {
            i++;
        }
    }
    p = wl_registry_proc_find(pid); /* dropping moved entries */
    kill(pid, SIGKILL);
    wl_child_reap(pid);
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
        if (procs[i].parent != 0) wl_child_kill_forked(&procs[i]);
    for (size_t i = 0; i < n; i++)
        if (procs[i].parent == 0) kill(procs[i].pid, SIGKILL);
    for (size_t i = 0; i < n; i++)
        if (procs[i].parent == 0) wl_child_reap(procs[i].pid);
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
