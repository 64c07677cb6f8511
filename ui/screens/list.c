/*
 * The lists: the bottom of the stack of screens, always there. Keys go to the key table
 * (keys.c); the mouse picks a row, sorts by a column, scrolls. Its layout (which columns
 * fit, where) is worked out before drawing, from the terminal's width and the columns
 * shown, and kept for the mouse.
 */
#include "app.h"
#include "frame.h"
#include "keys.h"
#include "theme.h"
#include "tracker.h"

#include <ncurses.h>
#include <stdlib.h>
#include <string.h>

#define GUTTER 2 /* tag mark, new/gone mark */

struct list_screen {
    struct ui_screen base;
    struct layout layout; /* of the list shown, at the current width */
};

static unsigned key(struct ui_screen *s, struct app *a, keycode k)
{
    (void)s;
    if (k == KEY_ESCAPE) return RX_NONE;
    enum action act = keys_lookup(k);
    return act == ACT_NONE ? RX_NONE : keys_run(a, act);
}

static unsigned mouse(struct ui_screen *self, struct app *a, enum mouse_kind mk, int y, int x)
{
    struct list_screen *s = (struct list_screen *)self;
    size_t height = (size_t)app_list_height(a);
    struct list_model *m = app_list(a);
    if (mk == MOUSE_WHEEL_UP || mk == MOUSE_WHEEL_DOWN) {
        list_scroll(m, mk == MOUSE_WHEEL_UP ? -3 : 3, height);
        return RX_REDRAW;
    }
    if (y == HEADER_ROWS) {
        /* a column's header: sort by it, again to invert */
        for (size_t i = 0; i < s->layout.n; i++) {
            const struct layout_col *lc = &s->layout.cols[i];
            if (x < lc->x || x >= lc->x + lc->width + 1) continue;
            if (m->sort_col == lc->col) m->descending = !m->descending;
            m->sort_col = lc->col;
            return RX_RESORT | RX_REDRAW;
        }
        return RX_NONE;
    }
    int row = y - HEADER_ROWS - 1;
    if (row < 0 || (size_t)row >= height || m->top + (size_t)row >= m->n) return RX_NONE;
    list_select(m, m->top + (size_t)row, height);
    if (mk == MOUSE_DOUBLE_CLICK) return keys_run(a, ACT_DETAIL);
    return RX_REDRAW;
}

static bool prepare(struct ui_screen *self, struct app *a)
{
    struct list_screen *s = (struct list_screen *)self;
    app_sync(a);
    size_t ncols;
    const struct column *cols = columns_of(a->kind, &ncols);
    /* spare width stays at the right edge, as in top */
    layout_columns(cols, ncols, a->shown[a->kind], COLS, GUTTER, -1, &s->layout);
    return true;
}

/* The role of a row: selected, gone, tagged, new, or plain. */
static enum role row_role(const struct app *a, const struct list_model *m, size_t i, bool *is_new)
{
    const struct row *row = &m->rows[i];
    *is_new = row->state == OBJ_NEW ||
              (row->state != OBJ_GONE && tracker_is_new_at(&a->tracker, a->kind, row->idx));
    return i == m->sel                    ? R_SELECTED
           : row->state == OBJ_GONE       ? R_GONE
           : list_is_tagged(m, &row->key) ? R_TAGGED
           : *is_new                      ? R_NEW
                                          : R_NORMAL;
}

