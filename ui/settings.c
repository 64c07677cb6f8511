#include "settings.h"

#include "kind.h"

#include "columns.h"
#include "format.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void settings_defaults(struct settings *s)
{
    memset(s, 0, sizeof *s);
    s->screen = (enum ipc_class)0; /* the first kind registered */
    s->delay = 1.0;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        s->sort_col[c] = column_find((enum ipc_class)c, "id");
        for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++) s->shown[c][i] = cols[i].shown;
    }
}

bool settings_path(char *buf, size_t len)
{
    const char *rc = getenv("IPCTOPRC");
    if (rc && *rc) return (size_t)snprintf(buf, len, "%s", rc) < len;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return (size_t)snprintf(buf, len, "%s/ipctop/ipctoprc", xdg) < len;
    const char *home = getenv("HOME");
    if (home && *home) return (size_t)snprintf(buf, len, "%s/.config/ipctop/ipctoprc", home) < len;
    return false;
}

/* ---- the names ------------------------------------------------------------------------- */

enum { K_SCREEN, K_DELAY, K_CLASS0 };
enum { SUB_SORT, SUB_ORDER, SUB_COLUMNS, NSUB };
static const char *const sub_names[NSUB] = {"sort", "order", "columns"};

void settings_key_name(int k, char *buf, size_t len)
{
    if (k == K_SCREEN)
        snprintf(buf, len, "screen");
    else if (k == K_DELAY)
        snprintf(buf, len, "delay");
    else
        snprintf(buf, len, "%s.%s", sub_names[(k - K_CLASS0) % NSUB],
                 kind_of((enum ipc_class)((k - K_CLASS0) / NSUB))->name);
}

/* The setting a name is, or -1 (a name this ipctop does not know). */
static int key_index(const char *name, size_t n)
{
    for (int k = 0; k < SETTINGS_NKEYS; k++) {
        char kn[32];
        settings_key_name(k, kn, sizeof kn);
        if (strlen(kn) == n && memcmp(kn, name, n) == 0) return k;
    }
    return -1;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

void settings_key_value(const struct settings *s, int k, char *buf, size_t len)
{
    if (k == K_SCREEN) {
        snprintf(buf, len, "%s", kind_of(s->screen)->name);
        return;
    }
    if (k == K_DELAY) {
        snprintf_c(buf, len, "%.10g", s->delay); /* "0.5" in every locale */
        return;
    }
    enum ipc_class c = (enum ipc_class)((k - K_CLASS0) / NSUB);
    size_t n;
    const struct column *cols = columns_of(c, &n);
    switch ((k - K_CLASS0) % NSUB) {
    case SUB_SORT: snprintf(buf, len, "%s", cols[s->sort_col[c]].name); return;
    case SUB_ORDER: snprintf(buf, len, "%s", s->descending[c] ? "desc" : "asc"); return;
    default: break;
    }
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++) {
        if (!s->shown[c][i]) continue;
        int w = snprintf(buf + off, len - off, "%s%s", off ? "," : "", cols[i].name);
        if (w < 0 || (size_t)w >= len - off) break;
        off += (size_t)w;
    }
}

/* Sets setting k from value; false when the value is not one it can have. */
static bool apply(struct settings *s, int k, const char *value)
{
    if (k == K_SCREEN) {
        for (int c = 0; c < IPC_NCLASSES; c++)
            if (strcmp(value, kind_of((enum ipc_class)c)->name) == 0) {
                s->screen = (enum ipc_class)c;
                return true;
            }
        return false;
    }
    if (k == K_DELAY) {
        double d;
        if (!parse_seconds(value, &d) || d < 0.05 || d > 86400) return false;
        s->delay = d;
        return true;
    }
    enum ipc_class c = (enum ipc_class)((k - K_CLASS0) / NSUB);
    switch ((k - K_CLASS0) % NSUB) {
    case SUB_SORT: {
        int col = column_find(c, value);
        if (col < 0) return false;
        s->sort_col[c] = col;
        return true;
    }
    case SUB_ORDER:
        if (strcmp(value, "asc") && strcmp(value, "desc")) return false;
        s->descending[c] = strcmp(value, "desc") == 0;
        return true;
    default: break;
    }
    bool shown[LAYOUT_MAX_COLS] = {false};
    char buf[512];
    if (strlen(value) >= sizeof buf) return false;
    strcpy(buf, value);
    int count = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int col = column_find(c, t);
        if (col < 0 || col >= LAYOUT_MAX_COLS) return false;
        shown[col] = true;
        count++;
    }
    if (count == 0) return false;
    memcpy(s->shown[c], shown, sizeof shown);
    return true;
}

