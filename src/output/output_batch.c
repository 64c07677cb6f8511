/*
 * Batch frames (-b), like top -b: a header, the use of the kernel limits, then one
 * libsmartcols table per class. From the second frame on, the STATE column says "new",
 * "chg" or "gone" and CHANGED names the fields that changed; a gone object is listed
 * once, in the frame after it disappeared.
 */
#include "format.h"
#include "leak.h"
#include "output.h"

#include <inttypes.h>
#include <libsmartcols/libsmartcols.h>
#include <math.h>
#include <string.h>
#include <time.h>

struct col {
    const char *name;
    double whint;
    int flags;
};

#define R SCOLS_FL_RIGHT
static const struct col shm_cols[] = {
    {"STATE", 1, 0},   {"KEY", 10, 0},       {"ID", 6, R},   {"OWNER", 8, 0},  {"PERMS", 5, 0},
    {"SIZE", 6, R},    {"RSS", 6, R},        {"SWAP", 6, R}, {"NATTCH", 6, R}, {"ATTACHED", 6, R},
    {"STATUS", 6, 0},  {"CTIME", 8, 0},      {"CPID", 6, R}, {"LPID", 6, R},   {"LEAK", 4, 0},
    {"CHANGED", 8, 0}, {"ATTACHERS", 12, 0},
};
static const struct col sem_cols[] = {
    {"STATE", 1, 0}, {"KEY", 10, 0},   {"ID", 6, R},      {"OWNER", 8, 0},   {"PERMS", 5, 0},
    {"NSEMS", 5, R}, {"VALUES", 8, 0}, {"WAITERS", 7, R}, {"NCOUNT", 6, R},  {"ZCOUNT", 6, R},
    {"OTIME", 8, 0}, {"CTIME", 8, 0},  {"LEAK", 4, 0},    {"CHANGED", 8, 0}, {"WAITING", 12, 0},
};
static const struct col msg_cols[] = {
    {"STATE", 1, 0},   {"KEY", 10, 0},      {"ID", 6, R},      {"OWNER", 8, 0},    {"PERMS", 5, 0},
    {"MSGS", 6, R},    {"USEDBYTES", 8, R}, {"QBYTES", 8, R},  {"FILL", 5, R},     {"MSG/S", 6, R},
    {"BYTES/S", 7, R}, {"WAITERS", 7, R},   {"LSPID", 6, R},   {"LRPID", 6, R},    {"STIME", 8, 0},
    {"RTIME", 8, 0},   {"LEAK", 4, 0},      {"CHANGED", 8, 0}, {"WAITING", 12, 0},
};
#undef R

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

struct frame {
    const struct model *m;
    const struct snapshot_diff *d;
    const struct who *w;
    struct users *u;
    const struct output_options *o;
    int64_t now;
};

static struct libscols_table *new_table(FILE *f, const struct col *cols, size_t n)
{
    struct libscols_table *tb = scols_new_table();
    if (!tb) return NULL;
    scols_table_set_stream(tb, f);
    /* a batch frame is for logs and pipes: never truncate to a terminal's width */
    scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
    scols_table_enable_maxout(tb, 0);
    for (size_t i = 0; i < n; i++)
        if (!scols_table_new_column(tb, cols[i].name, cols[i].whint, cols[i].flags)) {
            scols_unref_table(tb);
            return NULL;
        }
    return tb;
}

/* Cell setters: '?' for unknown values. */
static void cell(struct libscols_line *ln, size_t c, const char *s)
{
    scols_line_set_data(ln, c, s);
}

static void cell_u64(struct libscols_line *ln, size_t c, bool known, uint64_t v)
{
    char b[32];
    if (known) snprintf(b, sizeof b, "%" PRIu64, v);
    cell(ln, c, known ? b : "?");
}

static void cell_size(struct libscols_line *ln, size_t c, bool known, uint64_t v, bool bytes,
                      bool suspect)
{
    char b[FMT_BUFSZ + 2];
    if (!known) {
        cell(ln, c, "?");
        return;
    }
    if (bytes)
        snprintf(b, sizeof b, "%" PRIu64, v);
    else
        fmt_size(b, v);
    if (suspect) strcat(b, "?");
    cell(ln, c, b);
}

