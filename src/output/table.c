#include "table.h"

#include "format.h"

#include <langinfo.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void table_init(struct table *t, const struct table_col *cols, size_t ncols, size_t rows_hint)
{
    memset(t, 0, offsetof(struct table, scratch));
    t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    table_reset(t, cols, ncols, rows_hint);
}

void table_reset(struct table *t, const struct table_col *cols, size_t ncols, size_t rows_hint)
{
    t->cols = cols;
    t->ncols = ncols;
    t->ncells = t->len = 0;
    t->failed = false;
    size_t want = rows_hint * ncols;
    /* sized for the usual table, cells of about 8 bytes; they grow if need be */
    if (want > t->cells_cap) {
        struct table_cell *c = realloc(t->cells, want * sizeof *c);
        if (c) t->cells = c, t->cells_cap = want;
    }
    if (want * 8 + TABLE_CELL_MAX + 1 > t->cap) {
        char *x = realloc(t->text, want * 8 + TABLE_CELL_MAX + 1);
        if (x) t->text = x, t->cap = want * 8 + TABLE_CELL_MAX + 1;
    }
}

void table_free(struct table *t)
{
    free(t->cells);
    free(t->text);
    t->cells = NULL;
    t->text = NULL;
    t->ncells = t->cells_cap = t->len = t->cap = 0;
}

size_t table_rows(const struct table *t)
{
    return t->ncols ? t->ncells / t->ncols : 0;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

char *table_cell_room(struct table *t, size_t max)
{
    if (max > TABLE_CELL_MAX) max = TABLE_CELL_MAX;
    if (t->failed || !grow((void **)&t->text, &t->cap, t->len + max + 1, 1) ||
        !grow((void **)&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells) ||
        t->len + max + 1 > UINT32_MAX) {
        t->failed = true;
        t->scratch[0] = '\0';
        return t->scratch;
    }
    t->text[t->len] = '\0';
    return t->text + t->len;
}

int table_text_width(const char *s, size_t len, bool utf8)
{
    int w = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            w++, i++;
            continue;
        }
        size_t l = utf8_char_len((const unsigned char *)s + i, len - i);
        if (l == 0) l = 1; /* not sanitized text: a byte a column */
        if (utf8) {
            wchar_t wc;
            size_t r = mbrtowc(&wc, s + i, l, &st);
            if (r == l) {
                int cw = wcwidth(wc);
                /* a character the locale cannot measure still takes a column somewhere */
                w += cw < 0 ? 1 : cw;
            } else {
                memset(&st, 0, sizeof st);
                w++;
            }
        } else {
            w++; /* a locale that is not UTF-8: a character a column */
        }
        i += l;
    }
    return w;
}

void table_cell_done(struct table *t)
{
    if (t->failed) return;
    char *s = t->text + t->len;
    /* the length and whether it is printable ASCII only (the usual cell, a byte a column),
     * in one pass over a few bytes */
    bool plain = true;
    size_t len = 0;
    for (; len < TABLE_CELL_MAX && s[len]; len++)
        plain &= (unsigned char)s[len] >= 0x20 && (unsigned char)s[len] < 0x7f;
    size_t width = len;
    if (!plain) {
        /* controls (C0, DEL, C1) and bytes that are not UTF-8 never reach the output */
        char safe[TABLE_CELL_MAX + 1];
        sanitize_text(safe, sizeof safe, s, len);
        size_t sl = strlen(safe);
        if (sl != len || memcmp(safe, s, len) != 0) {
            if (!grow((void **)&t->text, &t->cap, t->len + sl + 1, 1)) {
                t->failed = true;
                return;
            }
            s = t->text + t->len;
            memcpy(s, safe, sl);
            len = sl;
        }
        width = (size_t)table_text_width(s, len, t->utf8);
    }
    struct table_cell *c = &t->cells[t->ncells++];
    c->off = (uint32_t)t->len;
    c->len = (uint16_t)len;
    c->width = (uint16_t)width;
    t->len += len;
}

void table_add(struct table *t, const char *s)
{
    size_t n = strlen(s);
    char *room = table_cell_room(t, n);
    size_t keep = n > TABLE_CELL_MAX ? TABLE_CELL_MAX : n;
    /* never half a character */
    while (keep < n && keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80) keep--;
    memcpy(room, s, keep);
    room[keep] = '\0';
    table_cell_done(t);
}

/* ---- writing ---------------------------------------------------------------------------- */

#define OUT_SIZE 65536

struct out {
    FILE *f;
    size_t n;
    bool failed;
    char buf[OUT_SIZE];
};

static void out_flush(struct out *o)
{
    if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->f) != o->n) o->failed = true;
    o->n = 0;
}

static inline void out_room(struct out *o, size_t need)
{
    if (o->n + need > OUT_SIZE) out_flush(o);
}

