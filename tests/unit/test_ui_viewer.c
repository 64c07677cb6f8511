/*
 * ui/viewer_logic.c, the segment viewer's pure parts about the screen: the columns of a
 * line at each width match hexdump -C's text; bytes per line for a width; how the rows are
 * shared; the inspector's values in both byte orders; goto offsets; file names typed.
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

#include "hexdump.h"
#include "format.h"
#include "viewer_logic.h"

#define MAX_BPL 32 /* the widest line the viewer lays out */

/* ---- layout --------------------------------------------------------------------------------- */

static void test_layout_matches_hexdump_text(void **state)
{
    (void)state;
    uint8_t bytes[MAX_BPL];
    for (unsigned i = 0; i < MAX_BPL; i++) bytes[i] = (uint8_t)(i * 37 + 5);
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

/* ---- goto and search (the goto reads offsets with parse_bytes)
 * ------------------------------------------------------------------------- */

static void test_parse_offset(void **state)
{
    (void)state;
    uint64_t o;
    assert_true(parse_bytes("4096", &o));
    assert_int_equal(o, 4096);
    assert_true(parse_bytes("0x1F40", &o));
    assert_int_equal(o, 0x1f40);
    assert_true(parse_bytes(" 0x10 ", &o));
    assert_int_equal(o, 16);
    assert_true(parse_bytes("4K", &o));
    assert_int_equal(o, 4096);
    assert_true(parse_bytes("0x2m", &o));
    assert_int_equal(o, 2u << 20);
    assert_true(parse_bytes("64G", &o));
    assert_int_equal(o, 64ull << 30);
    /* the goto and --offset read the same way (format.h): no leading zero, so that no one
     * expects octal */
    assert_false(parse_bytes("010", &o));
    assert_true(parse_bytes("0", &o));
    assert_int_equal(o, 0);
    assert_false(parse_bytes("", &o));
    assert_false(parse_bytes("0x", &o));
    assert_false(parse_bytes("abc", &o));
    assert_false(parse_bytes("12x", &o));
    assert_false(parse_bytes("-1", &o));
    assert_false(parse_bytes("0xfffffffffffffffffff", &o));
    assert_false(parse_bytes("0xffffffffffffffffK", &o));
}

static void test_write_path(void **state)
{
    (void)state;
    char out[64];
    assert_true(vl_write_path("~/shm-1.bin", "/home/u", out, sizeof out));
    assert_string_equal(out, "/home/u/shm-1.bin");
    assert_true(vl_write_path("/tmp/x", "/home/u", out, sizeof out));
    assert_string_equal(out, "/tmp/x");
    assert_true(vl_write_path("~x", "/home/u", out, sizeof out)); /* not "~/": as typed */
    assert_string_equal(out, "~x");
    assert_true(vl_write_path("~/x", NULL, out, sizeof out)); /* no home: as typed */
    assert_string_equal(out, "~/x");
    assert_true(vl_write_path("~/x", "", out, sizeof out));
    assert_string_equal(out, "~/x");
    /* too long for the buffer: refused, never cut */
    char small[8];
    assert_false(vl_write_path("~/abcdef", "/home/u", small, sizeof small));
    assert_false(vl_write_path("abcdefgh", NULL, small, sizeof small));
    assert_true(vl_write_path("abcdefg", NULL, small, sizeof small));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_matches_hexdump_text),
        cmocka_unit_test(test_bytes_per_line_for_width),
        cmocka_unit_test(test_area_rows),
        cmocka_unit_test(test_inspector_values),
        cmocka_unit_test(test_parse_offset),
        cmocka_unit_test(test_write_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
