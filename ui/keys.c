#include "keys.h"

#include "app.h"
#include "kind.h"

#include <ncurses.h>
#include <stdio.h>
#include <string.h>

/* ---- actions ------------------------------------------------------------------------- */

static unsigned act_help(struct app *a)
{
    return app_push(a, help_screen_new());
}

static unsigned act_quit(struct app *a)
{
    a->quit = true;
    return RX_NONE;
}

static unsigned switch_to(struct app *a, int k)
{
    if (k < 0 || k >= IPC_NCLASSES) return RX_NONE;
    a->kind = (enum ipc_class)k;
    return RX_REDRAW;
}

static unsigned act_next_screen(struct app *a)
{
    return switch_to(a, ((int)a->kind + 1) % IPC_NCLASSES);
}

static unsigned act_prev_screen(struct app *a)
{
    return switch_to(a, ((int)a->kind + IPC_NCLASSES - 1) % IPC_NCLASSES);
}

/* 1, 2, 3...: the list of the kind registered in that place */
static unsigned act_list_1(struct app *a)
{
    return switch_to(a, 0);
}

static unsigned act_list_2(struct app *a)
{
    return switch_to(a, 1);
}

static unsigned act_list_3(struct app *a)
{
    return switch_to(a, 2);
}

static unsigned move_by(struct app *a, long delta)
{
    list_move(app_list(a), delta, (size_t)app_list_height(a));
    return RX_REDRAW;
}

static unsigned act_up(struct app *a)
{
    return move_by(a, -1);
}

static unsigned act_down(struct app *a)
{
    return move_by(a, 1);
}

static unsigned act_pgup(struct app *a)
{
    return move_by(a, -(long)app_list_height(a));
}

static unsigned act_pgdn(struct app *a)
{
    return move_by(a, app_list_height(a));
}

static unsigned act_home(struct app *a)
{
    list_select(app_list(a), 0, (size_t)app_list_height(a));
    return RX_REDRAW;
}

static unsigned act_end(struct app *a)
{
    struct list_model *m = app_list(a);
    if (m->n) list_select(m, m->n - 1, (size_t)app_list_height(a));
    return RX_REDRAW;
}

static unsigned act_detail(struct app *a)
{
    return app_push(a, detail_screen_new(a, false));
}

static unsigned act_search(struct app *a)
{
    return app_push(a, prompt_new(a, false));
}

static unsigned act_search_next(struct app *a)
{
    if (!a->search[0]) return act_search(a);
    struct col_ctx cx = app_col_ctx(a);
    if (!list_search_next(app_list(a), &cx, a->search, (size_t)app_list_height(a)))
        app_message(a, false, "no row matches '%s'", a->search);
    return RX_REDRAW;
}

static unsigned act_filter(struct app *a)
{
    return app_push(a, prompt_new(a, true));
}

static unsigned act_columns(struct app *a)
{
    return app_push(a, columns_menu_new(a));
}

static unsigned act_sort_menu(struct app *a)
{
    return app_push(a, sort_menu_new(a));
}

/* Next shown column to sort by, in direction dir. */
static unsigned sort_step(struct app *a, int dir)
{
    struct list_model *m = app_list(a);
    size_t n;
    columns_of(a->kind, &n);
    int c = m->sort_col;
    for (size_t k = 0; k < n; k++) {
        c = (c + dir + (int)n) % (int)n;
        if (a->shown[a->kind][c]) break;
    }
    m->sort_col = c;
    return RX_RESORT | RX_REDRAW;
}

static unsigned act_sort_prev(struct app *a)
{
    return sort_step(a, -1);
}

static unsigned act_sort_next(struct app *a)
{
    return sort_step(a, 1);
}

static unsigned act_sort_invert(struct app *a)
{
    app_list(a)->descending = !app_list(a)->descending;
    return RX_RESORT | RX_REDRAW;
}

static unsigned act_tag(struct app *a)
{
    struct list_model *m = app_list(a);
    const struct row *r = list_selected(m);
    if (!r) return RX_NONE;
    if (r->state == OBJ_GONE) {
        app_message(a, false, "%s %d is gone: it cannot be tagged", ipc_class_name(a->kind),
                    r->key.id);
        return RX_REDRAW;
    }
    list_toggle_tag(m, &r->key);
    list_move(m, 1, (size_t)app_list_height(a)); /* as in htop: tag and step down */
    return RX_REDRAW;
}

static unsigned act_untag_all(struct app *a)
{
    list_untag_all(app_list(a));
    return RX_REDRAW;
}

