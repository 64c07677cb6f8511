/*
 * procfs_reference — the first, plain parser of /proc/sysvipc text (as ipctop had it before
 * the parser in src/collect/procfs_parse.c was made fast), kept as the oracle that the fast
 * one is checked against: the same records, the same valid bits, the same counts of bad
 * lines, for any input (tests/unit/test_procfs_parse.c, tests/fuzz/fuzz_procfs_parse.c).
 * Slow on purpose: one token at a time, a division per digit.
 */
#ifndef IPCTOP_TEST_PROCFS_REFERENCE_H
#define IPCTOP_TEST_PROCFS_REFERENCE_H

#include <string.h>

#include "kind.h"
#include "procfs_parse.h"
#include "sysv.h"

/* Parsed values of one line, indexed by field. */
struct ref_line_values {
    uint64_t present; /* FBIT(field) */
    uint64_t v[F_NFIELDS];
};

static inline bool ref_is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Next whitespace-separated token in [*p, end) without crossing a newline. */
static inline bool ref_next_token(const char **p, const char *end, const char **tok, size_t *toklen)
{
    const char *q = *p;
    while (q < end && ref_is_space(*q)) q++;
    if (q >= end || *q == '\n') {
        *p = q;
        return false;
    }
    const char *t = q;
    while (q < end && !ref_is_space(*q) && *q != '\n') q++;
    *tok = t;
    *toklen = (size_t)(q - t);
    *p = q;
    return true;
}

static inline bool ref_parse_unsigned(const char *t, size_t n, unsigned base, uint64_t max,
                                      uint64_t *out)
{
    if (n == 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(t[i] - '0');
        if (d >= base) return false;
        if (v > (max - d) / base) return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* The kernel prints keys with %d; accept any value that fits 32 bits either way. */
static inline bool ref_parse_key(const char *t, size_t n, uint64_t *out)
{
    uint64_t v;
    if (n > 0 && t[0] == '-') {
        if (!ref_parse_unsigned(t + 1, n - 1, 10, UINT64_C(0x80000000), &v)) return false;
        *out = (uint32_t)(-(int64_t)v);
        return true;
    }
    if (!ref_parse_unsigned(t, n, 10, UINT64_C(0xffffffff), &v)) return false;
    *out = v;
    return true;
}

/*
 * Maps header columns to specs: map[i] is the spec index of column i, or -1 for a column
 * this parser does not know. Returns the number of columns, or -1 when a required column
 * is missing.
 */
static inline int ref_parse_header(const char **p, const char *end, const struct procfs_col *specs,
                                   size_t nspecs, int *map)
{
    const char *tok;
    size_t len;
    int ncols = 0;
    uint64_t seen = 0;
    while (ref_next_token(p, end, &tok, &len)) {
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

/* Parses one data line; *p ends after the line's newline. False if the line is malformed. */
static inline bool ref_parse_line(const char **p, const char *end, const struct procfs_col *specs,
                                  const int *map, int ncols, struct ref_line_values *lv)
{
    const char *tok;
    size_t len;
    bool ok = true;
    int col = 0;
    /* a column the header lacks must read as 0 in the record (its valid bit stays clear) */
    memset(lv, 0, sizeof *lv);
    while (ref_next_token(p, end, &tok, &len)) {
        if (col >= ncols) {
            ok = false;
            continue;
        }
        int si = map[col++];
        if (si < 0 || !ok) continue;
        const struct procfs_col *sp = &specs[si];
        uint64_t v;
        bool good = sp->how == PH_KEY   ? ref_parse_key(tok, len, &v)
                    : sp->how == PH_OCT ? ref_parse_unsigned(tok, len, 8, sp->max, &v)
                                        : ref_parse_unsigned(tok, len, 10, sp->max, &v);
        if (!good) {
            ok = false;
            continue;
        }
        lv->v[sp->field] = v;
        lv->present |= FBIT(sp->field);
    }
    if (*p >= end) return false; /* no newline: the line was cut off */
    (*p)++;
    return ok && col == ncols;
}

static inline bool ref_is_blank_line(const char *p, const char *end)
{
    while (p < end && ref_is_space(*p)) p++;
    return p < end && *p == '\n';
}

/* A record of kind k from one line's values: every field the line had, and only those, is
 * known. */
static inline bool ref_add_record(const struct ipc_kind *k, struct snapshot *s,
                                  const struct ref_line_values *lv)
{
    const struct sysv_kind *sk = k->sysv;
    /* the element count sizes the element pool; an unknown count gives an empty set */
    uint32_t nelems = sk->element_count != F_NFIELDS && (lv->present & FBIT(sk->element_count))
                          ? (uint32_t)lv->v[sk->element_count]
                          : 0;
    void *r = sk->add_empty(s, nelems);
    if (!r) return false;
    uint64_t valid = 0;
    for (size_t i = 0; i < k->nfields; i++) {
        const struct kind_field *f = &k->fields[i];
        if (!(lv->present & FBIT(f->bit))) continue;
        kind_field_set(f, r, lv->v[f->bit]);
        valid |= FBIT(f->bit);
    }
    ((struct ipc_common *)r)->valid = valid;
    return true;
}

static inline long ref_procfs_parse_header(enum ipc_class cls, const char *buf, size_t len,
                                           struct procfs_columns *cols)
{
    const struct sysv_kind *k = kind_of(cls)->sysv;
    const char *p = buf;
    cols->cls = cls;
    cols->ncols = ref_parse_header(&p, buf + len, k->columns, k->ncolumns, cols->map);
    return cols->ncols < 0 ? -1 : (long)(p - buf);
}

static inline int ref_procfs_parse_lines(const struct procfs_columns *cols, const char *buf,
                                         size_t len, struct snapshot *s,
                                         struct procfs_parse_result *res)
{
    const struct ipc_kind *k = kind_of(cols->cls);
    const struct procfs_col *specs = k->sysv->columns;
    const char *p = buf, *end = buf + len;
    struct ref_line_values lv;
    while (p < end) {
        if (ref_is_blank_line(p, end)) {
            p = memchr(p, '\n', (size_t)(end - p)) + 1;
            continue;
        }
        /* ref_parse_line always consumes the whole line, good or bad */
        if (!ref_parse_line(&p, end, specs, cols->map, cols->ncols, &lv)) {
            res->bad_lines++;
            continue;
        }
        if (!ref_add_record(k, s, &lv)) return -1;
        res->records++;
    }
    return 0;
}

/* procfs_parse() of the reference: the whole text. */
static inline int ref_procfs_parse(enum ipc_class cls, const char *buf, size_t len,
                                   struct snapshot *s, struct procfs_parse_result *res)
{
    struct procfs_columns cols;
    res->records = res->bad_lines = 0;
    long h = ref_procfs_parse_header(cls, buf, len, &cols);
    if (h < 0) return -1;
    return ref_procfs_parse_lines(&cols, buf + h, len - (size_t)h, s, res);
}

#endif