static void cell_time(struct libscols_line *ln, size_t c, bool known, int64_t t, int64_t now)
{
    char b[FMT_BUFSZ];
    cell(ln, c, known ? fmt_time(b, t, now) : "?");
}

/* The first columns every class shares: STATE KEY ID OWNER PERMS. */
static void cells_common(struct libscols_line *ln, const struct ipc_common *c, enum obj_state st,
                         struct users *u)
{
    char b[FMT_BUFSZ];
    cell(ln, 0, obj_state_name(st));
    cell(ln, 1, c->valid & FBIT(F_KEY) ? fmt_key(b, c->key) : "?");
    cell_u64(ln, 2, c->valid & FBIT(F_ID), (uint64_t)c->id);
    cell(ln, 3, c->valid & FBIT(F_UID) ? users_name(u, c->uid) : "?");
    cell(ln, 4, c->valid & FBIT(F_MODE) ? fmt_perms(b, c->mode) : "?");
}

/* A pid with its command where the process is known: "1234(postgres)", "1234(dead)". */
static void cell_pid(struct libscols_line *ln, size_t c, bool known, const struct snapshot *s,
                     int32_t pid, enum liveness l)
{
    char b[128];
    cell(ln, c, known ? fmt_pid_command(b, sizeof b, s, pid, l) : "?");
}

/* How many of something, with "+" when the list behind it may be partial. */
static void cell_count(struct libscols_line *ln, size_t c, size_t n, bool complete)
{
    char b[32];
    snprintf(b, sizeof b, "%zu%s", n, complete ? "" : "+");
    cell(ln, c, b);
}

/* "leaked", "possibly" or "" for a current object; "-" for a gone one */
static void cell_leak(struct libscols_line *ln, size_t c, const struct frame *fr,
                      const struct snapshot *s, enum ipc_class cls, size_t i)
{
    if (s != fr->d->cur) {
        cell(ln, c, "-");
        return;
    }
    cell(ln, c, leak_kind_word((enum leak_kind)model_verdict(fr->m, cls, i)->kind));
}

/* At most this many processes in a list cell; "+N" says how many more. */
#define LIST_MAX 4

/* "1234(postgres),5678(psql)": attachers or waiters of a current object, "-" for a gone one */
static void cell_procs(struct libscols_line *ln, size_t c, const struct frame *fr,
                       const struct snapshot *s, enum ipc_class cls, size_t i)
{
    if (s != fr->d->cur) {
        cell(ln, c, "-");
        return;
    }
    char b[512] = "", one[160];
    size_t n, at = 0;
    const struct who_attacher *a = cls == IPC_SHM ? who_attachers(fr->w, IPC_SHM, i, &n) : NULL;
    const struct who_waiter *w = cls == IPC_SHM ? NULL : who_waiters(fr->w, cls, i, &n);
    for (size_t k = 0; k < n && k < LIST_MAX; k++) {
        int32_t pid = a ? a[k].pid : w[k].pid;
        fmt_pid_command(one, sizeof one, s, pid, LIVE_ALIVE);
        if (w && w[k].stopped) strncat(one, "(stopped)", sizeof one - strlen(one) - 1);
        at += (size_t)snprintf(b + at, sizeof b - at, "%s%s", k ? "," : "", one);
        if (at >= sizeof b) break;
    }
    if (n > LIST_MAX && at < sizeof b) snprintf(b + at, sizeof b - at, ",+%zu", n - LIST_MAX);
    cell(ln, c, b);
}

/* A set's values, "1,0,0,3", shortened to the first few with "..." */
static void cell_values(struct libscols_line *ln, size_t c, const struct snapshot *s,
                        const struct sem_set *set)
{
    if (!(set->c.valid & FBIT(F_SEMVAL))) {
        cell(ln, c, "?");
        return;
    }
    char b[96];
    fmt_sem_values(b, sizeof b, sem_elements(s, set), set->nsems, 48);
    cell(ln, c, b);
}

