/*
 * output — the non-interactive views: batch text frames, JSON, limits. They read the
 * snapshot and its diff; none of them collects or compares anything itself.
 */
#ifndef IPCTOP_OUTPUT_H
#define IPCTOP_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

struct column_list;

struct output_options {
    bool bytes;      /* exact byte counts instead of K/M/G */
    double delay;    /* the refresh interval, shown in the header */
    int64_t min_age; /* seconds untouched before an object can be a leak */
    /* batch frames: the columns (-o; NULL the defaults) and enum table_flags (--raw,
     * --noheadings) */
    const struct column_list *columns;
    unsigned table_flags;
};

/* One text frame: header, limits use, one table per kind with the catalog's columns
 * (columns.h); from the second frame on, STATE and CHANGED say what the diff found, and
 * an object gone since the previous frame is listed once more. Returns 0, or -1 when
 * writing failed or memory ran out (then f's error flag tells which). */
int output_batch_frame(FILE *f, const struct model *m, struct users *u,
                       const struct output_options *o);

/* One snapshot as JSON (docs/json-schema.md), with who uses what and the verdicts. */
int output_json(FILE *f, const struct model *m, struct users *u, const struct output_options *o);

/*
 * The end of every mode that writes to stdout (JSON, batch, limits, reap, dump, peek, help,
 * version), and of a file out_open_file opened: flushes and closes f (a file synced first)
 * and checks that every write to it succeeded. On failure
 * says so in one sentence on stderr ("ipctop: cannot write the output: No space left on
 * device") and returns 1; otherwise returns status. A closed pipe is such a failure too
 * when SIGPIPE is ignored; with SIGPIPE at its default (as shells leave it) the process
 * ends by SIGPIPE at the first write, silently, as cat does.
 */
int out_finish(FILE *f, int status);

/* Makes stdout a stream that remembers why its first write failed (for out_finish). */
void out_stdout_init(void);

/* The same over fd, a file being written (savefile.h): out_finish names it `name` in its
 * sentence ("ipctop: cannot write out.txt: No space left on device") and syncs it to the
 * disk before closing it. NULL when one is open already or stdio has no memory. */
FILE *out_open_file(int fd, const char *name);

/* Whether stdout is open; when it is not, says so as out_finish does (a mode must not
 * run: a file it opens would get descriptor 1 and its output). */
bool out_stdout_open(void);

/* Every kernel limit of the model's snapshot with its use: a table, or JSON. */
int output_limits(FILE *f, const struct model *m, bool json, const struct output_options *o);

#endif
