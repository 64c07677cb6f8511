/*
 * workload.h — libipcworkload: create System V IPC objects and processes that use them,
 * for integration tests, benchmarks and the demo mode of ipctop.
 *
 * What it owns: a registry of every object created and every process spawned through
 * it, so that wl_cleanup() can undo all of it at once — and nothing else. Objects are
 * always created with IPC_CREAT|IPC_EXCL: an existing object is never adopted, so the
 * library can never remove something it did not make.
 *
 * What it may call: libc and the kernel (System V IPC syscalls, fork, /proc). No curses,
 * nothing from src/ or ui/.
 *
 * Where it lives: the sections below are implemented by wl_ns.c (namespace and limits),
 * wl_obj.c (objects), wl_spawn.c (processes, and wl_create_orphan), wl_registry.c (the
 * counts) and wl_cleanup.c (killing and everything at once), over three internal modules
 * with their own headers: wl_registry (what was made), wl_child (fork, report pipe, the
 * check from outside) and wl_os (clock, small files). Only this header is the library's
 * interface; ipcload also uses wl_os.h, so that both share one clock.
 *
 * Conventions:
 * - Every function returns a status: 0 (or an id / pid) on success, -1 with errno set on
 *   failure. Nothing is printed; the caller decides what the user sees.
 * - The caller is single-threaded while it uses the library (fork and unshare act on the
 *   calling thread only). The library is not thread-safe.
 * - Spawned children do one IPC action and then sleep until killed. They die with their
 *   parent (PR_SET_PDEATHSIG), close every inherited descriptor above 2, reset signal
 *   dispositions and mask, and never run atexit handlers or flush stdio.
 * - A spawner returns only once the child really is in the state asked for, checked
 *   from outside through /proc/PID/stat and /proc/PID/syscall (or /proc/PID/wchan when
 *   syscall is unreadable). If that does not happen within WL_STATE_TIMEOUT_MS, the
 *   child is killed and the spawner fails with ETIMEDOUT; if the IPC call failed in
 *   the child, the spawner fails with the child's errno; if the call that should have
 *   blocked completed at once, it fails with EAGAIN.
 *
 * Tests use it inside a private IPC namespace only: call wl_enter_private_ipc_ns()
 * first (or run under `unshare --ipc`), never create objects in the host's namespace.
 */
#ifndef IPCTOP_TOOLS_WORKLOAD_H
#define IPCTOP_TOOLS_WORKLOAD_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>

/* How long a spawner waits for its child to reach the requested state. */
#define WL_STATE_TIMEOUT_MS 5000

/* Highest value the kernel accepts for shmmni / msgmni / semmni (IPCMNI). */
#define WL_MAX_MNI 32768

/* Extra flag for wl_spawn_attacher(): after attaching, write the pattern
 * byte[i] = (unsigned char)i over the whole segment (allocates every page, so rss
 * equals the size). Chosen above the SHM_* flag bits; not valid with SHM_RDONLY. */
#define WL_ATTACH_WRITE 0x10000000

enum wl_class { WL_SHM, WL_SEM, WL_MSG };

/* --- namespace and limits ------------------------------------------------------------ */

/* unshare(CLONE_NEWIPC) for the calling process: it gets a fresh, empty IPC namespace
 * with default limits. Needs CAP_SYS_ADMIN (EPERM otherwise). Fails with EBUSY if the
 * library already created objects or spawned processes: they live in the old namespace
 * and the registry could no longer name them. */
int wl_enter_private_ipc_ns(void);

/* 1 if the calling process is in an IPC namespace that is provably not the host's: it
 * entered it through wl_enter_private_ipc_ns(), or /proc/self/ns/ipc differs from
 * /proc/1/ns/ipc. 0 if it is PID 1's namespace. -1 with errno if that cannot be told
 * (e.g. /proc/1/ns/ipc unreadable inside a container). */
int wl_ipc_ns_is_private(void);

/* Writes the name of the caller's IPC namespace, e.g. "ipc:[4026532177]", to buf. */
int wl_ipc_ns_name(char *buf, size_t size);

/* Raises kernel.shmmni, kernel.msgmni and semmni (4th field of kernel.sem) to at least n
 * (1..WL_MAX_MNI), and semmns (2nd field) to at least n * semmsl; values already high
 * enough are left alone. These limits are per IPC namespace: only ever call it in a
 * private one. As a guard it fails with EPERM unless wl_ipc_ns_is_private() returns 1. */
int wl_raise_limits(int n);

/* --- objects ------------------------------------------------------------------------- */

