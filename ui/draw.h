/*
 * draw — puts the app on the terminal with ncurses: header and meters, the tab bar, the
 * list (only the visible rows are formatted), the overlays, the status line and the
 * function key bar. Reads the app, changes nothing but the screen (and the regions it
 * records for the mouse).
 */
#ifndef IPCTOP_UI_DRAW_H
#define IPCTOP_UI_DRAW_H

#include "app.h"

/* Below this size the screen says "terminal too small" and nothing else. */
#define MIN_COLS 40
#define MIN_ROWS 10

/* Rows used above and below the list. */
#define HEADER_ROWS 4 /* title, two meter rows, tab bar */
#define FOOTER_ROWS 2 /* status line, function key bar */

void draw_init_colors(struct app *a);
void draw_all(struct app *a);

/* What a mouse click at (y, x) hits. */
enum hit_kind { HIT_NONE, HIT_TAB, HIT_COLUMN_HEADER, HIT_ROW, HIT_FKEY };
struct hit {
    enum hit_kind kind;
    int index; /* tab (class), column (index into columns_of), row, or action */
};
struct hit draw_hit_test(const struct app *a, int y, int x);

#endif
