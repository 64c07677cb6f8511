#include "dump.h"

#include "content.h"
#include "format.h"
#include "hexdump.h"
#include "hexwin.h"
#include "jsonw.h"
#include "output.h"
#include "savefile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BPL         16
#define DUMP_WINDOW 16384 /* lines built at a time: 256 KiB of data, 1 MiB of lines */

static ssize_t dump_read(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind,
                         char *err, size_t errlen)
{
    return content_read(ctx, off, len, buf, kind, err, errlen);
}

static uint64_t dump_next_data(void *ctx, uint64_t off)
{
    return content_next_data(ctx, off);
}

/* A sentence that may hold a file name as typed: never a raw control byte on stderr. */
static void say_safe(const char *what, const char *text)
{
    char safe[4 * 4096 + 1024];
    fprintf(stderr, "ipctop: %s%s\n", what, sanitize_text(safe, sizeof safe, text, strlen(text)));
}

/* The first match of o->find at or after from: 0 with *at set, else 1 (a sentence said). */
static int find_first(const struct options *o, const struct hexwin_source *src,
                      struct hexwin_scratch *sc, uint64_t from, uint64_t *at)
{
    char err[512], shown[160];
    sanitize_text(shown, sizeof shown, o->find_text, strlen(o->find_text));
    for (;;) {
        uint64_t found = 0, resume = 0;
        switch (hexwin_search(src, sc, o->find, o->find_len, from, false, HEXWIN_SEARCH_STEP,
                              &found, &resume, err, sizeof err)) {
        case HS_FOUND:
            fprintf(stderr, "ipctop: shm %d: \"%s\" found at offset 0x%" PRIx64 " (%" PRIu64 ")\n",
                    o->dump_id, shown, found, found);
            *at = found;
            return 0;
        case HS_NOT_FOUND:
            fprintf(stderr,
                    "ipctop: shm %d: \"%s\" not found at or after offset 0x%" PRIx64 " (%" PRIu64
                    ")\n",
                    o->dump_id, shown, from, from);
            return 1;
        case HS_MORE: from = resume; break; /* no one waits for a key here: on */
        case HS_ERROR: fprintf(stderr, "ipctop: %s\n", err); return 1;
        }
    }
}

/* The bytes themselves on stdout. A page not read cannot be given as zeros, that would be
 * a lie: the output stops there, with a sentence. */
static int dump_raw(const struct options *o, struct shm_reader *r, struct hexwin_scratch *sc,
                    uint64_t at, uint64_t end)
{
    char err[512];
    while (at < end && !ferror(stdout)) {
        size_t want = end - at < HEXWIN_CHUNK ? (size_t)(end - at) : HEXWIN_CHUNK;
        ssize_t got = content_read(r, at, want, sc->buf, sc->kind, err, sizeof err);
        if (got <= 0) {
            fprintf(stderr, "ipctop: %s\n", got < 0 ? err : "the segment shrank");
            return 1;
        }
        for (size_t i = 0; i < (size_t)got; i++)
            if (sc->kind[i] == BYTE_NOT_RESIDENT || sc->kind[i] == BYTE_UNREADABLE) {
                fwrite(sc->buf, 1, i, stdout);
                fprintf(stderr, "ipctop: shm %d: %s at offset %" PRIu64 "; stopped there\n",
                        o->dump_id,
                        sc->kind[i] == BYTE_UNREADABLE
                            ? "unreadable"
                            : "not resident (reading it would allocate memory)",
                        at + i);
                return 1;
            }
        fwrite(sc->buf, 1, (size_t)got, stdout); /* a failed write: out_finish says why */
        at += (uint64_t)got;
    }
    return 0;
}

