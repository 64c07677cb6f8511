#include "options.h"

#include "columns.h"
#include "format.h"
#include "kind.h"
#include "leak.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pwd.h>
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
           "  -o, --output LIST      with -b: the columns of the tables, names separated by\n"
           "                         commas (ipctop(1), OUTPUT), +LIST to add to the defaults;\n"
           "                         with --dump: -o FILE writes into FILE, a new file\n"
           "      --noheadings       with -b: no column header lines\n"
           "      --raw              with -b: lsipc's raw format (one space between cells,\n"
           "                         blanks and other bytes escaped as \\xHH); with --dump:\n"
           "                         the bytes themselves\n"
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
           "Leaks:\n"
           "      --reap             remove objects that are certainly leaked (nothing uses them,\n"
           "                         their processes and their owner's are gone), judging each\n"
           "                         again right before removing it\n"
           "      --include-possible with --reap: also remove the possibly leaked ones\n"
           "      --dry-run          with --reap: only say what would be removed\n"
           "      --older-than TIME  untouched for at least TIME to count as leaked: 30s, 10m,\n"
           "                         2h, 1d (default 10m)\n"
           "      --type LIST        with --reap: shm, sem, msg, comma-separated (default all)\n"
           "      --owner USER       with --reap: only objects of USER (name or uid)\n"
           "      --key KEY          with --reap: only the object with KEY (0x hex or decimal);\n"
           "                         may be given several times\n"
           "      --id ID            with --reap: only the object with ID (an IPC_PRIVATE\n"
           "                         object has key 0); may be given several times\n"
           "\n"
           "Content:\n"
           "      --dump SHMID       a segment's bytes as a hexdump (--raw: as they are; -o FILE:\n"
           "                         into a new file), read without side effects when a process\n"
           "                         has it mapped\n"
           "      --offset N         with --dump: start at byte N (decimal or 0x hex, K/M/G)\n"
           "      --length N         with --dump: N bytes (default: to the end; K/M/G)\n"
           "      --find PATTERN     with --dump: begin at the first match at or after --offset;\n"
           "                         PATTERN is text, or bytes as 0x4142 or \"de ad be ef\"\n"
           "      --peek MSQID       a queue's messages, copied, not removed (with --json: JSON)\n"
           "\n"
           "Other:\n"
           "      --source PATH      read objects only through PATH: auto, stat_any, stat or\n"
           "                         procfs (default auto: the fastest that works)\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"
           "\n"
           "See ipctop(1).\n";
}

bool options_repeats(const struct options *o)
{
    return o->mode == MODE_TUI || (o->mode == MODE_BATCH && o->iterations != 1);
}

bool parse_seconds(const char *s, double *out)
{
    if (!s || !*s) return false;
    /* digits with at most one '.', no sign, no exponent, no hex, no inf/nan */
    int dots = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            dots++;
        else if (*p >= '0' && *p <= '9')
            digits++;
        else
            return false;
    }
    if (dots > 1 || digits == 0) return false;
    errno = 0;
    char *end;
    double v = strtod_c(s, &end); /* "0.5" in every locale */
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

enum {
    OPT_BYTES = 1000,
    OPT_NO_COLOR,
    OPT_READONLY,
    OPT_DEMO,
    OPT_SOURCE,
    OPT_REAP,
    OPT_DRY_RUN,
    OPT_OLDER_THAN,
    OPT_TYPE,
    OPT_OWNER,
    OPT_KEY,
    OPT_ID,
    OPT_INCLUDE_POSSIBLE,
    OPT_DUMP,
    OPT_PEEK,
    OPT_OFFSET,
    OPT_LENGTH,
    OPT_RAW,
    OPT_NOHEADINGS,
    OPT_FIND,
};

/* A number of bytes or an id: decimal or 0x hex, nothing else. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || end == s) return false;
    if (s[0] == '0' && s[1] && s[1] != 'x' && s[1] != 'X') return false; /* no octal surprises */
    *out = v;
    return true;
}

/* Kind names ("shm,sem,msg": any subset, any order) into types[]; false on anything else. */
static bool parse_types(const char *s, bool types[IPC_NCLASSES])
{
    char buf[64];
    if (strlen(s) >= sizeof buf) return false;
    strcpy(buf, s);
    memset(types, 0, IPC_NCLASSES * sizeof *types);
    int n = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = kind_by_name(t);
        if (k < 0) return false;
        types[k] = true;
        n++;
    }
    return n > 0;
}

