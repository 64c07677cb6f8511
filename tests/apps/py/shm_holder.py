"""A segment as many programs leave it: a short-lived child creates it (mode 0600) and writes
MARKER at its start, the long-lived program attaches it and stays, and another short-lived
child attaches and detaches last. Its cpid and lpid are then both gone, and the one attacher
is found only by looking through the processes.

Usage: shm_holder.py KEY MARKER READY_FILE   (writes the shmid to READY_FILE)
"""
import os
import sys
import time

import sysv_ipc

key = int(sys.argv[1], 0)


def in_child(work):
    pid = os.fork()
    if pid == 0:
        work()
        os._exit(0)
    os.waitpid(pid, 0)


def create():
    m = sysv_ipc.SharedMemory(key, sysv_ipc.IPC_CREX, mode=0o600, size=4096)
    m.write(sys.argv[2].encode())


def touch():
    sysv_ipc.SharedMemory(key).detach()


in_child(create)
mem = sysv_ipc.SharedMemory(key)
in_child(touch)
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write("%d\n" % mem.id)
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
while True:
    time.sleep(1)
