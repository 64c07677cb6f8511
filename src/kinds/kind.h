/*
 * kind — what ipctop knows of one kind of IPC object, as data: one descriptor per kind
 * (nvtop's per-vendor tables are the model), registered in kind_list.h. The collector,
 * the diff, the model, the views, the actions and the settings iterate over ipc_kinds[]
 * and ask the descriptor; none of them switches on the kind.
 *
 * A descriptor says: its names; its record (size and fields: where each lives, and which
 * never change for one object, which never go back to "never", which move without anyone
 * using the object); how the kernel is read (System V: kinds/sysv.h); how two records are
 * the same object; which processes it records; its leak evidence and how to say it; how it
 * is removed and when the kernel's record alone says it is in use; its JSON; the use it
 * makes of the namespace's limits.
 *
 * Owns nothing at run time: descriptors are constant. kind.c has the registry and the
 * generic field operations.
 */
#ifndef IPCTOP_KIND_H
#define IPCTOP_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

struct jsonw;
struct leak_inputs;
struct leak_verdict;
struct leak_words;
struct model;
struct users;
struct ipc_usage;
struct column;
struct col_ctx;
struct detail;
struct row;
struct sysv_kind;
struct collect_ctx;
struct collect_source;
struct blocked_task;
struct who;
struct who_waiter;

/* How a field is stored in its record. */
enum field_store { FS_U32, FS_I32, FS_U64, FS_I64 };

enum field_flag {
    FF_SET_ONCE = 1,   /* never changes for one object: another value is another object */
    FF_NEVER_BACK = 2, /* a time or pid that, once set, never goes back to 0 */
    FF_PASSIVE = 4,    /* moves without anyone using the object (the kernel swapping it) */
};

struct kind_field {
    enum ipc_field bit;
    enum field_store store;
    uint16_t offset; /* in the record */
    uint8_t flags;   /* enum field_flag */
};

#define KIND_FIELD(type, member, bit, store, flags)                                                \
    {                                                                                              \
        bit, store, (uint16_t)offsetof(type, member), flags                                        \
    }

/* Who uses an object of the kind, as the model sees it. */
enum kind_users {
    KU_ATTACHERS, /* processes that map it (who.c finds them in /proc/PID/maps) */
    KU_WAITERS,   /* tasks blocked in a call on it (who.c finds them in /proc/TID/syscall) */
};

/* What an object of a kind holds that ipctop can show without changing it. */
enum kind_content {
    KIND_NO_CONTENT,
    KIND_BYTES,    /* bytes (a segment): the viewer, --dump */
    KIND_MESSAGES, /* messages (a queue): copied, left in place; --peek */
};

/* Which operation recorded a pid (leak.h says it in words). */
typedef void (*kind_pid_fn)(void *ctx, int32_t pid, int64_t when, int role);

struct ipc_kind {
    const char *name;  /* "shm": JSON key, --type, settings, "shm 32769: removed" */
    const char *title; /* "Shared memory segments": batch tables */
    const char *tab;   /* "Shared memory": the screens' tabs */
    const char *noun;  /* "Shared memory segment": the detail pane's title */

    size_t record_size;              /* every record begins with struct ipc_common */
    const struct kind_field *fields; /* every field of the record, common ones first */
    size_t nfields;
    uint64_t element_fields; /* FBIT of fields kept per element (sem) */

    const struct sysv_kind *sysv; /* System V kinds: how the calls and /proc/sysvipc read it */

    /* how the collector reads it (collect.h, collect_source.h) */
    struct kind_collect {
        /* its sources, in the order tried: the first that can read it is used */
        const struct collect_source *const *sources;
        size_t nsources;
        /* after its records are read and sorted (a set's elements), and once every kind is
         * read and the mappings are known (hugetlb rss); NULL when nothing is to be done */
        void (*after_read)(struct collect_ctx *ctx, const struct snapshot *prev,
                           struct snapshot *s);
        void (*finish)(struct collect_ctx *ctx, struct snapshot *s);
        /* re-reads the object k names, with every field a judgement needs, into s (cleared
         * first): 0 when found, 1 when it no longer exists, -1 when it cannot be read
         * (errno). Actions call it right before they act. */
        int (*reread)(const struct obj_key *k, struct snapshot *s);
        bool worker; /* the costliest to read: in the collector's worker thread, where it
                      * has one (collect.h: one_thread) */
        /* fields only its procfs source has (System V shm: rss and swap, only in
         * /proc/sysvipc/shm), at the price of the kernel's text: when none of them is wanted
         * (collect.h: collector_want), its other sources are tried first, procfs last */
        uint64_t procfs_only;
        /* when none of its sources can read it, the sentence after "cannot read " */
        const char *unreadable;
    } collect;

