/*
 * Harness: key and mouse decoding, through the real input path. The input goes, as a
 * terminal would send it, through the monitor's input filter (in pieces, as reads cut it)
 * into a pipe that ncurses reads as its terminal (TERM xterm-256color: SGR mouse reports;
 * keypad and the mouse on, as the monitor sets them); every key get_wch
 * returns is decoded by key_decode as the monitor's loop does, looked up in the key table,
 * fed to the line editor of the prompts, and every mouse event to mouse_decode and the hit
 * test. Properties: a typed character is never a special key and a special key never a
 * character; the lookup names an action of the table; the prompt line stays valid UTF-8
 * without a control character; a mouse event is one kind.
 */
#include <fcntl.h>
#include <ncurses.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "frame.h"
#include "fuzz.h"
#include "inputfilter.h"
#include "keys.h"
#include "lineedit.h"

static int pipe_w = -1, pipe_r = -1;
static SCREEN *screen;
static struct app app; /* the lists, nothing read yet: what the frame needs to place things */
static bool x10_mouse; /* the terminal's kmous is \E[M */

static bool setup(void)
{
    int fds[2];
    if (pipe(fds) < 0) return false;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    FILE *in = fdopen(fds[0], "r"), *out = fopen("/dev/null", "w");
    if (!in || !out) return false;
    setenv("TERM", "xterm-256color", 1);
    screen = newterm("xterm-256color", out, in);
    if (!screen) return false;
    const char *kmous = tigetstr("kmous");
    x10_mouse = kmous && kmous != (const char *)-1 && strcmp(kmous, "\033[M") == 0;
    pipe_w = fds[1];
    app.stack[0] = list_screen_new();
    app.depth = app.stack[0] ? 1 : 0;
    if (!app.depth) return false;
    pipe_r = fds[0];
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(1); /* a lone ESC resolves before the next input (0 would leave it pending) */
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED,
              NULL);
    mouseinterval(0);
    return true;
}

static bool valid_line(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t l = u[i] < 0x80 ? 1 : u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 : u[i] >= 0xc0 ? 2 : 0;
        if (l == 0 || i + l > len) return false;
        if (l == 1 && (u[i] < 0x20 || u[i] == 0x7f)) return false;
        if (l == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) return false; /* C1 */
        for (size_t k = 1; k < l; k++)
            if ((u[i + k] & 0xc0) != 0x80) return false;
        i += l;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        FUZZ_CHECK(setup());
        ready = true;
    }
    if (size > 4096) return 0;
    flushinp();
    /* nothing left in the pipe from the input before */
    char drain[256];
    while (read(pipe_r, drain, sizeof drain) > 0) {
    }
    /* what the monitor's input thread passes on (ncurses 6.4 overflows its stack on some
     * SGR reports: without the filter, this harness finds that in minutes), in pieces: the
     * filter's state goes from one read to the next */
    struct input_filter f;
    input_filter_init(&f, x10_mouse);
    unsigned char out[INPUT_FILTER_OUT(4096)];
    size_t o = 0, piece = size ? (size_t)data[0] % 16 + 1 : 1;
    for (size_t i = 0; i < size; i += piece) {
        size_t n = size - i < piece ? size - i : piece;
        size_t k = input_filter_feed(&f, data + i, n, out + o);
        FUZZ_CHECK(k <= INPUT_FILTER_OUT(n));
        o += k;
    }
    FUZZ_CHECK(o <= INPUT_FILTER_OUT(size));
    FUZZ_CHECK(write(pipe_w, out, o) == (ssize_t)o);
    char line[64] = "";
    size_t len = 0;
    size_t nact;
    keys_actions(&nact);
    wint_t ch;
    int r, n = 0;
    while ((r = get_wch(&ch)) != ERR && n++ < 8192) {
        keycode k = key_decode(r == KEY_CODE_YES, (uint32_t)ch);
        if (r == KEY_CODE_YES)
            FUZZ_CHECK(key_is_special(k) || k == KC_NONE);
        else
            FUZZ_CHECK(!key_is_special(k) && (k <= 0x10ffff || k == KC_NONE));
        enum action a = keys_lookup(k);
        FUZZ_CHECK(a >= ACT_NONE && a < ACT_COUNT);
        enum edit_result e = line_edit_key(line, sizeof line, &len, k);
        FUZZ_CHECK(e >= EDIT_NONE && e <= EDIT_CANCEL);
        FUZZ_CHECK(len < sizeof line && strlen(line) == len && valid_line(line, len));
        if (k == KC(KEY_MOUSE)) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                enum mouse_kind m = mouse_decode((uint64_t)ev.bstate);
                FUZZ_CHECK(m >= MOUSE_NONE && m <= MOUSE_WHEEL_DOWN);
                /* where it lands on the frame: a tab of a registered kind, or a key of
                 * the bar naming an action of the table */
                int tab = frame_tab_at(&app, ev.x);
                FUZZ_CHECK(tab >= -1 && tab < IPC_NCLASSES);
                enum action act;
                if (frame_fkey_at(&app, ev.x, &act)) FUZZ_CHECK(act >= ACT_NONE && act < ACT_COUNT);
            }
        }
    }
    return 0;
}
