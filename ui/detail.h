/*
 * detail — the text of the detail pane for one object (pure; the drawing is in draw.c).
 *
 * Every field of the record, times both relative ("3m12s ago") and absolute, for a
 * semaphore set the table of its elements, for a queue its depth, fill and rates. Lines
 * carry a role so the drawing can colour titles and changed values.
 */
#ifndef IPCTOP_UI_DETAIL_H
#define IPCTOP_UI_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "columns.h"

enum detail_role {
    DL_TEXT,    /* "label  value" */
    DL_TITLE,   /* a section heading */
    DL_CHANGED, /* a value that changed in the last refresh */
    DL_TABLE_HEAD,
    DL_NOTE, /* a remark in a quieter colour */
    DL_PROC, /* a process: it can be selected (and signalled) */
};

struct detail_line {
    enum detail_role role;
    char text[256];
    int32_t pid;         /* DL_PROC: the process */
    uint64_t start_tics; /* DL_PROC: its start, so a signal reaches only that process */
};

struct detail {
    struct detail_line *lines;
    size_t n, cap;
};

/* Appends an empty line of a role; NULL when out of memory. */
struct detail_line *detail_add(struct detail *d, enum detail_role role);

/* Describes what a waiter waits for: "decrement sem 1 by 2", "receive type 5" ... */
void detail_wait_text(char *buf, size_t len, enum ipc_class cls, const struct who_waiter *w);

/* Builds the lines for row r of class cls; cx->diff says what changed, cx->who who uses it.
 * false on no memory. */
bool detail_build(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                  const struct row *r);
void detail_free(struct detail *d);

#endif
