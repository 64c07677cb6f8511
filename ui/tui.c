/*
 * The interactive monitor's loop: waits on the terminal and on the refresher at once,
 * hands each key to the screen on top of the stack, takes new views, lets every screen
 * bring its derived state up to date, then draws — the frame around and the screens from
 * the lowest one that covers the list area up. Drawing changes nothing.
 */
#include "tui.h"

#include "app.h"
#include "demo_runner.h"
#include "frame.h"
#include "kind.h"
#include "keys.h"
#include "run.h"
#include "terminal.h"
#include "theme.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <ncurses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- input ------------------------------------------------------------------------------ */

/* A click on what the frame draws (tabs, key bar) is the frame's; the rest the top
 * screen's. */
static unsigned mouse_event(struct app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK) return RX_NONE;
    enum mouse_kind mk = mouse_decode((uint64_t)ev.bstate);
    struct ui_screen *top = app_top(a);
    bool click = mk == MOUSE_CLICK || mk == MOUSE_DOUBLE_CLICK;
    if (click && ev.y == LINES - 1) {
        enum action act;
        if (!frame_fkey_at(a, ev.x, &act)) return RX_NONE;
        return act == ACT_NONE ? app_pop(a) : keys_run(a, act);
    }
    if (click && ev.y == HEADER_ROWS - 1 && top->ops->area != SA_WHOLE) {
        int k = frame_tab_at(a, ev.x);
        if (k < 0) return RX_NONE;
        /* a tab leaves whatever was open over the list */
        while (a->depth > 1) app_pop(a);
        a->kind = (enum ipc_class)k;
        return RX_REDRAW;
    }
    if (mk == MOUSE_NONE || !top->ops->mouse) return RX_NONE;
    return top->ops->mouse(top, a, mk, ev.y, ev.x);
}

static unsigned handle_input(struct app *a, keycode k)
{
    if (k == KC_NONE) return RX_NONE;
    if (k == KC(KEY_RESIZE)) {
        getmaxyx(stdscr, a->rows, a->cols);
        return RX_CLEAR | RX_REDRAW;
    }
    if (k == KC(KEY_MOUSE)) return mouse_event(a);
    struct ui_screen *top = app_top(a);
    return top->ops->key(top, a, k);
}

/* ---- views ------------------------------------------------------------------------------ */

static void take_view(struct app *a)
{
    const struct refresh_view *v;
    char err[512];
    if (!refresher_take(a->refresher, &v, err, sizeof err)) {
        if (err[0]) app_message(a, true, "%s", err);
        return;
    }
    a->view = v;
    a->views_seen++;
    if (!tracker_update(&a->tracker, &v->model.diff, v->seq))
        app_message(a, true, "out of memory: new objects are not highlighted");
    app_rebuild(a);
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops->new_view) a->stack[i]->ops->new_view(a->stack[i], a);
}

/* ---- drawing ---------------------------------------------------------------------------- */

/*
 * What the refreshes read: of the kind on screen, every field but those only a costly
 * source gives (kind.h: collect.procfs_only — a segment's rss and swap, only in
 * /proc/sysvipc/shm, whose text costs the kernel more than the rest of a refresh), and
 * those too while a shown column or the sort needs them or a screen over the list (the
 * detail pane, a dialog) is open; of the other kinds what costs nothing extra. A field
 * newly wanted asks for a refresh at once; until it arrives it shows as unknown.
 */
static void want_fields(struct app *a)
{
    uint64_t want[IPC_NCLASSES] = {0};
    const uint64_t costly = kind_of(a->kind)->collect.procfs_only;
    uint64_t needed = a->depth > 1 ? costly : 0;
    size_t n;
    const struct column *cols = columns_of(a->kind, &n);
    for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++)
        if (a->shown[a->kind][i] || (int)i == a->lists[a->kind].sort_col) needed |= cols[i].fields;
    want[a->kind] = ~costly | (needed & costly);
    if (a->want_told && memcmp(want, a->want, sizeof want) == 0) return;
    memcpy(a->want, want, sizeof want);
    a->want_told = true;
    refresher_want(a->refresher, want);
    if (a->view && (a->view->cur->unasked[a->kind] & want[a->kind])) refresher_poke(a->refresher);
}

/* Everything derived, before drawing: the status message that expired, each screen's
 * own state (a screen with nothing left to show closes). */
static void prepare(struct app *a, bool resort)
{
    want_fields(a);
    if (a->status[0] && a->status_until && app_now() >= a->status_until) a->status[0] = '\0';
    /* sort or filter changed: rebuild from the view (filtered-out rows come back) */
    if (resort)
        app_rebuild(a);
    else
        app_sync(a);
    for (int i = 0; i < a->depth; i++) {
        struct ui_screen *s = a->stack[i];
        if (s->ops->prepare && !s->ops->prepare(s, a)) {
            /* it and what was opened over it */
            while (a->depth > i && a->depth > 1) app_pop(a);
            break;
        }
    }
}

