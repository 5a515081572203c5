"""Slides in sealed Chromium, on a 1280 x 720 and a 1366 x 768 projector and a 1920 x 1080 screen:
every slide of the one-click running order for Sandwell fits the window (the heading naming the
LA, the chart or map, and the caveat lie wholly inside it, nothing overlaps the headline, nothing
scrolls), its type is one a room can read (every text in the chart area at least 20 px at
1280 x 720 and growing with the window, the headline at least 32 px), every text of a chart is
in view (not clipped), no two value labels overlap, the map fills the chart area, the clicker's
keys move between slides, and no count of the dataset reaches any slide: not its text, its chart
data, a hover label or the map (the presenter-mode scans of test_pages)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    SAMPLE_DIR,
    Sealed,
    open_app,
    rerun,
    screenshot,
    server_for,
    wait_for_app,
)
from tests.browser.test_pages import _EXPOSED, dataset_counts, leaked_counts

SANDWELL = "E08000028"
QUERY = f"meeting=auto&la={SANDWELL}&slide=1"  # a running presentation joins at slide 1
SLIDES = 11
VIEWPORTS = [(1280, 720), (1366, 768), (1920, 1080)]
REFERENCE = (1280, 720)  # a slide's type is set for this window and grows with it to 1.5 times

# Every text in the slide's chart area (SVG and HTML) with its size as drawn (its CSS size times
# any scale between it and the screen), whether it is in view where it is drawn (the element at
# its centre is itself or its chart, not something covering or clipping it), the value labels'
# boxes, and the chart's or map's share of the chart area.
_TYPE = """() => {
  const body = document.querySelector('.st-key-slide_body');
  const area = body.getBoundingClientRect();
  const scaleOf = (el) => {
    const host = el instanceof HTMLElement ? el : el.closest('.js-plotly-plot');
    return host && host.offsetWidth ? host.getBoundingClientRect().width / host.offsetWidth : 1;
  };
  const texts = [];
  for (const el of body.querySelectorAll('svg text')) {
    const r = el.getBoundingClientRect();
    if (!el.textContent.trim() || r.width === 0 || r.height === 0) continue;
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    const seen = !!hit && (hit === el || el.contains(hit) || !!hit.closest('.js-plotly-plot'));
    texts.push({ text: el.textContent.trim(), px: parseFloat(getComputedStyle(el).fontSize) * scaleOf(el), seen });
  }
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    texts.push({ text: node.textContent.trim(), px: parseFloat(getComputedStyle(el).fontSize) * scaleOf(el), seen: true });
  }
  const labels = [...body.querySelectorAll('text.bartext, g.textpoint text')]
    .filter((e) => e.textContent.trim())
    .map((e) => { const r = e.getBoundingClientRect(); return { text: e.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom }; });
  const plot = body.querySelector('.js-plotly-plot');
  const p = plot && plot.getBoundingClientRect();
  return {
    texts, labels,
    headline: parseFloat(getComputedStyle(document.querySelector('h2.ri-slide-headline')).fontSize),
    plot: p ? { share: (p.width * p.height) / (area.width * area.height), bottom: p.bottom } : null,
    areaBottom: area.bottom,
    map: !!body.querySelector('.st-key-slide_map'),
    head: ['h1.ri-slide-area', '.ri-slide-kicker'].map((selector) => {
      const el = document.querySelector(selector); const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height,
               px: parseFloat(getComputedStyle(el).fontSize), text: el.innerText };
    }),
  };
}"""


def _check_type(page, number: int, width: int, height: int) -> None:
    """The slide's type and labels, as drawn (see _TYPE)."""
    found = page.evaluate(_TYPE)
    grow = max(1.0, min(width / REFERENCE[0], height / REFERENCE[1], 1.5))
    smallest = min(found["texts"], key=lambda t: t["px"])
    assert smallest["px"] >= 20 * grow - 0.5, f"slide {number}: {smallest}"
    assert found["headline"] >= 32 * grow - 0.5, f"slide {number}: headline {found['headline']} px"
    # The heading's first line: the area's name and the section and period, each on one line
    # and side by side (the period wrapped beside a long name at 1920 x 1080).
    area, kicker = found["head"]
    for part in (area, kicker):
        assert part["height"] < 1.6 * part["px"], f"slide {number}: wrapped {part['text']!r}"
    assert kicker["top"] < area["bottom"] and area["top"] < kicker["bottom"], f"slide {number}"
    hidden = [t["text"] for t in found["texts"] if not t["seen"]]
    assert not hidden, f"slide {number}: texts out of view {hidden[:5]}"
    labels = found["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]
            assert apart, f"slide {number}: value labels {a['text']} and {b['text']} overlap"
    if found["plot"]:
        assert found["plot"]["bottom"] <= found["areaBottom"] + 1, f"slide {number}: cut off"
        if found["map"]:
            assert found["plot"]["share"] >= 0.85, f"slide {number}: map share {found['plot']}"


_BOXES = """() => {
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, text: el.innerText || '' };
  };
  const one = (selector) => box(document.querySelector(selector));
  return {
    area: one('h1.ri-slide-area'),
    headline: one('h2.ri-slide-headline'),
    chart: one('.st-key-slide_body [data-testid="stPlotlyChart"]'),
    body: one('.st-key-slide_body'),
    caveat: one('.ri-slide-caveat'),
    controls: one('.st-key-slide_controls'),
    counter: one('.ri-slide-counter'),
    others: [...document.querySelectorAll(
      '.st-key-slide_body [data-testid="stElementContainer"], .st-key-slide_body [data-testid="stLayoutWrapper"], .ri-slide-caveat, .st-key-slide_controls, .ri-slide-subtitle'
    )].map(box),
    scroll: document.scrollingElement.scrollHeight - window.innerHeight,
    mainScroll: (() => { const m = document.querySelector('[data-testid="stMain"]');
                        return m ? m.scrollHeight - m.clientHeight : 0; })(),
  };
}"""


def _inside(box: dict, width: int, height: int) -> bool:
    return (
        box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= height and box["right"] <= width
    )


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
        or a["right"] <= b["left"]
        or b["right"] <= a["left"]
    )


