/*
 * ui/viewer_logic.c, the segment viewer's pure parts, over a fake segment made of extents
 * (data with a repeating pattern, holes, pages not resident) that counts what is read:
 * the columns of a line at each width match hexdump -C's text; the inspector's values in
 * both byte orders; display lines over data, holes and squeezed runs, reading only what is
 * shown plus a bounded look-ahead, on segments up to 64 GiB; moving up by display lines is
 * the inverse of the forward layout; change marks; goto parsing; searching in bounded steps
 * across chunk boundaries, holes and both directions; writing files (sparse, refusing to
 * overwrite, never leaving a partial or temporary file).
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
#include "viewer_logic.h"

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

static struct vl_source source_of(struct fake *f, bool seek_cheap)
{
    return (struct vl_source){f, f->size, fake_read, fake_next_data, seek_cheap};
}

static struct vl_scratch scratch;

static int setup(void **state)
{
    (void)state;
    return vl_scratch_init(&scratch) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vl_scratch_free(&scratch);
    return 0;
}

static const uint8_t hello[] = "Hello, world! This is the viewer test.";
static const uint8_t zero[1] = {0};
static const uint8_t abc16[16] = "ABCDEFGHIJKLMNOP";

/* ---- layout --------------------------------------------------------------------------------- */

static void test_layout_matches_hexdump_text(void **state)
{
    (void)state;
    uint8_t bytes[VL_MAX_BPL];
    for (unsigned i = 0; i < VL_MAX_BPL; i++) bytes[i] = (uint8_t)(i * 37 + 5);
    bytes[3] = 'A';
    bytes[4] = 0;
    unsigned bpls[] = {8, 16, 32};
    for (size_t b = 0; b < 3; b++)
        for (int offw = 8; offw <= 16; offw++)
            for (unsigned n = 1; n <= bpls[b]; n++) {
                unsigned bpl = bpls[b];
                char text[256], hex[3];
                hexdump_format_data(text, sizeof text, offw, 0x1230, bytes, n, bpl);
                for (unsigned i = 0; i < n; i++) {
                    snprintf(hex, sizeof hex, "%02x", bytes[i]);
                    assert_memory_equal(text + vl_hex_col(offw, i), hex, 2);
                    char a = text[vl_ascii_col(offw, bpl, i)];
                    assert_int_equal(a, bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.');
                }
                assert_int_equal(text[vl_ascii_bar_col(offw, bpl)], '|');
                assert_int_equal(text[vl_ascii_col(offw, bpl, n)], '|');
                if (n == bpl) assert_int_equal((int)strlen(text), vl_line_width(offw, bpl));
            }
    /* the classic 16 bytes per line is 78 cells with 8 offset digits */
    assert_int_equal(vl_line_width(8, 16), 78);
    assert_int_equal(vl_line_width(8, 8), 45);
    assert_int_equal(vl_line_width(8, 32), 144);
}

static void test_bytes_per_line_for_width(void **state)
{
    (void)state;
    assert_int_equal(vl_bpl_for_width(40, 8), 8);
    assert_int_equal(vl_bpl_for_width(77, 8), 8);
    assert_int_equal(vl_bpl_for_width(78, 8), 16);
    assert_int_equal(vl_bpl_for_width(120, 8), 16);
    assert_int_equal(vl_bpl_for_width(143, 8), 16);
    assert_int_equal(vl_bpl_for_width(144, 8), 32);
    assert_int_equal(vl_bpl_for_width(80, 10), 16); /* a 64 GiB segment: 9+ digits */
    assert_int_equal(vl_bpl_for_width(79, 10), 8);
    for (int w = 1; w < 400; w++)
        for (int offw = 8; offw <= 16; offw++) {
            unsigned bpl = vl_bpl_for_width(w, offw);
            assert_true(bpl == 8 || vl_line_width(offw, bpl) <= w);
            if (bpl < 32) assert_true(vl_line_width(offw, bpl * 2) > w);
        }
}

static void test_area_rows(void **state)
{
    (void)state;
    for (int h = 1; h < 200; h++)
        for (int want = 1; want <= 3; want++)
            for (int p = 0; p < 2; p++) {
                struct vl_rows r = vl_area_rows(h, want, p);
                assert_int_equal(r.header + r.hex + r.inspector + r.prompt, h);
                assert_true(r.header <= want);
                if (h >= 2) assert_true(r.hex >= 1);
                if (p) assert_int_equal(r.prompt, 1);
            }
    struct vl_rows r = vl_area_rows(24, 2, false);
    assert_int_equal(r.header, 2);
    assert_int_equal(r.inspector, 2);
    assert_int_equal(r.hex, 20);
}

/* ---- inspector ------------------------------------------------------------------------------ */

static void test_inspector_values(void **state)
{
    (void)state;
    const uint8_t b[8] = {0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x77};
    char t[300];
    vl_inspect_u8(t, sizeof t, b, 8);
    assert_string_equal(t, "u8 72 i8 72");
    vl_inspect_order(t, sizeof t, b, 8, false);
    assert_string_equal(t, "u16 25928  u32 1819043144  u64 8583909746840200520  f32 1.14314e+27  "
                           "f64 6.51887e+265");
    vl_inspect_order(t, sizeof t, b, 8, true);
    assert_string_equal(t, "u16 18533  u32 1214606444  u64 5216694956356018295  f32 234930  "
                           "f64 5.83204e+40");

    /* negative values show their signed reading too */
    const uint8_t n[8] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80};
    vl_inspect_u8(t, sizeof t, n, 8);
    assert_string_equal(t, "u8 254 i8 -2");
    vl_inspect_order(t, sizeof t, n, 8, false);
    assert_string_equal(t, "u16 65534 (i16 -2)  u32 4294967294 (i32 -2)  u64 9295429630892703742 "
                           "(i64 -9151314442816847874)  f32 -nan  f64 -7.29112e-304");
    vl_inspect_order(t, sizeof t, n, 8, true);
    assert_string_equal(
        t, "u16 65279 (i16 -257)  u32 4278190079 (i32 -16777217)  u64 "
           "18374686479671623552 (i64 -72057594037928064)  f32 -1.70141e+38  f64 -5.48612e+303");

    /* floats: 1.0 in both orders */
    const uint8_t one_le[8] = {0, 0, 0x80, 0x3f, 0, 0, 0, 0};
    vl_inspect_order(t, sizeof t, one_le, 4, false);
    assert_string_equal(t, "u16 0  u32 1065353216  f32 1");
    const uint8_t one_be[8] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
    vl_inspect_order(t, sizeof t, one_be, 8, true);
    assert_string_equal(t, "u16 16368  u32 1072693248  u64 4607182418800017408  f32 1.875  f64 1");

    /* only what fits from the cursor */
    vl_inspect_order(t, sizeof t, b, 3, false);
    assert_string_equal(t, "u16 25928");
    vl_inspect_order(t, sizeof t, b, 1, false);
    assert_string_equal(t, "");
    vl_inspect_u8(t, sizeof t, b, 0);
    assert_string_equal(t, "");
    /* a small buffer is cut, not overrun */
    char small[10];
    vl_inspect_order(small, sizeof small, n, 8, false);
    assert_string_equal(small, "u16 65534");
}

