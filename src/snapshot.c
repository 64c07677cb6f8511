#include "snapshot.h"

#include "kind.h"

#include <stdlib.h>
#include <string.h>

const char *ipc_class_name(enum ipc_class cls)
{
    return (unsigned)cls < IPC_NCLASSES ? kind_of(cls)->name : "?";
}

static const char *const field_names[F_NFIELDS] = {
    [F_KEY] = "key",
    [F_ID] = "id",
    [F_UID] = "uid",
    [F_GID] = "gid",
    [F_CUID] = "cuid",
    [F_CGID] = "cgid",
    [F_MODE] = "perms",
    [F_CTIME] = "ctime",
    [F_SIZE] = "size",
    [F_NATTCH] = "nattch",
    [F_CPID] = "cpid",
    [F_LPID] = "lpid",
    [F_ATIME] = "atime",
    [F_DTIME] = "dtime",
    [F_RSS] = "rss",
    [F_SWAP] = "swap",
    [F_NSEMS] = "nsems",
    [F_OTIME] = "otime",
    [F_SEMVAL] = "value",
    [F_SEMPID] = "pid",
    [F_SEMCOUNT] = "waiters",
    [F_MSGS] = "msgs",
    [F_USEDBYTES] = "usedbytes",
    [F_QBYTES] = "qbytes",
    [F_LSPID] = "lspid",
    [F_LRPID] = "lrpid",
    [F_STIME] = "stime",
    [F_RTIME] = "rtime",
};

const char *ipc_field_name(enum ipc_field f)
{
    return (unsigned)f < F_NFIELDS && field_names[f] ? field_names[f] : "?";
}

const char *collect_path_name(enum collect_path p)
{
    switch (p) {
    case PATH_STAT_ANY: return "stat_any";
    case PATH_STAT: return "stat";
    case PATH_PROCFS: return "procfs";
    default: return "none";
    }
}

void snapshot_init(struct snapshot *s)
{
    memset(s, 0, sizeof *s);
    for (int k = 0; k < IPC_NCLASSES; k++) s->tab[k].size = kind_of((enum ipc_class)k)->record_size;
}

void snapshot_free(struct snapshot *s)
{
    for (int k = 0; k < IPC_NCLASSES; k++) free(s->tab[k].rec);
    free(s->elems);
    tasks_free(&s->tasks);
    procs_free(&s->procs);
    attach_free(&s->attach);
    owners_free(&s->owners);
    snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
    for (int k = 0; k < IPC_NCLASSES; k++) s->tab[k].n = 0;
    s->nelems = 0;
    s->wall = s->monotonic = 0;
    s->ipc_ns = 0;
    memset(&s->limits, 0, sizeof s->limits);
    memset(s->path, 0, sizeof s->path);
    memset(s->hidden, 0, sizeof s->hidden);
    s->sem_unreadable = 0;
    memset(s->unasked, 0, sizeof s->unasked);
    s->elems_wall = s->elems_mono = 0;
    s->sem_carried = 0;
    s->owners.read = false;
    s->owners.n = 0;
}

/* Grows *arr to hold n+extra records of size sz; doubling keeps appends amortised O(1). */
static bool grow(void **arr, size_t *cap, size_t n, size_t extra, size_t sz)
{
    if (extra > SIZE_MAX - n) return false;
    if (n + extra <= *cap) return true;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < n + extra) {
        if (ncap > SIZE_MAX / 2) return false;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / sz) return false;
    void *p = realloc(*arr, ncap * sz);
    if (!p) return false;
    *arr = p;
    *cap = ncap;
    return true;
}

bool snapshot_reserve(struct snapshot *s, enum ipc_class cls, size_t n, size_t nelems)
{
    struct kind_table *t = &s->tab[cls];
    /* the pool of elements is the element kind's alone: it may be reading into it in the
     * collector's worker thread while another kind reserves room here */
    bool elements = kind_of(cls)->element_fields && nelems;
    return grow(&t->rec, &t->cap, t->n, n, t->size) &&
           (!elements ||
            grow((void **)&s->elems, &s->capelems, s->nelems, nelems, sizeof *s->elems));
}

void *snapshot_add(struct snapshot *s, enum ipc_class cls)
{
    struct kind_table *t = &s->tab[cls];
    if (!grow(&t->rec, &t->cap, t->n, 1, t->size)) return NULL;
    void *r = (char *)t->rec + t->n++ * t->size;
    memset(r, 0, t->size);
    t->in_order = false;
    return r;
}

struct shm_segment *snapshot_add_shm(struct snapshot *s)
{
    return snapshot_add(s, IPC_SHM);
}

struct sem_set *snapshot_add_sem(struct snapshot *s, uint32_t nsems)
{
    if (!grow((void **)&s->elems, &s->capelems, s->nelems, nsems, sizeof *s->elems)) return NULL;
    struct sem_set *r = snapshot_add(s, IPC_SEM);
    if (!r) return NULL;
    r->nsems = nsems;
    r->elem_off = s->nelems;
    if (nsems) memset(&s->elems[s->nelems], 0, nsems * sizeof *s->elems);
    s->nelems += nsems;
    return r;
}

