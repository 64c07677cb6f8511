/*
 * semun — the argument of semctl(2), which the caller must define (glibc does not).
 */
#ifndef IPCTOP_SEMUN_H
#define IPCTOP_SEMUN_H

#include <sys/sem.h>

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *info;
};

#endif