/* ---- building windows ------------------------------------------------------------------------ */

static struct vl_window win;

static void build(struct fake *f, bool cheap, uint64_t top, uint64_t pin, unsigned bpl, size_t want)
{
    struct vl_source s = source_of(f, cheap);
    char err[256];
    assert_int_equal(vl_build(&s, &scratch, top, pin, bpl, want, &win, err, sizeof err), 0);
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
    build(&f, true, 0, VL_NO_PIN, 16, 20);
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
    build(&f, true, 0, VL_NO_PIN, 8, 20);
    expect_line(0, HL_DATA, 0, 8);
    expect_line(4, HL_DATA, 32, 8); /* " test." and two zeros */
    expect_line(5, HL_DATA, 40, 8);
    expect_line(6, HL_SQUEEZED, 48, 4096 - 48);
    build(&f, true, 0, VL_NO_PIN, 32, 20);
    expect_line(0, HL_DATA, 0, 32);
    expect_line(2, HL_DATA, 64, 32);
    expect_line(3, HL_SQUEEZED, 96, 4096 - 96);

    /* want limits the lines: the shown ones plus one */
    build(&f, true, 0, VL_NO_PIN, 16, 2);
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
    build(&f, true, 0x100000, VL_NO_PIN, 16, 20);
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
    build(&f, true, 0, VL_NO_PIN, 16, 20);
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
    build(&f, false, 0, VL_NO_PIN, 16, 20);
    expect_line(0, HL_NOT_RESIDENT, 0, 0x2000);
    expect_line(1, HL_DATA, 0x2000, 16);
    expect_line(2, HL_SQUEEZED, 0x2010, 4096 - 16);
    expect_line(3, HL_NOT_RESIDENT, 0x3000, (256ull << 20) - 0x3000);
    assert_int_equal(win.n, 4);
    assert_true(win.complete);
    assert_int_equal(f.next_calls, 0);
    /* 64 GiB of it: the span is cut after about VL_LOOKAHEAD * 64 bytes looked at */
    fake_init(&f, 64ull << 30, BYTE_NOT_RESIDENT);
    fake_add(&f, 0x2000, 4096, BYTE_DATA, abc16, 16);
    build(&f, false, 0, VL_NO_PIN, 16, 20);
    assert_int_equal(win.n, 4);
    assert_int_equal(win.lines[3].kind, HL_NOT_RESIDENT);
    assert_true(win.lines[3].cut);
    assert_false(win.complete);
    assert_true(win.lines[3].len >= VL_LOOKAHEAD * 60 &&
                win.lines[3].len <= VL_LOOKAHEAD * 64 + VL_CHUNK);
    assert_true(f.bytes_read <= VL_LOOKAHEAD * 64 + 2 * VL_CHUNK);
    /* moving down goes on from where it stopped */
    assert_int_equal(vl_next_top(&win), win.lines[1].off);

    /* unreadable bytes: a span line, and the warning is passed on */
    fake_init(&f, 8192, BYTE_DATA);
    fake_add(&f, 0, 8192, BYTE_DATA, hello, sizeof hello - 1);
    fake_add(&f, 4096, 4096, BYTE_UNREADABLE, NULL, 0);
    struct vl_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(vl_build(&s, &scratch, 4000, VL_NO_PIN, 16, 20, &win, err, sizeof err), 0);
    assert_string_equal(err, "shm 7: unreadable at offset 4096");
    i = vl_line_of(&win, 4096);
    expect_line((size_t)i, HL_UNREADABLE, 4096, 4096);
}

