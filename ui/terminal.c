#include "terminal.h"
#include "threads.h"

#include "app.h"
#include "format.h"
#include "inputfilter.h"
#include "termcheck.h"
#include "theme.h"

#include <errno.h>
#include <fcntl.h>
#include <ncurses.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* ---- the terminal, restored whatever ends the program ------------------------------------ */

/*
 * What puts the terminal back as the shell had it, prepared while the terminal is set up
 * so that a signal handler can send it with write(2) alone (nothing else is safe there):
 * leave the alternate screen, show the cursor, plain attributes, keypad and mouse
 * reporting off; and the terminal's modes (echo, canonical input) as they were.
 */
static char restore_seq[256];
static size_t restore_len;
static struct termios saved_modes;
static bool saved_modes_ok;

static void restore_add(const char *cap)
{
    const char *v = tigetstr(cap);
    if (!v || v == (const char *)-1) return;
    size_t n = strlen(v);
    if (restore_len + n >= sizeof restore_seq) return;
    memcpy(restore_seq + restore_len, v, n);
    restore_len += n;
}

static void prepare_restore(bool mouse)
{
    restore_len = 0;
    /* mouse reporting as ncurses turns it on for xterm-like terminals (kmous) */
    const char *kmous = tigetstr("kmous");
    if (mouse && kmous && kmous != (const char *)-1) {
        static const char off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l";
        memcpy(restore_seq, off, sizeof off - 1);
        restore_len = sizeof off - 1;
    }
    restore_add("sgr0");
    restore_add("cnorm");
    restore_add("rmkx");
    restore_add("rmcup");
}

/* The signals that end a process by default and can be caught, but do not come from the
 * person (those end the loop: SIGINT, SIGTERM, SIGHUP, SIGQUIT). */
static const int fatal_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,    SIGABRT, SIGTRAP,
                                    SIGSYS,  SIGUSR1, SIGUSR2, SIGALRM,   SIGPIPE, SIGVTALRM,
                                    SIGPROF, SIGXCPU, SIGXFSZ, SIGSTKFLT, SIGPWR,  SIGIO};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction fatal_before[NFATAL];

static void on_fatal(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
        /* nothing more can be done for the terminal */
    }
    if (saved_modes_ok) tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    /* then what would have happened without us: the default (or a sanitizer's report) */
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal_signals[i] == sig) sigaction(sig, &fatal_before[i], NULL);
    /* a signal sent by kill() is sent again; a fault happens again when the faulting
     * instruction runs once more, on return */
    if (si->si_code <= 0) raise(sig);
}

static void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < NFATAL; i++) sigaction(fatal_signals[i], &sa, &fatal_before[i]);
}

static void release_fatal_signals(void)
{
    for (size_t i = 0; i < NFATAL; i++) sigaction(fatal_signals[i], &fatal_before[i], NULL);
}

/* ---- the keyboard: read here, filtered, handed to ncurses through a pipe ---------------- */

/*
 * A thread reads the terminal and writes what input_filter lets pass into a pipe that
 * ncurses reads as its input (inputfilter.h says why: ncurses 6.4 overflows its stack on a
 * forged SGR mouse report). Being a thread, it hands over the rest of an escape sequence
 * while ncurses waits for it (ESCDELAY), as the terminal itself would. It blocks every
 * signal (they are the main thread's) and touches nothing but the descriptors.
 */
static struct {
    int pipe_r, pipe_w; /* ncurses reads pipe_r */
    int stop_r, stop_w; /* a byte on stop_w ends the thread */
    FILE *in;           /* pipe_r for newterm */
    pthread_t thread;
    bool running;
} relay = {-1, -1, -1, -1, NULL, 0, false};

