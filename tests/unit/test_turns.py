"""insight.sharing.turns: one run at a time, first come first served, a lease that runs out so a
long run never holds the others for longer than it, and a way to give the turn back while
waiting. Threads are ordered by events, never by sleeps that must be long enough."""

from __future__ import annotations

import threading
import time

import pytest

from insight.sharing.turns import DEFAULT_LEASE_S, TURN_ENV, Turns, lease_from_env

WAIT_S = 10.0  # the longest a test waits for a thread it expects to move (never reached)


def _started(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def _waiting(turns: Turns, n: int) -> None:
    """Block until `n` threads stand in the line (read under the lock the line lives under)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        with turns._cond:
            if len(turns._line) >= n:
                return
        assert time.monotonic() < deadline, "the threads never came to the line"
        time.sleep(0.001)


def test_one_run_at_a_time_and_in_the_order_they_asked() -> None:
    turns = Turns(lease_s=60)
    order: list[int] = []
    inside = 0
    most_inside = 0
    lock = threading.Lock()
    turns.take()  # the main thread holds the turn while the others line up

    def run(i: int) -> None:
        nonlocal inside, most_inside
        with turns.turn():
            with lock:
                inside += 1
                most_inside = max(most_inside, inside)
                order.append(i)
            time.sleep(0.002)
            with lock:
                inside -= 1

    threads = []
    for i in range(5):
        threads.append(_started(lambda i=i: run(i)))
        _waiting(turns, i + 1)  # each stands in line before the next asks
    turns.give_back()
    for thread in threads:
        thread.join(WAIT_S)
    assert order == [0, 1, 2, 3, 4]
    assert most_inside == 1


def test_a_run_past_its_lease_no_longer_holds_the_next() -> None:
    now = [100.0]
    turns = Turns(lease_s=1.0, clock=lambda: now[0])
    turns.take()  # a long run (a large file being checked) holds the turn
    got_it = threading.Event()
    waiter = _started(lambda: (turns.take(), got_it.set()))
    _waiting(turns, 1)
    assert not got_it.wait(0.05)  # within its lease the long run keeps the turn
    now[0] += 1.0  # the lease runs out
    assert got_it.wait(WAIT_S)
    waiter.join(WAIT_S)
    turns.give_back()  # the long run ends: the newer run's turn is not taken from it
    assert turns._holder is not None


def test_aside_gives_the_turn_back_and_takes_it_again() -> None:
    turns = Turns(lease_s=60)
    turns.take()
    other_ran = threading.Event()
    release_other = threading.Event()

    def other() -> None:
        with turns.turn():
            other_ran.set()
            release_other.wait(WAIT_S)

    thread = _started(other)
    _waiting(turns, 1)
    with turns.aside():  # waiting on something else: the other run goes meanwhile
        assert other_ran.wait(WAIT_S)
        assert not turns.holding()
        release_other.set()
    assert turns.holding()  # back in line and holding again after the wait
    thread.join(WAIT_S)
    turns.give_back()
    assert not turns.holding() and turns._holder is None


def test_no_lease_means_no_turns() -> None:
    turns = Turns(lease_s=0)
    turns.take()
    other = threading.Event()
    thread = _started(lambda: (turns.take(), other.set()))
    assert other.wait(WAIT_S)  # nobody waits when turns are off
    thread.join(WAIT_S)


@pytest.mark.parametrize(
    ("raw", "lease"),
    [
        ("", DEFAULT_LEASE_S),
        ("0", 0.0),
        ("0.5", 0.5),
        ("-1", DEFAULT_LEASE_S),
        ("soon", DEFAULT_LEASE_S),
        ("61", DEFAULT_LEASE_S),
    ],
)
def test_the_lease_from_the_environment(raw: str, lease: float) -> None:
    assert lease_from_env({TURN_ENV: raw}) == lease
