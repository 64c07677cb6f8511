/*
 * keys — the one key→action table of the monitor (in the manner of htop's Action.c).
 *
 * Each action has a function that changes the app and returns reaction flags telling the
 * loop what to do next; the help screen is generated from the same table, so it always
 * lists every key. Overlays (detail pane, help, prompt, menu) get keys first; what they
 * do not use falls through to this table only where it makes sense (see tui.c).
 */
#ifndef IPCTOP_UI_KEYS_H
#define IPCTOP_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct app;

enum reaction {
    RX_NONE = 0,
    RX_REDRAW = 1 << 0,  /* draw again */
    RX_RESORT = 1 << 1,  /* sort/filter changed: rebuild the rows */
    RX_REFRESH = 1 << 2, /* collect now */
    RX_CLEAR = 1 << 3,   /* clear the terminal before drawing (Ctrl-L) */
};

enum action {
    ACT_NONE,
    ACT_HELP,
    ACT_QUIT,
    ACT_NEXT_SCREEN,
    ACT_PREV_SCREEN,
    ACT_SCREEN_SHM,
    ACT_SCREEN_SEM,
    ACT_SCREEN_MSG,
    ACT_UP,
    ACT_DOWN,
    ACT_PGUP,
    ACT_PGDN,
    ACT_HOME,
    ACT_END,
    ACT_DETAIL,
    ACT_SEARCH,
    ACT_SEARCH_NEXT,
    ACT_FILTER,
    ACT_SORT_MENU,
    ACT_COLUMNS,
    ACT_SORT_PREV,
    ACT_SORT_NEXT,
    ACT_SORT_INVERT,
    ACT_TAG,
    ACT_UNTAG_ALL,
    ACT_PAUSE,
    ACT_REDRAW,
    ACT_DELAY_LONGER,
    ACT_DELAY_SHORTER,
    ACT_LEAKS,
    ACT_TAG_ALL,
    ACT_REMOVE,
    ACT_VIEW,
    ACT_COUNT
};

typedef unsigned (*action_fn)(struct app *a);

struct action_info {
    enum action id;
    const char *keys; /* as the help screen shows them: "F3 /" */
    const char *help;
    action_fn run;
};

struct key_binding {
    int key; /* a curses key code or character */
    enum action action;
};

/* The bindings of the list screens. */
const struct key_binding *keys_bindings(size_t *n);
/* Every action, in help order. */
const struct action_info *keys_actions(size_t *n);
/* The action bound to key, or ACT_NONE. */
enum action keys_lookup(int key);
/* Runs an action; returns its reaction flags. */
unsigned keys_run(struct app *a, enum action act);

#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESCAPE  27

#endif
