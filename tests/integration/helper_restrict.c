/*
 * helper_restrict — runs a command with parts of the kernel's IPC interface taken away,
 * so the tests can exercise ipctop's fallback paths on this kernel:
 *   no-stat-any  *_STAT_ANY fail with EINVAL, as on kernels before 4.17
 *   no-ipc-ctl   shmctl/semctl/msgctl fail with ENOSYS, as under a strict seccomp profile
 *   no-procfs    /proc/sysvipc is empty (a tmpfs over it, in a private mount namespace)
 * Usage: helper_restrict MODE[,MODE...] -- COMMAND [ARGS...]
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHM_STAT_ANY_CMD 15
#define SEM_STAT_ANY_CMD 20
#define MSG_STAT_ANY_CMD 13

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))

static int install(int no_stat_any, int no_ctl)
{
#ifndef __x86_64__
    (void)no_stat_any;
    (void)no_ctl;
    fprintf(stderr, "helper_restrict: only x86-64 is supported\n");
    return -1;
#else
    static const struct {
        int nr, cmd_arg, stat_any;
    } calls[] = {{__NR_shmctl, 1, SHM_STAT_ANY_CMD},
                 {__NR_semctl, 2, SEM_STAT_ANY_CMD},
                 {__NR_msgctl, 1, MSG_STAT_ANY_CMD}};
    struct sock_filter f[64];
    unsigned short n = 0;
    f[n++] =
        (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    for (size_t i = 0; i < 3; i++) {
        f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                              offsetof(struct seccomp_data, nr));
        if (no_ctl) {
            f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i].nr,
                                                  0, 1);
            f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
        }
        if (no_stat_any) {
            /* not this call: skip the 4 instructions that check its cmd */
            f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i].nr,
                                                  0, 4);
            f[n++] =
                (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(calls[i].cmd_arg));
            /* glibc may or in IPC_64 (0x100) on some ABIs: compare the low byte of cmd */
            f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff);
            f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                                  (unsigned)calls[i].stat_any, 0, 1);
            f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL);
        }
    }
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog prog = {n, f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
#endif
}

static int hide_procfs(void)
{
    if (unshare(CLONE_NEWNS) < 0) return -1;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) return -1;
    return mount("none", "/proc/sysvipc", "tmpfs", MS_RDONLY, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: helper_restrict MODE[,MODE...] -- COMMAND [ARGS...]\n");
        return 2;
    }
    int no_stat_any = strstr(argv[1], "no-stat-any") != NULL;
    int no_ctl = strstr(argv[1], "no-ipc-ctl") != NULL;
    if (strstr(argv[1], "no-procfs") && hide_procfs() < 0) {
        perror("helper_restrict: hiding /proc/sysvipc");
        return 1;
    }
    if ((no_stat_any || no_ctl) && install(no_stat_any, no_ctl) < 0) {
        perror("helper_restrict: seccomp");
        return 1;
    }
    execvp(argv[3], argv + 3);
    perror("helper_restrict: exec");
    return 127;
}
