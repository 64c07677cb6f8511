/*
 * ui/layout.c: which columns fit a terminal width, for every width from 1 to 300 and each
 * class's columns — never wider than the terminal, in order, no overlaps, the essential
 * columns (priority 0: KEY, ID, ...) kept while they fit, the least important dropped
 * first, more width never losing a column, spare width only to the flexible column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "columns.h"
#include "layout.h"

#define GUTTER    2
#define MAX_WIDTH 300

static void default_shown(enum ipc_class cls, bool *shown)
{
    size_t n;
    const struct column *cols = columns_of(cls, &n);
    memset(shown, 0, LAYOUT_MAX_COLS * sizeof *shown);
    for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++) shown[i] = cols[i].shown;
}

static void all_shown(enum ipc_class cls, bool *shown)
{
    size_t n;
    columns_of(cls, &n);
    memset(shown, 0, LAYOUT_MAX_COLS * sizeof *shown);
    for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++) shown[i] = true;
}

static bool present(const struct layout *l, int col)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->cols[i].col == col) return true;
    return false;
}

/* The properties every layout has, whatever the width. */
static void check_geometry(const struct column *cols, size_t ncols, const bool *shown, int width,
                           int indent, int flex, const struct layout *l)
{
    char where[96];
    snprintf(where, sizeof where, "width %d, indent %d, flex %d", width, indent, flex);
    if (l->n > LAYOUT_MAX_COLS) fail_msg("%s: %zu columns", where, l->n);
    if (l->width > width) fail_msg("%s: uses %d cells", where, l->width);
    int end = indent;
    for (size_t i = 0; i < l->n; i++) {
        const struct layout_col *c = &l->cols[i];
        if (c->col < 0 || (size_t)c->col >= ncols) fail_msg("%s: column index %d", where, c->col);
        if (!shown[c->col])
            fail_msg("%s: column %s is not shown but laid out", where, cols[c->col].title);
        if (i > 0 && c->col <= l->cols[i - 1].col)
            fail_msg("%s: columns out of order (%d after %d)", where, c->col, l->cols[i - 1].col);
        if (c->width < 1) fail_msg("%s: column %s is %d wide", where, cols[c->col].title, c->width);
        /* one space between columns, none overlapping, the first after the gutter */
        int gap = i ? 1 : 0;
        if (c->x < end + gap)
            fail_msg("%s: column %s at %d overlaps (previous ends at %d)", where,
                     cols[c->col].title, c->x, end);
        if (c->x + c->width > width)
            fail_msg("%s: column %s (%d+%d) passes the edge", where, cols[c->col].title, c->x,
                     c->width);
        /* never wider than preferred, but for the flexible column */
        if (c->col != flex && c->width > cols[c->col].width)
            fail_msg("%s: column %s is %d wide, more than its %d", where, cols[c->col].title,
                     c->width, cols[c->col].width);
        if (c->col == flex && c->width > cols[c->col].width + 16)
            fail_msg("%s: flexible column %s grew to %d", where, cols[c->col].title, c->width);
        end = c->x + c->width;
    }
    if (l->n && l->width < end)
        fail_msg("%s: width %d but the last column ends at %d", where, l->width, end);
}

/* Width needed for these columns at preferred (or minimum) widths. */
static int needed(const struct column *cols, size_t ncols, const bool *shown, int indent,
                  bool minimum, int max_priority)
{
    int w = indent, k = 0;
    for (size_t i = 0; i < ncols; i++) {
        if (!shown[i] || cols[i].priority > max_priority) continue;
        w += (k++ ? 1 : 0) + (minimum ? cols[i].min_width : cols[i].width);
    }
    return w;
}

static void check_class(enum ipc_class cls, const bool *shown, int flex)
{
    size_t ncols;
    const struct column *cols = columns_of(cls, &ncols);
    int full = needed(cols, ncols, shown, GUTTER, false, 1 << 30);
    int essential_min = needed(cols, ncols, shown, GUTTER, true, 0);
    int essential_pref = needed(cols, ncols, shown, GUTTER, false, 0);
    struct layout prev;
    memset(&prev, 0, sizeof prev);
    for (int width = 1; width <= MAX_WIDTH; width++) {
        struct layout l;
        layout_columns(cols, ncols, shown, width, GUTTER, flex, &l);
        check_geometry(cols, ncols, shown, width, GUTTER, flex, &l);

        /* everything fits: every shown column at its preferred width */
        if (width >= full) {
            size_t nshown = 0;
            for (size_t i = 0; i < ncols; i++) nshown += shown[i];
            if (l.n != nshown)
                fail_msg("%s, width %d >= %d: %zu of %zu columns", ipc_class_name(cls), width, full,
                         l.n, nshown);
            for (size_t i = 0; i < l.n; i++)
                if (l.cols[i].col != flex && l.cols[i].width != cols[l.cols[i].col].width)
                    fail_msg("%s, width %d: %s squeezed to %d", ipc_class_name(cls), width,
                             cols[l.cols[i].col].title, l.cols[i].width);
        }
        /* the essential columns stay while they fit, at least at their minimum width */
        if (width >= essential_min) {
            for (size_t i = 0; i < ncols; i++) {
                if (!shown[i] || cols[i].priority != 0) continue;
                if (!present(&l, (int)i))
                    fail_msg("%s, width %d (essentials need %d): %s dropped", ipc_class_name(cls),
                             width, essential_min, cols[i].title);
            }
        }
        /* the columns laid out fit at their minimum widths: none is cut below it */
        int min_of_present = GUTTER;
        for (size_t i = 0; i < l.n; i++)
            min_of_present += (i ? 1 : 0) + cols[l.cols[i].col].min_width;
        if (width >= min_of_present) {
            for (size_t i = 0; i < l.n; i++)
                if (l.cols[i].width < cols[l.cols[i].col].min_width)
                    fail_msg("%s, width %d: %s cut to %d below its minimum %d", ipc_class_name(cls),
                             width, cols[l.cols[i].col].title, l.cols[i].width,
                             cols[l.cols[i].col].min_width);
        }
        /* the least important go first: a column present means every shown column more
         * important (lower priority number) is present too — once nothing is cut at the edge */
        if (width >= essential_pref) {
            for (size_t i = 0; i < l.n; i++) {
                int p = cols[l.cols[i].col].priority;
                for (size_t j = 0; j < ncols; j++)
                    if (shown[j] && cols[j].priority < p && !present(&l, (int)j))
                        fail_msg("%s, width %d: %s (priority %d) kept but %s (priority %d) dropped",
                                 ipc_class_name(cls), width, cols[l.cols[i].col].title, p,
                                 cols[j].title, cols[j].priority);
            }
        }
        /* more room never loses a column */
        if (width > 1 && width > essential_min) {
            for (size_t i = 0; i < prev.n; i++)
                if (!present(&l, prev.cols[i].col))
                    fail_msg("%s: %s shown at width %d but not at %d", ipc_class_name(cls),
                             cols[prev.cols[i].col].title, width - 1, width);
        }
        /* KEY comes first and, from a useful width on, whole */
        if (shown[0] && width >= GUTTER + cols[0].width &&
            (l.n == 0 || l.cols[0].col != 0 || l.cols[0].x != GUTTER ||
             l.cols[0].width != cols[0].width))
            fail_msg("%s, width %d: KEY is not the first column at full width", ipc_class_name(cls),
                     width);
        prev = l;
    }
}

