/*
 * procfs_parse: the text of /proc/sysvipc/{shm,sem,msg} as the kernel prints it, and the
 * ways it can differ (older kernels, reordered or extra columns) or be damaged. The fast
 * parser must accept and refuse exactly what the plain one it replaced did
 * (procfs_reference.h): checked over many damaged texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "procfs_feed.h"
#include "procfs_parse.h"
#include "procfs_reference.h"
#include "snapshot.h"

/* Header lines exactly as Linux 4.x-6.x print them. */
#define SHM_HDR                                                                                    \
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "     \
    "cgid      atime      dtime      ctime                   rss                  swap\n"
#define SEM_HDR                                                                                    \
    "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
#define MSG_HDR                                                                                    \
    "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      " \
    "stime      rtime      ctime\n"
/* Before Linux 4.x added rss and swap. */
#define SHM_HDR_OLD                                                                                \
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "     \
    "cgid      atime      dtime      ctime\n"

/* Data lines in the kernel's own format ("%10d %10d  %4o %21lu ..."). */
#define SHM_L1                                                                                     \
    " -27234923      32769  1600               4194304  1234  5678      2  1000  1001  1002  "     \
    "1003 1795262700 1795262650 1795262600               2097152                     0\n"
#define SHM_L2                                                                                     \
    "         0      65538   600              10485760     1     2      0     0     0     0     "  \
    "0          0          0 1795262655                     0                  8192\n"
#define SEM_L1                                                                                     \
    "-869114864          0   644          3     0     0     0     0          0 1795262655\n"
#define SEM_L2                                                                                     \
    "         1      98305   600        250  1000   100  1000   100 1795262700 1795262655\n"
#define MSG_L1                                                                                     \
    " 168976947          0   644           0          0     0     0     0     0     0     0     "  \
    "     0          0 1795262655\n"
#define MSG_L2                                                                                     \
    "        -1     131073   666        4096          3  4242  4243  1000  1001  1002  1003 "      \
    "1795262690 1795262680 1795262655\n"

static const uint64_t COMMON = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                               FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);
static const uint64_t SHM_ALL = FBIT(F_SIZE) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_NATTCH) |
                                FBIT(F_ATIME) | FBIT(F_DTIME) | FBIT(F_RSS) | FBIT(F_SWAP);

struct parsed {
    struct snapshot s;
    struct procfs_parse_result res;
    int rc;
};

static void parse(struct parsed *p, enum ipc_class cls, const char *text)
{
    snapshot_init(&p->s);
    p->res.records = p->res.bad_lines = 12345; /* must be reset */
    p->rc = procfs_parse(cls, text, strlen(text), &p->s, &p->res);
}

static void done(struct parsed *p)
{
    snapshot_free(&p->s);
}

static void test_shm_kernel_text(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_SHM, SHM_HDR SHM_L1 SHM_L2);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 2);
    assert_int_equal(p.res.bad_lines, 0);
    assert_int_equal(p.s.tab[IPC_SHM].n, 2);
    const struct shm_segment *a = &SNAP_SHM(&p.s)[0], *b = &SNAP_SHM(&p.s)[1];
    assert_int_equal(a->c.valid, COMMON | SHM_ALL);
    assert_int_equal(a->c.key, 0xfe606d95u);
    assert_int_equal(a->c.id, 32769);
    assert_int_equal(a->c.mode, 01600);
    assert_int_equal(a->size, 4194304);
    assert_int_equal(a->cpid, 1234);
    assert_int_equal(a->lpid, 5678);
    assert_int_equal(a->nattch, 2);
    assert_int_equal(a->c.uid, 1000);
    assert_int_equal(a->c.gid, 1001);
    assert_int_equal(a->c.cuid, 1002);
    assert_int_equal(a->c.cgid, 1003);
    assert_int_equal(a->atime, 1795262700);
    assert_int_equal(a->dtime, 1795262650);
    assert_int_equal(a->c.ctime, 1795262600);
    assert_int_equal(a->rss, 2097152);
    assert_int_equal(a->swap, 0);
    assert_int_equal(a->flags, 0);
    assert_int_equal(b->c.key, 0);
    assert_int_equal(b->c.id, 65538);
    assert_int_equal(b->c.mode, 0600);
    assert_int_equal(b->size, 10485760);
    assert_int_equal(b->swap, 8192);
    assert_int_equal(b->c.ctime, 1795262655);
    done(&p);
}

