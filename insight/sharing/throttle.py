"""One visitor cannot stall the others: a token bucket of reruns per session, and a cap on the
sessions one person or client keeps open at once.

Why: every rerun runs the whole page script on the server's two cores. A script with 5 sessions
making 4 reruns a second each held another visitor's page for 90 s. The app asks `admit` first
thing in every run (app.py, before any data work); a refused run shows one plain sentence and
stops, which costs the server a few milliseconds instead of a page.

- **Reruns per session**: a bucket of `burst` reruns, refilled at `rate` a second. A person
  clicking through filters or slides spends a few and the bucket refills while they read.
- **Sessions per client**: a browser tab is a session. One client key (the signed-in address,
  else the browser's address) may keep `sessions` open at once; the next is refused until one
  of them closes (`alive` says which still are: the app asks Streamlit's runtime).

Pure Python (no streamlit), thread-safe, with an injectable clock for the tests. Limits come from
the environment (read on every run): INSIGHT_RERUNS_PER_MINUTE, INSIGHT_RERUN_BURST and
INSIGHT_SESSIONS_PER_CLIENT; a value that is not a whole number above zero keeps the default.
Without a server (AppTest, benchmarks/rerun.py) nobody else is there to protect: the app applies
the limits then only when one of these is set (components.access.over_limit).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["run", "too_fast", "too_many_sessions"]

RERUNS_PER_MINUTE_ENV = "INSIGHT_RERUNS_PER_MINUTE"
RERUN_BURST_ENV = "INSIGHT_RERUN_BURST"
SESSIONS_ENV = "INSIGHT_SESSIONS_PER_CLIENT"

TOO_FAST = (
    "Too many changes in a short time: this page was not redrawn, so that other people's pages "
    "stay quick. Wait a few seconds, then show it again."
)
TOO_MANY_SESSIONS = (
    "Too many windows of this app are open from your browser or account at once. Close one of "
    "them, then reload this page."
)
MESSAGES: dict[Verdict, str] = {"too_fast": TOO_FAST, "too_many_sessions": TOO_MANY_SESSIONS}


@dataclass(frozen=True)
class Limits:
    reruns_per_minute: int = 30  # the refill: one rerun every two seconds, sustained
    burst: int = 10  # reruns in quick succession before the refill matters
    sessions: int = 4  # open at once per client key (a main window, a projector, two spare)

    @property
    def rate(self) -> float:
        """Reruns a second, sustained."""
        return self.reruns_per_minute / 60.0


def _whole(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else default


def limits_from(environ: Mapping[str, str]) -> Limits:
    """The limits the environment sets, the defaults elsewhere."""
    base = Limits()
    return Limits(
        reruns_per_minute=_whole(environ, RERUNS_PER_MINUTE_ENV, base.reruns_per_minute),
        burst=_whole(environ, RERUN_BURST_ENV, base.burst),
        sessions=_whole(environ, SESSIONS_ENV, base.sessions),
    )


def describe(limits: Limits) -> list[str]:
    """The limits in plain words, for the About page."""
    return [
        f"A window may make {limits.burst:,} changes in quick succession, refilled at "
        f"{limits.reruns_per_minute:,} a minute (`{RERUN_BURST_ENV}`, "
        f"`{RERUNS_PER_MINUTE_ENV}`); a change over the limit shows a sentence instead of the "
        "page, so that one visitor cannot slow everyone else's.",
        f"One person (signed in) or one browser address may keep {limits.sessions:,} windows "
        f"open at once (`{SESSIONS_ENV}`).",
    ]


@dataclass
class Bucket:
    """One session's reruns: the caller keeps it with the session (Streamlit's session state), so
    it goes when the session goes."""

    tokens: float
    stamp: float


class Throttle:
    """The bookkeeping: one per server process. Thread-safe."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, str] = {}  # open session -> its client key

    def bucket(self) -> Bucket:
        """A new session's bucket: full."""
        return Bucket(float(self.limits.burst), self._clock())

    def admit(
        self, session: str, client: str, bucket: Bucket, alive: Callable[[str], bool]
    ) -> Verdict:
        """Whether this run of `session` (for `client`) may go ahead, spending one of `bucket`'s
        tokens when it does. A session not seen before is first counted against its client's
        open sessions (`alive` says whether a session seen before is still open)."""
        with self._lock:
            if self._clients.get(session) != client:
                for gone in [s for s in self._clients if not alive(s)]:  # new sessions are rare
                    del self._clients[gone]
                open_now = sum(1 for c in self._clients.values() if c == client)
                if session not in self._clients and open_now >= self.limits.sessions:
                    return "too_many_sessions"
                self._clients[session] = client
            now = self._clock()
            refill = max(now - bucket.stamp, 0.0) * self.limits.rate
            bucket.tokens = min(float(self.limits.burst), bucket.tokens + refill)
            bucket.stamp = now
            if bucket.tokens < 1.0:
                return "too_fast"
            bucket.tokens -= 1.0
            return "run"

    def open_sessions(self, client: str) -> int:
        with self._lock:
            return sum(1 for c in self._clients.values() if c == client)


_THROTTLE: Throttle | None = None
_THROTTLE_LOCK = threading.Lock()


def process_throttle() -> Throttle:
    """The server's one Throttle, with the environment's limits as they are now (read on every
    run, like the other limits: three look-ups)."""
    global _THROTTLE
    limits = limits_from(os.environ)
    with _THROTTLE_LOCK:
        if _THROTTLE is None:
            _THROTTLE = Throttle(limits)
        elif _THROTTLE.limits != limits:
            _THROTTLE.limits = limits
        return _THROTTLE


__all__ = [
    "MESSAGES",
    "RERUNS_PER_MINUTE_ENV",
    "RERUN_BURST_ENV",
    "SESSIONS_ENV",
    "TOO_FAST",
    "TOO_MANY_SESSIONS",
    "Bucket",
    "Limits",
    "Throttle",
    "Verdict",
    "describe",
    "limits_from",
    "process_throttle",
]
