/* Searching a segment's data bytes in bounded steps (hexwin.h). */
#include "hexwin.h"

#include "content.h"
#include "hexwin_runs.h"

#include <stdio.h>
#include <string.h>

/* The first match in buf made only of data bytes, or -1: looked for in each run of data
 * alone (a match cannot cross a byte that is not data, and a gigabyte of pages not
 * resident reads as zeros that are not worth scanning). */
static long find_forward(const uint8_t *buf, const uint8_t *kind, size_t n, const uint8_t *pat,
                         size_t plen)
{
    for (size_t i = 0; i < n;) {
        size_t end = hexwin_run_end(kind, i, n);
        if (kind[i] == BYTE_DATA && end - i >= plen) {
            const uint8_t *m = memmem(buf + i, end - i, pat, plen);
            if (m) return (long)(m - buf);
        }
        i = end;
    }
    return -1;
}

/* The last match in buf made only of data bytes, or -1. */
static long find_backward(const uint8_t *buf, const uint8_t *kind, size_t n, const uint8_t *pat,
                          size_t plen)
{
    for (size_t end = n; end > 0;) {
        size_t start = hexwin_run_start(kind, end - 1);
        if (kind[start] == BYTE_DATA && end - start >= plen) {
            size_t lim = end - plen + 1; /* candidate starts: [start, lim) */
            while (lim > start) {
                const uint8_t *m = memrchr(buf + start, pat[0], lim - start);
                if (!m) break;
                size_t p = (size_t)(m - buf);
                if (memcmp(buf + p, pat, plen) == 0) return (long)p;
                lim = p;
            }
        }
        end = start;
    }
    return -1;
}

enum hexwin_search_result hexwin_search(const struct hexwin_source *s, struct hexwin_scratch *sc,
                                        const uint8_t *pat, size_t plen, uint64_t from,
                                        bool backward, uint64_t budget, uint64_t *found,
                                        uint64_t *resume, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (plen == 0 || plen > s->size) return HS_NOT_FOUND;
    if (from > s->size) from = s->size;
    uint64_t scanned = 0;
    char e[256];
    if (!backward) {
        uint64_t at = from;
        for (;;) {
            if (at > s->size - plen) return HS_NOT_FOUND;
            /* a hole or pages not resident: nothing to find there. Skipped with next_data
             * on every path: on the attaching path it costs a mincore scan up to the data
             * (about 12 ms a gigabyte), still less than looking at the pages chunk by chunk */
            uint64_t d = s->next_data(s->ctx, at);
            if (d > at) {
                at = d;
                continue;
            }
            if (scanned >= budget) {
                *resume = at;
                return HS_MORE;
            }
            uint64_t len = s->size - at < HEXWIN_CHUNK ? s->size - at : HEXWIN_CHUNK;
            e[0] = '\0';
            ssize_t got = s->read(s->ctx, at, (size_t)len, sc->buf, sc->kind, e, sizeof e);
            if (got < 0) {
                snprintf(err, errlen, "%s", e);
                return HS_ERROR;
            }
            if (got == 0) return HS_NOT_FOUND;
            long p = find_forward(sc->buf, sc->kind, (size_t)got, pat, plen);
            if (p >= 0) {
                *found = at + (uint64_t)p;
                return HS_FOUND;
            }
            scanned += hexwin_read_cost(sc->kind, (size_t)got);
            if (at + (uint64_t)got >= s->size) return HS_NOT_FOUND;
            /* the next chunk overlaps by plen - 1: a match across the boundary is found */
            at += (uint64_t)got > plen - 1 ? (uint64_t)got - (plen - 1) : (uint64_t)got;
        }
    }
    /* backward: matches start before from; hi is the end of the bytes that may hold one */
    uint64_t hi = from + (plen - 1) < s->size ? from + (plen - 1) : s->size;
    for (;;) {
        if (hi < plen) return HS_NOT_FOUND;
        if (s->seek_cheap) {
            uint64_t d = hexwin_prev_data_end(s, hi);
            if (d < plen) return HS_NOT_FOUND;
            hi = d;
        }
        if (scanned >= budget) {
            *resume = hi - (plen - 1);
            return HS_MORE;
        }
        uint64_t lo = hi > HEXWIN_CHUNK ? hi - HEXWIN_CHUNK : 0;
        e[0] = '\0';
        ssize_t got = s->read(s->ctx, lo, (size_t)(hi - lo), sc->buf, sc->kind, e, sizeof e);
        if (got < 0) {
            snprintf(err, errlen, "%s", e);
            return HS_ERROR;
        }
        long p = find_backward(sc->buf, sc->kind, (size_t)got, pat, plen);
        if (p >= 0) {
            *found = lo + (uint64_t)p;
            return HS_FOUND;
        }
        scanned += hexwin_read_cost(sc->kind, (size_t)got);
        if (lo == 0) return HS_NOT_FOUND;
        hi = lo + (plen - 1);
    }
}
