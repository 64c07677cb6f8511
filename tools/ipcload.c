/*
 * ipcload.c — the workload generator's command line: creates System V IPC objects and
 * processes that attach to them or block on them, optionally churns and animates them
 * (--demo), and removes exactly what it made when it stops.
 *
 * What it owns: the order of a run (namespace, limits, objects, contents, processes,
 * demo, "ready", the loop, cleanup) and the main loop (--duration, churn and demo ticks).
 * What it may call: the ipcload_* modules — options (command line), pools (the objects
 * it made), plan (contents and processes), churn, signals (when to stop), say (messages)
 * —, libipcworkload (workload.h, and wl_os.h for the clock), which makes, tracks and
 * undoes every object and process, and demo.h for the --demo scene.
 *
 * Stopping: SIGINT, SIGTERM, SIGHUP, the end of --duration and the death of the parent
 * all lead to the same path: kill and reap every child, remove every object it created,
 * exit 0 (see ipcload_signals.h).
 */
#include "demo.h"
#include "ipcload_churn.h"
#include "ipcload_options.h"
#include "ipcload_plan.h"
#include "ipcload_pools.h"
#include "ipcload_say.h"
#include "ipcload_signals.h"
#include "wl_os.h"
#include "workload.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void announce_ready(const struct ipcload_options *o)
{
    printf("ready shm=%zu sem=%zu msg=%zu pids=%zu\n", wl_object_count(WL_SHM),
           wl_object_count(WL_SEM), wl_object_count(WL_MSG), wl_process_count());
    fflush(stdout);
    if (o->ready_fd >= 0) {
        ssize_t n;
        do n = write(o->ready_fd, "ready\n", 6);
        while (n < 0 && errno == EINTR);
    }
}

/* Runs until a signal, the end of --duration or the parent's death. 0, or -1 if the
 * demo failed (reported). */
static int run(struct ipcload_pool pools[3], const struct ipcload_options *o, struct demo *demo)
{
    long long start = wl_os_now_us();
    long long end = o->duration >= 0 ? start + (long long)(o->duration * 1e6) : LLONG_MAX;
    long long next_tick = start + 1000000;
    long long churn_every = o->churn > 0 ? (long long)(1e6 / o->churn) : 200000;
    if (churn_every < 10000) churn_every = 10000; /* batches of ops, 100 wake-ups a second */
    struct ipcload_churn ch;
    ipcload_churn_start(&ch, start);
    unsigned tick = 0;
    char err[256];

    while (!ipcload_signals_stopping()) {
        long long now = wl_os_now_us();
        if (now >= end) break;
        if (o->churn > 0) ipcload_churn_run(&ch, pools, o, now);
        if (demo && now >= next_tick) {
            if (demo_tick(demo, ++tick, err, sizeof err) < 0) {
                ipcload_say("%s", err);
                return -1;
            }
            next_tick += 1000000;
            if (next_tick < now) next_tick = now + 1000000; /* fell behind: do not race */
        }
        long long wake = end;
        if (demo && next_tick < wake) wake = next_tick;
        if (o->churn > 0 && now + churn_every < wake) wake = now + churn_every;
        ipcload_signals_wait_until(wake);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct ipcload_options o;
    ipcload_options_parse(argc, argv, &o);

    if (o.unshare && wl_enter_private_ipc_ns() < 0) {
        ipcload_say("cannot enter a private IPC namespace: %s%s", strerror(errno),
                    errno == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
        return 1;
    }
    if (o.raise_limits) {
        if (wl_ipc_ns_is_private() != 1)
            ipcload_say_usage("refusing --raise-limits: this may be the host's IPC namespace; "
                              "add --unshare");
        if (wl_raise_limits(WL_MAX_MNI) < 0) {
            ipcload_say("cannot raise the IPC limits: %s", strerror(errno));
            return 1;
        }
    }
    if (o.print_ns) {
        char ns[64];
        if (wl_ipc_ns_name(ns, sizeof ns) < 0) {
            ipcload_say("cannot read /proc/self/ns/ipc: %s", strerror(errno));
            return 1;
        }
        printf("ns=%s pid=%d\n", ns, (int)getpid());
        fflush(stdout);
    }

    ipcload_signals_init();
    int status = 0;
    struct demo *demo = NULL;
    struct ipcload_pool pools[3] = {0};
    int r = ipcload_pools_create(pools, &o);
    if (r == 0) r = ipcload_plan_contents(pools, &o);
    if (r == 0 && o.leak) {
        announce_ready(&o);
        ipcload_pools_free(pools);
        return 0; /* on purpose: the objects stay */
    }
    if (r == 0) r = ipcload_plan_spawn(pools, &o);
    if (r == 0 && o.demo) {
        char err[256];
        demo = demo_start(o.mode, err, sizeof err);
        if (!demo || demo_tick(demo, 0, err, sizeof err) < 0) {
            ipcload_say("%s", err);
            r = -1;
        }
    }
    if (r == 0) {
        announce_ready(&o);
        r = run(pools, &o, demo);
    }
    if (r < 0) status = 1;
    if (ipcload_signals_parent_gone()) ipcload_say("parent process exited; cleaning up");

    demo_free(demo);
    wl_cleanup();
    ipcload_pools_free(pools);
    return status;
}