struct msg_queue *snapshot_add_msg(struct snapshot *s)
{
    return snapshot_add(s, IPC_MSG);
}

/* Every record type starts with struct ipc_common, so one comparator serves all three. */
static int cmp_by_id(const void *a, const void *b)
{
    int32_t x = ((const struct ipc_common *)a)->id, y = ((const struct ipc_common *)b)->id;
    return (x > y) - (x < y);
}

static bool sorted_by_id(const void *arr, size_t n, size_t sz)
{
    const char *p = arr;
    for (size_t i = 1; i < n; i++)
        if (cmp_by_id(p + (i - 1) * sz, p + i * sz) > 0) return false;
    return true;
}

static void sort_class(void *arr, size_t n, size_t sz)
{
    /* Collection walks kernel indices, which are usually already in id order. */
    if (!sorted_by_id(arr, n, sz)) qsort(arr, n, sz, cmp_by_id);
}

void snapshot_sort_class(struct snapshot *s, enum ipc_class cls)
{
    struct kind_table *t = &s->tab[cls];
    if (!t->in_order) sort_class(t->rec, t->n, t->size);
    t->in_order = true;
}

void snapshot_mark_in_order(struct snapshot *s, enum ipc_class cls)
{
    s->tab[cls].in_order = true;
}

void snapshot_sort(struct snapshot *s)
{
    for (int c = 0; c < IPC_NCLASSES; c++) snapshot_sort_class(s, (enum ipc_class)c);
}

static const void *find_by_id(const void *arr, size_t n, size_t sz, int32_t id)
{
    struct ipc_common key = {.id = id};
    /* bsearch compares the key's leading ipc_common with each record's */
    return n ? bsearch(&key, arr, n, sz, cmp_by_id) : NULL;
}

const void *snapshot_find(const struct snapshot *s, enum ipc_class cls, int32_t id)
{
    return find_by_id(s->tab[cls].rec, s->tab[cls].n, s->tab[cls].size, id);
}

const struct shm_segment *snapshot_find_shm(const struct snapshot *s, int32_t id)
{
    return snapshot_find(s, IPC_SHM, id);
}

const struct sem_set *snapshot_find_sem(const struct snapshot *s, int32_t id)
{
    return snapshot_find(s, IPC_SEM, id);
}

long snapshot_index_of(const struct snapshot *s, enum ipc_class cls, int32_t id)
{
    const char *r = snapshot_find(s, cls, id);
    return r ? (long)((r - (const char *)s->tab[cls].rec) / (long)s->tab[cls].size) : -1;
}

int obj_key_cmp(const struct obj_key *a, const struct obj_key *b)
{
#define CMP(f)                                                                                     \
    if (a->f != b->f) return a->f < b->f ? -1 : 1
    CMP(kind);
    CMP(ns);
    CMP(id);
    CMP(dev);
    CMP(ino);
#undef CMP
    return 0;
}

struct obj_key snapshot_key(const struct snapshot *s, enum ipc_class cls, size_t i)
{
    struct obj_key k = {.ns = s->ipc_ns, .id = snapshot_common(s, cls, i)->id, .kind = cls};
    if (kind_of(cls)->key) kind_of(cls)->key(s, i, &k);
    return k;
}

long snapshot_index_of_key(const struct snapshot *s, const struct obj_key *k)
{
    if (k->kind >= IPC_NCLASSES || k->ns != s->ipc_ns) return -1;
    enum ipc_class cls = (enum ipc_class)k->kind;
    if (!kind_of(cls)->key) return snapshot_index_of(s, cls, k->id);
    /* a kind with its own names: records are not sorted by them */
    for (size_t i = 0; i < snapshot_count(s, cls); i++) {
        struct obj_key r = snapshot_key(s, cls, i);
        if (obj_key_eq(&r, k)) return (long)i;
    }
    return -1;
}

int64_t sem_set_waiters(const struct snapshot *s, const struct sem_set *set)
{
    if (!(set->c.valid & FBIT(F_SEMCOUNT))) return -1;
    const struct sem_element *e = sem_elements(s, set);
    int64_t n = 0;
    for (uint32_t i = 0; i < set->nsems; i++) n += (int64_t)e[i].ncount + e[i].zcount;
    return n;
}

bool snapshot_append_copy(struct snapshot *dst, const struct snapshot *src, enum ipc_class cls,
                          size_t i)
{
    const struct ipc_kind *k = kind_of(cls);
    const void *from = snapshot_record(src, cls, i);
    if (!k->element_fields) {
        void *r = snapshot_add(dst, cls);
        if (r) memcpy(r, from, k->record_size);
        return r != NULL;
    }
    /* a record with elements (a set) keeps them next to the others' in dst's pool */
    const struct sem_set *set = from;
    struct sem_set *r = snapshot_add_sem(dst, set->nsems);
    if (!r) return false;
    size_t off = r->elem_off;
    *r = *set;
    r->elem_off = off;
    if (set->nsems)
        memcpy(dst->elems + off, sem_elements(src, set), set->nsems * sizeof *dst->elems);
    return true;
}
