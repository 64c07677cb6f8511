/*
 * The signal menu (F9 on a process line of the detail pane): which signal to send to that
 * process, named by pid, user and command line, and said to be stopped when it is (SIGTERM
 * does nothing to a stopped process until SIGCONT). The signal goes through action_signal,
 * which reaches only the process that started at the time shown.
 */
#include "actions.h"
#include "app.h"
#include "format.h"
#include "frame.h"
#include "menu.h"
#include "theme.h"

#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct signal_menu {
    struct ui_screen base;
    int32_t pid;
    uint64_t start_tics;
    char what[200]; /* "1234 (postgres): postgres: checkpointer" */
    bool stopped;
    int sel;
};

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct signal_menu *s = (struct signal_menu *)self;
    size_t n;
    int pre;
    const struct signal_choice *sigs = app_signals(&n, &pre);
    if (menu_move(&s->sel, n, k)) return RX_REDRAW;
    if (menu_enter(k)) {
        char msg[256];
        enum action_status st =
            action_signal(s->pid, s->start_tics, sigs[s->sel].sig, msg, sizeof msg);
        app_message(a, st != ACTION_DONE, "%s", msg);
        refresher_poke(a->refresher); /* show the effect at once */
        return app_pop(a);
    }
    app_message(a, false, "no signal sent");
    return app_pop(a);
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    const struct signal_menu *s = (const struct signal_menu *)self;
    size_t n;
    int pre;
    const struct signal_choice *sigs = app_signals(&n, &pre);
    int y0 = HEADER_ROWS, w = COLS < 60 ? COLS : 60;
    char t[256];
    snprintf(t, sizeof t, "Send signal to %s", s->what);
    put_cells(y0, 0, COLS, t, false, theme_attr(R_COLHDR));
    if (s->stopped) {
        put_cells(y0++ + 1, 0, COLS,
                  "it is STOPPED: SIGTERM and most signals take effect only after SIGCONT", false,
                  theme_attr(R_ERROR));
    }
    for (size_t i = 0; i < n && y0 + 1 + (int)i < LINES - FOOTER_ROWS; i++) {
        snprintf(t, sizeof t, " %2d SIG%s", sigs[i].sig, sigs[i].name);
        put_cells(y0 + 1 + (int)i, 0, 16, t, false,
                  theme_attr((int)i == s->sel ? R_SELECTED : R_NORMAL));
    }
    int y = y0 + 1 + (int)n;
    if (y < LINES - FOOTER_ROWS)
        put_cells(y, 0, w, " Enter sends it, any other key cancels", false, theme_attr(R_DIM));
}

static const struct ui_screen_ops ops = {
    .name = "signal",
    .area = SA_POPUP,
    SCREEN_CLOSE_KEYS,
    .key = key,
    .draw = draw,
};

struct ui_screen *signal_menu_new(struct app *a, int32_t pid, uint64_t start_tics)
{
    struct signal_menu *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->base.ops = &ops;
    s->pid = pid;
    s->start_tics = start_tics;
    /* the process by pid, user and command line; whether it is stopped */
    const struct proc_table *t = &a->view->cur->procs;
    const struct proc_info *pi = procs_find(t, pid);
    char cmd[160] = "?";
    if (pi) sanitize_text(cmd, sizeof cmd, procs_cmdline(t, pi), strlen(procs_cmdline(t, pi)));
    s->stopped = pi && (pi->state == 'T' || pi->state == 't');
    snprintf(s->what, sizeof s->what, "%d (%s): %s", pid, pi ? users_name(a->users, pi->euid) : "?",
             cmd);
    size_t n;
    app_signals(&n, &s->sel);
    return &s->base;
}
