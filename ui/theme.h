/*
 * theme — how things look: the roles a cell can have (title, selected row, changed value,
 * alert...) and their attributes, with colours or, without, attributes that say the same;
 * and the one way text is put in cells, counted in terminal cells, cut at a character.
 * Every screen, the viewer included, draws through it.
 */
#ifndef IPCTOP_UI_THEME_H
#define IPCTOP_UI_THEME_H

#include <ncurses.h>
#include <stdbool.h>

enum role {
    R_NORMAL,
    R_LABEL,
    R_METER_OK,
    R_METER_WARN,
    R_METER_CRIT,
    R_TAB,
    R_TAB_ACTIVE,
    R_COLHDR,
    R_COLHDR_SORT,
    R_SELECTED,
    R_NEW,
    R_CHANGED,
    R_GONE,
    R_TAGGED,
    R_FKEY,
    R_FDESC,
    R_ERROR,
    R_INFO,
    R_TITLE,
    R_DIM,
    R_ALERT,
    /* the viewer's: a byte by its class (hexdump_class, in its order), then the rest */
    R_BYTE_NUL,
    R_BYTE_PRINTABLE,
    R_BYTE_SPACE,
    R_BYTE_CONTROL,
    R_BYTE_HIGH,
    R_BYTE_CHANGED,
    R_MATCH,
    R_CURSOR,
    R_CURSOR_OTHER, /* the same byte in the column the cursor is not in */
    R_OFFSET,
    R_SPAN,
    R_SAFE,   /* the header's path line when reading has no side effects */
    R_UNSAFE, /* ... and when it attaches */
    R_VIEW_LABEL,
    R_NROLES
};

/* Sets the roles up, in colour when color and the terminal can. */
void theme_init(bool color);
attr_t theme_attr(enum role r);

/* Draws s at (y, x) in exactly width cells: cut at a character boundary, padded with
 * spaces, right-aligned when asked. s is already sanitized; its width is counted in
 * terminal cells, not bytes. */
void put_cells(int y, int x, int width, const char *s, bool right, attr_t attr);
/* s from (y, x) to the right edge. */
void put_text(int y, int x, const char *s, attr_t attr);
/* Blank rows [y0, y0 + n). */
void clear_rows(int y0, int n);

#endif
