/*
 * The interactive monitor's loop: waits on the terminal and on the refresher at once,
 * hands keys to the overlay on top or to the key table, takes new views, draws.
 */
#include "tui.h"

#include "actions.h"
#include "app.h"
#include "demo_runner.h"
#include "detail.h"
#include "draw.h"
#include "format.h"
#include "inputfilter.h"
#include "keys.h"
#include "lineedit.h"
#include "run.h"
#include "termcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <langinfo.h>
#include <math.h>
#include <ncurses.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- app helpers used by keys and drawing ------------------------------------------- */

double app_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct col_ctx app_col_ctx(const struct app *a)
{
    return (struct col_ctx){a->view ? &a->view->diff : NULL,
                            a->view ? &a->view->who : NULL,
                            a->users,
                            (int64_t)time(NULL),
                            a->opt->bytes,
                            a->utf8,
                            a->opt->older_than};
}

void app_message(struct app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->status_error = error;
    a->status_until = app_now() + (error ? 8 : 4);
}

int app_list_height(const struct app *a)
{
    int h = a->rows - HEADER_ROWS - 1 - FOOTER_ROWS;
    return h > 0 ? h : 0;
}

bool app_detail(struct app *a, struct detail *d)
{
    const struct row *r = list_selected(app_list(a));
    if (!r) return false;
    struct col_ctx cx = app_col_ctx(a);
    if (!detail_build(d, a->screen, &cx, r)) return false;
    if (a->screen == IPC_MSG && a->peek.on && a->peek.msqid == r->id) peek_lines(&a->peek, d);
    return true;
}

const struct signal_choice *app_signals(size_t *n, int *preselect)
{
    static const struct signal_choice sigs[] = {
        {SIGHUP, "HUP"},   {SIGINT, "INT"},   {SIGQUIT, "QUIT"}, {SIGABRT, "ABRT"},
        {SIGKILL, "KILL"}, {SIGUSR1, "USR1"}, {SIGUSR2, "USR2"}, {SIGALRM, "ALRM"},
        {SIGTERM, "TERM"}, {SIGCONT, "CONT"}, {SIGSTOP, "STOP"}, {SIGTSTP, "TSTP"},
    };
    *n = sizeof sigs / sizeof sigs[0];
    *preselect = 8; /* SIGTERM, as htop */
    return sigs;
}

void app_rebuild(struct app *a)
{
    if (!a->view) return;
    struct col_ctx cx = app_col_ctx(a);
    /* only the list on screen: the others are built when they are shown */
    if (!list_rebuild(&a->lists[a->screen], &a->view->diff, &cx, &a->tracker))
        app_message(a, true, "out of memory: the list may be incomplete");
    a->list_seq[a->screen] = a->view->seq;
}

void app_sync(struct app *a)
{
    if (a->view && a->list_seq[a->screen] != a->view->seq) app_rebuild(a);
}

struct list_model *app_list(struct app *a)
{
    app_sync(a);
    return &a->lists[a->screen];
}

/* ---- settings ------------------------------------------------------------------------ */

static void apply_settings(struct app *a, const struct settings *s)
{
    a->screen = s->screen;
    a->delay = s->delay;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        a->lists[c].sort_col = s->sort_col[c];
        a->lists[c].descending = s->descending[c];
        memcpy(a->shown[c], s->shown[c], sizeof a->shown[c]);
    }
}

static void current_settings(const struct app *a, struct settings *s)
{
    s->screen = a->screen;
    s->delay = a->delay;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        s->sort_col[c] = a->lists[c].sort_col;
        s->descending[c] = a->lists[c].descending;
        memcpy(s->shown[c], a->shown[c], sizeof s->shown[c]);
    }
}

