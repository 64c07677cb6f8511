#include "frame.h"

#include "format.h"
#include "kind.h"
#include "output.h"
#include "theme.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- header ------------------------------------------------------------------------------ */

/* "Label [|||||      used/limit]" in width cells, coloured by how full it is. */
static void meter(int y, int x, int width, const char *label, double used, double limit,
                  const char *text)
{
    int lw = (int)strlen(label) + 1;
    put_cells(y, x, lw, label, false, theme_attr(R_LABEL));
    int inner = width - lw - 2;
    if (inner < 4) return;
    double frac = limit > 0 ? used / limit : 0;
    if (frac > 1) frac = 1;
    enum role r = frac >= 0.9 ? R_METER_CRIT : frac >= 0.75 ? R_METER_WARN : R_METER_OK;
    int filled = (int)ceil(frac * inner);
    if (used > 0 && filled == 0) filled = 1;
    char bar[256];
    /* the figure whole or not at all: the tail of a cut number reads as a wrong number */
    int tl = (int)strlen(text);
    if (tl > inner) tl = 0;
    for (int i = 0; i < inner && i < (int)sizeof bar - 1; i++) {
        int ti = i - (inner - tl);
        bar[i] = ti >= 0 && ti < tl ? text[ti] : (i < filled ? '|' : ' ');
    }
    bar[inner < (int)sizeof bar - 1 ? inner : (int)sizeof bar - 1] = '\0';
    put_cells(y, x + lw, 1, "[", false, theme_attr(R_NORMAL));
    put_cells(y, x + lw + 1, inner, bar, false, theme_attr(r));
    put_cells(y, x + lw + 1 + inner, 1, "]", false, theme_attr(R_NORMAL));
}

void frame_draw_header(const struct app *a)
{
    char b[256], t[FMT_BUFSZ];
    const struct snapshot *s = a->view ? a->view->cur : NULL;
    time_t now = time(NULL);
    snprintf(b, sizeof b, "ipctop - %s  every %gs", fmt_time_full(t, (int64_t)now), a->delay);
    put_text(0, 0, b, theme_attr(R_TITLE));
    /* not root, or some process out of reach: the process lists are partial, and say so */
    char partial[96] = "";
    if (a->view && (!a->view->model.who.attach_complete || !a->view->model.who.tasks_complete))
        snprintf(partial, sizeof partial, "process lists partial: %zu not inspectable",
                 s->attach.procs_refused + s->tasks.nunreadable);
    const char *state = a->paused ? "PAUSED" : !a->view ? "reading..." : partial;
    int room = COLS - (int)strlen(b) - 2;
    if (*state && (int)strlen(state) <= room)
        put_cells(0, COLS - (int)strlen(state) - 1, (int)strlen(state), state, false,
                  theme_attr(R_METER_WARN));
    clear_rows(1, 2);
    if (!s || !s->limits.valid) {
        put_text(1, 0, s ? "limits unknown (cannot read /proc/sys/kernel)" : "", theme_attr(R_DIM));
        return;
    }
    const struct ipc_usage u = a->view->model.usage;
    const struct ipc_limits *l = &s->limits;
    int w2 = COLS / 2, w3 = COLS / 3;
    char x[FMT_BUFSZ], y[FMT_BUFSZ];
    long double shm_limit = (long double)l->shmall * (long double)l->page_size;
    uint64_t limit_b = shm_limit > (long double)UINT64_MAX ? UINT64_MAX : (uint64_t)shm_limit;
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.segments, l->shmmni);
    meter(1, 0, w2 - 1, "Segments", (double)u.segments, (double)l->shmmni, b);
    snprintf(b, sizeof b, "%s/%s", fmt_size(x, u.shm_pages * l->page_size), fmt_size(y, limit_b));
    meter(1, w2, COLS - w2, "Shm", (double)u.shm_pages, (double)l->shmall, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.sem_sets, l->semmni);
    meter(2, 0, w3 - 1, "Sem sets", (double)u.sem_sets, (double)l->semmni, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.semaphores, l->semmns);
    meter(2, w3, w3 - 1, "Sems", (double)u.semaphores, (double)l->semmns, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.queues, l->msgmni);
    meter(2, 2 * w3, COLS - 2 * w3, "Queues", (double)u.queues, (double)l->msgmni, b);
}

/* ---- tabs -------------------------------------------------------------------------------- */

/* The text of kind k's tab and its width (cut at the edge from x). */
static int tab_text(const struct app *a, int k, int x, char *b, size_t len)
{
    size_t n = a->view ? snapshot_count(a->view->cur, (enum ipc_class)k) : 0;
    snprintf(b, len, " %d %s (%zu) ", k + 1, kind_of((enum ipc_class)k)->tab, n);
    int w = (int)strlen(b);
    return x + w > COLS ? COLS - x : w;
}

