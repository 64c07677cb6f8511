"""A producer as the sysv_ipc examples write one: a shared memory segment and a semaphore
that guards it, both made with the same key (mode 0666). It forks a child that takes the
semaphore, writes, releases it and exits; the producer lives on, attached, and keeps
reading the segment without touching the semaphore again. So the semaphore's last pid is
the child's, which is gone, while the process that made it and uses its segment is alive.

Usage: producer.py KEY READY_FILE   (writes "SHMID SEMID CHILDPID" to READY_FILE)
"""
import os
import sys
import time

import sysv_ipc

key = int(sys.argv[1], 0)
mem = sysv_ipc.SharedMemory(key, sysv_ipc.IPC_CREX, mode=0o666, size=4096)  # attaches it
sem = sysv_ipc.Semaphore(key, sysv_ipc.IPC_CREX, mode=0o666, initial_value=1)
mem.write(b"produced by %d\0" % os.getpid())

child = os.fork()
if child == 0:
    with sem:
        mem.write(b"child %d was here\0" % os.getpid())
    os._exit(0)
os.waitpid(child, 0)

with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d %d %d\n" % (mem.id, sem.id, child))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])

while True:
    time.sleep(0.2)
    mem.read(32)