static bool relay_write(const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(relay.pipe_w, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false; /* ncurses' end is closed: the monitor is ending */
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void *relay_run(void *arg)
{
    struct input_filter f;
    input_filter_init(&f, *(const bool *)arg);
    unsigned char in[4096], out[INPUT_FILTER_OUT(sizeof in)];
    for (;;) {
        struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0}, {relay.stop_r, POLLIN, 0}};
        int r = poll(pf, 2, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 || pf[1].revents) break;
        if (!(pf[0].revents & POLLIN)) break; /* the terminal hung up */
        ssize_t got = read(STDIN_FILENO, in, sizeof in);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) break;
        if (!relay_write(out, input_filter_feed(&f, in, (size_t)got, out))) break;
    }
    /* ncurses (and the loop's poll) see the end of the input */
    close(relay.pipe_w);
    relay.pipe_w = -1;
    return NULL;
}

/* x10: how the terminal reports the mouse, as ncurses will read it */
static bool relay_start(bool x10_mouse)
{
    static bool x10;
    x10 = x10_mouse;
    int p[2], s[2];
    if (pipe2(p, O_CLOEXEC) < 0) return false;
    if (pipe2(s, O_CLOEXEC) < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    relay.pipe_r = p[0];
    relay.pipe_w = p[1];
    relay.stop_r = s[0];
    relay.stop_w = s[1];
    relay.in = fdopen(relay.pipe_r, "r");
    relay.running = relay.in && thread_start_blocked(&relay.thread, relay_run, &x10) == 0;
    return relay.running;
}

/* After ncurses let go of its input (delscreen). */
static void relay_stop(void)
{
    if (relay.stop_w >= 0 && write(relay.stop_w, "", 1) < 0) {
        /* the thread ends anyway once its pipe is closed below */
    }
    if (relay.in)
        fclose(relay.in); /* a write blocked on a full pipe fails: the thread ends */
    else if (relay.pipe_r >= 0)
        close(relay.pipe_r);
    if (relay.running) pthread_join(relay.thread, NULL);
    if (relay.pipe_w >= 0) close(relay.pipe_w);
    if (relay.stop_r >= 0) close(relay.stop_r);
    if (relay.stop_w >= 0) close(relay.stop_w);
    relay.in = NULL;
    relay.running = false;
    relay.pipe_r = relay.pipe_w = relay.stop_r = relay.stop_w = -1;
}

int terminal_input_fd(void)
{
    return relay.pipe_r;
}

bool terminal_start(struct app *a, char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen,
                 "the interactive monitor needs a terminal; use -b or --json for "
                 "pipes and files");
        return false;
    }
    char term[64];
    const char *t = getenv("TERM");
    sanitize_text(term, sizeof term, t ? t : "unset", t ? strlen(t) : 5);
    /* a terminal that cannot put text where it belongs (TERM=dumb) would show nothing */
    bool x10_mouse;
    enum term_check tc = term_check(STDOUT_FILENO, &x10_mouse);
    if (tc == TERM_UNKNOWN) {
        snprintf(err, errlen, "cannot use this terminal (TERM=%s)", term);
        return false;
    }
    if (tc == TERM_NOT_ADDRESSABLE) {
        snprintf(err, errlen,
                 "this terminal (TERM=%s) cannot move its cursor, which the interactive "
                 "monitor needs; use -b or --json for plain text",
                 term);
        return false;
    }
    saved_modes_ok = tcgetattr(STDIN_FILENO, &saved_modes) == 0;
    if (!relay_start(x10_mouse)) {
        relay_stop();
        snprintf(err, errlen, "cannot read the terminal: %s", strerror(errno));
        return false;
    }
    /* ncurses sets the terminal's modes through its output, a terminal; it reads the pipe */
    if (!(a->term = newterm(NULL, stdout, relay.in))) {
        relay_stop();
        snprintf(err, errlen, "cannot use this terminal (TERM=%s)", term);
        return false;
    }
    prepare_restore(a->mouse);
    catch_fatal_signals();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (a->mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                      | BUTTON5_PRESSED
#endif
                  ,
                  NULL);
        mouseinterval(0);
    }
    theme_init(a->color);
    getmaxyx(stdscr, a->rows, a->cols);
    return true;
}

void terminal_end(struct app *a)
{
    endwin();
    delscreen(a->term);
    relay_stop();
    release_fatal_signals();
}