static void cell_changed(struct libscols_line *ln, size_t c, uint64_t changed)
{
    char b[256] = "";
    for (int f = 0; f < F_NFIELDS; f++) {
        if (!(changed & FBIT(f))) continue;
        if (b[0]) strncat(b, ",", sizeof b - strlen(b) - 1);
        strncat(b, ipc_field_name((enum ipc_field)f), sizeof b - strlen(b) - 1);
    }
    cell(ln, c, b);
}

static void shm_row(struct libscols_table *tb, const struct frame *fr, const struct snapshot *s,
                    size_t i, enum obj_state st, uint64_t changed)
{
    struct libscols_line *ln = scols_table_new_line(tb, NULL);
    if (!ln) return;
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    uint64_t v = g->c.valid;
    char b[FMT_BUFSZ];
    cells_common(ln, &g->c, st, fr->u);
    cell_size(ln, 5, v & FBIT(F_SIZE), g->size, fr->o->bytes, false);
    cell_size(ln, 6, v & FBIT(F_RSS), g->rss, fr->o->bytes, g->flags & SHM_SEG_RSS_SUSPECT);
    cell_size(ln, 7, v & FBIT(F_SWAP), g->swap, fr->o->bytes, false);
    cell_u64(ln, 8, v & FBIT(F_NATTCH), g->nattch);
    /* distinct processes: known only for the current snapshot */
    if (s == fr->d->cur) {
        size_t n;
        who_attachers(fr->w, IPC_SHM, i, &n);
        cell_count(ln, 9, n, who_complete(fr->w, s, IPC_SHM, i));
    } else {
        cell(ln, 9, "-");
    }
    cell(ln, 10, v & FBIT(F_MODE) ? fmt_shm_status(b, g) : "?");
    cell_time(ln, 11, v & FBIT(F_CTIME), g->c.ctime, fr->now);
    cell_pid(ln, 12, v & FBIT(F_CPID), s, g->cpid, who_shm_cpid_alive(s, g));
    cell_pid(ln, 13, v & FBIT(F_LPID), s, g->lpid, who_shm_lpid_alive(s, g));
    cell_leak(ln, 14, fr, s, IPC_SHM, i);
    cell_changed(ln, 15, changed);
    cell_procs(ln, 16, fr, s, IPC_SHM, i);
}

static void sem_row(struct libscols_table *tb, const struct frame *fr, const struct snapshot *s,
                    size_t i, enum obj_state st, uint64_t changed)
{
    struct libscols_line *ln = scols_table_new_line(tb, NULL);
    if (!ln) return;
    const struct sem_set *set = &SNAP_SEM(s)[i];
    uint64_t v = set->c.valid;
    cells_common(ln, &set->c, st, fr->u);
    cell_u64(ln, 5, v & FBIT(F_NSEMS), set->nsems);
    cell_values(ln, 6, s, set);
    uint64_t n = 0, z = 0;
    const struct sem_element *e = sem_elements(s, set);
    for (uint32_t k = 0; k < set->nsems; k++) {
        n += (uint64_t)e[k].ncount;
        z += (uint64_t)e[k].zcount;
    }
    bool counts = v & FBIT(F_SEMCOUNT);
    cell_u64(ln, 7, counts, n + z);
    cell_u64(ln, 8, counts, n);
    cell_u64(ln, 9, counts, z);
    cell_time(ln, 10, v & FBIT(F_OTIME), set->otime, fr->now);
    cell_time(ln, 11, v & FBIT(F_CTIME), set->c.ctime, fr->now);
    cell_leak(ln, 12, fr, s, IPC_SEM, i);
    cell_changed(ln, 13, changed);
    cell_procs(ln, 14, fr, s, IPC_SEM, i);
}