static void test_build_long_run_is_cut(void **state)
{
    (void)state;
    struct fake f;
    /* 1 GiB of one repeated line: the run is cut at the look-ahead budget */
    fake_init(&f, 1ull << 30, BYTE_DATA);
    fake_add(&f, 0, 1ull << 30, BYTE_DATA, abc16, 16);
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    assert_int_equal(win.n, 2);
    expect_line(0, HL_DATA, 0, 16);
    assert_int_equal(win.lines[1].kind, HL_SQUEEZED);
    assert_true(win.lines[1].cut);
    assert_false(win.complete);
    assert_true(f.bytes_read <= VL_LOOKAHEAD + VL_CHUNK);
    assert_true(f.max_read <= VL_CHUNK);
    /* moving down passes the run: the next window starts where reading stopped */
    uint64_t next = vl_next_top(&win);
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
    build(&f, true, 5, VL_NO_PIN, 16, 4);
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
    struct vl_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(vl_build(&s, &scratch, 0, VL_NO_PIN, 16, 20, &win, err, sizeof err), -1);
    assert_string_equal(err, "shm 7 does not exist");
}

static void test_bytes_at(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 1ull << 20, BYTE_HOLE);
    fake_add(&f, 4096, 4096, BYTE_DATA, abc16, 16);
    build(&f, true, 4096 - 32, VL_NO_PIN, 16, 20);
    uint8_t b[8];
    assert_true(vl_byte_at(&win, 4096 - 1, &b[0]));
    assert_int_equal(b[0], 0); /* a hole reads as zero */
    assert_int_equal(vl_bytes_from(&win, 4096 - 2, b, 8), 8);
    assert_memory_equal(b, "\0\0ABCDEF", 8);
    /* inside the run: the repeated line */
    assert_int_equal(vl_bytes_from(&win, 4096 + 100, b, 8), 8);
    assert_memory_equal(b, "EFGHIJKL", 8);
    assert_int_equal(vl_line_of(&win, 0), -1); /* above the window */
    /* pages not resident are unknown (the attaching path has no holes) */
    fake_init(&f, 1ull << 20, BYTE_NOT_RESIDENT);
    fake_add(&f, 4096, 16384 - 4096, BYTE_DATA, abc16, 16);
    build(&f, false, 16384 - 32, VL_NO_PIN, 16, 20);
    assert_false(vl_byte_at(&win, 16384, &b[0]));
    assert_int_equal(vl_bytes_from(&win, 16384 - 3, b, 8), 3);
}

