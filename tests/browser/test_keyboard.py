"""A keyboard-only walk through the frame: Tab, Shift+Tab, Enter, Space and the arrow keys, never
the mouse. Every sidebar control and every page link can be reached, each shows where the focus
is, the area can be changed, another page opened, and presenter mode switched on."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    NAV_MENU_LINK,
    PAGES,
    STANDARD_ONLY,
    Sealed,
    current_page,
    nav_entries,
    nav_titles,
    open_app,
    rerun,
)

TAB_LIMIT = 120  # more than every focusable element of the frame and a page, fewer than a hang

# What has the focus: its kind, its name as a person hears it, and whether focusing it draws a
# visible indicator: an outline, a box-shadow ring or a border colour that appears on focus, on the
# element or on one of the few wrappers a widget draws its ring on (a select's border is on its
# parent). Found by comparing those styles focused and, for a moment, blurred (one frame later,
# as React restyles a widget from its state). A background tint alone does not count: the
# sidebar's 15% grey tint cannot be seen on a projector.
_FOCUSED = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body) return { kind: 'body', name: '', ring: false };
  const widget = el.closest('[data-testid="stSelectbox"], [data-testid="stButton"]');
  const label = widget && widget.querySelector('[data-testid="stWidgetLabel"]');
  const nav = el.closest('[data-testid="stTopNavLink"], [data-testid="stTopNavDropdownLink"]');
  let kind = el.tagName.toLowerCase();
  if (nav) kind = 'nav';
  else if (el.matches('[data-testid="stTopNavSection"]')) kind = 'section';
  else if (el.matches('[aria-label^="Help for"]')) kind = 'help';  // a widget's "?" tooltip
  else if (widget) kind = widget.getAttribute('data-testid');
  const name = (label ? label.innerText : el.innerText || el.getAttribute('aria-label') || '').trim();
  const chain = [];
  for (let n = el; n && n !== document.body && chain.length < 4; n = n.parentElement) chain.push(n);
  const look = () => chain.map((n) => {
    const s = getComputedStyle(n);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : '';
    return [outline, s.boxShadow, s.borderTopColor, s.borderBottomColor].join(' | ');
  });
  const onFocus = look();
  el.blur();
  await frame();  // a widget restyles itself from React state, committed by the next frame
  const onBlur = look();
  el.focus({ focusVisible: true });
  await frame();
  const ring = onFocus.some((v, i) => v !== onBlur[i]);
  return { kind, name, ring, inSidebar: !!el.closest('[data-testid="stSidebar"]') };
}"""


def focused(page) -> dict:
    return page.evaluate(_FOCUSED)


def tab_to(page, wanted, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until `wanted(focus)` holds; fail after TAB_LIMIT presses."""
    seen = []
    for _ in range(TAB_LIMIT):
        page.keyboard.press(key)
        focus = focused(page)
        if wanted(focus):
            return focus
        seen.append(f"{focus['kind']}:{focus['name'][:30]}")
    pytest.fail(f"{key} never reached the control; the focus went through {seen}")


def is_select(name: str):
    return lambda f: f["kind"] == "stSelectbox" and f["name"].startswith(name)


def walk_menu(page) -> list[dict]:
    """With the focus on a section's button: Enter opens its menu on the first page, the down
    arrow moves through the others, Escape closes it and gives the focus back to the button."""
    page.keyboard.press("Enter")
    page.locator(NAV_MENU_LINK).first.wait_for()
    seen = []
    for _ in range(page.locator(NAV_MENU_LINK).count()):
        seen.append(focused(page))
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.locator(NAV_MENU_LINK).first.wait_for(state="detached")
    return seen


def test_keyboard_reaches_every_control_and_shows_focus(sample_server, sealed: Sealed) -> None:
    page = sealed.page
    open_app(page, sample_server, path="about")
    page.locator("body").focus()
    sections = {name for kind, name in nav_entries(page) if kind == "section"}
    wanted = (
        {f"link {t}" for t in PAGES}
        | {f"section {name}" for name in sections}
        | {"Area", "Period", "mode switch"}
    )
    reached: dict[str, dict] = {}
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        focus = focused(page)
        if focus["kind"] == "nav":
            reached.setdefault(f"link {focus['name']}", focus)
        elif focus["kind"] == "section":
            reached.setdefault(f"section {focus['name']}", focus)
            for item in walk_menu(page):
                assert item["kind"] == "nav", f"{focus['name']}'s menu put the focus on {item}"
                reached.setdefault(f"link {item['name']}", item)
            assert focused(page)["name"] == focus["name"], "Escape did not return to the menu"
        elif focus["kind"] == "stSelectbox":
            reached.setdefault(focus["name"].split("\n")[0], focus)
        elif focus["kind"] == "stButton" and "presenter mode" in focus["name"].lower():
            reached.setdefault("mode switch", focus)
        if wanted <= reached.keys():
            break
    assert wanted <= reached.keys(), f"never reached by Tab: {sorted(wanted - reached.keys())}"
    unmarked = [name for name, focus in reached.items() if not focus["ring"]]
    assert not unmarked, f"focus is not visible on: {unmarked}"
    # Shift+Tab goes back the same way: from the mode switch back to the period filter.
    tab_to(page, lambda f: f["kind"] == "stButton" and "presenter" in f["name"].lower())
    assert tab_to(page, is_select("Period"), key="Shift+Tab")["ring"]
    sealed.assert_clean()


def test_keyboard_changes_area_opens_a_page_and_switches_mode(
    sample_server, sealed: Sealed
) -> None:
    page = sealed.page
    open_app(page, sample_server, path="about")
    page.locator("body").focus()

    # The area: open the list with the down arrow, move to the next option, choose it with Enter.
    tab_to(page, is_select("Area"))
    page.keyboard.press("ArrowDown")
    page.locator('[role="listbox"] [role="option"]').first.wait_for()
    page.keyboard.press("ArrowDown")
    rerun(page, lambda: page.keyboard.press("Enter"))
    assert "la=all" not in page.url and "la=E" in page.url, f"the area did not change: {page.url}"
    chosen = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert "whole area" not in chosen.inner_text()

    # Another page: its section's menu with Enter, the down arrow to the page, Enter.
    page.locator("body").focus()
    tab_to(page, lambda f: f["kind"] == "section" and f["name"] == "Participants")
    page.keyboard.press("Enter")
    page.locator(NAV_MENU_LINK).first.wait_for()
    for _ in range(page.locator(NAV_MENU_LINK).count()):
        if focused(page)["name"] == "Barriers":
            break
        page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "Barriers", "the down arrow never reached Barriers"
    rerun(page, lambda: page.keyboard.press("Enter"))
    assert current_page(page) == "Barriers"
    assert "la=E" in page.url, "the chosen area was lost on the way to another page"

    # Presenter mode, with Space on the switch: the standard-only pages leave the navigation.
    page.locator("body").focus()
    tab_to(page, lambda f: f["kind"] == "stButton" and "presenter" in f["name"].lower())
    rerun(page, lambda: page.keyboard.press("Space"))
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Presenter mode is on" in sidebar
    assert not set(STANDARD_ONLY) & set(nav_titles(page))
    sealed.assert_clean()