static void msg_row(struct libscols_table *tb, const struct frame *fr, const struct snapshot *s,
                    size_t i, enum obj_state st, uint64_t changed)
{
    struct libscols_line *ln = scols_table_new_line(tb, NULL);
    if (!ln) return;
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    uint64_t v = q->c.valid;
    char b[FMT_BUFSZ];
    cells_common(ln, &q->c, st, fr->u);
    cell_u64(ln, 5, v & FBIT(F_MSGS), q->msgs);
    cell_size(ln, 6, v & FBIT(F_USEDBYTES), q->usedbytes, fr->o->bytes, false);
    cell_size(ln, 7, v & FBIT(F_QBYTES), q->qbytes, fr->o->bytes, false);
    bool fill = (v & FBIT(F_USEDBYTES)) && (v & FBIT(F_QBYTES));
    cell(ln, 8, fill ? fmt_percent(b, (double)q->usedbytes, (double)q->qbytes) : "?");
    double mr, br;
    /* rates exist for objects of the current snapshot seen before */
    bool rates = s == fr->d->cur && model_rate(fr->d, IPC_MSG, i, F_MSGS, &mr) &&
                 model_rate(fr->d, IPC_MSG, i, F_USEDBYTES, &br);
    cell(ln, 9, rates ? fmt_rate(b, mr, false) : "-");
    cell(ln, 10, rates ? fmt_rate(b, br, true) : "-");
    if (s == fr->d->cur) {
        size_t n;
        who_waiters(fr->w, IPC_MSG, i, &n);
        cell_count(ln, 11, n, who_complete(fr->w, s, IPC_MSG, i));
    } else {
        cell(ln, 11, "-");
    }
    cell_pid(ln, 12, v & FBIT(F_LSPID), s, q->lspid, who_msg_lspid_alive(s, q));
    cell_pid(ln, 13, v & FBIT(F_LRPID), s, q->lrpid, who_msg_lrpid_alive(s, q));
    cell_time(ln, 14, v & FBIT(F_STIME), q->stime, fr->now);
    cell_time(ln, 15, v & FBIT(F_RTIME), q->rtime, fr->now);
    cell_leak(ln, 16, fr, s, IPC_MSG, i);
    cell_changed(ln, 17, changed);
    cell_procs(ln, 18, fr, s, IPC_MSG, i);
}

typedef void (*row_fn)(struct libscols_table *, const struct frame *, const struct snapshot *,
                       size_t, enum obj_state, uint64_t);

/* Current objects and the ones gone since the previous frame, merged in id order. */
static int class_table(FILE *f, const struct frame *fr, enum ipc_class cls, const char *title,
                       const struct col *cols, size_t ncols, row_fn row)
{
    const struct snapshot_diff *d = fr->d;
    const struct class_diff *cd = &d->cls[cls];
    size_t ncur = snapshot_count(d->cur, cls);
    fprintf(f, "\n%s: %zu", title, ncur);
    if (d->prev) fprintf(f, " (%zu new, %zu changed, %zu gone)", cd->nnew, cd->nchanged, cd->ngone);
    fputc('\n', f);
    if (ncur == 0 && cd->ngone == 0) return 0;
    struct libscols_table *tb = new_table(f, cols, ncols);
    if (!tb) return -1;
    size_t i = 0, g = 0;
    while (i < ncur || g < cd->ngone) {
        bool take_gone =
            g < cd->ngone && (i >= ncur || snapshot_common(d->prev, cls, cd->gone[g])->id <
                                               snapshot_common(d->cur, cls, i)->id);
        if (take_gone) {
            row(tb, fr, d->prev, cd->gone[g++], OBJ_GONE, 0);
        } else {
            row(tb, fr, d->cur, i, cd->cur[i].state, cd->cur[i].changed);
            i++;
        }
    }
    int r = scols_print_table(tb);
    scols_unref_table(tb);
    return r == 0 ? 0 : -1;
}