static void draw_all(const struct app *a)
{
    if (COLS < MIN_COLS || LINES < MIN_ROWS) {
        frame_draw_too_small();
        refresh();
        return;
    }
    frame_draw_header(a);
    /* from the highest screen that covers what is below it */
    int first = a->depth - 1;
    while (first > 0 && a->stack[first]->ops->area == SA_POPUP) first--;
    if (a->stack[first]->ops->area != SA_WHOLE) frame_draw_tabs(a);
    for (int i = first; i < a->depth; i++) a->stack[i]->ops->draw(a->stack[i], a);
    frame_draw_status(a);
    frame_draw_fkeys(a);
    const struct ui_screen *top = app_top(a);
    int y, x;
    if (top->ops->cursor && top->ops->cursor(top, a, &y, &x)) {
        curs_set(1);
        move(y, x);
    } else {
        curs_set(0);
    }
    refresh();
}

/* ---- the loop --------------------------------------------------------------------------- */

static void run_loop(struct app *a)
{
    unsigned rx = RX_REDRAW;
    while (!a->quit && !run_stop_requested()) {
        if (rx & (RX_REDRAW | RX_RESORT | RX_CLEAR)) {
            prepare(a, rx & RX_RESORT);
            if (rx & RX_CLEAR) clearok(curscr, TRUE);
            draw_all(a);
        }
        rx = RX_NONE;
        if (a->opt->iterations && a->views_seen >= a->opt->iterations) break;

        /* while a screen on top keeps what it shows (the removal dialog), no new refresh */
        bool frozen = app_top(a)->ops->freeze;
        struct pollfd pf[2] = {{terminal_input_fd(), POLLIN, 0},
                               {refresher_fd(a->refresher), POLLIN, 0}};
        /* wake up once a second for the clock and for messages that expire */
        int r = poll(pf, frozen ? 1 : 2, 1000);
        if (r < 0 && errno != EINTR) break;
        if (r < 0) {
            /* SIGWINCH interrupts the wait: ncurses then has a KEY_RESIZE for us */
            pf[0].revents = POLLIN;
            r = 1;
        }
        if (frozen) pf[1].revents = 0;
        if (r == 0) {
            rx |= RX_REDRAW;
            continue;
        }
        if (pf[1].revents & POLLIN) {
            take_view(a);
            rx |= RX_REDRAW;
        }
        if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            wint_t ch;
            int k;
            while ((k = get_wch(&ch)) != ERR)
                rx |= handle_input(a, key_decode(k == KEY_CODE_YES, (uint32_t)ch));
            if (pf[0].revents & (POLLHUP | POLLERR)) break; /* the terminal went away */
        }
    }
}

static void app_free(struct app *a)
{
    while (a->depth > 1) app_pop(a);
    if (a->depth) screen_destroy(a->stack[0]);
    a->depth = 0;
    for (int c = 0; c < IPC_NCLASSES; c++) list_free(&a->lists[c]);
    tracker_free(&a->tracker);
    users_free(a->users);
}

int tui_run(const struct options *o)
{
    setlocale(LC_ALL, "");
    struct app a;
    memset(&a, 0, sizeof a);
    a.opt = o;
    a.color = !o->no_color;
    a.mouse = !o->no_mouse;
    a.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    a.users = users_new();
    tracker_init(&a.tracker);
    for (int c = 0; c < IPC_NCLASSES; c++) list_init(&a.lists[c], (enum ipc_class)c);
    app_push(&a, list_screen_new());
    app_settings_load(&a);

    char err[2048];
    if (!a.depth) {
        fprintf(stderr, "ipctop: out of memory\n");
        app_free(&a);
        return 1;
    }
    if (!app_sort_option_valid(o->sort, err, sizeof err)) {
        fprintf(stderr, "ipctop: %s\n", err);
        app_free(&a);
        return 2;
    }
    struct demo_runner *demo = NULL;
    if (o->demo && !(demo = demo_runner_start(err, sizeof err))) {
        fprintf(stderr, "ipctop: %s\n", err);
        app_free(&a);
        return 1;
    }
    if (!terminal_start(&a, err, sizeof err)) {
        fprintf(stderr, "ipctop: %s\n", err);
        demo_runner_stop(demo);
        app_free(&a);
        return 1;
    }
    struct collect_options co = run_collect_options(o);
    struct model_params mp = {o->older_than};
    a.refresher = refresher_start(&co, &mp, a.delay, err, sizeof err);
    if (!a.refresher) {
        terminal_end(&a);
        fprintf(stderr, "ipctop: %s\n", err);
        demo_runner_stop(demo);
        app_free(&a);
        return 1;
    }
    /* SIGINT, SIGTERM, SIGHUP, SIGQUIT end the loop (poll returns EINTR), the terminal is
     * restored; other fatal signals restore it in terminal.c */
    run_install_stop_handlers();
    run_install_quit_handler();
    if (demo)
        app_message(&a, false, "demo: a generated workload in a private IPC namespace; q quits");
    run_loop(&a);

    terminal_end(&a);
    /* the screens first: they may hold a view of the refresher's */
    while (a.depth > 1) app_pop(&a);
    refresher_stop(a.refresher);
    demo_runner_stop(demo);
    app_settings_save(&a);
    app_free(&a);
    return 0;
}
