#include "demo_runner.h"

#include "demo.h"
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct demo_runner {
    pid_t child;
};

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A user namespace in which we keep our own uid and gain the right to make an IPC one. */
static int enter_user_ns(void)
{
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) < 0) return -1;
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", uid, uid);
    if (write_file("/proc/self/uid_map", map) < 0) return -1;
    write_file("/proc/self/setgroups", "deny\n");
    snprintf(map, sizeof map, "%u %u 1\n", gid, gid);
    return write_file("/proc/self/gid_map", map);
}

static volatile sig_atomic_t demo_stop;

static void on_term(int sig)
{
    (void)sig;
    demo_stop = 1;
}

/* The child: ticks the scene once a second until told to stop or the monitor dies. */
static void run_child(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* its processes show as ipctop-demo in the lists, not as the monitor */
    prctl(PR_SET_NAME, "ipctop-demo");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* the terminal belongs to the monitor */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    char err[256];
    struct demo *d = demo_start(0640, err, sizeof err);
    for (unsigned t = 0; d && !demo_stop && getppid() == parent; t++) {
        if (demo_tick(d, t, err, sizeof err) < 0) break;
        struct timespec ts = {1, 0};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !demo_stop) {
        }
    }
    wl_cleanup();
    demo_free(d);
    _exit(0);
}

struct demo_runner *demo_runner_start(char *err, size_t errlen)
{
    if (unshare(CLONE_NEWIPC) < 0) {
        int e = errno;
        if (e != EPERM || enter_user_ns() < 0) {
            snprintf(err, errlen,
                     "--demo needs a private IPC namespace and this process may not create one "
                     "(%s); run it as root, or allow unprivileged user namespaces",
                     strerror(e == EPERM ? errno : e));
            return NULL;
        }
    }
    struct demo_runner *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pid_t parent = getpid();
    d->child = fork();
    if (d->child < 0) {
        snprintf(err, errlen, "cannot start the demo workload: %s", strerror(errno));
        free(d);
        return NULL;
    }
    if (d->child == 0) run_child(parent);
    return d;
}

void demo_runner_stop(struct demo_runner *d)
{
    if (!d) return;
    kill(d->child, SIGTERM);
    int st;
    while (waitpid(d->child, &st, 0) < 0 && errno == EINTR) {
    }
    free(d);
}
