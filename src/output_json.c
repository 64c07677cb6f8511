/* The JSON view of one snapshot; the schema is docs/json-schema.md. */
#include "format.h"
#include "jsonw.h"
#include "leak.h"
#include "output.h"

/* "key": value, or null when the field is unknown */
static void kv_u64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, uint64_t v)
{
    jw_key(w, k);
    if (valid & FBIT(f))
        jw_u64(w, v);
    else
        jw_null(w);
}

static void kv_i64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t v)
{
    jw_key(w, k);
    if (valid & FBIT(f))
        jw_i64(w, v);
    else
        jw_null(w);
}

/* times: unix seconds, null when never (0) or unknown */
static void kv_time(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t t)
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
    kv_i64(w, "id", c->valid, F_ID, c->id);
    jw_key(w, "owner");
    if (c->valid & FBIT(F_UID))
        jw_literal(w, users_name_json(u, c->uid));
    else
        jw_null(w);
    kv_u64(w, "uid", c->valid, F_UID, c->uid);
    kv_u64(w, "gid", c->valid, F_GID, c->gid);
    kv_u64(w, "cuid", c->valid, F_CUID, c->cuid);
    kv_u64(w, "cgid", c->valid, F_CGID, c->cgid);
    jw_key(w, "perms");
    if (c->valid & FBIT(F_MODE))
        jw_str_plain(w, fmt_perms(buf, c->mode));
    else
        jw_null(w);
}

/* true / false / null for a pid's liveness (null: never set or unknown) */
static void kv_alive(struct jsonw *w, const char *k, enum liveness l)
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

static void attachers(struct jsonw *w, const struct snapshot *s, const struct who *who, size_t i,
                      struct users *u)
{
    size_t n;
    const struct who_attacher *a = who_attachers(who, i, &n);
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
    jw_bool(w, who_complete(who, s, IPC_SHM, i));
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

static void waiters(struct jsonw *w, const struct snapshot *s, const struct who *who,
                    enum ipc_class cls, size_t i, struct users *u)
{
    size_t n;
    const struct who_waiter *x = who_waiters(who, cls, i, &n);
    jw_key(w, "waiters");
    jw_arr_begin(w, false);
    for (size_t k = 0; k < n; k++) {
        jw_obj_begin(w);
        waiter_common(w, s, &x[k], u);
        if (cls == IPC_SEM) {
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

static void shm_obj(struct jsonw *w, const struct model *m, size_t i, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct who *who = &m->who;
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    jw_obj_begin(w);
    common(w, &g->c, u);
    uint64_t v = g->c.valid;
    kv_u64(w, "size", v, F_SIZE, g->size);
    kv_u64(w, "nattch", v, F_NATTCH, g->nattch);
    jw_key(w, "status");
    if (v & FBIT(F_MODE)) {
        const char *words[4];
        size_t n = shm_status_words(g, words);
        jw_arr_begin(w, false);
        for (size_t k = 0; k < n; k++) jw_str_plain(w, words[k]);
        jw_arr_end(w);
    } else {
        jw_null(w);
    }
    kv_i64(w, "cpid", v, F_CPID, g->cpid);
    kv_i64(w, "lpid", v, F_LPID, g->lpid);
    kv_time(w, "atime", v, F_ATIME, g->atime);
    kv_time(w, "dtime", v, F_DTIME, g->dtime);
    kv_time(w, "ctime", v, F_CTIME, g->c.ctime);
    /* an rss that may be inflated by the kernel's hugetlb error is not given as a fact */
    kv_u64(w, "rss", (g->flags & SHM_SEG_RSS_SUSPECT) ? 0 : v, F_RSS, g->rss);
    kv_u64(w, "swap", v, F_SWAP, g->swap);
    kv_alive(w, "cpid_alive", who_shm_cpid_alive(s, g));
    kv_alive(w, "lpid_alive", who_shm_lpid_alive(s, g));
    attachers(w, s, who, i, u);
    leak(w, m, IPC_SHM, i, u);
    jw_obj_end(w);
}

static void sem_obj(struct jsonw *w, const struct model *m, size_t si, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct who *who = &m->who;
    const struct sem_set *set = &SNAP_SEM(s)[si];
    jw_obj_begin(w);
    common(w, &set->c, u);
    uint64_t v = set->c.valid;
    kv_u64(w, "nsems", v, F_NSEMS, set->nsems);
    kv_time(w, "otime", v, F_OTIME, set->otime);
    kv_time(w, "ctime", v, F_CTIME, set->c.ctime);
    jw_key(w, "elements");
    jw_arr_begin(w, false);
    const struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < set->nsems; i++) {
        jw_obj_begin(w);
        JW_KU64(w, "semnum", i);
        kv_i64(w, "value", v, F_SEMVAL, e[i].value);
        kv_i64(w, "ncount", v, F_SEMCOUNT, e[i].ncount);
        kv_i64(w, "zcount", v, F_SEMCOUNT, e[i].zcount);
        kv_i64(w, "pid", v, F_SEMPID, e[i].pid);
        kv_alive(w, "pid_alive", who_sem_pid_alive(s, set, i));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    waiters(w, s, who, IPC_SEM, si, u);
    leak(w, m, IPC_SEM, si, u);
    jw_obj_end(w);
}

static void msg_obj(struct jsonw *w, const struct model *m, size_t i, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct who *who = &m->who;
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    jw_obj_begin(w);
    common(w, &q->c, u);
    uint64_t v = q->c.valid;
    kv_u64(w, "msgs", v, F_MSGS, q->msgs);
    kv_u64(w, "usedbytes", v, F_USEDBYTES, q->usedbytes);
    kv_u64(w, "qbytes", v, F_QBYTES, q->qbytes);
    kv_i64(w, "lspid", v, F_LSPID, q->lspid);
    kv_i64(w, "lrpid", v, F_LRPID, q->lrpid);
    kv_time(w, "stime", v, F_STIME, q->stime);
    kv_time(w, "rtime", v, F_RTIME, q->rtime);
    kv_time(w, "ctime", v, F_CTIME, q->c.ctime);
    kv_alive(w, "lspid_alive", who_msg_lspid_alive(s, q));
    kv_alive(w, "lrpid_alive", who_msg_lrpid_alive(s, q));
    waiters(w, s, who, IPC_MSG, i, u);
    leak(w, m, IPC_MSG, i, u);
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
    jw_key(&w, "shm");
    jw_arr_begin(&w, true);
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) shm_obj(&w, m, i, u);
    jw_arr_end(&w);
    jw_key(&w, "sem");
    jw_arr_begin(&w, true);
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) sem_obj(&w, m, i, u);
    jw_arr_end(&w);
    jw_key(&w, "msg");
    jw_arr_begin(&w, true);
    for (size_t i = 0; i < s->tab[IPC_MSG].n; i++) msg_obj(&w, m, i, u);
    jw_arr_end(&w);
    /* objects the kernel counts that no path could read, per class */
    jw_key(&w, "unreadable");
    jw_obj_begin(&w);
    for (int c = 0; c < IPC_NCLASSES; c++)
        JW_KU64(&w, ipc_class_name((enum ipc_class)c), s->hidden[c]);
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
