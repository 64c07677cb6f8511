/*
 * columns — the one catalog of columns: per kind, each column's name (as -o, -s, the
 * settings file and JSON say it), header, width rule, alignment, how a cell is formatted
 * and how rows compare when sorted by it, and which fields light a cell up when they
 * change. The screens, batch frames and (later) metrics labels all read it; each kind's
 * table is part of its descriptor (kind.h).
 *
 * Pure (no curses, no I/O). Formatters write sanitized text only (format.h).
 */
#ifndef IPCTOP_COLUMNS_H
#define IPCTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

/* One line of a list: an object of the current snapshot, or a gone one of the previous. */
struct row {
    const struct snapshot *snap; /* the snapshot the record is in */
    uint32_t idx;                /* index of the record in snap's array of its class */
    enum ipc_class cls;          /* its kind */
    struct obj_key key;          /* which object: selection and tags follow it */
    enum obj_state state;        /* from the diff; OBJ_GONE rows come from the previous snapshot */
    uint64_t changed;            /* fields changed since the previous refresh */
    int64_t first_seen;          /* unix time ipctop first saw the object (0 unknown) */
};

/* What formatters and comparators may read besides the row. */
struct col_ctx {
    const struct model *model;        /* everything computed of diff->cur; may be NULL */
    const struct snapshot_diff *diff; /* for rates; may be NULL (the model's) */
    const struct who *who;            /* who uses the objects of diff->cur; may be NULL */
    struct users *users;
    int64_t now;     /* unix seconds */
    bool bytes;      /* exact byte counts */
    bool utf8;       /* the terminal can draw UTF-8 (bars) */
    int64_t min_age; /* untouched seconds before an object can be a leak */
    bool plain;      /* text output (batch frames): no bars, a queue's fill is a percentage */
};

/* How a column's value is shown and compared. */
enum col_kind {
    CK_NUM,      /* integer */
    CK_KEY,      /* "0x1234abcd" */
    CK_PERMS,    /* octal */
    CK_SIZE,     /* bytes, as K/M/G unless bytes */
    CK_TIME,     /* unix time; 0 = never */
    CK_AGE,      /* seconds */
    CK_RATE,     /* per second x 1000 */
    CK_BYTERATE, /* bytes per second x 1000 */
    CK_TEXT,     /* text from text(); sorted as text */
};

/* A numeric value of a row; false when unknown. */
typedef bool (*col_value_fn)(const struct col_ctx *, const struct row *, int64_t *);
/* A text cell (CK_TEXT), or the decoration of a numeric one; writes sanitized text. */
typedef void (*col_text_fn)(const struct col_ctx *, const struct row *, char *, size_t);

struct column {
    const char *title; /* as in the header row: "KEY" */
    const char *name;  /* lower case, for -s and the settings file: "key" */
    int width;         /* preferred width */
    int min_width;     /* narrowest it may be squeezed to */
    bool right;        /* numbers align right */
    int priority;      /* when the terminal is narrow, higher numbers go first */
    bool shown;        /* shown by default on the screens */
    uint8_t batch;     /* shown by default in batch frames: its place there (1 first, ties
                          in table order); 0 not shown there unless -o names it */
    uint64_t fields;   /* FBIT of the fields that make this cell "changed" */
    enum col_kind kind;
    col_value_fn value; /* every kind but CK_TEXT */
    col_text_fn text;   /* CK_TEXT */
    /* optional: true when the cell should stand out (a dead creator pid) */
    bool (*alert)(const struct col_ctx *, const struct row *);
};

/* Whether a row is of the current snapshot (who-uses-what knows only those). */
static inline bool row_is_current(const struct col_ctx *cx, const struct row *r)
{
    return cx->diff && r->snap == cx->diff->cur && r->state != OBJ_GONE;
}

/* The cell text of a row in a column ("?" when unknown). */
void column_format(const struct column *c, const struct col_ctx *cx, const struct row *r, char *buf,
                   size_t len);
/* What a row sorts by in a column, computed once per row before a sort. */
struct col_sort_key {
    bool known;
    int64_t v;     /* numeric columns */
    char text[40]; /* text columns without a value (OWNER, STATUS, COMMAND) */
};
void column_sort_key(const struct column *c, const struct col_ctx *cx, const struct row *r,
                     struct col_sort_key *k);
int column_compare_keys(const struct column *c, const struct col_sort_key *a,
                        const struct col_sort_key *b, bool descending);

