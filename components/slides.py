"""Draw a meeting as slides: one chart or map a slide, fitted to the window, the area's name large
at the top, the caveat in a strip at the foot, a counter, previous and next on screen and on a
presentation clicker's keys. This is the audience window: it never draws a speaker note (the
presenter view does, components.presenter_view), and it follows the presentation kept in the
store (components.presenter), so the presenter view or another machine can move it.

Keys: Next and Previous carry Streamlit's own shortcuts (PageDown, PageUp); a small script in
the page (nothing fetched from anywhere) clicks the same buttons for the arrow keys and Space,
Home and End (first and last slide), and B or . (blank the screen and back). A key typed into
a form never moves the slide.
Slides are always in presenter mode: their tables carry no count, base or total.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Sequence
from datetime import date

import streamlit as st

from components import access, forms, presenter
from components.cache import Memo
from components.text import literal
from insight.core.dates import long_date
from insight.core.selection import Selection
from insight.numbers import catalogue
from insight.outputs import meetings
from insight.outputs.map_figure import slide_map, unlabelled
from insight.outputs.mapdata import map_data
from insight.outputs.slide_head import head_line
from insight.service.view import PageView
from insight.sharing import store
from insight.sharing.access import NotAllowed, Principal, may_change

INDEX = "slide_index"  # session_state: 0-based place in the deck
DECK = "slide_deck"  # session_state: which deck INDEX belongs to
NEXT_KEY = "slide_next"
PREV_KEY = "slide_prev"
# A slide is laid out for a 1280 x 720 window and scaled with the window (components.style): its
# heading always takes the same room, so a chart or map is drawn at the size of the slide's chart
# area at 1280 x 720 (meetings.SLIDE_SIZE, measured in Chromium; tests/browser/test_slides.py
# checks its share of the area) and scaled by the same factor as the type.
MAP_SIZE = meetings.SLIDE_SIZE
MAP_CLASSES = 5  # colour classes a slide's map may use (its legend has room for five)

# --- slide figures, cached per process (the tables: components.context.cached_build) -----------
_FIGURES: Memo[object] = Memo("slide figures", 256)


def cached_figure(view: PageView, slide: meetings.Slide, role: str | None = None):
    """The slide's figure (meetings.slide_figure), made once per table and shared: building and
    validating it was most of a slide's server time. Never changed after it is made. Keyed by
    the dataset's content, the slide's selection (its mode included) and the role (`role`, or
    this script run's person's), as every cache of components.cache."""
    assert slide.table is not None
    role = access.current().role if role is None else role
    key = (view.fingerprint, slide.chart, slide.selection, slide.kind, role, "figure")

    def make():  # noqa: ANN202 - a plotly figure
        assert slide.table is not None
        if slide.kind == "map":
            chosen = None if slide.la == "all" else slide.la
            data = map_data(slide.table, view.la_codes, chosen, most=MAP_CLASSES)
            return slide_map(data, *MAP_SIZE)
        return meetings.slide_figure(slide.table, view.meta, slide.selection)

    return _FIGURES.make(key, make)


def warm(view: PageView, items: Sequence[meetings.Item]) -> None:
    """Build every slide's table in a background thread, so the next slide is drawn without
    waiting for it. Errors are left for the slide itself to report."""

    role = access.current().role  # read here: the thread runs outside the script run

    def run() -> None:
        for item in items:
            try:
                slide = view.slide(item, 1, 1)
                if slide.table is not None and not slide.message:
                    cached_figure(view, slide, role)
            except Exception:  # noqa: BLE001, S112 - the slide shows its own message when drawn
                continue

    threading.Thread(target=run, name="slides-warm", daemon=True).start()


# --- the deck --------------------------------------------------------------------------------
def place(deck_id: str, meeting: str, total: int) -> presenter.Place:
    """This window's place in the deck (components.presenter.resolve), the deck remembered so
    that a newly opened one warms its tables and starts at the link's slide."""
    fresh = st.session_state.get(DECK) != deck_id
    st.session_state[DECK] = deck_id
    found = presenter.resolve(meeting, total, fresh)
    if presenter.param("slide") != str(found.index + 1):
        st.query_params["slide"] = str(found.index + 1)  # a reload opens the same slide
    return found