/* Loads the settings, then lets the command line override them. */
static void load_settings(struct app *a)
{
    char msg[1200];
    a->settings_state = SETTINGS_NONE;
    settings_defaults(&a->settings);
    if (!settings_path(a->settings_path, sizeof a->settings_path)) {
        a->settings_path[0] = '\0';
    } else {
        a->settings_state = settings_load(a->settings_path, &a->settings, msg, sizeof msg);
        /* said once, at the start: a bad value, or a file that will not be written */
        if (msg[0]) app_message(a, true, "%s", msg);
    }
    apply_settings(a, &a->settings);
    if (a->opt->delay_given) a->delay = a->opt->delay;
    /* -s names a column of any list: every list that has it sorts by it */
    for (int k = 0; a->opt->sort && k < IPC_NCLASSES; k++) {
        int col = column_find((enum ipc_class)k, a->opt->sort);
        if (col >= 0) a->lists[k].sort_col = col;
    }
    current_settings(a, &a->started);
}

/* -s must name a column of at least one list. */
static bool sort_option_valid(const char *name, char *err, size_t errlen)
{
    if (!name) return true;
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (column_find((enum ipc_class)k, name) >= 0) return true;
    char shown[160];
    sanitize_text(shown, sizeof shown, name, strlen(name)); /* never a raw control byte */
    int off = snprintf(err, errlen, "-s: no column is named '%s'; columns are", shown);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)k, &n);
        for (size_t i = 0; i < n && off > 0 && (size_t)off < errlen; i++) {
            bool dup = false;
            for (int j = 0; j < k && !dup; j++)
                dup = column_find((enum ipc_class)j, cols[i].name) >= 0;
            if (!dup) off += snprintf(err + off, errlen - (size_t)off, " %s", cols[i].name);
        }
    }
    return false;
}

/* Writes what the person changed during the run, and only that: -d and -s are for this
 * run, and a setting left as it started keeps the file's line (even a bad one). */
static void save_settings(struct app *a)
{
    if (!a->settings_path[0] || a->settings_state == SETTINGS_KEPT) return;
    struct settings now;
    current_settings(a, &now);
    bool changed[SETTINGS_NKEYS];
    if (settings_diff(&a->started, &now, changed) == 0) return;
    char err[1200];
    if (settings_save(a->settings_path, &now, changed, err, sizeof err) < 0)
        fprintf(stderr, "ipctop: %s\n", err);
}

/* ---- input --------------------------------------------------------------------------- */
/* Every handler takes a keycode (keys.h): a typed character never means a special key. */

static unsigned prompt_key(struct app *a, keycode k)
{
    struct prompt *p = &a->prompt;
    struct list_model *m = app_list(a);
    struct col_ctx cx = app_col_ctx(a);
    size_t height = (size_t)app_list_height(a);
    switch (line_edit_key(p->text, sizeof p->text, &p->len, k)) {
    case EDIT_SUBMIT:
        if (p->kind == PROMPT_SEARCH) {
            snprintf(a->search, sizeof a->search, "%s", p->text);
            const struct row *sel = list_selected(m);
            bool here = sel && list_row_matches(m, &cx, sel, p->text);
            if (p->len && !here && !list_search_next(m, &cx, p->text, height))
                app_message(a, false, "no row matches '%s'", p->text);
        }
        a->overlay = OV_NONE;
        return RX_REDRAW;
    case EDIT_CANCEL:
        a->overlay = OV_NONE;
        if (p->kind == PROMPT_FILTER) {
            snprintf(m->filter, sizeof m->filter, "%s", p->saved);
            return RX_RESORT | RX_REDRAW;
        }
        return RX_REDRAW;
    case EDIT_NONE: return RX_NONE;
    case EDIT_CHANGED: break;
    }
    if (p->kind == PROMPT_FILTER) {
        /* the filter applies as it is typed */
        snprintf(m->filter, sizeof m->filter, "%s", p->text);
        return RX_RESORT | RX_REDRAW;
    }
    /* incremental search: stay on the selection while it matches, else the next match */
    const struct row *sel = list_selected(m);
    if (p->len && !(sel && list_row_matches(m, &cx, sel, p->text)))
        list_search_next(m, &cx, p->text, height);
    return RX_REDRAW;
}

