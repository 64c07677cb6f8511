/* Moving a window up: the start of the display line above a line, reading backwards within
 * a budget (hexwin.h). */
#include "hexwin.h"

#include "content.h"
#include "hexwin_runs.h"

#include <stdio.h>
#include <string.h>

/* Reads backwards through the segment, a chunk at a time, within a budget. */
struct back {
    const struct hexwin_source *s;
    struct hexwin_scratch *sc;
    uint64_t lo, hi; /* sc holds [lo, hi) */
    uint64_t floor;  /* nothing below it is looked at */
    uint64_t budget;
    bool stopped; /* over budget or a read failed: go no further */
    char *err;
    size_t errlen;
};

static bool back_have(struct back *b, uint64_t p)
{
    if (p >= b->lo && p < b->hi) return true;
    if (b->stopped || b->budget == 0 || p < b->floor) {
        b->stopped = true;
        return false;
    }
    /* the first read is small: most moves need a line or a screen */
    uint64_t want = b->hi == b->lo ? 65536 : HEXWIN_CHUNK;
    uint64_t hi = p + 1, lo = hi > want ? hi - want : 0;
    if (lo < b->floor) lo = b->floor;
    char e[256] = "";
    ssize_t got =
        b->s->read(b->s->ctx, lo, (size_t)(hi - lo), b->sc->buf, b->sc->kind, e, sizeof e);
    if (got < (ssize_t)(hi - lo)) {
        if (b->err && b->errlen && e[0]) snprintf(b->err, b->errlen, "%s", e);
        b->stopped = true;
        b->lo = b->hi = 0;
        return false;
    }
    uint64_t cost = hexwin_read_cost(b->sc->kind, (size_t)(hi - lo));
    b->budget -= cost < b->budget ? cost : b->budget;
    b->lo = lo;
    b->hi = hi;
    return true;
}

static int back_kind(struct back *b, uint64_t p)
{
    return back_have(b, p) ? b->sc->kind[p - b->lo] : -1;
}

static int back_byte(struct back *b, uint64_t p)
{
    return back_have(b, p) ? b->sc->buf[p - b->lo] : -1;
}

static uint64_t prev_line(struct back *b, uint64_t x, unsigned bpl)
{
    if (x == 0) return 0;
    int k = back_kind(b, x - 1);
    if (k < 0) return x;
    if (k != BYTE_DATA) {
        /* a span: its start (holes found by probing where that is cheap) */
        if ((k == BYTE_HOLE || k == BYTE_NOT_RESIDENT) && b->s->seek_cheap) {
            uint64_t e = hexwin_prev_data_end(b->s, x);
            return e > b->floor ? e : b->floor;
        }
        /* back through the run, a chunk at a time, until its kind changes */
        uint64_t p = x - 1;
        for (;;) {
            p = b->lo + hexwin_run_start(b->sc->kind, (size_t)(p - b->lo));
            if (p > b->lo || p == 0 || back_kind(b, p - 1) != k) return p;
            p--;
        }
    }
    /* the data line ending at x: back to the line boundary or to where data starts */
    uint64_t ls = x - 1 - (x - 1) % bpl, p = x - 1;
    while (p > ls && back_kind(b, p - 1) == BYTE_DATA) p--;
    ls = p;
    if (x - ls != bpl) return ls;
    uint8_t line[HEXWIN_MAX_BPL];
    for (unsigned i = 0; i < bpl; i++) {
        int c = back_byte(b, ls + i);
        if (c < 0) return ls;
        line[i] = (uint8_t)c;
    }
    /* lines equal to it right above: the run's start (shown as its first line, then "*") */
    uint64_t q = ls;
    while (q >= bpl) {
        bool same = true;
        if (back_have(b, q - 1) && q - bpl >= b->lo) {
            /* within what was read: compared in place */
            size_t at = (size_t)(q - bpl - b->lo);
            same = memcmp(b->sc->buf + at, line, bpl) == 0 && b->sc->kind[at] == BYTE_DATA &&
                   hexwin_run_end(b->sc->kind, at, at + bpl) == at + bpl;
        } else {
            for (unsigned i = bpl; i-- > 0 && same;) {
                uint64_t o = q - bpl + i;
                same = back_kind(b, o) == BYTE_DATA && back_byte(b, o) == line[i];
            }
        }
        if (!same) break;
        q -= bpl;
    }
    return q;
}

uint64_t hexwin_prev_lines(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t x,
                           unsigned bpl, size_t n, uint64_t max_back, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (bpl == 0 || bpl > HEXWIN_MAX_BPL) bpl = 16;
    if (x > s->size) x = s->size;
    struct back b = {s,     sc,  0,     0, x > max_back ? x - max_back : 0, HEXWIN_BACK_BUDGET,
                     false, err, errlen};
    for (size_t i = 0; i < n && x > 0; i++) {
        uint64_t p = prev_line(&b, x, bpl);
        if (p >= x) break;
        x = p;
    }
    return x;
}

uint64_t hexwin_prev_data_end(const struct hexwin_source *s, uint64_t x)
{
    if (x == 0) return 0;
    if (s->next_data(s->ctx, x - 1) == x - 1) return x;
    /* somewhere below x there is data: find a start that sees some, doubling the step */
    uint64_t step = 4096, q;
    for (;;) {
        q = x - 1 > step ? x - 1 - step : 0;
        if (s->next_data(s->ctx, q) < x) break;
        if (q == 0) return 0;
        step *= 2;
    }
    /* data in [lo, x), none in [hi, x) */
    uint64_t lo = q, hi = x - 1;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (s->next_data(s->ctx, mid) < x)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}