/* ---- lines --------------------------------------------------------------------------------- */

struct line {
    const char *start, *end; /* the line, without its newline */
    const char *next;        /* where the next line starts */
    const char *name, *value;
    size_t nlen, vlen;
    enum { L_BLANK, L_SETTING, L_OTHER } kind;
};

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The line starting at p (before end): what it is, its name and value. */
static void read_line(const char *p, const char *end, struct line *l)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    l->start = p;
    l->end = nl ? nl : end;
    l->next = nl ? nl + 1 : end;
    const char *a = p, *b = l->end;
    while (a < b && blank(*a)) a++;
    while (b > a && blank(b[-1])) b--;
    l->kind = L_OTHER;
    /* a NUL byte: not a text line at all, whatever else it holds */
    if (memchr(l->start, '\0', (size_t)(l->end - l->start))) return;
    if (a == b || *a == '#') {
        l->kind = L_BLANK;
        return;
    }
    const char *eq = memchr(a, '=', (size_t)(b - a));
    if (!eq) return;
    const char *ne = eq;
    while (ne > a && blank(ne[-1])) ne--;
    if (ne == a) return;
    for (const char *q = a; q < ne; q++)
        if (!name_char(*q)) return;
    const char *v = eq + 1;
    while (v < b && blank(*v)) v++;
    l->kind = L_SETTING;
    l->name = a;
    l->nlen = (size_t)(ne - a);
    l->value = v;
    l->vlen = (size_t)(b - v);
}

/* The path as a message may show it: no control byte of an environment variable. */
static const char *shown_path(const char *path, char *buf, size_t len)
{
    return sanitize_text(buf, len, path, strlen(path));
}

enum settings_status settings_parse(const char *text, size_t len, const char *path,
                                    struct settings *s, char *msg, size_t msglen)
{
    settings_defaults(s);
    msg[0] = '\0';
    char where[300];
    shown_path(path, where, sizeof where);
    if (len > SETTINGS_MAX_BYTES) {
        snprintf(msg, msglen,
                 "settings file %s is larger than %d KiB: not a settings file; it is left as it "
                 "is and changes are kept for this run only",
                 where, SETTINGS_MAX_BYTES / 1024);
        return SETTINGS_KEPT;
    }
    int lineno = 0;
    bool damaged = false;
    for (const char *p = text, *end = text + len; p < end;) {
        struct line l;
        read_line(p, end, &l);
        p = l.next;
        lineno++;
        if (l.kind == L_BLANK) continue;
        if (l.kind == L_OTHER) {
            bool nul = memchr(l.start, '\0', (size_t)(l.end - l.start)) != NULL;
            /* the first such line is the one to name; the settings after it still count */
            if (!damaged)
                snprintf(msg, msglen,
                         "settings file %s is damaged at line %d (%s): it is left as it is and "
                         "changes are kept for this run only",
                         where, lineno, nul ? "a NUL byte" : "not name=value");
            damaged = true;
            continue;
        }
        int k = key_index(l.name, l.nlen);
        if (k < 0) continue; /* a newer ipctop's, or a typo: kept in the file, ignored here */
        char value[512];
        bool ok = l.vlen < sizeof value;
        if (ok) {
            memcpy(value, l.value, l.vlen);
            value[l.vlen] = '\0';
            ok = apply(s, k, value);
        }
        if (!ok && !damaged && !msg[0]) {
            char name[32], bad[40];
            settings_key_name(k, name, sizeof name);
            sanitize_text(bad, sizeof bad, l.value, l.vlen < 32 ? l.vlen : 32);
            snprintf(msg, msglen, "settings file %s, line %d: '%s' is not a value %s can have; %s",
                     where, lineno, bad, name, "its default is used");
        }
    }
    return damaged ? SETTINGS_KEPT : SETTINGS_READ;
}