static void test_sem_kernel_text(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_SEM, SEM_HDR SEM_L1 SEM_L2);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 2);
    assert_int_equal(p.res.bad_lines, 0);
    const struct sem_set *a = &SNAP_SEM(&p.s)[0], *b = &SNAP_SEM(&p.s)[1];
    assert_int_equal(a->c.valid, COMMON | FBIT(F_NSEMS) | FBIT(F_OTIME));
    assert_int_equal(a->c.key, (uint32_t)-869114864);
    assert_int_equal(a->c.id, 0);
    assert_int_equal(a->c.mode, 0644);
    assert_int_equal(a->nsems, 3);
    assert_int_equal(a->otime, 0);
    assert_int_equal(a->c.ctime, 1795262655);
    assert_int_equal(b->c.key, 1);
    assert_int_equal(b->c.id, 98305);
    assert_int_equal(b->nsems, 250);
    assert_int_equal(b->c.uid, 1000);
    assert_int_equal(b->c.gid, 100);
    assert_int_equal(b->otime, 1795262700);
    /* the element pool is sized from nsems, elements unknown and zeroed */
    assert_int_equal(p.s.nelems, 253);
    assert_int_equal(a->elem_off, 0);
    assert_int_equal(b->elem_off, 3);
    for (size_t i = 0; i < p.s.nelems; i++) {
        assert_int_equal(p.s.elems[i].value, 0);
        assert_int_equal(p.s.elems[i].pid, 0);
    }
    assert_false(a->c.valid & (FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT)));
    done(&p);
}

static void test_msg_kernel_text(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_MSG, MSG_HDR MSG_L1 MSG_L2);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 2);
    assert_int_equal(p.res.bad_lines, 0);
    const struct msg_queue *a = &SNAP_MSG(&p.s)[0], *b = &SNAP_MSG(&p.s)[1];
    uint64_t msgbits = FBIT(F_USEDBYTES) | FBIT(F_MSGS) | FBIT(F_LSPID) | FBIT(F_LRPID) |
                       FBIT(F_STIME) | FBIT(F_RTIME);
    assert_int_equal(a->c.valid, COMMON | msgbits);
    assert_false(a->c.valid & FBIT(F_QBYTES)); /* not in /proc: unknown, not zero */
    assert_int_equal(a->c.key, 168976947);
    assert_int_equal(b->c.key, 0xffffffffu);
    assert_int_equal(b->c.id, 131073);
    assert_int_equal(b->c.mode, 0666);
    assert_int_equal(b->usedbytes, 4096);
    assert_int_equal(b->msgs, 3);
    assert_int_equal(b->lspid, 4242);
    assert_int_equal(b->lrpid, 4243);
    assert_int_equal(b->c.uid, 1000);
    assert_int_equal(b->c.gid, 1001);
    assert_int_equal(b->c.cuid, 1002);
    assert_int_equal(b->c.cgid, 1003);
    assert_int_equal(b->stime, 1795262690);
    assert_int_equal(b->rtime, 1795262680);
    assert_int_equal(b->c.ctime, 1795262655);
    done(&p);
}

/* One sem line with the given key; returns the parsed key or -1 if the line was rejected. */
static int64_t key_of(const char *key)
{
    char text[256];
    snprintf(text, sizeof text,
             SEM_HDR "%10s          7   600          1     0     0     0     0"
                     "          0          1\n",
             key);
    struct parsed p;
    parse(&p, IPC_SEM, text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records + p.res.bad_lines, 1);
    int64_t k = p.res.records ? (int64_t)SNAP_SEM(&p.s)[0].c.key : -1;
    done(&p);
    return k;
}

static void test_keys(void **state)
{
    (void)state;
    assert_int_equal(key_of("-27234923"), 0xfe606d95);
    assert_int_equal(key_of("-2147483648"), 0x80000000);
    assert_int_equal(key_of("4294967295"), 0xffffffff);
    assert_int_equal(key_of("2147483647"), 0x7fffffff);
    assert_int_equal(key_of("-1"), 0xffffffff);
    assert_int_equal(key_of("0"), 0);
    assert_int_equal(key_of("-0"), 0);
    /* outside 32 bits either way */
    assert_int_equal(key_of("4294967296"), -1);
    assert_int_equal(key_of("-2147483649"), -1);
    assert_int_equal(key_of("-"), -1);
    assert_int_equal(key_of("--1"), -1);
    assert_int_equal(key_of("+1"), -1);
    assert_int_equal(key_of("0x10"), -1);
}

