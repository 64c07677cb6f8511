/*
 * Standalone driver for the harnesses of tests/fuzz, for builds without libFuzzer (gcc, the
 * ASan/UBSan CI build): replays a corpus, then runs deterministic pseudo-random mutations
 * of it, so that `ctest -L fuzz` checks the parsers' memory safety on every build.
 *
 *   fuzzrun_<name> [-n MUTATIONS] [-s SEED] [-m MAXLEN] PATH...
 *
 * A PATH is a corpus directory (its files in name order) or one file. Each input is handed
 * to the harness in a heap buffer of exactly its size, so reading one byte past the end is
 * caught by ASan or valgrind. When the harness crashes, the input is saved as
 * ./crash-<name>-<n> first, to be replayed by passing that file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

/* Provided by the sanitizer runtimes; absent (NULL) in plain builds. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

struct input {
    uint8_t *data;
    size_t size;
};

static struct input *corpus;
static size_t ncorpus, capcorpus;

/* The input being run, for the crash handlers. */
static const uint8_t *cur_data;
static size_t cur_size;
static char crash_path[256];

static void save_current(void)
{
    static volatile sig_atomic_t saved;
    if (saved || !cur_data) return;
    saved = 1;
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    size_t off = 0;
    while (off < cur_size) {
        ssize_t w = write(fd, cur_data + off, cur_size - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fd);
    static const char msg[] = "fuzz driver: crashing input saved as ";
    if (write(2, msg, sizeof msg - 1) < 0 || write(2, crash_path, strlen(crash_path)) < 0 ||
        write(2, "\n", 1) < 0)
        return;
}

static void on_signal(int sig)
{
    save_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "fuzz driver: out of memory\n");
        exit(2);
    }
    return q;
}

static void add_input(const uint8_t *data, size_t size)
{
    if (ncorpus == capcorpus) {
        capcorpus = capcorpus ? capcorpus * 2 : 64;
        corpus = xrealloc(corpus, capcorpus * sizeof *corpus);
    }
    corpus[ncorpus].data = xrealloc(NULL, size);
    memcpy(corpus[ncorpus].data, data, size);
    corpus[ncorpus].size = size;
    ncorpus++;
}

static bool read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz driver: %s: %s\n", path, strerror(errno));
        return false;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) buf = xrealloc(buf, cap = cap ? cap * 2 : 4096);
        size_t r = fread(buf + len, 1, cap - len, f);
        if (r == 0) break;
        len += r;
    }
    bool ok = !ferror(f);
    fclose(f);
    if (ok) add_input(buf, len);
    free(buf);
    return ok;
}

static int only_files(const struct dirent *de)
{
    return de->d_name[0] != '.';
}

static bool load_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz driver: %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) return read_file(path);
    struct dirent **list;
    int n = scandir(path, &list, only_files, alphasort);
    if (n < 0) {
        fprintf(stderr, "fuzz driver: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
        ok = read_file(file) && ok;
        free(list[i]);
    }
    free(list);
    return ok;
}

/* Runs the harness on an exact-size copy of the input. */
static void run_one(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1); /* like libFuzzer: never NULL, even when empty */
    if (!copy) exit(2);
    if (size) memcpy(copy, data, size);
    cur_data = copy;
    cur_size = size;
    LLVMFuzzerTestOneInput(copy, size);
    cur_data = NULL;
    free(copy);
}

/* xorshift64*: deterministic across platforms and libcs. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}
static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

/* Tokens that matter to one parser or another: numbers at their limits, separators,
 * column names, option names, multibyte and broken UTF-8. */
/* clang-format off */
static const char *const dict[] = {
    "\n", " ", "\t", "-", "0", "0x", "9", "\r\n", "  \n",
    "4294967295", "4294967296", "-2147483648", "-2147483649", "2147483647", "2147483648",
    "18446744073709551615", "18446744073709551616", "9223372036854775808", "65536", "65537",
    "key", "shmid", "semid", "msqid", "perms", "size", "nsems", "cbytes", "qnum", "rss", "swap",
    "ctime", "1600", "running", "-1 ", "220 ", "65 ", "69 ", "70 ", "0xffffffffffffffff",
    "--source", "--delay=", "-d", "-n", "-b", "--json", "--demo", "--limits", "=", "--",
    "--reap", "--dry-run", "--older-than", "--type", "shm,sem", "--owner", "--key", "--dump",
    "--peek", "--offset", "--length", "--raw", "--readonly", "--no-color", "--bytes", "-s", "-M",
    "--help", "--version", "--p", "--o", "10m", "1d", "0x7e470001", "root",
    "/SYSV", " rw-s ", "00:01", " (deleted)", "se.exec_start", " : ", ") S ", "(",
    "screen=", "delay=", "sort.shm=", "order.sem=", "columns.msg=", "#", "\x1b[", "\x1bO",
    "\x1b[<0;1;1M", "\x1b[M", "~/", "0x", "K", "\"",
    "\xc2\x85", "\xc2\xa0", "\xe2\x82\xac", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbf\xbd",
    "\xf0\x9f\x98\x80", "\xc0\xaf", "\x1b[31m", "\x7f", "\xff",
};
/* clang-format on */
static const uint8_t interesting[] = {0,   0x7f, 0x80, 0xff, '\n', ' ',  '-',
                                      '0', '9',  'x',  0xc2, 0xe2, 0xf0, 0x1b};

