#include "testutil.h"
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

void tu_next_id(const char *kind, int id)
{
    assert_true(wl_ipc_ns_is_private() == 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s_next_id", kind);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%d\n", id);
    assert_int_equal(fclose(f), 0);
}

void tu_enter_private_ns(void)
{
    if (wl_enter_private_ipc_ns() < 0) {
        fprintf(stderr, "cannot enter a private IPC namespace (%s): refusing to run\n",
                strerror(errno));
        exit(1);
    }
}

static const char *env_or_die(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "%s is not set (run the tests through ctest)\n", name);
        exit(1);
    }
    return v;
}

const char *tu_ipctop(void)
{
    return env_or_die("IPCTOP_BIN");
}

const char *tu_ipcload(void)
{
    return env_or_die("IPCLOAD_BIN");
}

const char *tu_helper(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", env_or_die("IPCTOP_TEST_HELPERS"), name);
    return path;
}

/* Reads both pipes until both reach EOF; *outlen gets stdout's length. */
static void drain(int fo, int fe, char **out, char **err, size_t *outlen)
{
    size_t lo = 0, le = 0, co = 4096, ce = 4096;
    *out = malloc(co);
    *err = malloc(ce);
    struct pollfd p[2] = {{fo, POLLIN, 0}, {fe, POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char **buf = i == 0 ? out : err;
            size_t *len = i == 0 ? &lo : &le, *cap = i == 0 ? &co : &ce;
            if (*cap - *len < 65536) {
                *cap = *cap * 2 + 65536;
                *buf = realloc(*buf, *cap);
            }
            ssize_t n = read(p[i].fd, *buf + *len, *cap - *len - 1);
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
            } else {
                *len += (size_t)n;
            }
        }
    }
    (*out)[lo] = '\0';
    (*err)[le] = '\0';
    *outlen = lo;
}

/*
 * With IPCTOP_WRAPPER set (e.g. "valgrind --error-exitcode=99 -q"), every run of the
 * binary under test goes through it, wherever it appears in a command chain.
 */
static char *const *wrapped(char *const argv[], char **buf, size_t cap, char *words)
{
    const char *w = getenv("IPCTOP_WRAPPER");
    if (!w || !*w) return argv;
    snprintf(words, 1024, "%s", w);
    size_t n = 0;
    for (size_t i = 0; argv[i] && n + 16 < cap; i++) {
        if (strcmp(argv[i], tu_ipctop()) == 0) {
            char *save = NULL;
            for (char *t = strtok_r(words, " ", &save); t && n + 2 < cap;
                 t = strtok_r(NULL, " ", &save))
                buf[n++] = t;
        }
        buf[n++] = argv[i];
    }
    buf[n] = NULL;
    return buf;
}

