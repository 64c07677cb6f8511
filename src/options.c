#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_DELAY 0.05
#define MAX_DELAY 86400.0

const char *options_usage(void)
{
    return "Usage: ipctop [options]\n"
           "\n"
           "A top-like monitor of System V IPC objects: shared memory segments, semaphore\n"
           "sets and message queues of the current IPC namespace.\n"
           "\n"
           "Output:\n"
           "  (none)                 the interactive monitor\n"
           "  -b, --batch            print text frames instead (for logs and pipes)\n"
           "  -j, --json             print one snapshot as JSON and exit\n"
           "  -l, --limits           print the kernel limits and their use (with --json: JSON)\n"
           "\n"
           "Refresh:\n"
           "  -d, --delay SECONDS    time between refreshes, fractions allowed (default 1)\n"
           "  -n, --iterations N     stop after N refreshes (default: until interrupted)\n"
           "\n"
           "Display:\n"
           "      --bytes            print sizes in bytes, not K/M/G\n"
           "  -s, --sort COLUMN      sort the lists by COLUMN at start (interactive)\n"
           "      --no-color         no colours (also when NO_COLOR is set)\n"
           "  -M, --no-mouse         do not use the mouse (interactive)\n"
           "      --readonly         disable every action that changes anything\n"
           "      --demo             watch a generated workload in a private IPC namespace\n"
           "\n"
           "Other:\n"
           "      --source PATH      read objects only through PATH: auto, stat_any, stat or\n"
           "                         procfs (default auto: the fastest that works)\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "See ipctop(1).\n";
}

bool parse_seconds(const char *s, double *out)
{
    if (!s || !*s) return false;
    /* digits with at most one '.', no sign, no exponent, no hex, no inf/nan */
    int dots = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') dots++;
        else if (*p >= '0' && *p <= '9') digits++;
        else return false;
    }
    if (dots > 1 || digits == 0) return false;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool parse_count(const char *s, long *out)
{
    if (!s || !*s) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

enum { OPT_BYTES = 1000, OPT_NO_COLOR, OPT_READONLY, OPT_DEMO, OPT_SOURCE };

enum options_result options_parse(int argc, char **argv, struct options *o, char *err,
                                  size_t errlen)
{
    static const struct option longopts[] = {
        {"batch", no_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"limits", no_argument, NULL, 'l'},
        {"delay", required_argument, NULL, 'd'},
        {"iterations", required_argument, NULL, 'n'},
        {"bytes", no_argument, NULL, OPT_BYTES},
        {"sort", required_argument, NULL, 's'},
        {"no-color", no_argument, NULL, OPT_NO_COLOR},
        {"no-colour", no_argument, NULL, OPT_NO_COLOR},
        {"no-mouse", no_argument, NULL, 'M'},
        {"readonly", no_argument, NULL, OPT_READONLY},
        {"demo", no_argument, NULL, OPT_DEMO},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->delay = 1.0;
    const char *nc = getenv("NO_COLOR");
    o->no_color = nc && *nc;
    bool batch = false, limits = false;
    err[0] = '\0';

    optind = 0; /* glibc: reset fully, so the parser can run more than once */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":bjld:n:s:MhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': batch = true; break;
        case 'j': o->json = true; break;
        case 'l': limits = true; break;
        case 'd':
            if (!parse_seconds(optarg, &o->delay) || o->delay < MIN_DELAY ||
                o->delay > MAX_DELAY) {
                snprintf(err, errlen,
                         "-d needs a number of seconds between %.2g and %.0f, like 2 or 0.5, "
                         "not '%s'",
                         MIN_DELAY, MAX_DELAY, optarg);
                return OPT_ERROR;
            }
            o->delay_given = true;
            break;
        case 'n':
            if (!parse_count(optarg, &o->iterations) || o->iterations < 1) {
                snprintf(err, errlen, "-n needs a whole number of refreshes of 1 or more, not '%s'",
                         optarg);
                return OPT_ERROR;
            }
            break;
        case OPT_BYTES: o->bytes = true; break;
        case 's': o->sort = optarg; break;
        case OPT_NO_COLOR: o->no_color = true; break;
        case 'M': o->no_mouse = true; break;
        case OPT_READONLY: o->readonly = true; break;
        case OPT_DEMO: o->demo = true; break;
        case OPT_SOURCE:
            if (collect_force_parse(optarg, &o->force) < 0) {
                snprintf(err, errlen,
                         "--source must be one of auto, stat_any, stat or procfs, not '%s'", optarg);
                return OPT_ERROR;
            }
            break;
        case 'h': return OPT_HELP;
        case 'V': return OPT_VERSION;
        case ':':
            if (optopt) snprintf(err, errlen, "option -%c needs a value", optopt);
            else snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
            return OPT_ERROR;
        default:
            if (optopt) snprintf(err, errlen, "unknown option -%c (see ipctop --help)", optopt);
            else snprintf(err, errlen, "unknown option %s (see ipctop --help)", argv[optind - 1]);
            return OPT_ERROR;
        }
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (see ipctop --help)", argv[optind]);
        return OPT_ERROR;
    }
    if ((batch && o->json && !limits) || (batch && limits)) {
        snprintf(err, errlen, "%s", batch && limits ? "-b and --limits cannot be combined"
                                                     : "-b and --json cannot be combined");
        return OPT_ERROR;
    }
    if (o->demo && (batch || o->json || limits)) {
        snprintf(err, errlen, "--demo opens the interactive monitor; it cannot be combined "
                              "with -b, --json or --limits");
        return OPT_ERROR;
    }
    o->mode = limits ? MODE_LIMITS : o->json ? MODE_JSON : batch ? MODE_BATCH : MODE_TUI;
    return OPT_RUN;
}
