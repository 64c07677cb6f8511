/*
 * ipcload_signals.c — see ipcload_signals.h.
 */
#include "ipcload_signals.h"
#include "wl_os.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;
static sigset_t wait_mask; /* the mask while waiting: ours unblocked */
static pid_t original_ppid;
static int parent_gone;

static void on_signal(int sig)
{
    got_signal = sig;
}

void ipcload_signals_init(void)
{
    static const int ours[] = {SIGINT, SIGTERM, SIGHUP};
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) sigaddset(&block, ours[i]);
    sigprocmask(SIG_BLOCK, &block, &wait_mask);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        sigdelset(&wait_mask, ours[i]);
        sigaction(ours[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN); /* a closed --ready-fd or stdout is not a reason to die */
    original_ppid = getppid();
}

void ipcload_signals_wait_until(long long deadline)
{
    long long d = deadline - wl_os_now_us();
    if (d < 0) d = 0;
    if (d > 200000) d = 200000;
    struct timespec ts = {.tv_sec = (time_t)(d / 1000000), .tv_nsec = (long)(d % 1000000) * 1000};
    ppoll(NULL, 0, &ts, &wait_mask);
}

int ipcload_signals_stopping(void)
{
    ipcload_signals_wait_until(0);
    if (!parent_gone && getppid() != original_ppid) parent_gone = 1;
    return got_signal || parent_gone;
}

int ipcload_signals_parent_gone(void)
{
    return parent_gone;
}
