#include "menu.h"

#include <ncurses.h>

bool menu_move(int *sel, size_t n, keycode k)
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

bool menu_enter(keycode k)
{
    return k == '\n' || k == '\r' || k == KC(KEY_ENTER);
}
