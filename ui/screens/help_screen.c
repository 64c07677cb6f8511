/*
 * The help (F1): every key of the key table with what it does, generated from the table
 * itself so it always lists every key. As many columns as needed to show every entry
 * whole, if the width allows; else one column that scrolls with Up/Down. Any other key
 * closes it; F10 quits.
 */
#include "app.h"
#include "frame.h"
#include "theme.h"

#include <ncurses.h>
#include <stdlib.h>
#include <string.h>

struct help_screen {
    struct ui_screen base;
    size_t scroll; /* first entry, when they do not fit */
    bool fits;     /* every entry is on the screen */
    int rows, ncols, keyw, colw;
};

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct help_screen *s = (struct help_screen *)self;
    if (k == KC(KEY_F(10))) {
        a->quit = true;
        return RX_NONE;
    }
    if (!s->fits && (k == KC(KEY_DOWN) || k == KC(KEY_NPAGE))) {
        s->scroll += k == KC(KEY_DOWN) ? 1 : 10;
        return RX_REDRAW;
    }
    if (!s->fits && (k == KC(KEY_UP) || k == KC(KEY_PPAGE))) {
        size_t d = k == KC(KEY_UP) ? 1 : 10;
        s->scroll = s->scroll > d ? s->scroll - d : 0;
        return RX_REDRAW;
    }
    return app_pop(a);
}

static bool prepare(struct ui_screen *self, struct app *a)
{
    (void)a;
    struct help_screen *s = (struct help_screen *)self;
    size_t n;
    const struct action_info *acts = keys_actions(&n);
    int y0 = HEADER_ROWS - 1, height = LINES - y0 - FOOTER_ROWS;
    int keyw = 0, helpw = 0;
    for (size_t i = 0; i < n; i++) {
        if ((int)strlen(acts[i].keys) > keyw) keyw = (int)strlen(acts[i].keys);
        if ((int)strlen(acts[i].help) > helpw) helpw = (int)strlen(acts[i].help);
    }
    int entryw = 1 + keyw + 2 + helpw + 2;
    s->rows = height - 2;
    s->keyw = keyw;
    if (s->rows < 1) return true;
    s->ncols = (int)((n + (size_t)s->rows - 1) / (size_t)s->rows);
    s->fits = s->ncols * entryw <= COLS;
    if (!s->fits) s->ncols = 1;
    size_t max_scroll = !s->fits && n > (size_t)s->rows ? n - (size_t)s->rows : 0;
    if (s->scroll > max_scroll) s->scroll = max_scroll;
    s->colw = s->fits ? COLS / s->ncols : COLS;
    return true;
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    const struct help_screen *s = (const struct help_screen *)self;
    size_t n;
    const struct action_info *acts = keys_actions(&n);
    int y0 = HEADER_ROWS - 1, height = LINES - y0 - FOOTER_ROWS;
    clear_rows(y0, height);
    if (s->rows < 1) return;
    put_text(y0, 0,
             s->fits ? "ipctop keys (any key closes this help)"
                     : "ipctop keys (Up/Down scroll, any other key closes this help)",
             theme_attr(R_TITLE));
    size_t first = s->fits ? 0 : s->scroll;
    for (size_t k = 0; k + first < n; k++) {
        size_t i = k + first;
        int col = (int)k / s->rows, row = (int)k % s->rows;
        if (col >= s->ncols) break;
        int x = col * s->colw;
        put_cells(y0 + 2 + row, x + 1, s->keyw, acts[i].keys, false, theme_attr(R_LABEL));
        put_cells(y0 + 2 + row, x + 3 + s->keyw, s->colw - s->keyw - 4, acts[i].help, false,
                  theme_attr(R_NORMAL));
    }
}

static const struct ui_screen_ops ops = {
    .name = "help",
    .area = SA_WHOLE,
    SCREEN_CLOSE_KEYS,
    .key = key,
    .prepare = prepare,
    .draw = draw,
};

struct ui_screen *help_screen_new(void)
{
    struct help_screen *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    return &s->base;
}
