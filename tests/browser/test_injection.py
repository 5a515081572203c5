"""Markup and web addresses in a dataset's text stay text: a dataset whose free-text fields
(insights, commissioning plans, the provider and area names, a local organisation's name) carry
script tags, an image with an onerror handler, bold tags, a javascript: markdown link and bare web
addresses, shown in a real browser, with a web address as the area in the URL too.

Nothing may run (window.__pwned stays undefined, no dialog opens), no element may be injected
(no <img src=x>, no <b>bold</b>, no javascript: link), no web address may become a link, and where
the text is shown it is shown as the literal characters the dataset holds.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import MODES, Sealed, go_to_page, open_app

SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1">'
BOLD = "<b>bold</b>"
LINK = "[link](javascript:window.__pwned=1)"
PAYLOADS = (SCRIPT, IMAGE, BOLD, LINK)
ALL = " ".join(PAYLOADS)
# Bare web addresses (no e-mail address: that is personal data, refused by the guards).
TEXT_URLS = "See www.evil.example/more or https://evil.example/docs?x=1 for details"
PROVIDER = f"Heartwood {BOLD} {SCRIPT} www.evil.example/p and http://evil.example/q"
AREA = f"Marches {IMAGE} {LINK} https://evil.example/area"
URL_AREA = "www.evil.example/x"  # the area asked for in the URL


def _rewrite_csv(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for i, row in enumerate(rows):
        change(i, row)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def write_hostile_dataset(out: Path) -> str:
    """A small valid dataset with markup and web addresses in every free-text field; returns the
    organisation name given the markup."""
    from insight.sample.synthetic import write_sample

    write_sample(out, 3_000, 7, fmt="csv")
    meta = (out / "dataset.toml").read_text(encoding="utf-8")
    # TOML literal strings (single quotes): the payloads hold double quotes but no single ones.
    meta = re.sub(r"(?m)^provider_name = .*$", f"provider_name = '{PROVIDER}'", meta)
    meta = re.sub(r"(?m)^area_name = .*$", f"area_name = '{AREA}'", meta)
    (out / "dataset.toml").write_text(meta, encoding="utf-8")

    def insight(_i: int, row: dict) -> None:
        row["title"] = f"{BOLD} {row['title']}"
        row["text"] = f"{row['text']} {ALL} {TEXT_URLS}"

    def plan(_i: int, row: dict) -> None:
        row["title"] = f"{BOLD} {row['title']}"
        row["description"] = f"{row['description']} {ALL} {TEXT_URLS}"

    _rewrite_csv(out / "insights.csv", insight)
    _rewrite_csv(out / "commissioning_plans.csv", plan)
    with (out / "local_provision.csv").open(newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))["organisation"]
    hostile = f"{first} {BOLD} {IMAGE}"

    def provision(_i: int, row: dict) -> None:
        if row["organisation"] == first:
            row["organisation"] = hostile

    _rewrite_csv(out / "local_provision.csv", provision)
    return hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, streamlit_server):
    out = tmp_path_factory.mktemp("hostile")
    organisation = write_hostile_dataset(out)
    from insight.intake.load import load_dataset

    loaded = load_dataset(out)  # the markup must pass the guards, or the test proves nothing
    server = streamlit_server("hostile", out)
    # a data manager has reviewed the text (issue 30): else every page shows a placeholder, and
    # the walk would prove nothing about how the text itself is drawn
    from insight.sharing import review

    assert server.state is not None
    before = os.environ.get("INSIGHT_STATE_DIR")
    os.environ["INSIGHT_STATE_DIR"] = str(server.state)
    try:
        review.record_review(loaded)
    finally:
        if before is None:
            os.environ.pop("INSIGHT_STATE_DIR", None)
        else:
            os.environ["INSIGHT_STATE_DIR"] = before
    return server, organisation


# What ran or was injected, in the page and in every same-origin iframe.
_INJECTED = """() => {
  const docs = [document, ...[...document.querySelectorAll('iframe')]
    .map((f) => f.contentDocument).filter(Boolean)];
  const wins = [window, ...[...document.querySelectorAll('iframe')]
    .map((f) => f.contentWindow).filter(Boolean)];
  const all = (sel) => docs.flatMap((d) => [...d.querySelectorAll(sel)]);
  return {
    pwned: wins.some((w) => { try { return w.__pwned !== undefined; } catch (e) { return false; } }),
    images: all('img').filter((i) => i.getAttribute('src') === 'x').length,
    bold: all('b, strong').filter((b) => b.textContent.trim() === 'bold').length,
    jsLinks: all('a[href]').filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
    links: all('a').filter((a) => a.textContent.trim() === 'link').slice(0, 2).map((a) => a.outerHTML),
    scripts: all('script').filter((s) => s.textContent.includes('__pwned')).length,
  };
}"""


def _around(text: str, literal: str) -> str:
    """What the page shows where `literal` should be (found by its first word)."""
    at = text.find(literal.split()[0][:12])
    return text[max(0, at - 20) : at + len(literal) + 20] if at >= 0 else "(not found)"


_EVIL_LINKS = """() => {
  const docs = [document, ...[...document.querySelectorAll('iframe')]
    .map((f) => f.contentDocument).filter(Boolean)];
  return docs.flatMap((d) => [...d.querySelectorAll('a')])
    .filter((a) => /evil/i.test((a.getAttribute('href') || '') + ' ' + a.textContent))
    .map((a) => a.outerHTML.slice(0, 200));
}"""

# (page, the literal texts that page shows), walked in this order
PAGES_SHOWING = (
    ("Overview", ("provider", "area")),
    ("Delivery insights", ("insight", "addresses")),
    ("Plans and local provision", ("plan", "organisation", "addresses")),
    ("Vacancies and job entries", ("provider",)),
    ("About this tool", ("provider",)),
)


def _folded(text: str) -> str:
    """Text with white space and word joiners left out: a long name may be wrapped over lines of
    a chart label (SVG tspans, which innerText joins with no space between them), and a web
    address is shown with word joiners in it so that nothing turns it into a link."""
    return "".join(text.replace("\u2060", "").split())


@pytest.mark.parametrize("mode", MODES)
def test_markup_and_web_addresses_in_the_dataset_stay_text(
    hostile, sealed: Sealed, mode: str
) -> None:
    """One walk per mode: the app opened on the Overview with a web address as the area in its
    URL, then each page that shows the dataset's free text reached by its link; every page is
    checked before the test fails."""
    server, organisation = hostile
    page = sealed.page
    open_app(
        page, server, query=f"la={URL_AREA}" + ("&mode=presenter" if mode == "presenter" else "")
    )
    expected = {
        "provider": [PROVIDER],
        "area": [AREA],
        "insight": list(PAYLOADS),
        "plan": list(PAYLOADS),
        "organisation": [organisation],
        "addresses": [TEXT_URLS],
    }
    clean = {"pwned": False, "images": 0, "bold": 0, "jsLinks": 0, "links": [], "scripts": 0}
    problems = []
    for title, shows in PAGES_SHOWING:
        if title != "Overview":
            go_to_page(page, title)
        injected = page.evaluate(_INJECTED)
        if injected != clean:
            problems.append(f"markup from the dataset became part of {title}: {injected}")
        links = page.evaluate(_EVIL_LINKS)
        if links:
            problems.append(f"a web address became a link on {title}: {links}")
        text = page.evaluate("() => document.body.innerText")
        folded = _folded(text)
        missing = [
            literal for key in shows for literal in expected[key] if _folded(literal) not in folded
        ]
        if missing:
            near = {m: _around(text, m) for m in missing}
            problems.append(f"not shown as literal text on {title}: {near}")
        if title == "Overview":
            if "The link asked for an area, which has no participants" not in text:
                problems.append("the Overview does not say the link's area has no participants")
            if "evil.example/x" in text.replace("\u2060", ""):
                problems.append("the URL's value is repeated on screen")
    assert not sealed.dialogs, f"a dialog opened: {sealed.dialogs}"
    assert not problems, f"{mode} mode:\n" + "\n".join(problems)
    sealed.assert_clean()
