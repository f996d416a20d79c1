"""One time budget for a whole run (STYLE: time is a value, passed down).

The command line makes one `Deadline` when the run starts and hands it to every
stage; a stage asks it how much is left and never starts a clock of its own.
Tests give it a fake clock, so nothing depends on how fast the machine is.
"""

from __future__ import annotations

import time
from typing import Callable


class OutOfTime(Exception):
    """A stage found its deadline passed before it could finish."""


class Deadline:
    """A moment in a clock's time after which work should stop (None: no limit)."""

    def __init__(self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic,
                 _end: float | None = None, _start: float | None = None):
        self.clock = clock
        self.start = clock() if _start is None else _start
        if _end is not None:
            self.end: float | None = _end
        else:
            self.end = None if seconds is None else self.start + max(float(seconds), 0.0)

    @classmethod
    def since(cls, start: float, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> "Deadline":
        """A budget counted from an earlier moment of `clock` (the process's start, not the solve's)."""
        return cls(clock=clock, _start=start, _end=None if seconds is None else start + max(float(seconds), 0.0))

    @classmethod
    def never(cls, clock: Callable[[], float] = time.monotonic) -> "Deadline":
        return cls(None, clock)

    @property
    def limited(self) -> bool:
        return self.end is not None

    @property
    def seconds(self) -> float | None:
        """The whole budget this deadline was given (None: unlimited)."""
        return None if self.end is None else self.end - self.start

    def elapsed(self) -> float:
        return self.clock() - self.start

    def remaining(self) -> float | None:
        """Seconds left (never negative); None when there is no limit."""
        if self.end is None:
            return None
        return max(self.end - self.clock(), 0.0)

    def expired(self) -> bool:
        return self.end is not None and self.clock() >= self.end

    def check(self) -> None:
        """Raise OutOfTime once the deadline has passed (for stages with nothing to hand back)."""
        if self.expired():
            raise OutOfTime()

    def child(self, share: float | None = None, seconds: float | None = None) -> "Deadline":
        """A deadline for one part of the work: a share of what is left, or some seconds, never past this one.

        With neither, the child ends with its parent. Without a parent limit, `seconds` still bounds the child.
        """
        now = self.clock()
        ends = [] if self.end is None else [self.end]
        left = None if self.end is None else max(self.end - now, 0.0)
        if share is not None and left is not None:
            ends.append(now + left * share)
        if seconds is not None:
            ends.append(now + max(seconds, 0.0))
        return Deadline(clock=self.clock, _end=min(ends) if ends else None, _start=now)

    def __repr__(self) -> str:
        left = self.remaining()
        return "Deadline(unlimited)" if left is None else f"Deadline({left:.2f} s left)"