def deck(
    view: PageView, deck_id: str, items: Sequence[meetings.Item], *, title: str, meeting: str
) -> None:
    """Draw this window's slide of the deck (the audience window), with its controls, its keys
    and the fragment that keeps it on the presentation's slide."""
    presenter.style()
    if not items:
        st.info("This meeting has no slides yet. Add charts to it from any page in standard mode.")
        return
    if st.session_state.get(DECK) != deck_id:
        warm(view, items)
    presenter.watch()
    _live(view, deck_id, items, meeting)
    keys()


@presenter.slide_fragment
def _live(view: PageView, deck_id: str, items: Sequence[meetings.Item], meeting: str) -> None:
    """The slide itself: redrawn alone when the presentation moves (components.presenter)."""
    where = place(deck_id, meeting, len(items))
    with presenter.drawing(where):
        presenter.say_refused()
        if where.blank:  # nothing of the slide is drawn: no screenshot can catch it
            presenter.blank_screen()
            hidden_keys(where, moves=True)
            return
        slide = view.slide(items[where.index], where.index + 1, len(items))
        with st.container(key="slide"):
            _head(slide)
            with st.container(key="slide_body"), presenter.fresh(where, "slide_content"):
                _body(view, slide)
            _caveat(view, slide)
            _controls(slide, where)


def _head(slide: meetings.Slide) -> None:
    kicker = " · ".join(p for p in (slide.section, slide.period_label) if p)
    line = head_line(slide.area, kicker)  # one line, never wrapped: the name shrinks to fit
    stacked = " ri-slide-kicker-stacked" if line.stacked else ""
    parts = [
        f'<p class="ri-slide-kicker{stacked}">{html.escape(kicker)}</p>',
        f'<h1 class="ri-slide-area" style="font-size: {line.area_rem}rem">'
        f"{html.escape(slide.area)}</h1>",
        f'<h2 class="ri-slide-headline">{html.escape(slide.headline)}</h2>',
    ]
    # The small-base rule's marker (plain words, never the base) opens the subtitle's line.
    caution = (
        f'<span class="ri-slide-caution" role="note">{html.escape(slide.caution)}</span>'
        if slide.caution
        else ""
    )
    if slide.subtitle or caution:
        parts.append(f'<p class="ri-slide-subtitle">{caution}{html.escape(slide.subtitle)}</p>')
    st.html(f'<div class="ri-slide-head">{"".join(parts)}</div>')


def _body(view: PageView, slide: meetings.Slide) -> None:
    if slide.kind == "ask":
        _ask(slide)
        return
    if slide.message:
        st.info(literal(slide.message))
        return
    if slide.cards is not None:
        _cards(slide)
        return
    if slide.context is not None:
        _context(slide)
        return
    assert slide.table is not None
    # Drawn at the chart area's size at 1280 x 720 and scaled with the window (components.style):
    # Streamlit sizes a stretched chart by its box on screen, scale included, so each has a size.
    with st.container(key="slide_scaled"):
        if slide.kind == "map":  # SVG shapes (map_figure.slide_map): scaled as crisply as a chart
            fig = cached_figure(view, slide)
            alt = slide.table.alt_text or slide.headline
            st.plotly_chart(
                fig,
                key="slide_map",
                width="content",
                height="content",
                theme=None,
                config={"displayModeBar": False, "scrollZoom": False, "doubleClick": False},
                alt=" ".join(p for p in (alt, unlabelled(fig)) if p),  # LAs named in words
            )
            return
        st.plotly_chart(  # meetings.SLIDE_SIZE: the chart area at 1280 x 720
            cached_figure(view, slide),
            key="slide_chart",
            width="content",
            height="content",
            theme=None,
            config={"displayModeBar": False, "displaylogo": False},
            alt=slide.table.alt_text or slide.headline,
        )


def _context(slide: meetings.Slide) -> None:
    """Official statistics as a table in slide type: one row an indicator, the area first (bold),
    then what it stands beside, then the period. Labels as the source gives them."""
    frame = slide.context
    assert frame is not None
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{html.escape(str(v))}</th>'
            if i == 0
            else f"<td>{'<strong>' if i == 1 else ''}{html.escape(str(v))}"
            f"{'</strong>' if i == 1 else ''}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    st.html(
        f'<table class="ri-slide-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _cards(slide: meetings.Slide) -> None:
    frame = slide.cards
    assert frame is not None
    columns = st.columns(max(1, len(frame)))
    for column, row in zip(columns, frame.itertuples(index=False), strict=False):
        with column.container(border=True):
            st.markdown(f"**{literal(row.title)}**")
            text = str(row.text)
            st.markdown(literal(text if len(text) <= 280 else text[:277].rstrip() + "..."))
            facts = " · ".join(str(v) for v in (row.category, row.recommendation) if str(v).strip())
            if facts:
                st.caption(literal(facts))


