#include "termcheck.h"

#include <ncurses.h>
#include <string.h>
#include <term.h>

enum term_check term_check(int fd, bool *x10_mouse)
{
    int e;
    *x10_mouse = false;
    if (setupterm(NULL, fd, &e) != OK) return TERM_UNKNOWN;
    const char *cup = tigetstr("cup"), *kmous = tigetstr("kmous");
    bool addressable = cup && cup != (const char *)-1;
    *x10_mouse = kmous && kmous != (const char *)-1 && strcmp(kmous, "\033[M") == 0;
    del_curterm(cur_term);
    return addressable ? TERM_OK : TERM_NOT_ADDRESSABLE;
}
