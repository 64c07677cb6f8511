/*
 * locale_de — a decimal-comma locale for the tests of locale independence.
 *
 * de_DE.UTF-8 is generated once per test program with localedef (package locales, which
 * scripts/setup installs) into a private directory that LOCPATH points to, so that no test
 * changes the machine's locales. A test that needs it fails when it cannot be made: a
 * locale that silently is not there would make the test prove nothing.
 */
#ifndef IPCTOP_TEST_LOCALE_DE_H
#define IPCTOP_TEST_LOCALE_DE_H

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char locale_de_dir[64];

static void locale_de_cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", locale_de_dir);
    if (locale_de_dir[0] && system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", locale_de_dir);
}

/* Switches LC_ALL to de_DE.UTF-8 (generated on first use); false with a message if it cannot. */
static inline bool locale_de_use(void)
{
    if (!locale_de_dir[0]) {
        snprintf(locale_de_dir, sizeof locale_de_dir, "/tmp/ipctop-locale.XXXXXX");
        if (!mkdtemp(locale_de_dir)) {
            locale_de_dir[0] = '\0';
            return false;
        }
        atexit(locale_de_cleanup);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
                 locale_de_dir);
        /* localedef warns with status 1 about some locales and still writes them */
        if (system(cmd) < 0) return false;
        setenv("LOCPATH", locale_de_dir, 1);
    }
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        fprintf(stderr, "cannot make de_DE.UTF-8 with localedef (package locales)\n");
        return false;
    }
    return strcmp(localeconv()->decimal_point, ",") == 0;
}

static inline void locale_de_done(void)
{
    setlocale(LC_ALL, "C");
}

#endif
