#include "procfs_parse.h"

#include "kind.h"
#include "sysv.h"

#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Next whitespace-separated token in [*p, end) without crossing a newline (the header). */
static bool next_token(const char **p, const char *end, const char **tok, size_t *toklen)
{
    const char *q = *p;
    while (q < end && is_space(*q)) q++;
    if (q >= end || *q == '\n') {
        *p = q;
        return false;
    }
    const char *t = q;
    while (q < end && !is_space(*q) && *q != '\n') q++;
    *tok = t;
    *toklen = (size_t)(q - t);
    *p = q;
    return true;
}

/*
 * Maps header columns to specs: map[i] is the spec index of column i, or -1 for a column
 * this parser does not know. Returns the number of columns, or -1 when a required column
 * is missing.
 */
static int parse_header(const char **p, const char *end, const struct procfs_col *specs,
                        size_t nspecs, int *map)
{
    const char *tok;
    size_t len;
    int ncols = 0;
    uint64_t seen = 0;
    while (next_token(p, end, &tok, &len)) {
        if (ncols == PROCFS_MAX_COLS) return -1;
        map[ncols] = -1;
        for (size_t s = 0; s < nspecs; s++) {
            if (strlen(specs[s].name) == len && memcmp(specs[s].name, tok, len) == 0 &&
                !(seen & FBIT(specs[s].field))) {
                map[ncols] = (int)s;
                seen |= FBIT(specs[s].field);
                break;
            }
        }
        ncols++;
    }
    if (*p >= end || **p != '\n') return -1; /* a header without its newline is cut off */
    (*p)++;
    uint64_t required = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_MODE);
    return (seen & required) == required ? ncols : -1;
}

long procfs_parse_header(enum ipc_class cls, const char *buf, size_t len,
                         struct procfs_columns *cols)
{
    const struct ipc_kind *kind = kind_of(cls);
    const struct sysv_kind *k = kind->sysv;
    const char *p = buf;
    cols->cls = cls;
    cols->ncols = parse_header(&p, buf + len, k->columns, k->ncolumns, cols->map);
    if (cols->ncols < 0) return -1;
    cols->element_col = -1;
    cols->valid = 0;
    for (int c = 0; c < cols->ncols; c++) {
        struct procfs_column_read *r = &cols->read[c];
        *r = (struct procfs_column_read){-1, 0, NULL};
        if (cols->map[c] < 0) continue;
        const struct procfs_col *spec = &k->columns[cols->map[c]];
        /* keys are printed with %d: a negative one is read as its 32-bit value */
        r->how = (int)spec->how;
        r->max = spec->how == PH_KEY ? UINT64_C(0xffffffff) : spec->max;
        r->field = kind_field(kind, spec->field);
        if (r->field) cols->valid |= FBIT(spec->field);
        if (spec->field == k->element_count) cols->element_col = c;
    }
    return (long)(p - buf);
}

enum line_kind { LINE_GOOD, LINE_BAD, LINE_BLANK };

/* Past the blanks at p. The kernel pads its columns with spaces (two thirds of the bytes of
 * /proc/sysvipc/shm): eight at a time. */
static const char *skip_blanks(const char *p, const char *end)
{
    static const uint64_t spaces = UINT64_C(0x2020202020202020);
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        /* the first byte that is not a space (little-endian: the lowest set byte) */
        uint64_t other = w ^ spaces;
        if (other) {
            p += __builtin_ctzll(other) / 8;
            break;
        }
        p += 8;
    }
    while (p < end && is_space(*p)) p++;
    return p;
}

/*
 * One line from p: its values by column into v, what it was, and where the next line
 * begins. A line is good when it has exactly one token per header column and every known
 * column holds a number within its range; a token is anything between blanks (space, tab),
 * so "1x" or "1\r" is a token that is not a number. A line without its newline is cut off:
 * bad. One pass over the bytes, no division: this runs over 5 MB every second.
 */
