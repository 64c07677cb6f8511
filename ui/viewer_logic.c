#include "viewer_logic.h"

#include "content.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool vl_scratch_init(struct vl_scratch *sc)
{
    sc->buf = malloc(VL_CHUNK);
    sc->kind = malloc(VL_CHUNK);
    if (sc->buf && sc->kind) return true;
    vl_scratch_free(sc);
    return false;
}

void vl_scratch_free(struct vl_scratch *sc)
{
    free(sc->buf);
    free(sc->kind);
    sc->buf = sc->kind = NULL;
}

/* What reading n bytes costs against a budget. Bytes that are not read (holes, pages not
 * resident) are only looked at, which is cheap (a memset, a mincore entry): 64 times less
 * than data, so that a long span is passed by reading where next_data is not cheap. */
#define SPAN_DISCOUNT 64

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
static size_t run_end(const uint8_t *kind, size_t i, size_t n)
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
static size_t run_start(const uint8_t *kind, size_t i)
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

static uint64_t read_cost(const uint8_t *kind, size_t n)
{
    uint64_t cost = 0;
    for (size_t i = 0; i < n;) {
        size_t j = run_end(kind, i, n);
        bool read = kind[i] == BYTE_DATA || kind[i] == BYTE_UNREADABLE;
        cost += read ? j - i : (j - i) / SPAN_DISCOUNT;
        i = j;
    }
    return cost;
}

/* ---- layout ------------------------------------------------------------------------------ */

/* The columns follow hexdump_format_data: "OFFSET  xx xx .. xx  xx .. xx  |ascii|", a space
 * more after every group of 8 bytes but the last. */
int vl_hex_col(int offw, unsigned i)
{
    return offw + 2 + 3 * (int)i + (int)(i / 8);
}

int vl_ascii_bar_col(int offw, unsigned bpl)
{
    return offw + 2 + 3 * (int)bpl + (int)(bpl / 8);
}

int vl_ascii_col(int offw, unsigned bpl, unsigned i)
{
    return vl_ascii_bar_col(offw, bpl) + 1 + (int)i;
}

int vl_line_width(int offw, unsigned bpl)
{
    return vl_ascii_col(offw, bpl, bpl) + 1; /* the closing '|' */
}

unsigned vl_bpl_for_width(int cols, int offw)
{
    static const unsigned choices[] = {32, 16};
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (vl_line_width(offw, choices[i]) <= cols) return choices[i];
    return 8; /* narrower terminals cut the line at the right */
}

struct vl_rows vl_area_rows(int height, int header_want, bool prompting)
{
    struct vl_rows r = {0, 0, 0, 0};
    if (height <= 0) return r;
    r.prompt = prompting ? 1 : 0;
    int left = height - r.prompt;
    /* the bytes first, then what names them, then the inspector, then the rest */
    if (left >= 2) r.header = 1, left--;
    if (left >= 3) r.inspector = 1, left--;
    while (r.header < header_want && left >= 6) r.header++, left--;
    if (left >= 6) r.inspector = 2, left--;
    r.hex = left;
    return r;
}

/* ---- building a window --------------------------------------------------------------------- */

bool vl_window_init(struct vl_window *w, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->lines = calloc(cap ? cap : 1, sizeof *w->lines);
    w->cap = w->lines ? cap : 0;
    return w->lines != NULL;
}

void vl_window_free(struct vl_window *w)
{
    free(w->lines);
    memset(w, 0, sizeof *w);
}

void vl_window_copy(struct vl_window *dst, const struct vl_window *src)
{
    size_t n = src->n < dst->cap ? src->n : dst->cap;
    memcpy(dst->lines, src->lines, n * sizeof *src->lines);
    dst->n = n;
    dst->top = src->top;
    dst->bpl = src->bpl;
    dst->complete = src->complete && n == src->n;
}

struct builder {
    struct vl_window *w;
    size_t limit; /* lines to build: the shown ones and one more */
    struct hex_squeeze sq;
};

/* Adds one line of hexdump_lines to the window, merging it into the last one when it
 * continues it (a run or a span cut by a chunk boundary). False when the window is full. */