static inline void out_bytes(struct out *o, const char *s, size_t n)
{
    out_room(o, n);
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static inline void out_spaces(struct out *o, size_t n)
{
    while (n) {
        size_t k = n < 256 ? n : 256;
        out_room(o, k);
        memset(o->buf + o->n, ' ', k);
        o->n += k;
        n -= k;
    }
}

/* lsipc's raw escaping (util-linux fputs_nonblank): blanks, '\' and every byte that is
 * not printable ASCII as \xHH */
static void out_raw(struct out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    out_room(o, 4 * n);
    char *p = o->buf + o->n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > 0x20 && c < 0x7f && c != '\\') {
            *p++ = (char)c;
        } else {
            *p++ = '\\';
            *p++ = 'x';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xf];
        }
    }
    o->n = (size_t)(p - o->buf);
}

/* One line of aligned cells: text[i] of len[i] bytes and width[i] columns. Padding is
 * held back until something follows it, so that no line ends in a blank. linemax: the most
 * bytes a line can take. */
static void out_aligned(struct out *o, const struct table *t, const int *colw,
                        const char *const *text, const size_t *len, const int *width,
                        size_t linemax)
{
    if (linemax <= OUT_SIZE) {
        /* the usual line: straight into the buffer */
        out_room(o, linemax);
        char *p = o->buf + o->n;
        size_t pending = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) pending++;
            size_t pad = (size_t)(colw[c] - width[c]);
            if (t->cols[c].right) pending += pad;
            if (len[c]) {
                for (; pending; pending--) *p++ = ' ';
                memcpy(p, text[c], len[c]);
                p += len[c];
            }
            if (!t->cols[c].right) pending += pad;
        }
        *p++ = '\n';
        o->n = (size_t)(p - o->buf);
        return;
    }
    size_t pending = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) pending++;
        size_t pad = (size_t)(colw[c] - width[c]);
        if (t->cols[c].right) pending += pad;
        if (len[c]) {
            out_spaces(o, pending);
            pending = 0;
            out_bytes(o, text[c], len[c]);
        }
        if (!t->cols[c].right) pending += pad;
    }
    out_bytes(o, "\n", 1);
}

static void out_raw_line(struct out *o, const struct table *t, const char *const *text,
                         const size_t *len)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) out_bytes(o, " ", 1);
        out_raw(o, text[c], len[c]);
    }
    out_bytes(o, "\n", 1);
}

int table_write(const struct table *t, FILE *f, unsigned flags)
{
    if (t->failed) return -1;
    if (t->ncols == 0) return 0;
    size_t nrows = table_rows(t);
    int *colw = calloc(t->ncols, sizeof *colw);
    const char **text = calloc(t->ncols, sizeof *text);
    size_t *len = calloc(t->ncols, sizeof *len);
    int *width = calloc(t->ncols, sizeof *width);
    struct out *o = malloc(sizeof *o);
    int r = -1;
    if (!colw || !text || !len || !width || !o) goto out;
    o->f = f;
    o->n = 0;
    o->failed = false;
    bool raw = flags & TABLE_RAW, heads = !(flags & TABLE_NOHEADINGS);
    /* a line's bytes at most: per column its widest padding and its longest cell, the
     * separators and the newline */
    size_t linemax = t->ncols + 1;
    if (!raw) {
        for (size_t c = 0; c < t->ncols; c++) {
            size_t hl = strlen(t->cols[c].header);
            colw[c] = heads ? table_text_width(t->cols[c].header, hl, t->utf8) : 0;
            len[c] = heads ? hl : 0; /* the longest so far */
        }
        for (size_t row = 0; row < nrows; row++) {
            const struct table_cell *cell = &t->cells[row * t->ncols];
            for (size_t c = 0; c < t->ncols; c++) {
                if (cell[c].width > colw[c]) colw[c] = cell[c].width;
                if (cell[c].len > len[c]) len[c] = cell[c].len;
            }
        }
        for (size_t c = 0; c < t->ncols; c++) linemax += (size_t)colw[c] + len[c];
    }
    if (heads) {
        for (size_t c = 0; c < t->ncols; c++) {
            text[c] = t->cols[c].header;
            len[c] = strlen(text[c]);
            width[c] = table_text_width(text[c], len[c], t->utf8);
        }
        if (raw)
            out_raw_line(o, t, text, len);
        else
            out_aligned(o, t, colw, text, len, width, linemax);
    }
    for (size_t row = 0; row < nrows; row++) {
        const struct table_cell *cell = &t->cells[row * t->ncols];
        for (size_t c = 0; c < t->ncols; c++) {
            text[c] = t->text + cell[c].off;
            len[c] = cell[c].len;
            width[c] = cell[c].width;
        }
        if (raw)
            out_raw_line(o, t, text, len);
        else
            out_aligned(o, t, colw, text, len, width, linemax);
    }
    out_flush(o);
    r = o->failed ? -1 : 0;
out:
    free(colw);
    free(text);
    free(len);
    free(width);
    free(o);
    return r;
}
