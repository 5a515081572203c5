"""Python's garbage collector, set for a server that keeps a dataset in memory (issue 31).

Measured over 40 reruns of changing pages (AppTest, the sample): the collector took 0.82 s of
about 5 s of CPU, a sixth of every rerun. Most of it was 600 young-generation collections, each
walking the large lists a page's tables make and drop again (700 allocations apart, Python's
default), and full collections walking the 390,000 objects the imports and the dataset left
behind. With the young generation collected every 20,000 allocations and everything alive after
warming frozen out of the collector's sight (gc.freeze), the same reruns spent 0.22 s in it.
Reference counting still frees almost everything at once; only cycles wait a little longer.
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations between young-generation collections (Python's default: 700)
OLDER = 20  # young collections between middle ones, and middle ones between full ones (10)


def for_a_server() -> None:
    """Collect less often: at server start, before the first page."""
    gc.set_threshold(YOUNG, OLDER, OLDER)


def settle() -> None:
    """After warming: collect once, then keep what is alive now (modules, the dataset, the
    boundaries) out of every later collection."""
    gc.collect()
    gc.freeze()
