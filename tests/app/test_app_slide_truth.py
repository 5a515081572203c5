"""Issue 23 through the router: a slide for an LA with few participants carries the small-numbers
marker in plain words (no base), and its caveat strip names no other period than its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from insight.core.periods import period_label
from insight.intake.load import load_dataset
from insight.numbers.certainty import SMALL_NUMBERS
from insight.numbers.measure import participants_in
from insight.sample.synthetic import write_sample
from tests.app.harness import opened

ROOT = Path(__file__).resolve().parents[2]
COVENTRY = "E08000026"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 participants over 16 LAs: Coventry has 26 (under the rule's 30), seed 7."""
    out = tmp_path_factory.mktemp("small")
    write_sample(out, 400, 7)
    return out


def test_a_small_las_slide_says_based_on_few_people_and_no_base(
    small: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ds = load_dataset(small)
    assert 0 < participants_in(ds, "whole", COVENTRY) < 30
    monkeypatch.setenv("INSIGHT_DATASET", str(small))
    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT))
    at = opened(meeting="auto", la=COVENTRY)
    bodies = [h.proto.body for h in at.get("html")]
    head = next(b for b in bodies if 'class="ri-slide-head"' in b)
    found = re.search(r'class="ri-slide-caution"[^>]*>([^<]*)<', head)
    assert found and found.group(1) == SMALL_NUMBERS, head
    assert period_label(ds.meta, "whole") in head  # the slide's period, named at its top
    strip = next(b for b in bodies if "ri-slide-caveat" in b)
    assert ds.meta.period_label == period_label(ds.meta, "whole")
    assert strip.count(ds.meta.period_label) == 0, "the strip names no period beside the top's"
