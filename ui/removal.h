/*
 * removal — F9/Del in the lists: the objects to remove (the tagged ones of every list, or
 * the selected one), each shown in the confirmation dialog with its verdict and why, then
 * removed by actions_remove(), which judges every one again and re-reads it right before
 * removing it (actions.h); each outcome is one line.
 *
 * An object that is not certainly leaked (in use, or only possibly leaked) asks a second,
 * explicit confirmation that names why; at that step the person may also remove only the
 * certainly leaked ones.
 */
#ifndef IPCTOP_UI_REMOVAL_H
#define IPCTOP_UI_REMOVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"

struct app;

/* One line of the dialog. */
struct removal_entry {
    char text[200];      /* "shm 32769  key 0x1234abcd  owner postgres  64K" */
    enum leak_kind kind; /* as judged when the dialog opened */
    char why[400];       /* the verdict in words */
};

enum removal_stage {
    RM_CONFIRM,      /* "remove these?" */
    RM_CONFIRM_MORE, /* "some are not certainly leaked: remove them anyway?" */
    RM_DONE,         /* the outcomes */
};

struct removal {
    struct removal_batch batch;
    struct removal_entry *entries; /* one per batch item */
    size_t n;
    size_t doubtful; /* in use or only possibly leaked */
    enum removal_stage stage;
};

/* Collects the tagged objects of every list, or else the selected one. false (with a message
 * in the app's status line) when there is nothing to remove. */
bool removal_prepare(struct removal *rm, struct app *a);

/* Removes the objects (all of them, or only the certainly leaked ones); a failure does not
 * stop the others. Returns how many were removed. */
size_t removal_execute(struct removal *rm, struct app *a, bool only_leaked);

void removal_free(struct removal *rm);

#endif
