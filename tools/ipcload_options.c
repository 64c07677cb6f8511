/*
 * ipcload_options.c — see ipcload_options.h.
 */
#include "ipcload_options.h"
#include "ipcload_say.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_COUNT 1000000 /* far above any kernel limit: only catches typos */

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

static void check_options(const struct ipcload_options *o)
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

void ipcload_options_parse(int argc, char **argv, struct ipcload_options *o)
{
    *o = (struct ipcload_options){.shm_size = 64 * 1024,
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
