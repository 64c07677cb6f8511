/*
 * options — the command line, parsed into a struct (pure: no printing, no exiting).
 *
 * options_parse() reports help, version and errors through its return value and a
 * sentence in the caller's buffer; main decides what to print and which status to exit
 * with (0 for help/version, 2 for a bad option or value).
 */
#ifndef IPCTOP_OPTIONS_H
#define IPCTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect.h"
#include "hexwin.h"

enum run_mode {
    MODE_TUI,    /* the interactive monitor */
    MODE_BATCH,  /* -b: text frames */
    MODE_JSON,   /* --json: one snapshot */
    MODE_LIMITS, /* --limits (with --json: as JSON) */
    MODE_REAP,   /* --reap: remove leaked objects */
    MODE_DUMP,   /* --dump SHMID: a segment's bytes */
    MODE_PEEK,   /* --peek MSQID: a queue's messages */
};

#define OPT_MAX_KEYS 64

struct options {
    enum run_mode mode;
    bool json;        /* --json given (with --limits too) */
    double delay;     /* -d seconds between refreshes */
    bool delay_given; /* -d was on the command line (it overrides the settings file) */
    long iterations;  /* -n; 0 = until interrupted */
    bool bytes;       /* --bytes: sizes in bytes in text output */
    /* batch frames */
    const char *columns; /* -o/--output LIST with -b, as given (catalog names); NULL defaults */
    bool noheadings;     /* --noheadings: no column header lines */
    bool raw_table;      /* --raw with -b: lsipc's raw format */
    enum collect_force force; /* --source */
    /* interactive screens */
    const char *sort; /* -s COLUMN */
    bool no_color;    /* --no-color or NO_COLOR */
    bool no_mouse;    /* -M */
    bool readonly;    /* --readonly */
    bool demo;        /* --demo */
    /* leaks and --reap */
    int64_t older_than;       /* --older-than: seconds an object must be untouched to be a leak */
    bool dry_run;             /* --dry-run: say what --reap would remove */
    bool types[IPC_NCLASSES]; /* --type: which kinds --reap looks at (by their names) */
    bool owner_given;         /* --owner */
    uint32_t owner_uid;
    uint32_t keys[OPT_MAX_KEYS]; /* --key, repeatable */
    size_t nkeys;
    int32_t ids[OPT_MAX_KEYS]; /* --id, repeatable */
    size_t nids;
    bool include_possible; /* --include-possible: --reap removes possibly leaked ones too */
    /* content */
    int dump_id;          /* --dump SHMID */
    int peek_id;          /* --peek MSQID */
    uint64_t dump_offset; /* --offset */
    uint64_t dump_length; /* --length */
    bool dump_length_given;
    bool raw;                         /* --raw with --dump: bytes, not a hexdump */
    const char *find_text;            /* --find PATTERN as typed, or NULL */
    uint8_t find[HEXWIN_PATTERN_MAX]; /* its bytes (hexdump_parse_pattern) */
    size_t find_len;
    const char *output; /* -o/--output FILE with --dump, or NULL: stdout */
};

enum options_result {
    OPT_RUN = 0,
    OPT_HELP = 1,
    OPT_VERSION = 2,
    OPT_ERROR = -1,
};

/* Fills *o from argv (and NO_COLOR from the environment). On OPT_ERROR, err holds one
 * sentence naming the option and what is wrong with it. */
enum options_result options_parse(int argc, char **argv, struct options *o, char *err,
                                  size_t errlen);

/* Whether the mode refreshes again and again (the monitor, -b without -n 1): such a mode
 * is judged by its CPU per refresh, a single frame by how soon it is done. */
bool options_repeats(const struct options *o);

/* The text of --help. */
const char *options_usage(void);

/* Parses a number of seconds with an optional fraction ("2", "0.5"); false if not one. */
bool parse_seconds(const char *s, double *out);

#endif
