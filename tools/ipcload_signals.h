/*
 * ipcload_signals — when ipcload stops: SIGINT, SIGTERM and SIGHUP, and the death of the
 * parent process. The signals are blocked except while waiting in ppoll(), so setup code
 * never runs a handler halfway; long setups ask ipcload_signals_stopping() between steps.
 * SIGPIPE is ignored: a closed --ready-fd or stdout is not a reason to die.
 *
 * What it owns: the signal handlers and mask, the parent's pid at start.
 * What it may call: wl_os (the clock), libc.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_SIGNALS_H
#define IPCTOP_TOOLS_IPCLOAD_SIGNALS_H

/* Installs the handlers, blocks the signals and notes the parent. Call once, early. */
void ipcload_signals_init(void);

/* Sleeps until deadline (wl_os_now_us() time), a signal, or at most 200 ms (to notice the
 * parent's death). */
void ipcload_signals_wait_until(long long deadline);

/* Lets pending signals in, then tells whether to stop. */
int ipcload_signals_stopping(void);

/* 1 once ipcload_signals_stopping() has seen the parent gone. */
int ipcload_signals_parent_gone(void);

#endif