/* ---- for the kinds' tables (kind.h: columns) ---------------------------------------- */

/* shown: on the screens by default; batch: in batch frames by default, at that place (0 not) */
#define COLUMN(title, name, w, minw, right, prio, shown, batch, fields, kind, value, text)         \
    {                                                                                              \
        title, name, w, minw, right, prio, shown, batch, fields, kind, value, text, NULL           \
    }
#define COLUMN_ALERT(title, name, w, minw, right, prio, shown, batch, fields, kind, value, text,   \
                     alert)                                                                        \
    {                                                                                              \
        title, name, w, minw, right, prio, shown, batch, fields, kind, value, text, alert          \
    }

/* The columns every kind has: their cells read the row's common fields. */
bool col_key(const struct col_ctx *cx, const struct row *r, int64_t *v);
bool col_id(const struct col_ctx *cx, const struct row *r, int64_t *v);
bool col_uid(const struct col_ctx *cx, const struct row *r, int64_t *v);
bool col_perms(const struct col_ctx *cx, const struct row *r, int64_t *v);
bool col_ctime(const struct col_ctx *cx, const struct row *r, int64_t *v);
bool col_age(const struct col_ctx *cx, const struct row *r, int64_t *v);
void col_owner(const struct col_ctx *cx, const struct row *r, char *b, size_t n);
bool col_leak(const struct col_ctx *cx, const struct row *r, int64_t *v);
void col_leak_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n);
bool col_leak_alert(const struct col_ctx *cx, const struct row *r);

/* What a row is since the previous refresh: "new", "chg", "gone", "" the same. */
bool col_state(const struct col_ctx *cx, const struct row *r, int64_t *v);
void col_state_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n);
/* The fields that changed since the previous refresh, "nattch,lpid,atime" ("" none). */
void col_changed_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n);
/* Who uses a current object, by its kind's users (kind.h): its attachers or the tasks
 * waiting on it, "1234(postgres),5678(psql),+3" — at most COL_USERS_MAX with the count of
 * the others; "(stopped)" after a stopped waiter; "-" for a gone object. The value is how
 * many. */
#define COL_USERS_MAX 4
bool col_users(const struct col_ctx *cx, const struct row *r, int64_t *v);
void col_users_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n);
/* How many use it (col_users), "3", with "+" when the list may be partial: "0+"; "?" for a
 * gone object or none known. */
void col_user_count_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n);

/* The batch places of the columns every kind has (a kind's own columns go between
 * COL_BATCH_OWN and COL_BATCH_END). */
#define COL_BATCH_STATE   1
#define COL_BATCH_OWN     10
#define COL_BATCH_END     40
#define COL_BATCH_LEAK    40
#define COL_BATCH_CHANGED 41
#define COL_BATCH_USERS   42

#define COL_KEY COLUMN("KEY", "key", 10, 10, false, 0, true, 2, FBIT(F_KEY), CK_KEY, col_key, NULL)
#define COL_ID  COLUMN("ID", "id", 8, 4, true, 0, true, 3, 0, CK_NUM, col_id, NULL)
#define COL_OWNER                                                                                  \
    COLUMN("OWNER", "owner", 9, 5, false, 1, true, 4, FBIT(F_UID), CK_TEXT, NULL, col_owner)
#define COL_PERMS                                                                                  \
    COLUMN("PERMS", "perms", 5, 5, false, 4, true, 5, FBIT(F_MODE), CK_PERMS, col_perms, NULL)
#define COL_LEAK                                                                                   \
    COLUMN_ALERT("LEAK", "leak", 8, 8, false, 2, true, COL_BATCH_LEAK, 0, CK_TEXT, col_leak,       \
                 col_leak_text, col_leak_alert)
#define COL_AGE COLUMN("AGE", "age", 6, 5, true, 3, true, 0, 0, CK_AGE, col_age, NULL)
#define COL_CTIME(prio, shown, batch)                                                              \
    COLUMN("CTIME", "ctime", 11, 8, false, prio, shown, batch, FBIT(F_CTIME), CK_TIME, col_ctime,  \
           NULL)
#define COL_UID COLUMN("UID", "uid", 6, 3, true, 8, false, 0, FBIT(F_UID), CK_NUM, col_uid, NULL)
#define COL_STATE                                                                                  \
    COLUMN("STATE", "state", 5, 4, false, 9, false, COL_BATCH_STATE, 0, CK_TEXT, col_state,        \
           col_state_text)
