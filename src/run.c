#include "run.h"

#include "engine.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

void run_install_stop_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: a signal must cut the sleep short */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void run_install_quit_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGQUIT, &sa, NULL);
}

bool run_stop_requested(void)
{
    return stop_signal != 0;
}

bool run_sleep_until(double until)
{
    struct timespec ts = {(time_t)until, (long)((until - floor(until)) * 1e9)};
    while (!stop_signal) {
        int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        if (r == 0) return true;
        if (r != EINTR) return !stop_signal;
    }
    return false;
}

static struct collect_options collect_opts(const struct options *o)
{
    return (struct collect_options){.force = o->force, .proc_root = "/proc"};
}

/* One refresh for the single-shot modes. */
static int one_snapshot(const struct options *o, struct engine *e)
{
    struct collect_options co = collect_opts(o);
    struct model_params mp = {o->older_than};
    char err[512];
    if (engine_init(e, &co, &mp, false) < 0) {
        fprintf(stderr, "ipctop: out of memory\n");
        return -1;
    }
    if (engine_refresh(e, err, sizeof err) < 0) {
        fprintf(stderr, "ipctop: %s\n", err);
        engine_free(e);
        return -1;
    }
    return 0;
}

static void say_write_failed(int e)
{
    fprintf(stderr, "ipctop: cannot write the output: %s\n", strerror(e));
}

/*
 * stdout, for the modes that write to it, is a stream over descriptor 1 that remembers why
 * its first write failed: stdio keeps only an error flag, and errno is long overwritten by
 * the time the mode ends (a failed flush can even drop the data, so that flushing again
 * succeeds). glibc lets stdout be assigned.
 */
static struct {
    int err; /* errno of the first failed write or close; 0 none */
    bool wrapped;
} out_state;

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(STDOUT_FILENO, buf + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (!out_state.err) out_state.err = w < 0 ? errno : EIO;
            return -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int out_close(void *cookie)
{
    (void)cookie;
    if (close(STDOUT_FILENO) == 0 || errno == EINTR) return 0;
    if (!out_state.err) out_state.err = errno;
    return -1;
}

void out_stdout_init(void)
{
    cookie_io_functions_t io = {.write = out_write, .close = out_close};
    FILE *f = fopencookie(NULL, "w", io);
    if (!f) return;
    /* a terminal sees each line as it comes (batch frames); a file or pipe gets blocks */
    setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 65536);
    stdout = f;
    out_state.wrapped = true;
}

int out_finish(FILE *f, int status)
{
    int e = 0;
    if (fflush(f) != 0) e = errno;
    bool failed = ferror(f);
    if (fclose(f) != 0 && !e) e = errno;
    if (f == stdout && out_state.wrapped && out_state.err) e = out_state.err;
    if (!e && failed) e = EIO;
    if (!e) return status;
    say_write_failed(e);
    return 1;
}

bool out_stdout_open(void)
{
    if (fcntl(STDOUT_FILENO, F_GETFL) >= 0 || errno != EBADF) return true;
    say_write_failed(EBADF);
    return false;
}

int run_json(const struct options *o)
{
    struct engine e;
    if (one_snapshot(o, &e) < 0) return 1;
    struct output_options oo = {.bytes = o->bytes, .delay = o->delay, .min_age = o->older_than};
    output_json(stdout, &e.model, e.users, &oo);
    engine_free(&e);
    return out_finish(stdout, 0);
}

int run_limits(const struct options *o)
{
    struct engine e;
    if (one_snapshot(o, &e) < 0) return 1;
    struct output_options oo = {.bytes = o->bytes, .delay = o->delay, .min_age = o->older_than};
    /* a failed write is in stdout's error flag: out_finish reports it */
    int r = output_limits(stdout, engine_snapshot(&e), o->json, &oo);
    engine_free(&e);
    if (r != 0 && !ferror(stdout)) fprintf(stderr, "ipctop: out of memory\n");
    return out_finish(stdout, r == 0 || ferror(stdout) ? 0 : 1);
}

static double monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Text in the tables: libsmartcols writes what the locale's LC_CTYPE says is printable and
 * hex-escapes the rest, so a batch frame takes the person's LC_CTYPE (never LC_NUMERIC:
 * numbers keep their decimal point). The bare C locale knows only ASCII; there, as Python
 * does (PEP 538), UTF-8 is used, so that "café" stays "café" in a log written by cron.
 */
static void batch_locale(void)
{
    if (!setlocale(LC_CTYPE, "")) return;
    if (strcmp(nl_langinfo(CODESET), "ANSI_X3.4-1968") == 0 && !setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "C");
}

int run_batch(const struct options *o)
{
    batch_locale();
    struct engine e;
    struct collect_options co = collect_opts(o);
    struct model_params mp = {o->older_than};
    /* frames follow one another: remember the processes seen, for the verdicts' words */
    if (engine_init(&e, &co, &mp, true) < 0) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    run_install_stop_handlers();
    struct output_options oo = {.bytes = o->bytes, .delay = o->delay, .min_age = o->older_than};
    int status = 0;
    double next = monotonic_now();
    for (long n = 0; o->iterations == 0 || n < o->iterations; n++) {
        /* frames keep their rhythm: the next one is due a delay after this one began */
        if (n > 0 && !run_sleep_until(next)) break;
        next += o->delay;
        char err[512];
        if (engine_refresh(&e, err, sizeof err) < 0) {
            fprintf(stderr, "ipctop: %s\n", err);
            status = 1;
            break;
        }
        /* a failed write ends the frames; out_finish says why */
        if (output_batch_frame(stdout, &e.model, e.users, &oo) < 0) {
            if (!ferror(stdout)) {
                fprintf(stderr, "ipctop: out of memory\n");
                status = 1;
            }
            break;
        }
        if (run_stop_requested()) break;
        /* a refresh slower than the delay starts the next one at once, without piling up */
        double now = monotonic_now();
        if (next < now) next = now;
    }
    engine_free(&e);
    return out_finish(stdout, status);
}
