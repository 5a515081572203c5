"""Every page, reached by clicking its link in the navigation, in sealed Chromium: one walk through
the whole navigation per mode, the app loaded once; standard mode on the bundled sample, presenter
mode on a dataset of about 200,000 participants.

Each page must finish its script run with its charts and maps drawn, show the caveat banner, log
no console error, ask nothing of any host but this machine, and leave a screenshot. In presenter
mode nothing a person (or a script reading the DOM) can see may contain one of the dataset's
counts: the page text, the SVG text of every chart, every chart's data arrays, and map tooltips
and popups are all tokenised and checked against counts computed here with pandas. axe-core
finds nothing serious or critical and every chart has its text alternative
(tests/browser/accessibility.py): every page in standard mode, and the pages whose presenter
rendering is their own in presenter mode.
"""

from __future__ import annotations

import pytest

from tests.browser.accessibility import accessibility_problems
from tests.browser.conftest import (
    PAGES,
    STANDARD_ONLY,
    Sealed,
    current_page,
    dataset_dir,
    go_to_page,
    nav_titles,
    open_app,
    screenshot,
    server_for,
)
from tests.count_oracle import dataset_counts, numbers_in, numbers_with_context

CAVEAT_START = "Provider management information, not accredited or sponsored by the Department"
START_PATH = "about"
START_TITLE = "About this tool"  # the page at START_PATH


def test_numbers_in_reads_counts_but_not_dates_or_codes() -> None:
    text = "12,345 people; 100% in Jun 2026; 2026-07-03; E08000025; 4.5; 2025 alone; 1,024."
    assert numbers_in(text) == [12345, 2025, 1024]


# --- what a presenter-mode page exposes ------------------------------------------------------
_EXPOSED = """() => {
  const dtypes = { i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
                   i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array };
  const decode = (v) => {
    if (v === null || v === undefined) return v;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map(decode);
    if (typeof v === 'object' && typeof v.bdata === 'string' && dtypes[v.dtype]) {
      const bytes = Uint8Array.from(atob(v.bdata), (c) => c.charCodeAt(0));
      return Array.from(new dtypes[v.dtype](bytes.buffer));
    }
    return v;
  };
  const keys = ['x', 'y', 'z', 'text', 'hovertext', 'customdata', 'hovertemplate',
                'texttemplate', 'labels', 'values', 'name'];
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map((gd) => ({
    traces: (gd.data || []).map((t) =>
      Object.fromEntries(keys.filter((k) => k in t).map((k) => [k, decode(t[k])]))),
    svgText: [...gd.querySelectorAll('text')].map((t) => t.textContent).join('\\n'),
  }));
  const frames = [...document.querySelectorAll('iframe')].map((f) => {
    const doc = f.contentDocument;
    if (!doc || !doc.body) return '';
    const extra = [...doc.querySelectorAll('.leaflet-tooltip, .leaflet-popup, .deck-tooltip')];
    return [doc.body.innerText, ...extra.map((e) => e.textContent)].join('\\n');
  });
  const tooltips = [...document.querySelectorAll('.deck-tooltip, .hoverlayer')].map((e) => e.textContent);
  return { body: document.body.innerText, charts, frames, tooltips };
}"""


def _values(value: object) -> list[object]:
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [value]


def leaked_counts(exposed: dict, counts: frozenset[int]) -> list[str]:
    """Every place a count of the dataset shows up, with a little context."""
    found: list[str] = []

    def check_text(where: str, text: str) -> None:
        for number, context in numbers_with_context(text):
            if number in counts:
                found.append(f"{where}: {number} in ...{context!r}...")

    check_text("page text", exposed["body"])
    for i, frame in enumerate(exposed["frames"]):
        check_text(f"iframe {i}", frame)
    for i, tip in enumerate(exposed["tooltips"]):
        check_text(f"tooltip {i}", tip)
    for c, chart in enumerate(exposed["charts"]):
        check_text(f"chart {c} SVG text", chart["svgText"])
        for t, trace in enumerate(chart["traces"]):
            for key, value in trace.items():
                for item in _values(value):
                    where = f"chart {c} trace {t} {key}"
                    if isinstance(item, str):
                        check_text(where, item)
                    elif isinstance(item, int | float) and not isinstance(item, bool):
                        if float(item).is_integer() and int(item) in counts:
                            found.append(f"{where}: {int(item)}")
    return found


# --- the tests -------------------------------------------------------------------------------
# One walk per mode: the app is loaded once, on About (a light page), and every page is then
# reached by its link in the navigation, as a person goes from page to page in a meeting, and
# checked as it is drawn. A fresh browser context and a fresh load for each page cost about eight
# seconds of Chromium's time each (the app's code and the chart libraries parsed again) and proved
# nothing a walk does not: the walk still draws every page from its link, and it also proves that
# nothing one page leaves behind breaks the next.
# Standard mode is walked on the bundled sample. Presenter mode is walked once, on the large
# dataset (200,000 participants, the sample's preset, geography and context): its counts run to
# hundreds and thousands, which no share or date can be mistaken for, so the count scan is at its
# strongest there. A second presenter walk on the sample (about 60 s of Chromium) proved nothing
# more: the same pages drawn by the same code from a dataset of the same shape, and the sample's
# presenter pages are also scanned for counts through app.py (tests/app/test_app_pages.py, on the
# sample and a Welsh dataset).
# axe-core in presenter mode on the pages whose presenter rendering is their own: the Overview
# (cards speak to the room, the plotly map), a chart page (Barriers: every chart's text
# alternative becomes its accessible name, the same components/charts.py code on every chart
# page), The place (static tables), Stakeholder insights (read-only), Slides and About (sections
# by mode). The other chart pages draw the same components as Barriers and proved nothing more for
# axe (about 1.3 s of Chromium each); every page is still walked and scanned for counts.
PRESENTER_OWN = (
    "Overview",
    "Barriers",
    "The place",
    "Slides",
    "Stakeholder insights",
    "About this tool",
)
WALKS = [
    pytest.param("sample", "standard", id="sample-standard"),
    pytest.param("large", "presenter", id="large-presenter"),
]