static void test_default_columns(void **state)
{
    (void)state;
    bool shown[LAYOUT_MAX_COLS];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        default_shown((enum ipc_class)c, shown);
        check_class((enum ipc_class)c, shown, -1);
    }
}

static void test_every_column(void **state)
{
    (void)state;
    bool shown[LAYOUT_MAX_COLS];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        all_shown((enum ipc_class)c, shown);
        check_class((enum ipc_class)c, shown, -1);
    }
}

static void test_flexible_column(void **state)
{
    (void)state;
    bool shown[LAYOUT_MAX_COLS];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        default_shown((enum ipc_class)c, shown);
        /* OWNER is text: the natural one to widen */
        int owner = column_find((enum ipc_class)c, "owner");
        assert_true(owner >= 0);
        check_class((enum ipc_class)c, shown, owner);
    }
}

static void test_few_columns(void **state)
{
    (void)state;
    bool shown[LAYOUT_MAX_COLS];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        columns_of((enum ipc_class)c, &n);
        /* only the last column; then KEY and the last one */
        memset(shown, 0, sizeof shown);
        shown[n - 1] = true;
        check_class((enum ipc_class)c, shown, -1);
        shown[0] = true;
        check_class((enum ipc_class)c, shown, -1);
        /* none at all */
        memset(shown, 0, sizeof shown);
        for (int w = 1; w <= MAX_WIDTH; w++) {
            struct layout l;
            size_t nc;
            const struct column *cols = columns_of((enum ipc_class)c, &nc);
            layout_columns(cols, nc, shown, w, GUTTER, -1, &l);
            assert_int_equal(l.n, 0);
            assert_true(l.width <= w);
        }
    }
}

/* No room past the gutter: nothing laid out, nothing drawn past the edge. */
static void test_tiny_widths(void **state)
{
    (void)state;
    bool shown[LAYOUT_MAX_COLS];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        default_shown((enum ipc_class)c, shown);
        for (int w = 0; w <= GUTTER; w++) {
            struct layout l;
            layout_columns(cols, n, shown, w, GUTTER, -1, &l);
            assert_int_equal(l.n, 0);
        }
        /* one cell past the gutter: KEY, cut to that cell */
        struct layout l;
        layout_columns(cols, n, shown, GUTTER + 1, GUTTER, -1, &l);
        assert_int_equal(l.n, 1);
        assert_int_equal(l.cols[0].col, 0);
        assert_int_equal(l.cols[0].x, GUTTER);
        assert_int_equal(l.cols[0].width, 1);
    }
}

/* At the widths people use, the columns they look at first are there. */
static void test_common_widths(void **state)
{
    (void)state;
    static const struct {
        enum ipc_class cls;
        const char *must[6];
    } want[] = {
        {IPC_SHM, {"key", "id", "owner", "size", "nattch", NULL}},
        {IPC_SEM, {"key", "id", "owner", "nsems", "waiters", NULL}},
        {IPC_MSG, {"key", "id", "owner", "msgs", "usedbytes", NULL}},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        size_t n;
        const struct column *cols = columns_of(want[k].cls, &n);
        bool shown[LAYOUT_MAX_COLS];
        default_shown(want[k].cls, shown);
        for (int w = 80; w <= MAX_WIDTH; w++) {
            struct layout l;
            layout_columns(cols, n, shown, w, GUTTER, -1, &l);
            for (size_t m = 0; want[k].must[m]; m++) {
                int col = column_find(want[k].cls, want[k].must[m]);
                assert_true(col >= 0);
                if (!present(&l, col))
                    fail_msg("%s at %d columns: no %s", ipc_class_name(want[k].cls), w,
                             want[k].must[m]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_columns), cmocka_unit_test(test_every_column),
        cmocka_unit_test(test_flexible_column), cmocka_unit_test(test_few_columns),
        cmocka_unit_test(test_tiny_widths),     cmocka_unit_test(test_common_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
