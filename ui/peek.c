#include "peek.h"

#include "detail.h"
#include "hexdump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEEK_MAX   50 /* messages shown; a queue can hold thousands */
#define PEEK_BYTES 32 /* of each: two hexdump lines */

static void clear(struct peek *p)
{
    content_peek_free(p->m, p->n);
    p->n = 0;
    p->err[0] = '\0';
}

void peek_refresh(struct peek *p)
{
    if (!p->on) return;
    clear(p);
    if (!p->m && !(p->m = calloc(PEEK_MAX, sizeof *p->m))) {
        snprintf(p->err, sizeof p->err, "out of memory");
        return;
    }
    ssize_t n = content_peek(p->msqid, PEEK_MAX, PEEK_BYTES, p->m, p->err, sizeof p->err);
    p->n = n > 0 ? (size_t)n : 0;
}

void peek_toggle(struct peek *p, int msqid)
{
    bool same = p->on && p->msqid == msqid;
    clear(p);
    p->on = !same;
    p->msqid = msqid;
    peek_refresh(p);
}

void peek_free(struct peek *p)
{
    clear(p);
    free(p->m);
    memset(p, 0, sizeof *p);
}

void peek_lines(const struct peek *p, struct detail *d)
{
    struct detail_line *l;
#define LINE(role, ...)                                                                            \
    do {                                                                                           \
        if (!detail_add(d, role)) return;                                                          \
        l = &d->lines[d->n - 1];                                                                   \
        snprintf(l->text, sizeof l->text, __VA_ARGS__);                                            \
    } while (0)
    LINE(DL_TEXT, "%s", "");
    if (p->err[0]) {
        LINE(DL_NOTE, "messages: %.200s", p->err);
        return;
    }
    LINE(DL_TITLE, "Messages: %zu shown, copied and left in the queue (x hides them)", p->n);
    for (size_t i = 0; i < p->n; i++) {
        const struct queue_message *m = &p->m[i];
        LINE(DL_TABLE_HEAD, "message %zu: type %ld, %zu bytes", i, m->type, m->size);
        for (size_t off = 0; off < m->have; off += 16) {
            size_t len = m->have - off < 16 ? m->have - off : 16;
            char text[160];
            hexdump_format_data(text, sizeof text, 4, off, m->data + off, len, 16);
            LINE(DL_TEXT, "  %s", text);
        }
        if (m->size > m->have)
            LINE(DL_NOTE, "  ... cut: %zu of %zu bytes shown (ipctop --peek %d shows all)", m->have,
                 m->size, p->msqid);
    }
    if (p->n == PEEK_MAX) LINE(DL_NOTE, "the first %d messages; --peek lists them all", PEEK_MAX);
#undef LINE
}
