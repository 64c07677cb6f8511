/*
 * ui/lineedit.c: the line editor of every prompt. Typed characters of any script are
 * added as UTF-8; a special key never is (F9 is not 'đ'); controls never are; Backspace
 * takes one whole character; Ctrl-U the line; Enter and Esc end it; the buffer is never
 * overrun and always holds valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ncurses.h>

#include "lineedit.h"

struct line {
    char text[16];
    size_t len;
};

static enum edit_result key(struct line *l, keycode k)
{
    enum edit_result r = line_edit_key(l->text, sizeof l->text, &l->len, k);
    assert_int_equal(strlen(l->text), l->len);
    return r;
}

static void type(struct line *l, const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++) key(l, cps[i]);
}

static void test_typing_any_script(void **state)
{
    (void)state;
    struct line l = {"", 0};
    static const uint32_t cps[] = {'c', 'a', 'f', 0xe9, ' ', 0x65e5, 0x1f600};
    type(&l, cps, sizeof cps / sizeof cps[0]);
    assert_string_equal(l.text, "caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80");
    /* Backspace: one whole character each time, whatever its length */
    assert_int_equal(key(&l, KC(KEY_BACKSPACE)), EDIT_CHANGED);
    assert_string_equal(l.text, "caf\xc3\xa9 \xe6\x97\xa5");
    assert_int_equal(key(&l, 0x7f), EDIT_CHANGED);
    assert_string_equal(l.text, "caf\xc3\xa9 ");
    key(&l, 0x08);
    key(&l, 0x7f);
    assert_string_equal(l.text, "caf");
    assert_int_equal(key(&l, KEY_CTRL('u')), EDIT_CHANGED);
    assert_string_equal(l.text, "");
    assert_int_equal(key(&l, 0x7f), EDIT_NONE);
    assert_int_equal(key(&l, KEY_CTRL('u')), EDIT_NONE);
}

/* The letters whose code points are curses key codes are typed as letters, and the keys
 * with those codes type nothing. */
static void test_letters_and_keys(void **state)
{
    (void)state;
    struct line l = {"", 0};
    assert_int_equal(key(&l, key_decode(false, 0x111)), EDIT_CHANGED); /* đ */
    assert_int_equal(key(&l, key_decode(false, 0x10c)), EDIT_CHANGED); /* Č */
    assert_int_equal(key(&l, key_decode(false, 0x157)), EDIT_CHANGED); /* ŗ, KEY_ENTER's code */
    assert_int_equal(key(&l, key_decode(false, 0x107)), EDIT_CHANGED); /* ć, KEY_BACKSPACE's */
    assert_string_equal(l.text, "\xc4\x91\xc4\x8c\xc5\x97\xc4\x87");
    assert_int_equal(key(&l, key_decode(true, KEY_F(9))), EDIT_NONE);
    assert_int_equal(key(&l, key_decode(true, KEY_LEFT)), EDIT_NONE);
    assert_int_equal(key(&l, key_decode(true, KEY_MOUSE)), EDIT_NONE);
    assert_int_equal(key(&l, key_decode(true, KEY_ENTER)), EDIT_SUBMIT);
    assert_int_equal(key(&l, key_decode(true, KEY_BACKSPACE)), EDIT_CHANGED);
    assert_string_equal(l.text, "\xc4\x91\xc4\x8c\xc5\x97");
    assert_int_equal(key(&l, '\n'), EDIT_SUBMIT);
    assert_int_equal(key(&l, '\r'), EDIT_SUBMIT);
    assert_int_equal(key(&l, KEY_ESCAPE), EDIT_CANCEL);
}

static void test_no_controls(void **state)
{
    (void)state;
    struct line l = {"", 0};
    static const uint32_t bad[] = {0,    1,    0x07, 0x09,   0x1b,   0x1f,     0x7f,   0x80,
                                   0x85, 0x9b, 0x9f, 0xd800, 0xdfff, 0x110000, KC_NONE};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum edit_result r = key(&l, bad[i]);
        assert_true(r != EDIT_CHANGED || bad[i] == 0x7f);
    }
    assert_string_equal(l.text, "");
    assert_true(line_edit_printable(0xa0));
    assert_true(line_edit_printable(0x10ffff));
    assert_false(line_edit_printable(KC(KEY_F(1))));
}

static void test_full_buffer(void **state)
{
    (void)state;
    struct line l = {"", 0};
    for (int i = 0; i < 40; i++) key(&l, 'x');
    assert_int_equal(l.len, sizeof l.text - 1);
    /* a character that does not fit whole is not added in part */
    key(&l, KEY_CTRL('u'));
    for (int i = 0; i < 13; i++) key(&l, 'x');
    assert_int_equal(key(&l, 0x1f600), EDIT_NONE); /* 4 bytes, 2 left */
    assert_int_equal(key(&l, 0xe9), EDIT_CHANGED); /* 2 bytes fit */
    assert_int_equal(l.len, 15);
    assert_int_equal(key(&l, 'y'), EDIT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_any_script),
        cmocka_unit_test(test_letters_and_keys),
        cmocka_unit_test(test_no_controls),
        cmocka_unit_test(test_full_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
