/*
 * Harness: procstat_parse (/proc/PID/stat) and procstat_sched_exec_start (/proc/TID/sched).
 * Whatever procstat_parse accepts has a pid, a name of at most PROCSTAT_COMM_MAX bytes
 * without NUL, a printable state; the kernel's form of the same values parses back to them,
 * with the name as it was (whatever bytes it holds: spaces, parentheses, controls). A sched
 * value accepted is a finite non-negative number, and the same text reads the same in any
 * locale.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct proc_stat st;
    memset(&st, 0x5a, sizeof st);
    if (procstat_parse(text, size, &st)) {
        FUZZ_CHECK(st.pid > 0);
        FUZZ_CHECK(st.comm_len <= PROCSTAT_COMM_MAX);
        FUZZ_CHECK(strlen(st.comm) == st.comm_len);
        FUZZ_CHECK(st.state >= '!' && st.state <= '~');
        /* the kernel's form of these values (fields the parser skips as in the input) */
        char line[512];
        int n = snprintf(line, sizeof line,
                         "%d (%s) %c 1 2 3 0 -1 %" PRIu64 " 100 0 0 0 5 6 0 0 20 0 1 0 %" PRIu64
                         " 3133440 408 18446744073709551615\n",
                         st.pid, st.comm, st.state, st.flags, st.start_tics);
        FUZZ_CHECK(n > 0 && (size_t)n < sizeof line);
        struct proc_stat back;
        FUZZ_CHECK(procstat_parse(line, (size_t)n, &back));
        FUZZ_CHECK(back.pid == st.pid && back.state == st.state && back.flags == st.flags &&
                   back.start_tics == st.start_tics && back.comm_len == st.comm_len);
        FUZZ_CHECK(memcmp(back.comm, st.comm, st.comm_len) == 0);
        /* a prefix that stops before starttime is refused */
        const char *close = memrchr(text, ')', size);
        FUZZ_CHECK(close);
        size_t after = (size_t)(close - text) + 3; /* ") S" */
        if (after < size) FUZZ_CHECK(!procstat_parse(text, after, &back));
    }
    double ms = -1;
    if (procstat_sched_exec_start(text, size, &ms)) {
        FUZZ_CHECK(isfinite(ms) && ms >= 0);
        /* the line it came from is in the text */
        FUZZ_CHECK(memmem(text, size, "se.exec_start", 13));
    }
    return 0;
}
