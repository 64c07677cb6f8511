/*
 * termcheck — whether the terminal named by TERM can run the monitor, asked of terminfo
 * before curses takes the terminal (kept apart: term.h's macros clash with ordinary names).
 */
#ifndef IPCTOP_UI_TERMCHECK_H
#define IPCTOP_UI_TERMCHECK_H

#include <stdbool.h>

enum term_check {
    TERM_OK,
    TERM_UNKNOWN,         /* terminfo has no such terminal */
    TERM_NOT_ADDRESSABLE, /* it cannot move its cursor (TERM=dumb): nothing could be drawn */
};

/* Looks the terminal of descriptor fd up in terminfo; *x10_mouse tells whether it reports
 * the mouse as X10 (kmous=\E[M) rather than SGR. */
enum term_check term_check(int fd, bool *x10_mouse);

#endif
