/*
 * --limits: every kernel limit with its current use, like `lsipc -g` and `ipcs -l -u`
 * together. One table of rows; the same rows as JSON.
 */
#include "format.h"
#include "jsonw.h"
#include "output.h"
#include "table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum unit { U_COUNT, U_BYTES, U_PAGES };

struct limit_row {
    const char *resource;
    const char *description;
    bool has_limit;
    uint64_t limit;
    bool has_used;
    uint64_t used;
    enum unit unit;
};

static size_t build_rows(const struct model *m, struct limit_row *r)
{
    const struct ipc_limits *l = &m->cur->limits;
    const struct ipc_usage u = m->usage;
    bool k = l->valid;
    size_t n = 0;
    r[n++] = (struct limit_row){"MSGMNI", "Number of message queues", k, l->msgmni, true, u.queues,
                                U_COUNT};
    r[n++] = (struct limit_row){"MSGMAX", "Max size of a message", k, l->msgmax, false, 0, U_BYTES};
    r[n++] = (struct limit_row){"MSGMNB", "Default max bytes in a queue", k, l->msgmnb, false, 0,
                                U_BYTES};
    r[n++] =
        (struct limit_row){"MSGTQL", "Messages queued now", false, 0, true, u.messages, U_COUNT};
    r[n++] =
        (struct limit_row){"MSGBYTES", "Bytes queued now", false, 0, true, u.msg_bytes, U_BYTES};
    r[n++] = (struct limit_row){"SHMMNI", "Shared memory segments", k, l->shmmni, true, u.segments,
                                U_COUNT};
    r[n++] = (struct limit_row){"SHMALL", "Shared memory pages", k,      l->shmall,
                                true,     u.shm_pages,           U_PAGES};
    r[n++] = (struct limit_row){"SHMMAX", "Max size of a segment", k, l->shmmax, false, 0, U_BYTES};
    r[n++] = (struct limit_row){"SHMMIN", "Min size of a segment", k, l->shmmin, false, 0, U_BYTES};
    r[n++] =
        (struct limit_row){"SHMRSS", "Shared memory resident", false, 0, true, u.shm_rss, U_BYTES};
    r[n++] =
        (struct limit_row){"SHMSWAP", "Shared memory swapped", false, 0, true, u.shm_swap, U_BYTES};
    r[n++] = (struct limit_row){
        "SEMMNI", "Number of semaphore sets", k, l->semmni, true, u.sem_sets, U_COUNT};
    r[n++] = (struct limit_row){
        "SEMMNS", "Total number of semaphores", k, l->semmns, true, u.semaphores, U_COUNT};
    r[n++] =
        (struct limit_row){"SEMMSL", "Max semaphores per set", k, l->semmsl, false, 0, U_COUNT};
    r[n++] = (struct limit_row){"SEMOPM", "Max operations per semop(2)", k, l->semopm, false, 0,
                                U_COUNT};
    r[n++] =
        (struct limit_row){"SEMVMX", "Max value of a semaphore", k, l->semvmx, false, 0, U_COUNT};
    return n;
}

static const char *unit_name(enum unit u)
{
    return u == U_BYTES ? "bytes" : u == U_PAGES ? "pages" : "count";
}

static char *fmt_value(char *b, uint64_t v, enum unit u, bool bytes)
{
    if (u == U_BYTES && !bytes) return fmt_size(b, v);
    snprintf(b, FMT_BUFSZ, "%" PRIu64, v);
    return b;
}

static int limits_json(FILE *f, const struct snapshot *s, const struct limit_row *r, size_t n)
{
    struct jsonw w;
    jw_init(&w, f);
    jw_obj_begin(&w);
    jw_key(&w, "timestamp");
    jw_double(&w, s->wall, 3);
    JW_KU64(&w, "page_size", s->limits.page_size);
    jw_key(&w, "limits");
    jw_arr_begin(&w, true);
    for (size_t i = 0; i < n; i++) {
        jw_obj_begin(&w);
        jw_key(&w, "resource");
        jw_str_plain(&w, r[i].resource);
        jw_key(&w, "description");
        jw_str(&w, r[i].description);
        jw_key(&w, "limit");
        if (r[i].has_limit)
            jw_u64(&w, r[i].limit);
        else
            jw_null(&w);
        jw_key(&w, "used");
        if (r[i].has_used)
            jw_u64(&w, r[i].used);
        else
            jw_null(&w);
        jw_key(&w, "unit");
        jw_str_plain(&w, unit_name(r[i].unit));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return jw_finish(&w);
}

int output_limits(FILE *f, const struct model *m, bool json, const struct output_options *o)
{
    const struct snapshot *s = m->cur;
    struct limit_row rows[24];
    size_t n = build_rows(m, rows);
    if (json) return limits_json(f, s, rows, n);

    static const struct table_col cols[] = {{"RESOURCE", false},
                                            {"DESCRIPTION", false},
                                            {"LIMIT", true},
                                            {"USED", true},
                                            {"USE%", true}};
    struct table *t = malloc(sizeof *t);
    if (!t) return -1;
    table_init(t, cols, 5, n);
    for (size_t i = 0; i < n; i++) {
        char b[FMT_BUFSZ];
        table_add(t, rows[i].resource);
        table_add(t, rows[i].description);
        table_add(t, rows[i].has_limit ? fmt_value(b, rows[i].limit, rows[i].unit, o->bytes) : "-");
        table_add(t, rows[i].has_used ? fmt_value(b, rows[i].used, rows[i].unit, o->bytes) : "-");
        table_add(t, rows[i].has_limit && rows[i].has_used
                         ? fmt_percent(b, (double)rows[i].used, (double)rows[i].limit)
                         : "-");
    }
    int r = table_write(t, f, 0);
    table_free(t);
    free(t);
    if (!s->limits.valid) fprintf(f, "Note: the limits could not be read from /proc/sys/kernel\n");
    return r == 0 && fflush(f) == 0 ? 0 : -1;
}
