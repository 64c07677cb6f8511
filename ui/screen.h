/*
 * screen — one thing on the terminal with its own keys and its own drawing: the lists (the
 * bottom of the stack, always there) and each overlay — the detail pane, help, the sort
 * and column menus, the signal menu, the removal dialog, the search and filter prompt, the
 * segment viewer. Each is an object (struct screen first in its own struct) with a table
 * of functions (ncurses owns the name `struct screen`: ours is struct ui_screen); the app
 * keeps them on a stack.
 *
 * The loop (tui.c) hands a key to the top screen; then every screen brings what it derives
 * up to date (prepare: scroll, selection, layout, what it shows built once per refresh or
 * key); then the screens are drawn from the lowest one that covers the list area up.
 * Drawing reads and changes nothing.
 */
#ifndef IPCTOP_UI_SCREEN_H
#define IPCTOP_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"

struct app;
struct ui_screen;

/* What a screen covers. */
enum screen_area {
    SA_LIST,  /* the list area, below the tabs: what is under it is not drawn */
    SA_WHOLE, /* everything between the header's first line and the footer (help) */
    SA_POPUP, /* a menu over part of what is below, which is drawn first */
};

/* An entry of the function key bar. */
struct fkey {
    const char *key, *label;
    enum action act; /* what a click runs (ACT_NONE: closes the top screen) */
};

struct ui_screen_ops {
    const char *name;
    enum screen_area area;
    bool freeze;              /* while it is on top, no new refresh is taken: what it shows stays */
    bool draws_status;        /* it draws the status line itself (a line being typed) */
    const struct fkey *fkeys; /* the key bar while it is on top */
    size_t nfkeys;
    /* a key: reaction flags (keys.h); it may push a screen or pop itself (app.h) */
    unsigned (*key)(struct ui_screen *s, struct app *a, keycode k);
    /* a mouse event at (y, x); NULL: ignored */
    unsigned (*mouse)(struct ui_screen *s, struct app *a, enum mouse_kind m, int y, int x);
    /* a new refresh arrived; NULL: nothing to re-read */
    void (*new_view)(struct ui_screen *s, struct app *a);
    /* derived state brought up to date before drawing; false when the screen has nothing
     * left to show (its object is gone) and is to be closed. NULL: nothing to do */
    bool (*prepare)(struct ui_screen *s, struct app *a);
    /* drawing: reads only */
    void (*draw)(const struct ui_screen *s, const struct app *a);
    /* where the terminal's cursor belongs (a line being typed); NULL or false: hidden */
    bool (*cursor)(const struct ui_screen *s, const struct app *a, int *y, int *x);
    /* its own line for the status bar (a prompt, a message of the viewer), or NULL */
    const char *(*status)(const struct ui_screen *s, const struct app *a, bool *error);
    /* frees it and what it holds; NULL: a screen that holds nothing is freed */
    void (*destroy)(struct ui_screen *s);
};

/* The key bar of an overlay that only closes: Esc and F10. */
extern const struct fkey screen_close_keys[2];
#define SCREEN_CLOSE_KEYS .fkeys = screen_close_keys, .nfkeys = 2

/* Frees a screen by its destroy (app_push, app_pop and the app's end use it). */
void screen_destroy(struct ui_screen *s);

struct ui_screen {
    const struct ui_screen_ops *ops;
};

/* The screens one can open (ui/screens/): each returns a new screen, or NULL with a
 * message in the app's status line. */
struct ui_screen *list_screen_new(void);
struct ui_screen *detail_screen_new(struct app *a, bool messages);
struct ui_screen *help_screen_new(void);
struct ui_screen *sort_menu_new(struct app *a);
struct ui_screen *columns_menu_new(struct app *a);
struct ui_screen *prompt_new(struct app *a, bool filter);
struct ui_screen *removal_dialog_new(struct app *a);
struct ui_screen *viewer_screen_new(struct app *a, int shmid);
struct ui_screen *signal_menu_new(struct app *a, int32_t pid, uint64_t start_tics);

/* Whether s is a detail pane; its queue messages on or off ('x' on a queue while it is
 * open). */
bool detail_screen_is(const struct ui_screen *s);
void detail_screen_toggle_messages(struct ui_screen *s, struct app *a);

#endif
