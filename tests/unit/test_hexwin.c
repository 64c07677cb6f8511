/*
 * src/content/hexwin — the display lines of a segment's bytes shared by the viewer and
 * --dump — over a fake segment made of extents (data with a repeating pattern, holes,
 * pages not resident) that counts what is read: display lines over data, holes and
 * squeezed runs, reading only what is shown plus a bounded look-ahead, on segments up to
 * 64 GiB; a dump's windows one after another squeeze a run across their boundary; moving
 * up by display lines is the inverse of the forward layout; change marks; search patterns
 * as typed; searching in bounded steps across chunk boundaries, holes and both directions;
 * writing files (sparse, refusing to overwrite, never replacing what is not a regular file,
 * never leaving a partial or temporary file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "hexdump.h"
#include "hexwin.h"
#include "savefile.h"

/* ---- a fake segment ------------------------------------------------------------------------ */

struct extent {
    uint64_t off, len;
    uint8_t kind;           /* enum byte_kind */
    const uint8_t *pattern; /* data: bytes repeated from off; NULL for zeros */
    size_t plen;
};

struct fake {
    uint64_t size;
    uint8_t background; /* kind of what no extent covers (reads as zeros) */
    struct extent ext[16];
    size_t next;
    size_t reads, next_calls;
    uint64_t bytes_read;
    uint64_t max_read; /* the largest single read */
    bool fail;         /* reads fail (the segment is gone) */
};

static void fake_init(struct fake *f, uint64_t size, uint8_t background)
{
    memset(f, 0, sizeof *f);
    f->size = size;
    f->background = background;
}

static void fake_add(struct fake *f, uint64_t off, uint64_t len, uint8_t kind, const void *pattern,
                     size_t plen)
{
    assert_true(f->next < sizeof f->ext / sizeof f->ext[0]);
    f->ext[f->next++] = (struct extent){off, len, kind, pattern, plen};
}

static ssize_t fake_read(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind,
                         char *err, size_t errlen)
{
    struct fake *f = ctx;
    if (f->fail) {
        snprintf(err, errlen, "shm 7 does not exist");
        return -1;
    }
    if (off >= f->size) return 0;
    if (len > f->size - off) len = (size_t)(f->size - off);
    f->reads++;
    f->bytes_read += len;
    if (len > f->max_read) f->max_read = len;
    memset(buf, 0, len);
    memset(kind, f->background, len);
    for (size_t k = 0; k < f->next; k++) {
        const struct extent *e = &f->ext[k];
        uint64_t a = e->off > off ? e->off : off,
                 b = e->off + e->len < off + len ? e->off + e->len : off + len;
        if (a >= b) continue;
        memset(kind + (a - off), e->kind, b - a);
        if (e->pattern)
            for (uint64_t o = a; o < b; o++) buf[o - off] = e->pattern[(o - e->off) % e->plen];
        if (e->kind == BYTE_UNREADABLE)
            snprintf(err, errlen, "shm 7: unreadable at offset %llu", (unsigned long long)a);
    }
    return (ssize_t)len;
}

/* The kind at off: the last extent holding it, else the background. */
static uint8_t fake_kind(const struct fake *f, uint64_t off)
{
    uint8_t k = f->background;
    for (size_t i = 0; i < f->next; i++)
        if (off >= f->ext[i].off && off - f->ext[i].off < f->ext[i].len) k = f->ext[i].kind;
    return k;
}

static uint64_t fake_next_data(void *ctx, uint64_t off)
{
    struct fake *f = ctx;
    f->next_calls++;
    /* the kind only changes at extent boundaries: look at off and at each boundary after it */
    uint64_t best = f->size;
    uint64_t points[2 * 16 + 1];
    size_t n = 0;
    points[n++] = off;
    for (size_t i = 0; i < f->next; i++) {
        if (f->ext[i].off > off) points[n++] = f->ext[i].off;
        if (f->ext[i].off + f->ext[i].len > off) points[n++] = f->ext[i].off + f->ext[i].len;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t k = points[i] < f->size ? fake_kind(f, points[i]) : BYTE_HOLE;
        if ((k == BYTE_DATA || k == BYTE_UNREADABLE) && points[i] < best) best = points[i];
    }
    return best;
}

static struct hexwin_source source_of(struct fake *f, bool seek_cheap)
{
    return (struct hexwin_source){f, f->size, fake_read, fake_next_data, seek_cheap};
}

static struct hexwin_scratch scratch;

static int setup(void **state)
{
    (void)state;
    return hexwin_scratch_init(&scratch) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hexwin_scratch_free(&scratch);
    return 0;
}

static const uint8_t hello[] = "Hello, world! This is the viewer test.";
static const uint8_t zero[1] = {0};
static const uint8_t abc16[16] = "ABCDEFGHIJKLMNOP";

/* ---- building windows ------------------------------------------------------------------------ */

static struct hexwin win;

static void build(struct fake *f, bool cheap, uint64_t top, uint64_t pin, unsigned bpl, size_t want)
{
    struct hexwin_source s = source_of(f, cheap);
    char err[256];
    assert_int_equal(hexwin_build(&s, &scratch, top, pin, bpl, want, &win, err, sizeof err), 0);
}

static void expect_line(size_t i, enum hex_line_kind kind, uint64_t off, uint64_t len)
{
    assert_true(i < win.n);
    if (win.lines[i].kind != kind || win.lines[i].off != off || win.lines[i].len != len)
        fail_msg("line %zu: kind %d off 0x%llx len 0x%llx, expected kind %d off 0x%llx len 0x%llx",
                 i, win.lines[i].kind, (unsigned long long)win.lines[i].off,
                 (unsigned long long)win.lines[i].len, kind, (unsigned long long)off,
                 (unsigned long long)len);
}

