/*
 * json_libs — why ipctop writes JSON with a streaming writer (src/output/jsonw.c) and not with a
 * JSON library's document tree: the same document of one real snapshot is produced
 *   - by ipctop's output_json() (streaming, what `ipctop --json` runs),
 *   - by json-c's DOM (json_object_object_add, as most code uses it; and with constant,
 *     new keys, json-c's fastest way to fill an object),
 *   - by jansson's DOM (json_object_set_new, json_dumpf).
 * Each variant runs in its own process, round-robin, after collecting the snapshot; the
 * time is building + serializing to /dev/null + freeing, the memory is the process's peak
 * RSS and its growth over the RSS it had once the snapshot was collected.
 *
 *   json_libs run [--reps N]      (bench/core.sh --json-libs runs it in the namespace)
 *   json_libs one VARIANT
 *
 * Needs libjansson-dev; never part of ipctop's build (bench/CMakeLists.txt builds it only
 * when jansson is found, and not by default).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "bench_util.h"
#include "json_libs.h"

#include "engine.h"
#include "format.h"
#include "leak.h"
#include "output.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- a FILE that counts what is written and drops it ----------------------------------- */

static ssize_t count_write(void *cookie, const char *buf, size_t size)
{
    (void)buf;
    *(long long *)cookie += (long long)size;
    return (ssize_t)size;
}

static FILE *counting_file(long long *counter)
{
    cookie_io_functions_t io = {.write = count_write};
    return fopencookie(counter, "w", io);
}

/* --- the document, over any DOM ------------------------------------------------------- */
/* It follows output_json() field by field (src/output/output_json.c); the output sizes the
 * driver prints show when the two drift apart. */

struct doc {
    const struct dom *d;
    const struct model *m;
    const struct snapshot *s; /* m->cur */
    const struct who *who;    /* &m->who */
    struct users *u;
};

static void set_int(const struct dom *d, void *o, const char *k, uint64_t valid, enum ipc_field f,
                    long long v)
{
    d->set(o, k, (valid & FBIT(f)) ? d->integer(v) : d->null());
}

static void set_time(const struct dom *d, void *o, const char *k, uint64_t valid, enum ipc_field f,
                     long long t)
{
    d->set(o, k, (valid & FBIT(f)) && t != 0 ? d->integer(t) : d->null());
}

static void set_alive(const struct dom *d, void *o, const char *k, enum liveness l)
{
    d->set(o, k,
           l == LIVE_ALIVE                      ? d->boolean(true)
           : l == LIVE_DEAD || l == LIVE_REUSED ? d->boolean(false)
                                                : d->null());
}

static void *common(const struct doc *x, const struct ipc_common *c)
{
    const struct dom *d = x->d;
    char buf[FMT_BUFSZ];
    void *o = d->object();
    d->set(o, "key", (c->valid & FBIT(F_KEY)) ? d->string(fmt_key(buf, c->key)) : d->null());
    set_int(d, o, "id", c->valid, F_ID, c->id);
    d->set(o, "owner", (c->valid & FBIT(F_UID)) ? d->string(users_name(x->u, c->uid)) : d->null());
    set_int(d, o, "uid", c->valid, F_UID, c->uid);
    set_int(d, o, "gid", c->valid, F_GID, c->gid);
    set_int(d, o, "cuid", c->valid, F_CUID, c->cuid);
    set_int(d, o, "cgid", c->valid, F_CGID, c->cgid);
    d->set(o, "perms", (c->valid & FBIT(F_MODE)) ? d->string(fmt_perms(buf, c->mode)) : d->null());
    return o;
}

static void proc_fields(const struct doc *x, void *o, int32_t pid)
{
    const struct dom *d = x->d;
    const struct proc_info *p = procs_find(&x->s->procs, pid);
    d->set(o, "pid", d->integer(pid));
    d->set(o, "command", p ? d->string(procs_comm(&x->s->procs, p)) : d->null());
    d->set(o, "user", p ? d->string(users_name(x->u, p->euid)) : d->null());
}

static void attachers(const struct doc *x, void *o, size_t i)
{
    const struct dom *d = x->d;
    size_t n;
    const struct who_attacher *a = who_attachers(x->who, IPC_SHM, i, &n);
    d->set(o, "attached", d->integer((long long)n));
    void *arr = d->array();
    for (size_t k = 0; k < n; k++) {
        void *e = d->object();
        proc_fields(x, e, a[k].pid);
        d->set(e, "mappings", d->integer(a[k].mappings));
        d->set(e, "writable", d->boolean(a[k].writable));
        d->append(arr, e);
    }
    d->set(o, "attachers", arr);
    d->set(o, "attachers_complete", d->boolean(who_complete(x->who, x->s, IPC_SHM, i)));
}

