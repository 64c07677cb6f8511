"""A daemon as the ctypes tutorials write one: it creates a System V message queue
(msgget(key, IPC_CREAT | 0666)) and polls it with msgrcv(..., IPC_NOWAIT), sleeping while
it is empty. Until someone sends, the queue is never sent to nor received from: its lspid
and lrpid stay 0.

Usage: queue_daemon_ctypes.py KEY READY_FILE   (writes the msqid to READY_FILE)
"""
import ctypes
import ctypes.util
import errno
import os
import sys
import time

IPC_CREAT = 0o1000
IPC_NOWAIT = 0o4000

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.msgget.argtypes = [ctypes.c_int, ctypes.c_int]
libc.msgrcv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long, ctypes.c_int]
libc.msgrcv.restype = ctypes.c_ssize_t


MSGMAX = 256


class MsgBuf(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * MSGMAX)]


key = int(sys.argv[1], 0)
qid = libc.msgget(ctypes.c_int(key).value, IPC_CREAT | 0o666)
if qid < 0:
    sys.exit("msgget: " + os.strerror(ctypes.get_errno()))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % qid)
os.rename(sys.argv[2] + ".tmp", sys.argv[2])

buf = MsgBuf()
while True:
    n = libc.msgrcv(qid, ctypes.byref(buf), MSGMAX, 0, IPC_NOWAIT)
    if n < 0:
        e = ctypes.get_errno()
        if e == errno.ENOMSG:
            time.sleep(0.1)
            continue
        sys.exit("msgrcv: " + os.strerror(e))  # e.g. the queue was removed under us
    print("got %r" % buf.mtext[:n], flush=True)