static int64_t perms_of(const char *perms)
{
    char text[256];
    snprintf(text, sizeof text, MSG_HDR "1 2 %s 0 0 0 0 0 0 0 0 0 0 0\n", perms);
    struct parsed p;
    parse(&p, IPC_MSG, text);
    assert_int_equal(p.rc, 0);
    int64_t m = p.res.records ? (int64_t)SNAP_MSG(&p.s)[0].c.mode : -1;
    done(&p);
    return m;
}

static void test_perms_octal(void **state)
{
    (void)state;
    assert_int_equal(perms_of("1600"), 01600); /* SHM_DEST */
    assert_int_equal(perms_of("3666"), 03666); /* SHM_DEST | SHM_LOCKED */
    assert_int_equal(perms_of("644"), 0644);
    assert_int_equal(perms_of("0"), 0);
    assert_int_equal(perms_of("8"), -1);
    assert_int_equal(perms_of("69"), -1);
    assert_int_equal(perms_of("-1"), -1);
    assert_int_equal(perms_of("37777777777"), 037777777777);
    assert_int_equal(perms_of("40000000000"), -1); /* over 32 bits */
}

static void test_reordered_columns(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_SHM,
          "perms size shmid key ctime rss swap uid gid cuid cgid cpid lpid nattch atime dtime\n"
          "1600 8192 77 -5 900 4096 0 11 12 13 14 21 22 3 31 32\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    const struct shm_segment *g = &SNAP_SHM(&p.s)[0];
    assert_int_equal(g->c.valid, COMMON | SHM_ALL);
    assert_int_equal(g->c.mode, 01600);
    assert_int_equal(g->size, 8192);
    assert_int_equal(g->c.id, 77);
    assert_int_equal(g->c.key, 0xfffffffbu);
    assert_int_equal(g->c.ctime, 900);
    assert_int_equal(g->rss, 4096);
    assert_int_equal(g->c.uid, 11);
    assert_int_equal(g->c.gid, 12);
    assert_int_equal(g->c.cuid, 13);
    assert_int_equal(g->c.cgid, 14);
    assert_int_equal(g->cpid, 21);
    assert_int_equal(g->lpid, 22);
    assert_int_equal(g->nattch, 3);
    assert_int_equal(g->atime, 31);
    assert_int_equal(g->dtime, 32);
    done(&p);
}

