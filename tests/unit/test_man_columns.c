/*
 * The man page's OUTPUT section against the column catalog, both ways: every column of
 * every kind is described (in "Every kind" when all kinds have it, else under its kind's
 * title), nothing is described that the catalog lacks, a name that is not the header in
 * lower case is given ("MSG/S (msgrate)"), and the default columns each section lists for
 * the screens and for batch frames are the catalog's, in its order.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "columns.h"
#include "kind.h"

#ifndef IPCTOP_MAN_PAGE
#error "IPCTOP_MAN_PAGE: the path of docs/ipctop.1 (tests/CMakeLists.txt sets it)"
#endif

#define MAX_ENTRIES 64
#define GROUPS      (IPC_NCLASSES + 1) /* "Every kind", then each kind */

struct entry {
    char title[32];
    char name[32]; /* "" when the tag gives none */
};

struct man_output {
    struct entry e[GROUPS][MAX_ENTRIES];
    size_t n[GROUPS];
    char screens[GROUPS][512]; /* "On the screens by default: ..." of each kind */
    char batch[GROUPS][512];   /* "In batch frames by default: ..." */
};

/* The group of a .SS title: 0 "Every kind", 1 + kind, -1 none. */
static int group_of(const char *ss)
{
    if (strstr(ss, "Every kind")) return 0;
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (strstr(ss, kind_of((enum ipc_class)k)->title)) return 1 + k;
    return -1;
}

/* ".BR MSG/S \" (msgrate)\"" is title MSG/S, name msgrate; ".B KEY" is KEY. */
static void parse_tag(const char *line, struct entry *e)
{
    const char *p = line;
    while (*p && *p != ' ') p++; /* the macro */
    while (*p == ' ') p++;
    size_t l = strcspn(p, " \"\n");
    snprintf(e->title, sizeof e->title, "%.*s", (int)l, p);
    e->name[0] = '\0';
    const char *paren = strchr(p + l, '(');
    if (paren) {
        size_t nl = strcspn(paren + 1, ")");
        snprintf(e->name, sizeof e->name, "%.*s", (int)nl, paren + 1);
    }
}

/* Appends line (a default list, maybe over several lines) to dst, as "A, B, C". */
static void add_list(char *dst, size_t len, const char *line)
{
    size_t at = strlen(dst);
    snprintf(dst + at, len - at, "%s%.*s", at ? " " : "", (int)strcspn(line, "\n"), line);
}

static void read_man(struct man_output *m)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(IPCTOP_MAN_PAGE, "r");
    if (!f) fail_msg("cannot open %s", IPCTOP_MAN_PAGE);
    char line[1024];
    bool in = false, tag = false;
    int g = -1;
    char *list = NULL; /* the default list being read */
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, ".SH ", 4) == 0) {
            in = strncmp(line, ".SH OUTPUT", 10) == 0;
            g = -1;
            continue;
        }
        if (!in) continue;
        if (line[0] == '.') list = NULL;
        if (strncmp(line, ".SS ", 4) == 0) {
            g = group_of(line + 4);
            if (g < 0) fail_msg("OUTPUT: a section that is no kind: %s", line);
        } else if (strncmp(line, ".TP", 3) == 0) {
            tag = true;
        } else if (tag) {
            tag = false;
            if (g < 0) fail_msg("OUTPUT: a column before any section: %s", line);
            assert_true(m->n[g] < MAX_ENTRIES);
            parse_tag(line, &m->e[g][m->n[g]++]);
        } else if (g > 0 && strncmp(line, "On the screens by default: ", 27) == 0) {
            list = m->screens[g];
            add_list(list, sizeof m->screens[g], line + 27);
        } else if (g > 0 && strncmp(line, "In batch frames by default: ", 28) == 0) {
            list = m->batch[g];
            add_list(list, sizeof m->batch[g], line + 28);
        } else if (list && line[0] != '.') {
            add_list(list, 512, line);
        }
    }
    fclose(f);
}

static const struct entry *described(const struct man_output *m, int g, const char *title)
{
    for (size_t i = 0; i < m->n[g]; i++)
        if (strcmp(m->e[g][i].title, title) == 0) return &m->e[g][i];
    return NULL;
}

/* Whether every kind has a column with this title. */
static bool every_kind_has(const char *title)
{
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (column_find((enum ipc_class)k, title) < 0) return false;
    return true;
}

static void test_every_column_described(void **state)
{
    (void)state;
    static struct man_output m;
    read_man(&m);
    assert_true(m.n[0] >= 5);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)k, &n);
        assert_true(m.n[1 + k] > 0);
        for (size_t i = 0; i < n; i++) {
            bool common = every_kind_has(cols[i].title);
            const struct entry *e = described(&m, common ? 0 : 1 + k, cols[i].title);
            if (!e)
                fail_msg("%s: column %s is not in the man page's OUTPUT (under %s)",
                         kind_of((enum ipc_class)k)->name, cols[i].title,
                         common ? "Every kind" : kind_of((enum ipc_class)k)->title);
            /* the name -o and -s take, where it is not the header in lower case */
            bool plain = strcasecmp(cols[i].name, cols[i].title) == 0;
            if (!plain && strcmp(e->name, cols[i].name) != 0)
                fail_msg("%s: the man page gives %s the name '%s', the catalog '%s'",
                         kind_of((enum ipc_class)k)->name, cols[i].title, e->name, cols[i].name);
        }
    }
    /* nothing described that the catalog lacks */
    for (size_t i = 0; i < m.n[0]; i++)
        if (!every_kind_has(m.e[0][i].title))
            fail_msg("Every kind: %s is not a column of every kind", m.e[0][i].title);
    for (int k = 0; k < IPC_NCLASSES; k++)
        for (size_t i = 0; i < m.n[1 + k]; i++)
            if (column_find((enum ipc_class)k, m.e[1 + k][i].title) < 0)
                fail_msg("%s: the man page describes %s, which it does not have",
                         kind_of((enum ipc_class)k)->title, m.e[1 + k][i].title);
}

static void test_defaults_listed(void **state)
{
    (void)state;
    static struct man_output m;
    read_man(&m);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)k, &n);
        char screens[512] = "", batch[512] = "";
        for (size_t i = 0; i < n; i++)
            if (cols[i].shown)
                snprintf(screens + strlen(screens), sizeof screens - strlen(screens), "%s%s",
                         screens[0] ? ", " : "", cols[i].title);
        int idx[64];
        size_t nb = column_list_pick(NULL, (enum ipc_class)k, idx, 64);
        for (size_t i = 0; i < nb; i++)
            snprintf(batch + strlen(batch), sizeof batch - strlen(batch), "%s%s",
                     batch[0] ? ", " : "", cols[idx[i]].title);
        strcat(screens, ".");
        strcat(batch, ".");
        if (strcmp(m.screens[1 + k], screens) != 0)
            fail_msg("%s on the screens by default:\n man page: %s\n catalog:  %s",
                     kind_of((enum ipc_class)k)->title, m.screens[1 + k], screens);
        if (strcmp(m.batch[1 + k], batch) != 0)
            fail_msg("%s in batch frames by default:\n man page: %s\n catalog:  %s",
                     kind_of((enum ipc_class)k)->title, m.batch[1 + k], batch);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_column_described),
        cmocka_unit_test(test_defaults_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
