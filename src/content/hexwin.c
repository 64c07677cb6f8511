#include "hexwin.h"

#include "content.h"
#include "hexwin_runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hexwin_scratch_init(struct hexwin_scratch *sc)
{
    sc->buf = malloc(HEXWIN_CHUNK);
    sc->kind = malloc(HEXWIN_CHUNK);
    if (sc->buf && sc->kind) return true;
    hexwin_scratch_free(sc);
    return false;
}

void hexwin_scratch_free(struct hexwin_scratch *sc)
{
    free(sc->buf);
    free(sc->kind);
    sc->buf = sc->kind = NULL;
}

/* Runs of equal kinds: a span of a gigabyte is looked at a megabyte at a time, so runs are
 * compared a block at a time against a block of the same kind. */
#define KIND_BLOCK 512
static const uint8_t *kind_block(uint8_t k)
{
    static uint8_t blocks[BYTE_UNREADABLE + 1][KIND_BLOCK];
    static bool ready;
    if (!ready) {
        for (int i = 0; i <= BYTE_UNREADABLE; i++) memset(blocks[i], i, KIND_BLOCK);
        ready = true;
    }
    return k <= BYTE_UNREADABLE ? blocks[k] : NULL;
}

/* The end of the run of equal kinds starting at i. */

size_t hexwin_run_end(const uint8_t *kind, size_t i, size_t n)
{
    uint8_t k = kind[i];
    const uint8_t *block = kind_block(k);
    size_t j = i + 1;
    if (block)
        while (j + KIND_BLOCK <= n && memcmp(kind + j, block, KIND_BLOCK) == 0) j += KIND_BLOCK;
    while (j < n && kind[j] == k) j++;
    return j;
}

/* The start of the run of equal kinds ending at i (inclusive). */
size_t hexwin_run_start(const uint8_t *kind, size_t i)
{
    uint8_t k = kind[i];
    const uint8_t *block = kind_block(k);
    size_t j = i; /* kind[j..i] are k */
    if (block)
        while (j >= KIND_BLOCK && memcmp(kind + j - KIND_BLOCK, block, KIND_BLOCK) == 0)
            j -= KIND_BLOCK;
    while (j > 0 && kind[j - 1] == k) j--;
    return j;
}

uint64_t hexwin_read_cost(const uint8_t *kind, size_t n)
{
    uint64_t cost = 0;
    for (size_t i = 0; i < n;) {
        size_t j = hexwin_run_end(kind, i, n);
        bool read = kind[i] == BYTE_DATA || kind[i] == BYTE_UNREADABLE;
        cost += read ? j - i : (j - i) / HEXWIN_SPAN_DISCOUNT;
        i = j;
    }
    return cost;
}

/* ---- building a window --------------------------------------------------------------------- */

bool hexwin_init(struct hexwin *w, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->lines = calloc(cap ? cap : 1, sizeof *w->lines);
    w->cap = w->lines ? cap : 0;
    return w->lines != NULL;
}

void hexwin_free(struct hexwin *w)
{
    free(w->lines);
    memset(w, 0, sizeof *w);
}

void hexwin_copy(struct hexwin *dst, const struct hexwin *src)
{
    size_t n = src->n < dst->cap ? src->n : dst->cap;
    memcpy(dst->lines, src->lines, n * sizeof *src->lines);
    dst->n = n;
    dst->top = src->top;
    dst->bpl = src->bpl;
    dst->complete = src->complete && n == src->n;
}

struct builder {
    struct hexwin *w;
    size_t limit; /* lines to build: the shown ones and one more */
    struct hex_squeeze sq;
    const struct hexwin_line *prev; /* the data line before the window (hexwin_build_after) */
};

/* Adds one line of hexdump_lines to the window, merging it into the last one when it
 * continues it (a run or a span cut by a chunk boundary). False when the window is full. */
static bool append(struct builder *b, const struct hex_line *hl, const uint8_t *buf, uint64_t base)
{
    struct hexwin *w = b->w;
    if (w->n) {
        struct hexwin_line *last = &w->lines[w->n - 1];
        if (hl->kind != HL_DATA && hl->kind == last->kind && last->off + last->len == hl->off) {
            last->len += hl->len;
            return true;
        }
    }
    if (w->n >= b->limit) return false;
    struct hexwin_line *l = &w->lines[w->n++];
    memset(l, 0, sizeof *l);
    l->kind = hl->kind;
    l->off = hl->off;
    l->len = hl->len;
    if (hl->kind == HL_DATA) {
        l->nbytes = (uint8_t)(hl->len < HEXWIN_MAX_BPL ? hl->len : HEXWIN_MAX_BPL);
        memcpy(l->bytes, buf + (hl->off - base), l->nbytes);
    } else if (hl->kind == HL_SQUEEZED && (w->n >= 2 || b->prev)) {
        /* a run always follows the data line it repeats (before the window, for the first) */
        const struct hexwin_line *p = w->n >= 2 ? &w->lines[w->n - 2] : b->prev;
        memcpy(l->bytes, p->bytes, p->nbytes);
        l->nbytes = p->nbytes;
    }
    return true;
}

