/*
 * ipcload_say — how ipcload speaks: one sentence on stderr, prefixed "ipcload: ", and the
 * usage error that ends the program with status 2.
 *
 * What it owns: the message format and the usage exit status. What it may call: stdio.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_SAY_H
#define IPCTOP_TOOLS_IPCLOAD_SAY_H

#define IPCLOAD_EXIT_USAGE 2

/* "ipcload: <sentence>\n" on stderr. */
void ipcload_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "ipcload: <sentence> (see ipcload --help)\n" on stderr, then exit(IPCLOAD_EXIT_USAGE). */
_Noreturn void ipcload_say_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
