/*
 * users: uid/gid to names through the system's passwd/group databases, cached.
 * Only uid/gid 0 (root, present on every system) and numbers no system assigns are used,
 * so the test does not depend on the machine's accounts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include <cmocka.h>

#include "users.h"

#define NOBODY_UID UINT32_C(4000000000) /* no passwd entry anywhere */

static void test_root(void **state)
{
    (void)state;
    struct users *u = users_new();
    assert_non_null(u);
    assert_string_equal(users_name(u, 0), "root");
    assert_string_equal(groups_name(u, 0), "root");
    assert_string_equal(users_name_json(u, 0), "\"root\"");
    users_free(u);
}

static void test_unknown_is_number(void **state)
{
    (void)state;
    struct users *u = users_new();
    assert_string_equal(users_name(u, NOBODY_UID), "4000000000");
    assert_string_equal(groups_name(u, NOBODY_UID + 1), "4000000001");
    assert_string_equal(users_name(u, UINT32_MAX - 5), "4294967290");
    /* in JSON it is still a string: a name column holds strings */
    assert_string_equal(users_name_json(u, NOBODY_UID), "\"4000000000\"");
    users_free(u);
}

static void test_json_form(void **state)
{
    (void)state;
    struct users *u = users_new();
    static const uint32_t ids[] = {0, NOBODY_UID, 3999999999u};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const char *lit = users_name_json(u, ids[i]);
        json_object *o = json_tokener_parse(lit);
        if (!o || !json_object_is_type(o, json_type_string))
            fail_msg("users_name_json(%u) = %s is not a JSON string", ids[i], lit);
        /* the literal holds the same name the terminal shows */
        assert_string_equal(json_object_get_string(o), users_name(u, ids[i]));
        json_object_put(o);
    }
    users_free(u);
}

static void test_cached(void **state)
{
    (void)state;
    struct users *u = users_new();
    const char *root = users_name(u, 0);
    const char *root_json = users_name_json(u, 0);
    const char *unk = users_name(u, NOBODY_UID);
    assert_ptr_equal(users_name(u, 0), root);
    assert_ptr_equal(users_name_json(u, 0), root_json);
    assert_ptr_equal(users_name(u, NOBODY_UID), unk);
    /* uids and gids are separate caches: gid 0 is not uid 0's entry */
    assert_ptr_not_equal(groups_name(u, 0), root);
    /* enough other ids to grow the cache several times: earlier names stay put */
    const char *first[300];
    for (uint32_t i = 0; i < 300; i++) first[i] = users_name(u, NOBODY_UID + 10 + i);
    for (uint32_t i = 0; i < 300; i++) {
        char expect[16];
        snprintf(expect, sizeof expect, "%u", NOBODY_UID + 10 + i);
        assert_ptr_equal(users_name(u, NOBODY_UID + 10 + i), first[i]);
        assert_string_equal(first[i], expect);
    }
    assert_ptr_equal(users_name(u, 0), root);
    assert_string_equal(root, "root");
    assert_ptr_equal(users_name(u, NOBODY_UID), unk);
    assert_string_equal(unk, "4000000000");
    users_free(u);
}

static void test_colliding_ids(void **state)
{
    (void)state;
    struct users *u = users_new();
    /* ids 64 apart hash to the same slot of the first table: a chain of collisions */
    for (uint32_t k = 1; k <= 40; k++) {
        char expect[16];
        uint32_t id = NOBODY_UID + k * 64;
        snprintf(expect, sizeof expect, "%u", id);
        assert_string_equal(users_name(u, id), expect);
    }
    for (uint32_t k = 1; k <= 40; k++) {
        char expect[16];
        uint32_t id = NOBODY_UID + k * 64;
        snprintf(expect, sizeof expect, "%u", id);
        assert_string_equal(users_name(u, id), expect);
    }
    users_free(u);
    users_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root),          cmocka_unit_test(test_unknown_is_number),
        cmocka_unit_test(test_json_form),     cmocka_unit_test(test_cached),
        cmocka_unit_test(test_colliding_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
