/*
 * peek — the messages of a queue in its detail pane ('x'): each message's type, size and a
 * hexdump of its start, copied with MSG_COPY and left in the queue (content.h). Re-read on
 * every refresh while shown.
 */
#ifndef IPCTOP_UI_PEEK_H
#define IPCTOP_UI_PEEK_H

#include <stdbool.h>
#include <stddef.h>

#include "content.h"

struct detail;

struct peek {
    bool on;
    int msqid;
    struct queue_message *m;
    size_t n;
    char err[256]; /* why the messages cannot be shown, or "" */
};

/* Shows (or stops showing) the messages of queue msqid; reads them at once. */
void peek_toggle(struct peek *p, int msqid);
/* Reads them again (a refresh). */
void peek_refresh(struct peek *p);
void peek_free(struct peek *p);
/* Appends the lines of the messages section to a detail pane. */
void peek_lines(const struct peek *p, struct detail *d);

#endif
