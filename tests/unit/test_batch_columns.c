/*
 * The columns of batch frames (columns.h: column_list_parse, column_list_pick): each kind's
 * defaults in the order batch frames always had; -o names in their order, case-insensitive,
 * by name or title, a name some kinds lack left out of their tables; +COLUMNS after the
 * defaults, each once; a name no kind has, an empty name or too many names refused in one
 * sentence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "columns.h"

/* The names of the columns pick gives kind cls, joined by commas. */
static const char *picked(const struct column_list *l, enum ipc_class cls)
{
    static char buf[1024];
    int idx[128];
    size_t n = column_list_pick(l, cls, idx, 128), ncols;
    const struct column *cols = columns_of(cls, &ncols);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        assert_true(idx[i] >= 0 && (size_t)idx[i] < ncols);
        if (i) strcat(buf, ",");
        strcat(buf, cols[idx[i]].name);
    }
    return buf;
}

static void test_defaults(void **state)
{
    (void)state;
    /* today's batch columns, in today's order; pids are followed by the command column */
    assert_string_equal(picked(NULL, IPC_SHM),
                        "state,key,id,owner,perms,size,rss,swap,nattch,attached,status,ctime,cpid,"
                        "lpid,command,leak,changed,attachers");
    assert_string_equal(picked(NULL, IPC_SEM),
                        "state,key,id,owner,perms,nsems,values,waiters,ncount,zcount,otime,ctime,"
                        "leak,changed,waiting");
    assert_string_equal(picked(NULL, IPC_MSG),
                        "state,key,id,owner,perms,msgs,usedbytes,qbytes,fill,msgrate,byterate,"
                        "waiters,lspid,lrpid,command,stime,rtime,leak,changed,waiting");
}

static void test_named(void **state)
{
    (void)state;
    struct column_list l;
    char err[1024];
    /* case-insensitive, a title ("MSG/S") as well as a name, in the order given */
    assert_int_equal(column_list_parse("ID,Key,msg/s,NSEMS", &l, "-o", err, sizeof err), 0);
    assert_true(l.given);
    assert_false(l.add);
    assert_string_equal(picked(&l, IPC_SHM), "id,key");
    assert_string_equal(picked(&l, IPC_SEM), "id,key,nsems");
    assert_string_equal(picked(&l, IPC_MSG), "id,key,msgrate");
    /* a name only one kind has: the others show no column at all */
    assert_int_equal(column_list_parse("nattch", &l, "-o", err, sizeof err), 0);
    assert_string_equal(picked(&l, IPC_SHM), "nattch");
    assert_string_equal(picked(&l, IPC_SEM), "");
    /* a column hidden by default is as good as another */
    assert_int_equal(column_list_parse("uid,age,dtime", &l, "-o", err, sizeof err), 0);
    assert_string_equal(picked(&l, IPC_SHM), "uid,age,dtime");
}

static void test_added(void **state)
{
    (void)state;
    struct column_list l;
    char err[1024];
    assert_int_equal(column_list_parse("+atime,uid", &l, "-o", err, sizeof err), 0);
    assert_true(l.add);
    assert_string_equal(picked(&l, IPC_SHM),
                        "state,key,id,owner,perms,size,rss,swap,nattch,attached,status,ctime,cpid,"
                        "lpid,command,leak,changed,attachers,atime,uid");
    assert_string_equal(picked(&l, IPC_SEM),
                        "state,key,id,owner,perms,nsems,values,waiters,ncount,zcount,otime,ctime,"
                        "leak,changed,waiting,uid");
    /* a default column added again is not shown twice */
    assert_int_equal(column_list_parse("+KEY,age", &l, "-o", err, sizeof err), 0);
    assert_string_equal(picked(&l, IPC_MSG),
                        "state,key,id,owner,perms,msgs,usedbytes,qbytes,fill,msgrate,byterate,"
                        "waiters,lspid,lrpid,command,stime,rtime,leak,changed,waiting,age");
}

/* A refused list: -1, one sentence naming the option and what is wrong, no control byte. */
static void refused(const char *spec, const char *says)
{
    struct column_list l;
    char err[1024];
    err[0] = '\0';
    if (column_list_parse(spec, &l, "-o", err, sizeof err) != -1)
        fail_msg("-o '%s' was accepted", spec);
    if (strncmp(err, "-o", 2) != 0 || !strstr(err, says))
        fail_msg("-o '%s': '%s' does not say '%s'", spec, err, says);
    assert_null(strchr(err, '\n'));
    for (const char *p = err; *p; p++) assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void test_refused(void **state)
{
    (void)state;
    refused("nosuch", "no column is named 'nosuch'");
    refused("key,nosuch,id", "'nosuch'");
    refused("ke", "'ke'"); /* no prefixes */
    refused("key,,id", "needs column names");
    refused("", "needs column names");
    refused("+", "needs column names");
    refused("key,", "needs column names");
    refused(",key", "needs column names");
    refused("key id", "'key id'");
    refused("\x1b[31m", "'?[31m'");
    /* the message lists the names there are */
    refused("nosuch", "columns are key id owner");
    char many[2048] = "";
    for (int i = 0; i <= COL_LIST_MAX; i++) strcat(many, i ? ",key" : "key");
    refused(many, "at most");
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    refused(longname, "not a column name");
}

/* Every name column_names lists is one -o takes. */
static void test_names(void **state)
{
    (void)state;
    char names[2048];
    column_names(names, sizeof names);
    assert_non_null(strstr(names, "attachers"));
    assert_non_null(strstr(names, "waiting"));
    assert_non_null(strstr(names, "state"));
    struct column_list l;
    char err[1024];
    char *save = NULL;
    int n = 0;
    for (char *w = strtok_r(names, " ", &save); w; w = strtok_r(NULL, " ", &save), n++)
        assert_int_equal(column_list_parse(w, &l, "-o", err, sizeof err), 0);
    assert_true(n > 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults), cmocka_unit_test(test_named), cmocka_unit_test(test_added),
        cmocka_unit_test(test_refused),  cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
