/*
 * inputfilter — what may pass from the terminal to ncurses (pure: bytes in, bytes out).
 *
 * ncurses 6.4 (Debian 12) decodes an SGR mouse report ("ESC [ < b ; x ; y M", what xterm
 * and most terminals send when TERM says kmous=\E[<) into an array of 9 parameters on the
 * stack without a bound: "ESC [ < ;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;; 0" overflows it and
 * ends the process (found by tests/fuzz/fuzz_keys). The monitor therefore reads the
 * terminal itself and hands ncurses, through a pipe, what this filter lets pass.
 *
 * The filter follows the byte stream as ncurses will read it: wherever "ESC [ <" appears,
 * ncurses takes what follows, up to a byte in 0x40..0x7e, as one report. While that is a
 * report ncurses can take (at most 3 parameters of at most 6 digits) it passes unchanged; at
 * the first byte that would make it another, the filter ends it for ncurses with a byte
 * ncurses counts as an error and a final byte ("!M": the report is dropped, no event), and
 * drops the rest of it up to its own final byte. Nothing else changes and nothing is held
 * back: keys, pasted text, valid reports and, for an X10 terminal (kmous=\E[M), the three
 * raw bytes after "ESC [ M" pass as they come, in any cut between reads.
 */
#ifndef IPCTOP_UI_INPUTFILTER_H
#define IPCTOP_UI_INPUTFILTER_H

#include <stdbool.h>
#include <stddef.h>

struct input_filter {
    bool x10; /* the terminal's mouse reports are X10 ("ESC [ M" and three bytes) */
    int state;
    int params, digits, x10_left;
};

/* Room for the output of n bytes of input: ending a report puts 2 bytes for 1, and a report
 * takes at least 6 bytes to need ending ("ESC [ < ; ; ;"). */
#define INPUT_FILTER_OUT(n) ((n) + (n) / 4 + 2)

/* x10: ncurses takes "ESC [ M" as the mouse (kmous=\E[M, as for TERM=tmux-256color): the
 * three bytes after it are its report. Otherwise "ESC [ M" is an ordinary sequence. */
void input_filter_init(struct input_filter *f, bool x10);

/* Takes n bytes; writes what may pass to out, which has room for INPUT_FILTER_OUT(n)
 * bytes; returns how many. */
size_t input_filter_feed(struct input_filter *f, const unsigned char *in, size_t n,
                         unsigned char *out);

#endif