/* Up and down in a menu of n entries (the sort, column and signal menus);
 * true when the key was one of them. */
static bool menu_move(int *sel, size_t n, keycode k)
{
    if (k == KC(KEY_UP) || k == 'k') {
        if (*sel > 0) (*sel)--;
        return true;
    }
    if (k == KC(KEY_DOWN) || k == 'j') {
        if ((size_t)*sel + 1 < n) (*sel)++;
        return true;
    }
    return false;
}

static bool is_enter(keycode k)
{
    return k == '\n' || k == '\r' || k == KC(KEY_ENTER);
}

static unsigned sort_menu_key(struct app *a, keycode k)
{
    size_t n;
    columns_of(a->screen, &n);
    if (menu_move(&a->sort_menu_sel, n, k)) return RX_REDRAW;
    if (is_enter(k)) {
        if (app_list(a)->sort_col == a->sort_menu_sel)
            app_list(a)->descending = !app_list(a)->descending;
        app_list(a)->sort_col = a->sort_menu_sel;
        a->overlay = OV_NONE;
        return RX_RESORT | RX_REDRAW;
    }
    if (k == KEY_ESCAPE || k == 'q' || k == KC(KEY_F(6))) {
        a->overlay = OV_NONE;
        return RX_REDRAW;
    }
    return RX_NONE;
}

/* Number of process lines in the detail pane, and the one selected. */
static int detail_procs(struct app *a, int32_t *pid, uint64_t *tics, char *what, size_t wlen)
{
    struct detail d = {0};
    int n = 0;
    if (app_detail(a, &d))
        for (size_t i = 0; i < d.n; i++) {
            if (d.lines[i].role != DL_PROC) continue;
            if (n == a->detail_sel && pid) {
                *pid = d.lines[i].pid;
                *tics = d.lines[i].start_tics;
                snprintf(what, wlen, "%s", d.lines[i].text);
            }
            n++;
        }
    detail_free(&d);
    return n;
}

static unsigned open_signal_menu(struct app *a)
{
    if (a->opt->readonly) {
        app_message(a, true, "read-only mode (--readonly): sending signals is disabled");
        return RX_REDRAW;
    }
    char what[256] = "";
    int32_t pid = 0;
    uint64_t tics = 0;
    if (detail_procs(a, &pid, &tics, what, sizeof what) == 0 || a->detail_sel < 0 || pid <= 0) {
        app_message(a, false, "select a process line first (Up/Down), then F9 to signal it");
        return RX_REDRAW;
    }
    /* squeeze the table line into "pid user command" */
    char *p = what;
    while (*p == ' ') p++;
    char compact[200] = "";
    for (size_t o = 0; *p && o + 1 < sizeof compact; p++)
        if (!(*p == ' ' && o && compact[o - 1] == ' ')) compact[o++] = *p, compact[o] = '\0';
    a->signal.pid = pid;
    a->signal.start_tics = tics;
    snprintf(a->signal.what, sizeof a->signal.what, "%s", compact);
    size_t n;
    app_signals(&n, &a->signal.sel);
    a->overlay = OV_SIGNAL;
    return RX_REDRAW;
}

static unsigned signal_key(struct app *a, keycode k)
{
    size_t n;
    int pre;
    const struct signal_choice *sigs = app_signals(&n, &pre);
    if (menu_move(&a->signal.sel, n, k)) return RX_REDRAW;
    if (is_enter(k)) {
        char msg[256];
        enum action_status st = action_signal(a->signal.pid, a->signal.start_tics,
                                              sigs[a->signal.sel].sig, msg, sizeof msg);
        app_message(a, st != ACTION_DONE, "%s", msg);
        a->overlay = OV_DETAIL;
        refresher_poke(a->refresher); /* show the effect at once */
        return RX_REDRAW;
    }
    a->overlay = OV_DETAIL;
    app_message(a, false, "no signal sent");
    return RX_REDRAW;
}

