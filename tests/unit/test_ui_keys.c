/*
 * ui/keys.c: the one key -> action table. No key bound twice; every action has a run
 * function, keys and help text, and a key that reaches it; every binding names an action
 * of the table; what the help says a key does is what the key does; htop's meanings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>
#include <ncurses.h>

#include "keys.h"

/* A keycode's name for messages: curses' name of a special key, else the character. */
static const char *name_of(keycode k)
{
    static char buf[32];
    if (key_is_special(k)) return keyname((int)(k - KEYC_BASE));
    snprintf(buf, sizeof buf, "U+%04X", k);
    return buf;
}

static const struct action_info *find_action(enum action id)
{
    size_t n;
    const struct action_info *a = keys_actions(&n);
    for (size_t i = 0; i < n; i++)
        if (a[i].id == id) return &a[i];
    return NULL;
}

static void test_no_key_bound_twice(void **state)
{
    (void)state;
    size_t n;
    const struct key_binding *b = keys_bindings(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (b[i].key == b[j].key)
                fail_msg("key 0x%x (%s) is bound twice: to actions %d and %d", b[i].key,
                         name_of(b[i].key), b[i].action, b[j].action);
}

static void test_actions_complete(void **state)
{
    (void)state;
    size_t n;
    const struct action_info *a = keys_actions(&n);
    assert_true(n >= 25);
    for (size_t i = 0; i < n; i++) {
        if (a[i].id <= ACT_NONE || a[i].id >= ACT_COUNT)
            fail_msg("action %zu has id %d", i, a[i].id);
        if (!a[i].run) fail_msg("action %d (%s) has no run function", a[i].id, a[i].keys);
        if (!a[i].keys || !*a[i].keys) fail_msg("action %d has no keys to show", a[i].id);
        if (!a[i].help || !*a[i].help)
            fail_msg("action %d (%s) has no help text", a[i].id, a[i].keys);
        for (size_t j = i + 1; j < n; j++)
            if (a[i].id == a[j].id) fail_msg("action %d is listed twice in the help", a[i].id);
    }
}

static void test_bindings_name_actions(void **state)
{
    (void)state;
    size_t n;
    const struct key_binding *b = keys_bindings(&n);
    for (size_t i = 0; i < n; i++) {
        if (b[i].action == ACT_NONE) fail_msg("key %s is bound to nothing", name_of(b[i].key));
        if (!find_action(b[i].action))
            fail_msg("key %s is bound to action %d, which is not in the table", name_of(b[i].key),
                     b[i].action);
        assert_int_equal(keys_lookup(b[i].key), b[i].action);
    }
}

/* An action in the help that no key reaches would be a lie. */
static void test_every_action_has_a_key(void **state)
{
    (void)state;
    size_t na, nb;
    const struct action_info *a = keys_actions(&na);
    const struct key_binding *b = keys_bindings(&nb);
    for (size_t i = 0; i < na; i++) {
        bool bound = false;
        for (size_t j = 0; j < nb && !bound; j++) bound = b[j].action == a[i].id;
        if (!bound) fail_msg("action '%s' (%s) has no key", a[i].help, a[i].keys);
    }
}

/* The key code of a name as the help screen writes it; -1 when the name is unknown. */
static keycode key_of_name(const char *name)
{
    static const struct {
        const char *name;
        keycode key;
    } named[] = {
        {"Tab", '\t'},           {"Shift-Tab", KC(KEY_BTAB)},
        {"Up", KC(KEY_UP)},      {"Down", KC(KEY_DOWN)},
        {"Left", KC(KEY_LEFT)},  {"Right", KC(KEY_RIGHT)},
        {"PgUp", KC(KEY_PPAGE)}, {"PgDn", KC(KEY_NPAGE)},
        {"Home", KC(KEY_HOME)},  {"End", KC(KEY_END)},
        {"Enter", '\n'},         {"Space", ' '},
        {"Esc", KEY_ESCAPE},     {"Del", KC(KEY_DC)},
        {"Ins", KC(KEY_IC)},     {"Backspace", KC(KEY_BACKSPACE)},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(name, named[i].name) == 0) return named[i].key;
    if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') return KC(KEY_F(atoi(name + 1)));
    if (strncmp(name, "Ctrl-", 5) == 0 && name[5] && !name[6]) return KEY_CTRL(name[5] | 0x20);
    if (name[0] && !name[1]) return (unsigned char)name[0];
    return KC_NONE;
}

/* "F3 /" in the help of an action means F3 and / both do it. */
static void test_help_says_what_keys_do(void **state)
{
    (void)state;
    size_t n;
    const struct action_info *a = keys_actions(&n);
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", a[i].keys);
        for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            keycode key = key_of_name(t);
            if (key == KC_NONE)
                fail_msg("help of '%s' names key '%s', which this test does not know", a[i].help,
                         t);
            if (keys_lookup(key) != a[i].id)
                fail_msg("the help says %s does '%s', but it is bound to action %d", t, a[i].help,
                         keys_lookup(key));
        }
    }
}

