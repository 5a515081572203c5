"""Script runs take turns: one page's run at a time holds the server's Python (issue 31).

Why: Streamlit runs every session's script in a thread of its own, and one process has one
interpreter lock. With 40 people changing filters, 40 threads shared that lock in 5 ms slices: each
run took as long as all the runs that overlapped it, and the switching itself cost CPU.
`benchmarks/concurrency.py --sessions 40 --turn-seconds 0` against the default, side by side
while other work kept the machine at a load of 5 to 9: median 2.13 s against 0.68 s, p95 4.40 s
against 2.34 s, 0.059 against 0.043 CPU-s a run, and half as many runs again in the same minute.
A run waits for its turn, then runs alone, start to finish: waiting in line is shorter than
sharing.

A turn is a **lease**, not a lock: a run that has held it for `lease_s` (a large file being
checked, a handout being made, a dataset being read) no longer keeps anyone waiting; the next run
takes the turn and both go on side by side, as without turns. So one visitor's long run delays
the others by `lease_s` at most, and no run can hold another up by waiting on something (a
dataset another session is loading) while it holds the turn. Known long waits give the turn back
at once (`aside`). Runs are served in the order they asked.

Pure Python (no streamlit), thread-safe, with an injectable clock for the tests. The lease comes
from INSIGHT_TURN_SECONDS (default 1.0; 0 turns the turns off: every run goes at once, as before).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

TURN_ENV = "INSIGHT_TURN_SECONDS"
DEFAULT_LEASE_S = 1.0


def lease_from_env(environ: dict[str, str] | None = None) -> float:
    """INSIGHT_TURN_SECONDS as a lease in seconds: a number from 0 (no turns) to 60, else the
    default."""
    raw = (os.environ if environ is None else environ).get(TURN_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_LEASE_S
    return value if 0 <= value <= 60 else DEFAULT_LEASE_S


class Turns:
    """One run at a time, each for at most `lease_s` before the next may start beside it."""

    def __init__(self, lease_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.lease_s = lease_s
        self._clock = clock
        self._cond = threading.Condition()
        self._holder: object | None = None  # the token of the run that has the turn
        self._since = 0.0  # when it took it
        self._line: list[object] = []  # tokens waiting, first come first
        self._mine = threading.local()  # this thread's token while it holds the turn

    def _free(self, now: float) -> bool:
        return self._holder is None or now - self._since >= self.lease_s

    def take(self) -> None:
        """Wait for the turn (first come, first served) and hold it. A thread takes it once."""
        if self.lease_s <= 0:
            return
        token = object()
        with self._cond:
            self._line.append(token)
            try:
                while True:
                    now = self._clock()
                    if self._line[0] is token and self._free(now):
                        break
                    if self._holder is None or self._line[0] is not token:
                        self._cond.wait()  # told when the turn is given back or the line moves
                    else:  # the holder's lease runs out at a known time
                        self._cond.wait(max(0.001, self._since + self.lease_s - now))
            finally:
                self._line.remove(token)
                self._cond.notify_all()  # the next in line may now be first
            self._holder, self._since = token, self._clock()
        self._mine.token = token

    def give_back(self) -> None:
        """Give the turn back (nothing if this thread does not hold it, or its lease ran out and
        another run has it now)."""
        token = getattr(self._mine, "token", None)
        self._mine.token = None
        if token is None:
            return
        with self._cond:
            if self._holder is token:
                self._holder = None
                self._cond.notify_all()

    def holding(self) -> bool:
        """Whether this thread has taken the turn and not given it back."""
        return getattr(self._mine, "token", None) is not None

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the turn for the block (a page's whole run)."""
        self.take()
        try:
            yield
        finally:
            self.give_back()

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Give the turn back for the block (a wait that is not this run's own work: a dataset
        being read, another session's load), and take it again after, in line."""
        held = self.holding()
        if held:
            self.give_back()
        try:
            yield
        finally:
            if held:
                self.take()


TURNS = Turns(lease_from_env())