static void test_unknown_columns_ignored(void **state)
{
    (void)state;
    struct parsed p;
    /* a future kernel's extra columns, with values this parser could not read anyway */
    parse(&p, IPC_SEM,
          "       key      semid  flavour perms      nsems   uid   gid  cuid  cgid      otime    "
          "  ctime   numa\n"
          "        42          5  vanilla   600          2     1     2     3     4          5    "
          "      6   node0\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    assert_int_equal(p.res.bad_lines, 0);
    const struct sem_set *g = &SNAP_SEM(&p.s)[0];
    assert_int_equal(g->c.key, 42);
    assert_int_equal(g->c.id, 5);
    assert_int_equal(g->c.mode, 0600);
    assert_int_equal(g->nsems, 2);
    assert_int_equal(g->c.uid, 1);
    assert_int_equal(g->c.cgid, 4);
    assert_int_equal(g->otime, 5);
    assert_int_equal(g->c.ctime, 6);
    done(&p);
}

static void test_old_kernel_without_rss_swap(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_SHM,
          SHM_HDR_OLD
          " -27234923      32769  1600               4194304  1234  5678      2  1000  1001  1002  "
          "1003 1795262700 1795262650 1795262600\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    const struct shm_segment *g = &SNAP_SHM(&p.s)[0];
    assert_false(g->c.valid & FBIT(F_RSS));
    assert_false(g->c.valid & FBIT(F_SWAP));
    assert_int_equal(g->c.valid, (COMMON | SHM_ALL) & ~(FBIT(F_RSS) | FBIT(F_SWAP)));
    assert_int_equal(g->size, 4194304);
    assert_int_equal(g->c.ctime, 1795262600);
    done(&p);
    /* the same line under the new header has too few fields */
    parse(&p, IPC_SHM,
          SHM_HDR
          " -27234923      32769  1600               4194304  1234  5678      2  1000  1001 "
          " 1002  1003 1795262700 1795262650 1795262600\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 0);
    assert_int_equal(p.res.bad_lines, 1);
    done(&p);
}

/* Fills a stretch of stack with non-zero bytes, so that a callee reading a variable it never
 * set finds garbage rather than a lucky zero. */
static void __attribute__((noinline)) dirty_stack(void)
{
    volatile unsigned char junk[32768];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = 0xa5;
}

/*
 * A column the kernel did not print leaves its field unknown; the value stored must still
 * be a defined one (0), not whatever was on the parser's stack: readers that sum without
 * looking at validity (usage.c's rss total) would add garbage, and two parses of the same
 * text would differ (the fuzzer's whole-vs-chunked check found it this way).
 */
static void test_absent_columns_hold_zero(void **state)
{
    (void)state;
    struct parsed p;
    dirty_stack();
    parse(&p, IPC_SHM,
          SHM_HDR_OLD
          " -27234923      32769  1600               4194304  1234  5678      2  1000  1001  1002  "
          "1003 1795262700 1795262650 1795262600\n");
    assert_int_equal(p.res.records, 1);
    assert_int_equal(SNAP_SHM(&p.s)[0].rss, 0);
    assert_int_equal(SNAP_SHM(&p.s)[0].swap, 0);
    done(&p);
    dirty_stack();
    parse(&p, IPC_MSG, "key msqid perms qnum\n5 6 600 7\n");
    assert_int_equal(p.res.records, 1);
    const struct msg_queue *q = &SNAP_MSG(&p.s)[0];
    assert_int_equal(q->c.uid, 0);
    assert_int_equal(q->c.cgid, 0);
    assert_int_equal(q->c.ctime, 0);
    assert_int_equal(q->usedbytes, 0);
    assert_int_equal(q->lspid, 0);
    assert_int_equal(q->stime, 0);
    done(&p);
    dirty_stack();
    parse(&p, IPC_SEM, "semid key perms\n1 2 600\n");
    assert_int_equal(p.res.records, 1);
    assert_int_equal(SNAP_SEM(&p.s)[0].nsems, 0);
    assert_int_equal(SNAP_SEM(&p.s)[0].otime, 0);
    assert_int_equal(SNAP_SEM(&p.s)[0].c.uid, 0);
    done(&p);
}

static void test_optional_column_missing(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_MSG, "key msqid perms qnum\n5 6 600 7\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    const struct msg_queue *q = &SNAP_MSG(&p.s)[0];
    assert_int_equal(q->c.valid, FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_MODE) | FBIT(F_MSGS));
    assert_int_equal(q->msgs, 7);
    done(&p);
}

static void test_required_column_missing(void **state)
{
    (void)state;
    static const struct {
        enum ipc_class cls;
        const char *text;
    } cases[] = {
        {IPC_SHM, "key shmid size\n1 2 3\n"},     /* no perms */
        {IPC_SHM, "shmid perms size\n2 600 3\n"}, /* no key */
        {IPC_SHM, "key perms size\n1 600 3\n"},   /* no id */
        {IPC_SHM, "key semid perms\n1 2 600\n"},  /* another class's id */
        {IPC_SEM, "key shmid perms nsems\n1 2 600 1\n"},
        {IPC_MSG, "key semid perms\n1 2 600\n"},
        {IPC_MSG, "KEY MSQID PERMS\n1 2 600\n"}, /* names are exact */
        {IPC_SEM, "\n" SEM_HDR SEM_L1},          /* a blank line where the header is */
        {IPC_SEM, SEM_L1},                       /* data without a header */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parsed p;
        parse(&p, cases[i].cls, cases[i].text);
        if (p.rc != -1) fail_msg("case %zu: parsed a header without a required column", i);
        assert_int_equal(p.s.tab[IPC_SHM].n + p.s.tab[IPC_SEM].n + p.s.tab[IPC_MSG].n, 0);
        done(&p);
    }
}

static void test_too_many_header_columns(void **state)
{
    (void)state;
    char text[1024] = "key shmid perms";
    for (int i = 3; i < PROCFS_MAX_COLS; i++) strcat(text, " x");
    strcat(text, "\n1 2 600");
    for (int i = 3; i < PROCFS_MAX_COLS; i++) strcat(text, " 0");
    strcat(text, "\n");
    struct parsed p;
    parse(&p, IPC_SHM, text); /* exactly PROCFS_MAX_COLS columns: fine */
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    done(&p);
    strcpy(text, "key shmid perms");
    for (int i = 3; i <= PROCFS_MAX_COLS; i++) strcat(text, " x");
    strcat(text, "\n");
    parse(&p, IPC_SHM, text);
    assert_int_equal(p.rc, -1);
    done(&p);
}

static void test_malformed_lines_skipped(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "5 1 600 1 0 0 0 0 0\n",                       /* too few fields */
        "5 2 600 1 0 0 0 0 0 1 2\n",                   /* too many */
        "5 3 600 1x 0 0 0 0 0 1\n",                    /* a letter */
        "5 4 600 1 0 abc 0 0 0 1\n",                   /* a word */
        "5 2147483648 600 1 0 0 0 0 0 1\n",            /* id beyond int32 */
        "5 6 600 65537 0 0 0 0 0 1\n",                 /* nsems beyond the parser's limit */
        "5 7 600 1 4294967296 0 0 0 0 1\n",            /* uid beyond 32 bits */
        "5 8 600 1 -1 0 0 0 0 1\n",                    /* negative uid */
        "5 9 600 -3 0 0 0 0 0 1\n",                    /* negative nsems */
        "5 -1 600 1 0 0 0 0 0 1\n",                    /* negative id */
        "5 11 600 1 0 0 0 0 9223372036854775808 1\n",  /* time beyond int64 */
        "5 12 600 1 0 0 0 0 0 99999999999999999999\n", /* beyond 64 bits */
        "5 13 600 1 0 0 0 0 0 1\r\n",                  /* CR LF */
        "5 14 600 1 0 0 0 0 0 1 \x01\n",               /* a control byte as an extra field */
    };
    const char *good1 =
        "        -7        100   600          2     0     0     0     0          0 1\n";
    const char *good2 = "        -8        101   600          1     0     0     0     0 "
                        "9223372036854775807 18\n";
    size_t nbad = sizeof bad / sizeof bad[0];
    for (size_t i = 0; i < nbad; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s%s%s", SEM_HDR, good1, bad[i], good2);
        struct parsed p;
        parse(&p, IPC_SEM, text);
        assert_int_equal(p.rc, 0);
        if (p.res.bad_lines != 1 || p.res.records != 2)
            fail_msg("bad line %zu: %zu records, %zu bad", i, p.res.records, p.res.bad_lines);
        /* never half-stored: exactly the good lines, with their own elements */
        assert_int_equal(p.s.tab[IPC_SEM].n, 2);
        assert_int_equal(SNAP_SEM(&p.s)[0].c.id, 100);
        assert_int_equal(SNAP_SEM(&p.s)[1].c.id, 101);
        assert_int_equal(SNAP_SEM(&p.s)[1].otime, INT64_MAX);
        assert_int_equal(SNAP_SEM(&p.s)[1].elem_off, 2);
        assert_int_equal(p.s.nelems, 3);
        done(&p);
    }
    /* all of them at once */
    char all[4096];
    strcpy(all, SEM_HDR);
    for (size_t i = 0; i < nbad; i++) strcat(all, bad[i]);
    struct parsed p;
    parse(&p, IPC_SEM, all);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 0);
    assert_int_equal(p.res.bad_lines, nbad);
    assert_int_equal(p.s.tab[IPC_SEM].n, 0);
    assert_int_equal(p.s.nelems, 0);
    done(&p);
}

