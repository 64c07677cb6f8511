#include "inputfilter.h"

#include <string.h>

enum {
    F_TEXT,
    F_ESC,  /* after ESC */
    F_CSI,  /* after ESC [ */
    F_SGR,  /* in a report ncurses reads: after ESC [ < */
    F_DROP, /* the rest of a report that was ended */
    F_X10,  /* the three bytes of an X10 report */
};

#define SGR_MAX_PARAMS 3
#define SGR_MAX_DIGITS 6

void input_filter_init(struct input_filter *f, bool x10)
{
    memset(f, 0, sizeof *f);
    f->state = F_TEXT;
    f->x10 = x10;
}

/* What ncurses' report reader takes as its last byte. */
static bool is_final(unsigned char c)
{
    return c >= 0x40 && c <= 0x7e;
}

size_t input_filter_feed(struct input_filter *f, const unsigned char *in, size_t n,
                         unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = in[i];
        switch (f->state) {
        case F_X10:
            if (--f->x10_left == 0) f->state = F_TEXT;
            out[o++] = c;
            continue;
        case F_SGR:
            if (c >= '0' && c <= '9' && ++f->digits > SGR_MAX_DIGITS) break;
            if (c == ';' && (f->digits = 0, ++f->params > SGR_MAX_PARAMS)) break;
            if (is_final(c)) f->state = F_TEXT;
            out[o++] = c; /* a byte ncurses skips as an error passes too: it changes nothing */
            continue;
        case F_DROP:
            if (is_final(c)) f->state = F_TEXT;
            continue;
        case F_ESC:
            f->state = c == '[' ? F_CSI : F_TEXT;
            if (c == 0x1b) f->state = F_ESC;
            out[o++] = c;
            continue;
        case F_CSI:
            f->state = F_TEXT;
            if (c == '<') {
                f->state = F_SGR;
                f->params = 1;
                f->digits = 0;
            } else if (c == 'M' && f->x10) {
                f->state = F_X10;
                f->x10_left = 3;
            } else if (c == 0x1b) {
                f->state = F_ESC;
            }
            out[o++] = c;
            continue;
        default:
            if (c == 0x1b) f->state = F_ESC;
            out[o++] = c;
            continue;
        }
        /* a report ncurses cannot take: ended for it, its rest dropped */
        out[o++] = '!';
        out[o++] = 'M';
        f->state = F_DROP;
    }
    return o;
}