/* Create a segment / semaphore set / queue and register it for wl_cleanup(). IPC_CREAT
 * and IPC_EXCL are always added, so a key already in use gives EEXIST. mode_and_flags
 * may include SHM_HUGETLB, SHM_NORESERVE. Return the new id. */
int wl_shm_create(key_t key, size_t size, int mode_and_flags);
int wl_sem_create(key_t key, int nsems, int mode);
int wl_msg_create(key_t key, int mode);

/* IPC_RMID an object created by this library and forget it. ENOENT if the id is not in
 * the registry (the library removes only what it created). If the object is already
 * gone, it is just forgotten and 0 is returned. */
int wl_remove(enum wl_class cls, int id);

/* Attach, copy len bytes of data at offset, detach (the caller's own attach: nattch is
 * back where it was, lpid/atime/dtime change). */
int wl_shm_write(int shmid, size_t offset, const void *data, size_t len);

/* SETVAL. */
int wl_sem_setval(int semid, int semnum, int val);

/* Send count messages of size bytes (content: byte[i] = (unsigned char)i) with type
 * mtype (> 0), without blocking. EAGAIN if the queue filled up first (the messages that
 * fitted stay in it). */
int wl_msg_fill(int msqid, int count, size_t size, long mtype);

/* Fill the queue up to its msg_qbytes limit: messages of size bytes (>= 1) while they
 * fit, then one smaller message for the rest, so that any further message of 1 byte or
 * more would block. */
int wl_msg_fill_to_limit(int msqid, size_t size, long mtype);

/* Create an object in a child process that then exits and is reaped, so its creator pid
 * is dead: the shape of a leak. The child also leaves a trace of itself as last user:
 * a segment gets attached, its first bytes written and detached (lpid = creator); a set
 * gets a successful wait-for-zero on semaphore 0 (sempid = creator); a queue is left
 * untouched. size_or_nsems is the segment size or the number of semaphores (ignored for
 * queues). Registered for wl_cleanup(). Returns the id; *creator (may be NULL) receives
 * the dead creator's pid. */
int wl_create_orphan(enum wl_class cls, key_t key, size_t size_or_nsems, int mode, pid_t *creator);

/* --- processes ----------------------------------------------------------------------- */

/* A child that shmat()s the segment with flags (SHM_RDONLY, and/or WL_ATTACH_WRITE),
 * then pause()s. Returns once it is attached and asleep. */
pid_t wl_spawn_attacher(int shmid, int flags);

/* Like wl_spawn_attacher, but after attaching the child forks once and both stay, so one
 * shmat counts twice in nattch. Returns the attaching parent's pid (asleep in wait4, it
 * reaps its child if that is killed); *child_pid receives the forked child's pid (asleep
 * in pause, dies with its parent). Both are registered. */
pid_t wl_spawn_attacher_forking(int shmid, int flags, pid_t *child_pid);

/* A child blocked in semop(semid, ops, nops) (glibc issues semtimedop without timeout).
 * The kernel counts it in semncnt/semzcnt of the first operation that cannot proceed. If
 * it is released later, it pause()s. */
pid_t wl_spawn_sem_waiter(int semid, const struct sembuf *ops, size_t nops);

/* A child blocked in msgrcv(msqid, .., msgtyp, 0) — the queue must hold no message of that
 * type. Receives with MSG_NOERROR into an 8 KiB buffer; after receiving, it pause()s. */
pid_t wl_spawn_msg_receiver(int msqid, long msgtyp);

/* A child blocked in msgsnd(msqid, size bytes, mtype 1) — fill the queue first
 * (wl_msg_fill_to_limit). After its message is sent, it pause()s. */
pid_t wl_spawn_msg_sender(int msqid, size_t size);

/* SIGKILL a process spawned by this library and reap it (for the forked child of
 * wl_spawn_attacher_forking: wait until its parent has reaped it). Killing an attaching
 * parent kills its registered child first. ESRCH if pid is not one of ours. */
int wl_kill_wait(pid_t pid);

/* Number of live processes in the registry (forked children included). */
size_t wl_process_count(void);

/* Number of registered objects of a class. */
size_t wl_object_count(enum wl_class cls);

/* --- everything at once -------------------------------------------------------------- */

/* Kill and reap every spawned process, then IPC_RMID every registered object that still
 * carries the key (and, for segments, the creator pid) it was created with. Only acts
 * in the process that created them (a no-op in forked children). Safe to call twice;
 * registering it with atexit() is the caller's choice. */
void wl_cleanup(void);

#endif
