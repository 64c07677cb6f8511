/*
 * The detail pane (Enter on a row): every field of the selected object, who uses it, its
 * verdict; for a queue, its messages on 'x'. Its lines are built once per refresh or key
 * (prepare), and drawn from there. With processes listed (attachers, waiters) the arrows
 * pick one and F9 opens the signal menu for it; otherwise they scroll.
 */
#include "app.h"
#include "detail.h"
#include "frame.h"
#include "kind.h"
#include "peek.h"
#include "theme.h"

#include <ncurses.h>
#include <stdlib.h>
#include <string.h>

struct detail_screen {
    struct ui_screen base;
    struct detail d; /* the lines, as last built */
    bool dirty;      /* to be built again before drawing */
    size_t scroll;   /* first line shown */
    int sel;         /* selected process line, -1 none */
    int nprocs;      /* process lines in d */
    size_t sel_line; /* the line of the selected process, or SIZE_MAX */
    struct peek peek;
};

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct detail_screen *s = (struct detail_screen *)self;
    s->dirty = true;
    if (k == KEY_ESCAPE || k == 'q' || k == '\n' || k == '\r' || k == KC(KEY_ENTER))
        return app_pop(a);
    if (k == KC(KEY_F(9)) || k == 'K') {
        if (a->opt->readonly) {
            app_message(a, true, "read-only mode (--readonly): sending signals is disabled");
            return RX_REDRAW;
        }
        if (s->sel < 0 || s->sel_line == SIZE_MAX || s->d.lines[s->sel_line].pid <= 0) {
            app_message(a, false, "select a process line first (Up/Down), then F9 to signal it");
            return RX_REDRAW;
        }
        const struct detail_line *l = &s->d.lines[s->sel_line];
        return app_push(a, signal_menu_new(a, l->pid, l->start_tics));
    }
    if (k == KC(KEY_UP) || k == 'k') {
        /* with processes listed, the arrows pick one; otherwise they scroll */
        if (s->nprocs)
            s->sel = s->sel > 0 ? s->sel - 1 : 0;
        else if (s->scroll)
            s->scroll--;
        return RX_REDRAW;
    }
    if (k == KC(KEY_DOWN) || k == 'j') {
        if (s->nprocs)
            s->sel = s->sel + 1 < s->nprocs ? s->sel + 1 : s->nprocs - 1;
        else
            s->scroll++;
        return RX_REDRAW;
    }
    if (k == KC(KEY_PPAGE)) {
        s->scroll = s->scroll > 10 ? s->scroll - 10 : 0;
        return RX_REDRAW;
    }
    if (k == KC(KEY_NPAGE)) {
        s->scroll += 10;
        return RX_REDRAW;
    }
    if (k == KC(KEY_HOME)) {
        s->scroll = 0;
        return RX_REDRAW;
    }
    /* keys that still make sense with the pane open */
    enum action act = keys_lookup(k);
    if (act == ACT_QUIT || act == ACT_PAUSE || act == ACT_REDRAW || act == ACT_HELP ||
        act == ACT_DELAY_LONGER || act == ACT_DELAY_SHORTER || act == ACT_VIEW)
        return keys_run(a, act);
    return RX_NONE;
}

void detail_screen_toggle_messages(struct ui_screen *self, struct app *a)
{
    struct detail_screen *s = (struct detail_screen *)self;
    const struct row *r = list_selected(app_list(a));
    if (r) peek_toggle(&s->peek, r->key.id);
    s->dirty = true;
}

static void new_view(struct ui_screen *self, struct app *a)
{
    (void)a;
    struct detail_screen *s = (struct detail_screen *)self;
    if (s->peek.on) peek_refresh(&s->peek);
    s->dirty = true;
}

static bool prepare(struct ui_screen *self, struct app *a)
{
    struct detail_screen *s = (struct detail_screen *)self;
    if (s->dirty) {
        const struct row *r = list_selected(app_list(a));
        if (!r) return false; /* nothing selected any more */
        struct col_ctx cx = app_col_ctx(a);
        if (!detail_build(&s->d, a->kind, &cx, r)) return false;
        if (s->peek.on && s->peek.msqid == r->key.id) peek_lines(&s->peek, &s->d);
        s->dirty = false;
    }
    int height = LINES - HEADER_ROWS - FOOTER_ROWS;
    /* the selected process line, kept on screen */
    s->sel_line = SIZE_MAX;
    s->nprocs = 0;
    for (size_t i = 0; i < s->d.n; i++)
        if (s->d.lines[i].role == DL_PROC && s->nprocs++ == s->sel) s->sel_line = i;
    if (s->sel >= s->nprocs) s->sel = s->nprocs - 1;
    if (s->sel_line != SIZE_MAX) {
        if (s->sel_line < s->scroll) s->scroll = s->sel_line;
        if (height > 0 && s->sel_line >= s->scroll + (size_t)height)
            s->scroll = s->sel_line - (size_t)height + 1;
    }
    size_t max_scroll = height > 0 && s->d.n > (size_t)height ? s->d.n - (size_t)height : 0;
    if (s->scroll > max_scroll) s->scroll = max_scroll;
    return true;
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    const struct detail_screen *s = (const struct detail_screen *)self;
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS;
    clear_rows(y0, height);
    for (int k = 0; k < height && s->scroll + (size_t)k < s->d.n; k++) {
        size_t li = s->scroll + (size_t)k;
        const struct detail_line *l = &s->d.lines[li];
        enum role role = li == s->sel_line          ? R_SELECTED
                         : l->role == DL_TITLE      ? R_TITLE
                         : l->role == DL_CHANGED    ? R_CHANGED
                         : l->role == DL_TABLE_HEAD ? R_COLHDR
                         : l->role == DL_NOTE       ? R_DIM
                                                    : R_NORMAL;
        int w = l->role == DL_TABLE_HEAD || l->role == DL_CHANGED || li == s->sel_line
                    ? (int)strlen(l->text)
                    : COLS - 1;
        if (w > COLS - 1) w = COLS - 1;
        put_cells(y0 + k, 1, w, l->text, false, theme_attr(role));
    }
}

static void destroy(struct ui_screen *self)
{
    struct detail_screen *s = (struct detail_screen *)self;
    detail_free(&s->d);
    peek_free(&s->peek);
    free(s);
}

static const struct fkey fkeys[] = {
    {"Esc", "Close", ACT_NONE}, {"F9", "Signal", ACT_NONE}, {"F10", "Quit", ACT_QUIT}};

static const struct ui_screen_ops ops = {
    .name = "detail",
    .area = SA_LIST,
    .fkeys = fkeys,
    .nfkeys = sizeof fkeys / sizeof fkeys[0],
    .key = key,
    .new_view = new_view,
    .prepare = prepare,
    .draw = draw,
    .destroy = destroy,
};

bool detail_screen_is(const struct ui_screen *s)
{
    return s->ops == &ops;
}

struct ui_screen *detail_screen_new(struct app *a, bool messages)
{
    if (!list_selected(app_list(a))) {
        app_message(a, false, "nothing selected: this list is empty");
        return NULL;
    }
    struct detail_screen *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    s->sel = -1;
    s->dirty = true;
    if (messages) detail_screen_toggle_messages(&s->base, a);
    return &s->base;
}
