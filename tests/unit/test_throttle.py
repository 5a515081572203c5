"""The rerun limit (insight.sharing.throttle): a token bucket per session and a cap on the
sessions one client keeps open, on a fake clock."""

from __future__ import annotations

import threading

import pytest

from insight.sharing import throttle
from insight.sharing.throttle import Limits, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def always(_session: str) -> bool:
    return True


def runs(limiter: Throttle, bucket: throttle.Bucket, count: int, session: str = "s1") -> list:
    return [limiter.admit(session, "client", bucket, always) for _ in range(count)]


def test_a_burst_then_the_refill_rate(clock: Clock) -> None:
    limiter = Throttle(Limits(reruns_per_minute=30, burst=5, sessions=4), clock)
    bucket = limiter.bucket()
    assert runs(limiter, bucket, 6) == ["run"] * 5 + ["too_fast"], "five at once, not six"
    clock.now += 1.0  # half a token back at 30 a minute
    assert runs(limiter, bucket, 1) == ["too_fast"]
    clock.now += 1.0  # a whole one
    assert runs(limiter, bucket, 2) == ["run", "too_fast"]
    clock.now += 600.0  # a long pause fills the bucket, never beyond the burst
    assert runs(limiter, bucket, 6) == ["run"] * 5 + ["too_fast"]


def test_a_hostile_pace_gets_the_refill_rate_and_no_more(clock: Clock) -> None:
    """Four reruns a second for a minute from one session: the burst, then one every two s."""
    limiter = Throttle(Limits(reruns_per_minute=30, burst=10, sessions=4), clock)
    bucket = limiter.bucket()
    ran = 0
    for _ in range(240):
        ran += limiter.admit("s1", "client", bucket, always) == "run"
        clock.now += 0.25
    assert ran in {39, 40}  # the burst of 10, then 30 a minute (the edge may round either way)


def test_a_refused_rerun_spends_nothing(clock: Clock) -> None:
    limiter = Throttle(Limits(reruns_per_minute=60, burst=1, sessions=4), clock)
    bucket = limiter.bucket()
    assert runs(limiter, bucket, 3) == ["run", "too_fast", "too_fast"]
    clock.now += 1.0  # one token back, whatever the refused tries meanwhile
    assert runs(limiter, bucket, 1) == ["run"]


def test_each_session_has_its_own_bucket(clock: Clock) -> None:
    limiter = Throttle(Limits(reruns_per_minute=60, burst=2, sessions=4), clock)
    first, second = limiter.bucket(), limiter.bucket()
    assert runs(limiter, first, 3, "s1") == ["run", "run", "too_fast"]
    assert runs(limiter, second, 2, "s2") == ["run", "run"], "another tab is not slowed"


def test_sessions_per_client_are_capped_until_one_closes(clock: Clock) -> None:
    limiter = Throttle(Limits(sessions=2), clock)
    open_sessions = {"a", "b", "c"}

    def alive(session: str) -> bool:
        return session in open_sessions

    def admit(session: str, client: str = "address:203.0.113.9") -> str:
        return limiter.admit(session, client, limiter.bucket(), alive)

    assert admit("a") == "run" and admit("b") == "run"
    assert admit("c") == "too_many_sessions", "a third window from the same client"
    assert admit("a") == "run", "the two admitted ones go on"
    assert admit("x", "address:198.51.100.7") == "run", "another client is not counted"
    open_sessions.discard("b")  # a tab closed
    assert admit("c") == "run"
    assert limiter.open_sessions("address:203.0.113.9") == 2


def test_five_sessions_at_four_reruns_a_second_from_one_client(clock: Clock) -> None:
    """The attack that held another visitor's page for 90 s, with the defaults: the fifth
    session is refused and the four get the burst, then the refill rate."""
    limits = Limits()
    limiter = Throttle(limits, clock)
    buckets = {f"s{i}": limiter.bucket() for i in range(5)}
    verdicts: dict[str, list[str]] = {name: [] for name in buckets}
    for _ in range(4 * 60):  # one minute
        for name, bucket in buckets.items():
            verdicts[name].append(limiter.admit(name, "address:203.0.113.9", bucket, always))
        clock.now += 0.25
    assert set(verdicts["s4"]) == {"too_many_sessions"}
    ran = sum(v == "run" for name in ("s0", "s1", "s2", "s3") for v in verdicts[name])
    assert ran <= limits.sessions * (limits.burst + limits.reruns_per_minute)
    assert ran < 0.4 * 4 * 4 * 60, "most of the attack's reruns are skipped"


def test_threads_never_spend_a_token_twice(clock: Clock) -> None:
    limiter = Throttle(Limits(reruns_per_minute=1, burst=50, sessions=100), clock)
    bucket = limiter.bucket()
    results: list[str] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(40):
            verdict = limiter.admit("s1", "client", bucket, always)
            with lock:
                results.append(verdict)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("run") == 50


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, Limits()),
        (
            {
                "INSIGHT_RERUNS_PER_MINUTE": "30",
                "INSIGHT_RERUN_BURST": "8",
                "INSIGHT_SESSIONS_PER_CLIENT": "2",
            },
            Limits(30, 8, 2),
        ),
        ({"INSIGHT_RERUN_BURST": "0", "INSIGHT_SESSIONS_PER_CLIENT": "-1"}, Limits()),
        ({"INSIGHT_RERUNS_PER_MINUTE": "lots"}, Limits()),
    ],
)
def test_limits_from_the_environment(environ: dict[str, str], expected: Limits) -> None:
    assert throttle.limits_from(environ) == expected


def test_the_about_page_states_the_limits_in_force(monkeypatch) -> None:
    from insight.outputs.about import limits

    monkeypatch.setenv("INSIGHT_RERUN_BURST", "7")
    monkeypatch.setenv("INSIGHT_SESSIONS_PER_CLIENT", "3")
    text = limits()
    assert "7 changes in quick succession, refilled at 30 a minute" in text
    assert "3 windows open at once" in text
