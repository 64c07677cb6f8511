/*
 * table.c, ipctop's text tables: aligned columns (wide and combining characters in a UTF-8
 * locale, a character a column in another), right-aligned numbers, no trailing blanks;
 * lsipc's raw format and its escapes; --noheadings; cells sanitized whatever was written;
 * long cells cut on a character; many rows through the 64 KiB buffer; a failed write.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "table.h"

static const struct table_col cols3[] = {{"NAME", false}, {"ID", true}, {"NOTE", false}};

/* The table's output with flags, as a string (the caller frees it). */
static char *written(const struct table *t, unsigned flags)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(table_write(t, f, flags), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* A table of rows given as NULL-separated cells: row(t, "a", "1", "x", NULL). */
static void row(struct table *t, ...)
{
    va_list ap;
    va_start(ap, t);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) table_add(t, s);
    va_end(ap);
}

static void use_locale(const char *name)
{
    if (!setlocale(LC_CTYPE, name)) fail_msg("no locale %s here", name);
}

static void test_aligned(void **state)
{
    (void)state;
    use_locale("C");
    struct table t;
    table_init(&t, cols3, 3, 0);
    row(&t, "postgres", "7", "x", NULL);
    row(&t, "a", "32769", "", NULL); /* an empty last cell: no blanks after the id */
    row(&t, "", "12", "last", NULL); /* an empty first cell: padded like any */
    assert_int_equal(table_rows(&t), 3);
    char *out = written(&t, 0);
    assert_string_equal(out, "NAME        ID NOTE\n"
                             "postgres     7 x\n"
                             "a        32769\n"
                             "            12 last\n");
    free(out);
    out = written(&t, TABLE_NOHEADINGS);
    /* without the header the columns are as wide as their cells */
    assert_string_equal(out, "postgres     7 x\n"
                             "a        32769\n"
                             "            12 last\n");
    free(out);
    table_free(&t);
}

/* The display column where the last cell of line starts, with the locale's widths. */
static int last_cell_column(const char *line)
{
    const char *p = strrchr(line, ' ');
    assert_non_null(p);
    return table_text_width(line, (size_t)(p + 1 - line), true);
}

static void test_wide_characters(void **state)
{
    (void)state;
    use_locale("C.UTF-8");
    static const struct table_col c[] = {{"COMMAND", false}, {"PID", true}, {"END", false}};
    struct table t;
    table_init(&t, c, 3, 0);
    assert_true(t.utf8);
    row(&t, "日本語", "1", "a", NULL);               /* 3 characters, 6 columns */
    row(&t, "café", "22", "b", NULL);                /* 4 characters in 5 bytes */
    row(&t, "e\xcc\x81t\xc3\xa9", "333", "c", NULL); /* "ét" with a combining accent: 3 columns */
    row(&t, "plain-ascii-12", "4", "d", NULL);
    assert_int_equal(table_text_width("日本語", strlen("日本語"), true), 6);
    assert_int_equal(table_text_width("e\xcc\x81", 3, true), 1);
    char *out = written(&t, 0);
    /* every line's END cell starts in the same display column */
    char *save = NULL;
    int want = -1;
    int lines = 0;
    for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save), lines++) {
        int col = last_cell_column(l);
        if (want < 0) want = col;
        assert_int_equal(col, want);
        assert_true(l[strlen(l) - 1] != ' ');
    }
    assert_int_equal(lines, 5);
    /* COMMAND is 14 columns (the ASCII name), PID right-aligned in 3 */
    assert_int_equal(want, 14 + 1 + 3 + 1);
    free(out);
    table_free(&t);
}

static void test_other_locale(void **state)
{
    (void)state;
    /* a locale that is not UTF-8 cannot measure: a character is a column */
    use_locale("C");
    struct table t;
    table_init(&t, cols3, 3, 0);
    assert_false(t.utf8);
    row(&t, "日本語", "1", "x", NULL);
    row(&t, "abcd", "2", "y", NULL);
    char *out = written(&t, 0);
    assert_string_equal(out, "NAME ID NOTE\n"
                             "日本語   1 x\n"
                             "abcd  2 y\n");
    free(out);
    table_free(&t);
}

static void test_raw(void **state)
{
    (void)state;
    use_locale("C.UTF-8");
    struct table t;
    table_init(&t, cols3, 3, 0);
    row(&t, "a b", "1", "back\\slash", NULL);
    row(&t, "café", "", "", NULL); /* empty cells stay empty: two separators follow */
    row(&t, "tab\tx", "2", "%x", NULL);
    char *out = written(&t, TABLE_RAW);
    /* lsipc's escapes: blanks, '\', and every byte that is not printable ASCII; the tab was
     * sanitized to '?' when the cell ended */
    assert_string_equal(out, "NAME ID NOTE\n"
                             "a\\x20b 1 back\\x5cslash\n"
                             "caf\\xc3\\xa9  \n"
                             "tab?x 2 %x\n");
    free(out);
    out = written(&t, TABLE_RAW | TABLE_NOHEADINGS);
    assert_string_equal(out, "a\\x20b 1 back\\x5cslash\n"
                             "caf\\xc3\\xa9  \n"
                             "tab?x 2 %x\n");
    free(out);
    table_free(&t);
}