/* ---- reading and writing ----------------------------------------------------------------- */

/*
 * Reads a regular file of at most SETTINGS_MAX_BYTES: never blocks (a FIFO), never reads
 * without end (/dev/zero). SETTINGS_READ with *text (malloc'd, NUL-terminated),
 * SETTINGS_NONE when there is no file, SETTINGS_KEPT with a sentence; *mode gets its mode.
 */
static enum settings_status read_file(const char *path, char **text, size_t *len, mode_t *mode,
                                      char *msg, size_t msglen)
{
    char where[300];
    shown_path(path, where, sizeof where);
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return SETTINGS_NONE;
        snprintf(msg, msglen,
                 "cannot read the settings file %s: %s; changes are kept for this run only", where,
                 strerror(errno));
        return SETTINGS_KEPT;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, msglen,
                 "settings file %s is not a regular file: it is neither read nor written, and "
                 "changes are kept for this run only",
                 where);
        close(fd);
        return SETTINGS_KEPT;
    }
    *mode = st.st_mode & 07777;
    size_t cap = SETTINGS_MAX_BYTES + 1, n = 0; /* one more: a larger file is seen as one */
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        snprintf(msg, msglen, "out of memory reading the settings file %s", where);
        return SETTINGS_KEPT;
    }
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(msg, msglen,
                     "cannot read the settings file %s: %s; changes are kept for this run only",
                     where, strerror(errno));
            free(buf);
            close(fd);
            return SETTINGS_KEPT;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return SETTINGS_READ;
}

enum settings_status settings_load(const char *path, struct settings *s, char *msg, size_t msglen)
{
    settings_defaults(s);
    msg[0] = '\0';
    char *text;
    size_t len;
    mode_t mode;
    enum settings_status st = read_file(path, &text, &len, &mode, msg, msglen);
    if (st != SETTINGS_READ) return st;
    st = settings_parse(text, len, path, s, msg, msglen);
    free(text);
    return st;
}

int settings_diff(const struct settings *a, const struct settings *b, bool changed[SETTINGS_NKEYS])
{
    int n = 0;
    for (int k = 0; k < SETTINGS_NKEYS; k++) {
        char va[512], vb[512];
        settings_key_value(a, k, va, sizeof va);
        settings_key_value(b, k, vb, sizeof vb);
        changed[k] = strcmp(va, vb) != 0;
        n += changed[k];
    }
    return n;
}

struct out {
    char *buf;
    size_t len, cap;
    bool nomem;
};

