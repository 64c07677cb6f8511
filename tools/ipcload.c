/*
 * ipcload.c — the workload generator's command line: creates System V IPC objects and
 * processes that attach to them or block on them, optionally churns and animates them
 * (--demo), and removes exactly what it made when it stops.
 *
 * What it owns: option parsing, the plan (which process uses which object), the main
 * loop (signals, --duration, parent death, churn, demo ticks). Objects and processes
 * themselves are made, tracked and undone by libipcworkload (workload.h); the demo's
 * schedule lives in demo.c.
 *
 * Stopping: SIGINT, SIGTERM, SIGHUP, the end of --duration and the death of the parent
 * all lead to the same path: kill and reap every child, remove every object it created,
 * exit 0. The signals are blocked except while waiting in ppoll(), so setup code never
 * runs a handler halfway, and is checked between steps of long setups.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "ipcload_say.h"
#include "workload.h"

#define MAX_COUNT 1000000 /* far above any kernel limit: only catches typos */

static const char *const CLASS_NAME[] = {"shm segment", "semaphore set", "message queue"};
static const char *const CLASS_LIMIT[] = {"kernel.shmmni", "semmni (kernel.sem)", "kernel.msgmni"};

struct options {
    long count[3]; /* objects per class, indexed by enum wl_class */
    size_t shm_size;
    long nsems;
    int mode;
    uint32_t key_base; /* 0: IPC_PRIVATE */
    long fill;
    size_t msg_size;
    long attachers, sem_waiters, zero_waiters, receivers, senders;
    int touch;
    double churn; /* operations per second, 0: off */
    int demo, unshare, raise_limits, leak, print_ns;
    double duration; /* seconds, < 0: until a signal */
    int ready_fd;    /* -1: none */
};

/* ------------------------------------------------------------------------------------ */
/* Usage                                                                                */
/* ------------------------------------------------------------------------------------ */

static void help(void)
{
    fputs("Usage: ipcload [OPTION]...\n"
          "Create System V IPC objects and processes that use them, for ipctop's tests,\n"
          "benchmarks and demo. On SIGINT, SIGTERM, SIGHUP, at the end of --duration or when\n"
          "its parent exits, it kills its children and removes exactly the objects it created.\n"
          "\n"
          "Objects:\n"
          "  --shm N              create N shared memory segments\n"
          "  --shm-size BYTES     segment size, suffix K, M or G allowed (default 64K)\n"
          "  --sem N              create N semaphore sets\n"
          "  --nsems N            semaphores per set (default 4)\n"
          "  --msg N              create N message queues\n"
          "  --mode OCTAL         permissions of every object (default 600)\n"
          "  --key-base KEY       keys KEY, KEY+1, ... per class (0x hex or decimal, negative\n"
          "                       as /proc/sysvipc prints them); default IPC_PRIVATE\n"
          "  --fill N             put N messages in each queue (not in receivers' queues)\n"
          "  --msg-size BYTES     size of those messages (default 128)\n"
          "\n"
          "Processes (each one a small forked child; they die with ipcload):\n"
          "  --attachers N        attach the segments round-robin, then sleep\n"
          "  --touch              attachers write a byte pattern over the whole segment\n"
          "  --sem-waiters N      block decrementing semaphores (value 0), round-robin\n"
          "  --zero-waiters N     block waiting for zero on semaphores set to 1; with\n"
          "                       --sem-waiters, each kind gets half of the semaphores\n"
          "  --receivers N        block in msgrcv on empty queues\n"
          "  --senders N          block in msgsnd on queues filled to their byte limit;\n"
          "                       with --receivers, each kind gets half of the queues\n"
          "\n"
          "Activity:\n"
          "  --churn RATE         remove and create objects (all classes) at RATE per second,\n"
          "                       keeping each class around its initial count; objects in use\n"
          "                       by the processes above are left alone\n"
          "  --demo               a lively scene for a person watching ipctop (keys\n"
          "                       0x1c0ffee0.., 0x5e3a0000.., 0x3e55a9e0.., 0x7e300000..)\n"
          "  --duration SECONDS   stop after SECONDS (default: run until a signal)\n"
          "\n"
          "Namespace and lifetime:\n"
          "  --unshare            enter a private IPC namespace first\n"
          "  --raise-limits       raise shmmni, msgmni and semmni to 32768; refused unless the\n"
          "                       namespace is private (--unshare, or not the one of PID 1)\n"
          "  --print-ns           print 'ns=ipc:[INODE] pid=PID' (after --unshare) so a caller\n"
          "                       can open /proc/PID/ns/ipc\n"
          "  --leak               create the objects and exit at once, leaving them behind\n"
          "                       (no processes, no churn, no demo)\n"
          "  --ready-fd FD        when set up, write 'ready\\n' to FD; stdout always gets\n"
          "                       'ready shm=N sem=N msg=N pids=N'\n"
          "  -h, --help           show this help\n"
          "\n"
          "Exit status: 0 when stopped as asked, 1 on a failure, 2 on a usage error.\n",
          stdout);
}

