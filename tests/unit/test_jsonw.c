/*
 * jsonw: documents written with jw_* into memory and parsed back with json-c; escaping of
 * arbitrary text, numbers at their limits, documents larger than the 64 KiB buffer, and
 * write failures reported by jw_finish.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>

#include "jsonw.h"

/* A writer on a memory stream; finish() closes it and returns the text. */
struct doc {
    struct jsonw w;
    FILE *f;
    char *text;
    size_t len;
};

static struct doc *doc_new(void)
{
    struct doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    d->f = open_memstream(&d->text, &d->len);
    assert_non_null(d->f);
    jw_init(&d->w, d->f);
    return d;
}

static const char *doc_finish(struct doc *d)
{
    assert_int_equal(jw_finish(&d->w), 0);
    assert_int_equal(fclose(d->f), 0);
    d->f = NULL;
    assert_true(d->len > 0);
    assert_int_equal(d->text[d->len - 1], '\n');
    return d->text;
}

static void doc_free(struct doc *d)
{
    free(d->text);
    free(d);
}

/* Parses the whole text as exactly one JSON value; fails the test otherwise. */
static json_object *parse_all(const char *text)
{
    json_tokener *tok = json_tokener_new();
    assert_non_null(tok);
    json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
    enum json_tokener_error e = json_tokener_get_error(tok);
    if (!o || e != json_tokener_success)
        fail_msg("not JSON (%s): %.200s", json_tokener_error_desc(e), text);
    /* nothing but the final newline after the value */
    size_t used = json_tokener_get_parse_end(tok);
    if (strspn(text + used, "\n") != strlen(text + used))
        fail_msg("text after the document: \"%.40s\"", text + used);
    json_tokener_free(tok);
    return o;
}

static json_object *member(json_object *o, const char *k)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, k, &v)) fail_msg("no member %s", k);
    return v;
}

static void test_structure(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    struct jsonw *w = &d->w;
    jw_obj_begin(w);
    JW_KU64(w, "a", 1);
    jw_key(w, "b");
    jw_arr_begin(w, false);
    jw_u64(w, 1);
    jw_i64(w, -2);
    jw_bool(w, true);
    jw_arr_end(w);
    jw_key(w, "c");
    jw_obj_begin(w);
    jw_key(w, "d");
    jw_null(w);
    jw_key(w, "e");
    jw_bool(w, false);
    jw_obj_end(w);
    jw_key(w, "empty_obj");
    jw_obj_begin(w);
    jw_obj_end(w);
    jw_key(w, "empty_arr");
    jw_arr_begin(w, true);
    jw_arr_end(w);
    JW_KI64(w, "i", -5);
    jw_key(w, "h");
    jw_double(w, 1.5, 2);
    jw_key(w, "lit");
    jw_literal(w, "\"root\"");
    jw_obj_end(w);
    const char *t = doc_finish(d);
    assert_string_equal(t, "{\"a\":1,\"b\":[1,-2,true],\"c\":{\"d\":null,\"e\":false},"
                           "\"empty_obj\":{},\"empty_arr\":[],\"i\":-5,\"h\":1.50,"
                           "\"lit\":\"root\"}\n");
    json_object *o = parse_all(t);
    assert_int_equal(json_object_get_int64(member(o, "a")), 1);
    json_object *b = member(o, "b");
    assert_int_equal(json_object_array_length(b), 3);
    assert_int_equal(json_object_get_int64(json_object_array_get_idx(b, 1)), -2);
    assert_true(json_object_is_type(member(member(o, "c"), "d"), json_type_null));
    assert_true(json_object_get_double(member(o, "h")) == 1.5);
    assert_string_equal(json_object_get_string(member(o, "lit")), "root");
    json_object_put(o);
    doc_free(d);
}