static enum hex_line_kind span_kind(uint8_t k)
{
    return k == BYTE_HOLE ? HL_HOLE : k == BYTE_NOT_RESIDENT ? HL_NOT_RESIDENT : HL_UNREADABLE;
}

/* Cuts n bytes at base into lines; false once the window is full. A span is one line
 * whatever its length (made here: hexdump_lines would walk it line by line); runs of
 * data go through hexdump_lines, which squeezes. */
static bool feed(struct builder *b, uint64_t base, const uint8_t *buf, const uint8_t *kind,
                 size_t n)
{
    struct hex_line tmp[64];
    size_t i = 0;
    while (i < n) {
        size_t end = hexwin_run_end(kind, i, n);
        if (kind[i] != BYTE_DATA) {
            struct hex_line span = {span_kind(kind[i]), base + i, end - i};
            if (!append(b, &span, buf, base)) return false;
            b->sq.have_prev = false; /* as hexdump_lines: no squeezing across a span */
            b->sq.in_run = false;
            i = end;
            continue;
        }
        while (i < end) {
            size_t nl;
            size_t used = hexdump_lines(base + i, buf + i, NULL, end - i, b->w->bpl, true, &b->sq,
                                        tmp, sizeof tmp / sizeof tmp[0], &nl);
            for (size_t k = 0; k < nl; k++)
                if (!append(b, &tmp[k], buf, base)) return false;
            if (used == 0) return false;
            i += used;
        }
    }
    return b->w->n < b->limit;
}

/* feed, but the line holding pin starts afresh (shown as data even inside a run), and a
 * start that is not on a line boundary gets a short first line so that the later lines are
 * aligned. */
static bool feed_chunk(struct builder *b, uint64_t at, const uint8_t *buf, const uint8_t *kind,
                       size_t n, uint64_t pin)
{
    unsigned bpl = b->w->bpl;
    uint64_t end = at + n, pl = HEXWIN_NO_PIN;
    if (pin != HEXWIN_NO_PIN && pin >= at && pin < end) {
        pl = pin - pin % bpl;
        if (pl < at) pl = at;
    }
    for (uint64_t p = at; p < end;) {
        uint64_t next = end;
        if (p % bpl && p + (bpl - p % bpl) < next) next = p + (bpl - p % bpl);
        if (pl != HEXWIN_NO_PIN && pl > p && pl < next) next = pl;
        if (p == pl) {
            b->sq.have_prev = false;
            b->sq.in_run = false;
        }
        if (!feed(b, p, buf + (p - at), kind + (p - at), (size_t)(next - p))) return false;
        p = next;
    }
    return true;
}