static unsigned confirm_key(struct app *a, keycode k)
{
    if (k == 'y' || k == 'Y') {
        removal_execute(&a->removal);
        size_t ok = 0;
        for (size_t i = 0; i < a->removal.n; i++) {
            const struct removal_item *it = &a->removal.items[i];
            if (it->status == ACTION_DONE || it->status == ACTION_GONE) {
                ok++;
                struct list_model *m = &a->lists[it->id.cls];
                if (list_is_tagged(m, it->id.id)) list_toggle_tag(m, it->id.id);
            }
        }
        app_message(a, ok < a->removal.n, "%zu of %zu removed (or already gone)", ok, a->removal.n);
        a->overlay = OV_RESULT;
        refresher_poke(a->refresher);
        return RX_REDRAW;
    }
    removal_free(&a->removal);
    a->overlay = OV_NONE;
    app_message(a, false, "nothing removed");
    return RX_REDRAW;
}

static unsigned columns_menu_key(struct app *a, keycode k)
{
    size_t n;
    columns_of(a->screen, &n);
    bool *shown = a->shown[a->screen];
    if (menu_move(&a->sort_menu_sel, n, k)) return RX_REDRAW;
    if (k == ' ') {
        size_t on = 0;
        for (size_t i = 0; i < n; i++) on += shown[i];
        if (shown[a->sort_menu_sel] && on == 1) {
            app_message(a, false, "one column at least stays shown");
            return RX_REDRAW;
        }
        shown[a->sort_menu_sel] = !shown[a->sort_menu_sel];
        return RX_RESORT | RX_REDRAW;
    }
    /* Enter, Esc, F2, q: done */
    a->overlay = OV_NONE;
    return RX_REDRAW;
}

static unsigned detail_key(struct app *a, keycode k)
{
    int nprocs = detail_procs(a, NULL, NULL, NULL, 0);
    if (k == KEY_ESCAPE || k == 'q' || is_enter(k)) {
        a->overlay = OV_NONE;
        return RX_REDRAW;
    }
    if (k == KC(KEY_F(9)) || k == 'K') return open_signal_menu(a);
    if (k == KC(KEY_UP) || k == 'k') {
        /* with processes listed, the arrows pick one; otherwise they scroll */
        if (nprocs)
            a->detail_sel = a->detail_sel > 0 ? a->detail_sel - 1 : 0;
        else if (a->detail_scroll)
            a->detail_scroll--;
        return RX_REDRAW;
    }
    if (k == KC(KEY_DOWN) || k == 'j') {
        if (nprocs)
            a->detail_sel = a->detail_sel + 1 < nprocs ? a->detail_sel + 1 : nprocs - 1;
        else
            a->detail_scroll++;
        return RX_REDRAW;
    }
    if (k == KC(KEY_PPAGE)) {
        a->detail_scroll = a->detail_scroll > 10 ? a->detail_scroll - 10 : 0;
        return RX_REDRAW;
    }
    if (k == KC(KEY_NPAGE)) {
        a->detail_scroll += 10;
        return RX_REDRAW;
    }
    if (k == KC(KEY_HOME)) {
        a->detail_scroll = 0;
        return RX_REDRAW;
    }
    /* keys that still make sense with the pane open */
    enum action act = keys_lookup(k);
    if (act == ACT_QUIT || act == ACT_PAUSE || act == ACT_REDRAW || act == ACT_HELP ||
        act == ACT_DELAY_LONGER || act == ACT_DELAY_SHORTER || act == ACT_VIEW)
        return keys_run(a, act);
    return RX_NONE;
}

