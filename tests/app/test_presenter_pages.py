"""Issue 10 item 3, page by page through the router: the barrier-by-LA chart is one labelled bar
per LA, ranked, the chosen LA highlighted and bold; every page's heading names the area on
screen; presenter intros speak to the room; text alternatives are not printed under the charts
in presenter mode but stay in the table view and the chart's accessible name."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from components import navigation
from components.text import literal
from insight.core.geo import la_name
from insight.intake.load import load_dataset
from insight.outputs.figures import CONTEXT_GREY, HIGHLIGHT
from tests.app.harness import ROOT, opened

SANDWELL = "E08000028"
LOCATIONS = "pages/participants/locations.py"
# Pages whose content is about an area (About and Can I share this? are about the tool).
AREA_PAGES = [
    spec.path
    for spec in navigation.PAGES
    # About and Can I share this? are about the tool, not an area; Slides draws its own heading on
    # every slide, with the area large at the top (tests/browser/test_slides.py holds it)
    if "presenter" in spec.modes and spec.url_path not in ("about", "can_i_share", "slides")
]


@pytest.fixture(autouse=True)
def _sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATASET", str(sample_dir))
    monkeypatch.syspath_prepend(str(ROOT))


def _decode(node):
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            return array.reshape(node["shape"]).tolist() if "shape" in node else array.tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def bar_specs(at: AppTest) -> list[dict]:
    """Every bar chart's spec on the page, as the browser receives it."""
    specs = [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    return [s for s in specs if s["data"] and s["data"][0].get("type") == "bar"]


@pytest.mark.parametrize(
    ("view", "picker", "key", "mode"),
    [
        ("A barrier by LA", "locations_barrier", "transport", "presenter"),
        ("A service by LA", "locations_service", "skills_training", "standard"),
    ],
)
def test_by_la_chart_is_one_labelled_bar_per_la_ranked_with_the_chosen_la_highlighted(
    sample_dir: Path, view: str, picker: str, key: str, mode: str
) -> None:
    at = opened(LOCATIONS, mode=mode, la=SANDWELL)
    at.segmented_control(key="locations_view").set_value(view).run()
    at.selectbox(key=picker).set_value(key).run()
    assert not at.exception
    (spec,) = bar_specs(at)
    (bars,) = spec["data"]  # one trace, not one grey trace per LA told apart by a legend
    assert spec["layout"]["showlegend"] is False
    names = [name.replace("<b>", "").replace("</b>", "") for name in bars["y"]]
    las = load_dataset(sample_dir).la_codes
    assert sorted(names) == sorted(la_name(code) for code in las), "one bar per LA, named"
    assert len(bars["text"]) == len(las) and all(t for t in bars["text"]), "every bar labelled"
    shown = [x for x, t in zip(bars["x"], bars["text"], strict=True) if "%" in t]
    assert shown == sorted(shown, reverse=True), "ranked, largest first"
    hidden = [i for i, t in enumerate(bars["text"]) if "%" not in t]
    assert hidden == list(range(len(shown), len(las))), "LAs without a figure go last"
    chosen = names.index("Sandwell")
    colours = bars["marker"]["color"]
    assert colours[chosen] == HIGHLIGHT
    assert all(c == CONTEXT_GREY for n, c in enumerate(colours) if n != chosen)
    # not by colour alone: the chosen LA's name and figure are bold and its bar outlined
    assert bars["y"][chosen].startswith("<b>") and bars["text"][chosen].startswith("<b>")
    assert sum(y.startswith("<b>") for y in bars["y"]) == 1
    assert bars["marker"]["line"]["width"][chosen] > 0


@pytest.mark.parametrize("page_path", AREA_PAGES)
def test_every_page_heading_names_the_area_on_screen(page_path: str, sample_dir: Path) -> None:
    at = opened(page_path, mode="presenter", la=SANDWELL)
    assert at.title[0].value.endswith("— Sandwell"), at.title[0].value
    whole = opened(page_path, mode="presenter")
    area = load_dataset(sample_dir).meta.area_name
    assert literal(f"{area} (whole area)") in whole.title[0].value


OPERATOR_WORDS = ("sidebar", "Choose", "Click", "Pick", "Filter by", "below")


@pytest.mark.parametrize("page_path", AREA_PAGES)
def test_presenter_intros_speak_to_the_room(page_path: str) -> None:
    def intro(at: AppTest) -> str:
        return " ".join(c.value for c in at.main.caption[:1])

    room = intro(opened(page_path, mode="presenter", la=SANDWELL))
    assert not any(word in room for word in OPERATOR_WORDS), room


def test_the_overview_intro_changes_with_the_mode() -> None:
    standard = opened(navigation.PAGES[0].path).main.caption[0].value
    presenter = opened(navigation.PAGES[0].path, mode="presenter").main.caption[0].value
    assert "sidebar" in standard and "sidebar" not in presenter


def _alt_captions(node) -> list[str]:
    return [c.value for c in node.caption if c.value.startswith("Text alternative")]


@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_text_alternatives_live_in_the_table_view_in_presenter_mode(mode: str) -> None:
    at = opened("pages/participants/barriers.py", mode=mode, la=SANDWELL)
    everywhere = _alt_captions(at.main)
    in_tables = [text for box in at.main.expander for text in _alt_captions(box)]
    charts = at.get("plotly_chart")
    assert charts and all(chart.proto.alt for chart in charts), "each chart's accessible name"
    if mode == "presenter":
        assert everywhere and sorted(everywhere) == sorted(in_tables), "only in the table views"
    else:
        assert len(everywhere) > len(in_tables), "standard mode prints it under the chart"


def test_a_window_follows_a_move_once_and_redraws_its_slide_regardless_every_so_often():
    """The watcher's decision (components.presenter.follow_step): a move reruns the page (not
    again while that is pending for the same drawing, unless ASK_AGAIN_S went by); with no move a
    window on a slide still asks for its slide's redraw every REDRAW_S, so a browser that kept an
    old slide catches up."""
    from components.presenter import ASK_AGAIN_S, POLL_S, REDRAW_S, follow_step

    # A lost ask is made again (at the watcher's next look after ASK_AGAIN_S) within the 1 s a
    # window has to follow the other (issue 24), with room left for the page's run.
    assert ASK_AGAIN_S + POLL_S <= 0.85
    shown = ("21", "ana@example.org", None, 3, False)
    assert follow_step(moved=True, shown=shown, asked=None, redrawn=0.0, now=1.0) == "page"
    pending = (shown, 1.0)
    assert follow_step(moved=True, shown=shown, asked=pending, redrawn=1.0, now=1.5) is None
    again = 1.0 + ASK_AGAIN_S
    assert follow_step(moved=True, shown=shown, asked=pending, redrawn=1.0, now=again) == "page"
    # a rerun asked for another drawing (the window has drawn since) does not hold this one back
    other = (("21", "ana@example.org", None, 2, False), 1.4)
    assert follow_step(moved=True, shown=shown, asked=other, redrawn=1.0, now=1.5) == "page"
    assert follow_step(moved=False, shown=shown, asked=pending, redrawn=1.0, now=2.0) is None
    safety = 1.0 + REDRAW_S
    assert follow_step(moved=False, shown=shown, asked=None, redrawn=1.0, now=safety) == "fragment"
    # a window that has drawn no slide yet (waiting for the presentation) has nothing to redraw
    assert follow_step(moved=False, shown=None, asked=None, redrawn=0.0, now=100.0) is None