static void test_value_limits(void **state)
{
    (void)state;
    struct parsed p;
    /* the largest value of each unsigned width is accepted, one more is not */
    parse(&p, IPC_SHM,
          "key shmid perms size uid cpid atime rss\n"
          "1 2147483647 600 18446744073709551615 4294967295 2147483647 9223372036854775807 0\n"
          "1 2 600 18446744073709551616 0 0 0 0\n"
          "1 3 600 0 0 2147483648 0 0\n"
          "1 4 600 0 0 0 0 18446744073709551616\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    assert_int_equal(p.res.bad_lines, 3);
    const struct shm_segment *g = &SNAP_SHM(&p.s)[0];
    assert_int_equal(g->c.id, INT32_MAX);
    assert_true(g->size == UINT64_MAX);
    assert_int_equal(g->c.uid, UINT32_MAX);
    assert_int_equal(g->cpid, INT32_MAX);
    assert_true(g->atime == INT64_MAX);
    done(&p);
    parse(&p, IPC_SEM, "key semid perms nsems\n1 1 600 65536\n1 2 600 0\n");
    assert_int_equal(p.res.records, 2);
    assert_int_equal(SNAP_SEM(&p.s)[0].nsems, 65536);
    assert_int_equal(SNAP_SEM(&p.s)[1].nsems, 0);
    assert_int_equal(SNAP_SEM(&p.s)[1].elem_off, 65536);
    assert_int_equal(p.s.nelems, 65536);
    done(&p);
}

static void test_blank_lines(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IPC_MSG, MSG_HDR "\n" MSG_L1 "   \n\t\n" MSG_L2 "\n\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 2);
    assert_int_equal(p.res.bad_lines, 0);
    done(&p);
}

static void test_truncated_last_line(void **state)
{
    (void)state;
    struct parsed p;
    /* cut in the middle of a field: the value read so far must not be stored */
    const char *whole = SHM_HDR SHM_L1 SHM_L2;
    size_t cut = strlen(whole) - 3; /* "...8192\n" -> "...81" */
    snapshot_init(&p.s);
    p.rc = procfs_parse(IPC_SHM, whole, cut, &p.s, &p.res);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.res.records, 1);
    assert_int_equal(p.res.bad_lines, 1);
    assert_int_equal(p.s.tab[IPC_SHM].n, 1);
    done(&p);
    /* every field present, only the newline missing: still cut off */
    snapshot_init(&p.s);
    p.rc = procfs_parse(IPC_SHM, whole, strlen(whole) - 1, &p.s, &p.res);
    assert_int_equal(p.res.records, 1);
    assert_int_equal(p.res.bad_lines, 1);
    done(&p);
}