static unsigned mouse_event(struct app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK) return RX_NONE;
    enum mouse_kind mk = mouse_decode((uint64_t)ev.bstate);
    size_t height = (size_t)app_list_height(a);
    if (a->overlay == OV_VIEWER) {
        /* the wheel scrolls the bytes, not the list under them */
        bool close = false;
        if (mk == MOUSE_WHEEL_UP) return viewer_key(a->viewer, KC(KEY_UP), &close);
        if (mk == MOUSE_WHEEL_DOWN) return viewer_key(a->viewer, KC(KEY_DOWN), &close);
        return RX_NONE;
    }
    if (mk == MOUSE_WHEEL_UP || mk == MOUSE_WHEEL_DOWN) {
        list_scroll(app_list(a), mk == MOUSE_WHEEL_UP ? -3 : 3, height);
        return RX_REDRAW;
    }
    if (mk != MOUSE_CLICK && mk != MOUSE_DOUBLE_CLICK) return RX_NONE;
    if (a->overlay != OV_NONE && a->overlay != OV_DETAIL) return RX_NONE;
    struct hit h = draw_hit_test(a, ev.y, ev.x);
    switch (h.kind) {
    case HIT_TAB:
        a->screen = (enum ipc_class)h.index;
        a->overlay = OV_NONE;
        return RX_REDRAW;
    case HIT_COLUMN_HEADER: {
        struct list_model *m = app_list(a);
        if (m->sort_col == h.index) m->descending = !m->descending;
        m->sort_col = h.index;
        return RX_RESORT | RX_REDRAW;
    }
    case HIT_ROW:
        if (a->overlay == OV_DETAIL) return RX_NONE;
        if (app_list(a)->top + (size_t)h.index < app_list(a)->n) {
            list_select(app_list(a), app_list(a)->top + (size_t)h.index, height);
            if (mk == MOUSE_DOUBLE_CLICK) return keys_run(a, ACT_DETAIL);
        }
        return RX_REDRAW;
    case HIT_FKEY:
        if (h.index == ACT_NONE) {
            a->overlay = OV_NONE;
            return RX_REDRAW;
        }
        return keys_run(a, (enum action)h.index);
    default: return RX_NONE;
    }
}

static unsigned help_key(struct app *a, keycode k)
{
    /* on a short terminal the help scrolls; every other key closes it, F10 quits */
    if (k == KC(KEY_F(10))) {
        a->quit = true;
        return RX_NONE;
    }
    if (!a->help_fits && (k == KC(KEY_DOWN) || k == KC(KEY_NPAGE))) {
        a->help_scroll += k == KC(KEY_DOWN) ? 1 : 10;
        return RX_REDRAW;
    }
    if (!a->help_fits && (k == KC(KEY_UP) || k == KC(KEY_PPAGE))) {
        size_t d = k == KC(KEY_UP) ? 1 : 10;
        a->help_scroll = a->help_scroll > d ? a->help_scroll - d : 0;
        return RX_REDRAW;
    }
    a->overlay = OV_NONE;
    a->help_scroll = 0;
    return RX_REDRAW;
}

static unsigned viewer_input(struct app *a, keycode k)
{
    int py, px;
    if (k == KC(KEY_F(10)) && !viewer_prompting(a->viewer, &py, &px)) {
        a->quit = true; /* as the key bar says */
        return RX_NONE;
    }
    bool close = false;
    unsigned rx = viewer_key(a->viewer, k, &close);
    if (close) {
        viewer_close(a->viewer);
        a->viewer = NULL;
        a->overlay = OV_NONE;
        return RX_CLEAR | RX_REDRAW;
    }
    return rx;
}

static unsigned handle_input(struct app *a, keycode k)
{
    if (k == KC_NONE) return RX_NONE;
    if (k == KC(KEY_RESIZE)) {
        getmaxyx(stdscr, a->rows, a->cols);
        return RX_CLEAR | RX_REDRAW;
    }
    if (k == KC(KEY_MOUSE)) return mouse_event(a);
    switch (a->overlay) {
    case OV_PROMPT: return prompt_key(a, k);
    case OV_HELP: return help_key(a, k);
    case OV_SORT: return sort_menu_key(a, k);
    case OV_COLUMNS: return columns_menu_key(a, k);
    case OV_SIGNAL: return signal_key(a, k);
    case OV_CONFIRM: return confirm_key(a, k);
    case OV_RESULT:
        removal_free(&a->removal);
        a->overlay = OV_NONE;
        return RX_REDRAW;
    case OV_VIEWER: return viewer_input(a, k);
    case OV_DETAIL: return detail_key(a, k);
    default: break;
    }
    if (k == KEY_ESCAPE) return RX_NONE;
    enum action act = keys_lookup(k);
    if (act == ACT_NONE) return RX_NONE;
    return keys_run(a, act);
}