    /* identity: its name in its namespace, into k (which holds the System V one: namespace,
     * kind, id); NULL for System V kinds. Kinds whose objects are files set dev and ino. */
    void (*key)(const struct snapshot *s, size_t i, struct obj_key *k);
    /* identity: whether records a (earlier) and b (later) are one object, beyond what the
     * field flags say; NULL when they say it all */
    bool (*same_object)(const struct snapshot *sa, size_t a, const struct snapshot *sb, size_t b);
    /* changes of its elements: FBIT of the element fields that changed, and per element
     * (elem, indexed like the later snapshot's pool) enum elem_change bits; NULL none */
    uint64_t (*changed_elements)(const struct snapshot *sa, size_t a, const struct snapshot *sb,
                                 size_t b, uint8_t *elem);
    /* the bytes of record i's elements (a set's semaphores), *len of them; NULL when it has
     * none. Two records byte for byte the same, elements too, are one object unchanged
     * (kind_identical): same_object and changed_elements may depend on nothing else. */
    const void *(*element_bytes)(const struct snapshot *s, size_t i, size_t *len);

    enum kind_users users;
    uint32_t waits; /* KU_WAITERS: 1 << enum ipc_wait of the calls that wait on it */
    /* what a blocked task waits for (the semaphore, the message), into w */
    void (*waiter)(const struct snapshot *s, size_t i, const struct blocked_task *b,
                   struct who_waiter *w);
    /* whether who's list for object i is the whole truth (who.h) */
    bool (*complete)(const struct who *w, const struct snapshot *s, size_t i);
    /* the pids its record names, with the time of the operation that set each */
    void (*recorded_pids)(const struct snapshot *s, size_t i, kind_pid_fn fn, void *ctx);

    /* leaks (leak.h): the verdict, and "what its users were" in words */
    struct leak_verdict (*judge)(const struct leak_inputs *in, size_t i);
    void (*describe_users)(struct leak_words *t, const struct snapshot *s, size_t i,
                           const struct leak_verdict *v);

    /* actions: removing the object k names (0 or -1 with errno), and whether the kernel's
     * record alone says the object is in use now (why in words) */
    int (*remove)(const struct obj_key *k);
    bool (*busy)(const struct snapshot *now, size_t i, char *why, size_t len);
    bool removal_deferred;     /* removed while busy, it lives on until its users are done */
    enum kind_content content; /* what it holds that can be shown ('x' in the screens) */
    uint32_t removed_mode;     /* the mode bit that says it is removed but alive (SHM_DEST), 0 */
    const char *waiting_words; /* KU_WAITERS: "waiting", "blocked on it" */

    /* views: its fields as JSON (inside the object's braces, after the common ones) */
    void (*json)(struct jsonw *w, const struct model *m, size_t i, struct users *u);
    /* how big it is, in a few words: "64K", "4 semaphores", "3 messages" */
    void (*summary)(const struct snapshot *s, size_t i, char *buf, size_t len);
    /* its fields in the detail pane, after the common ones (detail.h) */
    void (*detail)(struct detail *d, const struct col_ctx *cx, const struct row *r);
    /* its columns, in display order (columns.h): the screens and batch frames show them */
    const struct column *columns;
    size_t ncolumns;
    /* its use of the namespace's limits, added into u (output.h) */
    void (*usage)(const struct snapshot *s, struct ipc_usage *u);
};

/* The registered kinds, indexed by enum ipc_class. */
extern const struct ipc_kind *const ipc_kinds[IPC_NCLASSES];

static inline const struct ipc_kind *kind_of(enum ipc_class k)
{
    return ipc_kinds[k];
}

/* The kind named name ("shm"), or -1. */
int kind_by_name(const char *name);

/* A field's value in a record, widened (signed fields sign-extended). */
int64_t kind_field_get(const struct kind_field *f, const void *rec);
void kind_field_set(const struct kind_field *f, void *rec, uint64_t v);
/* The field of a kind with bit, or NULL. */
const struct kind_field *kind_field(const struct ipc_kind *k, enum ipc_field bit);

/*
 * FBIT of the fields that differ between record a of sa and record b of sb, both of kind k
 * (a field counts only when known in both; a field known in one only counts as changed).
 * elem: as changed_elements. Pure.
 */
uint64_t kind_changed(enum ipc_class k, const struct snapshot *sa, size_t a,
                      const struct snapshot *sb, size_t b, uint8_t *elem);

/* Whether record a of sa and record b of sb are byte for byte the same, their elements too:
 * then they are one object and nothing changed (the diff's quick path; records are zeroed
 * before they are filled, so padding does not differ). Pure. */
bool kind_identical(enum ipc_class k, const struct snapshot *sa, size_t a,
                    const struct snapshot *sb, size_t b);

/* Whether the field flags allow records a and b to be one object (FF_SET_ONCE equal,
 * FF_NEVER_BACK not back to 0, ctime not backwards). */
bool kind_fields_same(enum ipc_class k, const struct snapshot *sa, size_t a,
                      const struct snapshot *sb, size_t b);

#endif
