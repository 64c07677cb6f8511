/*
 * ipcload_options — ipcload's command line: --help, the options, their values and how
 * they combine. A bad option or value ends the program with one sentence and status 2
 * (ipcload_say_usage); --help prints the help and exits 0.
 *
 * What it owns: struct ipcload_options and its defaults, the help text.
 * What it may call: ipcload_say, getopt_long, libc. It creates nothing.
 */
#ifndef IPCTOP_TOOLS_IPCLOAD_OPTIONS_H
#define IPCTOP_TOOLS_IPCLOAD_OPTIONS_H

#include "workload.h"

#include <stddef.h>
#include <stdint.h>

struct ipcload_options {
    long count[3]; /* objects per class, indexed by enum wl_class */
    size_t shm_size;
    long nsems;
    int mode;
    uint32_t key_base; /* 0: IPC_PRIVATE */
    long fill;
    size_t msg_size;
    long attachers, sem_waiters, zero_waiters, receivers, senders;
    int touch;
    double churn; /* operations per second, 0: off */
    int demo, unshare, raise_limits, leak, print_ns;
    double duration; /* seconds, < 0: until a signal */
    int ready_fd;    /* -1: none */
};

/* Parses and checks the command line into *o; returns only when it is valid. */
void ipcload_options_parse(int argc, char **argv, struct ipcload_options *o);

#endif