/* ---- the loop ------------------------------------------------------------------------ */

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
    if (!tracker_update(&a->tracker, &v->diff, v->seq))
        app_message(a, true, "out of memory: new objects are not highlighted");
    app_rebuild(a);
    if (a->viewer) viewer_refresh(a->viewer);
    if (a->overlay == OV_DETAIL && a->screen == IPC_MSG) peek_refresh(&a->peek);
}

/* ---- the terminal, restored whatever ends the program ------------------------------------ */

/*
 * What puts the terminal back as the shell had it, prepared while the terminal is set up
 * so that a signal handler can send it with write(2) alone (nothing else is safe there):
 * leave the alternate screen, show the cursor, plain attributes, keypad and mouse
 * reporting off; and the terminal's modes (echo, canonical input) as they were.
 */
static char restore_seq[256];
static size_t restore_len;
static struct termios saved_modes;
static bool saved_modes_ok;

static void restore_add(const char *cap)
{
    const char *v = tigetstr(cap);
    if (!v || v == (const char *)-1) return;
    size_t n = strlen(v);
    if (restore_len + n >= sizeof restore_seq) return;
    memcpy(restore_seq + restore_len, v, n);
    restore_len += n;
}

static void prepare_restore(bool mouse)
{
    restore_len = 0;
    /* mouse reporting as ncurses turns it on for xterm-like terminals (kmous) */
    const char *kmous = tigetstr("kmous");
    if (mouse && kmous && kmous != (const char *)-1) {
        static const char off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l";
        memcpy(restore_seq, off, sizeof off - 1);
        restore_len = sizeof off - 1;
    }
    restore_add("sgr0");
    restore_add("cnorm");
    restore_add("rmkx");
    restore_add("rmcup");
}

/* The signals that end a process by default and can be caught, but do not come from the
 * person (those end the loop: SIGINT, SIGTERM, SIGHUP, SIGQUIT). */
static const int fatal_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,    SIGABRT, SIGTRAP,
                                    SIGSYS,  SIGUSR1, SIGUSR2, SIGALRM,   SIGPIPE, SIGVTALRM,
                                    SIGPROF, SIGXCPU, SIGXFSZ, SIGSTKFLT, SIGPWR,  SIGIO};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction fatal_before[NFATAL];

static void on_fatal(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
        /* nothing more can be done for the terminal */
    }
    if (saved_modes_ok) tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    /* then what would have happened without us: the default (or a sanitizer's report) */
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal_signals[i] == sig) sigaction(sig, &fatal_before[i], NULL);
    /* a signal sent by kill() is sent again; a fault happens again when the faulting
     * instruction runs once more, on return */
    if (si->si_code <= 0) raise(sig);
}

static void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < NFATAL; i++) sigaction(fatal_signals[i], &sa, &fatal_before[i]);
}

static void release_fatal_signals(void)
{
    for (size_t i = 0; i < NFATAL; i++) sigaction(fatal_signals[i], &fatal_before[i], NULL);
}

/* ---- the keyboard: read here, filtered, handed to ncurses through a pipe ---------------- */

/*
 * A thread reads the terminal and writes what input_filter lets pass into a pipe that
 * ncurses reads as its input (inputfilter.h says why: ncurses 6.4 overflows its stack on a
 * forged SGR mouse report). Being a thread, it hands over the rest of an escape sequence
 * while ncurses waits for it (ESCDELAY), as the terminal itself would. It blocks every
 * signal (they are the main thread's) and touches nothing but the descriptors.
 */