static void test_build_text_and_squeeze(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    assert_int_equal(win.n, 5);
    assert_true(win.complete);
    expect_line(0, HL_DATA, 0, 16);
    assert_memory_equal(win.lines[0].bytes, "Hello, world! Th", 16);
    expect_line(1, HL_DATA, 16, 16);
    expect_line(2, HL_DATA, 32, 16);
    assert_memory_equal(win.lines[2].bytes, " test.\0\0\0\0\0\0\0\0\0\0", 16);
    expect_line(3, HL_DATA, 48, 16); /* the first all-zero line */
    expect_line(4, HL_SQUEEZED, 64, 4096 - 64);
    assert_int_equal(win.lines[4].nbytes, 16);
    /* only the shown lines were read, not the whole segment... unless squeezing needs it */
    assert_true(f.bytes_read <= 4096);

    /* the same at 8 and 32 bytes per line */
    build(&f, true, 0, HEXWIN_NO_PIN, 8, 20);
    expect_line(0, HL_DATA, 0, 8);
    expect_line(4, HL_DATA, 32, 8); /* " test." and two zeros */
    expect_line(5, HL_DATA, 40, 8);
    expect_line(6, HL_SQUEEZED, 48, 4096 - 48);
    build(&f, true, 0, HEXWIN_NO_PIN, 32, 20);
    expect_line(0, HL_DATA, 0, 32);
    expect_line(2, HL_DATA, 64, 32);
    expect_line(3, HL_SQUEEZED, 96, 4096 - 96);

    /* want limits the lines: the shown ones plus one */
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 2);
    assert_int_equal(win.n, 3);
    assert_false(win.complete);
}

static void test_build_reads_only_what_is_shown(void **state)
{
    (void)state;
    struct fake f;
    static uint8_t counter[256];
    for (int i = 0; i < 256; i++) counter[i] = (uint8_t)i;
    fake_init(&f, 1ull << 30, BYTE_DATA);
    fake_add(&f, 0, 1ull << 30, BYTE_DATA, counter, 251); /* no two lines alike */
    build(&f, true, 0x100000, HEXWIN_NO_PIN, 16, 20);
    assert_int_equal(win.n, 21);
    expect_line(0, HL_DATA, 0x100000, 16);
    expect_line(20, HL_DATA, 0x100000 + 20 * 16, 16);
    assert_int_equal(f.reads, 1);
    assert_int_equal(f.bytes_read, 21 * 16);
}

static void test_build_holes_and_not_resident(void **state)
{
    (void)state;
    struct fake f;
    /* 64 GiB NORESERVE, two pages written: holes shown as one line each, not read */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 0x10000, 4096, BYTE_DATA, zero, 1);
    fake_add(&f, 0x10000, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 0xf00000000ull, 4096, BYTE_DATA, abc16, 16);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    expect_line(0, HL_HOLE, 0, 0x10000);
    expect_line(1, HL_DATA, 0x10000, 16);
    assert_memory_equal(win.lines[1].bytes, "Hello, world! Th", 16);
    expect_line(2, HL_DATA, 0x10010, 16);
    expect_line(3, HL_DATA, 0x10020, 16);
    expect_line(4, HL_DATA, 0x10030, 16);
    expect_line(5, HL_SQUEEZED, 0x10040, 4096 - 0x40);
    expect_line(6, HL_HOLE, 0x11000, 0xf00000000ull - 0x11000);
    expect_line(7, HL_DATA, 0xf00000000ull, 16);
    expect_line(8, HL_SQUEEZED, 0xf00000010ull, 4096 - 16);
    expect_line(9, HL_HOLE, 0xf00001000ull, (64ull << 30) - 0xf00001000ull);
    assert_int_equal(win.n, 10);
    assert_true(win.complete);
    assert_true(f.bytes_read < 1u << 20);
    long i;

    /* the attaching path: pages not resident, the same shape (looked at, not skipped with
     * next_data, which is not cheap there) */
    fake_init(&f, 256ull << 20, BYTE_NOT_RESIDENT);
    fake_add(&f, 0x2000, 4096, BYTE_DATA, abc16, 16);
    build(&f, false, 0, HEXWIN_NO_PIN, 16, 20);
    expect_line(0, HL_NOT_RESIDENT, 0, 0x2000);
    expect_line(1, HL_DATA, 0x2000, 16);
    expect_line(2, HL_SQUEEZED, 0x2010, 4096 - 16);
    expect_line(3, HL_NOT_RESIDENT, 0x3000, (256ull << 20) - 0x3000);
    assert_int_equal(win.n, 4);
    assert_true(win.complete);
    assert_int_equal(f.next_calls, 0);
    /* 64 GiB of it: the span is cut after about HEXWIN_LOOKAHEAD * 64 bytes looked at */
    fake_init(&f, 64ull << 30, BYTE_NOT_RESIDENT);
    fake_add(&f, 0x2000, 4096, BYTE_DATA, abc16, 16);
    build(&f, false, 0, HEXWIN_NO_PIN, 16, 20);
    assert_int_equal(win.n, 4);
    assert_int_equal(win.lines[3].kind, HL_NOT_RESIDENT);
    assert_true(win.lines[3].cut);
    assert_false(win.complete);
    assert_true(win.lines[3].len >= HEXWIN_LOOKAHEAD * 60 &&
                win.lines[3].len <= HEXWIN_LOOKAHEAD * 64 + HEXWIN_CHUNK);
    assert_true(f.bytes_read <= HEXWIN_LOOKAHEAD * 64 + 2 * HEXWIN_CHUNK);
    /* moving down goes on from where it stopped */
    assert_int_equal(hexwin_next_top(&win), win.lines[1].off);

    /* unreadable bytes: a span line, and the warning is passed on */
    fake_init(&f, 8192, BYTE_DATA);
    fake_add(&f, 0, 8192, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 4096, 4096, BYTE_UNREADABLE, NULL, 0);
    struct hexwin_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(hexwin_build(&s, &scratch, 4000, HEXWIN_NO_PIN, 16, 20, &win, err, sizeof err),
                     0);
    assert_string_equal(err, "shm 7: unreadable at offset 4096");
    i = hexwin_line_of(&win, 4096);
    expect_line((size_t)i, HL_UNREADABLE, 4096, 4096);
}