def _ask(slide: meetings.Slide) -> None:
    prompts = [catalogue.PROMPTS[s] for s in ("Barriers", "Labour market", "What works")]
    st.markdown("\n".join(f"- {literal(p)}" for p in prompts))
    me = access.current()
    if not me.may("insights"):  # a viewer reads what was recorded, records nothing
        _recorded_today(slide)
        return
    with st.popover("Record what partners say", icon=":material/edit_note:"):
        # Emptied only once saved, and no max_chars (the box would drop a longer paste): a
        # refused insight stays in the boxes to be mended (components.forms).
        with st.form("slide_insight"):
            st.text_input("Organisation", key="slide_insight_org")
            st.selectbox("Theme", store.THEMES, key="slide_insight_theme")
            st.text_area("What they shared", key="slide_insight_text")

            def save() -> None:
                store.add_insight(
                    organisation=st.session_state.get("slide_insight_org", ""),
                    la=slide.la,
                    theme=st.session_state["slide_insight_theme"],
                    text=st.session_state.get("slide_insight_text", ""),
                    shared_on=date.today(),
                    by=me,
                )

            forms.submit(
                "Save insight",
                "slide_insight",
                ["slide_insight_org", "slide_insight_text"],
                save,
                type="primary",
            )
        done = forms.outcome("slide_insight")
        if done and done[0] == "saved":
            st.success("Saved with the stakeholder insights.")
        elif done:
            st.error(f"Not saved: {literal(str(done[1]).rstrip('.'))}.")
    _recorded_today(slide)


def _recorded_today(slide: meetings.Slide) -> None:
    today = [
        i
        for i in store.list_insights(la=slide.la, include_whole_area=False)
        if i.shared_on == date.today().isoformat()
    ]
    if today:
        st.caption("Recorded in this meeting:")
        for item in today[:3]:
            st.text(f"{item.organisation}: {item.text[:160]}")


def _caveat(view: PageView, slide: meetings.Slide) -> None:
    caveat, rest = meetings.caveat_text(slide.table, view.meta, slide.source)
    st.html(
        '<div class="ri-slide-caveat" role="note">'
        f"<p><strong>{html.escape(caveat)}</strong></p>"
        f"<p>{html.escape(rest)}</p></div>"
    )


def _controls(slide: meetings.Slide, where: presenter.Place) -> None:
    """Previous, the counter, Next, the presenter view and End; First, Last and Blank are there
    for the keys only (hidden)."""
    total = slide.total
    with st.container(key="slide_controls", horizontal=True, vertical_alignment="center"):
        st.button(
            "Previous",
            key=PREV_KEY,
            icon=":material/arrow_back:",
            disabled=slide.number == 1,
            on_click=presenter.go,
            args=(where,),
            kwargs={"step": -1},
            shortcut="PageUp",
        )
        st.html(
            f'<p class="ri-slide-counter" aria-live="polite">Slide {slide.counter}</p>',
            width="content",
        )
        st.button(
            "Next",
            key=NEXT_KEY,
            icon=":material/arrow_forward:",
            disabled=slide.number == total,
            on_click=presenter.go,
            args=(where,),
            kwargs={"step": 1},
            shortcut="PageDown",
            type="primary",
        )
        if access.current().may("meetings"):
            presenter.window_link(
                "Open presenter view",
                presenter.url("presenter"),
                css="ri-open-presenter",
                name="ri_presenter_view",
            )
        st.button("End slides", key="slide_end", icon=":material/close:", on_click=end)
        hidden_keys(where)