static void test_empty_and_header_only(void **state)
{
    (void)state;
    struct parsed p;
    snapshot_init(&p.s);
    assert_int_equal(procfs_parse(IPC_SHM, "", 0, &p.s, &p.res), -1);
    assert_int_equal(procfs_parse(IPC_SEM, "\n", 1, &p.s, &p.res), -1);
    done(&p);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        static const char *const hdr[] = {SHM_HDR, SEM_HDR, MSG_HDR};
        parse(&p, (enum ipc_class)c, hdr[c]);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.res.records, 0);
        assert_int_equal(p.res.bad_lines, 0);
        done(&p);
        /* the header cut before its newline */
        snapshot_init(&p.s);
        assert_int_equal(procfs_parse((enum ipc_class)c, hdr[c], strlen(hdr[c]) - 1, &p.s, &p.res),
                         -1);
        done(&p);
    }
}

static void test_appends_to_snapshot(void **state)
{
    (void)state;
    struct parsed p;
    snapshot_init(&p.s);
    struct msg_queue *q = snapshot_add_msg(&p.s);
    q->c.id = 1;
    const char *t = MSG_HDR MSG_L2;
    assert_int_equal(procfs_parse(IPC_MSG, t, strlen(t), &p.s, &p.res), 0);
    assert_int_equal(p.res.records, 1);
    assert_int_equal(p.s.tab[IPC_MSG].n, 2);
    assert_int_equal(SNAP_MSG(&p.s)[0].c.id, 1);
    assert_int_equal(SNAP_MSG(&p.s)[1].c.id, 131073);
    done(&p);
}