/* ------------------------------------------------------------------------------------ */
/* Option parsing                                                                       */
/* ------------------------------------------------------------------------------------ */

static long parse_count(const char *opt, const char *arg, long max)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || errno || v < 0)
        ipcload_say_usage("%s: '%s' is not a whole number of 0 or more", opt, arg);
    if (v > max) ipcload_say_usage("%s: %ld is more than the maximum %ld", opt, v, max);
    return v;
}

static size_t parse_bytes(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (end == arg || errno || arg[0] == '-')
        ipcload_say_usage("%s: '%s' is not a size in bytes", opt, arg);
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k':
    case 'K': shift = 10; break;
    case 'm':
    case 'M': shift = 20; break;
    case 'g':
    case 'G': shift = 30; break;
    default: ipcload_say_usage("%s: '%s' has an unknown suffix (K, M or G)", opt, arg);
    }
    if (shift && end[1]) ipcload_say_usage("%s: '%s' has an unknown suffix (K, M or G)", opt, arg);
    if (v > (SIZE_MAX >> shift)) ipcload_say_usage("%s: '%s' is too large", opt, arg);
    return (size_t)(v << shift);
}

static uint32_t parse_key(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 0);
    if (end == arg || *end || errno || v < INT32_MIN || v > (long long)UINT32_MAX)
        ipcload_say_usage("%s: '%s' is not a 32-bit key", opt, arg);
    return (uint32_t)v;
}

static int parse_mode(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 8);
    if (end == arg || *end || errno || v < 0 || v > 0777)
        ipcload_say_usage("%s: '%s' is not an octal mode between 0 and 777", opt, arg);
    return (int)v;
}

static double parse_seconds(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || v < 0)
        ipcload_say_usage("%s: '%s' is not a number of 0 or more", opt, arg);
    return v;
}

enum {
    OPT_SHM = 256,
    OPT_SHM_SIZE,
    OPT_SEM,
    OPT_NSEMS,
    OPT_MSG,
    OPT_MODE,
    OPT_KEY_BASE,
    OPT_FILL,
    OPT_MSG_SIZE,
    OPT_ATTACHERS,
    OPT_TOUCH,
    OPT_SEM_WAITERS,
    OPT_ZERO_WAITERS,
    OPT_RECEIVERS,
    OPT_SENDERS,
    OPT_CHURN,
    OPT_DEMO,
    OPT_UNSHARE,
    OPT_RAISE_LIMITS,
    OPT_LEAK,
    OPT_DURATION,
    OPT_READY_FD,
    OPT_PRINT_NS,
};