def hidden_keys(where: presenter.Place, *, moves: bool = False) -> None:
    """First, Last and Blank: buttons for the keys (Home, End, B and .), hidden on the slide
    (the presenter view shows its own). Previous and Next too with `moves` (a blank screen,
    where no other control is drawn)."""
    st.button("First slide", key="slide_first", on_click=presenter.go, args=(where, 0))
    st.button("Last slide", key="slide_last", on_click=presenter.go, args=(where, where.total - 1))
    st.button(
        "Blank the screen",
        key="slide_blank_key",
        on_click=presenter.go,
        args=(where,),
        kwargs={"toggle_blank": True},
    )
    if moves:
        with st.container(key="slide_blank_moves"):
            st.button(
                "Previous", key=PREV_KEY, on_click=presenter.go, args=(where,), kwargs={"step": -1}
            )
            st.button(
                "Next", key=NEXT_KEY, on_click=presenter.go, args=(where,), kwargs={"step": 1}
            )


def end() -> None:
    """Leave the slides (a button callback): the meeting goes from the URL and the session."""
    for name in ("meeting", "slide", presenter.VIEW_PARAM, presenter.PRESENTER_PARAM):
        st.query_params.pop(name, None)
    st.session_state.pop(DECK, None)
    st.session_state.pop(INDEX, None)
    st.rerun()  # the whole page, not only the slide's fragment the button is drawn in


_KEYS_JS = """
<script>
(() => {
  if (window.__riSlideKeys) return;
  window.__riSlideKeys = true;
  // Typing: a text box, never a switch or a tick box (the presenter view's "Let others drive").
  const typing = (el) => !!el && (el.isContentEditable || ['TEXTAREA', 'SELECT'].includes(el.tagName)
    || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(el.type))
    || !!el.closest('[role="dialog"]'));
  const press = (which) => {
    const button = document.querySelector(`.st-key-${which} button`);
    if (!button) return false;  // not on a slide
    if (!button.disabled) button.click();
    return true;
  };
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    let which = null;
    if (['ArrowRight', 'ArrowDown'].includes(event.key)) which = 'slide_next';
    else if (['ArrowLeft', 'ArrowUp'].includes(event.key)) which = 'slide_prev';
    else if (event.key === 'Home') which = 'slide_first';
    else if (event.key === 'End') which = 'slide_last';
    else if (['b', 'B', '.'].includes(event.key)) which = 'slide_blank_key';
    else if (event.key === ' ' && !(event.target && event.target.closest('button, a'))) {
      which = event.shiftKey ? 'slide_prev' : 'slide_next';
    }
    if (which && press(which)) event.preventDefault();
  }, true);
  document.addEventListener('click', (event) => {
    if (event.target.closest && event.target.closest('.ri-blank')) {
      press('slide_blank_key');
      return;
    }
    const present = event.target.closest && event.target.closest('.st-key-present_area a');
    const view = present && document.querySelector('.ri-present-view');
    if (view) {  // the slides open here, the presenter view in a window of its own
      window.open(view.dataset.href, 'ri_presenter_view', 'popup,width=1366,height=768');
      return;
    }
    const link = event.target.closest && event.target.closest('a[data-window]');
    if (!link) return;
    const opened = window.open(link.href, link.dataset.window, 'popup,width=1366,height=768');
    if (opened) event.preventDefault();  // else the link opens a tab as it would anyway
  }, true);
  // The watcher (components.presenter) asks for the slide's redraw with a marker of a new
  // number: clicking the slide fragment's hidden button reruns that fragment alone.
  // Every two seconds it also says the number of the slide's last drawing: a browser that
  // shows another one at two reminders in a row (a drawing it missed) asks for the slide again.
  let asked = null, behind = null, synced = 0;
  const follow = () => {
    const ask = document.querySelector('.ri-follow[data-ask]');
    const sync = document.querySelector('.st-key-slide_sync button');
    if (!ask || !sync) return;
    const now = Date.now();
    if (ask.dataset.ask !== asked) {
      const first = asked === null;
      asked = ask.dataset.ask;
      if (!first || asked !== '0') { synced = now; sync.click(); return; }
    }
    const drawn = document.querySelector('.ri-drawn[data-drawn]');
    if (drawn && drawn.dataset.drawn === ask.dataset.drawn) { behind = null; return; }
    if (behind === null) behind = now;
    if (now - behind > 1000 && now - synced > 2000) { synced = now; sync.click(); }
  };
  // The presenter view's slide list shows the current slide (scrolled to it when it changes,
  // never against the presenter's own scrolling in between).
  let listed = null;
  const reveal = () => {
    const current = document.querySelector('.st-key-pv_list [data-testid="stBaseButton-primary"]');
    const box = current && current.closest('[class*="st-key-pv_go_"]');
    const which = box && [...box.classList].find((c) => c.startsWith('st-key-pv_go_'));
    if (!which || which === listed) return;
    listed = which;
    current.scrollIntoView({ block: 'nearest' });
  };
  new MutationObserver(() => { follow(); reveal(); })
    .observe(document.body, { childList: true, subtree: true });
  setInterval(follow, 250);
  setInterval(() => {  // the presenter view's clock and the time since the meeting started
    const two = (n) => String(n).padStart(2, '0');
    const now = new Date();
    for (const el of document.querySelectorAll('.ri-clock')) {
      el.textContent = `${two(now.getHours())}:${two(now.getMinutes())}`;
    }
    for (const el of document.querySelectorAll('.ri-elapsed[data-seconds]')) {
      if (el.__riFrom === undefined) el.__riFrom = Date.now() - 1e3 * Number(el.dataset.seconds);
      const s = Math.max(0, Math.floor((Date.now() - el.__riFrom) / 1e3));
      const h = Math.floor(s / 3600);
      el.textContent = (h ? `${h}:` : '') + `${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
    }
  }, 1e3);
})();
</script>
"""