/* Keys whose meaning htop users know, and the others the issue names. */
static void test_htop_meanings(void **state)
{
    (void)state;
    static const struct {
        keycode key;
        enum action act;
    } want[] = {
        {KC(KEY_F(1)), ACT_HELP},
        {'h', ACT_HELP},
        {'?', ACT_HELP},
        {KC(KEY_F(3)), ACT_SEARCH},
        {'/', ACT_SEARCH},
        {'n', ACT_SEARCH_NEXT},
        {KC(KEY_F(4)), ACT_FILTER},
        {'\\', ACT_FILTER},
        {KC(KEY_F(6)), ACT_SORT_MENU},
        {'<', ACT_SORT_PREV},
        {'>', ACT_SORT_NEXT},
        {'I', ACT_SORT_INVERT},
        {' ', ACT_TAG},
        {'U', ACT_UNTAG_ALL},
        {'Z', ACT_PAUSE},
        {KEY_CTRL('l'), ACT_REDRAW},
        {KC(KEY_F(10)), ACT_QUIT},
        {'q', ACT_QUIT},
        {'\t', ACT_NEXT_SCREEN},
        {KC(KEY_BTAB), ACT_PREV_SCREEN},
        {'1', ACT_LIST_1},
        {'2', ACT_LIST_2},
        {'3', ACT_LIST_3},
        {KC(KEY_UP), ACT_UP},
        {KC(KEY_DOWN), ACT_DOWN},
        {KC(KEY_PPAGE), ACT_PGUP},
        {KC(KEY_NPAGE), ACT_PGDN},
        {KC(KEY_HOME), ACT_HOME},
        {KC(KEY_END), ACT_END},
        {'\n', ACT_DETAIL},
        {'\r', ACT_DETAIL},
        {KC(KEY_ENTER), ACT_DETAIL},
        {'+', ACT_DELAY_LONGER},
        {'-', ACT_DELAY_SHORTER},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (keys_lookup(want[i].key) != want[i].act)
            fail_msg("key %s: action %d, expected %d", name_of(want[i].key),
                     keys_lookup(want[i].key), want[i].act);
    /* htop's F9 acts on processes/objects: it is taken, not free for something else */
    assert_int_not_equal(keys_lookup(KC(KEY_F(9))), ACT_NONE);
    /* keys that do nothing */
    assert_int_equal(keys_lookup('@'), ACT_NONE);
    assert_int_equal(keys_lookup(KC(KEY_F(12))), ACT_NONE);
    assert_int_equal(keys_lookup(0), ACT_NONE);
    assert_int_equal(keys_lookup(KC_NONE), ACT_NONE);
}

/* A typed letter whose code point equals a curses KEY_* value is that letter, not the key:
 * get_wch gives 'đ' (U+0111) as OK/0x111 and F9 as KEY_CODE_YES/0x111. */
static void test_letters_are_not_function_keys(void **state)
{
    (void)state;
    static const struct {
        wchar_t letter;
        int curses_key;
    } pairs[] = {
        {L'đ', KEY_F(9)},   {L'Č', KEY_F(4)},  {L'Ē', KEY_F(10)},     {L'š', KEY_BTAB},
        {L'œ', KEY_PPAGE},  {L'Œ', KEY_NPAGE}, {L'ĉ', KEY_F(1)},      {L'ċ', KEY_F(3)},
        {L'Ď', KEY_F(6)},   {L'Ċ', KEY_F(2)},  {L'ă', KEY_UP},        {L'Ă', KEY_DOWN},
        {L'Ć', KEY_HOME},   {L'Ũ', KEY_END},   {L'Ŋ', KEY_DC},        {L'ŗ', KEY_ENTER},
        {L'ƚ', KEY_RESIZE}, {L'ƙ', KEY_MOUSE}, {L'ć', KEY_BACKSPACE},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        assert_int_equal((int)pairs[i].letter, pairs[i].curses_key); /* the overlap is real */
        keycode letter = key_decode(false, (uint32_t)pairs[i].letter);
        keycode key = key_decode(true, (uint32_t)pairs[i].curses_key);
        assert_int_equal(letter, (keycode)pairs[i].letter);
        assert_int_not_equal(letter, key);
        assert_false(key_is_special(letter));
        assert_true(key_is_special(key));
        if (keys_lookup(letter) != ACT_NONE)
            fail_msg("typing %lc runs action %d (the action of %s)", (wint_t)pairs[i].letter,
                     keys_lookup(letter), keyname(pairs[i].curses_key));
    }
    /* the keys themselves still do what they do */
    assert_int_equal(keys_lookup(key_decode(true, KEY_F(9))), ACT_REMOVE);
    assert_int_equal(keys_lookup(key_decode(true, KEY_F(4))), ACT_FILTER);
    assert_int_equal(keys_lookup(key_decode(true, KEY_F(10))), ACT_QUIT);
    assert_int_equal(keys_lookup(key_decode(true, KEY_BTAB)), ACT_PREV_SCREEN);
    assert_int_equal(keys_lookup(key_decode(true, KEY_PPAGE)), ACT_PGUP);
    /* and ASCII is ASCII */
    assert_int_equal(keys_lookup(key_decode(false, 'q')), ACT_QUIT);
    /* every binding: a character is never above Unicode, a special key always is */
    size_t n;
    const struct key_binding *b = keys_bindings(&n);
    for (size_t i = 0; i < n; i++) assert_true(b[i].key <= 0x10ffff || key_is_special(b[i].key));
    /* codes that are no character at all */
    assert_int_equal(key_decode(false, 0xd800), KC_NONE);
    assert_int_equal(key_decode(false, 0x110000), KC_NONE);
    assert_int_equal(key_decode(true, KEYC_BASE), KC_NONE);
}

static void test_mouse_decode(void **state)
{
    (void)state;
    assert_int_equal(mouse_decode(BUTTON1_CLICKED), MOUSE_CLICK);
    assert_int_equal(mouse_decode(BUTTON1_PRESSED), MOUSE_CLICK);
    assert_int_equal(mouse_decode(BUTTON1_DOUBLE_CLICKED), MOUSE_DOUBLE_CLICK);
    assert_int_equal(mouse_decode(BUTTON4_PRESSED), MOUSE_WHEEL_UP);
#ifdef BUTTON5_PRESSED
    assert_int_equal(mouse_decode(BUTTON5_PRESSED), MOUSE_WHEEL_DOWN);
#endif
    assert_int_equal(mouse_decode(BUTTON1_RELEASED), MOUSE_NONE);
    assert_int_equal(mouse_decode(BUTTON3_PRESSED), MOUSE_NONE);
    assert_int_equal(mouse_decode(0), MOUSE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_key_bound_twice),
        cmocka_unit_test(test_actions_complete),
        cmocka_unit_test(test_bindings_name_actions),
        cmocka_unit_test(test_every_action_has_a_key),
        cmocka_unit_test(test_help_says_what_keys_do),
        cmocka_unit_test(test_htop_meanings),
        cmocka_unit_test(test_letters_are_not_function_keys),
        cmocka_unit_test(test_mouse_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
