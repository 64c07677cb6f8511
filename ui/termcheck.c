#include "termcheck.h"

#include <ncurses.h>
#include <term.h>

enum term_check term_check(int fd)
{
    int e;
    if (setupterm(NULL, fd, &e) != OK) return TERM_UNKNOWN;
    const char *cup = tigetstr("cup");
    bool addressable = cup && cup != (const char *)-1;
    del_curterm(cur_term);
    return addressable ? TERM_OK : TERM_NOT_ADDRESSABLE;
}
