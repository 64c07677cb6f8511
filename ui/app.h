/*
 * app — the state of the interactive monitor that every screen shares: the refresher
 * (collection in the background) and the view shown, the list model of each kind, the
 * tracker, the stack of screens (screen.h), the status message, the settings.
 *
 * Owns those. Screens keep their own state (a menu's selection, the detail pane's scroll)
 * in their own objects. Keys change the app through the top screen; drawing only reads it;
 * only tui.c runs the loop.
 */
#ifndef IPCTOP_UI_APP_H
#define IPCTOP_UI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"
#include "layout.h"
#include "listmodel.h"
#include "options.h"
#include "refresher.h"
#include "screen.h"
#include "settings.h"
#include "tracker.h"
#include "users.h"

#define SCREEN_STACK_MAX 8

struct app {
    const struct options *opt;
    struct refresher *refresher;
    const struct refresh_view *view; /* NULL until the first refresh arrives */
    long views_seen;
    struct users *users;
    struct tracker tracker;

    enum ipc_class kind;         /* the list shown */
    uint64_t want[IPC_NCLASSES]; /* the fields the refresher was told the screens want */
    bool want_told;
    struct list_model lists[IPC_NCLASSES];
    long list_seq[IPC_NCLASSES]; /* the refresh each list was last built from: the lists not
                                    shown are rebuilt only when shown again */
    bool shown[IPC_NCLASSES][LAYOUT_MAX_COLS]; /* visible columns per kind */
    char search[128];                          /* the last search, for n */

    struct ui_screen *stack[SCREEN_STACK_MAX]; /* [0] the lists, always there */
    int depth;

    char status[256];
    bool status_error;
    double status_until; /* monotonic seconds; 0 = until replaced */

    bool paused;
    bool color;
    bool mouse;
    bool utf8;
    double delay;
    int rows, cols;
    struct screen *term; /* ncurses' SCREEN, freed at exit */
    bool quit;

    struct settings settings;            /* as loaded (or defaults) */
    enum settings_status settings_state; /* SETTINGS_KEPT: the file is never written */
    struct settings started;             /* as the run started: loaded, then -d and -s applied */
    char settings_path[1024];
};

/* ---- the stack of screens ----------------------------------------------------------------- */

/* Puts s on top (a NULL s, whose constructor failed, is ignored). RX_* for the loop. */
unsigned app_push(struct app *a, struct ui_screen *s);
/* Removes and frees the top screen (never the lists). */
unsigned app_pop(struct app *a);
static inline struct ui_screen *app_top(const struct app *a)
{
    return a->stack[a->depth - 1];
}

/* ---- what the screens share --------------------------------------------------------------- */

/* A context for formatting cells of the current view. */
struct col_ctx app_col_ctx(const struct app *a);

/* Shows a message in the status line for a few seconds. */
void app_message(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The list of the current kind, brought up to the current view first (its rows point into
 * snapshots, and only the current view's are alive). Not for drawing: see app_shown_list. */
struct list_model *app_list(struct app *a);
/* The same as it is, for drawing (the loop brought it up to date before). */
static inline const struct list_model *app_shown_list(const struct app *a)
{
    return &a->lists[a->kind];
}

/* Rows of the list area (between the header and the bottom bars) at the current size. */
int app_list_height(const struct app *a);

/* The signals the signal menu offers, SIGTERM first selected. */
struct signal_choice {
    int sig;
    const char *name;
};
const struct signal_choice *app_signals(size_t *n, int *preselect);

/* Rebuilds the shown list from the current view (sort, filter or data changed). */
void app_rebuild(struct app *a);
/* Rebuilds the shown list if a newer refresh arrived since it was built. */
void app_sync(struct app *a);

double app_now(void); /* monotonic seconds */

/* ---- settings (app_settings.c) ------------------------------------------------------------- */

/* Loads the settings file, then lets the command line override them for this run. */
void app_settings_load(struct app *a);
/* Writes what the person changed during the run, and only that. */
void app_settings_save(struct app *a);
/* -s must name a column of at least one list: false with a sentence in err. */
bool app_sort_option_valid(const char *name, char *err, size_t errlen);

#endif