static const struct option LONG_OPTIONS[] = {
    {"shm", required_argument, NULL, OPT_SHM},
    {"shm-size", required_argument, NULL, OPT_SHM_SIZE},
    {"sem", required_argument, NULL, OPT_SEM},
    {"nsems", required_argument, NULL, OPT_NSEMS},
    {"msg", required_argument, NULL, OPT_MSG},
    {"mode", required_argument, NULL, OPT_MODE},
    {"key-base", required_argument, NULL, OPT_KEY_BASE},
    {"fill", required_argument, NULL, OPT_FILL},
    {"msg-size", required_argument, NULL, OPT_MSG_SIZE},
    {"attachers", required_argument, NULL, OPT_ATTACHERS},
    {"touch", no_argument, NULL, OPT_TOUCH},
    {"sem-waiters", required_argument, NULL, OPT_SEM_WAITERS},
    {"zero-waiters", required_argument, NULL, OPT_ZERO_WAITERS},
    {"receivers", required_argument, NULL, OPT_RECEIVERS},
    {"senders", required_argument, NULL, OPT_SENDERS},
    {"churn", required_argument, NULL, OPT_CHURN},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"unshare", no_argument, NULL, OPT_UNSHARE},
    {"raise-limits", no_argument, NULL, OPT_RAISE_LIMITS},
    {"leak", no_argument, NULL, OPT_LEAK},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"ready-fd", required_argument, NULL, OPT_READY_FD},
    {"print-ns", no_argument, NULL, OPT_PRINT_NS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void check_options(const struct options *o)
{
    long nshm = o->count[WL_SHM], nsem = o->count[WL_SEM], nmsg = o->count[WL_MSG];
    if (o->attachers && !nshm)
        ipcload_say_usage("--attachers needs segments to attach: add --shm N");
    if (o->touch && !o->attachers) ipcload_say_usage("--touch only applies to --attachers");
    if ((o->sem_waiters || o->zero_waiters) && !nsem)
        ipcload_say_usage("--sem-waiters and --zero-waiters need semaphore sets: add --sem N");
    if (o->sem_waiters && o->zero_waiters && nsem * o->nsems < 2)
        ipcload_say_usage("--sem-waiters with --zero-waiters needs at least two semaphores");
    if ((o->receivers || o->senders) && !nmsg)
        ipcload_say_usage("--receivers and --senders need queues: add --msg N");
    if (o->receivers && o->senders && nmsg < 2)
        ipcload_say_usage("--receivers with --senders needs at least two queues (--msg 2)");
    if (o->senders && o->msg_size == 0)
        ipcload_say_usage("--senders needs a --msg-size of at least 1 byte");
    if (o->fill && !nmsg) ipcload_say_usage("--fill needs queues: add --msg N");
    if (o->key_base) {
        long most = nshm > nsem ? nshm : nsem;
        if (nmsg > most) most = nmsg;
        /* churn may use one key past the initial range */
        if ((uint64_t)o->key_base + (uint64_t)most > UINT32_MAX)
            ipcload_say_usage("--key-base 0x%08x: the keys would run past 0xffffffff", o->key_base);
    }
    if (o->leak) {
        if (o->attachers || o->sem_waiters || o->zero_waiters || o->receivers || o->senders)
            ipcload_say_usage("--leak creates objects and exits at once: it starts no processes");
        if (o->churn > 0 || o->demo || o->duration >= 0)
            ipcload_say_usage("--leak exits at once: it excludes --churn, --demo and --duration");
        if (o->unshare)
            ipcload_say_usage("--leak with --unshare would leave nothing behind: the namespace "
                              "vanishes when ipcload exits");
    }
}

static void parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){.shm_size = 64 * 1024,
                          .nsems = 4,
                          .mode = 0600,
                          .msg_size = 128,
                          .duration = -1,
                          .ready_fd = -1};
    opterr = 0; /* our own messages: one sentence each */
    int c;
    while ((c = getopt_long(argc, argv, ":h", LONG_OPTIONS, NULL)) != -1) {
        const char *opt = argv[optind - 1];
        switch (c) {
        case OPT_SHM: o->count[WL_SHM] = parse_count("--shm", optarg, MAX_COUNT); break;
        case OPT_SHM_SIZE: o->shm_size = parse_bytes("--shm-size", optarg); break;
        case OPT_SEM: o->count[WL_SEM] = parse_count("--sem", optarg, MAX_COUNT); break;
        case OPT_NSEMS:
            o->nsems = parse_count("--nsems", optarg, INT_MAX);
            if (o->nsems == 0) ipcload_say_usage("--nsems: a set needs at least 1 semaphore");
            break;
        case OPT_MSG: o->count[WL_MSG] = parse_count("--msg", optarg, MAX_COUNT); break;
        case OPT_MODE: o->mode = parse_mode("--mode", optarg); break;
        case OPT_KEY_BASE: o->key_base = parse_key("--key-base", optarg); break;
        case OPT_FILL: o->fill = parse_count("--fill", optarg, INT_MAX); break;
        case OPT_MSG_SIZE: o->msg_size = parse_bytes("--msg-size", optarg); break;
        case OPT_ATTACHERS: o->attachers = parse_count("--attachers", optarg, MAX_COUNT); break;
        case OPT_TOUCH: o->touch = 1; break;
        case OPT_SEM_WAITERS:
            o->sem_waiters = parse_count("--sem-waiters", optarg, MAX_COUNT);
            break;
        case OPT_ZERO_WAITERS:
            o->zero_waiters = parse_count("--zero-waiters", optarg, MAX_COUNT);
            break;
        case OPT_RECEIVERS: o->receivers = parse_count("--receivers", optarg, MAX_COUNT); break;
        case OPT_SENDERS: o->senders = parse_count("--senders", optarg, MAX_COUNT); break;
        case OPT_CHURN: o->churn = parse_seconds("--churn", optarg); break;
        case OPT_DEMO: o->demo = 1; break;
        case OPT_UNSHARE: o->unshare = 1; break;
        case OPT_RAISE_LIMITS: o->raise_limits = 1; break;
        case OPT_LEAK: o->leak = 1; break;
        case OPT_DURATION: o->duration = parse_seconds("--duration", optarg); break;
        case OPT_READY_FD:
            o->ready_fd = (int)parse_count("--ready-fd", optarg, INT_MAX);
            if (fcntl(o->ready_fd, F_GETFD) < 0)
                ipcload_say_usage("--ready-fd: descriptor %d is not open", o->ready_fd);
            break;
        case OPT_PRINT_NS: o->print_ns = 1; break;
        case 'h': help(); exit(0);
        case ':': ipcload_say_usage("option '%s' needs a value", opt);
        default: ipcload_say_usage("unknown option '%s'", opt);
        }
    }
    if (optind < argc) ipcload_say_usage("unexpected argument '%s'", argv[optind]);
    check_options(o);
}