static unsigned act_pause(struct app *a)
{
    a->paused = !a->paused;
    refresher_pause(a->refresher, a->paused);
    app_message(a, false, a->paused ? "paused: Z resumes refreshing" : "refreshing again");
    return RX_REDRAW;
}

static unsigned act_redraw(struct app *a)
{
    (void)a;
    return RX_CLEAR | RX_REDRAW;
}

static unsigned act_leaks(struct app *a)
{
    struct list_model *m = app_list(a);
    m->leaks_only = !m->leaks_only;
    app_message(a, false,
                m->leaks_only ? "showing only leak candidates (L shows everything)"
                              : "showing every object");
    return RX_RESORT | RX_REDRAW;
}

static unsigned act_tag_all(struct app *a)
{
    size_t n = list_tag_all(app_list(a));
    app_message(a, false, "%zu tagged: F9 removes them, U untags", n);
    return RX_REDRAW;
}

static unsigned act_remove(struct app *a)
{
    return app_push(a, removal_dialog_new(a));
}

/* 'x': what the selected object holds, if its kind has content — a segment's bytes in the
 * viewer, a queue's messages in its detail pane */
static unsigned act_view(struct app *a)
{
    const struct row *r = list_selected(app_list(a));
    enum kind_content what = kind_of(a->kind)->content;
    if (what == KIND_NO_CONTENT || !r) {
        app_message(a, false, "x shows a segment's bytes or a queue's messages: select one");
        return RX_REDRAW;
    }
    if (r->state == OBJ_GONE) {
        app_message(a, false, "%s %d is gone", kind_of(a->kind)->name, r->key.id);
        return RX_REDRAW;
    }
    if (what == KIND_BYTES) return app_push(a, viewer_screen_new(a, r->key.id)) | RX_CLEAR;
    /* messages: in the detail pane, which 'x' opens or, when it is open, toggles */
    struct ui_screen *top = app_top(a);
    if (!detail_screen_is(top)) return app_push(a, detail_screen_new(a, true));
    detail_screen_toggle_messages(top, a);
    return RX_REDRAW;
}

static const double delays[] = {0.25, 0.5, 1, 2, 3, 5, 10, 30, 60};
#define NDELAYS (sizeof delays / sizeof delays[0])

static unsigned set_delay(struct app *a, int dir)
{
    size_t i = 0;
    while (i + 1 < NDELAYS && delays[i] < a->delay - 1e-9) i++;
    if (dir > 0 && delays[i] <= a->delay + 1e-9 && i + 1 < NDELAYS)
        i++;
    else if (dir < 0 && i > 0)
        i--;
    a->delay = delays[i];
    refresher_set_delay(a->refresher, a->delay);
    app_message(a, false, "refreshing every %gs", a->delay);
    return RX_REDRAW;
}

static unsigned act_delay_longer(struct app *a)
{
    return set_delay(a, 1);
}

static unsigned act_delay_shorter(struct app *a)
{
    return set_delay(a, -1);
}

/* ---- tables -------------------------------------------------------------------------- */

static const struct action_info actions[] = {
    {ACT_HELP, "F1 h ?", "this help", act_help},
    {ACT_NEXT_SCREEN, "Tab", "next list", act_next_screen},
    {ACT_PREV_SCREEN, "Shift-Tab", "previous list", act_prev_screen},
    {ACT_LIST_1, "1", "first list", act_list_1},
    {ACT_LIST_2, "2", "second list", act_list_2},
    {ACT_LIST_3, "3", "third list", act_list_3},
    {ACT_UP, "Up k", "row above", act_up},
    {ACT_DOWN, "Down j", "row below", act_down},
    {ACT_PGUP, "PgUp", "page up", act_pgup},
    {ACT_PGDN, "PgDn", "page down", act_pgdn},
    {ACT_HOME, "Home g", "first row", act_home},
    {ACT_END, "End G", "last row", act_end},
    {ACT_DETAIL, "Enter", "details (Esc closes)", act_detail},
    {ACT_SEARCH, "F3 /", "search key, id, owner", act_search},
    {ACT_SEARCH_NEXT, "n", "next match", act_search_next},
    {ACT_FILTER, "F4 \\", "filter rows (empty clears)", act_filter},
    {ACT_SORT_MENU, "F6", "sort column menu", act_sort_menu},
    {ACT_COLUMNS, "F2 C", "columns shown", act_columns},
    {ACT_SORT_PREV, "<", "sort by column to left", act_sort_prev},
    {ACT_SORT_NEXT, ">", "sort by column to right", act_sort_next},
    {ACT_SORT_INVERT, "I", "invert sort order", act_sort_invert},
    {ACT_TAG, "Space", "tag/untag row", act_tag},
    {ACT_UNTAG_ALL, "U", "untag all", act_untag_all},
    {ACT_TAG_ALL, "T", "tag every row shown", act_tag_all},
    {ACT_LEAKS, "L", "only leak candidates", act_leaks},
    {ACT_REMOVE, "F9 Del", "remove tagged/selected", act_remove},
    {ACT_VIEW, "x", "segment bytes, messages", act_view},
    {ACT_PAUSE, "Z", "pause refreshing", act_pause},
    {ACT_DELAY_LONGER, "+", "refresh less often", act_delay_longer},
    {ACT_DELAY_SHORTER, "-", "refresh more often", act_delay_shorter},
    {ACT_REDRAW, "Ctrl-L", "redraw", act_redraw},
    {ACT_QUIT, "F10 q", "quit", act_quit},
};