static void header(FILE *f, const struct frame *fr)
{
    const struct snapshot *s = fr->d->cur;
    const struct ipc_limits *l = &s->limits;
    char t[FMT_BUFSZ], a[FMT_BUFSZ], b[FMT_BUFSZ], p[FMT_BUFSZ];
    struct ipc_usage u;
    ipc_usage_of(s, &u);
    fprintf(f, "ipctop - %s  refresh %gs  shm via %s, sem via %s, msg via %s\n",
            fmt_time_full(t, (int64_t)s->wall), fr->o->delay, collect_path_name(s->path[IPC_SHM]),
            collect_path_name(s->path[IPC_SEM]), collect_path_name(s->path[IPC_MSG]));
    if (!l->valid) {
        fprintf(f, "Limits: unknown (cannot read /proc/sys/kernel)\n");
        return;
    }
    /* shmall is in pages and may be near 2^64: compare in pages, print in bytes */
    long double shm_limit = (long double)l->shmall * (long double)l->page_size;
    uint64_t shm_limit_b = shm_limit > (long double)UINT64_MAX ? UINT64_MAX : (uint64_t)shm_limit;
    fprintf(f, "Segments %" PRIu64 "/%" PRIu64 " (%s)  Shm %s/%s (%s)", u.segments, l->shmmni,
            fmt_percent(p, (double)u.segments, (double)l->shmmni),
            fmt_size(a, u.shm_pages * l->page_size), fmt_size(b, shm_limit_b),
            fmt_percent(t, (double)u.shm_pages, (double)l->shmall));
    fprintf(f, "  Sem sets %" PRIu64 "/%" PRIu64 " (%s)", u.sem_sets, l->semmni,
            fmt_percent(p, (double)u.sem_sets, (double)l->semmni));
    fprintf(f, "  Semaphores %" PRIu64 "/%" PRIu64 " (%s)", u.semaphores, l->semmns,
            fmt_percent(p, (double)u.semaphores, (double)l->semmns));
    fprintf(f, "  Queues %" PRIu64 "/%" PRIu64 " (%s)\n", u.queues, l->msgmni,
            fmt_percent(p, (double)u.queues, (double)l->msgmni));
    for (int c = 0; c < IPC_NCLASSES; c++)
        if (s->hidden[c])
            fprintf(f, "Note: %zu %s objects exist that could not be read (permission denied)\n",
                    s->hidden[c], ipc_class_name((enum ipc_class)c));
    if (s->sem_unreadable)
        fprintf(f, "Note: %zu semaphore sets do not let this user read their values: shown as ?\n",
                s->sem_unreadable);
    if (!fr->w->attach_complete || !fr->w->tasks_complete)
        fprintf(f,
                "Note: some processes could not be inspected (%zu maps, %zu tasks refused): "
                "attacher and waiter lists are partial where marked +\n",
                s->attach.procs_refused, s->tasks.nunreadable);
}

int output_batch_frame(FILE *f, const struct model *m, struct users *u,
                       const struct output_options *o)
{
    struct frame fr = {m, &m->diff, &m->who, u, o, (int64_t)m->cur->wall};
    header(f, &fr);
    if (class_table(f, &fr, IPC_SHM, "Shared memory segments", shm_cols, NCOLS(shm_cols),
                    shm_row) ||
        class_table(f, &fr, IPC_SEM, "Semaphore sets", sem_cols, NCOLS(sem_cols), sem_row) ||
        class_table(f, &fr, IPC_MSG, "Message queues", msg_cols, NCOLS(msg_cols), msg_row))
        return -1;
    fputc('\n', f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

char *fmt_pid_command(char *buf, size_t len, const struct snapshot *s, int32_t pid, enum liveness l)
{
    if (pid <= 0) {
        snprintf(buf, len, "%d", pid);
        return buf;
    }
    const struct proc_info *p = procs_find(&s->procs, pid);
    char comm[64];
    switch (l) {
    case LIVE_ALIVE:
        sanitize_text(comm, sizeof comm, p ? procs_comm(&s->procs, p) : "?",
                      p ? strlen(procs_comm(&s->procs, p)) : 1);
        if (p && p->state == 'T') strncat(comm, ",stopped", sizeof comm - strlen(comm) - 1);
        snprintf(buf, len, "%d(%s)", pid, comm);
        break;
    case LIVE_DEAD: snprintf(buf, len, "%d(dead)", pid); break;
    case LIVE_REUSED: snprintf(buf, len, "%d(reused)", pid); break;
    default: snprintf(buf, len, "%d", pid); break;
    }
    return buf;
}