/* ------------------------------------------------------------------------------------ */
/* Signals, time, parent                                                                */
/* ------------------------------------------------------------------------------------ */

static volatile sig_atomic_t got_signal;
static sigset_t wait_mask; /* the mask while waiting: ours unblocked */
static pid_t original_ppid;
static int parent_gone;

static void on_signal(int sig)
{
    got_signal = sig;
}

static void signals_init(void)
{
    static const int ours[] = {SIGINT, SIGTERM, SIGHUP};
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) sigaddset(&block, ours[i]);
    sigprocmask(SIG_BLOCK, &block, &wait_mask);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        sigdelset(&wait_mask, ours[i]);
        sigaction(ours[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN); /* a closed --ready-fd or stdout is not a reason to die */
    original_ppid = getppid();
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Sleeps until deadline, a signal, or at most 200 ms (to notice the parent's death). */
static void wait_until(long long deadline)
{
    long long d = deadline - now_us();
    if (d < 0) d = 0;
    if (d > 200000) d = 200000;
    struct timespec ts = {.tv_sec = (time_t)(d / 1000000), .tv_nsec = (long)(d % 1000000) * 1000};
    ppoll(NULL, 0, &ts, &wait_mask);
}

/* Lets pending signals in, then tells whether to stop. */
static int stopping(void)
{
    wait_until(0);
    if (!parent_gone && getppid() != original_ppid) parent_gone = 1;
    return got_signal || parent_gone;
}

/* ------------------------------------------------------------------------------------ */
/* Objects: per-class pools                                                             */
/* ------------------------------------------------------------------------------------ */

struct obj {
    int id;
    key_t key;
    int pinned; /* a process of ours uses it: churn leaves it alone */
};

struct pool {
    enum wl_class cls;
    struct obj *v;
    size_t n, cap;
    size_t npinned; /* v[0 .. npinned) are pinned, after plan_pin() */
    size_t initial;
    key_t *free_keys; /* keys of objects removed by churn, to be reused */
    size_t nfree;
    uint32_t next_key; /* offset from key_base of the next never-used key */
};

static struct pool pools[3];
static const struct options *opts;

static int pool_reserve(struct pool *p, size_t cap)
{
    if (cap <= p->cap) return 0;
    struct obj *v = realloc(p->v, cap * sizeof *v);
    if (!v) return -1;
    p->v = v;
    key_t *k = realloc(p->free_keys, cap * sizeof *k);
    if (!k) return -1;
    p->free_keys = k;
    p->cap = cap;
    return 0;
}

static void pools_free(void)
{
    for (int c = 0; c < 3; c++) {
        free(pools[c].v);
        free(pools[c].free_keys);
        memset(&pools[c], 0, sizeof pools[c]);
    }
}

static int create_object(enum wl_class cls, key_t key)
{
    switch (cls) {
    case WL_SHM: return wl_shm_create(key, opts->shm_size, opts->mode);
    case WL_SEM: return wl_sem_create(key, (int)opts->nsems, opts->mode);
    case WL_MSG: return wl_msg_create(key, opts->mode);
    }
    errno = EINVAL;
    return -1;
}

static void say_create_error(enum wl_class cls, size_t index, size_t total, key_t key)
{
    int err = errno;
    char hint[160] = "";
    if (err == ENOSPC)
        snprintf(hint, sizeof hint, " (limit %s reached; raise it with --unshare --raise-limits)",
                 CLASS_LIMIT[cls]);
    else if (err == EEXIST)
        snprintf(hint, sizeof hint, " (key 0x%08x is already in use)", (unsigned)key);
    else if (err == EINVAL && cls == WL_SHM)
        snprintf(hint, sizeof hint, " (size %zu is outside kernel.shmmin..shmmax)", opts->shm_size);
    else if (err == EINVAL && cls == WL_SEM)
        snprintf(hint, sizeof hint, " (--nsems %ld is above SEMMSL, kernel.sem's 1st field)",
                 opts->nsems);
    ipcload_say("cannot create %s %zu of %zu: %s%s", CLASS_NAME[cls], index + 1, total,
                strerror(err), hint);
}

/* Returns 0, -1 on failure (reported), 1 if interrupted. */
static int create_objects(void)
{
    for (int c = 0; c < 3; c++) {
        struct pool *p = &pools[c];
        size_t n = (size_t)opts->count[c];
        p->cls = (enum wl_class)c;
        p->initial = n;
        p->next_key = (uint32_t)n;
        if (pool_reserve(p, n + 2) < 0) {
            ipcload_say("out of memory");
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (i % 256 == 0 && stopping()) return 1;
            key_t key = opts->key_base ? (key_t)(opts->key_base + (uint32_t)i) : IPC_PRIVATE;
            int id = create_object(p->cls, key);
            if (id < 0) {
                say_create_error(p->cls, i, n, key);
                return -1;
            }
            p->v[p->n++] = (struct obj){.id = id, .key = key};
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* The plan: which process uses which object                                            */
/* ------------------------------------------------------------------------------------ */

/* Semaphores are numbered slot = semnum * nsets + set, so consecutive waiters land on
 * different sets first. Decrementing waiters take slots [0, dec_slots), wait-for-zero
 * waiters the rest. */
static size_t sem_slots(void)
{
    return (size_t)opts->count[WL_SEM] * (size_t)opts->nsems;
}

static size_t dec_slots(void)
{
    if (!opts->sem_waiters) return 0;
    return opts->zero_waiters ? sem_slots() / 2 : sem_slots();
}

static void slot_to_sem(size_t slot, struct obj **set, int *semnum)
{
    size_t nsets = (size_t)opts->count[WL_SEM];
    *set = &pools[WL_SEM].v[slot % nsets];
    *semnum = (int)(slot / nsets);
}

/* Queues [0, recv_queues) are for receivers and stay empty; senders use the rest. */
static size_t recv_queues(void)
{
    if (!opts->receivers) return 0;
    size_t q = (size_t)opts->count[WL_MSG];
    return opts->senders ? q / 2 : q;
}

static int prepare_contents(void)
{
    struct pool *mq = &pools[WL_MSG];
    size_t first = opts->receivers < (long)recv_queues() ? (size_t)opts->receivers : recv_queues();
    for (size_t i = first; opts->fill && i < mq->n; i++) {
        if (i % 256 == 0 && stopping()) return 1;
        if (wl_msg_fill(mq->v[i].id, (int)opts->fill, opts->msg_size, 1) < 0) {
            int err = errno;
            ipcload_say("cannot put %ld message%s of %zu bytes in queue %d: %s%s", opts->fill,
                        opts->fill == 1 ? "" : "s", opts->msg_size, mq->v[i].id, strerror(err),
                        err == EAGAIN   ? " (they exceed the queue's byte limit, kernel.msgmnb)"
                        : err == EINVAL ? " (the size exceeds kernel.msgmax)"
                                        : "");
            return -1;
        }
    }
    size_t zslots = sem_slots() - dec_slots();
    for (size_t i = 0; i < (size_t)opts->zero_waiters && i < zslots; i++) {
        struct obj *set;
        int semnum;
        slot_to_sem(dec_slots() + i, &set, &semnum);
        if (wl_sem_setval(set->id, semnum, 1) < 0) {
            ipcload_say("cannot set semaphore %d of set %d: %s", semnum, set->id, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int say_spawn_error(const char *what, long i, long total, const char *cls, int id)
{
    int err = errno;
    ipcload_say("cannot start %s %ld of %ld on %s %d: %s%s", what, i + 1, total, cls, id,
                strerror(err),
                err == ETIMEDOUT ? " (it did not reach its state within a few seconds)"
                : err == EAGAIN && strcmp(what, "attacher") != 0
                    ? " (its call completed instead of blocking, or fork hit a limit)"
                    : "");
    return -1;
}

/* Returns 0, -1 on failure (reported), 1 if interrupted. */
static int spawn_processes(void)
{
    struct pool *shm = &pools[WL_SHM], *mq = &pools[WL_MSG];
    int attach_flags = opts->touch ? WL_ATTACH_WRITE : 0;
    for (long i = 0; i < opts->attachers; i++) {
        if (stopping()) return 1;
        struct obj *seg = &shm->v[(size_t)i % shm->n];
        if (wl_spawn_attacher(seg->id, attach_flags) < 0)
            return say_spawn_error("attacher", i, opts->attachers, "shm", seg->id);
        seg->pinned = 1;
    }
    for (long i = 0; i < opts->sem_waiters; i++) {
        if (stopping()) return 1;
        struct obj *set;
        int semnum;
        slot_to_sem((size_t)i % dec_slots(), &set, &semnum);
        struct sembuf op = {.sem_num = (unsigned short)semnum, .sem_op = -1};
        if (wl_spawn_sem_waiter(set->id, &op, 1) < 0)
            return say_spawn_error("semaphore waiter", i, opts->sem_waiters, "set", set->id);
        set->pinned = 1;
    }
    size_t zslots = sem_slots() - dec_slots();
    for (long i = 0; i < opts->zero_waiters; i++) {
        if (stopping()) return 1;
        struct obj *set;
        int semnum;
        slot_to_sem(dec_slots() + (size_t)i % zslots, &set, &semnum);
        struct sembuf op = {.sem_num = (unsigned short)semnum, .sem_op = 0};
        if (wl_spawn_sem_waiter(set->id, &op, 1) < 0)
            return say_spawn_error("zero waiter", i, opts->zero_waiters, "set", set->id);
        set->pinned = 1;
    }
    for (long i = 0; i < opts->receivers; i++) {
        if (stopping()) return 1;
        struct obj *q = &mq->v[(size_t)i % recv_queues()];
        if (wl_spawn_msg_receiver(q->id, 0) < 0)
            return say_spawn_error("receiver", i, opts->receivers, "queue", q->id);
        q->pinned = 1;
    }
    size_t first = recv_queues(), nsend = mq->n - first;
    for (long i = 0; i < opts->senders; i++) {
        if (stopping()) return 1;
        struct obj *q = &mq->v[first + (size_t)i % nsend];
        if (!q->pinned && wl_msg_fill_to_limit(q->id, opts->msg_size, 1) < 0) {
            ipcload_say("cannot fill queue %d: %s", q->id, strerror(errno));
            return -1;
        }
        if (wl_spawn_msg_sender(q->id, opts->msg_size) < 0)
            return say_spawn_error("sender", i, opts->senders, "queue", q->id);
        q->pinned = 1;
    }
    /* Pinned objects to the front: churn picks its victims from the rest. */
    for (int c = 0; c < 3; c++) {
        struct pool *p = &pools[c];
        for (size_t i = 0; i < p->n; i++) {
            if (!p->v[i].pinned) continue;
            struct obj t = p->v[p->npinned];
            p->v[p->npinned++] = p->v[i];
            p->v[i] = t;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Churn                                                                                */
/* ------------------------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL; /* fixed: runs are reproducible */

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static int churn_warned;

/* One step for one class: remove a free object when at or above the initial count,
 * otherwise create one, so each class swings between its initial count and one less. */
static void churn_step(struct pool *p)
{
    size_t removable = p->n - p->npinned;
    if (removable > 0 && p->n >= p->initial) {
        size_t i = p->npinned + (size_t)(rng_next() % removable);
        wl_remove(p->cls, p->v[i].id);
        if (opts->key_base) p->free_keys[p->nfree++] = p->v[i].key;
        p->v[i] = p->v[--p->n];
        return;
    }
    if (pool_reserve(p, p->n + 1) < 0) return;
    key_t key = IPC_PRIVATE;
    if (opts->key_base)
        key = p->nfree ? p->free_keys[--p->nfree] : (key_t)(opts->key_base + p->next_key++);
    int id = create_object(p->cls, key);
    if (id < 0) {
        if (!churn_warned++)
            ipcload_say("churn: cannot create a %s: %s; carrying on", CLASS_NAME[p->cls],
                        strerror(errno));
        if (opts->key_base) p->free_keys[p->nfree++] = key;
        return;
    }
    p->v[p->n++] = (struct obj){.id = id, .key = key};
}

struct churn {
    double credit;
    long long last;
    unsigned next_class;
};

static void churn_run(struct churn *ch, long long now)
{
    ch->credit += opts->churn * (double)(now - ch->last) / 1e6;
    ch->last = now;
    if (ch->credit > opts->churn / 2 + 1) ch->credit = opts->churn / 2 + 1; /* no bursts */
    for (; ch->credit >= 1; ch->credit -= 1) churn_step(&pools[ch->next_class++ % 3]);
}

/* ------------------------------------------------------------------------------------ */
/* Main                                                                                 */
/* ------------------------------------------------------------------------------------ */

static void announce_ready(void)
{
    printf("ready shm=%zu sem=%zu msg=%zu pids=%zu\n", wl_object_count(WL_SHM),
           wl_object_count(WL_SEM), wl_object_count(WL_MSG), wl_process_count());
    fflush(stdout);
    if (opts->ready_fd >= 0) {
        ssize_t n;
        do n = write(opts->ready_fd, "ready\n", 6);
        while (n < 0 && errno == EINTR);
    }
}

/* Runs until a signal, the end of --duration or the parent's death. 0, or -1 if the
 * demo failed (reported). */
static int run(struct demo *demo)
{
    long long start = now_us();
    long long end = opts->duration >= 0 ? start + (long long)(opts->duration * 1e6) : LLONG_MAX;
    long long next_tick = start + 1000000;
    long long churn_every = opts->churn > 0 ? (long long)(1e6 / opts->churn) : 200000;
    if (churn_every < 10000) churn_every = 10000; /* batches of ops, 100 wake-ups a second */
    struct churn ch = {.last = start};
    unsigned tick = 0;
    char err[256];

    while (!stopping()) {
        long long now = now_us();
        if (now >= end) break;
        if (opts->churn > 0) churn_run(&ch, now);
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
        if (opts->churn > 0 && now + churn_every < wake) wake = now + churn_every;
        wait_until(wake);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    parse_options(argc, argv, &o);
    opts = &o;

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

    signals_init();
    int status = 0;
    struct demo *demo = NULL;
    int r = create_objects();
    if (r == 0) r = prepare_contents();
    if (r == 0 && o.leak) {
        announce_ready();
        pools_free();
        return 0; /* on purpose: the objects stay */
    }
    if (r == 0) r = spawn_processes();
    if (r == 0 && o.demo) {
        char err[256];
        demo = demo_start(o.mode, err, sizeof err);
        if (!demo || demo_tick(demo, 0, err, sizeof err) < 0) {
            ipcload_say("%s", err);
            r = -1;
        }
    }
    if (r == 0) {
        announce_ready();
        r = run(demo);
    }
    if (r < 0) status = 1;
    if (parent_gone) ipcload_say("parent process exited; cleaning up");

    demo_free(demo);
    wl_cleanup();
    pools_free();
    return status;
}
