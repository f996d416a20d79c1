"""Preloaded into each local Dask worker process (kouiki/parallel.py): Ctrl-C is the client's to handle.

A Ctrl-C in the terminal reaches every process of the group; the client cancels
the work and closes the workers, so a worker that stopped on its own would only
print a traceback.
"""

import signal
import threading

if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
