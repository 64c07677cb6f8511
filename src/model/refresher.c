#include "refresher.h"
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NSLOTS 3

struct refresher {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pipefd[2];
    struct pipeline pipe;
    struct snapshot snap[NSLOTS];
    struct refresh_view view[NSLOTS]; /* view[i].cur is snap[i] */
    int prev_of[NSLOTS];              /* the snapshot view[i] diffs against, -1 none */
    int latest;                       /* newest completed view, -1 none */
    int taken;                        /* view the consumer holds, -1 none */
    long seq;
    double delay;
    bool paused, poke, stop;
    uint64_t want[IPC_NCLASSES]; /* refresher_want */
    char err[512];
    bool err_pending;
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec to_timespec(double t)
{
    struct timespec ts = {(time_t)t, (long)((t - floor(t)) * 1e9)};
    return ts;
}

static bool in_use(const struct refresher *r, int slot)
{
    for (int v = 0; v < NSLOTS; v++) {
        bool needed = v == r->latest || v == r->taken;
        if (needed && (v == slot || r->prev_of[v] == slot)) return true;
    }
    return false;
}

static int free_slot(const struct refresher *r)
{
    for (int i = 0; i < NSLOTS; i++)
        if (!in_use(r, i)) return i;
    return -1;
}

static void notify(struct refresher *r)
{
    char c = 1;
    /* the pipe is non-blocking: a full pipe already says "ready" */
    if (write(r->pipefd[1], &c, 1) < 0 && errno != EAGAIN) { /* nothing to do */
    }
}

static void *run(void *arg)
{
    struct refresher *r = arg;
    double last = -1e18; /* when the last refresh began */
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        double due = last + r->delay;
        int slot = free_slot(r);
        bool waiting = r->paused || slot < 0 || (!r->poke && mono_now() < due);
        if (waiting) {
            if (r->paused || slot < 0) {
                pthread_cond_wait(&r->cv, &r->mu);
            } else {
                struct timespec ts = to_timespec(due);
                pthread_cond_timedwait(&r->cv, &r->mu, &ts);
            }
            continue;
        }
        r->poke = false;
        uint64_t want[IPC_NCLASSES];
        memcpy(want, r->want, sizeof want);
        int prev = r->latest;
        double began = mono_now();
        last = began;
        model_free(&r->view[slot].model);
        pthread_mutex_unlock(&r->mu);

        /* the slow part, unlocked: prev is read-only and no view uses slot */
        char err[512] = "";
        const struct snapshot *ps = prev >= 0 ? &r->snap[prev] : NULL;
        struct model m;
        collector_want(r->pipe.collector, want);
        bool ok = pipeline_run(&r->pipe, ps, &r->snap[slot], &m, err, sizeof err) == 0;

        pthread_mutex_lock(&r->mu);
        if (ok) {
            r->view[slot] =
                (struct refresh_view){++r->seq, &r->snap[slot], ps, m, mono_now() - began};
            r->prev_of[slot] = prev;
            r->latest = slot;
        } else {
            snprintf(r->err, sizeof r->err, "%s", err);
            r->err_pending = true;
        }
        notify(r);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

struct refresher *refresher_start(const struct collect_options *co, const struct model_params *mp,
                                  double delay, char *err, size_t errlen)
{
    struct refresher *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->latest = r->taken = -1;
    r->pipefd[0] = r->pipefd[1] = -1;
    for (int i = 0; i < NSLOTS; i++) {
        snapshot_init(&r->snap[i]);
        r->prev_of[i] = -1;
    }
    r->delay = delay;
    for (int k = 0; k < IPC_NCLASSES; k++) r->want[k] = ~UINT64_C(0);
    /* what it has set up, to undo exactly that when a later step fails */
    bool have_pipe = false, have_mu = false, have_cv = false;
    int e = ENOMEM;
    if (pipeline_init(&r->pipe, co, mp, true) < 0) goto fail;
    if ((e = pthread_mutex_init(&r->mu, NULL)) != 0) goto fail;
    have_mu = true;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    e = pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (e != 0) goto fail;
    have_cv = true;
    if (pipe2(r->pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
        e = errno;
        goto fail;
    }
    have_pipe = true;
    /* signals are the terminal's business: the main thread handles them, never this one */
    e = thread_start_blocked(&r->thread, run, r);
    if (e == 0) return r;
fail:
    snprintf(err, errlen, "cannot start the refresh thread: %s", strerror(e));
    if (have_pipe) {
        close(r->pipefd[0]);
        close(r->pipefd[1]);
    }
    if (have_cv) pthread_cond_destroy(&r->cv);
    if (have_mu) pthread_mutex_destroy(&r->mu);
    pipeline_free(&r->pipe);
    free(r);
    return NULL;
}

void refresher_stop(struct refresher *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    for (int i = 0; i < NSLOTS; i++) {
        model_free(&r->view[i].model);
        snapshot_free(&r->snap[i]);
    }
    pipeline_free(&r->pipe);
    close(r->pipefd[0]);
    close(r->pipefd[1]);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

int refresher_fd(const struct refresher *r)
{
    return r->pipefd[0];
}

bool refresher_take(struct refresher *r, const struct refresh_view **view, char *err, size_t errlen)
{
    char drain[64];
    while (read(r->pipefd[0], drain, sizeof drain) > 0) {
    }
    if (err && errlen) err[0] = '\0';
    pthread_mutex_lock(&r->mu);
    bool fresh = r->latest >= 0 && r->latest != r->taken;
    if (fresh) {
        r->taken = r->latest;
        *view = &r->view[r->taken];
        pthread_cond_signal(&r->cv); /* a slot may have become free */
    } else if (r->err_pending && err) {
        snprintf(err, errlen, "%s", r->err);
        r->err_pending = false;
    }
    pthread_mutex_unlock(&r->mu);
    return fresh;
}

void refresher_set_delay(struct refresher *r, double delay)
{
    pthread_mutex_lock(&r->mu);
    r->delay = delay;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void refresher_pause(struct refresher *r, bool paused)
{
    pthread_mutex_lock(&r->mu);
    r->paused = paused;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void refresher_want(struct refresher *r, const uint64_t want[IPC_NCLASSES])
{
    pthread_mutex_lock(&r->mu);
    memcpy(r->want, want, sizeof r->want);
    pthread_mutex_unlock(&r->mu);
}

void refresher_poke(struct refresher *r)
{
    pthread_mutex_lock(&r->mu);
    r->poke = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}
