/* The JSON view of one snapshot; the schema is docs/json-schema.md. */
#include "format.h"
#include "json_fields.h"
#include "jsonw.h"
#include "kind.h"
#include "leak.h"
#include "output.h"

/* "key": value, or null when the field is unknown */
void json_kv_u64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, uint64_t v)
{
    jw_key(w, k);
    if (valid & FBIT(f))
        jw_u64(w, v);
    else
        jw_null(w);
}

void json_kv_i64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t v)
{
    jw_key(w, k);
    if (valid & FBIT(f))
        jw_i64(w, v);
    else
        jw_null(w);
}

/* times: unix seconds, null when never (0) or unknown */
void json_kv_time(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t t)
{
    jw_key(w, k);
    if ((valid & FBIT(f)) && t != 0)
        jw_i64(w, t);
    else
        jw_null(w);
}

static void common(struct jsonw *w, const struct ipc_common *c, struct users *u)
{
    char buf[FMT_BUFSZ];
    jw_key(w, "key");
    if (c->valid & FBIT(F_KEY))
        jw_str_plain(w, fmt_key(buf, c->key));
    else
        jw_null(w);
    json_kv_i64(w, "id", c->valid, F_ID, c->id);
    jw_key(w, "owner");
    if (c->valid & FBIT(F_UID))
        jw_literal(w, users_name_json(u, c->uid));
    else
        jw_null(w);
    json_kv_u64(w, "uid", c->valid, F_UID, c->uid);
    json_kv_u64(w, "gid", c->valid, F_GID, c->gid);
    json_kv_u64(w, "cuid", c->valid, F_CUID, c->cuid);
    json_kv_u64(w, "cgid", c->valid, F_CGID, c->cgid);
    jw_key(w, "perms");
    if (c->valid & FBIT(F_MODE))
        jw_str_plain(w, fmt_perms(buf, c->mode));
    else
        jw_null(w);
}

/* true / false / null for a pid's liveness (null: never set or unknown) */
void json_kv_alive(struct jsonw *w, const char *k, enum liveness l)
{
    jw_key(w, k);
    if (l == LIVE_ALIVE)
        jw_bool(w, true);
    else if (l == LIVE_DEAD || l == LIVE_REUSED)
        jw_bool(w, false);
    else
        jw_null(w);
}

/* "pid", "command", "cmdline", "user", "ppid", "started" of a process from the snapshot */
static void proc_fields(struct jsonw *w, const struct snapshot *s, int32_t pid, struct users *u)
{
    const struct proc_info *p = procs_find(&s->procs, pid);
    JW_KI64(w, "pid", pid);
    jw_key(w, "command");
    if (p)
        jw_str(w, procs_comm(&s->procs, p));
    else
        jw_null(w);
    jw_key(w, "cmdline");
    if (p)
        jw_str(w, procs_cmdline(&s->procs, p));
    else
        jw_null(w);
    jw_key(w, "user");
    if (p)
        jw_literal(w, users_name_json(u, p->euid));
    else
        jw_null(w);
    jw_key(w, "ppid");
    if (p)
        jw_i64(w, p->ppid);
    else
        jw_null(w);
    jw_key(w, "started");
    if (p)
        jw_double(w, p->start, 2);
    else
        jw_null(w);
}

void json_attachers(struct jsonw *w, const struct snapshot *s, const struct who *who,
                    enum ipc_class cls, size_t i, struct users *u)
{
    size_t n;
    const struct who_attacher *a = who_attachers(who, cls, i, &n);
    jw_key(w, "attached");
    jw_u64(w, n);
    jw_key(w, "attachers");
    jw_arr_begin(w, false);
    for (size_t k = 0; k < n; k++) {
        jw_obj_begin(w);
        proc_fields(w, s, a[k].pid, u);
        JW_KU64(w, "mappings", a[k].mappings);
        jw_key(w, "writable");
        jw_bool(w, a[k].writable);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "attachers_complete");
    jw_bool(w, who_complete(who, s, cls, i));
}

static void waiter_common(struct jsonw *w, const struct snapshot *s, const struct who_waiter *x,
                          struct users *u)
{
    proc_fields(w, s, x->pid, u);
    if (x->tid != x->pid) JW_KI64(w, "tid", x->tid);
    jw_key(w, "state");
    jw_str_plain(w, x->stopped ? "stopped" : "waiting");
    jw_key(w, "since");
    if (x->since)
        jw_i64(w, x->since);
    else
        jw_null(w);
}