/* A header that needs escaping is escaped too. */
static void test_raw_header(void **state)
{
    (void)state;
    static const struct table_col c[] = {{"MSG/S", true}, {"A B", false}};
    struct table t;
    table_init(&t, c, 2, 0);
    row(&t, "+1/s", "x", NULL);
    char *out = written(&t, TABLE_RAW);
    assert_string_equal(out, "MSG/S A\\x20B\n+1/s x\n");
    free(out);
    table_free(&t);
}

static void test_sanitized(void **state)
{
    (void)state;
    use_locale("C.UTF-8");
    static const struct table_col c[] = {{"TEXT", false}, {"N", true}};
    struct table t;
    table_init(&t, c, 2, 0);
    /* written in place, as the catalog's formatters write: no check before the cell ends */
    strcpy(table_cell_room(&t, 32), "x\x1b[31my");
    table_cell_done(&t);
    table_add(&t, "1");
    strcpy(table_cell_room(&t, 32), "bad\xff\xfe");
    table_cell_done(&t);
    table_add(&t, "2");
    strcpy(table_cell_room(&t, 32), "c1\xc2\x9b"
                                    "del\x7f");
    table_cell_done(&t);
    table_add(&t, "3");
    char *out = written(&t, 0);
    assert_string_equal(out, "TEXT    N\n"
                             "x?[31my 1\n"
                             "bad\xef\xbf\xbd\xef\xbf\xbd   2\n"
                             "c1?del? 3\n");
    free(out);
    table_free(&t);
}

static void test_long_cell(void **state)
{
    (void)state;
    static const struct table_col c[] = {{"X", false}};
    struct table t;
    table_init(&t, c, 1, 0);
    /* 2,000 bytes of 2-byte characters: cut to at most TABLE_CELL_MAX, on a character */
    char *s = malloc(2001);
    assert_non_null(s);
    for (int i = 0; i < 1000; i++) memcpy(s + 2 * i, "\xc3\xa9", 2);
    s[2000] = '\0';
    table_add(&t, s);
    free(s);
    assert_true(t.cells[0].len <= TABLE_CELL_MAX);
    assert_int_equal(t.cells[0].len % 2, 0);
    char *out = written(&t, TABLE_NOHEADINGS);
    assert_int_equal(strlen(out), (size_t)t.cells[0].len + 1);
    free(out);
    table_free(&t);
}

/* 20,000 rows go through the 64 KiB buffer several times: every line whole, in order. */
static void test_many_rows(void **state)
{
    (void)state;
    static const struct table_col c[] = {{"KEY", false}, {"ID", true}};
    struct table t;
    table_init(&t, c, 2, 100); /* a hint smaller than the table: it grows */
    char k[32], id[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(k, sizeof k, "0x%08x", i);
        snprintf(id, sizeof id, "%d", i * 7);
        table_add(&t, k);
        table_add(&t, id);
    }
    char *out = written(&t, 0);
    const char *p = strchr(out, '\n') + 1;
    for (int i = 0; i < 20000; i++) {
        char want[64];
        snprintf(want, sizeof want, "0x%08x %6d\n", i, i * 7);
        assert_memory_equal(p, want, strlen(want));
        p += strlen(want);
    }
    assert_int_equal(*p, '\0');
    free(out);
    /* reset keeps the memory and starts a new table */
    table_reset(&t, c, 2, 0);
    assert_int_equal(table_rows(&t), 0);
    row(&t, "k", "1", NULL);
    out = written(&t, 0);
    assert_string_equal(out, "KEY ID\nk    1\n");
    free(out);
    table_free(&t);
}

static void test_write_error(void **state)
{
    (void)state;
    struct table t;
    table_init(&t, cols3, 3, 0);
    for (int i = 0; i < 10000; i++) row(&t, "some text", "1", "more text", NULL);
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(table_write(&t, f, 0), -1);
    fclose(f);
    table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aligned),      cmocka_unit_test(test_wide_characters),
        cmocka_unit_test(test_other_locale), cmocka_unit_test(test_raw),
        cmocka_unit_test(test_raw_header),   cmocka_unit_test(test_sanitized),
        cmocka_unit_test(test_long_cell),    cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