static void waiters(const struct doc *x, void *o, enum ipc_class cls, size_t i)
{
    const struct dom *d = x->d;
    size_t n;
    const struct who_waiter *w = who_waiters(x->who, cls, i, &n);
    void *arr = d->array();
    for (size_t k = 0; k < n; k++) {
        void *e = d->object();
        proc_fields(x, e, w[k].pid);
        if (w[k].tid != w[k].pid) d->set(e, "tid", d->integer(w[k].tid));
        d->set(e, "state", d->string(w[k].stopped ? "stopped" : "waiting"));
        d->set(e, "since", w[k].since ? d->integer(w[k].since) : d->null());
        if (cls == IPC_SEM) {
            d->set(e, "semnum", w[k].semnum >= 0 ? d->integer(w[k].semnum) : d->null());
            d->set(e, "op", w[k].op != WHO_OP_UNKNOWN ? d->integer(w[k].op) : d->null());
        } else {
            d->set(e, "kind", d->string(w[k].wait == WAIT_MSGRCV ? "receive" : "send"));
            d->set(e, "msgtyp",
                   w[k].wait == WAIT_MSGRCV || w[k].msgtyp ? d->integer(w[k].msgtyp) : d->null());
            d->set(e, "size", d->integer((long long)w[k].size));
        }
        d->append(arr, e);
    }
    d->set(o, "waiters", arr);
    d->set(o, "waiters_complete", d->boolean(who_complete(x->who, x->s, cls, i)));
}

static void leak(const struct doc *x, void *o, enum ipc_class cls, size_t i)
{
    const struct dom *d = x->d;
    const struct leak_verdict *v = model_verdict(x->m, cls, i);
    if (v->kind == LEAK_NO) {
        d->set(o, "leak", d->null());
        return;
    }
    char reason[512];
    void *l = d->object();
    d->set(l, "reason", d->string(model_leak_text(x->m, cls, i, x->u, reason, sizeof reason)));
    d->set(l, "possible", d->boolean(v->kind == LEAK_POSSIBLY));
    d->set(o, "leak", l);
}

static void *shm_obj(const struct doc *x, size_t i)
{
    const struct dom *d = x->d;
    const struct shm_segment *g = &SNAP_SHM(x->s)[i];
    uint64_t v = g->c.valid;
    void *o = common(x, &g->c);
    set_int(d, o, "size", v, F_SIZE, (long long)g->size);
    set_int(d, o, "nattch", v, F_NATTCH, (long long)g->nattch);
    if (v & FBIT(F_MODE)) {
        const char *words[4];
        size_t n = shm_status_words(g, words);
        void *st = d->array();
        for (size_t k = 0; k < n; k++) d->append(st, d->string(words[k]));
        d->set(o, "status", st);
    } else {
        d->set(o, "status", d->null());
    }
    set_int(d, o, "cpid", v, F_CPID, g->cpid);
    set_int(d, o, "lpid", v, F_LPID, g->lpid);
    set_time(d, o, "atime", v, F_ATIME, g->atime);
    set_time(d, o, "dtime", v, F_DTIME, g->dtime);
    set_time(d, o, "ctime", v, F_CTIME, g->c.ctime);
    set_int(d, o, "rss", (g->flags & SHM_SEG_RSS_SUSPECT) ? 0 : v, F_RSS, (long long)g->rss);
    set_int(d, o, "swap", v, F_SWAP, (long long)g->swap);
    set_alive(d, o, "cpid_alive", who_shm_cpid_alive(x->s, g));
    set_alive(d, o, "lpid_alive", who_shm_lpid_alive(x->s, g));
    attachers(x, o, i);
    leak(x, o, IPC_SHM, i);
    return o;
}

