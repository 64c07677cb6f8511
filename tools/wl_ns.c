/*
 * wl_ns.c — libipcworkload's namespace and limits: the section "namespace and limits" of
 * workload.h (wl_enter_private_ipc_ns, wl_ipc_ns_is_private, wl_ipc_ns_name,
 * wl_raise_limits), which is this module's header.
 *
 * What it owns: the inode of the private IPC namespace the library entered, the proof
 * that wl_raise_limits() never changes the host's limits.
 *
 * What it may call: wl_registry (is it still empty?), wl_os (sysctl files), libc and the
 * kernel (unshare, /proc/self/ns/ipc, /proc/sys/kernel).
 */
#include "workload.h"
#include "wl_os.h"
#include "wl_registry.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static ino_t private_ns_ino;

int wl_enter_private_ipc_ns(void)
{
    if (!wl_registry_empty()) {
        errno = EBUSY;
        return -1;
    }
    if (unshare(CLONE_NEWIPC) < 0) return -1;
    struct stat st;
    if (stat("/proc/self/ns/ipc", &st) == 0) private_ns_ino = st.st_ino;
    return 0;
}

int wl_ipc_ns_is_private(void)
{
    struct stat self, init;
    if (stat("/proc/self/ns/ipc", &self) < 0) return -1;
    if (private_ns_ino != 0 && self.st_ino == private_ns_ino) return 1;
    if (stat("/proc/1/ns/ipc", &init) < 0) return -1;
    return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

int wl_ipc_ns_name(char *buf, size_t size)
{
    if (size == 0) {
        errno = EINVAL;
        return -1;
    }
    ssize_t n = readlink("/proc/self/ns/ipc", buf, size - 1);
    if (n < 0) return -1;
    buf[n] = '\0';
    return 0;
}

static int raise_one(const char *path, long want)
{
    char buf[64];
    if (wl_os_read_text(path, buf, sizeof buf) < 0) return -1;
    if (strtol(buf, NULL, 10) >= want) return 0;
    snprintf(buf, sizeof buf, "%ld\n", want);
    return wl_os_write_text(path, buf);
}

int wl_raise_limits(int n)
{
    if (n < 1 || n > WL_MAX_MNI) {
        errno = EINVAL;
        return -1;
    }
    int priv = wl_ipc_ns_is_private();
    if (priv != 1) {
        errno = EPERM; /* never change the host's limits, nor when we cannot tell */
        return -1;
    }
    if (raise_one("/proc/sys/kernel/shmmni", n) < 0) return -1;
    if (raise_one("/proc/sys/kernel/msgmni", n) < 0) return -1;

    char buf[128];
    long semmsl, semmns, semopm, semmni;
    if (wl_os_read_text("/proc/sys/kernel/sem", buf, sizeof buf) < 0) return -1;
    if (sscanf(buf, "%ld %ld %ld %ld", &semmsl, &semmns, &semopm, &semmni) != 4) {
        errno = EIO;
        return -1;
    }
    long long mns = (long long)n * semmsl;
    if (mns > INT_MAX) mns = INT_MAX;
    if (semmni >= n && semmns >= mns) return 0;
    if (semmni < n) semmni = n;
    if (semmns < mns) semmns = (long)mns;
    snprintf(buf, sizeof buf, "%ld %ld %ld %ld\n", semmsl, semmns, semopm, semmni);
    return wl_os_write_text("/proc/sys/kernel/sem", buf);
}
