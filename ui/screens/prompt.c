/*
 * The line being typed at the bottom: a search (F3 or /: the selection goes to the next
 * match as it is typed, Enter keeps it, n finds the next) or a filter (F4 or \: rows that
 * do not match hide as it is typed; Esc puts the previous filter back). Editing is
 * lineedit.h's.
 */
#include "app.h"
#include "frame.h"
#include "lineedit.h"
#include "theme.h"

#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_W 8 /* "Search: " */

struct prompt {
    struct ui_screen base;
    bool filter;
    char text[128];
    size_t len;
    char saved[128]; /* the filter before editing, restored by Esc */
};

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct prompt *p = (struct prompt *)self;
    struct list_model *m = app_list(a);
    struct col_ctx cx = app_col_ctx(a);
    size_t height = (size_t)app_list_height(a);
    switch (line_edit_key(p->text, sizeof p->text, &p->len, k)) {
    case EDIT_SUBMIT:
        if (!p->filter) {
            snprintf(a->search, sizeof a->search, "%s", p->text);
            const struct row *sel = list_selected(m);
            bool here = sel && list_row_matches(m, &cx, sel, p->text);
            if (p->len && !here && !list_search_next(m, &cx, p->text, height))
                app_message(a, false, "no row matches '%s'", p->text);
        }
        return app_pop(a);
    case EDIT_CANCEL:
        if (p->filter) {
            snprintf(m->filter, sizeof m->filter, "%s", p->saved);
            return app_pop(a) | RX_RESORT;
        }
        return app_pop(a);
    case EDIT_NONE: return RX_NONE;
    case EDIT_CHANGED: break;
    }
    if (p->filter) {
        /* the filter applies as it is typed */
        snprintf(m->filter, sizeof m->filter, "%s", p->text);
        return RX_RESORT | RX_REDRAW;
    }
    /* incremental search: stay on the selection while it matches, else the next match */
    const struct row *sel = list_selected(m);
    if (p->len && !(sel && list_row_matches(m, &cx, sel, p->text)))
        list_search_next(m, &cx, p->text, height);
    return RX_REDRAW;
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    const struct prompt *p = (const struct prompt *)self;
    int y = LINES - FOOTER_ROWS;
    put_cells(y, 0, LABEL_W, p->filter ? "Filter: " : "Search: ", false, theme_attr(R_LABEL));
    put_cells(y, LABEL_W, COLS - LABEL_W, p->text, false, theme_attr(R_NORMAL));
}

static bool cursor(const struct ui_screen *self, const struct app *a, int *y, int *x)
{
    (void)a;
    const struct prompt *p = (const struct prompt *)self;
    *y = LINES - FOOTER_ROWS;
    *x = LABEL_W + (int)p->len < COLS ? LABEL_W + (int)p->len : COLS - 1;
    return true;
}

static const struct ui_screen_ops ops = {
    .name = "prompt",
    .area = SA_POPUP,
    .draws_status = true, /* the line being typed is the status line */
    SCREEN_CLOSE_KEYS,
    .key = key,
    .draw = draw,
    .cursor = cursor,
};

struct ui_screen *prompt_new(struct app *a, bool filter)
{
    struct prompt *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->base.ops = &ops;
    p->filter = filter;
    const struct list_model *m = app_list(a);
    snprintf(p->saved, sizeof p->saved, "%s", m->filter);
    /* editing a filter starts from the current one; a search starts empty */
    snprintf(p->text, sizeof p->text, "%s", filter ? m->filter : "");
    p->len = strlen(p->text);
    return &p->base;
}
