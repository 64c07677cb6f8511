/*
 * refresher — the engine's refresh cycle in a background thread, so that an interactive
 * view never waits for the kernel: keys are answered at once even when a refresh of
 * 96,000 objects takes a tenth of a second.
 *
 * Owns the thread, the pipeline it runs and three snapshots. A view (struct refresh_view) is a
 * snapshot, the one before it and the diff between them; the consumer holds one view at a time and
 * it stays valid until the consumer takes the next. The thread refreshes every `delay` seconds,
 * into the snapshot no view needs; when none is free (the consumer has not taken the last view yet)
 * it waits, so a slow consumer never makes it pile up work.
 *
 * A pipe tells the consumer that a view is ready: poll refresher_fd() with the terminal.
 */
#ifndef IPCTOP_REFRESHER_H
#define IPCTOP_REFRESHER_H

#include <stdbool.h>

#include "pipeline.h"

struct refresh_view {
    long seq;                    /* 1, 2, ... per successful refresh */
    const struct snapshot *cur;  /* the objects now */
    const struct snapshot *prev; /* the refresh before (gone objects point into it); NULL first */
    struct model model;          /* everything computed of cur: diff, who, verdicts */
    double took;                 /* seconds the refresh took */
};

struct refresher;

/*
 * Starts the thread; the first refresh begins at once. Returns NULL with a sentence in
 * err when the thread or memory cannot be had.
 */
struct refresher *refresher_start(const struct collect_options *co, const struct model_params *mp,
                                  double delay, char *err, size_t errlen);

/* Stops the thread and frees everything, including the view last taken. */
void refresher_stop(struct refresher *r);

/* A descriptor that becomes readable when a view (or an error) is ready. */
int refresher_fd(const struct refresher *r);

/*
 * Takes the newest completed view, if there is one newer than the last taken: returns
 * true and sets *view. The view taken before is released. On a collection error returns
 * false and copies the sentence into err (empty when there is simply nothing new).
 */
bool refresher_take(struct refresher *r, const struct refresh_view **view, char *err,
                    size_t errlen);

/* Changes the interval; the next refresh is due `delay` after the last one began. */
void refresher_set_delay(struct refresher *r, double delay);
/* While paused, no refresh begins. */
void refresher_pause(struct refresher *r, bool paused);
/* Starts the next refresh now (a key asked for it). */
void refresher_poke(struct refresher *r);
/* The fields the screens want from now on, per kind (collect.h: collector_want; every
 * field until told otherwise). Fields a kind has only at a cost are read only when wanted;
 * the view says which it did not read (snapshot.h: unasked). */
void refresher_want(struct refresher *r, const uint64_t want[IPC_NCLASSES]);

#endif
