/* A dump's text: the lines of a range, window after window (hexwin.h). */
#include "hexwin.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BPL 16

struct printer {
    FILE *out;
    int offw;
    struct hex_line pending; /* a span (hole, not resident, unreadable) that may go on */
    bool star;               /* the last line printed is a "*" ending at star_end */
    uint64_t star_end;
};

static void put_span(struct printer *p, const struct hex_line *l)
{
    char text[320];
    hexdump_format_span(text, sizeof text, p->offw, l);
    fprintf(p->out, "%s\n", text);
}

static void flush(struct printer *p)
{
    if (p->pending.len) put_span(p, &p->pending);
    p->pending.len = 0;
}

/* One line of a window, joined to the one before when it goes on with it. */
static void print_line(struct printer *p, const struct hexwin_line *l)
{
    if (l->kind == HL_SQUEEZED) {
        if (p->star && p->star_end == l->off) {
            p->star_end = l->off + l->len; /* the same run, cut by the window's end */
            return;
        }
        flush(p);
        fputs("*\n", p->out);
        p->star = true;
        p->star_end = l->off + l->len;
        return;
    }
    p->star = false;
    if (l->kind != HL_DATA) {
        if (p->pending.len && p->pending.kind == l->kind &&
            p->pending.off + p->pending.len == l->off) {
            p->pending.len += l->len;
            return;
        }
        flush(p);
        p->pending = (struct hex_line){l->kind, l->off, l->len};
        return;
    }
    flush(p);
    char text[256];
    hexdump_format_data(text, sizeof text, p->offw, l->off, l->bytes, l->nbytes, BPL);
    fprintf(p->out, "%s\n", text);
}

int hexwin_print(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t lo, uint64_t hi,
                 int offw, size_t want, FILE *out, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    struct hexwin_source range = *s;
    if (hi < range.size) range.size = hi; /* nothing after hi is read */
    struct hexwin w;
    if (want == 0) want = 1;
    if (!hexwin_init(&w, want + 1)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct printer p = {out, offw, {HL_DATA, 0, 0}, false, 0};
    struct hexwin_line prev; /* the last data line, while only equal lines followed it */
    bool have_prev = false;
    int status = 0;
    char e[512];
    for (uint64_t top = lo; top < range.size && !ferror(out);) {
        if (hexwin_build_after(&range, sc, top, have_prev ? &prev : NULL, BPL, want, &w, e,
                               sizeof e) < 0) {
            snprintf(err, errlen, "%s", e);
            status = -1;
            break;
        }
        if (e[0] && status == 0) {
            snprintf(err, errlen, "%s", e); /* unreadable bytes: shown, and said once */
            status = 1;
        }
        if (w.n == 0) {
            snprintf(err, errlen, "the segment ended at offset %" PRIu64 ", before %" PRIu64, top,
                     range.size);
            status = -1;
            break;
        }
        for (size_t i = 0; i < w.n; i++) {
            const struct hexwin_line *l = &w.lines[i];
            print_line(&p, l);
            if (l->kind == HL_DATA) {
                prev = *l;
                have_prev = true;
            } else if (l->kind != HL_SQUEEZED) {
                have_prev = false; /* no squeezing across a span, as hexdump_lines */
            }
        }
        const struct hexwin_line *last = &w.lines[w.n - 1];
        top = last->off + last->len;
    }
    flush(&p);
    if (status == 0) fprintf(out, "%0*" PRIx64 "\n", offw, hi);
    hexwin_free(&w);
    return status;
}