static void test_build_long_run_is_cut(void **state)
{
    (void)state;
    struct fake f;
    /* 1 GiB of one repeated line: the run is cut at the look-ahead budget */
    fake_init(&f, 1ull << 30, BYTE_DATA);
    fake_add(&f, 0, 1ull << 30, BYTE_DATA, abc16, 16);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    assert_int_equal(win.n, 2);
    expect_line(0, HL_DATA, 0, 16);
    assert_int_equal(win.lines[1].kind, HL_SQUEEZED);
    assert_true(win.lines[1].cut);
    assert_false(win.complete);
    assert_true(f.bytes_read <= HEXWIN_LOOKAHEAD + HEXWIN_CHUNK);
    assert_true(f.max_read <= HEXWIN_CHUNK);
    /* moving down passes the run: the next window starts where reading stopped */
    uint64_t next = hexwin_next_top(&win);
    assert_int_equal(next, win.lines[1].off + win.lines[1].len);
}

static void test_build_pin_and_unaligned_top(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, abc16, 16);
    /* the line holding the pin is data, inside the run */
    build(&f, true, 0, 0x105, 16, 20);
    expect_line(0, HL_DATA, 0, 16);
    expect_line(1, HL_SQUEEZED, 16, 0x100 - 16);
    expect_line(2, HL_DATA, 0x100, 16);
    expect_line(3, HL_SQUEEZED, 0x110, 4096 - 0x110);
    /* the pin in the first line changes nothing */
    build(&f, true, 0, 3, 16, 20);
    expect_line(0, HL_DATA, 0, 16);
    expect_line(1, HL_SQUEEZED, 16, 4096 - 16);
    /* a top off a line boundary: a short first line, then aligned lines */
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    build(&f, true, 5, HEXWIN_NO_PIN, 16, 4);
    expect_line(0, HL_DATA, 5, 11);
    expect_line(1, HL_DATA, 16, 16);
    expect_line(2, HL_DATA, 32, 16);
}

static void test_build_error(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    f.fail = true;
    struct hexwin_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(hexwin_build(&s, &scratch, 0, HEXWIN_NO_PIN, 16, 20, &win, err, sizeof err),
                     -1);
    assert_string_equal(err, "shm 7 does not exist");
}

static void test_bytes_at(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 1ull << 20, BYTE_HOLE);
    fake_add(&f, 4096, 4096, BYTE_DATA, abc16, 16);
    build(&f, true, 4096 - 32, HEXWIN_NO_PIN, 16, 20);
    uint8_t b[8];
    assert_true(hexwin_byte_at(&win, 4096 - 1, &b[0]));
    assert_int_equal(b[0], 0); /* a hole reads as zero */
    assert_int_equal(hexwin_bytes_from(&win, 4096 - 2, b, 8), 8);
    assert_memory_equal(b, "\0\0ABCDEF", 8);
    /* inside the run: the repeated line */
    assert_int_equal(hexwin_bytes_from(&win, 4096 + 100, b, 8), 8);
    assert_memory_equal(b, "EFGHIJKL", 8);
    assert_int_equal(hexwin_line_of(&win, 0), -1); /* above the window */
    /* pages not resident are unknown (the attaching path has no holes) */
    fake_init(&f, 1ull << 20, BYTE_NOT_RESIDENT);
    fake_add(&f, 4096, 16384 - 4096, BYTE_DATA, abc16, 16);
    build(&f, false, 16384 - 32, HEXWIN_NO_PIN, 16, 20);
    assert_false(hexwin_byte_at(&win, 16384, &b[0]));
    assert_int_equal(hexwin_bytes_from(&win, 16384 - 3, b, 8), 3);
}

static void test_change_marks(void **state)
{
    (void)state;
    struct fake f;
    static uint8_t page[4096];
    memcpy(page, hello, sizeof hello - 1);
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, page, sizeof page);
    struct hexwin before;
    assert_true(hexwin_init(&before, 64));
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    hexwin_copy(&before, &win);
    page[7] = 'W';     /* in a data line */
    page[0x200] = 'x'; /* in the squeezed run: a new line appears there */
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    hexwin_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[0].changed, 1u << 7);
    long i = hexwin_line_of(&win, 0x200);
    assert_int_equal(win.lines[i].kind, HL_DATA);
    assert_int_equal(win.lines[i].changed, 1u);
    for (size_t k = 0; k < win.n; k++)
        if (k != 0 && (long)k != i) assert_int_equal(win.lines[k].changed, 0);
    /* the next read without a change: marks go (one refresh); with carry they stay */
    hexwin_copy(&before, &win);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    hexwin_mark_changes(&before, &win, true);
    assert_int_equal(win.lines[0].changed, 1u << 7);
    hexwin_copy(&before, &win);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    hexwin_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[0].changed, 0);
    /* another width: compared by offset */
    page[20] = '!';
    hexwin_copy(&before, &win);
    build(&f, true, 0, HEXWIN_NO_PIN, 8, 20);
    hexwin_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[2].changed, 1u << 4);
    hexwin_free(&before);
}

/* ---- moving up --------------------------------------------------------------------------------
 */

/* Moving up one line from each line start gives the line before it in the forward layout
 * (the run's first line for a "*", the span's start for a hole). */
static void check_prev_is_inverse(struct fake *f, bool cheap, unsigned bpl)
{
    struct hexwin all;
    assert_true(hexwin_init(&all, 4096));
    struct hexwin_source s = source_of(f, cheap);
    char err[256];
    assert_int_equal(hexwin_build(&s, &scratch, 0, HEXWIN_NO_PIN, bpl, 4000, &all, err, sizeof err),
                     0);
    assert_true(all.complete);
    for (size_t k = 1; k < all.n; k++) {
        if (all.lines[k].kind == HL_SQUEEZED) continue;
        size_t p = all.lines[k - 1].kind == HL_SQUEEZED ? k - 2 : k - 1;
        uint64_t got =
            hexwin_prev_lines(&s, &scratch, all.lines[k].off, bpl, 1, UINT64_MAX, err, sizeof err);
        if (got != all.lines[p].off)
            fail_msg("bpl %u: up from 0x%llx gave 0x%llx, expected 0x%llx", bpl,
                     (unsigned long long)all.lines[k].off, (unsigned long long)got,
                     (unsigned long long)all.lines[p].off);
    }
    hexwin_free(&all);
}

