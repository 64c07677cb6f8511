/*
 * listmodel — one list screen's rows: built from a refresh view, filtered, sorted, with a
 * selection that follows its object, a scroll position, tags and search. Pure (no curses)
 * so that tests can drive it with made-up snapshots.
 */
#ifndef IPCTOP_UI_LISTMODEL_H
#define IPCTOP_UI_LISTMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"
#include "model.h"
#include "tracker.h"

struct list_model {
    enum ipc_class cls;
    struct row *rows; /* filtered and sorted */
    size_t n, cap;
    size_t total; /* rows before filtering */

    int sort_col; /* index into columns_of(cls) */
    bool descending;
    char filter[128]; /* "" = none */
    bool leaks_only;  /* show only leak candidates (and possible ones) */

    bool has_sel;
    struct obj_key sel_key; /* the selected object: selection follows it */
    bool sel_gone;          /* the selected row is a gone one */
    size_t sel;             /* its row now */
    size_t top;             /* first row on screen */

    struct obj_key *tags; /* tagged objects, sorted (obj_key_cmp) */
    size_t ntags, captags;

    void *sort_scratch; /* rows with their sort keys, reused */
    size_t sort_cap;
};

void list_init(struct list_model *m, enum ipc_class cls);
void list_free(struct list_model *m);

/* Rebuilds the rows from the diff (current objects plus the gone ones), applies filter and
 * sort, moves the selection to its object (or, when it has left, to the row at the same
 * place), drops tags of objects that are gone. false when out of memory. */
bool list_rebuild(struct list_model *m, const struct snapshot_diff *d, const struct col_ctx *cx,
                  const struct tracker *t);

/* Moves the selection by delta rows (clamped) or to a row; keeps it visible in a window of
 * `height` rows by moving top as little as needed. */
void list_move(struct list_model *m, long delta, size_t height);
void list_select(struct list_model *m, size_t row, size_t height);
void list_scroll(struct list_model *m, long delta, size_t height);

/* Whether a row matches a search or filter text: key ("0x..." or its hex digits), id,
 * owner name, command (the COMMAND column, and the processes attached or waiting);
 * case-insensitive substring. */
bool list_row_matches(const struct list_model *m, const struct col_ctx *cx, const struct row *r,
                      const char *text);

/* Selects the next row after the selection (wrapping) that matches text; false if none. */
bool list_search_next(struct list_model *m, const struct col_ctx *cx, const char *text,
                      size_t height);

/* Tags all rows shown (not gone ones); returns how many are tagged now. */
size_t list_tag_all(struct list_model *m);

/* Tags */
bool list_is_tagged(const struct list_model *m, const struct obj_key *k);
void list_toggle_tag(struct list_model *m, const struct obj_key *k);
void list_untag_all(struct list_model *m);

/* The selected row, or NULL when the list is empty. */
const struct row *list_selected(const struct list_model *m);

#endif
