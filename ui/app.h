/*
 * app — the state of the interactive monitor, shared by its screens, keys and drawing.
 *
 * Owns: the refresher (collection in the background), the view shown, the three list
 * models, the tracker, the overlays (detail, help, prompt, menu), the status message and
 * the settings. Drawing reads it; actions (keys.c) change it; only tui.c runs the loop.
 */
#ifndef IPCTOP_UI_APP_H
#define IPCTOP_UI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"
#include "layout.h"
#include "listmodel.h"
#include "peek.h"
#include "options.h"
#include "refresher.h"
#include "removal.h"
#include "settings.h"
#include "tracker.h"
#include "users.h"
#include "viewer.h"

/* What covers the list, if anything: keys go to the topmost. */
enum overlay {
    OV_NONE,
    OV_DETAIL,  /* Enter: everything about the selected object */
    OV_HELP,    /* F1 */
    OV_PROMPT,  /* a line being typed: search or filter */
    OV_SORT,    /* F6: the column menu */
    OV_COLUMNS, /* F2: which columns are shown */
    OV_SIGNAL,  /* F9 on a process line of the detail pane: which signal to send */
    OV_CONFIRM, /* F9/Del in a list: "remove these?" (the list is frozen meanwhile) */
    OV_RESULT,  /* what each removal did */
    OV_VIEWER,  /* 'x': the bytes of the selected segment */
};

enum prompt_kind { PROMPT_SEARCH, PROMPT_FILTER };

struct prompt {
    enum prompt_kind kind;
    char text[128];
    size_t len;
    char saved[128]; /* the filter before editing, restored by Esc */
};

struct app {
    const struct options *opt;
    struct refresher *refresher;
    const struct refresh_view *view; /* NULL until the first refresh arrives */
    long views_seen;
    struct users *users;
    struct tracker tracker;

    enum ipc_class screen;
    struct list_model lists[IPC_NCLASSES];
    long list_seq[IPC_NCLASSES]; /* the refresh each list was last built from: the lists not
                                    shown are rebuilt only when shown again */
    bool shown[IPC_NCLASSES][LAYOUT_MAX_COLS]; /* visible columns per class */

    enum overlay overlay;
    struct prompt prompt;
    char search[128];     /* the last search, for n */
    int sort_menu_sel;    /* row in the F6 (sort) or F2 (columns) menu */
    size_t detail_scroll; /* first line of the detail pane */
    size_t help_scroll;   /* first entry of the help when it does not fit */
    bool help_fits;       /* the whole help is on the screen (set by drawing it) */
    int detail_sel;       /* selected process line of the detail pane, -1 none */

    struct { /* the process the signal menu is for */
        int32_t pid;
        uint64_t start_tics;
        char what[200]; /* "1234 (postgres): postgres: checkpointer" */
        bool stopped;   /* stopped (SIGSTOP, a debugger): most signals wait for SIGCONT */
        int sel;        /* row of the menu */
    } signal;

    struct removal removal; /* the objects of the confirmation dialog */
    struct viewer *viewer;  /* open while overlay is OV_VIEWER */
    struct peek peek;       /* a queue's messages, in its detail pane */

    char status[256];
    bool status_error;
    double status_until; /* monotonic seconds; 0 = until replaced */

    bool paused;
    bool color;
    bool mouse;
    bool utf8;
    double delay;
    int rows, cols;
    struct screen *screen_term; /* ncurses' SCREEN, freed at exit */
    bool quit;
    int exit_status;

    struct settings settings;            /* as loaded (or defaults) */
    enum settings_status settings_state; /* SETTINGS_KEPT: the file is never written */
    struct settings started;             /* as the run started: loaded, then -d and -s applied */
    char settings_path[1024];
};

/* A context for formatting cells of the current view. */
struct col_ctx app_col_ctx(const struct app *a);

/* Shows a message in the status line for a few seconds. */
void app_message(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The list of the current screen, brought up to the current view first (its rows point
 * into snapshots, and only the current view's are alive). */
struct list_model *app_list(struct app *a);

/* Rows of the list area (between the header and the bottom bars) at the current size. */
int app_list_height(const struct app *a);

/* The detail pane's lines for the selected row (false when nothing is selected). */
struct detail;
bool app_detail(struct app *a, struct detail *d);

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

#endif
