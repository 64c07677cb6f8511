/*
 * Harness: limits_parse, the parser of /proc/sys/kernel/{shmmax,shmall,shmmni,msg*,sem}.
 * For n = 1 and n = 4 (sem) it accepts exactly what the kernel prints: n unsigned decimal
 * numbers that fit 64 bits, separated by blanks, then at most blanks and one newline —
 * checked against an independent reading of the same text — and what it accepts, printed
 * as the kernel prints it, reads back the same.
 */
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "collect.h"
#include "fuzz.h"

/* The same grammar, written another way: tokens split at blanks. */
static bool reference(const char *s, size_t len, unsigned long long *v, int n)
{
    size_t i = 0;
    if (len && s[len - 1] == '\n') len--;
    int k = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i == len) break;
        if (k == n) return false;
        unsigned long long x = 0;
        size_t start = i;
        while (i < len && s[i] != ' ' && s[i] != '\t') {
            if (s[i] < '0' || s[i] > '9') return false;
            if (x > ULLONG_MAX / 10 ||
                (x == ULLONG_MAX / 10 && (unsigned)(s[i] - '0') > ULLONG_MAX % 10))
                return false;
            x = x * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == start) return false;
        v[k++] = x;
    }
    return k == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int n = 1; n <= 4; n += 3) {
        unsigned long long a[4], b[4];
        memset(a, 0x5a, sizeof a);
        bool ok = limits_parse(text, size, a, n);
        bool ref = reference(text, size, b, n);
        FUZZ_CHECK(ok == ref);
        if (!ok) continue;
        for (int i = 0; i < n; i++) FUZZ_CHECK(a[i] == b[i]);
        char line[128];
        int l = n == 1 ? snprintf(line, sizeof line, "%llu\n", a[0])
                       : snprintf(line, sizeof line, "%llu\t%llu\t%llu\t%llu\n", a[0], a[1], a[2],
                                  a[3]);
        FUZZ_CHECK(limits_parse(line, (size_t)l, b, n));
        for (int i = 0; i < n; i++) FUZZ_CHECK(a[i] == b[i]);
    }
    return 0;
}
