/*
 * layout — which columns fit a terminal width, and where (pure).
 *
 * Columns keep their preferred width while they fit; when the terminal is too narrow the
 * least important (highest priority number, rightmost first) go, then the rest shrink to
 * their minimum, and the last one is cut at the edge. Width left over goes to the widest
 * text column named as flexible.
 */
#ifndef IPCTOP_UI_LAYOUT_H
#define IPCTOP_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "columns.h"

#define LAYOUT_MAX_COLS 32

struct layout_col {
    int col;   /* index into the class's columns */
    int x;     /* first cell */
    int width; /* cells */
};

struct layout {
    struct layout_col cols[LAYOUT_MAX_COLS];
    size_t n;
    int width; /* cells used, <= the width given */
};

/*
 * Lays out the columns whose shown[] is true in `width` cells, one space between
 * columns, the first column starting after `indent` cells (the tag/marker gutter).
 * flex: index of the column that takes spare width, or -1.
 */
void layout_columns(const struct column *cols, size_t ncols, const bool *shown, int width,
                    int indent, int flex, struct layout *out);

#endif
