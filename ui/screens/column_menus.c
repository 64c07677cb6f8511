/*
 * The two menus of a list's columns: F6 (sort by: Enter picks, again inverts) and F2/C
 * (columns shown: Space toggles, one at least stays). One object, two behaviours.
 */
#include "app.h"
#include "frame.h"
#include "menu.h"
#include "theme.h"

#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>

struct column_menu {
    struct ui_screen base;
    bool columns; /* F2: which are shown; else F6: sort by */
    int sel;
};

static unsigned sort_key(struct column_menu *s, struct app *a, keycode k, size_t n)
{
    if (menu_move(&s->sel, n, k)) return RX_REDRAW;
    if (menu_enter(k)) {
        struct list_model *m = app_list(a);
        if (m->sort_col == s->sel) m->descending = !m->descending;
        m->sort_col = s->sel;
        return app_pop(a) | RX_RESORT;
    }
    if (k == KEY_ESCAPE || k == 'q' || k == KC(KEY_F(6))) return app_pop(a);
    return RX_NONE;
}

static unsigned columns_key(struct column_menu *s, struct app *a, keycode k, size_t n)
{
    bool *shown = a->shown[a->kind];
    if (menu_move(&s->sel, n, k)) return RX_REDRAW;
    if (k == ' ') {
        size_t on = 0;
        for (size_t i = 0; i < n; i++) on += shown[i];
        if (shown[s->sel] && on == 1) {
            app_message(a, false, "one column at least stays shown");
            return RX_REDRAW;
        }
        shown[s->sel] = !shown[s->sel];
        return RX_RESORT | RX_REDRAW;
    }
    /* Enter, Esc, F2, q: done */
    return app_pop(a);
}

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct column_menu *s = (struct column_menu *)self;
    size_t n;
    columns_of(a->kind, &n);
    return s->columns ? columns_key(s, a, k, n) : sort_key(s, a, k, n);
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    const struct column_menu *s = (const struct column_menu *)self;
    size_t n;
    const struct column *cols = columns_of(a->kind, &n);
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS, w = s->columns ? 20 : 16;
    put_cells(y0, 0, w, s->columns ? "Columns (Space)" : "Sort by", false, theme_attr(R_COLHDR));
    int first = s->sel >= height - 1 ? s->sel - height + 2 : 0;
    for (int k = 0; k < height - 1; k++) {
        int i = first + k;
        if (i >= (int)n) {
            put_cells(y0 + 1 + k, 0, w, "", false, theme_attr(R_NORMAL));
            continue;
        }
        char t[40];
        if (s->columns)
            snprintf(t, sizeof t, " [%c] %s", a->shown[a->kind][i] ? 'x' : ' ', cols[i].title);
        else
            snprintf(t, sizeof t, " %s%s", cols[i].title,
                     i == app_shown_list(a)->sort_col ? " *" : "");
        put_cells(y0 + 1 + k, 0, w, t, false, theme_attr(i == s->sel ? R_SELECTED : R_NORMAL));
    }
}

static const struct ui_screen_ops ops = {
    .name = "column menu",
    .area = SA_POPUP,
    SCREEN_CLOSE_KEYS,
    .key = key,
    .draw = draw,
};

static struct ui_screen *column_menu_new(bool columns, int sel)
{
    struct column_menu *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    s->columns = columns;
    s->sel = sel;
    return &s->base;
}

struct ui_screen *sort_menu_new(struct app *a)
{
    return column_menu_new(false, app_list(a)->sort_col);
}

struct ui_screen *columns_menu_new(struct app *a)
{
    (void)a;
    return column_menu_new(true, 0);
}
