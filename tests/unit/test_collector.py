"""insight.service.collector: the server's collector settings, and what they leave to it."""

from __future__ import annotations

import gc
import weakref

import pytest

from insight.service import collector


@pytest.fixture
def _restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("_restored")
def test_a_server_collects_young_objects_less_often() -> None:
    collector.for_a_server()
    assert gc.get_threshold() == (collector.YOUNG, collector.OLDER, collector.OLDER)
    assert collector.YOUNG > 700  # fewer collections than Python's default


@pytest.mark.usefixtures("_restored")
def test_settling_keeps_what_is_alive_out_of_later_collections_but_not_new_cycles() -> None:
    kept = [object() for _ in range(10)]
    collector.settle()
    assert gc.get_freeze_count() >= len(kept)
    node = _Node()
    node.me = node  # a cycle made after settling, then dropped: still the collector's to free
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


class _Node:
    me: object = None