/* A key as ipctop prints it (0x hex) or as /proc does (signed decimal). */
static bool parse_key(const char *s, uint32_t *key)
{
    errno = 0;
    char *end;
    long long v;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        /* hex digits only: strtoll would take a sign after 0x */
        if (!s[2] || s[2] == '-' || s[2] == '+' || s[2] == ' ') return false;
        v = strtoll(s + 2, &end, 16);
    } else {
        v = strtoll(s, &end, 10);
    }
    if (errno || *end || end == s || v < INT32_MIN || v > (long long)UINT32_MAX) return false;
    *key = (uint32_t)v;
    return true;
}

static bool parse_owner(const char *s, uint32_t *uid)
{
    struct passwd pw, *r = NULL;
    char buf[4096];
    if (getpwnam_r(s, &pw, buf, sizeof buf, &r) == 0 && r) {
        *uid = r->pw_uid;
        return true;
    }
    long v;
    if (!parse_count(s, &v) || v > (long)UINT32_MAX) return false;
    *uid = (uint32_t)v;
    return true;
}

/*
 * One sentence for a getopt error, naming the option as it was typed. For a long option
 * glibc's optopt is the option's internal value, not a character, so the word typed is
 * looked at instead.
 */
static void option_error(bool missing, const char *typed, int opt, const struct option *longopts,
                         char *err, size_t errlen)
{
    char name[64];
    if (typed && strncmp(typed, "--", 2) == 0) {
        size_t len = strcspn(typed + 2, "=");
        /* as typed, but never a raw control byte */
        memcpy(name, "--", 2);
        sanitize_text(name + 2, sizeof name - 2, typed + 2, len);
        bool with_value = typed[2 + len] == '=';
        /* an exact or abbreviated long option, used wrongly */
        const struct option *hit = NULL;
        for (const struct option *lo = longopts; lo->name; lo++)
            if (strncmp(lo->name, typed + 2, len) == 0 && (!hit || strlen(lo->name) == len))
                hit = lo;
        if (hit && missing)
            snprintf(err, errlen, "option --%s needs a value", hit->name);
        else if (hit && with_value && hit->has_arg == no_argument)
            snprintf(err, errlen, "option --%s takes no value", hit->name);
        else
            snprintf(err, errlen, "unknown option %s (see ipctop --help)", name);
        return;
    }
    if (opt > ' ' && opt < 0x7f) {
        if (missing)
            snprintf(err, errlen, "option -%c needs a value", opt);
        else
            snprintf(err, errlen, "unknown option -%c (see ipctop --help)", opt);
        return;
    }
    char safe[64];
    sanitize_text(safe, sizeof safe, typed ? typed : "?", typed ? strlen(typed) : 1);
    snprintf(err, errlen, "unknown option %s (see ipctop --help)", safe);
}

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
        {"reap", no_argument, NULL, OPT_REAP},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"older-than", required_argument, NULL, OPT_OLDER_THAN},
        {"type", required_argument, NULL, OPT_TYPE},
        {"owner", required_argument, NULL, OPT_OWNER},
        {"key", required_argument, NULL, OPT_KEY},
        {"id", required_argument, NULL, OPT_ID},
        {"include-possible", no_argument, NULL, OPT_INCLUDE_POSSIBLE},
        {"dump", required_argument, NULL, OPT_DUMP},
        {"peek", required_argument, NULL, OPT_PEEK},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"length", required_argument, NULL, OPT_LENGTH},
        {"raw", no_argument, NULL, OPT_RAW},
        {"find", required_argument, NULL, OPT_FIND},
        {"output", required_argument, NULL, 'o'},
        {"noheadings", no_argument, NULL, OPT_NOHEADINGS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    /* an argument repeated in a message: never a raw control byte onto the terminal */
    char shown[160];
#define SHOW(arg) sanitize_text(shown, sizeof shown, (arg), strlen(arg))
    memset(o, 0, sizeof *o);
    o->delay = 1.0;
    const char *nc = getenv("NO_COLOR");
    o->no_color = nc && *nc;
    bool batch = false, limits = false, reap = false, reap_only = false;
    bool dump = false, peek = false, dump_only = false, raw = false;
    const char *batch_opt = NULL;  /* an option only batch frames take */
    const char *output = NULL;     /* -o/--output: COLUMNS with -b, FILE with --dump */
    const char *output_opt = "-o"; /* as typed */
    const char *reap_opt = NULL, *dump_opt = NULL;
    o->older_than = LEAK_DEFAULT_MIN_AGE;
    for (int k = 0; k < IPC_NCLASSES; k++) o->types[k] = true;
    err[0] = '\0';

    optind = 0; /* glibc: reset fully, so the parser can run more than once */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":bjld:n:s:o:MhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': batch = true; break;
        case 'j': o->json = true; break;
        case 'l': limits = true; break;
        case 'd':
            if (!parse_seconds(optarg, &o->delay) || o->delay < MIN_DELAY || o->delay > MAX_DELAY) {
                snprintf(err, errlen,
                         "-d needs a number of seconds between %.2g and %.0f, like 2 or 0.5, "
                         "not '%s'",
                         MIN_DELAY, MAX_DELAY, SHOW(optarg));
                return OPT_ERROR;
            }
            o->delay_given = true;
            break;
        case 'n':
            if (!parse_count(optarg, &o->iterations) || o->iterations < 1) {
                snprintf(err, errlen, "-n needs a whole number of refreshes of 1 or more, not '%s'",
                         SHOW(optarg));
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
                         "--source must be one of auto, stat_any, stat or procfs, not '%s'",
                         SHOW(optarg));
                return OPT_ERROR;
            }
            break;
        case OPT_REAP: reap = true; break;
        case OPT_DRY_RUN: reap_only = true, reap_opt = "--dry-run", o->dry_run = true; break;
        case OPT_OLDER_THAN:
            if (!leak_parse_duration(optarg, &o->older_than)) {
                snprintf(err, errlen,
                         "--older-than needs a duration like 30s, 10m, 2h or 1d, not '%s'",
                         SHOW(optarg));
                return OPT_ERROR;
            }
            break;
        case OPT_TYPE:
            reap_only = true, reap_opt = "--type";
            if (!parse_types(optarg, o->types)) {
                snprintf(err, errlen, "--type takes shm, sem and msg separated by commas, not '%s'",
                         SHOW(optarg));
                return OPT_ERROR;
            }
            break;
        case OPT_OWNER:
            reap_only = true, reap_opt = "--owner";
            if (!parse_owner(optarg, &o->owner_uid)) {
                snprintf(err, errlen, "--owner: no user is named '%s'", SHOW(optarg));
                return OPT_ERROR;
            }
            o->owner_given = true;
            break;
        case OPT_KEY:
            reap_only = true, reap_opt = "--key";
            if (o->nkeys == OPT_MAX_KEYS) {
                snprintf(err, errlen, "--key may be given at most %d times", OPT_MAX_KEYS);
                return OPT_ERROR;
            }
            if (!parse_key(optarg, &o->keys[o->nkeys])) {
                snprintf(err, errlen,
                         "--key needs a key like 0x1234abcd or a decimal number, not '%s'",
                         SHOW(optarg));
                return OPT_ERROR;
            }
            o->nkeys++;
            break;
        case OPT_ID: {
            reap_only = true, reap_opt = "--id";
            uint64_t id;
            if (o->nids == OPT_MAX_KEYS) {
                snprintf(err, errlen, "--id may be given at most %d times", OPT_MAX_KEYS);
                return OPT_ERROR;
            }
            if (!parse_u64(optarg, &id) || id > INT32_MAX) {
                char safe[64];
                sanitize_text(safe, sizeof safe, optarg, strlen(optarg));
                snprintf(err, errlen, "--id needs an id (a number like 32769), not '%s'", safe);
                return OPT_ERROR;
            }
            o->ids[o->nids++] = (int32_t)id;
            break;
        }
        case OPT_INCLUDE_POSSIBLE:
            reap_only = true, reap_opt = "--include-possible";
            o->include_possible = true;
            break;
        case OPT_DUMP:
        case OPT_PEEK: {
            uint64_t id;
            if (!parse_u64(optarg, &id) || id > INT32_MAX) {
                snprintf(err, errlen, "%s needs an id (a number like 32769), not '%s'",
                         c == OPT_DUMP ? "--dump" : "--peek", SHOW(optarg));
                return OPT_ERROR;
            }
            if (c == OPT_DUMP)
                dump = true, o->dump_id = (int)id;
            else
                peek = true, o->peek_id = (int)id;
            break;
        }
        case OPT_OFFSET:
        case OPT_LENGTH:
            dump_only = true, dump_opt = c == OPT_OFFSET ? "--offset" : "--length";
            if (!parse_bytes(optarg, c == OPT_OFFSET ? &o->dump_offset : &o->dump_length)) {
                snprintf(err, errlen,
                         "%s needs a number of bytes (decimal or 0x hex, with K, M or G), not '%s'",
                         dump_opt, SHOW(optarg));
                return OPT_ERROR;
            }
            if (c == OPT_LENGTH) o->dump_length_given = true;
            break;
        case OPT_RAW: raw = true; break;
        case 'o': {
            /* column names with -b, a file with --dump: checked once the mode is known */
            const char *typed =
                optind >= 2 && argv[optind - 1] == optarg ? argv[optind - 2] : argv[optind - 1];
            output_opt = strncmp(typed, "--", 2) == 0 ? "--output" : "-o";
            output = optarg;
            if (!*optarg) {
                char names[1024];
                column_names(names, sizeof names);
                snprintf(err, errlen,
                         "%s needs column names (with -b) or a file name (with --dump); "
                         "columns are %s",
                         output_opt, names);
                return OPT_ERROR;
            }
            break;
        }
        case OPT_NOHEADINGS: o->noheadings = true, batch_opt = "--noheadings"; break;
        case OPT_FIND: {
            dump_only = true, dump_opt = "--find";
            enum hex_pattern hp =
                hexdump_parse_pattern(optarg, o->find, sizeof o->find, &o->find_len);
            if (hp == HP_EMPTY) {
                snprintf(err, errlen,
                         "--find needs something to look for: text, or hex bytes like 0x4142 "
                         "or \"de ad be ef\"");
                return OPT_ERROR;
            }
            if (hp == HP_BAD_HEX) {
                snprintf(err, errlen,
                         "--find: '%s' is not hex bytes (pairs of digits, like 0x4142 or "
                         "\"de ad be ef\"); text that looks like hex goes in double quotes",
                         SHOW(optarg));
                return OPT_ERROR;
            }
            if (hp == HP_TOO_LONG) {
                snprintf(err, errlen, "--find looks for at most %d bytes; this pattern has more",
                         HEXWIN_PATTERN_MAX);
                return OPT_ERROR;
            }
            o->find_text = optarg;
            break;
        }
        case 'h': return OPT_HELP;
        case 'V': return OPT_VERSION;
        case ':':
        default:
            option_error(c == ':', argv[optind - 1], optopt, longopts, err, errlen);
            return OPT_ERROR;
        }
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (see ipctop --help)", SHOW(argv[optind]));
        return OPT_ERROR;
    }
    /* --raw: lsipc's raw table with -b, the bytes themselves with --dump */
    if (raw && !batch && !dump) {
        snprintf(err, errlen, "--raw only makes sense with -b or --dump");
        return OPT_ERROR;
    }
    o->raw_table = raw && batch;
    o->raw = raw && dump;
    if (output && batch && !dump && !peek) {
        struct column_list l;
        if (column_list_parse(output, &l, output_opt, err, errlen) < 0) return OPT_ERROR;
        o->columns = output;
    } else if (output && dump) {
        o->output = output;
    } else if (output) {
        snprintf(err, errlen,
                 "%s only makes sense with -b (the columns) or --dump (the file to write)",
                 output_opt);
        return OPT_ERROR;
    }
    if (batch_opt && !batch) {
        snprintf(err, errlen, "%s only makes sense with -b", batch_opt);
        return OPT_ERROR;
    }
    if (dump_only && !dump) {
        snprintf(err, errlen, "%s only makes sense with --dump", dump_opt);
        return OPT_ERROR;
    }
    if ((dump || peek) && (reap || batch || limits || o->demo || (dump && peek))) {
        snprintf(err, errlen,
                 "--dump and --peek are modes of their own: they cannot be combined "
                 "with each other, --reap, -b, --limits or --demo");
        return OPT_ERROR;
    }
    if (dump && o->json) {
        snprintf(err, errlen, "--dump prints a hexdump or raw bytes, not JSON");
        return OPT_ERROR;
    }
    if (reap_only && !reap) {
        snprintf(err, errlen, "%s only makes sense with --reap", reap_opt);
        return OPT_ERROR;
    }
    if (reap && (batch || limits || o->demo)) {
        snprintf(err, errlen, "--reap cannot be combined with -b, --limits or --demo");
        return OPT_ERROR;
    }
    if ((batch && o->json && !limits) || (batch && limits)) {
        snprintf(err, errlen, "%s",
                 batch && limits ? "-b and --limits cannot be combined"
                                 : "-b and --json cannot be combined");
        return OPT_ERROR;
    }
    if (o->demo && (batch || o->json || limits)) {
        snprintf(err, errlen,
                 "--demo opens the interactive monitor; it cannot be combined "
                 "with -b, --json or --limits");
        return OPT_ERROR;
    }
    o->mode = dump      ? MODE_DUMP
              : peek    ? MODE_PEEK
              : reap    ? MODE_REAP
              : limits  ? MODE_LIMITS
              : o->json ? MODE_JSON
              : batch   ? MODE_BATCH
                        : MODE_TUI;
    return OPT_RUN;
#undef SHOW
}