static bool append(struct builder *b, const struct hex_line *hl, const uint8_t *buf, uint64_t base)
{
    struct vl_window *w = b->w;
    if (w->n) {
        struct vl_line *last = &w->lines[w->n - 1];
        if (hl->kind != HL_DATA && hl->kind == last->kind && last->off + last->len == hl->off) {
            last->len += hl->len;
            return true;
        }
    }
    if (w->n >= b->limit) return false;
    struct vl_line *l = &w->lines[w->n++];
    memset(l, 0, sizeof *l);
    l->kind = hl->kind;
    l->off = hl->off;
    l->len = hl->len;
    if (hl->kind == HL_DATA) {
        l->nbytes = (uint8_t)(hl->len < VL_MAX_BPL ? hl->len : VL_MAX_BPL);
        memcpy(l->bytes, buf + (hl->off - base), l->nbytes);
    } else if (hl->kind == HL_SQUEEZED && w->n >= 2) {
        /* a run always follows the data line it repeats */
        const struct vl_line *p = &w->lines[w->n - 2];
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
        size_t end = run_end(kind, i, n);
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
    uint64_t end = at + n, pl = VL_NO_PIN;
    if (pin != VL_NO_PIN && pin >= at && pin < end) {
        pl = pin - pin % bpl;
        if (pl < at) pl = at;
    }
    for (uint64_t p = at; p < end;) {
        uint64_t next = end;
        if (p % bpl && p + (bpl - p % bpl) < next) next = p + (bpl - p % bpl);
        if (pl != VL_NO_PIN && pl > p && pl < next) next = pl;
        if (p == pl) {
            b->sq.have_prev = false;
            b->sq.in_run = false;
        }
        if (!feed(b, p, buf + (p - at), kind + (p - at), (size_t)(next - p))) return false;
        p = next;
    }
    return true;
}

int vl_build(const struct vl_source *s, struct vl_scratch *sc, uint64_t top, uint64_t pin,
             unsigned bpl, size_t want, struct vl_window *w, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (bpl == 0 || bpl > VL_MAX_BPL) bpl = 16;
    struct builder b = {w, want + 1 < w->cap ? want + 1 : w->cap, {0}};
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
        if (used >= VL_LOOKAHEAD) {
            if (w->n && w->lines[w->n - 1].kind != HL_DATA) w->lines[w->n - 1].cut = true;
            break;
        }
        uint64_t len = chunk < VL_CHUNK ? chunk : VL_CHUNK;
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
        used += read_cost(sc->kind, (size_t)got);
        if (chunk < VL_CHUNK) chunk *= 16;
        uint64_t cend = at + (uint64_t)got;
        if (!feed_chunk(&b, at, sc->buf, sc->kind, (size_t)got, pin)) break;
        at = cend;
        /* a hole or pages not resident up to here: where the data resumes, without reading
         * (where that is cheap; else the next chunks are read, at the span's discount) */
        struct vl_line *last = &w->lines[w->n - 1];
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

long vl_line_of(const struct vl_window *w, uint64_t off)
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
    const struct vl_line *l = &w->lines[lo - 1];
    return off < l->off + l->len ? (long)(lo - 1) : -1;
}

bool vl_byte_at(const struct vl_window *w, uint64_t off, uint8_t *b)
{
    long i = vl_line_of(w, off);
    if (i < 0) return false;
    const struct vl_line *l = &w->lines[i];
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

size_t vl_bytes_from(const struct vl_window *w, uint64_t off, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && vl_byte_at(w, off + n, &out[n])) n++;
    return n;
}

void vl_mark_changes(const struct vl_window *before, struct vl_window *now, bool carry)
{
    for (size_t k = 0; k < now->n; k++) {
        struct vl_line *l = &now->lines[k];
        l->changed = 0;
        if (l->kind != HL_DATA) continue;
        for (unsigned i = 0; i < l->nbytes; i++) {
            uint64_t o = l->off + i;
            uint8_t old;
            if (vl_byte_at(before, o, &old) && old != l->bytes[i]) l->changed |= 1u << i;
            if (carry) {
                long j = vl_line_of(before, o);
                if (j >= 0 && before->lines[j].kind == HL_DATA &&
                    (before->lines[j].changed >> (o - before->lines[j].off) & 1))
                    l->changed |= 1u << i;
            }
        }
    }
}

uint64_t vl_next_top(const struct vl_window *w)
{
    if (w->n == 0) return w->top;
    if (w->n == 1) {
        const struct vl_line *l = &w->lines[0];
        return w->complete ? w->top : l->off + l->len;
    }
    const struct vl_line *l1 = &w->lines[1];
    if (l1->kind != HL_SQUEEZED) return l1->off;
    /* "*" right below: the line after the run, so that moving down passes it at once */
    if (w->n >= 3) return w->lines[2].off;
    return w->complete ? w->top : l1->off + l1->len;
}

/* ---- moving up ------------------------------------------------------------------------------ */

/* Reads backwards through the segment, a chunk at a time, within a budget. */
struct back {
    const struct vl_source *s;
    struct vl_scratch *sc;
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
    uint64_t want = b->hi == b->lo ? 65536 : VL_CHUNK;
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
    uint64_t cost = read_cost(b->sc->kind, (size_t)(hi - lo));
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
            uint64_t e = vl_prev_data_end(b->s, x);
            return e > b->floor ? e : b->floor;
        }
        /* back through the run, a chunk at a time, until its kind changes */
        uint64_t p = x - 1;
        for (;;) {
            p = b->lo + run_start(b->sc->kind, (size_t)(p - b->lo));
            if (p > b->lo || p == 0 || back_kind(b, p - 1) != k) return p;
            p--;
        }
    }
    /* the data line ending at x: back to the line boundary or to where data starts */
    uint64_t ls = x - 1 - (x - 1) % bpl, p = x - 1;
    while (p > ls && back_kind(b, p - 1) == BYTE_DATA) p--;
    ls = p;
    if (x - ls != bpl) return ls;
    uint8_t line[VL_MAX_BPL];
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
                   run_end(b->sc->kind, at, at + bpl) == at + bpl;
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