static void test_array_lines(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    struct jsonw *w = &d->w;
    jw_obj_begin(w);
    jw_key(w, "shm");
    jw_arr_begin(w, true);
    for (int i = 0; i < 3; i++) {
        jw_obj_begin(w);
        JW_KI64(w, "id", i);
        jw_key(w, "status");
        jw_arr_begin(w, false);
        jw_str_plain(w, "dest");
        jw_str_plain(w, "hugetlb");
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    JW_KU64(w, "n", 3);
    jw_obj_end(w);
    const char *t = doc_finish(d);
    assert_string_equal(t, "{\"shm\":[\n{\"id\":0,\"status\":[\"dest\",\"hugetlb\"]},\n"
                           "{\"id\":1,\"status\":[\"dest\",\"hugetlb\"]},\n"
                           "{\"id\":2,\"status\":[\"dest\",\"hugetlb\"]}\n],\"n\":3}\n");
    json_object *o = parse_all(t);
    assert_int_equal(json_object_array_length(member(o, "shm")), 3);
    json_object_put(o);
    doc_free(d);
}

/* Writes {"s": jw_str(in)} and returns the parsed string (caller frees). */
static char *roundtrip(const char *in, bool plain)
{
    struct doc *d = doc_new();
    jw_obj_begin(&d->w);
    jw_key(&d->w, "s");
    if (plain)
        jw_str_plain(&d->w, in);
    else
        jw_str(&d->w, in);
    jw_obj_end(&d->w);
    json_object *o = parse_all(doc_finish(d));
    char *s = strdup(json_object_get_string(member(o, "s")));
    json_object_put(o);
    doc_free(d);
    return s;
}

static void check_roundtrip(const char *in, const char *expect)
{
    for (int plain = 0; plain < 2; plain++) {
        char *out = roundtrip(in, plain);
        if (strcmp(out, expect) != 0)
            fail_msg("%s(\"%s\") came back as \"%s\"", plain ? "jw_str_plain" : "jw_str", in, out);
        free(out);
    }
}

/* The exact text jw_str writes for in: RFC 8259's escapes only. */
static void check_exact(const char *in, const char *literal)
{
    struct doc *d = doc_new();
    jw_str(&d->w, in);
    const char *t = doc_finish(d);
    char *want = malloc(strlen(literal) + 2);
    assert_non_null(want);
    sprintf(want, "%s\n", literal);
    if (strcmp(t, want) != 0) fail_msg("jw_str(\"%s\") wrote %s, not %s", in, t, literal);
    free(want);
    doc_free(d);
    /* jw_quote writes the same literal into a buffer of JW_QUOTED_MAX bytes */
    size_t n = strlen(in);
    char *buf = malloc(JW_QUOTED_MAX(n));
    assert_non_null(buf);
    size_t l = jw_quote(buf, in, n);
    assert_true(l <= JW_QUOTED_MAX(n));
    if (l != strlen(literal) || memcmp(buf, literal, l) != 0)
        fail_msg("jw_quote(\"%s\") wrote %.*s, not %s", in, (int)l, buf, literal);
    free(buf);
}

static void test_escapes_exactly_rfc8259(void **state)
{
    (void)state;
    /* '/' is not escaped (json-c wrote "\/"), nor DEL, nor C1 controls, nor any valid
     * character outside ASCII */
    check_exact("a/b</script>", "\"a/b</script>\"");
    check_exact("del\x7f", "\"del\x7f\"");
    check_exact("c1\xc2\x85", "\"c1\xc2\x85\"");
    check_exact("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    /* the two characters that must be, and the controls: short forms where JSON has them */
    check_exact("say \"hi\" \\", "\"say \\\"hi\\\" \\\\\"");
    check_exact("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    check_exact("\x01\x1b[31m\x1f", "\"\\u0001\\u001b[31m\\u001f\"");
    /* invalid bytes: one U+FFFD each */
    check_exact("a\xff\xc0\xafz", "\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz\"");
    check_exact("", "\"\"");
    /* the worst case for the buffer: every byte a control */
    char ctl[41], lit[41 * 6 + 3] = "\"";
    for (int i = 0; i < 40; i++) {
        ctl[i] = 0x01;
        strcat(lit, "\\u0001");
    }
    ctl[40] = '\0';
    strcat(lit, "\"");
    check_exact(ctl, lit);
}

/* A long string is escaped in pieces: no character may be split where a piece ends. */
static void test_long_utf8_not_split(void **state)
{
    (void)state;
    for (size_t shift = 0; shift < 4; shift++) {
        size_t n = 3 * 5000 + shift;
        char *in = malloc(n + 1);
        assert_non_null(in);
        memset(in, 'x', shift);
        for (size_t i = shift; i + 3 <= n; i += 3) memcpy(in + i, "\xe2\x82\xac", 3);
        in[n] = '\0';
        char *out = roundtrip(in, false);
        assert_string_equal(out, in);
        free(out);
        free(in);
    }
}

static void test_strings_escaped(void **state)
{
    (void)state;
    static const char *const same[] = {
        "",
        "plain",
        "say \"hi\"",
        "back\\slash\\",
        "a/b</script>",
        "tab\tnew\nline\rcr",
        "\x01\x02\x1b[31m\x1f\x7f",
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
        "\"\\\"\\",
        "{\"not\":\"json\"}",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) check_roundtrip(same[i], same[i]);
}

static void test_invalid_utf8_becomes_fffd(void **state)
{
    (void)state;
    check_roundtrip("a\xff"
                    "b",
                    "a\xef\xbf\xbd"
                    "b");
    check_roundtrip("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
    check_roundtrip("\xed\xa0\x80!", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
    check_roundtrip("end\xe2\x82", "end\xef\xbf\xbd\xef\xbf\xbd");
    /* every byte invalid: the worst case for the conversion buffer */
    char in[301], expect[901];
    memset(in, 0x80, 300);
    in[300] = '\0';
    for (int i = 0; i < 300; i++) memcpy(expect + 3 * i, "\xef\xbf\xbd", 3);
    expect[900] = '\0';
    check_roundtrip(in, expect);
}

static void test_plain_strings(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    jw_arr_begin(&d->w, false);
    jw_str_plain(&d->w, "0x1234abcd");
    jw_str_plain(&d->w, "640");
    jw_str_plain(&d->w, "1.5K");
    jw_str_plain(&d->w, "-3:+5%_");
    jw_str_plain(&d->w, "");
    jw_arr_end(&d->w);
    assert_string_equal(doc_finish(d), "[\"0x1234abcd\",\"640\",\"1.5K\",\"-3:+5%_\",\"\"]\n");
    doc_free(d);
    /* anything outside the alphabet falls back to escaping (checked by check_roundtrip) */
    check_roundtrip("a b", "a b");
    check_roundtrip("x\"y", "x\"y");
    check_roundtrip("\\", "\\");
    check_roundtrip("ctl\x01", "ctl\x01");
    check_roundtrip("\xff", "\xef\xbf\xbd");
}

static void test_long_strings(void **state)
{
    (void)state;
    /* longer than the 64 KiB buffer, with escapes spread through it */
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) big[i] = "ab\"c\\d\ne/f"[i % 10];
    big[n] = '\0';
    char *out = roundtrip(big, false);
    assert_int_equal(strlen(out), n);
    assert_memory_equal(out, big, n);
    free(out);
    /* a document of many small items larger than the buffer keeps its order */
    struct doc *d = doc_new();
    jw_arr_begin(&d->w, true);
    for (int i = 0; i < 30000; i++) {
        jw_obj_begin(&d->w);
        JW_KI64(&d->w, "id", i);
        jw_key(&d->w, "s");
        jw_str(&d->w, i % 1000 ? "x" : big); /* big strings in between, too */
        jw_obj_end(&d->w);
    }
    jw_arr_end(&d->w);
    json_object *o = parse_all(doc_finish(d));
    assert_int_equal(json_object_array_length(o), 30000);
    for (int i = 0; i < 30000; i += 997) {
        json_object *e = json_object_array_get_idx(o, (size_t)i);
        assert_int_equal(json_object_get_int64(member(e, "id")), i);
        assert_int_equal(strlen(json_object_get_string(member(e, "s"))), i % 1000 ? 1 : n);
    }
    json_object_put(o);
    doc_free(d);
    free(big);
}

static void test_number_limits(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    jw_arr_begin(&d->w, false);
    jw_i64(&d->w, INT64_MIN);
    jw_i64(&d->w, INT64_MAX);
    jw_i64(&d->w, 0);
    jw_i64(&d->w, -1);
    jw_u64(&d->w, UINT64_MAX);
    jw_u64(&d->w, 0);
    jw_u64(&d->w, 9);
    jw_u64(&d->w, 10);
    jw_u64(&d->w, 99);
    jw_u64(&d->w, 100);
    jw_u64(&d->w, 1000000007);
    jw_arr_end(&d->w);
    const char *t = doc_finish(d);
    assert_string_equal(t, "[-9223372036854775808,9223372036854775807,0,-1,"
                           "18446744073709551615,0,9,10,99,100,1000000007]\n");
    json_object *o = parse_all(t);
    assert_true(json_object_get_int64(json_object_array_get_idx(o, 0)) == INT64_MIN);
    assert_true(json_object_get_int64(json_object_array_get_idx(o, 1)) == INT64_MAX);
    assert_true(json_object_get_uint64(json_object_array_get_idx(o, 4)) == UINT64_MAX);
    json_object_put(o);
    doc_free(d);
    /* every digit count, and the number just below each power of ten */
    uint64_t v = 1;
    for (int digits = 1; digits <= 20; digits++, v *= 10) {
        d = doc_new();
        jw_u64(&d->w, v);
        jw_u64(&d->w, v - 1);
        char expect[64];
        snprintf(expect, sizeof expect, "%llu,%llu\n", (unsigned long long)v,
                 (unsigned long long)(v - 1));
        assert_string_equal(doc_finish(d), expect);
        doc_free(d);
    }
}

static void test_doubles(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    jw_arr_begin(&d->w, false);
    jw_double(&d->w, 1.5, 2);
    jw_double(&d->w, -2.25, 2);
    jw_double(&d->w, 3, 0);
    jw_double(&d->w, NAN, 2);
    jw_double(&d->w, INFINITY, 1);
    jw_double(&d->w, -INFINITY, 1);
    jw_arr_end(&d->w);
    assert_string_equal(doc_finish(d), "[1.50,-2.25,3,null,null,null]\n");
    doc_free(d);
}

static void test_huge_double(void **state)
{
    (void)state;
    /* a finite value whose digits do not fit the writer's 64-byte scratch must still give
     * a value, not "k": followed by nothing */
    struct doc *d = doc_new();
    jw_obj_begin(&d->w);
    jw_key(&d->w, "rate");
    jw_double(&d->w, 1e300, 2);
    jw_key(&d->w, "next");
    jw_u64(&d->w, 1);
    jw_obj_end(&d->w);
    json_object *o = parse_all(doc_finish(d));
    assert_int_equal(json_object_get_int64(member(o, "next")), 1);
    json_object_put(o);
    doc_free(d);
}

static void test_nesting(void **state)
{
    (void)state;
    struct doc *d = doc_new();
    for (int i = 0; i < JW_MAX_DEPTH - 1; i++) jw_arr_begin(&d->w, i % 2);
    jw_u64(&d->w, 1);
    jw_u64(&d->w, 2);
    for (int i = 0; i < JW_MAX_DEPTH - 1; i++) {
        jw_arr_end(&d->w);
        if (i < JW_MAX_DEPTH - 2) jw_u64(&d->w, (uint64_t)i); /* a sibling after it */
    }
    json_object *o = parse_all(doc_finish(d));
    json_object_put(o);
    doc_free(d);
}

static void write_some(struct jsonw *w, int n)
{
    jw_arr_begin(w, true);
    for (int i = 0; i < n; i++) {
        jw_obj_begin(w);
        JW_KI64(w, "id", i);
        jw_key(w, "name");
        jw_str(w, "postgres");
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void test_write_failure_dev_full(void **state)
{
    (void)state;
    static const int sizes[] = {1, 20000}; /* smaller and larger than the buffer */
    for (size_t k = 0; k < 2; k++) {
        int n = sizes[k];
        FILE *f = fopen("/dev/full", "w");
        assert_non_null(f);
        struct jsonw *w = malloc(sizeof *w);
        assert_non_null(w);
        jw_init(w, f);
        write_some(w, n);
        assert_int_equal(jw_finish(w), -1);
        fclose(f);
        free(w);
    }
}

static void test_write_failure_closed_pipe(void **state)
{
    (void)state;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]); /* nobody reads */
    FILE *f = fdopen(fds[1], "w");
    assert_non_null(f);
    struct jsonw *w = malloc(sizeof *w);
    assert_non_null(w);
    jw_init(w, f);
    write_some(w, 3);
    assert_int_equal(jw_finish(w), -1);
    fclose(f);
    free(w);
    signal(SIGPIPE, old);
}

static void test_finish_ok_on_file(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    struct jsonw *w = malloc(sizeof *w);
    assert_non_null(w);
    jw_init(w, f);
    write_some(w, 5000);
    assert_int_equal(jw_finish(w), 0);
    long size = ftell(f);
    assert_true(size > 65536);
    rewind(f);
    char *text = calloc(1, (size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    json_object *o = parse_all(text);
    assert_int_equal(json_object_array_length(o), 5000);
    json_object_put(o);
    free(text);
    free(w);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_array_lines),
        cmocka_unit_test(test_strings_escaped),
        cmocka_unit_test(test_escapes_exactly_rfc8259),
        cmocka_unit_test(test_long_utf8_not_split),
        cmocka_unit_test(test_invalid_utf8_becomes_fffd),
        cmocka_unit_test(test_plain_strings),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_number_limits),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_huge_double),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_write_failure_dev_full),
        cmocka_unit_test(test_write_failure_closed_pipe),
        cmocka_unit_test(test_finish_ok_on_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