static int build(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t top,
                 uint64_t pin, const struct hexwin_line *prev, unsigned bpl, size_t want,
                 struct hexwin *w, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (bpl == 0 || bpl > HEXWIN_MAX_BPL) bpl = 16;
    struct builder b = {w, want + 1 < w->cap ? want + 1 : w->cap, {0}, NULL};
    if (prev && prev->kind == HL_DATA && prev->nbytes) {
        /* lines equal to it are squeezed from the first one on */
        b.prev = prev;
        b.sq.have_prev = true;
        memcpy(b.sq.prev, prev->bytes, prev->nbytes);
        b.sq.prev_len = prev->nbytes;
    }
    w->n = 0;
    w->top = top;
    w->bpl = bpl;
    w->complete = false;
    uint64_t at = top, used = 0;
    /* first what is shown, then more only while repeated lines are being squeezed */
    uint64_t chunk = (uint64_t)(want + 1) * bpl;
    char e[256];
    while (w->n < b.limit) {
        if (at >= s->size) {
            w->complete = true;
            break;
        }
        if (used >= HEXWIN_LOOKAHEAD) {
            if (w->n && w->lines[w->n - 1].kind != HL_DATA) w->lines[w->n - 1].cut = true;
            break;
        }
        uint64_t len = chunk < HEXWIN_CHUNK ? chunk : HEXWIN_CHUNK;
        if (len > s->size - at) len = s->size - at;
        uint64_t end = at + len;
        /* chunks end on a line boundary: a line is never cut in two */
        if (end < s->size && end % bpl && end - end % bpl > at) end -= end % bpl;
        e[0] = '\0';
        ssize_t got = s->read(s->ctx, at, (size_t)(end - at), sc->buf, sc->kind, e, sizeof e);
        if (got < 0) {
            snprintf(err, errlen, "%s", e);
            return -1;
        }
        if (got == 0) {
            w->complete = true;
            break;
        }
        if (e[0] && err && !err[0]) snprintf(err, errlen, "%s", e);
        used += hexwin_read_cost(sc->kind, (size_t)got);
        if (chunk < HEXWIN_CHUNK) chunk *= 16;
        uint64_t cend = at + (uint64_t)got;
        if (!feed_chunk(&b, at, sc->buf, sc->kind, (size_t)got, pin)) break;
        at = cend;
        /* a hole or pages not resident up to here: where the data resumes, without reading
         * (where that is cheap; else the next chunks are read, at the span's discount) */
        struct hexwin_line *last = &w->lines[w->n - 1];
        if (s->seek_cheap && (last->kind == HL_HOLE || last->kind == HL_NOT_RESIDENT) &&
            last->off + last->len == cend && cend < s->size) {
            uint64_t d = s->next_data(s->ctx, cend);
            if (d > s->size) d = s->size;
            if (d > cend) {
                last->len = d - last->off;
                at = d;
            }
        }
    }
    return 0;
}

int hexwin_build(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t top,
                 uint64_t pin, unsigned bpl, size_t want, struct hexwin *w, char *err,
                 size_t errlen)
{
    return build(s, sc, top, pin, NULL, bpl, want, w, err, errlen);
}

int hexwin_build_after(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t top,
                       const struct hexwin_line *prev, unsigned bpl, size_t want, struct hexwin *w,
                       char *err, size_t errlen)
{
    return build(s, sc, top, HEXWIN_NO_PIN, prev, bpl, want, w, err, errlen);
}

long hexwin_line_of(const struct hexwin *w, uint64_t off)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) { /* the first line starting after off */
        size_t mid = lo + (hi - lo) / 2;
        if (w->lines[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return -1;
    const struct hexwin_line *l = &w->lines[lo - 1];
    return off < l->off + l->len ? (long)(lo - 1) : -1;
}

bool hexwin_byte_at(const struct hexwin *w, uint64_t off, uint8_t *b)
{
    long i = hexwin_line_of(w, off);
    if (i < 0) return false;
    const struct hexwin_line *l = &w->lines[i];
    switch (l->kind) {
    case HL_DATA:
        if (off - l->off >= l->nbytes) return false;
        *b = l->bytes[off - l->off];
        return true;
    case HL_SQUEEZED:
        if (!l->nbytes) return false;
        *b = l->bytes[(off - l->off) % l->nbytes];
        return true;
    case HL_HOLE: *b = 0; return true;
    default: return false;
    }
}

size_t hexwin_bytes_from(const struct hexwin *w, uint64_t off, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && hexwin_byte_at(w, off + n, &out[n])) n++;
    return n;
}

void hexwin_mark_changes(const struct hexwin *before, struct hexwin *now, bool carry)
{
    for (size_t k = 0; k < now->n; k++) {
        struct hexwin_line *l = &now->lines[k];
        l->changed = 0;
        if (l->kind != HL_DATA) continue;
        for (unsigned i = 0; i < l->nbytes; i++) {
            uint64_t o = l->off + i;
            uint8_t old;
            if (hexwin_byte_at(before, o, &old) && old != l->bytes[i]) l->changed |= 1u << i;
            if (carry) {
                long j = hexwin_line_of(before, o);
                if (j >= 0 && before->lines[j].kind == HL_DATA &&
                    (before->lines[j].changed >> (o - before->lines[j].off) & 1))
                    l->changed |= 1u << i;
            }
        }
    }
}

uint64_t hexwin_next_top(const struct hexwin *w)
{
    if (w->n == 0) return w->top;
    if (w->n == 1) {
        const struct hexwin_line *l = &w->lines[0];
        return w->complete ? w->top : l->off + l->len;
    }
    const struct hexwin_line *l1 = &w->lines[1];
    if (l1->kind != HL_SQUEEZED) return l1->off;
    /* "*" right below: the line after the run, so that moving down passes it at once */
    if (w->n >= 3) return w->lines[2].off;
    return w->complete ? w->top : l1->off + l1->len;
}
