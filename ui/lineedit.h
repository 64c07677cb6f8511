/*
 * lineedit — editing one line of typed text (pure: curses only for its key names), shared by every
 * prompt of the monitor: the list's search and filter, the viewer's goto, search and file name.
 *
 * The text is UTF-8 in a caller's buffer, always NUL-terminated and always valid: only
 * printable characters are added (never a control, C0, DEL or C1, that could reach the
 * terminal), Backspace removes one whole character, Ctrl-U the whole line. A special key
 * that is not Enter or Backspace changes nothing (a function key is never typed text).
 */
#ifndef IPCTOP_UI_LINEEDIT_H
#define IPCTOP_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

enum edit_result {
    EDIT_NONE,    /* the key did nothing to the line */
    EDIT_CHANGED, /* the text changed */
    EDIT_SUBMIT,  /* Enter */
    EDIT_CANCEL,  /* Esc */
};

/* Applies key to text (cap bytes of room, *len bytes used, cap >= 1). */
enum edit_result line_edit_key(char *text, size_t cap, size_t *len, keycode key);

/* Whether a character may be typed into a line: a Unicode scalar value that is not a
 * control character (C0, DEL, C1). */
bool line_edit_printable(keycode key);

#endif