static void test_lines_accumulate_counts(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    struct procfs_columns cols;
    const char *hdr = SEM_HDR;
    assert_int_equal(procfs_parse_header(IPC_SEM, hdr, strlen(hdr), &cols), (long)strlen(hdr));
    assert_int_equal(cols.ncols, 10);
    struct procfs_parse_result res = {5, 7};
    const char *lines = SEM_L1 "junk\n" SEM_L2;
    assert_int_equal(procfs_parse_lines(&cols, lines, strlen(lines), &s, &res), 0);
    assert_int_equal(res.records, 7);
    assert_int_equal(res.bad_lines, 8);
    assert_int_equal(s.tab[IPC_SEM].n, 2);
    /* the header function reports the bytes it used, not the whole buffer */
    const char *two = SEM_HDR SEM_L1;
    assert_int_equal(procfs_parse_header(IPC_SEM, two, strlen(two), &cols), (long)strlen(hdr));
    assert_int_equal(procfs_parse_header(IPC_MSG, two, strlen(two), &cols), -1);
    snapshot_free(&s);
}

/* Field-by-field equality of two snapshots' records of one class. */
static void assert_same_records(enum ipc_class cls, const struct snapshot *a,
                                const struct snapshot *b, const char *what)
{
    if (snapshot_count(a, cls) != snapshot_count(b, cls))
        fail_msg("%s: %zu vs %zu records", what, snapshot_count(a, cls), snapshot_count(b, cls));
    for (size_t i = 0; i < snapshot_count(a, cls); i++)
        if (!procfs_same_record(cls, a, b, i, false)) fail_msg("%s: record %zu differs", what, i);
    if (cls == IPC_SEM && a->nelems != b->nelems) fail_msg("%s: element pools differ", what);
}

static void check_chunked(enum ipc_class cls, const char *text)
{
    size_t len = strlen(text);
    struct parsed whole;
    parse(&whole, cls, text);
    char what[96];
    /* two pieces, cut at every byte */
    for (size_t k = 0; k <= len; k++) {
        struct parsed c;
        snapshot_init(&c.s);
        c.rc = procfs_feed(cls, text, len, k, len, &c.s, &c.res);
        snprintf(what, sizeof what, "%s cut at %zu", ipc_class_name(cls), k);
        if (c.rc != whole.rc || c.res.records != whole.res.records ||
            c.res.bad_lines != whole.res.bad_lines)
            fail_msg("%s: rc %d/%d, records %zu/%zu, bad %zu/%zu", what, c.rc, whole.rc,
                     c.res.records, whole.res.records, c.res.bad_lines, whole.res.bad_lines);
        assert_same_records(cls, &whole.s, &c.s, what);
        done(&c);
    }
    /* many pieces of every size */
    for (size_t chunk = 1; chunk <= len; chunk++) {
        struct parsed c;
        snapshot_init(&c.s);
        c.rc = procfs_feed(cls, text, len, chunk, chunk, &c.s, &c.res);
        snprintf(what, sizeof what, "%s in chunks of %zu", ipc_class_name(cls), chunk);
        if (c.rc != whole.rc || c.res.records != whole.res.records ||
            c.res.bad_lines != whole.res.bad_lines)
            fail_msg("%s: counts differ", what);
        assert_same_records(cls, &whole.s, &c.s, what);
        done(&c);
    }
    done(&whole);
}

static void test_chunked_equals_whole(void **state)
{
    (void)state;
    check_chunked(IPC_SHM, SHM_HDR SHM_L1 "\n" SHM_L2 "bad line\n" SHM_L1 "   17  ");
    check_chunked(IPC_SEM, SEM_HDR SEM_L1 SEM_L2 "  \n" SEM_L1 "1 2 3\n" SEM_L2);
    check_chunked(IPC_MSG, MSG_HDR MSG_L1 MSG_L2 MSG_L1 "\n\n");
    check_chunked(IPC_MSG, MSG_HDR);
    check_chunked(IPC_SHM, "key shmid\n1 2\n"); /* no header at all */
    check_chunked(IPC_SEM, "");
}

/* The fast parser and the reference on one text: the same result, counts and records. */
static void check_same_as_reference(enum ipc_class cls, const char *text, size_t len)
{
    struct snapshot a, b;
    struct procfs_parse_result ra, rb;
    snapshot_init(&a);
    snapshot_init(&b);
    int rca = procfs_parse(cls, text, len, &a, &ra);
    int rcb = ref_procfs_parse(cls, text, len, &b, &rb);
    if (rca != rcb) fail_msg("rc %d, reference %d: [%.*s]", rca, rcb, (int)len, text);
    if (rca == 0 && (ra.records != rb.records || ra.bad_lines != rb.bad_lines))
        fail_msg("%zu records %zu bad, reference %zu %zu: [%.*s]", ra.records, ra.bad_lines,
                 rb.records, rb.bad_lines, (int)len, text);
    if (rca == 0) assert_same_records(cls, &a, &b, "fast vs reference");
    snapshot_free(&a);
    snapshot_free(&b);
}