static void test_prev_lines(void **state)
{
    (void)state;
    struct fake f;
    static uint8_t mixed[64];
    for (int i = 0; i < 64; i++) mixed[i] = (uint8_t)(i < 48 ? i * 7 : 0);
    fake_init(&f, 1ull << 20, BYTE_HOLE);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 8192, 8192, BYTE_DATA, abc16, 16);
    fake_add(&f, 0x8000, 4096, BYTE_DATA, mixed, sizeof mixed);
    fake_add(&f, 0x9000, 8192, BYTE_DATA, zero, 1);
    for (unsigned bpl = 8; bpl <= 32; bpl *= 2) {
        check_prev_is_inverse(&f, true, bpl);
        check_prev_is_inverse(&f, false, bpl);
    }
    struct hexwin_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(hexwin_prev_lines(&s, &scratch, 0, 16, 1, UINT64_MAX, err, sizeof err), 0);
    assert_int_equal(hexwin_prev_lines(&s, &scratch, 0x30, 16, 2, UINT64_MAX, err, sizeof err),
                     0x10);
    assert_int_equal(hexwin_prev_lines(&s, &scratch, 0x30, 16, 10, UINT64_MAX, err, sizeof err), 0);

    /* a hole of 60 GiB above: found by probing (seek_cheap), cheaply */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 0, 4096, BYTE_DATA, abc16, 16);
    fake_add(&f, 60ull << 30, 4096, BYTE_DATA, hello, sizeof hello - 1);
    s = source_of(&f, true);
    assert_int_equal(
        hexwin_prev_lines(&s, &scratch, 60ull << 30, 16, 1, UINT64_MAX, err, sizeof err), 4096);
    assert_true(f.bytes_read <= 65536);
    assert_true(f.next_calls < 200);
    /* without cheap probing: looked at backwards within the budget (bytes not read count
     * 1/64), then stop: the span is cut there */
    f.bytes_read = 0;
    s = source_of(&f, false);
    uint64_t up = hexwin_prev_lines(&s, &scratch, 60ull << 30, 16, 1, UINT64_MAX, err, sizeof err);
    assert_true(up < 60ull << 30 && up >= (60ull << 30) - 64 * HEXWIN_BACK_BUDGET - HEXWIN_CHUNK);
    assert_true(f.bytes_read <= 64 * HEXWIN_BACK_BUDGET + HEXWIN_CHUNK);
    assert_true(f.bytes_read >= 60 * HEXWIN_BACK_BUDGET);

    /* with a limit: not further back than it, whichever the path */
    f.bytes_read = 0;
    up = hexwin_prev_lines(&s, &scratch, 60ull << 30, 16, 3, 1u << 20, err, sizeof err);
    assert_int_equal(up, (60ull << 30) - (1u << 20));
    assert_true(f.bytes_read <= 1u << 20);
    s = source_of(&f, true);
    assert_int_equal(hexwin_prev_lines(&s, &scratch, 60ull << 30, 16, 3, 1u << 20, err, sizeof err),
                     (60ull << 30) - (1u << 20));
    assert_int_equal(
        hexwin_prev_lines(&s, &scratch, 60ull << 30, 16, 1, 61ull << 30, err, sizeof err), 4096);

    /* a run longer than the budget: moving up stops at the budget */
    fake_init(&f, 1ull << 30, BYTE_DATA);
    fake_add(&f, 0, 1ull << 30, BYTE_DATA, abc16, 16);
    f.bytes_read = 0;
    s = source_of(&f, true);
    up = hexwin_prev_lines(&s, &scratch, 1ull << 29, 16, 1, UINT64_MAX, err, sizeof err);
    assert_true(up < 1ull << 29 && up >= (1ull << 29) - HEXWIN_BACK_BUDGET - HEXWIN_CHUNK);
    assert_true(f.bytes_read <= HEXWIN_BACK_BUDGET + HEXWIN_CHUNK);
}

static void test_next_top(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    build(&f, true, 0, HEXWIN_NO_PIN, 16, 20);
    assert_int_equal(hexwin_next_top(&win), 16);
    build(&f, true, 48, HEXWIN_NO_PIN, 16, 20); /* zeros, then "*" to the end: nothing below */
    assert_int_equal(hexwin_next_top(&win), 48);
    fake_add(&f, 4080, 16, BYTE_DATA, abc16, 16);
    build(&f, true, 48, HEXWIN_NO_PIN, 16, 20); /* "*" below passed at once */
    assert_int_equal(hexwin_next_top(&win), 4080);
}

static void test_prev_data_end(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 1ull << 40, BYTE_HOLE);
    fake_add(&f, 12345, 100, BYTE_DATA, abc16, 16);
    struct hexwin_source s = source_of(&f, true);
    assert_int_equal(hexwin_prev_data_end(&s, 1ull << 40), 12445);
    assert_int_equal(hexwin_prev_data_end(&s, 12400), 12400);
    assert_int_equal(hexwin_prev_data_end(&s, 12345), 0);
    assert_int_equal(hexwin_prev_data_end(&s, 0), 0);
    assert_true(f.next_calls < 200);
}

static enum hexwin_search_result search(struct fake *f, bool cheap, const char *pat, uint64_t from,
                                        bool back, uint64_t budget, uint64_t *found,
                                        uint64_t *resume)
{
    struct hexwin_source s = source_of(f, cheap);
    uint8_t p[HEXWIN_PATTERN_MAX];
    size_t n;
    assert_int_equal(hexdump_parse_pattern(pat, p, sizeof p, &n), HP_OK);
    char err[256];
    return hexwin_search(&s, &scratch, p, n, from, back, budget, found, resume, err, sizeof err);
}