static void insert(uint8_t *buf, size_t *len, size_t max, size_t at, const uint8_t *src, size_t n)
{
    if (*len + n > max) n = max - *len;
    if (n == 0) return;
    memmove(buf + at + n, buf + at, *len - at);
    memcpy(buf + at, src, n);
    *len += n;
}

static void mutate(uint8_t *buf, size_t *len, size_t max)
{
    size_t ops = 1 + below(4);
    for (size_t k = 0; k < ops; k++) {
        size_t at = below(*len + 1);
        switch (below(10)) {
        case 0: /* flip a bit */
            if (*len) buf[below(*len)] ^= (uint8_t)(1u << below(8));
            break;
        case 1: /* any byte */
            if (*len) buf[below(*len)] = (uint8_t)rnd();
            break;
        case 2: /* an interesting byte */
            if (*len) buf[below(*len)] = interesting[below(sizeof interesting)];
            break;
        case 3: { /* insert bytes */
            uint8_t b[4] = {(uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)rnd()};
            insert(buf, len, max, at, b, 1 + below(4));
            break;
        }
        case 4: { /* delete a range */
            size_t n = 1 + below(16);
            if (at + n > *len) n = *len - at;
            memmove(buf + at, buf + at + n, *len - at - n);
            *len -= n;
            break;
        }
        case 5: { /* duplicate a range somewhere else */
            if (!*len) break;
            size_t from = below(*len), n = 1 + below(64);
            if (from + n > *len) n = *len - from;
            uint8_t tmp[64];
            memcpy(tmp, buf + from, n);
            insert(buf, len, max, at, tmp, n);
            break;
        }
        case 6:
        case 7: { /* a dictionary token, inserted or overwriting */
            const char *t = dict[below(sizeof dict / sizeof dict[0])];
            size_t n = strlen(t);
            if (below(2) && at + n <= *len)
                memcpy(buf + at, t, n);
            else
                insert(buf, len, max, at, (const uint8_t *)t, n);
            break;
        }
        case 8: { /* splice: the tail of another input */
            const struct input *o = &corpus[below(ncorpus)];
            size_t from = below(o->size + 1), n = o->size - from;
            if (at + n > max) n = max - at;
            memcpy(buf + at, o->data + from, n);
            *len = at + n;
            break;
        }
        default: /* truncate */ *len = at; break;
        }
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    unsigned long iterations = 20000, maxlen = 4096;
    rng_state = UINT64_C(0x9e3779b97f4a7c15);
    int opt;
    while ((opt = getopt(argc, argv, "n:s:m:")) != -1) {
        switch (opt) {
        case 'n': iterations = strtoul(optarg, NULL, 10); break;
        case 's': rng_state = strtoull(optarg, NULL, 0) | 1; break;
        case 'm': maxlen = strtoul(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: %s [-n MUTATIONS] [-s SEED] [-m MAXLEN] PATH...\n", argv[0]);
            return 2;
        }
    }
    if (optind >= argc || maxlen == 0) {
        fprintf(stderr, "usage: %s [-n MUTATIONS] [-s SEED] [-m MAXLEN] PATH...\n", argv[0]);
        return 2;
    }
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    for (int i = optind; i < argc; i++)
        if (!load_path(argv[i])) return 2;
    if (ncorpus == 0) add_input((const uint8_t *)"", 0);

    int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], on_signal);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_current);

    double t0 = now();
    size_t nseeds = ncorpus;
    for (size_t i = 0; i < nseeds; i++) {
        snprintf(crash_path, sizeof crash_path, "crash-%s-seed%zu", name, i);
        run_one(corpus[i].data, corpus[i].size);
    }
    uint8_t *buf = xrealloc(NULL, maxlen);
    size_t len = 0;
    for (unsigned long n = 0; n < iterations; n++) {
        /* mostly start again from a seed; sometimes keep mutating the last input */
        if (n == 0 || below(4)) {
            const struct input *s = &corpus[below(ncorpus)];
            len = s->size < maxlen ? s->size : maxlen;
            memcpy(buf, s->data, len);
        }
        mutate(buf, &len, maxlen);
        snprintf(crash_path, sizeof crash_path, "crash-%s-%lu", name, n);
        run_one(buf, len);
    }
    free(buf);
    printf("%s: %zu corpus inputs and %lu mutations in %.2f s\n", name, nseeds, iterations,
           now() - t0);
    for (size_t i = 0; i < ncorpus; i++) free(corpus[i].data);
    free(corpus);
    return 0;
}
