/*
 * frame — what surrounds the screens: the header (title, clock, the limits' meters), the
 * tab bar of the kinds, the status line and the function key bar; and "terminal too
 * small". Reads the app, changes nothing. Where a click lands on the tabs or the key bar
 * is computed the same way the drawing places them, so no drawing has to record it.
 */
#ifndef IPCTOP_UI_FRAME_H
#define IPCTOP_UI_FRAME_H

#include "app.h"

/* Below this size the screen says "terminal too small" and nothing else. */
#define MIN_COLS 40
#define MIN_ROWS 10

/* Rows used above and below the list. */
#define HEADER_ROWS 4 /* title, two meter rows, tab bar */
#define FOOTER_ROWS 2 /* status line, function key bar */

void frame_draw_header(const struct app *a);
void frame_draw_tabs(const struct app *a);
/* The status line: the top screen's own line, the app's message, or the list's counts. */
void frame_draw_status(const struct app *a);
void frame_draw_fkeys(const struct app *a);
void frame_draw_too_small(void);

/* The kind whose tab is at column x of the tab bar, or -1. */
int frame_tab_at(const struct app *a, int x);
/* The action of the key bar entry at column x of the last line, ACT_NONE for one that
 * closes the top screen; false when x is on none. */
bool frame_fkey_at(const struct app *a, int x, enum action *act);

#endif
