"""Accessibility checks for a page as drawn in a real browser: axe-core (from axe-playwright-python)
and a text alternative beside every chart. tests/browser/test_pages.py runs them on every page, in
both modes, during its walk through the navigation.

The app aims at WCAG 2.2 AA. A violation of impact serious or critical fails the test, and the
message lists every such violation with its rule id, impact, help text and the elements hit.
Every plotly chart must be followed by its "Text alternative:" caption (components/charts.py).
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import PAGES, app_state, run_axe

BLOCKING = ("serious", "critical")
# Pages that draw charts (plotly), in navigation order; each chart must carry a text alternative.
CHART_PAGES = PAGES[: PAGES.index("Delivery insights")]  # Overview to Plans and local provision
TEXT_ALTERNATIVE = "Text alternative:"  # how components/charts.py captions each chart


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


def accessibility_problems(page, axe_path: Path, mode: str, title: str) -> list[str]:
    """axe-core finds nothing serious or critical on the page as drawn now, and every chart has a
    text alternative (a chart page that draws no chart is a problem too)."""
    problems = []
    charts, missing = missing_alternatives(page)
    if title in CHART_PAGES and not charts:
        problems.append(f"draws no chart: {app_state(page)}")
    if missing:
        problems.append(
            f"text alternatives: {len(missing)} of {charts} charts have no "
            f"'{TEXT_ALTERNATIVE}' caption right after them: {missing}"
        )
    blocking = [v for v in run_axe(page, axe_path) if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"axe-core ({mode} mode):\n{describe(blocking)}")
    return problems
