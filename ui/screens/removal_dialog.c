/*
 * The removal dialog (F9 or Del in a list): the objects to remove, each with its verdict
 * and why; y removes; an object not certainly leaked asks a second time, naming why (Y
 * removes anyway, l only the certainly leaked ones); then one outcome line each, and any
 * key closes. The list under it stays as it was shown while it is open (freeze).
 */
#include "app.h"
#include "frame.h"
#include "removal.h"
#include "theme.h"

#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>

struct removal_dialog {
    struct ui_screen base;
    struct removal rm;
};

/* After the removals: the outcome in the status line, the removed objects untagged. */
static unsigned done(struct removal_dialog *s, struct app *a)
{
    size_t ok = 0, n = s->rm.n;
    for (size_t i = 0; i < n; i++) {
        const struct removal_item *it = &s->rm.batch.items[i];
        if (it->status == ACTION_DONE || it->status == ACTION_GONE) {
            ok++;
            struct list_model *m = &a->lists[it->cls];
            if (list_is_tagged(m, &it->key)) list_toggle_tag(m, &it->key);
        }
    }
    app_message(a, ok < n, "%zu of %zu removed (or already gone)", ok, n);
    refresher_poke(a->refresher);
    return RX_REDRAW;
}

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct removal_dialog *s = (struct removal_dialog *)self;
    struct removal *rm = &s->rm;
    switch (rm->stage) {
    case RM_CONFIRM:
        if (k != 'y' && k != 'Y') break;
        /* something not certainly leaked: ask again, naming why */
        if (rm->doubtful) {
            rm->stage = RM_CONFIRM_MORE;
            return RX_REDRAW;
        }
        removal_execute(rm, a, false);
        return done(s, a);
    case RM_CONFIRM_MORE:
        if (k != 'Y' && k != 'l') break;
        if (k == 'l' && rm->doubtful == rm->n) {
            app_message(a, false, "nothing removed: none of them is certainly leaked");
            return app_pop(a);
        }
        removal_execute(rm, a, k == 'l');
        return done(s, a);
    case RM_DONE: return app_pop(a); /* any key closes the results */
    }
    app_message(a, false, "nothing removed");
    return app_pop(a);
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    const struct removal *rm = &((const struct removal_dialog *)self)->rm;
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS;
    clear_rows(y0, height);
    int y = y0, end = y0 + height;
    char t[480];
    switch (rm->stage) {
    case RM_CONFIRM:
        snprintf(t, sizeof t, "Remove %zu object%s?  y removes, any other key cancels", rm->n,
                 rm->n == 1 ? "" : "s");
        put_cells(y++, 0, COLS, t, false, theme_attr(R_COLHDR));
        if (rm->doubtful && y < end) {
            snprintf(t, sizeof t,
                     "WARNING: %zu of them %s NOT certainly leaked - you will be asked again",
                     rm->doubtful, rm->doubtful == 1 ? "is" : "are");
            put_cells(y++, 0, COLS, t, false, theme_attr(R_ERROR));
        }
        break;
    case RM_CONFIRM_MORE:
        snprintf(t, sizeof t,
                 "%zu of them %s NOT certainly leaked: removing %s may break the programs "
                 "using %s.",
                 rm->doubtful, rm->doubtful == 1 ? "is" : "are", rm->doubtful == 1 ? "it" : "them",
                 rm->doubtful == 1 ? "it" : "them");
        put_cells(y++, 0, COLS, t, false, theme_attr(R_ERROR));
        if (y < end)
            put_cells(y++, 0, COLS,
                      "Y removes them anyway, l removes only the certainly leaked ones, any "
                      "other key cancels",
                      false, theme_attr(R_COLHDR));
        break;
    case RM_DONE:
        put_cells(y++, 0, COLS, "Removal results (any key closes)", false, theme_attr(R_COLHDR));
        break;
    }
    for (size_t i = 0; i < rm->n && y < end; i++) {
        const struct removal_entry *e = &rm->entries[i];
        if (rm->stage == RM_DONE) {
            const struct removal_item *it = &rm->batch.items[i];
            bool ok = it->status == ACTION_DONE || it->status == ACTION_GONE;
            put_cells(y++, 1, COLS - 1, it->outcome, false, theme_attr(ok ? R_NORMAL : R_ALERT));
            continue;
        }
        bool doubt = e->kind != LEAK_LEAKED;
        /* the second step shows only the ones it asks about */
        if (rm->stage == RM_CONFIRM_MORE && !doubt) continue;
        put_cells(y++, 1, COLS - 1, e->text, false, theme_attr(doubt ? R_ALERT : R_NORMAL));
        if (y < end) {
            const char *word = e->kind == LEAK_LEAKED     ? "LEAKED"
                               : e->kind == LEAK_POSSIBLY ? "POSSIBLY LEAKED"
                                                          : "NOT LEAKED";
            snprintf(t, sizeof t, "    %s: %s", word, e->why);
            put_cells(y++, 1, COLS - 1, t, false, theme_attr(doubt ? R_ALERT : R_DIM));
        }
    }
}

static void destroy(struct ui_screen *self)
{
    struct removal_dialog *s = (struct removal_dialog *)self;
    removal_free(&s->rm);
    free(s);
}

static const struct ui_screen_ops ops = {
    .name = "removal",
    .area = SA_LIST,
    .freeze = true,
    SCREEN_CLOSE_KEYS,
    .key = key,
    .draw = draw,
    .destroy = destroy,
};

struct ui_screen *removal_dialog_new(struct app *a)
{
    if (a->opt->readonly) {
        app_message(a, true, "read-only mode (--readonly): removing objects is disabled");
        return NULL;
    }
    struct removal_dialog *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    if (!removal_prepare(&s->rm, a)) {
        free(s);
        return NULL;
    }
    return &s->base;
}