static struct {
    int pipe_r, pipe_w; /* ncurses reads pipe_r */
    int stop_r, stop_w; /* a byte on stop_w ends the thread */
    FILE *in;           /* pipe_r for newterm */
    pthread_t thread;
    bool running;
} relay = {-1, -1, -1, -1, NULL, 0, false};

static bool relay_write(const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(relay.pipe_w, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false; /* ncurses' end is closed: the monitor is ending */
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void *relay_run(void *arg)
{
    struct input_filter f;
    input_filter_init(&f, *(const bool *)arg);
    unsigned char in[4096], out[INPUT_FILTER_OUT(sizeof in)];
    for (;;) {
        struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0}, {relay.stop_r, POLLIN, 0}};
        int r = poll(pf, 2, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 || pf[1].revents) break;
        if (!(pf[0].revents & POLLIN)) break; /* the terminal hung up */
        ssize_t got = read(STDIN_FILENO, in, sizeof in);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) break;
        if (!relay_write(out, input_filter_feed(&f, in, (size_t)got, out))) break;
    }
    /* ncurses (and the loop's poll) see the end of the input */
    close(relay.pipe_w);
    relay.pipe_w = -1;
    return NULL;
}

/* x10: how the terminal reports the mouse, as ncurses will read it */
static bool relay_start(bool x10_mouse)
{
    static bool x10;
    x10 = x10_mouse;
    int p[2], s[2];
    if (pipe2(p, O_CLOEXEC) < 0) return false;
    if (pipe2(s, O_CLOEXEC) < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    relay.pipe_r = p[0];
    relay.pipe_w = p[1];
    relay.stop_r = s[0];
    relay.stop_w = s[1];
    relay.in = fdopen(relay.pipe_r, "r");
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    relay.running = relay.in && pthread_create(&relay.thread, NULL, relay_run, &x10) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return relay.running;
}

/* After ncurses let go of its input (delscreen). */
static void relay_stop(void)
{
    if (relay.stop_w >= 0 && write(relay.stop_w, "", 1) < 0) {
        /* the thread ends anyway once its pipe is closed below */
    }
    if (relay.in)
        fclose(relay.in); /* a write blocked on a full pipe fails: the thread ends */
    else if (relay.pipe_r >= 0)
        close(relay.pipe_r);
    if (relay.running) pthread_join(relay.thread, NULL);
    if (relay.pipe_w >= 0) close(relay.pipe_w);
    if (relay.stop_r >= 0) close(relay.stop_r);
    if (relay.stop_w >= 0) close(relay.stop_w);
    relay.in = NULL;
    relay.running = false;
    relay.pipe_r = relay.pipe_w = relay.stop_r = relay.stop_w = -1;
}

static bool init_terminal(struct app *a, char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen,
                 "the interactive monitor needs a terminal; use -b or --json for "
                 "pipes and files");
        return false;
    }
    char term[64];
    const char *t = getenv("TERM");
    sanitize_text(term, sizeof term, t ? t : "unset", t ? strlen(t) : 5);
    /* a terminal that cannot put text where it belongs (TERM=dumb) would show nothing */
    bool x10_mouse;
    enum term_check tc = term_check(STDOUT_FILENO, &x10_mouse);
    if (tc == TERM_UNKNOWN) {
        snprintf(err, errlen, "cannot use this terminal (TERM=%s)", term);
        return false;
    }
    if (tc == TERM_NOT_ADDRESSABLE) {
        snprintf(err, errlen,
                 "this terminal (TERM=%s) cannot move its cursor, which the interactive "
                 "monitor needs; use -b or --json for plain text",
                 term);
        return false;
    }
    saved_modes_ok = tcgetattr(STDIN_FILENO, &saved_modes) == 0;
    if (!relay_start(x10_mouse)) {
        relay_stop();
        snprintf(err, errlen, "cannot read the terminal: %s", strerror(errno));
        return false;
    }
    /* ncurses sets the terminal's modes through its output, a terminal; it reads the pipe */
    if (!(a->screen_term = newterm(NULL, stdout, relay.in))) {
        relay_stop();
        snprintf(err, errlen, "cannot use this terminal (TERM=%s)", term);
        return false;
    }
    prepare_restore(a->mouse);
    catch_fatal_signals();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (a->mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                      | BUTTON5_PRESSED
#endif
                  ,
                  NULL);
        mouseinterval(0);
    }
    draw_init_colors(a);
    getmaxyx(stdscr, a->rows, a->cols);
    return true;
}