/* What a typed pattern means, the same in the viewer and in --dump --find. */
static void test_pattern(void **state)
{
    (void)state;
    uint8_t p[HEXWIN_PATTERN_MAX];
    size_t n = 99;
#define PAT(text, want)                                                                            \
    do {                                                                                           \
        assert_int_equal(hexdump_parse_pattern(text, p, sizeof p, &n), HP_OK);                     \
        assert_int_equal(n, strlen(want));                                                         \
        assert_memory_equal(p, want, n);                                                           \
    } while (0)
    PAT("needle", "needle");
    PAT("hello world", "hello world"); /* not hex: text, spaces and all */
    PAT("cafe", "cafe");               /* one word is text, even when it looks like hex */
    PAT("0x4142", "AB");               /* 0x: bytes */
    PAT("0XdeAD", "\xde\xad");
    PAT("de ad be ef", "\xde\xad\xbe\xef"); /* pairs with spaces: bytes */
    PAT(" 41  42 ", "AB");
    PAT("\"cafe babe\"", "cafe babe"); /* quoted: text, even when it looks like hex */
    PAT("\"0x41", "0x41");             /* the closing quote may be left out */
    PAT("\"\"\"", "\"");
    assert_int_equal(hexdump_parse_pattern("", p, sizeof p, &n), HP_EMPTY);
    assert_int_equal(n, 0);
    assert_int_equal(hexdump_parse_pattern("0x", p, sizeof p, &n), HP_EMPTY);
    assert_int_equal(hexdump_parse_pattern("\"\"", p, sizeof p, &n), HP_EMPTY);
    assert_int_equal(hexdump_parse_pattern("0x414", p, sizeof p, &n), HP_BAD_HEX);
    assert_int_equal(hexdump_parse_pattern("0xZZ", p, sizeof p, &n), HP_BAD_HEX);
    assert_int_equal(hexdump_parse_pattern("de a be", p, sizeof p, &n), HP_BAD_HEX);
    assert_int_equal(n, 0);
    /* more than fits: refused, never cut */
    static char big[2 * HEXWIN_PATTERN_MAX + 8];
    memset(big, 'x', HEXWIN_PATTERN_MAX);
    big[HEXWIN_PATTERN_MAX] = '\0';
    PAT(big, big);
    big[HEXWIN_PATTERN_MAX] = 'x';
    big[HEXWIN_PATTERN_MAX + 1] = '\0';
    assert_int_equal(hexdump_parse_pattern(big, p, sizeof p, &n), HP_TOO_LONG);
    assert_int_equal(hexdump_parse_pattern("\"", p, 0, &n), HP_EMPTY);
    snprintf(big, sizeof big, "0x");
    for (int i = 0; i <= HEXWIN_PATTERN_MAX; i++) strcat(big, "ab");
    assert_int_equal(hexdump_parse_pattern(big, p, sizeof p, &n), HP_TOO_LONG);
    big[2 + 2 * HEXWIN_PATTERN_MAX] = '\0';
    assert_int_equal(hexdump_parse_pattern(big, p, sizeof p, &n), HP_OK);
    assert_int_equal(n, HEXWIN_PATTERN_MAX);
#undef PAT
}