static void test_change_marks(void **state)
{
    (void)state;
    struct fake f;
    static uint8_t page[4096];
    memcpy(page, hello, sizeof hello - 1);
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, 4096, BYTE_DATA, page, sizeof page);
    struct vl_window before;
    assert_true(vl_window_init(&before, 64));
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    vl_window_copy(&before, &win);
    page[7] = 'W';     /* in a data line */
    page[0x200] = 'x'; /* in the squeezed run: a new line appears there */
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    vl_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[0].changed, 1u << 7);
    long i = vl_line_of(&win, 0x200);
    assert_int_equal(win.lines[i].kind, HL_DATA);
    assert_int_equal(win.lines[i].changed, 1u);
    for (size_t k = 0; k < win.n; k++)
        if (k != 0 && (long)k != i) assert_int_equal(win.lines[k].changed, 0);
    /* the next read without a change: marks go (one refresh); with carry they stay */
    vl_window_copy(&before, &win);
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    vl_mark_changes(&before, &win, true);
    assert_int_equal(win.lines[0].changed, 1u << 7);
    vl_window_copy(&before, &win);
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    vl_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[0].changed, 0);
    /* another width: compared by offset */
    page[20] = '!';
    vl_window_copy(&before, &win);
    build(&f, true, 0, VL_NO_PIN, 8, 20);
    vl_mark_changes(&before, &win, false);
    assert_int_equal(win.lines[2].changed, 1u << 4);
    vl_window_free(&before);
}

/* ---- moving up --------------------------------------------------------------------------------
 */

/* Moving up one line from each line start gives the line before it in the forward layout
 * (the run's first line for a "*", the span's start for a hole). */
