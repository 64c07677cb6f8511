/*
 * Batch frames (-b), like top -b: a header, the use of the kernel limits, then one table
 * per kind with the columns of the catalog (columns.h) — the same names, headers and cell
 * words as the screens —, written by table.c. From the second frame on, the STATE column
 * says "new", "chg" or "gone" and CHANGED names the fields that changed; a gone object is
 * listed once, in the frame after it disappeared.
 */
#include "columns.h"
#include "format.h"
#include "kind.h"
#include "output.h"
#include "table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct frame {
    const struct model *m;
    const struct snapshot_diff *d;
    const struct who *w;
    struct users *u;
    const struct output_options *o;
    int64_t now;
};

/* Current objects and the ones gone since the previous frame, merged in id order. */
static int kind_table(FILE *f, const struct frame *fr, enum ipc_class cls, struct table *t)
{
    const struct snapshot_diff *d = fr->d;
    const struct class_diff *cd = &d->cls[cls];
    size_t ncur = snapshot_count(d->cur, cls);
    fprintf(f, "\n%s: %zu", kind_of(cls)->title, ncur);
    if (d->prev) fprintf(f, " (%zu new, %zu changed, %zu gone)", cd->nnew, cd->nchanged, cd->ngone);
    fputc('\n', f);
    int idx[COL_LIST_MAX + 64];
    size_t ncols = column_list_pick(fr->o->columns, cls, idx, sizeof idx / sizeof idx[0]);
    if ((ncur == 0 && cd->ngone == 0) || ncols == 0) return 0;

    size_t nall;
    const struct column *all = columns_of(cls, &nall);
    struct table_col heads[sizeof idx / sizeof idx[0]];
    for (size_t c = 0; c < ncols; c++)
        heads[c] = (struct table_col){all[idx[c]].title, all[idx[c]].right};
    table_reset(t, heads, ncols, ncur + cd->ngone);
    struct col_ctx cx = {.model = fr->m,
                         .diff = d,
                         .who = fr->w,
                         .users = fr->u,
                         .now = fr->now,
                         .bytes = fr->o->bytes,
                         .min_age = fr->o->min_age,
                         .plain = true};
    size_t i = 0, g = 0;
    while (i < ncur || g < cd->ngone) {
        bool take_gone =
            g < cd->ngone && (i >= ncur || snapshot_common(d->prev, cls, cd->gone[g])->id <
                                               snapshot_common(d->cur, cls, i)->id);
        struct row r = {.cls = cls};
        if (take_gone) {
            r.snap = d->prev;
            r.idx = (uint32_t)cd->gone[g++];
            r.state = OBJ_GONE;
        } else {
            r.snap = d->cur;
            r.idx = (uint32_t)i;
            r.state = cd->cur ? cd->cur[i].state : OBJ_SAME;
            r.changed = cd->cur ? cd->cur[i].changed : 0;
            i++;
        }
        r.key = snapshot_key(r.snap, cls, r.idx);
        for (size_t c = 0; c < ncols; c++) {
            column_format(&all[idx[c]], &cx, &r, table_cell_room(t, TABLE_CELL_MAX),
                          TABLE_CELL_MAX + 1);
            table_cell_done(t);
        }
    }
    return table_write(t, f, fr->o->table_flags);
}

static void header(FILE *f, const struct frame *fr)
{
    const struct snapshot *s = fr->d->cur;
    const struct ipc_limits *l = &s->limits;
    char t[FMT_BUFSZ], a[FMT_BUFSZ], b[FMT_BUFSZ], p[FMT_BUFSZ];
    const struct ipc_usage u = fr->m->usage;
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
    /* one table for the kinds in turn: its memory serves them all */
    struct table *t = malloc(sizeof *t);
    if (!t) return -1;
    table_init(t, NULL, 0, 0);
    int r = 0;
    for (int k = 0; k < IPC_NCLASSES && r == 0; k++) r = kind_table(f, &fr, (enum ipc_class)k, t);
    table_free(t);
    free(t);
    if (r < 0) return -1;
    fputc('\n', f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
