"""Accessibility in a real browser: axe-core (from axe-playwright-python) on every page in standard
mode and on the pages whose presenter rendering is their own, and a text alternative beside every
chart.

The app aims at WCAG 2.2 AA. A violation of impact serious or critical fails the test, and the
message lists every such violation with its rule id, impact, help text and the elements hit.
Every plotly chart must be followed by its "Text alternative:" caption (components/charts.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import (
    MODES,
    PAGES,
    STANDARD_ONLY,
    Sealed,
    app_state,
    go_to_page,
    open_app,
    run_axe,
)

BLOCKING = ("serious", "critical")
# Pages that draw charts (plotly), in navigation order; each chart must carry a text alternative.
CHART_PAGES = PAGES[: PAGES.index("Delivery insights")]  # Overview to Plans and local provision
TEXT_ALTERNATIVE = "Text alternative:"  # how components/charts.py captions each chart

# Every page in standard mode; in presenter mode the pages whose presenter rendering is their own:
# the Overview (cards speak to the room, the plotly map), a chart page (Barriers: every chart's
# text alternative becomes its accessible name, the same components/charts.py code on every chart
# page), The place (static tables), Stakeholder insights (read-only), Slides and About (sections
# by mode). The other chart pages in presenter mode drew the same components as these and proved
# nothing more for axe; test_pages.py still opens every page in presenter mode.
PRESENTER_OWN = (
    "Overview",
    "Barriers",
    "The place",
    "Slides",
    "Stakeholder insights",
    "About this tool",
)
CASES = [
    pytest.param(mode, title, id=f"{mode}-{title}")
    for mode in MODES
    for title in PAGES
    if not (mode == "presenter" and title in STANDARD_ONLY)
    and (mode == "standard" or title in PRESENTER_OWN)
]


def _open(sealed: Sealed, server, mode: str, title: str) -> None:
    """Start on About (light), then reach the page by its navigation link."""
    open_app(
        sealed.page, server, query="mode=presenter" if mode == "presenter" else "", path="about"
    )
    if title != "About this tool":
        go_to_page(sealed.page, title)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [
            f"{' '.join(map(str, node['target']))} {node['html'][:120]!r}" for node in v["nodes"]
        ]
        shown = "; ".join(targets[:8]) + (
            f"; ... {len(targets) - 8} more" if len(targets) > 8 else ""
        )
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n    at {shown}")
    return "\n".join(lines)


# For each plotly chart: the text of the element(s) that follow it on the page, up to the next
# chart, so a text alternative is matched to its own chart and not to a neighbour's.
_ALTERNATIVES = """(marker) => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return charts.map((chart) => {
    const own = chart.closest('[data-testid="stElementContainer"]') || chart;
    const title = (chart.querySelector('.gtitle') || {}).textContent || '(untitled chart)';
    // Its accessible name (st.plotly_chart's alt): what a screen reader announces. In presenter
    // mode this is where the text alternative lives (it is not printed under the chart).
    const named = [chart, ...chart.querySelectorAll('[aria-label]')]
      .map((e) => e.getAttribute('aria-label') || '').find((t) => t.length > 20);
    if (named) return { title, text: marker + ' ' + named };
    let text = '';
    for (let next = own.nextElementSibling, i = 0; next && i < 3; next = next.nextElementSibling, i++) {
      if (next.querySelector('[data-testid="stPlotlyChart"]')) break;
      if (next.innerText.trim().startsWith(marker)) { text = next.innerText.trim(); break; }
    }
    return { title, text };
  });
}"""


def missing_alternatives(page) -> tuple[int, list[str]]:
    """(number of charts, titles of those with no text alternative right after them)."""
    charts = page.evaluate(_ALTERNATIVES, TEXT_ALTERNATIVE)
    missing = [c["title"] for c in charts if len(c["text"]) <= len(TEXT_ALTERNATIVE) + 10]
    return len(charts), missing


@pytest.mark.parametrize(("mode", "title"), CASES)
def test_page_is_accessible(
    sample_server, sealed: Sealed, axe_js: Path, mode: str, title: str
) -> None:
    """axe-core finds nothing serious or critical, and every chart has a text alternative (one
    page load for both checks; the message says which failed)."""
    _open(sealed, sample_server, mode, title)
    problems = []
    charts, missing = missing_alternatives(sealed.page)
    if title in CHART_PAGES and not charts:
        problems.append(f"{title} ({mode} mode) draws no chart: {app_state(sealed.page)}")
    if missing:
        problems.append(
            f"text alternatives: {len(missing)} of {charts} charts on {title} ({mode} mode) have "
            f"no '{TEXT_ALTERNATIVE}' caption right after them: {missing}"
        )
    violations = run_axe(sealed.page, axe_js)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"axe-core on {title} ({mode} mode):\n{describe(blocking)}")
    assert not problems, "\n".join(problems)
    sealed.assert_clean()
