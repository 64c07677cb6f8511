/*
 * Harness: tasks_parse_syscall, the parser of /proc/TID/syscall. Whatever it accepts must
 * be a call that starts with a decimal number, and the kernel's own form of the same call
 * ("NR 0xARG0 .. 0xARG5 SP PC") must parse to the same wait and arguments.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/syscall.h>

#include "fuzz.h"
#include "tasks.h"

static long nr_of(enum ipc_wait w)
{
    switch (w) {
#ifdef SYS_semtimedop
    case WAIT_SEMOP: return SYS_semtimedop;
#elif defined(SYS_semop)
    case WAIT_SEMOP: return SYS_semop;
#endif
#ifdef SYS_msgsnd
    case WAIT_MSGSND: return SYS_msgsnd;
#endif
#ifdef SYS_msgrcv
    case WAIT_MSGRCV: return SYS_msgrcv;
#endif
    default: return -1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t args[6];
    memset(args, 0x5a, sizeof args);
    enum ipc_wait w = tasks_parse_syscall((const char *)data, size, args);
    FUZZ_CHECK(w == WAIT_NONE || w == WAIT_SEMOP || w == WAIT_MSGSND || w == WAIT_MSGRCV);
    if (w == WAIT_NONE) return 0;
    size_t i = 0;
    while (i < size && data[i] == ' ') i++;
    FUZZ_CHECK(i < size && data[i] >= '0' && data[i] <= '9');
    long nr = nr_of(w);
    FUZZ_CHECK(nr >= 0);
    char canon[256];
    int n = snprintf(canon, sizeof canon,
                     "%ld 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                     " 0x%" PRIx64 " 0x7ffd00000000 0x7f0000001234\n",
                     nr, args[0], args[1], args[2], args[3], args[4], args[5]);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof canon);
    uint64_t again[6];
    FUZZ_CHECK(tasks_parse_syscall(canon, (size_t)n, again) == w);
    FUZZ_CHECK(memcmp(args, again, sizeof args) == 0);
    return 0;
}