/* Numbers at the edges of every width, in every column, and kernel lines damaged at random
 * (a fixed seed): what the reference takes, the fast parser takes, and nothing else. */
static void test_same_as_reference(void **state)
{
    (void)state;
    static const char *const numbers[] = {"0",
                                          "00",
                                          "7",
                                          "8",
                                          "9",
                                          "-0",
                                          "-",
                                          "--1",
                                          "+1",
                                          "1-",
                                          "0x10",
                                          "1e3",
                                          "\r",
                                          "2147483647",
                                          "2147483648",
                                          "-2147483648",
                                          "-2147483649",
                                          "4294967295",
                                          "4294967296",
                                          "65536",
                                          "65537",
                                          "777",
                                          "37777777777",
                                          "40000000000",
                                          "1777777777777777777777",
                                          "2000000000000000000000",
                                          "0001777777777777777777777",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "99999999999999999999",
                                          "000000000000000000018446744073709551615",
                                          "0000000000000000000000000000000000000000001",
                                          "1\x01",
                                          "\x80",
                                          "9\x7f"};
    static const char *const hdrs[] = {SHM_HDR, SEM_HDR, MSG_HDR};
    static const enum ipc_class cls[] = {IPC_SHM, IPC_SEM, IPC_MSG};
    char text[4096];
    for (int k = 0; k < 3; k++) {
        size_t ncols = 0;
        for (const char *h = hdrs[k]; *h; h++)
            ncols += *h != ' ' && *h != '\n' && (h[1] == ' ' || h[1] == '\n');
        for (size_t col = 0; col < ncols; col++)
            for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
                int len = snprintf(text, sizeof text, "%s", hdrs[k]);
                for (size_t c = 0; c < ncols; c++)
                    len += snprintf(text + len, sizeof text - (size_t)len, " %s",
                                    c == col ? numbers[n] : "1");
                text[len++] = '\n';
                check_same_as_reference(cls[k], text, (size_t)len);
            }
    }
    /* damaged kernel text: bytes replaced, inserted, deleted */
    static const char alphabet[] = "0123456789 \t\n-x\r+\0";
    static const char *const texts[] = {SHM_HDR SHM_L1 SHM_L2, SEM_HDR SEM_L1 SEM_L2,
                                        MSG_HDR MSG_L1 MSG_L2, SHM_HDR_OLD SHM_L1};
    static const enum ipc_class tcls[] = {IPC_SHM, IPC_SEM, IPC_MSG, IPC_SHM};
    uint32_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        int t = round % 4;
        size_t len = strlen(texts[t]);
        memcpy(text, texts[t], len);
        int edits = 1 + round % 5;
        for (int e = 0; e < edits && len > 1; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            char ch = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            switch ((seed >> 4) % 3) {
            case 0: text[at] = ch; break;
            case 1:
                memmove(text + at + 1, text + at, len - at);
                text[at] = ch;
                len++;
                break;
            default:
                memmove(text + at, text + at + 1, len - at - 1);
                len--;
                break;
            }
        }
        check_same_as_reference(tcls[t], text, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shm_kernel_text),
        cmocka_unit_test(test_sem_kernel_text),
        cmocka_unit_test(test_msg_kernel_text),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_perms_octal),
        cmocka_unit_test(test_reordered_columns),
        cmocka_unit_test(test_unknown_columns_ignored),
        cmocka_unit_test(test_old_kernel_without_rss_swap),
        cmocka_unit_test(test_optional_column_missing),
        cmocka_unit_test(test_absent_columns_hold_zero),
        cmocka_unit_test(test_required_column_missing),
        cmocka_unit_test(test_too_many_header_columns),
        cmocka_unit_test(test_malformed_lines_skipped),
        cmocka_unit_test(test_value_limits),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_truncated_last_line),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_appends_to_snapshot),
        cmocka_unit_test(test_lines_accumulate_counts),
        cmocka_unit_test(test_chunked_equals_whole),
        cmocka_unit_test(test_same_as_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
