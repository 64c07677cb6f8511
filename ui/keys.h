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
#include <stdint.h>

struct app;

/*
 * A key as the monitor handles it: a typed character is its Unicode code point; a special
 * key (a curses KEY_* code: arrows, F-keys, Enter of the keypad, resize, mouse) is put
 * above the Unicode range, as tmux's KEYC_BASE does. get_wch returns both kinds as
 * numbers that overlap — 'đ' (U+0111) and KEY_F(9) are both 0x111, 'š' and KEY_BTAB both
 * 0x161 — and only its status tells them apart; once decoded, a keycode cannot be
 * mistaken: no typed letter is ever a function key, anywhere (lists, detail pane,
 * prompts, menus, dialogs, viewer).
 */
typedef uint32_t keycode;
#define KEYC_BASE      0x200000u /* above U+10FFFF */
#define KC(curses_key) (KEYC_BASE + (keycode)(curses_key))
#define KC_NONE        UINT32_MAX /* nothing (an invalid code) */

/* The keycode of what get_wch returned: special is its status KEY_CODE_YES (else OK),
 * code the value. KC_NONE for a character that is not a Unicode scalar value. */
keycode key_decode(bool special, uint32_t code);

static inline bool key_is_special(keycode k)
{
    return k >= KEYC_BASE && k != KC_NONE;
}

enum reaction {
    RX_NONE = 0,
    RX_REDRAW = 1 << 0, /* draw again */
    RX_RESORT = 1 << 1, /* sort/filter changed: rebuild the rows */
    RX_CLEAR = 1 << 2,  /* clear the terminal before drawing (Ctrl-L) */
};

enum action {
    ACT_NONE,
    ACT_HELP,
    ACT_QUIT,
    ACT_NEXT_SCREEN,
    ACT_PREV_SCREEN,
    ACT_LIST_1,
    ACT_LIST_2,
    ACT_LIST_3,
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
    keycode key; /* a character, or KC(a curses key code) */
    enum action action;
};

/* What a mouse event is, from its curses button state (getmouse's bstate). */
enum mouse_kind {
    MOUSE_NONE,
    MOUSE_CLICK, /* button 1 pressed or clicked */
    MOUSE_DOUBLE_CLICK,
    MOUSE_WHEEL_UP,
    MOUSE_WHEEL_DOWN,
};
enum mouse_kind mouse_decode(uint64_t bstate);

/* The bindings of the list screens. */
const struct key_binding *keys_bindings(size_t *n);
/* Every action, in help order. */
const struct action_info *keys_actions(size_t *n);
/* The action bound to key, or ACT_NONE. */
enum action keys_lookup(keycode key);
/* Runs an action; returns its reaction flags. */
unsigned keys_run(struct app *a, enum action act);

#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESCAPE  27

#endif
