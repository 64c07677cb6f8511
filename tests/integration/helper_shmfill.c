/*
 * helper_shmfill — makes a shared memory segment with known content, for the tests of the
 * segment viewer (run it only inside a private IPC namespace).
 *
 *   helper_shmfill --size N [--key K] [--noreserve] [--hex OFF:HEXBYTES]... [--text OFF:TEXT]...
 *                  [--stay]
 *
 * Writes the given bytes at the given offsets (OFF decimal or 0x hex; HEXBYTES like
 * 48656c6c6f), prints the shmid on a line, then either detaches and exits (the segment
 * stays, with nothing attached) or, with --stay, stays attached and reads commands on
 * stdin, answering "ok" on stdout after each:
 *   hex OFF HEXBYTES   write bytes
 *   text OFF TEXT      write the rest of the line
 *   quit               detach and exit (also at end of input)
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

static uint8_t *base;
static uint64_t size;

static void die(const char *what)
{
    fprintf(stderr, "helper_shmfill: %s\n", what);
    exit(2);
}

static uint64_t number(const char *s, char **end)
{
    errno = 0;
    unsigned long long v = strtoull(s, end, 0);
    if (errno || *end == s) die("bad number");
    return v;
}

static void put(uint64_t off, const uint8_t *b, size_t n)
{
    if (off > size || n > size - off) die("bytes past the end of the segment");
    memcpy(base + off, b, n);
}

static void put_hex(uint64_t off, const char *hex)
{
    uint8_t b[4096];
    size_t n = 0;
    for (const char *p = hex; *p && !isspace((unsigned char)*p); p += 2) {
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1])) die("bad hex bytes");
        if (n == sizeof b) die("too many bytes");
        char two[3] = {p[0], p[1], 0};
        b[n++] = (uint8_t)strtoul(two, NULL, 16);
    }
    put(off, b, n);
}

/* "OFF:VALUE" */
static const char *split(const char *arg, uint64_t *off)
{
    char *end;
    *off = number(arg, &end);
    if (*end != ':') die("expected OFF:VALUE");
    return end + 1;
}

int main(int argc, char **argv)
{
    key_t key = IPC_PRIVATE;
    bool stay = false, noreserve = false;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--size") && i + 1 < argc)
            size = number(argv[++i], &end);
        else if (!strcmp(argv[i], "--key") && i + 1 < argc)
            key = (key_t)number(argv[++i], &end);
        else if (!strcmp(argv[i], "--noreserve"))
            noreserve = true;
        else if (!strcmp(argv[i], "--stay"))
            stay = true;
        else if ((!strcmp(argv[i], "--hex") || !strcmp(argv[i], "--text")) && i + 1 < argc)
            i++;
        else
            die("usage: helper_shmfill --size N [--key K] [--noreserve] [--hex OFF:HEX]... "
                "[--text OFF:TEXT]... [--stay]");
    }
    if (!size) die("--size is needed");
    int id = shmget(key, size, IPC_CREAT | IPC_EXCL | 0600 | (noreserve ? SHM_NORESERVE : 0));
    if (id < 0) die(strerror(errno));
    base = shmat(id, NULL, 0);
    if (base == (void *)-1) die(strerror(errno));
    for (int i = 1; i < argc; i++) {
        uint64_t off;
        if (!strcmp(argv[i], "--hex")) {
            const char *h = split(argv[++i], &off);
            put_hex(off, h);
        } else if (!strcmp(argv[i], "--text")) {
            const char *t = split(argv[++i], &off);
            put(off, (const uint8_t *)t, strlen(t));
        } else if (!strcmp(argv[i], "--size") || !strcmp(argv[i], "--key"))
            i++;
    }
    printf("%d\n", id);
    fflush(stdout);
    if (!stay) return shmdt(base) == 0 ? 0 : 1;
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        char *end;
        if (!strncmp(line, "hex ", 4)) {
            uint64_t off = number(line + 4, &end);
            while (*end == ' ') end++;
            put_hex(off, end);
        } else if (!strncmp(line, "text ", 5)) {
            uint64_t off = number(line + 5, &end);
            if (*end == ' ') end++;
            put(off, (const uint8_t *)end, strlen(end));
        } else if (!strcmp(line, "quit")) {
            break;
        } else {
            die("unknown command");
        }
        printf("ok\n");
        fflush(stdout);
    }
    return shmdt(base) == 0 ? 0 : 1;
}
