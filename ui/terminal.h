/*
 * terminal — the terminal for the monitor: checked (a terminal that cannot move its cursor
 * is refused with a sentence), set up for curses, and put back as the shell had it however
 * the program ends — normally, by a signal that ends the loop, or by any other catchable
 * fatal signal (a prepared sequence written from the handler, the modes restored).
 */
#ifndef IPCTOP_UI_TERMINAL_H
#define IPCTOP_UI_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>

struct app;

/* Sets the terminal up (curses, keypad, mouse when asked, colours); false with a sentence
 * in err when it cannot be used. */
bool terminal_start(struct app *a, char *err, size_t errlen);
/* Puts it back. */
void terminal_end(struct app *a);
/* What the loop polls for keys: the terminal's input as ncurses reads it (a pipe that a
 * thread fills with what ui/inputfilter.c lets pass). */
int terminal_input_fd(void);

#endif
