/*
 * tasks — which tasks are blocked in a System V IPC call, from /proc/TID/syscall.
 *
 * Owns the scan over every task (threads included) of the machine and the list of those
 * sleeping in semop/semtimedop, msgsnd or msgrcv, with the call's arguments. The
 * collector uses it to ask GETNCNT/GETZCNT only of sets someone waits on; who-uses-what
 * builds on it.
 *
 * The scan is `complete` when every task that may share our IPC namespace could be
 * inspected (root, or ptrace rights over them all), and none can hide in a parent PID
 * namespace. A task that cannot be inspected is taken to share our namespace when its
 * ns link says so, or when it cannot be read and ours is the machine's initial namespace;
 * a private namespace can only be joined with setns and privileges over it. A task that
 * blocks after it was read is seen by the next scan.
 */
#ifndef IPCTOP_TASKS_H
#define IPCTOP_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ipc_wait { WAIT_NONE, WAIT_SEMOP, WAIT_MSGSND, WAIT_MSGRCV };

struct blocked_task {
    int32_t tid, tgid;
    enum ipc_wait wait;
    uint64_t args[6]; /* the syscall's arguments as /proc printed them */
    char state;       /* from /proc/TID/stat: 'S' waiting, 'T'/'t' stopped, '?' unknown */
    double idle;      /* seconds since the task last ran (/proc/TID/sched), -1 unknown */
    int64_t since;    /* unix time it began waiting, as far as known (0 unknown) */
    uint32_t ops_off; /* semop: its operations are ops[ops_off .. ops_off + nops) */
    uint32_t nops;    /* 0 when they could not be read (not root) */
    int64_t mtype;    /* msgsnd: type of the message waiting to go, 0 unknown */
};

/* One operation of a blocked semop, as the task passed it (struct sembuf). */
struct sem_op {
    uint16_t num;
    int16_t op;
    int16_t flg;
};

struct task_scan {
    struct blocked_task *blocked;
    size_t nblocked, cap;
    struct sem_op *ops;
    size_t nops, capops;
    size_t ntasks;      /* tasks looked at */
    size_t nunreadable; /* tasks whose syscall could not be read (permission) */
    bool complete;
};

/* Scans <proc_root> for blocked tasks; the scan's arrays are reused. 0, or -1 when /proc
 * cannot be listed (then complete is false). */
int tasks_scan(const char *proc_root, struct task_scan *ts);
void tasks_free(struct task_scan *ts);

/*
 * Parses the text of /proc/TID/syscall (pure): "running", or "NR ARG0 .. ARG5 SP PC".
 * Returns the kind of IPC wait (WAIT_NONE for any other call or state) and fills args.
 */
enum ipc_wait tasks_parse_syscall(const char *buf, size_t len, uint64_t args[6]);

#endif