static void test_search_basic(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "world", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 7);
    assert_int_equal(search(&f, true, "world", 7, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(search(&f, true, "world", 8, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_NOT_FOUND);
    assert_int_equal(search(&f, true, "0x6973", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 16); /* "is" */
    assert_int_equal(search(&f, true, "69 73", 17, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 19);
    /* backward: the last match starting before from */
    assert_int_equal(search(&f, true, "is", 4096, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 19);
    assert_int_equal(search(&f, true, "is", 19, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 16);
    assert_int_equal(search(&f, true, "is", 16, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_NOT_FOUND);
    assert_int_equal(search(&f, true, "Hello", 1, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 0);
    /* the last bytes of the segment */
    fake_add(&f, 4090, 6, BYTE_DATA, (const uint8_t *)"ending", 6);
    assert_int_equal(search(&f, true, "ending", 100, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 4090);
    assert_int_equal(search(&f, true, "ending", 4096, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 4090);
}

static void test_search_across_chunks(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 8u << 20, BYTE_DATA);
    /* a match straddling each chunk boundary a forward and a backward search meets */
    fake_add(&f, HEXWIN_CHUNK - 3, 8, BYTE_DATA, (const uint8_t *)"NEEDLE!!", 8);
    fake_add(&f, (8u << 20) - HEXWIN_CHUNK - 2, 8, BYTE_DATA, (const uint8_t *)"BACKWARD", 8);
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "NEEDLE!!", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, HEXWIN_CHUNK - 3);
    assert_int_equal(
        search(&f, true, "BACKWARD", 8u << 20, true, HEXWIN_SEARCH_STEP, &found, &resume),
        HS_FOUND);
    assert_int_equal(found, (8u << 20) - HEXWIN_CHUNK - 2);
}

static void test_search_bounded_steps(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 40u << 20, BYTE_DATA);
    fake_add(&f, (30u << 20) + 5, 4, BYTE_DATA, (const uint8_t *)"FIND", 4);
    uint64_t found = 0, resume = 0, from = 0;
    int steps = 0;
    enum hexwin_search_result r;
    while ((r = search(&f, true, "FIND", from, false, 4u << 20, &found, &resume)) == HS_MORE) {
        assert_true(resume > from);
        from = resume;
        steps++;
        assert_true(steps < 20);
    }
    assert_int_equal(r, HS_FOUND);
    assert_int_equal(found, (30u << 20) + 5);
    assert_true(steps >= 6 && steps <= 8);
    /* each step read about the budget, not more */
    f.bytes_read = 0;
    assert_int_equal(search(&f, true, "FIND", 0, false, 4u << 20, &found, &resume), HS_MORE);
    assert_true(f.bytes_read <= (4u << 20) + HEXWIN_CHUNK);
    /* backward the same */
    from = 40u << 20;
    steps = 0;
    while ((r = search(&f, true, "FIND", from, true, 4u << 20, &found, &resume)) == HS_MORE) {
        assert_true(resume < from);
        from = resume;
        assert_true(++steps < 20);
    }
    assert_int_equal(r, HS_FOUND);
    assert_int_equal(found, (30u << 20) + 5);
    /* nothing after: not found, in steps */
    from = found + 1;
    while ((r = search(&f, true, "FIND", from, false, 4u << 20, &found, &resume)) == HS_MORE)
        from = resume;
    assert_int_equal(r, HS_NOT_FOUND);
}

static void test_search_skips_holes(void **state)
{
    (void)state;
    struct fake f;
    /* 64 GiB of holes: the data at the end is found in one step, holes never match zeros */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 0, 4096, BYTE_DATA, zero, 1);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 63ull << 30, 4096, BYTE_DATA, zero, 1);
    fake_add(&f, (63ull << 30) + 100, 4, BYTE_DATA, (const uint8_t *)"\x01\x02\x00\x00", 4);
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "01 02", 4096, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, (63ull << 30) + 100);
    assert_true(f.bytes_read < 4u << 20);
    /* zeros: the first data zeros, not the hole after the text */
    assert_int_equal(
        search(&f, true, "00 00 00 00", 64, false, HEXWIN_SEARCH_STEP, &found, &resume), HS_FOUND);
    assert_int_equal(found, 64); /* the text page's own zeros (data) */
    assert_int_equal(
        search(&f, true, "00 00 00 00", 4096, false, HEXWIN_SEARCH_STEP, &found, &resume),
        HS_FOUND);
    assert_int_equal(found, 63ull << 30);
    /* a match may not run into a hole */
    fake_init(&f, 1u << 20, BYTE_HOLE);
    fake_add(&f, 4096 - 2, 2, BYTE_DATA, zero, 1);
    assert_int_equal(search(&f, true, "00 00 00", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_NOT_FOUND);
    assert_int_equal(search(&f, true, "00 00", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 4094);

    /* backward over 60 GiB of holes: probing when cheap */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 1000, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    fake_add(&f, 61ull << 30, 4096, BYTE_DATA, abc16, 16);
    f.bytes_read = 0;
    assert_int_equal(
        search(&f, true, "ABCD", 61ull << 30, true, HEXWIN_SEARCH_STEP, &found, &resume), HS_FOUND);
    assert_int_equal(found, 1000);
    assert_true(f.bytes_read < 4u << 20);
    /* not cheap (attaching): bounded steps instead of a freeze */
    fake_init(&f, 64ull << 30, BYTE_NOT_RESIDENT);
    fake_add(&f, 1000, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    assert_int_equal(
        search(&f, false, "ABCD", 61ull << 30, true, HEXWIN_SEARCH_STEP, &found, &resume), HS_MORE);
    assert_true(resume < 61ull << 30);
    assert_true(f.bytes_read <= 64 * HEXWIN_SEARCH_STEP + HEXWIN_CHUNK);
    /* forward: pages not resident skipped with next_data, not read */
    f.bytes_read = 0;
    fake_add(&f, 62ull << 30, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    assert_int_equal(search(&f, false, "ABCD", 1001, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 62ull << 30);
    assert_true(f.bytes_read <= 2 * HEXWIN_CHUNK);
    assert_int_equal(search(&f, false, "ABCD", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_FOUND);
    assert_int_equal(found, 1000);
}

static void test_search_error(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    f.fail = true;
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "x", 0, false, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_ERROR);
    assert_int_equal(search(&f, true, "x", 4096, true, HEXWIN_SEARCH_STEP, &found, &resume),
                     HS_ERROR);
}

/* ---- writing files -----------------------------------------------------------------------------
 */

static char tmpdir[256];

static size_t entries(void)
{
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void read_file(const char *path, uint8_t *out, size_t len)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, out, len), (ssize_t)len);
    uint8_t extra;
    assert_int_equal(read(fd, &extra, 1), 0);
    close(fd);
}

static void test_write_file(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/viewer-test-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(tmpdir));
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/out.bin", tmpdir);
    struct fake f;
    fake_init(&f, 64u << 20, BYTE_HOLE);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 32u << 20, 4096, BYTE_DATA, abc16, 16);
    struct hexwin_source s = source_of(&f, true);

    /* a range of data */
    assert_int_equal(hexwin_write_file(&s, &scratch, 7, 7 + 20, path, false, err, sizeof err), 0);
    uint8_t got[64];
    read_file(path, got, 20);
    assert_memory_equal(got, "world! This is the v", 20);
    assert_int_equal(entries(), 1);

    /* never overwritten without asking; with overwrite, replaced whole */
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, path, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "exists"));
    read_file(path, got, 20);
    assert_memory_equal(got, "world! This is the v", 20);
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, path, true, err, sizeof err), 0);
    read_file(path, got, 5);
    assert_memory_equal(got, "Hello", 5);
    assert_int_equal(entries(), 1);

    /* the whole 64 MiB segment: holes stay holes (sparse), bytes where they belong */
    char whole[512];
    snprintf(whole, sizeof whole, "%s/whole.bin", tmpdir);
    f.bytes_read = 0;
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, f.size, whole, false, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(whole, &st), 0);
    assert_int_equal(st.st_size, 64u << 20);
    assert_true((uint64_t)st.st_blocks * 512 < 1u << 20);
    assert_true(f.bytes_read < 8u << 20); /* the holes were jumped, not read */
    int fd = open(whole, O_RDONLY);
    assert_int_equal(pread(fd, got, 16, 32u << 20), 16);
    assert_memory_equal(got, abc16, 16);
    assert_int_equal(pread(fd, got, 16, 4096), 16);
    assert_memory_equal(got, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    close(fd);
    assert_int_equal(entries(), 2);

    /* bytes that were not read fail the write (the attaching path: pages not resident):
     * no file, no temporary left */
    char nr[512];
    snprintf(nr, sizeof nr, "%s/notresident.bin", tmpdir);
    fake_init(&f, 64u << 20, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 40u << 20, 4096, BYTE_NOT_RESIDENT, NULL, 0);
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, f.size, nr, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "not resident"));
    assert_non_null(strstr(err, "0x2800000"));
    assert_int_equal(access(nr, F_OK), -1);
    assert_int_equal(entries(), 2);
    /* ... and an existing file is left as it was */
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, f.size, path, true, err, sizeof err), -1);
    read_file(path, got, 5);
    assert_memory_equal(got, "Hello", 5);
    assert_int_equal(entries(), 2);
    fake_add(&f, 41u << 20, 4096, BYTE_UNREADABLE, NULL, 0);
    assert_int_equal(
        hexwin_write_file(&s, &scratch, 41u << 20, 42u << 20, nr, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "unreadable"));
    assert_int_equal(entries(), 2);

    /* a read error midway: nothing left behind */
    f.fail = true;
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 100, nr, false, err, sizeof err), -1);
    assert_string_equal(err, "shm 7 does not exist");
    f.fail = false;
    assert_int_equal(entries(), 2);

    /* a directory, a missing directory */
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, tmpdir, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "is a directory"));
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no/such/file", tmpdir);
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, missing, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create"));
    assert_int_equal(entries(), 2);

    unlink(path);
    unlink(whole);
    assert_int_equal(rmdir(tmpdir), 0);
}

/* ---- a dump: windows one after another ----------------------------------------------------- */

