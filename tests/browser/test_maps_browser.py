"""The LA maps in sealed Chromium: each draws every LA of the area, a click on an LA selects it
(?la=<code> in the URL, as components.controls.select_la makes the app do), and no request
leaves the machine (the `sealed` fixture fails the test on any).

Runs tests/browser/map_harness.py (a hand-made West Midlands table). Streamlit serves static/
beside the main script, so the harness runs from a temporary folder holding links to it and to
the project's static/. Never asserts on pixels: the click points are worked out from the map's
own projection.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from insight.core.geo import la_name, lookup
from insight.outputs.mapdata import fit_view, to_pixels
from tests.browser.conftest import rerun, runs_finished, wait_for_app
from tests.browser.map_harness import WM

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "map_harness.py"

MAP_LOADED = """() => { const gd = document.querySelector('.js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !!sub && sub.map.loaded(); }"""
SHROPSHIRE = "E06000051"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def harness_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run map_harness.py` on a free port, polled on /_stcore/health."""
    folder = tmp_path_factory.mktemp("map-harness")
    (folder / "static").symlink_to(ROOT / "static")
    (folder / "map_harness.py").symlink_to(HARNESS)
    port = _free_port()
    log = folder / "streamlit.log"
    streamlit = Path(sys.executable).parent / "streamlit"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [str(streamlit), "run", str(folder / "map_harness.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.25)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        print(log.read_text(errors="replace"))
        pytest.fail("the map harness did not start")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=15)


def open_map(sealed, url: str, query: str):
    page = sealed.page
    page.goto(f"{url}/?{query}", wait_until="domcontentloaded")
    wait_for_app(page)
    return page


def test_folium_map_draws_every_la_and_a_click_selects_it(sealed, harness_url):
    page = open_map(sealed, harness_url, "engine=folium&mode=standard")
    frame = page.frame_locator('iframe[title*="streamlit_folium"]')
    paths = frame.locator("path.leaflet-interactive")
    paths.nth(len(WM) - 1).wait_for()  # the iframe draws after the script run has finished
    assert paths.count() == len(WM)
    assert frame.locator(".ri-legend").inner_text().startswith("Share of participants")
    assert frame.locator("img.leaflet-tile").count() == 0  # no base tiles
    # Labels never overlap (issue 29 item 5: Sandwell, Dudley and Birmingham did), and at the
    # zoom the map opens on every LA is named (insight.outputs.map_plan placed them all, some on
    # leader lines), in the app's typeface, loaded from this server.
    frame.locator(".ri-label").nth(len(WM) - 1).wait_for(state="attached")
    # the declutter pass runs once the map is ready, as it settles (its last pass 2 s after) and
    # whenever a label's size changes (the typeface loading): what is hidden after that stays so
    assert frame.locator("body").evaluate(_FONT_LOADED) >= 1, "Source Sans loads from this server"
    page.wait_for_timeout(2_100)
    boxes = frame.locator("body").evaluate(_VISIBLE_LABELS)
    assert sorted(text for text, *_ in boxes) == sorted(la_name(code).split(",")[0] for code in WM)
    assert frame.locator("path.leaflet-interactive").count() == len(WM)  # leaders are not
    assert frame.locator("path:not(.leaflet-interactive)").count() >= 1, "some leader lines"
    assert (
        frame.locator("body")
        .evaluate(
            """async () => { await document.fonts.ready;
             return document.fonts.check('13px "Source Sans"') &&
                    getComputedStyle(document.querySelector('.ri-label')).fontFamily; }"""
        )
        .startswith('"Source Sans"')
    )
    clashes = [
        (a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a[1:], b[1:])
    ]
    assert not clashes, f"overlapping map labels: {clashes}"
    index = WM.index(SHROPSHIRE)
    rerun(page, lambda: paths.nth(index).click(position=_inside(paths.nth(index))))
    page.wait_for_url(f"**la={SHROPSHIRE}*")
    sealed.assert_clean()


_FONT_LOADED = """body => document.fonts.load('13px "Source Sans"').then(
    faces => faces.length)"""
_VISIBLE_LABELS = """body => [...body.querySelectorAll('.ri-label')]
    .filter(l => getComputedStyle(l.parentElement).visibility !== 'hidden')
    .map(l => { const r = l.getBoundingClientRect();
                return [l.childNodes[0].textContent.trim(), r.left, r.top, r.right, r.bottom]; })"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(locator) -> dict:
    """A point inside a big LA's shape: the middle of its box works for Shropshire."""
    box = locator.bounding_box()
    return {"x": box["width"] / 2, "y": box["height"] / 2}


def test_plotly_map_draws_every_la_and_a_click_selects_it(sealed, harness_url):
    page = open_map(sealed, harness_url, "engine=plotly&mode=presenter")
    # The harness's run counter reads the server's messages: one load is exactly one run (a
    # hand-written decoder once misread protobuf lengths and counted random bytes, or missed it).
    assert runs_finished(page) == 1
    page.wait_for_function(MAP_LOADED)
    drawn = page.evaluate(
        """() => { const gd = document.querySelector('.js-plotly-plot');
             const m = gd._fullLayout.map._subplot.map;
             const ids = new Set(m.queryRenderedFeatures().filter(f => f.layer.type === 'fill')
                                   .map(f => JSON.stringify(f.properties.ct)));  // ct: plotly's centroid per LA
             return ids.size; }"""
    )
    assert drawn == len(WM)
    row = lookup().loc[SHROPSHIRE]
    point = page.evaluate(
        """([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot');
             const m = gd._fullLayout.map._subplot.map; const p = m.project([lon, lat]);
             const c = m.getCanvas().getBoundingClientRect(); return [c.x + p.x, c.y + p.y]; }""",
        [float(row["lon"]), float(row["lat"]) + 0.05],  # just off the label, still in Shropshire
    )
    rerun(page, lambda: page.mouse.click(*point))
    page.wait_for_url(f"**la={SHROPSHIRE}*")
    sealed.assert_clean()


def test_pydeck_map_draws_and_a_click_selects_an_la(sealed, harness_url):
    page = open_map(sealed, harness_url, "engine=pydeck&mode=standard")
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    box = canvas.bounding_box()
    assert page.locator(".ri-legend").count() == 1
    view = fit_view(WM, 800, 680)  # the view maps_deck.deck opened on (centre and zoom)
    row = lookup().loc[SHROPSHIRE]
    x, y = to_pixels(view, float(row["lon"]), float(row["lat"]) + 0.05, box["width"], box["height"])
    # deck.gl shows its canvas before its layers can be picked: click again until it answers
    for _attempt in range(10):
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_url(f"**la={SHROPSHIRE}*", timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    assert f"la={SHROPSHIRE}" in page.url
    wait_for_app(page)
    sealed.assert_clean()
