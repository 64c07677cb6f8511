/*
 * Harness: options_parse. The input is split at newlines into arguments after "ipctop".
 * Every result must be one of the four, the same twice in a row (getopt's state is reset),
 * an error must come with a sentence (printable when the arguments were), and an accepted
 * command line must hold values in range.
 */
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 64

static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    FUZZ_CHECK(text);
    memcpy(text, data, size);
    text[size] = '\0';
    char *orig[MAX_ARGS + 2], *argv[MAX_ARGS + 2], *argv2[MAX_ARGS + 2];
    int argc = 0;
    orig[argc++] = (char *)"ipctop";
    bool all_printable = true;
    for (char *p = text; argc <= MAX_ARGS;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        orig[argc++] = p;
        all_printable = all_printable && printable(p);
        if (!nl) break;
        p = nl + 1;
    }
    orig[argc] = NULL;
    /* getopt permutes argv: every run gets its own copy of the original order */
    memcpy(argv, orig, sizeof orig);
    memcpy(argv2, orig, sizeof orig);

    struct options a, b;
    char *err1 = malloc(200), *err2 = malloc(200);
    FUZZ_CHECK(err1 && err2);
    enum options_result r1 = options_parse(argc, argv, &a, err1, 200);
    FUZZ_CHECK(r1 == OPT_RUN || r1 == OPT_HELP || r1 == OPT_VERSION || r1 == OPT_ERROR);
    FUZZ_CHECK(memchr(err1, '\0', 200));
    enum options_result r2 = options_parse(argc, argv2, &b, err2, 200);
    FUZZ_CHECK(r1 == r2);
    FUZZ_CHECK(strcmp(err1, err2) == 0);
    if (r1 == OPT_ERROR) {
        FUZZ_CHECK(err1[0] != '\0');
        /* a user-facing sentence: no raw bytes from nowhere (known bug: long-only options
         * without a value, or with one they do not take, print their internal code) */
        if (all_printable && !FUZZ_SKIP_KNOWN_BUGS) FUZZ_CHECK(printable(err1));
    } else {
        FUZZ_CHECK(err1[0] == '\0');
    }
    if (r1 == OPT_RUN) {
        FUZZ_CHECK(a.mode == b.mode && a.json == b.json && a.delay == b.delay &&
                   a.iterations == b.iterations && a.bytes == b.bytes && a.force == b.force &&
                   a.no_color == b.no_color && a.no_mouse == b.no_mouse &&
                   a.readonly == b.readonly && a.demo == b.demo);
        FUZZ_CHECK((a.sort == NULL) == (b.sort == NULL));
        if (a.sort) FUZZ_CHECK(strcmp(a.sort, b.sort) == 0);
        FUZZ_CHECK(a.delay >= 0.05 && a.delay <= 86400.0);
        FUZZ_CHECK(a.iterations >= 0);
        FUZZ_CHECK(a.force >= FORCE_AUTO && a.force <= FORCE_PROCFS);
        FUZZ_CHECK(a.mode >= MODE_TUI && a.mode <= MODE_LIMITS);
        FUZZ_CHECK(!a.demo || a.mode == MODE_TUI);
        FUZZ_CHECK(a.mode != MODE_BATCH || !a.json);
        FUZZ_CHECK(a.mode != MODE_JSON || a.json);
    }
    /* a tiny error buffer is never overrun */
    char *tiny = malloc(3);
    FUZZ_CHECK(tiny);
    memcpy(argv2, orig, sizeof orig);
    options_parse(argc, argv2, &b, tiny, 3);
    FUZZ_CHECK(memchr(tiny, '\0', 3));
    free(tiny);
    free(err1);
    free(err2);
    free(text);
    return 0;
}