def _counter(page) -> str:
    return page.locator(".ri-slide-counter").inner_text().strip()


def _press(page, key: str | None = None, action=None) -> None:
    """Press a key (or do `action`) that moves the slide, and wait for the next slide drawn.
    The harness counts the slides' follower's own runs (a fragment polling the store) too, so
    the wait is for the counter to change, then for that run to settle with its chart drawn."""
    before = _counter(page)
    rerun(page, action or (lambda: page.keyboard.press(key)))
    page.wait_for_function(
        "(b) => { const c = document.querySelector('.ri-slide-counter');"
        " return !!c && c.innerText.trim() !== b; }",
        arg=before,
    )
    wait_for_app(page)


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_ready_made_slide_fits_the_window_and_shows_no_count(
    request: pytest.FixtureRequest, sealed: Sealed, width: int, height: int
) -> None:
    server = server_for(request, "sample")
    page = sealed.page
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, server, query=QUERY)  # the default page: routed to the slides
    assert "/slides" in page.url
    counts = dataset_counts(SAMPLE_DIR)
    kinds = []
    for number in range(1, SLIDES + 1):
        assert _counter(page) == f"Slide {number} of {SLIDES}"
        boxes = page.evaluate(_BOXES)
        assert boxes["area"]["text"].strip() == "Sandwell", boxes["area"]
        for name in ("area", "headline", "caveat", "controls"):
            assert _inside(boxes[name], width, height), f"slide {number}: {name} {boxes[name]}"
        assert "not accredited or sponsored" in boxes["caveat"]["text"]
        drawn = boxes["chart"]
        kinds.append("chart" if drawn else "other")
        if drawn:
            assert _inside(drawn, width, height), f"slide {number}: chart {drawn}"
            assert drawn["bottom"] - drawn["top"] >= 300, f"slide {number}: chart too short"
            assert not _overlap(drawn, boxes["caveat"]), f"slide {number}: chart on the caveat"
            # a hover label, so that the scan reads what a hover shows too
            page.mouse.move((drawn["left"] + drawn["right"]) / 2, drawn["top"] + 120)
        else:
            assert _inside(boxes["body"], width, height), f"slide {number}: {boxes['body']}"
        for other in boxes["others"]:
            assert not _overlap(boxes["headline"], other), f"slide {number}: {other} on headline"
        assert boxes["scroll"] <= 1 and boxes["mainScroll"] <= 1, f"slide {number} scrolls"
        _check_type(page, number, width, height)
        leaks = leaked_counts(page.evaluate(_EXPOSED), counts)
        assert not leaks, f"counts on slide {number}:\n" + "\n".join(leaks[:20])
        screenshot(page, "sample", "slides", f"{width}x{height}_{number}")
        if number < SLIDES:
            _press(page, "PageDown")
    # the map and seven charts; the place's table, the cards and the ask have none
    assert kinds.count("chart") == 8
    sealed.assert_clean()


def test_clicker_and_arrow_keys_move_between_slides(
    request: pytest.FixtureRequest, sealed: Sealed
) -> None:
    server = server_for(request, "sample")
    page = sealed.page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, server, query=QUERY, path="slides")
    assert _counter(page) == f"Slide 1 of {SLIDES}"
    _press(page, "PageDown")
    assert _counter(page) == f"Slide 2 of {SLIDES}"
    _press(page, "PageDown")
    assert _counter(page) == f"Slide 3 of {SLIDES}"
    _press(page, "PageUp")
    assert _counter(page) == f"Slide 2 of {SLIDES}"
    _press(page, "ArrowRight")
    assert _counter(page) == f"Slide 3 of {SLIDES}"
    _press(page, " ")
    assert _counter(page) == f"Slide 4 of {SLIDES}"
    _press(page, "ArrowLeft")
    assert _counter(page) == f"Slide 3 of {SLIDES}"
    assert "slide=3" in page.url  # a reload keeps the place
    _press(page, action=page.get_by_role("button", name="Next").click)
    assert _counter(page) == f"Slide 4 of {SLIDES}"
    sealed.assert_clean()