static void *sem_obj(const struct doc *x, size_t i)
{
    const struct dom *d = x->d;
    const struct sem_set *set = &SNAP_SEM(x->s)[i];
    uint64_t v = set->c.valid;
    void *o = common(x, &set->c);
    set_int(d, o, "nsems", v, F_NSEMS, set->nsems);
    set_time(d, o, "otime", v, F_OTIME, set->otime);
    set_time(d, o, "ctime", v, F_CTIME, set->c.ctime);
    void *els = d->array();
    const struct sem_element *e = sem_elements(x->s, set);
    for (uint32_t k = 0; k < set->nsems; k++) {
        void *el = d->object();
        d->set(el, "semnum", d->integer(k));
        set_int(d, el, "value", v, F_SEMVAL, e[k].value);
        set_int(d, el, "ncount", v, F_SEMCOUNT, e[k].ncount);
        set_int(d, el, "zcount", v, F_SEMCOUNT, e[k].zcount);
        set_int(d, el, "pid", v, F_SEMPID, e[k].pid);
        set_alive(d, el, "pid_alive", who_sem_pid_alive(x->s, set, k));
        d->append(els, el);
    }
    d->set(o, "elements", els);
    waiters(x, o, IPC_SEM, i);
    leak(x, o, IPC_SEM, i);
    return o;
}

static void *msg_obj(const struct doc *x, size_t i)
{
    const struct dom *d = x->d;
    const struct msg_queue *q = &SNAP_MSG(x->s)[i];
    uint64_t v = q->c.valid;
    void *o = common(x, &q->c);
    set_int(d, o, "msgs", v, F_MSGS, (long long)q->msgs);
    set_int(d, o, "usedbytes", v, F_USEDBYTES, (long long)q->usedbytes);
    set_int(d, o, "qbytes", v, F_QBYTES, (long long)q->qbytes);
    set_int(d, o, "lspid", v, F_LSPID, q->lspid);
    set_int(d, o, "lrpid", v, F_LRPID, q->lrpid);
    set_time(d, o, "stime", v, F_STIME, q->stime);
    set_time(d, o, "rtime", v, F_RTIME, q->rtime);
    set_time(d, o, "ctime", v, F_CTIME, q->c.ctime);
    set_alive(d, o, "lspid_alive", who_msg_lspid_alive(x->s, q));
    set_alive(d, o, "lrpid_alive", who_msg_lrpid_alive(x->s, q));
    waiters(x, o, IPC_MSG, i);
    leak(x, o, IPC_MSG, i);
    return o;
}

void *json_libs_build(const struct dom *d, const struct model *m, struct users *u)
{
    const struct snapshot *s = m->cur;
    struct doc x = {d, m, s, &m->who, u};
    void *root = d->object();
    d->set(root, "timestamp", d->real(s->wall));
    void *arr = d->array();
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) d->append(arr, shm_obj(&x, i));
    d->set(root, "shm", arr);
    arr = d->array();
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) d->append(arr, sem_obj(&x, i));
    d->set(root, "sem", arr);
    arr = d->array();
    for (size_t i = 0; i < s->tab[IPC_MSG].n; i++) d->append(arr, msg_obj(&x, i));
    d->set(root, "msg", arr);
    void *unr = d->object();
    for (int c = 0; c < IPC_NCLASSES; c++)
        d->set(unr, ipc_class_name((enum ipc_class)c), d->integer((long long)s->hidden[c]));
    d->set(root, "unreadable", unr);
    return root;
}

/* --- one variant, in its own process ---------------------------------------------------- */

static const char *const variants[] = {"stream", "json-c", "json-c-const", "jansson", NULL};

static const char *variant_label(const char *v, char *buf, size_t len)
{
    if (strcmp(v, "stream") == 0)
        snprintf(buf, len, "ipctop streaming writer (output_json)");
    else if (strcmp(v, "json-c") == 0)
        snprintf(buf, len, "json-c %s DOM, json_object_object_add", json_libs_jsonc_version());
    else if (strcmp(v, "json-c-const") == 0)
        snprintf(buf, len, "json-c %s DOM, constant new keys", json_libs_jsonc_version());
    else
        snprintf(buf, len, "jansson %s DOM, json_object_set_new", json_libs_jansson_version());
    return buf;
}

/* Writes one variant's document to f; 0 or -1. */
static int produce(const char *variant, const struct engine *e, FILE *f)
{
    struct output_options oo = {.min_age = LEAK_DEFAULT_MIN_AGE};
    if (strcmp(variant, "stream") == 0) return output_json(f, &e->model, e->users, &oo);
    if (strcmp(variant, "jansson") == 0) return json_libs_jansson(&e->model, e->users, f);
    return json_libs_jsonc(&e->model, e->users, f, strcmp(variant, "json-c-const") == 0);
}

