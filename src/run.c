#include "run.h"

#include "columns.h"
#include "engine.h"
#include "output.h"
#include "table.h"

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

/* sig asks to stop; no SA_RESTART: a signal must cut the sleep short */
static void catch_stop(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void run_install_stop_handlers(void)
{
    catch_stop(SIGINT);
    catch_stop(SIGTERM);
    catch_stop(SIGHUP);
}

void run_install_quit_handler(void)
{
    catch_stop(SIGQUIT);
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

struct collect_options run_collect_options(const struct options *o)
{
    return (struct collect_options){
        .force = o->force, .proc_root = "/proc", .one_thread = options_repeats(o)};
}

/* One refresh for the single-shot modes. */
static int one_snapshot(const struct options *o, struct engine *e)
{
    struct collect_options co = run_collect_options(o);
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

static void say_write_failed(const char *what, int e)
{
    fprintf(stderr, "ipctop: cannot write %s: %s\n", what, strerror(e));
}

/*
 * stdout, for the modes that write to it, is a stream over descriptor 1 that remembers why
 * its first write failed: stdio keeps only an error flag, and errno is long overwritten by
 * the time the mode ends (a failed flush can even drop the data, so that flushing again
 * succeeds). glibc lets stdout be assigned. A file --dump --output writes is such a stream
 * too, synced to the disk before it is closed.
 */
struct out_stream {
    FILE *f; /* NULL: the slot is free */
    int fd;
    int err;   /* errno of the first failed write, sync or close; 0 none */
    bool sync; /* fsync before closing */
    char what[4200];
};
static struct out_stream out_streams[2]; /* stdout, and a file */

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
    struct out_stream *s = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(s->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (!s->err) s->err = w < 0 ? errno : EIO;
            return -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int out_close(void *cookie)
{
    struct out_stream *s = cookie;
    if (s->sync && fsync(s->fd) < 0 && !s->err) s->err = errno;
    if (close(s->fd) < 0 && errno != EINTR && !s->err) s->err = errno;
    return s->err ? -1 : 0;
}

static FILE *out_open(struct out_stream *s, int fd, const char *what, bool sync, bool line)
{
    cookie_io_functions_t io = {.write = out_write, .close = out_close};
    *s = (struct out_stream){NULL, fd, 0, sync, ""};
    snprintf(s->what, sizeof s->what, "%s", what);
    FILE *f = fopencookie(s, "w", io);
    if (!f) return NULL;
    setvbuf(f, NULL, line ? _IOLBF : _IOFBF, 65536);
    s->f = f;
    return f;
}

void out_stdout_init(void)
{
    /* a terminal sees each line as it comes (batch frames); a file or pipe gets blocks */
    FILE *f = out_open(&out_streams[0], STDOUT_FILENO, "the output", false, isatty(STDOUT_FILENO));
    if (f) stdout = f;
}

FILE *out_open_file(int fd, const char *name)
{
    if (out_streams[1].f) return NULL; /* one at a time */
    return out_open(&out_streams[1], fd, name, true, false);
}

int out_finish(FILE *f, int status)
{
    struct out_stream *s = NULL;
    for (size_t i = 0; i < sizeof out_streams / sizeof out_streams[0]; i++)
        if (out_streams[i].f && out_streams[i].f == f) s = &out_streams[i];
    int e = 0;
    if (fflush(f) != 0) e = errno;
    bool failed = ferror(f);
    if (fclose(f) != 0 && !e) e = errno;
    if (s && s->err) e = s->err;
    if (!e && failed) e = EIO;
    const char *what = s ? s->what : "the output";
    if (s) s->f = NULL;
    if (!e) return status;
    say_write_failed(what, e);
    return 1;
}

bool out_stdout_open(void)
{
    if (fcntl(STDOUT_FILENO, F_GETFL) >= 0 || errno != EBADF) return true;
    say_write_failed("the output", EBADF);
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
    int r = output_limits(stdout, &e.model, o->json, &oo);
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
 * Text in the tables is sanitized UTF-8 (format.h); the table writer measures the width of
 * a cell that is not ASCII with the locale's LC_CTYPE, so a batch frame takes the person's
 * LC_CTYPE (never LC_NUMERIC: numbers keep their decimal point). The bare C locale knows
 * only ASCII; there, as Python does (PEP 538), C.UTF-8 is used, so that "日本語" is
 * measured as six columns in a log written by cron.
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
    struct collect_options co = run_collect_options(o);
    struct model_params mp = {o->older_than};
    /* frames follow one another: remember the processes seen, for the verdicts' words */
    if (engine_init(&e, &co, &mp, true) < 0) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    run_install_stop_handlers();
    struct column_list columns;
    char err[1024];
    if (o->columns && column_list_parse(o->columns, &columns, "-o", err, sizeof err) < 0) {
        /* options_parse checked the names already */
        fprintf(stderr, "ipctop: %s\n", err);
        engine_free(&e);
        return 2;
    }
    struct output_options oo = {.bytes = o->bytes,
                                .delay = o->delay,
                                .min_age = o->older_than,
                                .columns = o->columns ? &columns : NULL,
                                .table_flags = (o->raw_table ? TABLE_RAW : 0u) |
                                               (o->noheadings ? TABLE_NOHEADINGS : 0u)};
    int status = 0;
    double next = monotonic_now();
    for (long n = 0; o->iterations == 0 || n < o->iterations; n++) {
        /* frames keep their rhythm: the next one is due a delay after this one began */
        if (n > 0 && !run_sleep_until(next)) break;
        next += o->delay;
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
