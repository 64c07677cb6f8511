#include "layout.h"

#include <string.h>

static int total_width(const struct layout *l, const struct column *cols, const int *w, int indent)
{
    int t = indent;
    for (size_t i = 0; i < l->n; i++) t += w[i] + (i ? 1 : 0);
    (void)cols;
    return t;
}

void layout_columns(const struct column *cols, size_t ncols, const bool *shown, int width,
                    int indent, int flex, struct layout *out)
{
    memset(out, 0, sizeof *out);
    int w[LAYOUT_MAX_COLS];
    for (size_t i = 0; i < ncols && out->n < LAYOUT_MAX_COLS; i++)
        if (shown[i]) {
            out->cols[out->n].col = (int)i;
            w[out->n++] = cols[i].width;
        }
    if (width <= indent) {
        out->n = 0;
        return;
    }
    /* drop the least important while too wide, keeping at least one column */
    while (out->n > 1 && total_width(out, cols, w, indent) > width) {
        size_t drop = 0;
        for (size_t i = 0; i < out->n; i++)
            if (cols[out->cols[i].col].priority >= cols[out->cols[drop].col].priority) drop = i;
        if (cols[out->cols[drop].col].priority == 0) break; /* only essentials left */
        memmove(&out->cols[drop], &out->cols[drop + 1], (out->n - drop - 1) * sizeof out->cols[0]);
        memmove(&w[drop], &w[drop + 1], (out->n - drop - 1) * sizeof w[0]);
        out->n--;
    }
    /* still too wide: shrink to minimum widths, right to left */
    for (size_t i = out->n; i-- > 0 && total_width(out, cols, w, indent) > width;) {
        int excess = total_width(out, cols, w, indent) - width;
        int can = w[i] - cols[out->cols[i].col].min_width;
        w[i] -= excess < can ? excess : can;
    }
    /* and then cut at the edge */
    int x = indent;
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        int start = x + (i ? 1 : 0);
        if (start >= width) break;
        int cw = w[i];
        if (start + cw > width) cw = width - start;
        out->cols[kept] = (struct layout_col){out->cols[i].col, start, cw};
        kept++;
        x = start + cw;
    }
    out->n = kept;
    /* spare width to the flexible column */
    int spare = width - x;
    for (size_t i = 0; i < out->n && spare > 0 && flex >= 0; i++) {
        if (out->cols[i].col != flex) continue;
        int give = spare < 16 ? spare : 16;
        out->cols[i].width += give;
        for (size_t j = i + 1; j < out->n; j++) out->cols[j].x += give;
        x += give;
    }
    out->width = x;
}