void frame_draw_tabs(const struct app *a)
{
    int x = 0;
    move(HEADER_ROWS - 1, 0);
    clrtoeol();
    for (int k = 0; k < IPC_NCLASSES && x < COLS; k++) {
        char b[64];
        int w = tab_text(a, k, x, b, sizeof b);
        put_cells(HEADER_ROWS - 1, x, w, b, false,
                  theme_attr(k == (int)a->kind ? R_TAB_ACTIVE : R_TAB));
        x += w + 1;
    }
    const struct list_model *m = app_shown_list(a);
    char info[200] = "";
    if (m->filter[0] || m->leaks_only)
        snprintf(info, sizeof info, "%s%s%s%s: %zu of %zu", m->leaks_only ? "leaks" : "",
                 m->leaks_only && m->filter[0] ? ", " : "", m->filter[0] ? "filter " : "",
                 m->filter, m->n, m->total);
    if (m->ntags) {
        size_t l = strlen(info);
        snprintf(info + l, sizeof info - l, "%s%zu tagged", l ? ", " : "", m->ntags);
    }
    int iw = (int)strlen(info);
    if (iw && x + iw < COLS)
        put_cells(HEADER_ROWS - 1, COLS - iw - 1, iw, info, false, theme_attr(R_INFO));
}

int frame_tab_at(const struct app *a, int xq)
{
    int x = 0;
    for (int k = 0; k < IPC_NCLASSES && x < COLS; k++) {
        char b[64];
        int w = tab_text(a, k, x, b, sizeof b);
        if (xq >= x && xq < x + w + 1) return k;
        x += w + 1;
    }
    return -1;
}

/* ---- footer ------------------------------------------------------------------------------ */

void frame_draw_status(const struct app *a)
{
    int y = LINES - FOOTER_ROWS;
    const struct ui_screen *top = app_top(a);
    if (top->ops->draws_status) return;
    bool err = false;
    const char *own = top->ops->status ? top->ops->status(top, a, &err) : NULL;
    if (own) {
        put_cells(y, 0, COLS, own, false, theme_attr(err ? R_ERROR : R_INFO));
        return;
    }
    if (a->status[0]) {
        put_cells(y, 0, COLS, a->status, false, theme_attr(a->status_error ? R_ERROR : R_INFO));
        return;
    }
    char b[256] = "";
    const struct list_model *m = app_shown_list(a);
    if (a->view) {
        const struct snapshot *s = a->view->cur;
        size_t hidden = s->hidden[a->kind];
        snprintf(b, sizeof b, "%zu row%s", m->n, m->n == 1 ? "" : "s");
        if (m->n) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, ", row %zu", m->sel + 1);
        }
        if (hidden) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, "; %zu %s objects could not be read", hidden,
                     kind_of(a->kind)->name);
        }
        /* sets whose values this user may not read (the kind with elements says) */
        if (kind_of(a->kind)->element_fields && s->sem_unreadable) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, "; %zu sets refuse reading their values (?)",
                     s->sem_unreadable);
        }
    }
    put_cells(y, 0, COLS, b, false, theme_attr(R_DIM));
}

/* Calls fn for each entry of the key bar that is drawn, with its x and width. */
static void each_fkey(const struct app *a,
                      bool (*fn)(void *ctx, const struct fkey *f, int x, int kw, int lw), void *ctx)
{
    const struct ui_screen *top = app_top(a);
    int x = 0;
    for (size_t i = 0; i < top->ops->nfkeys && x < COLS; i++) {
        const struct fkey *f = &top->ops->fkeys[i];
        int kw = (int)strlen(f->key), lw = (int)strlen(f->label) + 1;
        if (kw > COLS - x) kw = COLS - x;
        if (lw > COLS - x - kw) lw = COLS - x - kw;
        if (!fn(ctx, f, x, kw, lw)) return;
        x += kw + lw;
    }
}

static bool draw_one(void *ctx, const struct fkey *f, int x, int kw, int lw)
{
    int *end = ctx;
    put_cells(LINES - 1, x, kw, f->key, false, theme_attr(R_FKEY));
    if (lw > 0) put_cells(LINES - 1, x + kw, lw, f->label, false, theme_attr(R_FDESC));
    *end = x + kw + (lw > 0 ? lw : 0);
    return true;
}

void frame_draw_fkeys(const struct app *a)
{
    move(LINES - 1, 0);
    clrtoeol();
    int end = 0;
    each_fkey(a, draw_one, &end);
    if (end < COLS) put_cells(LINES - 1, end, COLS - end, "", false, theme_attr(R_FDESC));
}

struct fkey_hit {
    int x;
    bool found;
    enum action act;
};

static bool hit_one(void *ctx, const struct fkey *f, int x, int kw, int lw)
{
    struct fkey_hit *h = ctx;
    if (h->x >= x && h->x < x + kw + lw) {
        h->found = true;
        h->act = f->act;
        return false;
    }
    return true;
}

bool frame_fkey_at(const struct app *a, int x, enum action *act)
{
    struct fkey_hit h = {x, false, ACT_NONE};
    each_fkey(a, hit_one, &h);
    *act = h.act;
    return h.found;
}

void frame_draw_too_small(void)
{
    erase();
    char b[80];
    snprintf(b, sizeof b, "terminal too small (%dx%d): ipctop needs %dx%d", COLS, LINES, MIN_COLS,
             MIN_ROWS);
    /* as much of the sentence as fits, line by line */
    int len = (int)strlen(b);
    for (int y = 0, off = 0; y < LINES && off < len; y++, off += COLS)
        put_cells(y, 0, COLS, b + off, false, theme_attr(R_NORMAL));
}