uint64_t vl_prev_lines(const struct vl_source *s, struct vl_scratch *sc, uint64_t x, unsigned bpl,
                       size_t n, uint64_t max_back, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (bpl == 0 || bpl > VL_MAX_BPL) bpl = 16;
    if (x > s->size) x = s->size;
    struct back b = {s,     sc,  0,     0, x > max_back ? x - max_back : 0, VL_BACK_BUDGET,
                     false, err, errlen};
    for (size_t i = 0; i < n && x > 0; i++) {
        uint64_t p = prev_line(&b, x, bpl);
        if (p >= x) break;
        x = p;
    }
    return x;
}

uint64_t vl_prev_data_end(const struct vl_source *s, uint64_t x)
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

/* ---- inspector --------------------------------------------------------------------------- */

void vl_inspect_u8(char *out, size_t len, const uint8_t *b, size_t avail)
{
    if (!avail) {
        snprintf(out, len, "%s", "");
        return;
    }
    snprintf(out, len, "u8 %u i8 %d", b[0], (int)(int8_t)b[0]);
}

static uint64_t load(const uint8_t *b, unsigned n, bool big)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)b[big ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

void vl_inspect_order(char *out, size_t len, const uint8_t *b, size_t avail, bool big)
{
    size_t o = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(out + o, o < len ? len - o : 0, __VA_ARGS__);                            \
        if (w_ > 0) o += (size_t)w_;                                                               \
    } while (0)
    if (len) out[0] = '\0';
    /* the signed value only when it differs, to keep the line short enough for 80 columns */
    if (avail >= 2) {
        uint16_t v = (uint16_t)load(b, 2, big);
        PUT("u16 %u", v);
        if ((int16_t)v < 0) PUT(" (i16 %d)", (int)(int16_t)v);
    }
    if (avail >= 4) {
        uint32_t v = (uint32_t)load(b, 4, big);
        PUT("  u32 %" PRIu32, v);
        if ((int32_t)v < 0) PUT(" (i32 %" PRId32 ")", (int32_t)v);
    }
    if (avail >= 8) {
        uint64_t v = load(b, 8, big);
        PUT("  u64 %" PRIu64, v);
        if ((int64_t)v < 0) PUT(" (i64 %" PRId64 ")", (int64_t)v);
    }
    if (avail >= 4) {
        uint32_t v = (uint32_t)load(b, 4, big);
        float f;
        memcpy(&f, &v, sizeof f);
        PUT("  f32 %g", (double)f);
    }
    if (avail >= 8) {
        uint64_t v = load(b, 8, big);
        double d;
        memcpy(&d, &v, sizeof d);
        PUT("  f64 %g", d);
    }
#undef PUT
}

/* ---- goto and search ------------------------------------------------------------------------ */

