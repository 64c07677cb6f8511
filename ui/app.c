/* What the screens share through the app (app.h): the stack, messages, the list shown. */
#include "app.h"

#include "frame.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double app_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const struct fkey screen_close_keys[2] = {{"Esc", "Close", ACT_NONE}, {"F10", "Quit", ACT_QUIT}};

void screen_destroy(struct ui_screen *s)
{
    if (s->ops->destroy)
        s->ops->destroy(s);
    else
        free(s);
}

unsigned app_push(struct app *a, struct ui_screen *s)
{
    if (!s) return RX_REDRAW; /* it said why in the status line */
    if (a->depth == SCREEN_STACK_MAX) {
        screen_destroy(s);
        app_message(a, true, "too many screens open: close one first");
        return RX_REDRAW;
    }
    a->stack[a->depth++] = s;
    return RX_REDRAW;
}

unsigned app_pop(struct app *a)
{
    if (a->depth <= 1) return RX_NONE; /* the lists stay */
    struct ui_screen *s = a->stack[--a->depth];
    screen_destroy(s);
    return RX_REDRAW;
}

struct col_ctx app_col_ctx(const struct app *a)
{
    return (struct col_ctx){a->view ? &a->view->model : NULL,
                            a->view ? &a->view->model.diff : NULL,
                            a->view ? &a->view->model.who : NULL,
                            a->users,
                            (int64_t)time(NULL),
                            a->opt->bytes,
                            a->utf8,
                            a->opt->older_than,
                            false /* the screens draw bars */};
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
    if (!list_rebuild(&a->lists[a->kind], &a->view->model.diff, &cx, &a->tracker))
        app_message(a, true, "out of memory: the list may be incomplete");
    a->list_seq[a->kind] = a->view->seq;
}

void app_sync(struct app *a)
{
    if (a->view && a->list_seq[a->kind] != a->view->seq) app_rebuild(a);
}

struct list_model *app_list(struct app *a)
{
    app_sync(a);
    return &a->lists[a->kind];
}
