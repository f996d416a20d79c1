"""Ctrl-C (SIGINT) and SIGTERM at any moment end the run: exit 130, nothing written.

Why Ctrl-C used to be lost before the solve: a program started in the
background of a script (`allocate … &`, a scheduler, some IDEs) inherits
SIGINT as *ignored*, and Python then installs no handler of its own. Only the
HiGHS session installed one, so a Ctrl-C while loading or deciding the legal
choices did nothing, and the run went on to write a full report folder.
`caught()` installs our handler for the whole run, whatever was inherited.

SIGTERM (what `kill` and schedulers send) is treated like SIGINT. While HiGHS
runs, the solver session holds SIGINT (it cancels HiGHS, which would swallow
an exception raised inside its callbacks); a SIGTERM then goes to that
handler, so HiGHS is cancelled the same way.

`received()` remembers that a signal came even if some library swallowed the
KeyboardInterrupt, so the command line never exits 0 after one.
"""

from __future__ import annotations

import functools
import signal
import threading
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_CODE = 130  # the shell's 128 + SIGINT, also after SIGTERM: "stopped by the user"

_received: list[int] = []


def received() -> bool:
    """Whether SIGINT or SIGTERM arrived since `caught()` began."""
    return bool(_received)


def check() -> None:
    """Raise KeyboardInterrupt if a signal arrived but its exception was swallowed on the way."""
    if _received:
        raise KeyboardInterrupt


def _on_signal(signum, frame) -> None:
    _received.append(signum)
    holder = signal.getsignal(signal.SIGINT)
    if signum != signal.SIGINT and callable(holder) and holder is not _on_signal:
        holder(signal.SIGINT, frame)  # the HiGHS session holds SIGINT: let it cancel the solve
        return
    raise KeyboardInterrupt


@contextmanager
def caught():
    """Our handler for SIGINT and SIGTERM during the block; the previous handlers after it.

    Outside the main thread (a web server's worker) signals cannot be handled: nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    _received.clear()
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def handled(function):
    """`function` runs with `caught()` around it (the command line's entry)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with caught():
            return function(*args, **kwargs)
    return wrapper