static void test_build_after(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, abc16, 16);
    fake_add(&f, 2048, 16, BYTE_DATA, hello, 16);
    struct hexwin_source s = source_of(&f, true);
    char err[256];
    /* a window of 2 lines (and one more) ends inside the run */
    assert_int_equal(hexwin_build(&s, &scratch, 0, HEXWIN_NO_PIN, 16, 2, &win, err, sizeof err), 0);
    expect_line(0, HL_DATA, 0, 16);
    expect_line(1, HL_SQUEEZED, 16, 2048 - 16);
    expect_line(2, HL_DATA, 2048, 16);
    /* built again from inside the run: alone, its first line is data; after the line it
     * repeats, the run goes on */
    assert_int_equal(hexwin_build(&s, &scratch, 512, HEXWIN_NO_PIN, 16, 2, &win, err, sizeof err),
                     0);
    expect_line(0, HL_DATA, 512, 16);
    struct hexwin_line prev = {HL_DATA, 0, 16, {0}, 16, 0, false};
    memcpy(prev.bytes, abc16, 16);
    assert_int_equal(hexwin_build_after(&s, &scratch, 512, &prev, 16, 2, &win, err, sizeof err), 0);
    expect_line(0, HL_SQUEEZED, 512, 2048 - 512);
    assert_memory_equal(win.lines[0].bytes, abc16, 16); /* the line it repeats */
    assert_int_equal(win.lines[0].nbytes, 16);
    expect_line(1, HL_DATA, 2048, 16);
    expect_line(2, HL_DATA, 2064, 16);
    /* a line that differs from prev is data */
    memcpy(prev.bytes, hello, 16);
    assert_int_equal(hexwin_build_after(&s, &scratch, 512, &prev, 16, 2, &win, err, sizeof err), 0);
    expect_line(0, HL_DATA, 512, 16);
}

/* hexwin_print of [lo, hi) with windows of `want` lines, as a string. */
static char *print_range(struct fake *f, bool cheap, uint64_t lo, uint64_t hi, size_t want, int *rc,
                         char *err, size_t errlen)
{
    struct hexwin_source s = source_of(f, cheap);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    *rc = hexwin_print(&s, &scratch, lo, hi, 8, want, out, err, errlen);
    assert_int_equal(fclose(out), 0);
    return text;
}