static void out_put(struct out *o, const char *s, size_t n)
{
    if (o->nomem) return;
    if (o->len + n + 1 > o->cap) {
        size_t nc = o->cap ? o->cap : 1024;
        while (nc < o->len + n + 1) nc *= 2;
        char *nb = realloc(o->buf, nc);
        if (!nb) {
            o->nomem = true;
            return;
        }
        o->buf = nb;
        o->cap = nc;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void out_setting(struct out *o, const struct settings *s, int k)
{
    char line[600], name[32], value[512];
    settings_key_name(k, name, sizeof name);
    settings_key_value(s, k, value, sizeof value);
    int n = snprintf(line, sizeof line, "%s=%s\n", name, value);
    out_put(o, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

char *settings_render(const char *text, size_t len, const struct settings *s,
                      const bool changed[SETTINGS_NKEYS], size_t *outlen)
{
    struct out o = {0};
    bool done[SETTINGS_NKEYS] = {false};
    if (len == 0) {
        static const char head[] = "# ipctop settings: name=value lines; ipctop rewrites only the "
                                   "lines of what you change\n";
        out_put(&o, head, sizeof head - 1);
    }
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        struct line l;
        read_line(p, end, &l);
        p = l.next;
        int k = l.kind == L_SETTING ? key_index(l.name, l.nlen) : -1;
        if (k >= 0 && changed[k]) {
            out_setting(&o, s, k);
            done[k] = true;
            continue;
        }
        out_put(&o, l.start, (size_t)(l.next - l.start));
    }
    if (len && text[len - 1] != '\n') {
        /* a last line without its newline gets one before anything is appended */
        for (int k = 0; k < SETTINGS_NKEYS; k++)
            if (changed[k] && !done[k]) {
                out_put(&o, "\n", 1);
                break;
            }
    }
    for (int k = 0; k < SETTINGS_NKEYS; k++)
        if (changed[k] && !done[k]) out_setting(&o, s, k);
    out_put(&o, "", 0);
    if (o.nomem || !o.buf) {
        free(o.buf);
        return NULL;
    }
    *outlen = o.len;
    return o.buf;
}

/* mkdir -p of path's directory */
static int make_parent(const char *path)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int settings_save(const char *path, const struct settings *s, const bool changed[SETTINGS_NKEYS],
                  char *err, size_t errlen)
{
    char where[300];
    shown_path(path, where, sizeof where);
    /* a symbolic link stays one: the file it names is written */
    char target[PATH_MAX];
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        if (!realpath(path, target)) {
            snprintf(err, errlen, "settings not written: %s is a link to nothing (%s)", where,
                     strerror(errno));
            return -1;
        }
    } else if (snprintf(target, sizeof target, "%s", path) >= (int)sizeof target) {
        snprintf(err, errlen, "settings not written: the path %s is too long", where);
        return -1;
    }
    /* the file as it is now: another ipctop, or an editor, may have changed it */
    char *text = NULL, msg[600];
    size_t len = 0;
    mode_t mode = 0600;
    enum settings_status st = read_file(target, &text, &len, &mode, msg, sizeof msg);
    if (st == SETTINGS_READ) {
        struct settings tmp;
        st = settings_parse(text, len, path, &tmp, msg, sizeof msg);
    }
    if (st == SETTINGS_KEPT) {
        snprintf(err, errlen, "settings not written: %s", msg);
        free(text);
        return -1;
    }
    size_t outlen;
    char *out = settings_render(text ? text : "", len, s, changed, &outlen);
    free(text);
    if (!out) {
        snprintf(err, errlen, "settings not written to %s: out of memory", where);
        return -1;
    }
    if (outlen > SETTINGS_MAX_BYTES) {
        snprintf(err, errlen, "settings not written: %s would be larger than %d KiB", where,
                 SETTINGS_MAX_BYTES / 1024);
        free(out);
        return -1;
    }
    if (make_parent(target) < 0) {
        snprintf(err, errlen, "settings not written: cannot create the directory of %s: %s", where,
                 strerror(errno));
        free(out);
        return -1;
    }
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", target);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "settings not written to %s: %s", where, strerror(errno));
        free(out);
        return -1;
    }
    bool ok = fchmod(fd, mode) == 0 && write_all(fd, out, outlen) == 0 && fsync(fd) == 0;
    int e = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, target) < 0) {
        e = errno;
        ok = false;
    }
    free(out);
    if (!ok) {
        snprintf(err, errlen, "settings not written to %s: %s", where, strerror(e));
        unlink(tmp);
        return -1;
    }
    return 0;
}

bool settings_equal(const struct settings *a, const struct settings *b)
{
    if (a->screen != b->screen || a->delay != b->delay) return false;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        if (a->sort_col[c] != b->sort_col[c] || a->descending[c] != b->descending[c]) return false;
        if (memcmp(a->shown[c], b->shown[c], sizeof a->shown[c])) return false;
    }
    return true;
}