static void draw_header_row(const struct list_screen *s, const struct app *a,
                            const struct column *cols, const struct list_model *m)
{
    const struct layout *lay = &s->layout;
    int y0 = HEADER_ROWS;
    put_cells(y0, 0, COLS, "", false, theme_attr(R_COLHDR));
    for (size_t i = 0; i < lay->n; i++) {
        const struct column *c = &cols[lay->cols[i].col];
        bool sorted = lay->cols[i].col == m->sort_col;
        char t[64];
        const char *arrow =
            sorted ? (m->descending ? (a->utf8 ? "▼" : "v") : (a->utf8 ? "▲" : "^")) : "";
        /* a squeezed column still shows which way it sorts: the title gives way, not the arrow */
        int room = lay->cols[i].width - (sorted ? 1 : 0);
        snprintf(t, sizeof t, "%.*s%s", room > 0 ? room : 0, c->title, arrow);
        put_cells(y0, lay->cols[i].x, lay->cols[i].width, t, c->right,
                  theme_attr(sorted ? R_COLHDR_SORT : R_COLHDR));
    }
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    const struct list_screen *s = (const struct list_screen *)self;
    const struct list_model *m = app_shown_list(a);
    size_t ncols;
    const struct column *cols = columns_of(a->kind, &ncols);
    const struct layout *lay = &s->layout;
    draw_header_row(s, a, cols, m);
    int y0 = HEADER_ROWS, height = app_list_height(a);
    struct col_ctx cx = app_col_ctx(a);
    for (int r = 0; r < height; r++) {
        int y = y0 + 1 + r;
        size_t i = m->top + (size_t)r;
        if (i >= m->n) {
            move(y, 0);
            clrtoeol();
            continue;
        }
        const struct row *row = &m->rows[i];
        bool sel = i == m->sel, is_new;
        enum role base = row_role(a, m, i, &is_new);
        char gutter[3] = {list_is_tagged(m, &row->key) ? '*' : ' ',
                          row->state == OBJ_GONE ? '-'
                          : is_new               ? '+'
                                                 : ' ',
                          0};
        put_cells(y, 0, GUTTER, gutter, false, theme_attr(base));
        int x = GUTTER;
        for (size_t k = 0; k < lay->n; k++) {
            const struct column *c = &cols[lay->cols[k].col];
            if (lay->cols[k].x > x)
                put_cells(y, x, lay->cols[k].x - x, "", false, theme_attr(base));
            char cell[256];
            column_format(c, &cx, row, cell, sizeof cell);
            bool changed = row->state == OBJ_CHANGED && (row->changed & c->fields);
            attr_t at = theme_attr(base);
            if (c->alert && row->state != OBJ_GONE && c->alert(&cx, row))
                at = sel ? theme_attr(R_SELECTED) | A_BOLD : theme_attr(R_ALERT);
            if (changed)
                at = sel ? theme_attr(R_SELECTED) | A_BOLD | A_UNDERLINE : theme_attr(R_CHANGED);
            put_cells(y, lay->cols[k].x, lay->cols[k].width, cell, c->right, at);
            x = lay->cols[k].x + lay->cols[k].width;
        }
        if (x < COLS) put_cells(y, x, COLS - x, "", false, theme_attr(base));
    }
    if (m->n == 0 && height > 0) {
        const char *msg = !a->view   ? "reading the kernel's objects..."
                          : m->total ? "no row matches the filter (F4 changes it)"
                                     : "no objects of this kind in this IPC namespace";
        put_cells(y0 + 1, GUTTER, COLS - GUTTER, msg, false, theme_attr(R_DIM));
    }
}

static const struct fkey fkeys[] = {
    {"F1", "Help", ACT_HELP},        {"F3", "Search", ACT_SEARCH},
    {"F4", "Filter", ACT_FILTER},    {"F6", "SortBy", ACT_SORT_MENU},
    {"Enter", "Detail", ACT_DETAIL}, {"Tab", "List", ACT_NEXT_SCREEN},
    {"L", "Leaks", ACT_LEAKS},       {"F9", "Remove", ACT_REMOVE},
    {"F10", "Quit", ACT_QUIT},
};

static const struct ui_screen_ops ops = {
    .name = "list",
    .area = SA_LIST,
    .fkeys = fkeys,
    .nfkeys = sizeof fkeys / sizeof fkeys[0],
    .key = key,
    .mouse = mouse,
    .prepare = prepare,
    .draw = draw,
};

struct ui_screen *list_screen_new(void)
{
    struct list_screen *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    return &s->base;
}