static void check_prev_is_inverse(struct fake *f, bool cheap, unsigned bpl)
{
    struct vl_window all;
    assert_true(vl_window_init(&all, 4096));
    struct vl_source s = source_of(f, cheap);
    char err[256];
    assert_int_equal(vl_build(&s, &scratch, 0, VL_NO_PIN, bpl, 4000, &all, err, sizeof err), 0);
    assert_true(all.complete);
    for (size_t k = 1; k < all.n; k++) {
        if (all.lines[k].kind == HL_SQUEEZED) continue;
        size_t p = all.lines[k - 1].kind == HL_SQUEEZED ? k - 2 : k - 1;
        uint64_t got =
            vl_prev_lines(&s, &scratch, all.lines[k].off, bpl, 1, UINT64_MAX, err, sizeof err);
        if (got != all.lines[p].off)
            fail_msg("bpl %u: up from 0x%llx gave 0x%llx, expected 0x%llx", bpl,
                     (unsigned long long)all.lines[k].off, (unsigned long long)got,
                     (unsigned long long)all.lines[p].off);
    }
    vl_window_free(&all);
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
    struct vl_source s = source_of(&f, true);
    char err[256];
    assert_int_equal(vl_prev_lines(&s, &scratch, 0, 16, 1, UINT64_MAX, err, sizeof err), 0);
    assert_int_equal(vl_prev_lines(&s, &scratch, 0x30, 16, 2, UINT64_MAX, err, sizeof err), 0x10);
    assert_int_equal(vl_prev_lines(&s, &scratch, 0x30, 16, 10, UINT64_MAX, err, sizeof err), 0);

    /* a hole of 60 GiB above: found by probing (seek_cheap), cheaply */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 0, 4096, BYTE_DATA, abc16, 16);
    fake_add(&f, 60ull << 30, 4096, BYTE_DATA, hello, sizeof hello - 1);
    s = source_of(&f, true);
    assert_int_equal(vl_prev_lines(&s, &scratch, 60ull << 30, 16, 1, UINT64_MAX, err, sizeof err),
                     4096);
    assert_true(f.bytes_read <= 65536);
    assert_true(f.next_calls < 200);
    /* without cheap probing: looked at backwards within the budget (bytes not read count
     * 1/64), then stop: the span is cut there */
    f.bytes_read = 0;
    s = source_of(&f, false);
    uint64_t up = vl_prev_lines(&s, &scratch, 60ull << 30, 16, 1, UINT64_MAX, err, sizeof err);
    assert_true(up < 60ull << 30 && up >= (60ull << 30) - 64 * VL_BACK_BUDGET - VL_CHUNK);
    assert_true(f.bytes_read <= 64 * VL_BACK_BUDGET + VL_CHUNK);
    assert_true(f.bytes_read >= 60 * VL_BACK_BUDGET);

    /* with a limit: not further back than it, whichever the path */
    f.bytes_read = 0;
    up = vl_prev_lines(&s, &scratch, 60ull << 30, 16, 3, 1u << 20, err, sizeof err);
    assert_int_equal(up, (60ull << 30) - (1u << 20));
    assert_true(f.bytes_read <= 1u << 20);
    s = source_of(&f, true);
    assert_int_equal(vl_prev_lines(&s, &scratch, 60ull << 30, 16, 3, 1u << 20, err, sizeof err),
                     (60ull << 30) - (1u << 20));
    assert_int_equal(vl_prev_lines(&s, &scratch, 60ull << 30, 16, 1, 61ull << 30, err, sizeof err),
                     4096);

    /* a run longer than the budget: moving up stops at the budget */
    fake_init(&f, 1ull << 30, BYTE_DATA);
    fake_add(&f, 0, 1ull << 30, BYTE_DATA, abc16, 16);
    f.bytes_read = 0;
    s = source_of(&f, true);
    up = vl_prev_lines(&s, &scratch, 1ull << 29, 16, 1, UINT64_MAX, err, sizeof err);
    assert_true(up < 1ull << 29 && up >= (1ull << 29) - VL_BACK_BUDGET - VL_CHUNK);
    assert_true(f.bytes_read <= VL_BACK_BUDGET + VL_CHUNK);
}

static void test_next_top(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    build(&f, true, 0, VL_NO_PIN, 16, 20);
    assert_int_equal(vl_next_top(&win), 16);
    build(&f, true, 48, VL_NO_PIN, 16, 20); /* zeros, then "*" to the end: nothing below */
    assert_int_equal(vl_next_top(&win), 48);
    fake_add(&f, 4080, 16, BYTE_DATA, abc16, 16);
    build(&f, true, 48, VL_NO_PIN, 16, 20); /* "*" below passed at once */
    assert_int_equal(vl_next_top(&win), 4080);
}

static void test_prev_data_end(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 1ull << 40, BYTE_HOLE);
    fake_add(&f, 12345, 100, BYTE_DATA, abc16, 16);
    struct vl_source s = source_of(&f, true);
    assert_int_equal(vl_prev_data_end(&s, 1ull << 40), 12445);
    assert_int_equal(vl_prev_data_end(&s, 12400), 12400);
    assert_int_equal(vl_prev_data_end(&s, 12345), 0);
    assert_int_equal(vl_prev_data_end(&s, 0), 0);
    assert_true(f.next_calls < 200);
}