def keys() -> None:
    """Arrow keys and Space click Next and Previous (PageDown and PageUp are the buttons' own
    shortcuts), Home and End the first and last slide, B and . the blank screen; a window link
    opens its own window; the presenter view's clock ticks. Installed once per browser tab; does
    nothing on a page without slides."""
    st.html(_KEYS_JS, unsafe_allow_javascript=True)


# --- "Add to meeting" under each chart (standard mode) ------------------------------------------
NEW_MEETING = 0  # the choice "a new meeting"


# The meetings a person may add a chart to, for the menu under every chart: read once per person
# every MEETINGS_RECHECK_S seconds, not once per chart per rerun (a page of five charts opened
# the store five times a rerun). A meeting made in this process is listed at once; one made by
# another process within the recheck time.
_MEETINGS: Memo[list[store.Meeting]] = Memo("meetings menu", 64)
MEETINGS_RECHECK_S = 2.0


def _changeable_meetings(me: Principal) -> list[store.Meeting]:
    key = (str(store.db_path()), me, int(time.monotonic() // MEETINGS_RECHECK_S))
    return _MEETINGS.make(
        key, lambda: [m for m in store.list_meetings(by=me) if may_change(me, m.owner)]
    )


def add_to_meeting(table_key: str, sel: Selection, *, key: str, as_map: bool = False) -> None:
    """A small menu under a chart: add it, with the area and period on screen, to a meeting's
    running order (a saved one this person may change, or a new one named after today, theirs).
    Nothing for a role without meetings."""
    chart = catalogue.addable(table_key, as_map=as_map)
    me = access.current()
    if chart is None or not me.may("meetings"):
        return
    with st.popover("Add to meeting", icon=":material/playlist_add:"):
        saved = _changeable_meetings(me)
        names = {m.id: f"{m.name} ({long_date(m.held_on)})" for m in saved}
        choice = st.selectbox(
            "Meeting",
            [*names, NEW_MEETING],
            format_func=lambda i: names.get(i, "A new meeting"),
            key=f"meeting_pick_{key}",
        )
        if st.button("Add this chart", key=f"meeting_add_{key}", type="primary"):
            try:
                meeting_id = choice
                if choice == NEW_MEETING:
                    meeting_id = store.create_meeting(
                        f"Partnership meeting, {long_date(date.today())}", date.today(), by=me
                    ).id
                added = store.add_meeting_item(
                    int(meeting_id), chart=chart, la=sel.la, period=sel.period, by=me
                )
                _MEETINGS.clear()
            except (ValueError, NotAllowed) as problem:
                st.error(f"Not added: {literal(str(problem).rstrip('.'))}.")
                return
            if added is None:
                st.warning("That meeting was deleted meanwhile: choose another.")
            else:
                name = store.get_meeting(int(meeting_id))
                st.success(
                    f"Added as slide {added.position + 1} of "
                    f"{literal(name.name if name else 'the meeting')}."
                )


__all__ = ["add_to_meeting", "deck", "end", "hidden_keys", "keys", "place", "warm"]