void json_waiters(struct jsonw *w, const struct snapshot *s, const struct who *who,
                  enum ipc_class cls, size_t i, struct users *u)
{
    /* what each waits for depends on its call: a semop's operation, a message */
    size_t n;
    const struct who_waiter *x = who_waiters(who, cls, i, &n);
    jw_key(w, "waiters");
    jw_arr_begin(w, false);
    for (size_t k = 0; k < n; k++) {
        jw_obj_begin(w);
        waiter_common(w, s, &x[k], u);
        if (x[k].wait == WAIT_SEMOP) {
            jw_key(w, "semnum");
            if (x[k].semnum >= 0)
                jw_i64(w, x[k].semnum);
            else
                jw_null(w);
            jw_key(w, "op");
            if (x[k].op != WHO_OP_UNKNOWN)
                jw_i64(w, x[k].op);
            else
                jw_null(w);
        } else {
            jw_key(w, "kind");
            jw_str_plain(w, x[k].wait == WAIT_MSGRCV ? "receive" : "send");
            jw_key(w, "msgtyp");
            if (x[k].wait == WAIT_MSGRCV || x[k].msgtyp)
                jw_i64(w, x[k].msgtyp);
            else
                jw_null(w);
            JW_KU64(w, "size", x[k].size);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "waiters_complete");
    jw_bool(w, who_complete(who, s, cls, i));
}

/* "leak": null, or {"verdict": "leaked"|"possibly", "reason": "...", "possible": bool} */
static void leak(struct jsonw *w, const struct model *m, enum ipc_class cls, size_t i,
                 struct users *u)
{
    jw_key(w, "leak");
    const struct leak_verdict *v = model_verdict(m, cls, i);
    /* the words only for the few that are candidates */
    if (v->kind == LEAK_NO) {
        jw_null(w);
        return;
    }
    char reason[512];
    jw_obj_begin(w);
    jw_key(w, "verdict");
    jw_str_plain(w, leak_kind_word((enum leak_kind)v->kind));
    jw_key(w, "reason");
    jw_str(w, model_leak_text(m, cls, i, u, reason, sizeof reason));
    jw_key(w, "possible");
    jw_bool(w, v->kind == LEAK_POSSIBLY);
    jw_obj_end(w);
}

/* One object: the fields every kind has, its kind's own, its verdict. */
static void object(struct jsonw *w, const struct model *m, enum ipc_class cls, size_t i,
                   struct users *u)
{
    jw_obj_begin(w);
    common(w, snapshot_common(m->cur, cls, i), u);
    kind_of(cls)->json(w, m, i, u);
    leak(w, m, cls, i, u);
    jw_obj_end(w);
}

int output_json(FILE *f, const struct model *m, struct users *u, const struct output_options *o)
{
    (void)o;
    const struct snapshot *s = m->cur;
    const struct who *who = &m->who;
    struct jsonw w;
    jw_init(&w, f);
    jw_obj_begin(&w);
    jw_key(&w, "timestamp");
    jw_double(&w, s->wall, 3);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        jw_key(&w, kind_of((enum ipc_class)k)->name);
        jw_arr_begin(&w, true);
        for (size_t i = 0; i < snapshot_count(s, (enum ipc_class)k); i++)
            object(&w, m, (enum ipc_class)k, i, u);
        jw_arr_end(&w);
    }
    /* objects the kernel counts that no path could read, per class */
    jw_key(&w, "unreadable");
    jw_obj_begin(&w);
    for (int c = 0; c < IPC_NCLASSES; c++)
        JW_KU64(&w, kind_of((enum ipc_class)c)->name, s->hidden[c]);
    jw_obj_end(&w);
    /* whether the process lists could be complete (not root: only one's own processes) */
    jw_key(&w, "processes");
    jw_obj_begin(&w);
    jw_key(&w, "read");
    jw_bool(&w, s->procs.ok);
    jw_key(&w, "maps_complete");
    jw_bool(&w, who->attach_complete);
    jw_key(&w, "tasks_complete");
    jw_bool(&w, who->tasks_complete);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return jw_finish(&w);
}
