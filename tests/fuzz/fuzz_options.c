/*
 * Harness: options_parse. The input is split at newlines into arguments after "ipctop".
 * Every result must be one of the four, the same twice in a row (getopt's state is reset),
 * an error must come with a sentence that never holds a control character (whatever bytes
 * the arguments hold: they are shown sanitized), and an accepted command line must hold
 * values in range and one consistent mode — every mode, --reap, --dump and --peek too.
 */
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 64

/* No C0, DEL or C1 control (C1 as UTF-8 is c2 80..c2 9f). */
static bool no_controls(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (*u < 0x20 || *u == 0x7f || (u[0] == 0xc2 && u[1] >= 0x80 && u[1] < 0xa0)) return false;
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
    for (char *p = text; argc <= MAX_ARGS;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        orig[argc++] = p;
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
        /* a user-facing sentence: never a control byte, not even one the arguments hold */
        FUZZ_CHECK(no_controls(err1));
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
        FUZZ_CHECK(a.mode >= MODE_TUI && a.mode <= MODE_PEEK);
        FUZZ_CHECK(!a.demo || a.mode == MODE_TUI);
        FUZZ_CHECK(a.mode != MODE_BATCH || !a.json);
        FUZZ_CHECK(a.mode != MODE_JSON || a.json);
        FUZZ_CHECK(a.mode != MODE_DUMP || !a.json);
        FUZZ_CHECK(a.dump_id >= 0 && a.peek_id >= 0);
        FUZZ_CHECK(a.nkeys <= OPT_MAX_KEYS);
        FUZZ_CHECK(a.older_than >= 0);
        /* the options of a mode come only with it */
        FUZZ_CHECK(a.mode == MODE_DUMP ||
                   (!a.raw && !a.dump_length_given && !a.dump_offset && !a.find_len && !a.output));
        FUZZ_CHECK(a.find_len <= sizeof a.find && (a.find_len > 0) == (a.find_text != NULL));
        FUZZ_CHECK(!a.output || a.output[0]);
        FUZZ_CHECK(a.mode == MODE_REAP || (!a.dry_run && !a.owner_given && !a.nkeys && a.types[0] &&
                                           a.types[1] && a.types[2]));
        FUZZ_CHECK(a.mode != MODE_REAP || a.types[0] || a.types[1] || a.types[2]);
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