static void end_terminal(struct app *a)
{
    endwin();
    delscreen(a->screen_term);
    relay_stop();
    release_fatal_signals();
}

static int run_loop(struct app *a)
{
    unsigned rx = RX_REDRAW;
    while (!a->quit && !run_stop_requested()) {
        /* sort or filter changed: rebuild from the view (filtered-out rows come back) */
        if (rx & RX_RESORT)
            app_rebuild(a);
        else
            app_sync(a);
        if (rx & RX_CLEAR) clearok(curscr, TRUE);
        if (rx & (RX_REDRAW | RX_RESORT | RX_CLEAR)) draw_all(a);
        rx = RX_NONE;
        if (a->opt->iterations && a->views_seen >= a->opt->iterations) break;

        struct pollfd pf[2] = {{relay.pipe_r, POLLIN, 0}, {refresher_fd(a->refresher), POLLIN, 0}};
        /* wake up once a second for the clock and for messages that expire; while the
         * removal dialog is open the list stays as it was shown: no new refresh is taken */
        int r = poll(pf, a->overlay == OV_CONFIRM ? 1 : 2, 1000);
        if (r < 0 && errno != EINTR) break;
        if (r < 0) {
            /* SIGWINCH interrupts the wait: ncurses then has a KEY_RESIZE for us */
            pf[0].revents = POLLIN;
            r = 1;
        }
        if (a->overlay == OV_CONFIRM) pf[1].revents = 0;
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
    return 0;
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
    load_settings(&a);

    char err[2048];
    if (!sort_option_valid(o->sort, err, sizeof err)) {
        fprintf(stderr, "ipctop: %s\n", err);
        users_free(a.users);
        return 2;
    }
    struct demo_runner *demo = NULL;
    if (o->demo && !(demo = demo_runner_start(err, sizeof err))) {
        fprintf(stderr, "ipctop: %s\n", err);
        users_free(a.users);
        return 1;
    }
    if (!init_terminal(&a, err, sizeof err)) {
        fprintf(stderr, "ipctop: %s\n", err);
        demo_runner_stop(demo);
        users_free(a.users);
        return 1;
    }
    struct collect_options co = {o->force, "/proc"};
    a.refresher = refresher_start(&co, a.delay, err, sizeof err);
    if (!a.refresher) {
        end_terminal(&a);
        fprintf(stderr, "ipctop: %s\n", err);
        demo_runner_stop(demo);
        users_free(a.users);
        return 1;
    }
    /* SIGINT, SIGTERM, SIGHUP, SIGQUIT end the loop (poll returns EINTR), the terminal is
     * restored; other fatal signals restore it in on_fatal */
    run_install_stop_handlers();
    run_install_quit_handler();
    if (demo)
        app_message(&a, false, "demo: a generated workload in a private IPC namespace; q quits");
    run_loop(&a);

    end_terminal(&a);
    refresher_stop(a.refresher);
    demo_runner_stop(demo);
    save_settings(&a);
    removal_free(&a.removal);
    viewer_close(a.viewer);
    peek_free(&a.peek);
    for (int c = 0; c < IPC_NCLASSES; c++) list_free(&a.lists[c]);
    tracker_free(&a.tracker);
    users_free(a.users);
    return 0;
}
