"""A daemon as the sysv_ipc documentation shows one: it creates a message queue
(sysv_ipc.MessageQueue(key, IPC_CREAT), mode 0600 by default) and polls it with
receive(block=False), sleeping on BusyError. Never sent to: lspid and lrpid stay 0.

Usage: queue_daemon.py KEY READY_FILE   (writes the msqid to READY_FILE)
"""
import os
import sys
import time

import sysv_ipc

mq = sysv_ipc.MessageQueue(int(sys.argv[1], 0), sysv_ipc.IPC_CREAT)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % mq.id)
os.rename(sys.argv[2] + ".tmp", sys.argv[2])

while True:
    try:
        message, mtype = mq.receive(block=False)
    except sysv_ipc.BusyError:
        time.sleep(0.1)
        continue
    print("got %r (type %d)" % (message, mtype), flush=True)