static int one(const char *variant)
{
    struct engine e;
    struct collect_options co = {.force = FORCE_AUTO, .proc_root = "/proc"};
    char err[512];
    if (engine_init(&e, &co, &(struct model_params){600}, false) < 0 ||
        engine_refresh(&e, err, sizeof err) < 0) {
        fprintf(stderr, "json_libs: cannot collect a snapshot\n");
        return 1;
    }
    const struct snapshot *s = engine_snapshot(&e);
    /* names looked up before timing: every variant uses the same cache */
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) (void)users_name(e.users, SNAP_SHM(s)[i].c.uid);
    long long bytes = 0;
    FILE *f = counting_file(&bytes);
    if (!f) return 1;
    long rss_before = bench_status_kb("VmRSS");
    struct bench_mark a = bench_now();
    int r = produce(variant, &e, f);
    if (fflush(f) != 0) r = -1;
    struct bench_mark b = bench_now();
    long hwm = bench_status_kb("VmHWM");
    fclose(f);
    printf("%lld %lld %ld %ld %lld %zu\n", (long long)(b.wall - a.wall), (long long)(b.cpu - a.cpu),
           rss_before, hwm, bytes, s->tab[IPC_SHM].n + s->tab[IPC_SEM].n + s->tab[IPC_MSG].n);
    engine_free(&e);
    return r == 0 ? 0 : 1;
}

/* --- the driver ------------------------------------------------------------------------- */

#define MAX_REPS 51

struct row {
    double wall[MAX_REPS], cpu[MAX_REPS];
    long rss_before, hwm;
    long long bytes;
    size_t objects;
    int n;
};

static double median(double *v, int n)
{
    return bench_median(v, n > 0 ? (size_t)n : 0);
}

static int run_one(const char *self, const char *variant, struct row *row)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (dup2(pfd[1], STDOUT_FILENO) < 0) _exit(126);
        execl(self, self, "one", variant, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    FILE *f = fdopen(pfd[0], "r");
    long long wall = 0, cpu = 0, bytes = 0;
    long before = 0, hwm = 0;
    size_t objects = 0;
    bool ok = f && fscanf(f, "%lld %lld %ld %ld %lld %zu", &wall, &cpu, &before, &hwm, &bytes,
                          &objects) == 6;
    if (f) fclose(f);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "json_libs: variant %s failed\n", variant);
        return -1;
    }
    if (row && row->n < MAX_REPS) {
        row->wall[row->n] = (double)wall / 1e6;
        row->cpu[row->n] = (double)cpu / 1e6;
        row->n++;
        if (hwm > row->hwm) row->hwm = hwm;
        row->rss_before = before;
        row->bytes = bytes;
        row->objects = objects;
    }
    return 0;
}

static int run(int reps)
{
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = '\0';
    static struct row rows[8];
    size_t nv = 0;
    while (variants[nv]) nv++;
    for (size_t k = 0; k < nv; k++) /* warm-up, not recorded */
        if (run_one(self, variants[k], NULL) < 0) return 1;
    for (int rep = 0; rep < reps; rep++)
        for (size_t k = 0; k < nv; k++) {
            size_t v = (k + (size_t)rep) % nv;
            if (run_one(self, variants[v], &rows[v]) < 0) return 1;
        }
    printf("%zu objects; time = build + serialize to /dev/null + free, median of %d\n",
           rows[0].objects, reps);
    printf("%-42s %9s %9s %9s %10s %10s\n", "writer", "wall ms", "CPU ms", "output MB", "peak RSS",
           "growth");
    for (size_t v = 0; v < nv; v++) {
        struct row *r = &rows[v];
        char label[80];
        printf("%-42s %9.0f %9.0f %9.1f %7.1f MB %7.1f MB\n",
               variant_label(variants[v], label, sizeof label), median(r->wall, r->n),
               median(r->cpu, r->n), (double)r->bytes / 1e6, (double)r->hwm / 1024,
               (double)(r->hwm - r->rss_before) / 1024);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "one") == 0) {
        for (size_t i = 0; variants[i]; i++)
            if (strcmp(argv[2], variants[i]) == 0) return one(argv[2]);
        fprintf(stderr, "json_libs: no variant '%s'\n", argv[2]);
        return 2;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0) {
        int reps = 3;
        if (argc == 4 && strcmp(argv[2], "--reps") == 0) reps = atoi(argv[3]);
        if (reps < 1 || reps > MAX_REPS) reps = 3;
        return run(reps);
    }
    fprintf(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
            "Usage: json_libs run [--reps N]\n       json_libs one VARIANT\n"
            "Run by bench/core.sh --json-libs inside a private IPC namespace.\n");
    return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
