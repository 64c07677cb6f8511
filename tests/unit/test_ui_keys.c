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

#include <cmocka.h>
#include <ncurses.h>

#include "keys.h"

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
                fail_msg("key %d (%s) is bound twice: to actions %d and %d", b[i].key,
                         keyname(b[i].key), b[i].action, b[j].action);
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
        if (b[i].action == ACT_NONE) fail_msg("key %s is bound to nothing", keyname(b[i].key));
        if (!find_action(b[i].action))
            fail_msg("key %s is bound to action %d, which is not in the table", keyname(b[i].key),
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
static int key_of_name(const char *name)
{
    static const struct {
        const char *name;
        int key;
    } named[] = {
        {"Tab", '\t'},       {"Shift-Tab", KEY_BTAB},
        {"Up", KEY_UP},      {"Down", KEY_DOWN},
        {"Left", KEY_LEFT},  {"Right", KEY_RIGHT},
        {"PgUp", KEY_PPAGE}, {"PgDn", KEY_NPAGE},
        {"Home", KEY_HOME},  {"End", KEY_END},
        {"Enter", '\n'},     {"Space", ' '},
        {"Esc", KEY_ESCAPE}, {"Del", KEY_DC},
        {"Ins", KEY_IC},     {"Backspace", KEY_BACKSPACE},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(name, named[i].name) == 0) return named[i].key;
    if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') return KEY_F(atoi(name + 1));
    if (strncmp(name, "Ctrl-", 5) == 0 && name[5] && !name[6]) return KEY_CTRL(name[5] | 0x20);
    if (name[0] && !name[1]) return (unsigned char)name[0];
    return -1;
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
            int key = key_of_name(t);
            if (key < 0)
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
        int key;
        enum action act;
    } want[] = {
        {KEY_F(1), ACT_HELP},
        {'h', ACT_HELP},
        {'?', ACT_HELP},
        {KEY_F(3), ACT_SEARCH},
        {'/', ACT_SEARCH},
        {'n', ACT_SEARCH_NEXT},
        {KEY_F(4), ACT_FILTER},
        {'\\', ACT_FILTER},
        {KEY_F(6), ACT_SORT_MENU},
        {'<', ACT_SORT_PREV},
        {'>', ACT_SORT_NEXT},
        {'I', ACT_SORT_INVERT},
        {' ', ACT_TAG},
        {'U', ACT_UNTAG_ALL},
        {'Z', ACT_PAUSE},
        {KEY_CTRL('l'), ACT_REDRAW},
        {KEY_F(10), ACT_QUIT},
        {'q', ACT_QUIT},
        {'\t', ACT_NEXT_SCREEN},
        {KEY_BTAB, ACT_PREV_SCREEN},
        {'1', ACT_SCREEN_SHM},
        {'2', ACT_SCREEN_SEM},
        {'3', ACT_SCREEN_MSG},
        {KEY_UP, ACT_UP},
        {KEY_DOWN, ACT_DOWN},
        {KEY_PPAGE, ACT_PGUP},
        {KEY_NPAGE, ACT_PGDN},
        {KEY_HOME, ACT_HOME},
        {KEY_END, ACT_END},
        {'\n', ACT_DETAIL},
        {'\r', ACT_DETAIL},
        {KEY_ENTER, ACT_DETAIL},
        {'+', ACT_DELAY_LONGER},
        {'-', ACT_DELAY_SHORTER},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (keys_lookup(want[i].key) != want[i].act)
            fail_msg("key %s: action %d, expected %d", keyname(want[i].key),
                     keys_lookup(want[i].key), want[i].act);
    /* htop's F9 acts on processes/objects: it is taken, not free for something else */
    assert_int_not_equal(keys_lookup(KEY_F(9)), ACT_NONE);
    /* keys that do nothing */
    assert_int_equal(keys_lookup('@'), ACT_NONE);
    assert_int_equal(keys_lookup(KEY_F(12)), ACT_NONE);
    assert_int_equal(keys_lookup(0), ACT_NONE);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