/* ---- goto and search ------------------------------------------------------------------------- */

static void test_parse_offset(void **state)
{
    (void)state;
    uint64_t o;
    assert_true(vl_parse_offset("4096", &o));
    assert_int_equal(o, 4096);
    assert_true(vl_parse_offset("0x1F40", &o));
    assert_int_equal(o, 0x1f40);
    assert_true(vl_parse_offset(" 0x10 ", &o));
    assert_int_equal(o, 16);
    assert_true(vl_parse_offset("4K", &o));
    assert_int_equal(o, 4096);
    assert_true(vl_parse_offset("0x2m", &o));
    assert_int_equal(o, 2u << 20);
    assert_true(vl_parse_offset("64G", &o));
    assert_int_equal(o, 64ull << 30);
    assert_true(vl_parse_offset("010", &o)); /* decimal, not octal */
    assert_int_equal(o, 10);
    assert_false(vl_parse_offset("", &o));
    assert_false(vl_parse_offset("0x", &o));
    assert_false(vl_parse_offset("abc", &o));
    assert_false(vl_parse_offset("12x", &o));
    assert_false(vl_parse_offset("-1", &o));
    assert_false(vl_parse_offset("0xfffffffffffffffffff", &o));
    assert_false(vl_parse_offset("0xffffffffffffffffK", &o));
}

static enum vl_search_result search(struct fake *f, bool cheap, const char *pat, uint64_t from,
                                    bool back, uint64_t budget, uint64_t *found, uint64_t *resume)
{
    struct vl_source s = source_of(f, cheap);
    uint8_t p[VL_PATTERN_MAX];
    size_t n = hexdump_parse_pattern(pat, p, sizeof p);
    assert_true(n > 0);
    char err[256];
    return vl_search(&s, &scratch, p, n, from, back, budget, found, resume, err, sizeof err);
}