struct tu_result tu_run(char *const argv_in[])
{
    char *buf[96], words[1024];
    char *const *argv = wrapped(argv_in, buf, 96, words);
    struct tu_result r = {-1, NULL, 0, NULL};
    int po[2], pe[2];
    assert_int_equal(pipe2(po, O_CLOEXEC), 0);
    assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        execvp(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    drain(po[0], pe[0], &r.out, &r.err, &r.outlen);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return r;
}

struct tu_proc tu_spawn(char *const argv_in[])
{
    char *buf[96], words[1024];
    char *const *argv = wrapped(argv_in, buf, 96, words);
    int po[2];
    assert_int_equal(pipe2(po, O_CLOEXEC), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(po[1], 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    return (struct tu_proc){pid, po[0]};
}

static long long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *tu_read_burst(struct tu_proc *p, int quiet_ms, int timeout_ms)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    long long end = ms_now() + timeout_ms;
    while (p->out >= 0) {
        long long left = end - ms_now();
        if (left <= 0) break;
        int wait = len ? (quiet_ms < left ? quiet_ms : (int)left) : (int)left;
        struct pollfd pf = {p->out, POLLIN, 0};
        int r = poll(&pf, 1, wait);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (len) break; /* quiet after something: the burst is over */
            continue;
        }
        if (cap - len < 4096) buf = realloc(buf, cap *= 2);
        ssize_t n = read(p->out, buf + len, cap - len - 1);
        if (n <= 0) {
            close(p->out);
            p->out = -1;
            break;
        }
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

char *tu_finish(struct tu_proc *p, int *status)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    while (p->out >= 0) {
        if (cap - len < 4096) buf = realloc(buf, cap *= 2);
        ssize_t n = read(p->out, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close(p->out);
            p->out = -1;
            break;
        }
        len += (size_t)n;
    }
    buf[len] = '\0';
    int st;
    while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return buf;
}

void tu_result_free(struct tu_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Runs prefix[0..np) followed by the NULL-terminated arguments from first and ap. */
static struct tu_result run_prefixed(const char *const *prefix, int np, const char *first,
                                     va_list ap)
{
    char *argv[64];
    int n = 0;
    for (int i = 0; i < np; i++) argv[n++] = (char *)prefix[i];
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *)) argv[n++] = (char *)a;
    argv[n] = NULL;
    return tu_run(argv);
}

struct tu_result tu_ipctop_run(const char *arg, ...)
{
    const char *prefix[] = {tu_ipctop()};
    va_list ap;
    va_start(ap, arg);
    struct tu_result r = run_prefixed(prefix, 1, arg, ap);
    va_end(ap);
    return r;
}

struct tu_result tu_run_as_nobody(const char *prog, ...)
{
    const char *prefix[] = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
                            "--clear-groups", prog};
    va_list ap;
    va_start(ap, prog);
    struct tu_result r = run_prefixed(prefix, 5, va_arg(ap, const char *), ap);
    va_end(ap);
    return r;
}

json_object *tu_ipctop_json(const char *extra, ...)
{
    const char *prefix[] = {tu_ipctop(), "--json"};
    va_list ap;
    va_start(ap, extra);
    struct tu_result r = run_prefixed(prefix, 2, extra, ap);
    va_end(ap);
    if (r.status != 0) fprintf(stderr, "ipctop --json failed (%d): %s\n", r.status, r.err);
    assert_int_equal(r.status, 0);
    enum json_tokener_error jerr;
    json_object *doc = json_tokener_parse_verbose(r.out, &jerr);
    if (!doc)
        fprintf(stderr, "invalid JSON (%s):\n%.2000s\n", json_tokener_error_desc(jerr), r.out);
    assert_non_null(doc);
    tu_result_free(&r);
    return doc;
}

json_object *tu_find(json_object *doc, const char *cls, int id)
{
    json_object *arr;
    if (!json_object_object_get_ex(doc, cls, &arr)) return NULL;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *o = json_object_array_get_idx(arr, i), *v;
        if (json_object_object_get_ex(o, "id", &v) && json_object_get_int(v) == id) return o;
    }
    return NULL;
}

static json_object *field(json_object *obj, const char *name)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, name, &v)) {
        fprintf(stderr, "field '%s' missing in %s\n", name, json_object_to_json_string(obj));
        fail();
    }
    return v;
}

long long tu_int(json_object *obj, const char *name)
{
    json_object *v = field(obj, name);
    if (!v || !json_object_is_type(v, json_type_int)) {
        fprintf(stderr, "field '%s' is not an integer in %s\n", name,
                json_object_to_json_string(obj));
        fail();
    }
    return (long long)json_object_get_int64(v);
}

const char *tu_str(json_object *obj, const char *name)
{
    json_object *v = field(obj, name);
    if (!v || !json_object_is_type(v, json_type_string)) {
        fprintf(stderr, "field '%s' is not a string in %s\n", name,
                json_object_to_json_string(obj));
        fail();
    }
    return json_object_get_string(v);
}

bool tu_is_null(json_object *obj, const char *name)
{
    return field(obj, name) == NULL;
}

long long tu_now(void)
{
    return (long long)time(NULL);
}

size_t tu_count(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)); p += l) n++;
    return n;
}

bool tu_line_with(const char *text, const char *needle, char *buf, size_t len)
{
    const char *p = strstr(text, needle);
    if (!p) return false;
    const char *b = p, *e = p;
    while (b > text && b[-1] != '\n') b--;
    while (*e && *e != '\n') e++;
    snprintf(buf, len, "%.*s", (int)(e - b), b);
    return true;
}
