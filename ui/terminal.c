#include "terminal.h"

#include "app.h"
#include "format.h"
#include "termcheck.h"
#include "theme.h"

#include <ncurses.h>
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
    enum term_check tc = term_check(STDOUT_FILENO);
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
    if (!(a->term = newterm(NULL, stdout, stdin))) {
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
    release_fatal_signals();
}
