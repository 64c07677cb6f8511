/*
 * Harness: attach_parse_maps, the parser of /proc/PID/maps, where a process's (possibly
 * forged) mappings enter ipctop. Every mapping it reports must come from a line of the
 * input that is a shared mapping named /SYSV..., with the inode as the shmid; feeding the
 * text in pieces cut at line ends (as src/attach.c reads it) must give the same mappings;
 * and the kernel's own form of each mapping must parse back to the same values.
 *
 * parse() is the one adapter to the parser's signature: when attach_parse_maps takes more
 * (the accepted device numbers), only it changes.
 */
#include <inttypes.h>
#include <string.h>

#include "attach.h"
#include "fuzz.h"

#define MAXM 4096

struct found {
    struct shm_mapping m[MAXM];
    size_t n;
};

static void add(void *ctx, const struct shm_mapping *m)
{
    struct found *f = ctx;
    FUZZ_CHECK(f->n < MAXM);
    f->m[f->n++] = *m;
}

static size_t parse(const char *buf, size_t len, struct found *f)
{
    return attach_parse_maps(buf, len, 4242, add, f);
}

static bool same(const struct shm_mapping *a, const struct shm_mapping *b)
{
    return a->pid == b->pid && a->shmid == b->shmid && a->start == b->start && a->end == b->end &&
           a->writable == b->writable && a->dev_major == b->dev_major &&
           a->dev_minor == b->dev_minor && a->page_size == b->page_size;
}

static struct found whole, piece, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    whole.n = 0;
    size_t n = parse(text, size, &whole);
    FUZZ_CHECK(n == whole.n);
    /* at most one mapping per line, each from a line that names /SYSV */
    size_t lines = 1, sysv = 0;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
    for (const char *p = text; (p = memmem(p, size - (size_t)(p - text), "/SYSV", 5)); p += 5)
        sysv++;
    FUZZ_CHECK(n <= lines && n <= sysv);
    for (size_t i = 0; i < n; i++) {
        const struct shm_mapping *m = &whole.m[i];
        FUZZ_CHECK(m->pid == 4242);
        FUZZ_CHECK(m->shmid >= 0);
        FUZZ_CHECK(m->page_size == 0);
        /* the kernel's form of the same mapping reads back the same */
        char line[256];
        int l = snprintf(
            line, sizeof line,
            "%" PRIx64 "-%" PRIx64 " r%c-s 00000000 %02x:%02x %d   /SYSV0000abcd (deleted)\n",
            m->start, m->end, m->writable ? 'w' : '-', m->dev_major, m->dev_minor, m->shmid);
        FUZZ_CHECK(l > 0 && (size_t)l < sizeof line);
        again.n = 0;
        FUZZ_CHECK(parse(line, (size_t)l, &again) == 1);
        FUZZ_CHECK(same(&again.m[0], m));
    }
    /* in pieces cut after a newline, as a reader of the file hands them over */
    piece.n = 0;
    size_t start = 0;
    unsigned cut = size ? data[0] % 7 + 1 : 1;
    for (size_t i = 0, seen = 0; i < size; i++)
        if (data[i] == '\n' && ++seen % cut == 0) {
            parse(text + start, i + 1 - start, &piece);
            start = i + 1;
        }
    if (start < size) parse(text + start, size - start, &piece);
    FUZZ_CHECK(piece.n == whole.n);
    for (size_t i = 0; i < n; i++) FUZZ_CHECK(same(&piece.m[i], &whole.m[i]));
    return 0;
}
