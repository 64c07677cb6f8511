#include "dump.h"

#include "content.h"
#include "hexdump.h"
#include "jsonw.h"
#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)
#define BPL   16

static int write_all(const void *p, size_t n)
{
    return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

/* One display line; data lines read their bytes from buf, which starts at offset base. */
static void print_line(const struct hex_line *l, const uint8_t *buf, uint64_t base, int offw)
{
    char text[512];
    if (l->kind == HL_DATA)
        hexdump_format_data(text, sizeof text, offw, l->off, buf + (l->off - base), (size_t)l->len,
                            BPL);
    else
        hexdump_format_span(text, sizeof text, offw, l);
    printf("%s\n", text);
}

int run_dump(const struct options *o)
{
    struct shm_reader r;
    char err[512];
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
    uint64_t end = r.size;
    if (o->dump_length_given) {
        if (o->dump_length > r.size - o->dump_offset) {
            fprintf(stderr,
                    "ipctop: shm %d has only %" PRIu64 " bytes after offset %" PRIu64
                    ", not %" PRIu64 "\n",
                    o->dump_id, r.size - o->dump_offset, o->dump_offset, o->dump_length);
            return 1;
        }
        end = o->dump_offset + o->dump_length;
    }
    char path[256];
    fprintf(stderr, "ipctop: shm %d: %s\n", o->dump_id, content_path_text(&r, path, sizeof path));
    uint8_t *buf = malloc(CHUNK), *kind = malloc(CHUNK);
    struct hex_line *lines = malloc((CHUNK / BPL + 1) * sizeof *lines);
    if (!buf || !kind || !lines) {
        free(buf);
        free(kind);
        free(lines);
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    int status = 0, offw = hexdump_offset_width(r.size);
    struct hex_squeeze sq = {0};
    /* a span line (hole, not resident) waits here: the next chunk may extend it */
    struct hex_line pending = {HL_DATA, 0, 0};
    for (uint64_t at = o->dump_offset; at < end && status == 0 && !ferror(stdout);) {
        if (!o->raw) {
            /* a gigabyte of holes is one lseek, not a gigabyte of reads */
            uint64_t next = content_next_data(&r, at);
            if (next > at) {
                uint64_t stop = next < end ? next : end;
                enum hex_line_kind k = r.path == CONTENT_MAPFILE ? HL_HOLE : HL_NOT_RESIDENT;
                if (pending.len && pending.kind == k && pending.off + pending.len == at) {
                    pending.len += stop - at;
                } else {
                    if (pending.len) print_line(&pending, NULL, 0, offw);
                    pending = (struct hex_line){k, at, stop - at};
                }
                sq.have_prev = sq.in_run = false;
                at = stop;
                continue;
            }
        }
        size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
        ssize_t got = content_read(&r, at, want, buf, kind, err, sizeof err);
        if (got <= 0) {
            fprintf(stderr, "ipctop: %s\n", got < 0 ? err : "the segment shrank");
            status = 1;
            break;
        }
        if (o->raw) {
            /* raw bytes: a page not read cannot be given as zeros, that would be a lie */
            for (size_t i = 0; i < (size_t)got; i++)
                if (kind[i] == BYTE_NOT_RESIDENT || kind[i] == BYTE_UNREADABLE) {
                    write_all(buf, i);
                    fprintf(stderr, "ipctop: shm %d: %s at offset %" PRIu64 "; stopped there\n",
                            o->dump_id,
                            kind[i] == BYTE_UNREADABLE
                                ? "unreadable"
                                : "not resident (reading it would allocate memory)",
                            at + i);
                    status = 1;
                    break;
                }
            if (status == 0 && write_all(buf, (size_t)got) < 0) break; /* out_finish says why */
            at += (uint64_t)got;
            continue;
        }
        size_t nl, used = hexdump_lines(at, buf, kind, (size_t)got, BPL, true, &sq, lines,
                                        CHUNK / BPL + 1, &nl);
        for (size_t k = 0; k < nl; k++) {
            struct hex_line *l = &lines[k];
            if (l->kind == HL_UNREADABLE) status = 1;
            if (pending.len && l->kind == pending.kind && pending.off + pending.len == l->off) {
                pending.len += l->len;
                continue;
            }
            if (pending.len) print_line(&pending, NULL, 0, offw);
            pending.len = 0;
            if (l->kind == HL_HOLE || l->kind == HL_NOT_RESIDENT || l->kind == HL_UNREADABLE) {
                pending = *l;
                continue;
            }
            print_line(l, buf, at, offw);
        }
        at += used;
    }
    if (pending.len) print_line(&pending, NULL, 0, offw);
    if (status == 0 && !o->raw) printf("%0*" PRIx64 "\n", offw, end);
    free(buf);
    free(kind);
    free(lines);
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