# The page's last heading scrolled into view as a link or a keyboard focus would: in presenter
# mode it must land below the pinned caveat banner, not under it (WCAG 2.4.11). Returns the
# heading's text when covered, else null; leaves the page scrolled back to its top.
_UNDER_BANNER = """() => {
  const main = document.querySelector('.stMain');
  const banner = document.querySelector('.st-key-caveat_banner');
  const heads = [...main.querySelectorAll('h2, h3')].filter(
    h => !h.closest('.st-key-caveat_banner') && h.offsetParent !== null);
  const last = heads[heads.length - 1];
  if (!last || !banner) return null;
  last.scrollIntoView({block: 'start'});
  const covered = last.getBoundingClientRect().top < banner.getBoundingClientRect().bottom - 1;
  main.scrollTop = 0;
  return covered ? last.innerText : null;
}"""


def walk_order(mode: str) -> list[str]:
    """The pages in navigation order, About (where the walk starts) last."""
    pages = [t for t in PAGES if mode == "standard" or t not in STANDARD_ONLY]
    return [t for t in pages if t != START_TITLE] + [START_TITLE]


def page_problems(
    request: pytest.FixtureRequest, sealed: Sealed, dataset: str, mode: str, title: str
) -> list[str]:
    """What is wrong with the page on screen now: not marked current, no caveat banner, an
    exception, a table offering Streamlit's own (unlogged) download, in presenter mode a count of
    the dataset anywhere, an accessibility problem (in presenter mode on PRESENTER_OWN). Leaves
    its screenshot."""
    page = sealed.page
    problems = []
    if current_page(page, expect=title) != title:
        problems.append("the navigation does not mark the page as current")
    banner = page.locator(".st-key-caveat_banner")
    if not banner.is_visible():
        problems.append("the caveat banner is not on screen")
    elif CAVEAT_START not in banner.inner_text():
        problems.append(f"the caveat banner says {banner.inner_text()[:120]!r}")
    if page.locator('[data-testid="stException"]').count():
        problems.append(
            "the page raised: "
            + page.locator('[data-testid="stException"]').first.inner_text()[:400]
        )
    screenshot(page, dataset, mode, title)
    # Every export is logged (annex para 16): no table may carry Streamlit's own CSV download
    # (its toolbar is in the page whether or not the table's expander is open).
    unlogged = page.locator('[data-testid="stElementToolbar"] button[aria-label*="Download"]')
    if unlogged.count():
        problems.append(f"{unlogged.count()} table toolbars offer a download the log never sees")
    if mode == "presenter":
        covered = page.evaluate(_UNDER_BANNER)
        if covered:
            problems.append(f"the pinned caveat covers the heading {covered!r} scrolled to")
        counts = dataset_counts(dataset_dir(request, dataset))
        leaks = leaked_counts(page.evaluate(_EXPOSED), counts)
        if leaks:
            problems.append("counts on a presenter-mode page:\n" + "\n".join(leaks[:40]))
    if mode == "standard" or title in PRESENTER_OWN:
        problems += accessibility_problems(page, request.getfixturevalue("axe_js"), mode, title)
    return problems


@pytest.mark.parametrize(("dataset", "mode"), WALKS)
def test_every_page_from_navigation(
    request: pytest.FixtureRequest, sealed: Sealed, dataset: str, mode: str
) -> None:
    """Every page the mode offers, reached by its navigation link, finishes its script run with
    its charts and maps drawn, shows the caveat banner, raises nothing, logs no console error,
    asks nothing of any host but this machine, and leaves a screenshot; in presenter mode no count
    of the dataset is anywhere a person or a script could read it. Every page is checked before
    the test fails, and the message names each page with its problems."""
    server = server_for(request, dataset)
    page = sealed.page
    open_app(page, server, query="mode=presenter" if mode == "presenter" else "", path=START_PATH)
    titles = nav_titles(page)
    if mode == "presenter":
        assert not set(STANDARD_ONLY) & set(titles), f"presenter navigation offers {titles}"
    assert titles == [t for t in PAGES if mode == "standard" or t not in STANDARD_ONLY]

    found: dict[str, list[str]] = {}
    for title in walk_order(mode):
        errors_before = len(sealed.errors())
        try:
            go_to_page(page, title)
        except (AssertionError, pytest.fail.Exception) as exc:
            found[title] = [f"could not be opened: {exc}"]
            break  # the app is in an unknown state: what follows would not be about its page
        problems = page_problems(request, sealed, dataset, mode, title)
        problems += [f"logged {e}" for e in sealed.errors()[errors_before:]]
        if problems:
            found[title] = problems
    report = "\n".join(
        f"{title} ({dataset}, {mode} mode):\n  " + "\n  ".join(p) for title, p in found.items()
    )
    assert not found, f"{len(found)} pages with problems:\n{report}"
    sealed.assert_clean()
