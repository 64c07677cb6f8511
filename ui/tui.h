/*
 * tui — the interactive ncurses monitor. Draws the engine's model; never collects.
 */
#ifndef IPCTOP_TUI_H
#define IPCTOP_TUI_H

#include "options.h"

/* Runs the monitor until the person quits; returns the exit status. */
int tui_run(const struct options *o);

#endif