bool vl_write_path(const char *typed, const char *home, char *out, size_t len)
{
    int n;
    if (typed[0] == '~' && typed[1] == '/' && home && *home)
        n = snprintf(out, len, "%s/%s", home, typed + 2);
    else
        n = snprintf(out, len, "%s", typed);
    return n >= 0 && (size_t)n < len;
}

bool vl_parse_offset(const char *text, uint64_t *off)
{
    while (isspace((unsigned char)*text)) text++;
    int base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (!isxdigit((unsigned char)*text)) return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, base);
    if (errno || end == text) return false;
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 10, end++; break;
    case 'M': shift = 20, end++; break;
    case 'G': shift = 30, end++; break;
    default: break;
    }
    while (isspace((unsigned char)*end)) end++;
    if (*end) return false;
    if (shift && v > (UINT64_MAX >> shift)) return false;
    *off = (uint64_t)v << shift;
    return true;
}

/* The first match in buf made only of data bytes, or -1: looked for in each run of data
 * alone (a match cannot cross a byte that is not data, and a gigabyte of pages not
 * resident reads as zeros that are not worth scanning). */
static long find_forward(const uint8_t *buf, const uint8_t *kind, size_t n, const uint8_t *pat,
                         size_t plen)
{
    for (size_t i = 0; i < n;) {
        size_t end = run_end(kind, i, n);
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
        size_t start = run_start(kind, end - 1);
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

enum vl_search_result vl_search(const struct vl_source *s, struct vl_scratch *sc,
                                const uint8_t *pat, size_t plen, uint64_t from, bool backward,
                                uint64_t budget, uint64_t *found, uint64_t *resume, char *err,
                                size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (plen == 0 || plen > s->size) return VS_NOT_FOUND;
    if (from > s->size) from = s->size;
    uint64_t scanned = 0;
    char e[256];
    if (!backward) {
        uint64_t at = from;
        for (;;) {
            if (at > s->size - plen) return VS_NOT_FOUND;
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
                return VS_MORE;
            }
            uint64_t len = s->size - at < VL_CHUNK ? s->size - at : VL_CHUNK;
            e[0] = '\0';
            ssize_t got = s->read(s->ctx, at, (size_t)len, sc->buf, sc->kind, e, sizeof e);
            if (got < 0) {
                snprintf(err, errlen, "%s", e);
                return VS_ERROR;
            }
            if (got == 0) return VS_NOT_FOUND;
            long p = find_forward(sc->buf, sc->kind, (size_t)got, pat, plen);
            if (p >= 0) {
                *found = at + (uint64_t)p;
                return VS_FOUND;
            }
            scanned += read_cost(sc->kind, (size_t)got);
            if (at + (uint64_t)got >= s->size) return VS_NOT_FOUND;
            /* the next chunk overlaps by plen - 1: a match across the boundary is found */
            at += (uint64_t)got > plen - 1 ? (uint64_t)got - (plen - 1) : (uint64_t)got;
        }
    }
    /* backward: matches start before from; hi is the end of the bytes that may hold one */
    uint64_t hi = from + (plen - 1) < s->size ? from + (plen - 1) : s->size;
    for (;;) {
        if (hi < plen) return VS_NOT_FOUND;
        if (s->seek_cheap) {
            uint64_t d = vl_prev_data_end(s, hi);
            if (d < plen) return VS_NOT_FOUND;
            hi = d;
        }
        if (scanned >= budget) {
            *resume = hi - (plen - 1);
            return VS_MORE;
        }
        uint64_t lo = hi > VL_CHUNK ? hi - VL_CHUNK : 0;
        e[0] = '\0';
        ssize_t got = s->read(s->ctx, lo, (size_t)(hi - lo), sc->buf, sc->kind, e, sizeof e);
        if (got < 0) {
            snprintf(err, errlen, "%s", e);
            return VS_ERROR;
        }
        long p = find_backward(sc->buf, sc->kind, (size_t)got, pat, plen);
        if (p >= 0) {
            *found = lo + (uint64_t)p;
            return VS_FOUND;
        }
        scanned += read_cost(sc->kind, (size_t)got);
        if (lo == 0) return VS_NOT_FOUND;
        hi = lo + (plen - 1);
    }
}

/* ---- writing to a file ------------------------------------------------------------------------
 */

static int write_at(int fd, const uint8_t *p, size_t n, off_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return 0;
}

/* The mode a new file gets: 0666 less the umask (mkstemp makes 0600). */
static mode_t new_file_mode(void)
{
    mode_t m = umask(022);
    umask(m);
    return 0666 & ~m;
}

int vl_write_file(const struct vl_source *s, struct vl_scratch *sc, uint64_t lo, uint64_t hi,
                  const char *path, bool overwrite, char *err, size_t errlen)
{
    if (hi > s->size) hi = s->size;
    if (lo > hi) lo = hi;
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is a directory", path);
        return -1;
    }
    if (exists && !overwrite) {
        snprintf(err, errlen, "%s exists: not overwritten", path);
        return -1;
    }
    /* a temporary file in the same directory, so that the rename at the end is atomic */
    const char *slash = strrchr(path, '/');
    char tmp[4096];
    int n = slash ? snprintf(tmp, sizeof tmp, "%.*s/.%s.ipctop-XXXXXX", (int)(slash - path), path,
                             slash + 1)
                  : snprintf(tmp, sizeof tmp, ".%s.ipctop-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp || (slash && !slash[1])) {
        snprintf(err, errlen, "%s: not a usable file name", path);
        return -1;
    }
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a file next to %s: %s", path, strerror(errno));
        return -1;
    }
    mode_t mode = exists && S_ISREG(st.st_mode) ? st.st_mode & 07777 : new_file_mode();
    char e[256];
    int status = 0;
    for (uint64_t at = lo; at < hi && status == 0;) {
        uint64_t len = hi - at < VL_CHUNK ? hi - at : VL_CHUNK;
        e[0] = '\0';
        ssize_t got = s->read(s->ctx, at, (size_t)len, sc->buf, sc->kind, e, sizeof e);
        if (got <= 0) {
            snprintf(err, errlen, "%s", got < 0 && e[0] ? e : "the segment ended early");
            status = -1;
            break;
        }
        size_t i = 0;
        while (i < (size_t)got && status == 0) {
            uint8_t k = sc->kind[i];
            size_t j = i;
            while (j < (size_t)got && sc->kind[j] == k) j++;
            if (k == BYTE_NOT_RESIDENT || k == BYTE_UNREADABLE) {
                snprintf(err, errlen, "the bytes at offset 0x%" PRIx64 " (%" PRIu64 ") %s", at + i,
                         at + i,
                         k == BYTE_UNREADABLE
                             ? "are unreadable"
                             : "are not resident: reading them would allocate memory");
                status = -1;
            } else if (k == BYTE_DATA &&
                       write_at(fd, sc->buf + i, j - i, (off_t)(at + i - lo)) < 0) {
                snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
                status = -1;
            } /* a hole stays a hole of the file: nothing written */
            i = j;
        }
        if (status) break;
        uint64_t cend = at + (uint64_t)got;
        at = cend;
        /* the chunk ended in a hole: jump to where the data resumes */
        if (sc->kind[got - 1] == BYTE_HOLE && cend < hi) {
            uint64_t d = s->next_data(s->ctx, cend);
            if (d > cend) at = d < hi ? d : hi;
        }
    }
    if (status == 0 &&
        (ftruncate(fd, (off_t)(hi - lo)) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0)) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        status = -1;
    }
    if (close(fd) < 0 && status == 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        status = -1;
    }
    bool renamed = false;
    if (status == 0) {
        int r, le;
        if (overwrite) {
            r = rename(tmp, path);
            le = errno;
            renamed = r == 0;
        } else {
            /* link, not rename: a file that appeared meanwhile is not replaced */
            r = link(tmp, path);
            le = errno;
            if (r < 0 && (le == EPERM || le == EOPNOTSUPP || le == EMLINK)) {
                /* a file system without hard links: check, then rename */
                if (lstat(path, &st) == 0)
                    le = EEXIST;
                else if ((r = rename(tmp, path)) == 0)
                    renamed = true;
                else
                    le = errno;
            }
        }
        if (r < 0) {
            if (le == EEXIST)
                snprintf(err, errlen, "%s exists: not overwritten", path);
            else
                snprintf(err, errlen, "cannot write %s: %s", path, strerror(le));
            status = -1;
        }
    }
    /* after link, the temporary name; after a failure, the whole file */
    if (!renamed) unlink(tmp);
    return status;
}
