/*
 * detail — the text of the detail pane for one object (pure; the screen that shows it is
 * ui/screens/detail_screen.c). The kinds add their own sections (kind.h: detail).
 *
 * Every field of the record, times both relative ("3m12s ago") and absolute, for a
 * semaphore set the table of its elements, for a queue its depth, fill and rates. Lines
 * carry a role so the drawing can colour titles and changed values.
 */
#ifndef IPCTOP_DETAIL_H
#define IPCTOP_DETAIL_H

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

/* ---- for the kinds' sections (kind.h: detail) ---------------------------------------- */

#define DETAIL_LABEL "%-18s "

/* A line of a role, printf-like. false when out of memory. */
bool detail_addf(struct detail *d, enum detail_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "label  value" for field f of the row (its value, or ? when unknown), marked changed
 * when the last refresh changed it; the same for a number, a size in bytes, a time. */
void detail_field(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                  const char *label, const char *value);
void detail_num(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                const char *label, int64_t v);
void detail_size(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                 const char *label, uint64_t v);
void detail_when(struct detail *d, const struct col_ctx *cx, const struct row *r, enum ipc_field f,
                 uint64_t valid, const char *label, int64_t t);
/* "1234 postgres: checkpointer, alive" for a pid field, with its liveness */
void detail_pid_field(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                      const char *label, int32_t pid, enum liveness l);
/* The processes that map the object, or wait on it: a table of selectable lines. */
void detail_attachers(struct detail *d, const struct col_ctx *cx, const struct row *r,
                      uint64_t counted);
void detail_waiters(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                    const struct row *r);

/* Describes what a waiter waits for: "decrement sem 1 by 2", "receive type 5" ... */
void detail_wait_text(char *buf, size_t len, const struct who_waiter *w);

/* Builds the lines for row r of class cls; cx->diff says what changed, cx->who who uses it.
 * false on no memory. */
bool detail_build(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                  const struct row *r);
void detail_free(struct detail *d);

#endif