/* What `hexdump -C` prints for the bytes of a fake made of data only. */
static char *reference(struct fake *f)
{
    char *text = NULL, e[64];
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    uint8_t line[16], prev[16], kind[16];
    bool have_prev = false, star = false;
    for (uint64_t at = 0; at < f->size; at += 16) {
        size_t n = f->size - at < 16 ? (size_t)(f->size - at) : 16;
        fake_read(f, at, n, line, kind, e, sizeof e);
        if (have_prev && n == 16 && memcmp(line, prev, 16) == 0) {
            if (!star) fputs("*\n", out);
            star = true;
            continue;
        }
        char t[256];
        hexdump_format_data(t, sizeof t, 8, at, line, n, 16);
        fprintf(out, "%s\n", t);
        memcpy(prev, line, n);
        have_prev = n == 16;
        star = false;
    }
    fprintf(out, "%08llx\n", (unsigned long long)f->size);
    fclose(out);
    return text;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* The text of a dump does not depend on where its windows end: the same with windows of
 * one line as of thousands, and the same as hexdump -C. */
static void test_print_windows_join(void **state)
{
    (void)state;
    static uint8_t counter[256];
    for (int i = 0; i < 256; i++) counter[i] = (uint8_t)i;
    struct fake f;
    /* data only: runs of equal lines longer than any window, a run longer than the
     * look-ahead (20 MiB of one line), lines that differ, a short last line */
    fake_init(&f, (20u << 20) + 4096 + 8192 + 4096 + 40, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 4096, 20u << 20, BYTE_DATA, abc16, 16);
    fake_add(&f, (20u << 20) + 4096, 8192, BYTE_DATA, counter, 251);
    fake_add(&f, (20u << 20) + 4096 + 8192 + 5, 3, BYTE_DATA, (const uint8_t *)"END", 3);
    /* then zeros: another run, and a short last line */
    char *want = reference(&f), err[256];
    assert_int_equal(count(want, "\n*\n"), 2);
    size_t sizes[] = {1, 2, 3, 7, 64, 16384};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int rc;
        char *got = print_range(&f, true, 0, f.size, sizes[i], &rc, err, sizeof err);
        assert_int_equal(rc, 0);
        if (strcmp(got, want) != 0)
            fail_msg("windows of %zu lines: got\n%.2000s\nexpected\n%.2000s", sizes[i], got, want);
        free(got);
    }
    free(want);

    /* a range: from lo's own offset, then lines at multiples of 16, then hi */
    int rc;
    char *got = print_range(&f, true, 7, 0x30, 2, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_int_equal(count(got, "\n"), 4);
    assert_memory_equal(got, "00000007  77 6f 72 6c 64 21 20 54  68 ", 36);
    assert_non_null(strstr(got, "|world! Th|\n00000010  69 73 20 69 73 20 74 68"));
    assert_non_null(strstr(got, "\n00000020  20 74 65 73 74 2e 48 65"));
    assert_non_null(strstr(got, "|\n00000030\n"));
    free(got);
    got = print_range(&f, true, 100, 100, 2, &rc, err, sizeof err);
    assert_string_equal(got, "00000064\n"); /* nothing: the offset only */
    free(got);
}

/* Spans (holes, pages not resident, unreadable bytes) are one line each with their whole
 * size, wherever windows end, on both paths. */
static void test_print_spans(void **state)
{
    (void)state;
    struct fake f;
    for (int cheap = 0; cheap < 2; cheap++) {
        fake_init(&f, 3ull << 30, cheap ? BYTE_HOLE : BYTE_NOT_RESIDENT);
        fake_add(&f, 0x1000, 4096, BYTE_DATA, hello, sizeof hello - 1);
        fake_add(&f, 0x80000000ull, 32, BYTE_DATA, abc16, 16);
        char *first = NULL, err[256];
        size_t sizes[] = {1, 2, 5, 16384};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            int rc;
            f.bytes_read = 0;
            char *got = print_range(&f, cheap, 0, f.size, sizes[i], &rc, err, sizeof err);
            assert_int_equal(rc, 0);
            if (!first) {
                first = got;
                const char *word = cheap ? "hole" : "not resident";
                char line[128];
                snprintf(line, sizeof line, "00000000  -- %s: 4K (4096 bytes)", word);
                assert_memory_equal(got, line, strlen(line));
                /* one line for the 2 GiB between the two, one for the 1 GiB after */
                snprintf(line, sizeof line, "00002000  -- %s: 2G (2147475456 bytes)", word);
                if (!strstr(got, line)) {
                    fprintf(stderr, "no %s in\n%s", line, got);
                    fail();
                }
                snprintf(line, sizeof line, "80000020  -- %s: 1024M (1073741792 bytes)", word);
                if (!strstr(got, line)) {
                    fprintf(stderr, "no %s in\n%s", line, got);
                    fail();
                }
                assert_non_null(strstr(got, "\n80000000  41 42 43 44"));
                assert_non_null(strstr(got, "|\n*\n80000020  -- "));            /* its own run */
                assert_string_equal(got + strlen(got) - 13, " --\nc0000000\n"); /* the end */
                continue;
            }
            if (strcmp(got, first) != 0)
                fail_msg("windows of %zu lines: got\n%.2000s\nexpected\n%.2000s", sizes[i], got,
                         first);
            free(got);
        }
        free(first);
    }
    /* unreadable bytes: shown as such, said, and no final offset (the status is 1) */
    fake_init(&f, 16384, BYTE_DATA);
    fake_add(&f, 4096, 8192, BYTE_UNREADABLE, NULL, 0);
    int rc;
    char err[256];
    char *got = print_range(&f, true, 0, f.size, 3, &rc, err, sizeof err);
    assert_int_equal(rc, 1);
    assert_string_equal(err, "shm 7: unreadable at offset 4096");
    assert_non_null(strstr(got, "00001000  -- unreadable: 8K (8192 bytes)"));
    assert_null(strstr(got, "00004000\n"));
    free(got);
    /* a read that fails: -1 and the sentence */
    f.fail = true;
    got = print_range(&f, true, 0, f.size, 3, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(err, "shm 7 does not exist");
    free(got);
}

/* ---- savefile: what is never replaced ---------------------------------------------------- */

static void test_savefile_refuses(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/savefile-test-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(tmpdir));
    char fifo[512], link_[512], target[512], late[512], err[512];
    snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
    snprintf(link_, sizeof link_, "%s/link", tmpdir);
    snprintf(target, sizeof target, "%s/target", tmpdir);
    snprintf(late, sizeof late, "%s/late", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "keep", 4), 4);
    close(fd);
    assert_int_equal(symlink(target, link_), 0);
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, hello, sizeof hello - 1);
    struct hexwin_source s = source_of(&f, true);

    /* even when asked to overwrite: a pipe (a device the same), a symbolic link */
    assert_int_equal(savefile_check(fifo, true, err, sizeof err), -1);
    assert_string_equal(strstr(err, "fifo"), "fifo is not a regular file: not replaced");
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, fifo, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a regular file: not replaced"));
    assert_int_equal(hexwin_write_file(&s, &scratch, 0, 5, link_, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a regular file: not replaced"));
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(lstat(link_, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    uint8_t got[8];
    read_file(target, got, 4);
    assert_memory_equal(got, "keep", 4);
    assert_int_equal(savefile_check(target, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "target exists: not overwritten"));
    assert_int_equal(savefile_check(target, true, err, sizeof err), 0);
    assert_int_equal(savefile_check(late, false, err, sizeof err), 0);

    /* a file that appears while writing is not replaced: the temporary file goes */
    struct savefile sf;
    assert_int_equal(savefile_open(&sf, late, false, err, sizeof err), 0);
    assert_int_equal(write(sf.fd, "new", 3), 3);
    assert_int_equal(entries(), 4); /* fifo, link, target, the temporary file */
    fd = open(late, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "theirs", 6), 6);
    close(fd);
    assert_int_equal(savefile_commit(&sf, err, sizeof err), -1);
    assert_non_null(strstr(err, "late exists: not overwritten"));
    read_file(late, got, 6);
    assert_memory_equal(got, "theirs", 6);
    assert_int_equal(entries(), 4);
    /* aborted: nothing left */
    unlink(late);
    assert_int_equal(savefile_open(&sf, late, false, err, sizeof err), 0);
    assert_int_equal(entries(), 4);
    savefile_abort(&sf);
    assert_int_equal(entries(), 3);
    assert_int_equal(access(late, F_OK), -1);
    /* names that cannot be one */
    assert_int_equal(savefile_open(&sf, "", false, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a usable file name"));
    char dir_slash[520];
    snprintf(dir_slash, sizeof dir_slash, "%s/new/", tmpdir);
    assert_int_equal(savefile_open(&sf, dir_slash, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a usable file name"));
    assert_int_equal(entries(), 3);

    unlink(fifo);
    unlink(link_);
    unlink(target);
    assert_int_equal(rmdir(tmpdir), 0);
}

int main(void)
{
    assert_true(hexwin_init(&win, 4096));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_text_and_squeeze),
        cmocka_unit_test(test_build_reads_only_what_is_shown),
        cmocka_unit_test(test_build_holes_and_not_resident),
        cmocka_unit_test(test_build_long_run_is_cut),
        cmocka_unit_test(test_build_pin_and_unaligned_top),
        cmocka_unit_test(test_build_error),
        cmocka_unit_test(test_bytes_at),
        cmocka_unit_test(test_change_marks),
        cmocka_unit_test(test_prev_lines),
        cmocka_unit_test(test_next_top),
        cmocka_unit_test(test_prev_data_end),
        cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_search_basic),
        cmocka_unit_test(test_search_across_chunks),
        cmocka_unit_test(test_search_bounded_steps),
        cmocka_unit_test(test_search_skips_holes),
        cmocka_unit_test(test_search_error),
        cmocka_unit_test(test_write_file),
        cmocka_unit_test(test_build_after),
        cmocka_unit_test(test_print_windows_join),
        cmocka_unit_test(test_print_spans),
        cmocka_unit_test(test_savefile_refuses),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    hexwin_free(&win);
    return r;
}