/* The hexdump of [start, end) into a new file o->output, or nothing: 0, or 1 (said). */
static int dump_text_to_file(const struct options *o, const struct hexwin_source *src,
                             struct hexwin_scratch *sc, uint64_t start, uint64_t end, int offw)
{
    char err[8192];
    struct savefile sf;
    if (savefile_open(&sf, o->output, false, err, sizeof err) < 0) {
        say_safe("--output: ", err);
        return 1;
    }
    char name[4 * 4096 + 1];
    FILE *f = out_open_file(sf.fd, sanitize_text(name, sizeof name, o->output, strlen(o->output)));
    if (!f) {
        savefile_abort(&sf);
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    sf.fd = -1; /* the stream closes it (after syncing it) */
    int rc = hexwin_print(src, sc, start, end, offw, DUMP_WINDOW, f, err, sizeof err);
    if (rc != 0) fprintf(stderr, "ipctop: %s\n", err);
    /* a failed write, sync or close: out_finish says so; a file is put in place only whole */
    if (out_finish(f, rc != 0) != 0) {
        savefile_abort(&sf);
        return 1;
    }
    if (savefile_publish(&sf, err, sizeof err) < 0) {
        say_safe("--output: ", err);
        return 1;
    }
    return 0;
}

int run_dump(const struct options *o)
{
    struct shm_reader r;
    char err[8192];
    if (content_open(&r, o->dump_id, err, sizeof err) < 0) {
        fprintf(stderr, "ipctop: %s\n", err);
        return 1;
    }
    if (o->dump_offset > r.size || (o->dump_offset == r.size && r.size > 0)) {
        fprintf(stderr,
                "ipctop: offset %" PRIu64 " is past the end of shm %d (%" PRIu64 " bytes)\n",
                o->dump_offset, o->dump_id, r.size);
        return 1;
    }
    if (o->dump_length_given && !o->find_len && o->dump_length > r.size - o->dump_offset) {
        fprintf(stderr,
                "ipctop: shm %d has only %" PRIu64 " bytes after offset %" PRIu64 ", not %" PRIu64
                "\n",
                o->dump_id, r.size - o->dump_offset, o->dump_offset, o->dump_length);
        return 1;
    }
    /* an existing file is refused before a long search, not after it */
    if (o->output && savefile_check(o->output, false, err, sizeof err) < 0) {
        char why[8192 + 64];
        snprintf(why, sizeof why, "%s (it writes only new files)", err);
        say_safe("--output: ", why);
        return 1;
    }
    char path[256];
    fprintf(stderr, "ipctop: shm %d: %s\n", o->dump_id, content_path_text(&r, path, sizeof path));
    struct hexwin_scratch sc;
    if (!hexwin_scratch_init(&sc)) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    /* forward only, and everything is read: spans are skipped with next_data on both paths
     * (on the attaching one a mincore scan, still cheaper than looking at them) */
    struct hexwin_source src = {&r, r.size, dump_read, dump_next_data, true};
    int status = 0, offw = hexdump_offset_width(r.size);
    uint64_t start = o->dump_offset, end = r.size;
    if (o->find_len) status = find_first(o, &src, &sc, start, &start);
    if (status == 0 && o->dump_length_given) {
        if (o->dump_length > r.size - start) {
            fprintf(stderr,
                    "ipctop: shm %d has only %" PRIu64 " bytes after the match at offset %" PRIu64
                    ", not %" PRIu64 "\n",
                    o->dump_id, r.size - start, start, o->dump_length);
            status = 1;
        }
        end = start + o->dump_length;
    }
    if (status == 0 && o->output && o->raw) {
        if (hexwin_write_file(&src, &sc, start, end, o->output, false, err, sizeof err) < 0) {
            say_safe("--output: not written: ", err);
            status = 1;
        }
    } else if (status == 0 && o->output) {
        status = dump_text_to_file(o, &src, &sc, start, end, offw);
    } else if (status == 0 && o->raw) {
        status = dump_raw(o, &r, &sc, start, end);
    } else if (status == 0) {
        int rc = hexwin_print(&src, &sc, start, end, offw, DUMP_WINDOW, stdout, err, sizeof err);
        if (rc != 0) fprintf(stderr, "ipctop: %s\n", err);
        status = rc != 0;
    }
    if (status == 0 && o->output) {
        char sz[FMT_BUFSZ], what[256];
        fmt_size(sz, end - start);
        snprintf(what, sizeof what,
                 "shm %d: wrote %s (%" PRIu64 " bytes, 0x%" PRIx64 "-0x%" PRIx64 ") as %s to ",
                 o->dump_id, sz, end - start, start, end, o->raw ? "raw bytes" : "a hexdump");
        say_safe(what, o->output);
    }
    hexwin_scratch_free(&sc);
    return out_finish(stdout, status);
}

void base64_encode(const uint8_t *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

#define PEEK_MAX    10000
#define PEEK_PREFIX 64

int run_peek(const struct options *o)
{
    struct queue_message *m = calloc(PEEK_MAX, sizeof *m);
    char err[512];
    if (!m) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    size_t prefix = o->json ? 8192 : PEEK_PREFIX;
    ssize_t n = content_peek(o->peek_id, PEEK_MAX, prefix, m, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "ipctop: %s\n", err);
        free(m);
        return 1;
    }
    if (o->json) {
        struct jsonw w;
        jw_init(&w, stdout);
        jw_obj_begin(&w);
        JW_KI64(&w, "msqid", o->peek_id);
        jw_key(&w, "messages");
        jw_arr_begin(&w, true);
        for (ssize_t i = 0; i < n; i++) {
            char *b64 = malloc(m[i].have / 3 * 4 + 8);
            jw_obj_begin(&w);
            JW_KU64(&w, "index", (uint64_t)i);
            JW_KI64(&w, "type", m[i].type);
            JW_KU64(&w, "size", m[i].size);
            jw_key(&w, "data_base64");
            if (b64) {
                base64_encode(m[i].data, m[i].have, b64);
                jw_str_plain(&w, b64);
            } else {
                jw_null(&w);
            }
            jw_key(&w, "truncated");
            jw_bool(&w, m[i].have < m[i].size);
            jw_obj_end(&w);
            free(b64);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
        jw_finish(&w);
    } else {
        printf("msg %d: %zd message%s, left in the queue\n", o->peek_id, n, n == 1 ? "" : "s");
        for (ssize_t i = 0; i < n; i++) {
            printf("message %zd: type %ld, %zu bytes%s\n", i, m[i].type, m[i].size,
                   m[i].have < m[i].size ? " (first bytes below)" : "");
            struct hex_squeeze sq = {0};
            struct hex_line lines[PEEK_PREFIX / BPL + 2];
            size_t nl;
            hexdump_lines(0, m[i].data, NULL, m[i].have, BPL, true, &sq, lines,
                          sizeof lines / sizeof lines[0], &nl);
            for (size_t k = 0; k < nl; k++) {
                char text[512];
                if (lines[k].kind == HL_DATA)
                    hexdump_format_data(text, sizeof text, 8, lines[k].off,
                                        m[i].data + lines[k].off, (size_t)lines[k].len, BPL);
                else
                    hexdump_format_span(text, sizeof text, 8, &lines[k]);
                printf("  %s\n", text);
            }
        }
    }
    content_peek_free(m, (size_t)n);
    free(m);
    return out_finish(stdout, 0);
}
