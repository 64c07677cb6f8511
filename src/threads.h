/* Threads of ipctop's own: they never take a signal (the main thread handles them all). */
#ifndef IPCTOP_THREADS_H
#define IPCTOP_THREADS_H

#include <pthread.h>
#include <signal.h>

/* pthread_create with every signal blocked in the new thread: 0, or the error (errno is
 * not set). */
static inline int thread_start_blocked(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int e = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

#endif
