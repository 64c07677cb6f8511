/*
 * menu — what the menus share (the sort and column menus, the signal menu): moving the
 * selection with the arrows, and what counts as Enter.
 */
#ifndef IPCTOP_UI_MENU_H
#define IPCTOP_UI_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

/* Up and down in a menu of n entries; true when the key was one of them. */
bool menu_move(int *sel, size_t n, keycode k);
/* Enter, Return, or the keypad's Enter. */
bool menu_enter(keycode k);

#endif
