/*
 * run — the non-interactive modes of the program: batch frames, one JSON snapshot, the
 * limits. Each returns the process exit status.
 */
#ifndef IPCTOP_RUN_H
#define IPCTOP_RUN_H

#include "collect.h"
#include "options.h"

int run_batch(const struct options *o);
int run_json(const struct options *o);
int run_limits(const struct options *o);

/* How every mode and action reads the kernel: the source the options force, and one
 * thread for the modes that refresh again and again (options_repeats; collect.h). */
struct collect_options run_collect_options(const struct options *o);

/* Sleeps until the monotonic time `until` or a stop signal; false when asked to stop. */
bool run_sleep_until(double until);
/* Installs SIGINT/SIGTERM/SIGHUP handlers that ask the loops to stop. */
void run_install_stop_handlers(void);
/* SIGQUIT too (the monitor: Ctrl-\ must not leave the terminal in the alternate screen). */
void run_install_quit_handler(void);
bool run_stop_requested(void);

#endif