#define COL_CHANGED                                                                                \
    COLUMN("CHANGED", "changed", 16, 7, false, 9, false, COL_BATCH_CHANGED, 0, CK_TEXT, NULL,      \
           col_changed_text)
/* the processes that use an object: "ATTACHERS" for a kind whose users attach it,
 * "WAITING" for one whose users wait on it */
#define COL_ATTACHERS                                                                              \
    COLUMN("ATTACHERS", "attachers", 24, 9, false, 9, false, COL_BATCH_USERS, FBIT(F_NATTCH),      \
           CK_TEXT, col_users, col_users_text)
#define COL_WAITING(fields)                                                                        \
    COLUMN("WAITING", "waiting", 24, 7, false, 9, false, COL_BATCH_USERS, fields, CK_TEXT,         \
           col_users, col_users_text)

/* The command of a pid as the snapshot knows it: "-" never set, "(dead)", "?" unknown. */
void col_pid_command(const struct row *r, int32_t pid, enum liveness l, char *b, size_t n);
/* "1234(postgres)", "1234(dead)", "1234(reused)" or "0": a pid with what ipctop knows of it
 * (the lists of processes: ATTACHERS, WAITING). s is only read for a live pid. */
char *fmt_pid_command(char *buf, size_t len, const struct snapshot *s, int32_t pid,
                      enum liveness l);
/* A pid cell: "1234" ("?" unknown). Text has no colour for the alert the screens give a pid
 * whose process is gone, so in text output (cx->plain) it says it: "1234(dead)",
 * "1234(reused)". */
void col_pid_text(const struct col_ctx *cx, bool known, int32_t pid, enum liveness l, char *b,
                  size_t n);
/* Whether a liveness means the process that did it is gone. */
bool col_pid_dead(enum liveness l);
/* A CK_RATE cell: the net rate of a field of a current row (model_rate), x 1000. */
bool col_rate(const struct col_ctx *cx, const struct row *r, enum ipc_field f, int64_t *v);

/* The columns of a class, in display order. */
const struct column *columns_of(enum ipc_class cls, size_t *n);

/* Index of the column named name (case-insensitive, title or name) or -1. */
int column_find(enum ipc_class cls, const char *name);

/* ---- the columns a batch frame shows (-o) --------------------------------------------- */

#define COL_LIST_MAX 64

/* -o COLUMNS, resolved for every kind: "key,id" names the columns (in that order), "+rss"
 * adds to each kind's batch defaults; names are the catalog's, case-insensitive, by name or
 * title ("msgrate" or "MSG/S"). */
struct column_list {
    bool given;                          /* -o was given; else the defaults */
    bool add;                            /* "+COLUMNS" */
    size_t n;                            /* names given */
    int idx[IPC_NCLASSES][COL_LIST_MAX]; /* per kind, the index of each name, -1 it lacks it */
};

/* Parses spec into *l. On a name no kind has, an empty name or too many: -1 and one
 * sentence in err (naming the option as opt says it, "-o"). */
int column_list_parse(const char *spec, struct column_list *l, const char *opt, char *err,
                      size_t errlen);

/* The columns kind cls shows in a batch frame, in order, as indices into columns_of(cls):
 * the kind's batch defaults (by place), or l's names the kind has (after the defaults with
 * "+", without repeating one). l may be NULL (the defaults). Returns how many (at most
 * max). */
size_t column_list_pick(const struct column_list *l, enum ipc_class cls, int *idx, size_t max);

/* The names of every column of every kind, each once, separated by spaces. */
void column_names(char *buf, size_t len);

/* The record of a row, typed. */
const struct shm_segment *row_shm(const struct row *r);
const struct sem_set *row_sem(const struct row *r);
const struct msg_queue *row_msg(const struct row *r);
const struct ipc_common *row_common(const struct row *r, enum ipc_class cls);

/* Age of an object in seconds: since it was created as far as anyone can tell — the
 * earlier of ctime (the kernel's last-change time) and when ipctop first saw it. -1 unknown. */
int64_t row_age(const struct col_ctx *cx, const struct row *r, enum ipc_class cls);

/* A queue's fill bar, e.g. "[|||    ]38%", width chars. */
void format_fill_bar(char *buf, size_t len, uint64_t used, uint64_t limit, int width, bool utf8);

#endif