static const struct key_binding bindings[] = {
    {KC(KEY_F(1)), ACT_HELP},
    {'h', ACT_HELP},
    {'?', ACT_HELP},
    {'\t', ACT_NEXT_SCREEN},
    {KC(KEY_BTAB), ACT_PREV_SCREEN},
    {'1', ACT_LIST_1},
    {'2', ACT_LIST_2},
    {'3', ACT_LIST_3},
    {KC(KEY_UP), ACT_UP},
    {'k', ACT_UP},
    {KC(KEY_DOWN), ACT_DOWN},
    {'j', ACT_DOWN},
    {KC(KEY_PPAGE), ACT_PGUP},
    {KC(KEY_NPAGE), ACT_PGDN},
    {KC(KEY_HOME), ACT_HOME},
    {'g', ACT_HOME},
    {KC(KEY_END), ACT_END},
    {'G', ACT_END},
    {'\n', ACT_DETAIL},
    {'\r', ACT_DETAIL},
    {KC(KEY_ENTER), ACT_DETAIL},
    {KC(KEY_F(3)), ACT_SEARCH},
    {'/', ACT_SEARCH},
    {'n', ACT_SEARCH_NEXT},
    {KC(KEY_F(4)), ACT_FILTER},
    {'\\', ACT_FILTER},
    {KC(KEY_F(6)), ACT_SORT_MENU},
    {KC(KEY_F(2)), ACT_COLUMNS},
    {'C', ACT_COLUMNS},
    {'<', ACT_SORT_PREV},
    {',', ACT_SORT_PREV},
    {'>', ACT_SORT_NEXT},
    {'.', ACT_SORT_NEXT},
    {'I', ACT_SORT_INVERT},
    {' ', ACT_TAG},
    {'U', ACT_UNTAG_ALL},
    {'Z', ACT_PAUSE},
    {'z', ACT_PAUSE},
    {'+', ACT_DELAY_LONGER},
    {'-', ACT_DELAY_SHORTER},
    {KEY_CTRL('l'), ACT_REDRAW},
    {KC(KEY_F(10)), ACT_QUIT},
    {'q', ACT_QUIT},
    {'L', ACT_LEAKS},
    {'T', ACT_TAG_ALL},
    {KC(KEY_F(9)), ACT_REMOVE},
    {KC(KEY_DC), ACT_REMOVE},
    {'x', ACT_VIEW},
};

const struct key_binding *keys_bindings(size_t *n)
{
    *n = sizeof bindings / sizeof bindings[0];
    return bindings;
}

const struct action_info *keys_actions(size_t *n)
{
    *n = sizeof actions / sizeof actions[0];
    return actions;
}

keycode key_decode(bool special, uint32_t code)
{
    if (special) return code < KEYC_BASE ? KC(code) : KC_NONE;
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return KC_NONE;
    return code;
}

enum mouse_kind mouse_decode(uint64_t bstate)
{
    if (bstate & BUTTON4_PRESSED) return MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
    if (bstate & BUTTON5_PRESSED) return MOUSE_WHEEL_DOWN;
#endif
    if (bstate & BUTTON1_DOUBLE_CLICKED) return MOUSE_DOUBLE_CLICK;
    if (bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) return MOUSE_CLICK;
    return MOUSE_NONE;
}

enum action keys_lookup(keycode key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].key == key) return bindings[i].action;
    return ACT_NONE;
}

unsigned keys_run(struct app *a, enum action act)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (actions[i].id == act) return actions[i].run(a);
    return RX_NONE;
}
