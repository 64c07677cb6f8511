/*
 * wl_obj.c — libipcworkload's objects: see wl_obj.h.
 */
#include "wl_obj.h"
#include "wl_registry.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <unistd.h>

void wl_obj_fill_pattern(unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) p[i] = (unsigned char)i;
}

int wl_obj_rmid(enum wl_class cls, int id)
{
    switch (cls) {
    case WL_SHM: return shmctl(id, IPC_RMID, NULL);
    case WL_SEM: return semctl(id, 0, IPC_RMID);
    case WL_MSG: return msgctl(id, IPC_RMID, NULL);
    }
    errno = EINVAL;
    return -1;
}

int wl_obj_adopt(enum wl_class cls, int id, key_t key, pid_t cpid)
{
    if (wl_registry_obj_add(cls, id, key, cpid) == 0) return id;
    int saved = errno;
    wl_obj_rmid(cls, id);
    errno = saved;
    return -1;
}

int wl_shm_create(key_t key, size_t size, int mode_and_flags)
{
    wl_registry_claim();
    int id = shmget(key, size, mode_and_flags | IPC_CREAT | IPC_EXCL);
    if (id < 0) return -1;
    return wl_obj_adopt(WL_SHM, id, key, getpid());
}

int wl_sem_create(key_t key, int nsems, int mode)
{
    wl_registry_claim();
    int id = semget(key, nsems, mode | IPC_CREAT | IPC_EXCL);
    if (id < 0) return -1;
    return wl_obj_adopt(WL_SEM, id, key, getpid());
}

int wl_msg_create(key_t key, int mode)
{
    wl_registry_claim();
    int id = msgget(key, mode | IPC_CREAT | IPC_EXCL);
    if (id < 0) return -1;
    return wl_obj_adopt(WL_MSG, id, key, getpid());
}

int wl_obj_still_ours(enum wl_class cls, const struct wl_registry_obj *e)
{
    switch (cls) {
    case WL_SHM: {
        struct shmid_ds ds;
        if (shmctl(e->id, IPC_STAT, &ds) < 0) return errno == EACCES;
        return ds.shm_perm.__key == e->key && ds.shm_cpid == e->cpid;
    }
    case WL_SEM: {
        struct semid_ds ds;
        if (semctl(e->id, 0, IPC_STAT, &ds) < 0) return errno == EACCES;
        return ds.sem_perm.__key == e->key;
    }
    case WL_MSG: {
        struct msqid_ds ds;
        if (msgctl(e->id, IPC_STAT, &ds) < 0) return errno == EACCES;
        return ds.msg_perm.__key == e->key;
    }
    }
    return 0;
}

int wl_remove(enum wl_class cls, int id)
{
    if ((unsigned)cls > WL_MSG) {
        errno = EINVAL;
        return -1;
    }
    struct wl_registry_obj *e = wl_registry_owned() ? wl_registry_obj_find(cls, id) : NULL;
    if (!e) {
        errno = ENOENT;
        return -1;
    }
    int r = 0;
    if (wl_obj_still_ours(cls, e) && wl_obj_rmid(cls, id) < 0 && errno != EINVAL && errno != EIDRM)
        r = -1;
    wl_registry_obj_forget(cls, e);
    return r;
}

int wl_shm_write(int shmid, size_t offset, const void *data, size_t len)
{
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) < 0) return -1;
    if (offset > ds.shm_segsz || len > ds.shm_segsz - offset) {
        errno = EINVAL;
        return -1;
    }
    char *p = shmat(shmid, NULL, 0);
    if (p == (void *)-1) return -1;
    memcpy(p + offset, data, len);
    return shmdt(p);
}

int wl_sem_setval(int semid, int semnum, int val)
{
    return semctl(semid, semnum, SETVAL, val);
}

long *wl_obj_msg_new(size_t size, long mtype)
{
    long *buf = malloc(sizeof(long) + size);
    if (!buf) return NULL;
    buf[0] = mtype;
    wl_obj_fill_pattern((unsigned char *)(buf + 1), size);
    return buf;
}

int wl_obj_msg_send(int msqid, const long *buf, size_t size, int flags)
{
    int r;
    do r = msgsnd(msqid, buf, size, flags);
    while (r < 0 && errno == EINTR);
    return r;
}

int wl_msg_fill(int msqid, int count, size_t size, long mtype)
{
    if (count < 0 || mtype <= 0) {
        errno = EINVAL;
        return -1;
    }
    long *buf = wl_obj_msg_new(size, mtype);
    if (!buf) return -1;
    int r = 0;
    for (int i = 0; i < count && r == 0; i++) r = wl_obj_msg_send(msqid, buf, size, IPC_NOWAIT);
    int saved = errno;
    free(buf);
    errno = saved;
    return r;
}

int wl_msg_fill_to_limit(int msqid, size_t size, long mtype)
{
    if (size == 0 || mtype <= 0) {
        errno = EINVAL;
        return -1;
    }
    long *buf = wl_obj_msg_new(size, mtype);
    if (!buf) return -1;
    int r;
    while ((r = wl_obj_msg_send(msqid, buf, size, IPC_NOWAIT)) == 0) continue;
    if (errno == EAGAIN) {
        struct msqid_ds ds;
        r = msgctl(msqid, IPC_STAT, &ds);
        /* The kernel also caps the number of messages at qbytes; hitting that is full too. */
        if (r == 0 && ds.msg_cbytes < ds.msg_qbytes &&
            wl_obj_msg_send(msqid, buf, ds.msg_qbytes - ds.msg_cbytes, IPC_NOWAIT) < 0 &&
            errno != EAGAIN)
            r = -1;
    }
    int saved = errno;
    free(buf);
    errno = saved;
    return r;
}
