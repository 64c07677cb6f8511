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

struct output_options {
    bool bytes;      /* exact byte counts instead of K/M/G */
    double delay;    /* the refresh interval, shown in the header */
    int64_t min_age; /* seconds untouched before an object can be a leak */
};

/* One text frame: header, limits use, one table per class; marks what d says changed.
 * Returns 0, or -1 when writing failed. */
int output_batch_frame(FILE *f, const struct model *m, struct users *u,
                       const struct output_options *o);

/* One snapshot as JSON (docs/json-schema.md), with who uses what and the verdicts. */
int output_json(FILE *f, const struct model *m, struct users *u, const struct output_options *o);

/* "1234(postgres)", "1234(dead)", "1234(reused)" or "0": a pid with what ipctop knows of it. */
char *fmt_pid_command(char *buf, size_t len, const struct snapshot *s, int32_t pid,
                      enum liveness l);

/*
 * The end of every mode that writes to stdout (JSON, batch, limits, reap, dump, peek, help,
 * version): flushes and closes f and checks that every write to it succeeded. On failure
 * says so in one sentence on stderr ("ipctop: cannot write the output: No space left on
 * device") and returns 1; otherwise returns status. A closed pipe is such a failure too
 * when SIGPIPE is ignored; with SIGPIPE at its default (as shells leave it) the process
 * ends by SIGPIPE at the first write, silently, as cat does.
 */
int out_finish(FILE *f, int status);

/* Makes stdout a stream that remembers why its first write failed (for out_finish). */
void out_stdout_init(void);

/* Whether stdout is open; when it is not, says so as out_finish does (a mode must not
 * run: a file it opens would get descriptor 1 and its output). */
bool out_stdout_open(void);

/* Every kernel limit with its use: a table, or JSON. */
int output_limits(FILE *f, const struct snapshot *s, bool json, const struct output_options *o);

/* What the limits are used by, summed over a snapshot (shared by header and --limits). */
struct ipc_usage {
    uint64_t segments, shm_pages, shm_bytes, shm_rss, shm_swap;
    uint64_t sem_sets, semaphores;
    uint64_t queues, messages, msg_bytes;
};
void ipc_usage_of(const struct snapshot *s, struct ipc_usage *u);

#endif
