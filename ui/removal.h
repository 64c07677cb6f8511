/*
 * removal — F9/Del in the lists: the objects to remove (the tagged ones of every list, or
 * the selected one), each described for the confirmation dialog with what still uses it,
 * then removed one by one with compare-and-remove (actions.h), each outcome in one line.
 */
#ifndef IPCTOP_UI_REMOVAL_H
#define IPCTOP_UI_REMOVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"

struct app;

struct removal_item {
    struct ipc_identity id;
    char owner[64];
    char text[200]; /* "shm 32769  key 0x1234abcd  owner postgres  64K" */
    char use[256];  /* what uses it: "attached by 1234 postgres, 5678 psql"; "" if nothing */
    bool in_use;
    enum action_status status;
    char outcome[256]; /* after removal: one sentence */
};

struct removal {
    struct removal_item *items;
    size_t n;
    size_t in_use; /* how many are in use */
    bool executed;
};

/* Collects the tagged objects of every list, or else the selected one. false (with a message
 * in the app's status line) when there is nothing to remove. */
bool removal_prepare(struct removal *rm, struct app *a);
/* Removes each (compare-and-remove); a failure does not stop the others. */
void removal_execute(struct removal *rm);
void removal_free(struct removal *rm);

#endif
