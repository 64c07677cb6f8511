/*
 * ipcload_say.c — see ipcload_say.h.
 */
#include "ipcload_say.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ipcload_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ipcload: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

_Noreturn void ipcload_say_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ipcload: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see ipcload --help)\n", stderr);
    va_end(ap);
    exit(IPCLOAD_EXIT_USAGE);
}
