/*
 * demo_runner — ipctop --demo: a generated workload (tools/demo.c) in a private IPC namespace,
 * watched by the monitor. The monitor's process enters the new namespace itself, so what
 * it shows is only the demo's objects; the workload runs in a child process. When the
 * monitor quits, the child removes what it made and exits, and the namespace, which
 * nothing refers to any more, disappears with anything left in it: nothing stays behind.
 */
#ifndef IPCTOP_UI_DEMO_RUNNER_H
#define IPCTOP_UI_DEMO_RUNNER_H

#include <stddef.h>

struct demo_runner;

/* Enters a private IPC namespace (through a user namespace when not privileged) and starts
 * the workload. Call before any thread exists. NULL with a sentence in err on failure. */
struct demo_runner *demo_runner_start(char *err, size_t errlen);

/* Stops the workload and waits for it. NULL is ignored. */
void demo_runner_stop(struct demo_runner *d);

#endif