static void test_search_basic(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    fake_add(&f, 0, sizeof hello - 1, BYTE_DATA, hello, sizeof hello - 1);
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "world", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 7);
    assert_int_equal(search(&f, true, "world", 7, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(search(&f, true, "world", 8, false, VL_SEARCH_STEP, &found, &resume),
                     VS_NOT_FOUND);
    assert_int_equal(search(&f, true, "0x6973", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 16); /* "is" */
    assert_int_equal(search(&f, true, "69 73", 17, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 19);
    /* backward: the last match starting before from */
    assert_int_equal(search(&f, true, "is", 4096, true, VL_SEARCH_STEP, &found, &resume), VS_FOUND);
    assert_int_equal(found, 19);
    assert_int_equal(search(&f, true, "is", 19, true, VL_SEARCH_STEP, &found, &resume), VS_FOUND);
    assert_int_equal(found, 16);
    assert_int_equal(search(&f, true, "is", 16, true, VL_SEARCH_STEP, &found, &resume),
                     VS_NOT_FOUND);
    assert_int_equal(search(&f, true, "Hello", 1, true, VL_SEARCH_STEP, &found, &resume), VS_FOUND);
    assert_int_equal(found, 0);
    /* the last bytes of the segment */
    fake_add(&f, 4090, 6, BYTE_DATA, (const uint8_t *)"ending", 6);
    assert_int_equal(search(&f, true, "ending", 100, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 4090);
    assert_int_equal(search(&f, true, "ending", 4096, true, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 4090);
}

static void test_search_across_chunks(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 8u << 20, BYTE_DATA);
    /* a match straddling each chunk boundary a forward and a backward search meets */
    fake_add(&f, VL_CHUNK - 3, 8, BYTE_DATA, (const uint8_t *)"NEEDLE!!", 8);
    fake_add(&f, (8u << 20) - VL_CHUNK - 2, 8, BYTE_DATA, (const uint8_t *)"BACKWARD", 8);
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "NEEDLE!!", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, VL_CHUNK - 3);
    assert_int_equal(search(&f, true, "BACKWARD", 8u << 20, true, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, (8u << 20) - VL_CHUNK - 2);
}

static void test_search_bounded_steps(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 40u << 20, BYTE_DATA);
    fake_add(&f, (30u << 20) + 5, 4, BYTE_DATA, (const uint8_t *)"FIND", 4);
    uint64_t found = 0, resume = 0, from = 0;
    int steps = 0;
    enum vl_search_result r;
    while ((r = search(&f, true, "FIND", from, false, 4u << 20, &found, &resume)) == VS_MORE) {
        assert_true(resume > from);
        from = resume;
        steps++;
        assert_true(steps < 20);
    }
    assert_int_equal(r, VS_FOUND);
    assert_int_equal(found, (30u << 20) + 5);
    assert_true(steps >= 6 && steps <= 8);
    /* each step read about the budget, not more */
    f.bytes_read = 0;
    assert_int_equal(search(&f, true, "FIND", 0, false, 4u << 20, &found, &resume), VS_MORE);
    assert_true(f.bytes_read <= (4u << 20) + VL_CHUNK);
    /* backward the same */
    from = 40u << 20;
    steps = 0;
    while ((r = search(&f, true, "FIND", from, true, 4u << 20, &found, &resume)) == VS_MORE) {
        assert_true(resume < from);
        from = resume;
        assert_true(++steps < 20);
    }
    assert_int_equal(r, VS_FOUND);
    assert_int_equal(found, (30u << 20) + 5);
    /* nothing after: not found, in steps */
    from = found + 1;
    while ((r = search(&f, true, "FIND", from, false, 4u << 20, &found, &resume)) == VS_MORE)
        from = resume;
    assert_int_equal(r, VS_NOT_FOUND);
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
    assert_int_equal(search(&f, true, "01 02", 4096, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, (63ull << 30) + 100);
    assert_true(f.bytes_read < 4u << 20);
    /* zeros: the first data zeros, not the hole after the text */
    assert_int_equal(search(&f, true, "00 00 00 00", 64, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 64); /* the text page's own zeros (data) */
    assert_int_equal(search(&f, true, "00 00 00 00", 4096, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 63ull << 30);
    /* a match may not run into a hole */
    fake_init(&f, 1u << 20, BYTE_HOLE);
    fake_add(&f, 4096 - 2, 2, BYTE_DATA, zero, 1);
    assert_int_equal(search(&f, true, "00 00 00", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_NOT_FOUND);
    assert_int_equal(search(&f, true, "00 00", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 4094);

    /* backward over 60 GiB of holes: probing when cheap */
    fake_init(&f, 64ull << 30, BYTE_HOLE);
    fake_add(&f, 1000, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    fake_add(&f, 61ull << 30, 4096, BYTE_DATA, abc16, 16);
    f.bytes_read = 0;
    assert_int_equal(search(&f, true, "ABCD", 61ull << 30, true, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 1000);
    assert_true(f.bytes_read < 4u << 20);
    /* not cheap (attaching): bounded steps instead of a freeze */
    fake_init(&f, 64ull << 30, BYTE_NOT_RESIDENT);
    fake_add(&f, 1000, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    assert_int_equal(search(&f, false, "ABCD", 61ull << 30, true, VL_SEARCH_STEP, &found, &resume),
                     VS_MORE);
    assert_true(resume < 61ull << 30);
    assert_true(f.bytes_read <= 64 * VL_SEARCH_STEP + VL_CHUNK);
    /* forward: pages not resident skipped with next_data, not read */
    f.bytes_read = 0;
    fake_add(&f, 62ull << 30, 4, BYTE_DATA, (const uint8_t *)"ABCD", 4);
    assert_int_equal(search(&f, false, "ABCD", 1001, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 62ull << 30);
    assert_true(f.bytes_read <= 2 * VL_CHUNK);
    assert_int_equal(search(&f, false, "ABCD", 0, false, VL_SEARCH_STEP, &found, &resume),
                     VS_FOUND);
    assert_int_equal(found, 1000);
}

static void test_search_error(void **state)
{
    (void)state;
    struct fake f;
    fake_init(&f, 4096, BYTE_DATA);
    f.fail = true;
    uint64_t found = 0, resume = 0;
    assert_int_equal(search(&f, true, "x", 0, false, VL_SEARCH_STEP, &found, &resume), VS_ERROR);
    assert_int_equal(search(&f, true, "x", 4096, true, VL_SEARCH_STEP, &found, &resume), VS_ERROR);
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
    struct vl_source s = source_of(&f, true);

    /* a range of data */
    assert_int_equal(vl_write_file(&s, &scratch, 7, 7 + 20, path, false, err, sizeof err), 0);
    uint8_t got[64];
    read_file(path, got, 20);
    assert_memory_equal(got, "world! This is the v", 20);
    assert_int_equal(entries(), 1);

    /* never overwritten without asking; with overwrite, replaced whole */
    assert_int_equal(vl_write_file(&s, &scratch, 0, 5, path, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "exists"));
    read_file(path, got, 20);
    assert_memory_equal(got, "world! This is the v", 20);
    assert_int_equal(vl_write_file(&s, &scratch, 0, 5, path, true, err, sizeof err), 0);
    read_file(path, got, 5);
    assert_memory_equal(got, "Hello", 5);
    assert_int_equal(entries(), 1);

    /* the whole 64 MiB segment: holes stay holes (sparse), bytes where they belong */
    char whole[512];
    snprintf(whole, sizeof whole, "%s/whole.bin", tmpdir);
    f.bytes_read = 0;
    assert_int_equal(vl_write_file(&s, &scratch, 0, f.size, whole, false, err, sizeof err), 0);
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
    assert_int_equal(vl_write_file(&s, &scratch, 0, f.size, nr, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "not resident"));
    assert_non_null(strstr(err, "0x2800000"));
    assert_int_equal(access(nr, F_OK), -1);
    assert_int_equal(entries(), 2);
    /* ... and an existing file is left as it was */
    assert_int_equal(vl_write_file(&s, &scratch, 0, f.size, path, true, err, sizeof err), -1);
    read_file(path, got, 5);
    assert_memory_equal(got, "Hello", 5);
    assert_int_equal(entries(), 2);
    fake_add(&f, 41u << 20, 4096, BYTE_UNREADABLE, NULL, 0);
    assert_int_equal(vl_write_file(&s, &scratch, 41u << 20, 42u << 20, nr, false, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "unreadable"));
    assert_int_equal(entries(), 2);

    /* a read error midway: nothing left behind */
    f.fail = true;
    assert_int_equal(vl_write_file(&s, &scratch, 0, 100, nr, false, err, sizeof err), -1);
    assert_string_equal(err, "shm 7 does not exist");
    f.fail = false;
    assert_int_equal(entries(), 2);

    /* a directory, a missing directory */
    assert_int_equal(vl_write_file(&s, &scratch, 0, 5, tmpdir, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "is a directory"));
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no/such/file", tmpdir);
    assert_int_equal(vl_write_file(&s, &scratch, 0, 5, missing, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create"));
    assert_int_equal(entries(), 2);

    unlink(path);
    unlink(whole);
    assert_int_equal(rmdir(tmpdir), 0);
}

int main(void)
{
    assert_true(vl_window_init(&win, 4096));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_matches_hexdump_text),
        cmocka_unit_test(test_bytes_per_line_for_width),
        cmocka_unit_test(test_area_rows),
        cmocka_unit_test(test_inspector_values),
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
        cmocka_unit_test(test_parse_offset),
        cmocka_unit_test(test_search_basic),
        cmocka_unit_test(test_search_across_chunks),
        cmocka_unit_test(test_search_bounded_steps),
        cmocka_unit_test(test_search_skips_holes),
        cmocka_unit_test(test_search_error),
        cmocka_unit_test(test_write_file),
    };
    int r = cmocka_run_group_tests(tests, setup, teardown);
    vl_window_free(&win);
    return r;
}