static const char *scan_line(const struct procfs_columns *cols, const char *p, const char *end,
                             uint64_t *v, enum line_kind *kind)
{
    int col = 0;
    bool ok = true;
    for (;;) {
        p = skip_blanks(p, end);
        if (p == end) {
            *kind = LINE_BAD;
            return end;
        }
        if (*p == '\n') break;
        const struct procfs_column_read *r = col < cols->ncols ? &cols->read[col] : NULL;
        if (!r) ok = false; /* more tokens than columns */
        if (r) col++;
        if (!r || !ok || r->how < 0) {
            while (p < end && !is_space(*p) && *p != '\n') p++;
            continue;
        }
        bool neg = r->how == PH_KEY && *p == '-';
        p += neg;
        const char *digits = p;
        const unsigned base = r->how == PH_OCT ? 8 : 10;
        uint64_t x = 0;
        for (; p < end; p++) {
            unsigned d = (unsigned)(unsigned char)*p - '0';
            if (d >= base) break;
            x = x * base + d;
        }
        /* 19 decimal or 21 octal digits always fit in 64 bits; more may not: again, with
         * the overflow checked */
        bool over = false;
        if (p - digits > (base == 8 ? 21 : 19)) {
            x = 0;
            for (const char *q = digits; q < p; q++) {
                over |= __builtin_mul_overflow(x, base, &x);
                over |= __builtin_add_overflow(x, (uint64_t)(*q - '0'), &x);
            }
        }
        if (p < end && !is_space(*p) && *p != '\n') {
            ok = false; /* a character that is not a digit: skip the rest of the token */
            while (p < end && !is_space(*p) && *p != '\n') p++;
            continue;
        }
        if (p == digits || over || x > (neg ? UINT64_C(0x80000000) : r->max)) {
            ok = false;
            continue;
        }
        v[col - 1] = neg ? (uint32_t)(-(int64_t)x) : x;
    }
    *kind = col == 0 ? LINE_BLANK : ok && col == cols->ncols ? LINE_GOOD : LINE_BAD;
    return p + 1;
}

/* A record from one good line's values: every field the line had, and only those, is
 * known. */
static bool add_record(const struct procfs_columns *cols, struct snapshot *s, const uint64_t *v)
{
    const struct sysv_kind *sk = kind_of(cols->cls)->sysv;
    /* the element count sizes the element pool; an unknown count gives an empty set */
    uint32_t nelems = cols->element_col >= 0 ? (uint32_t)v[cols->element_col] : 0;
    void *r = sk->add_empty(s, nelems);
    if (!r) return false;
    for (int c = 0; c < cols->ncols; c++)
        if (cols->read[c].field) kind_field_set(cols->read[c].field, r, v[c]);
    ((struct ipc_common *)r)->valid = cols->valid;
    return true;
}

int procfs_parse_lines(const struct procfs_columns *cols, const char *buf, size_t len,
                       struct snapshot *s, struct procfs_parse_result *res)
{
    const char *p = buf, *end = buf + len;
    uint64_t v[PROCFS_MAX_COLS];
    while (p < end) {
        enum line_kind kind;
        p = scan_line(cols, p, end, v, &kind);
        if (kind == LINE_BLANK) continue;
        if (kind == LINE_BAD) {
            res->bad_lines++;
            continue;
        }
        if (!add_record(cols, s, v)) return -1;
        res->records++;
    }
    return 0;
}

static int parse_table(enum ipc_class cls, const char *buf, size_t len, struct snapshot *s,
                       struct procfs_parse_result *res)
{
    struct procfs_columns cols;
    res->records = res->bad_lines = 0;
    long h = procfs_parse_header(cls, buf, len, &cols);
    if (h < 0) return -1;
    return procfs_parse_lines(&cols, buf + h, len - (size_t)h, s, res);
}

int procfs_parse(enum ipc_class cls, const char *buf, size_t len, struct snapshot *s,
                 struct procfs_parse_result *res)
{
    return parse_table(cls, buf, len, s, res);
}
