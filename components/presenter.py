"""Two windows, one meeting: the audience window (the ordinary slides URL, on the projector) and
the presenter view (`&view=presenter`, on the laptop), kept on the same slide through the store
(insight.sharing.live), never through the browser: they may be two tabs, two machines signed in
as the same person, or reach two app processes.

Each window draws its slide in a fragment (`slide_fragment`, st.fragment with a key) that resolves its
`Place` every run: whose presentation it shows (its own person's, the one the link names with
`presenter=`, or for a viewer the meeting's latest), on which slide, blanked or not. A move (a
button, a clicker key, a click on the slide list) writes the store and reruns that fragment
only. Every window also runs a small fragment every POLL_S seconds (`watch`), drawing nothing:
it asks insight.sharing.live.watch (the process's last look at the store, at most SEEN_FOR old)
whether the presentation moved past the version this window shows, and only then reruns the
page (see `follow_step`). A viewer with nobody presenting moves through the slides on their own
(the session).

The presenter view holds what the room must not see: the notes, the next slide, the clock. The
audience window never draws a note, so no screenshot of it can catch one.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import streamlit as st

from components import access
from components.controls import query_param
from insight.sharing import live
from insight.sharing.access import NotAllowed

POLL_S = 0.25  # seconds between a window's looks at the presentation (live.watch)
INDEX = "slide_index"  # session_state: the place of a window moving on its own (components.slides)
BLANK = "slide_blank_private"  # session_state: its blank screen
REFUSED = "slide_refused"  # session_state: why the last move was refused, shown once
SHOWN = "slide_shown"  # session_state: what the slide's fragment drew (watch compares)
LIVE = "slide_live"  # the key of the fragment that draws this window's slide
ASKED = "slide_asked"  # session_state: (what was shown, when) a redraw was asked for
# Seconds before a rerun asked for and not yet drawn is asked for again. The watcher's own runs
# wait while the page's script runs (Streamlit never lets a fragment's automatic rerun cut a
# whole run short), so a watcher that runs this long after its ask and finds the same drawing
# knows the ask was lost (a run cut short before the slide, or never started): asking again at
# once is safe, and a lost ask costs a window 0.6 s, not the 2 s it did.
ASK_AGAIN_S = 0.6
SYNC_KEY = "slide_sync"  # the slide fragment's hidden button the browser clicks to redraw it
ASKS = "slide_asks"  # session_state: how many redraws this window has asked of its browser
DRAWS = "slide_draws"  # session_state: how many times the slide's fragment has drawn the slide
TOLD = "slide_told"  # session_state: when the watcher last told the page's script the drawing
TELL_S = 2.0  # seconds between the watcher's reminders of the last drawing's number
# A safety net: however the presentation stands, a window redraws its slide at least this often.
# Under heavy load a browser was seen keeping an old slide while the server had drawn the new one
# (a fragment run reported cut short); the server cannot see that, so it redraws anyway. Not
# often: a whole-page rerun in flight when a key is pressed can swallow the key (at 8 s the
# browser tests' key presses were lost in the whole suite), so 30 s.
REDRAW_S = 30.0
REDRAWN = "slide_redrawn"  # session_state: when the slide's fragment was last asked to redraw
FLIP = "slide_flip"  # session_state: what the slide's fragment drew last, and which way round
VIEW_PARAM = "view"
PRESENTER_PARAM = "presenter"


@dataclass(frozen=True)
class Place:
    """Where this window is in the deck, and whose presentation it follows."""

    meeting: str  # the live key (insight.sharing.live.meeting_key)
    presenter: str | None  # None: nobody is presenting, the window moves on its own
    index: int  # 0-based
    total: int
    blank: bool
    version: int
    driving: bool  # may this session move the presentation
    is_presenter: bool  # is this session the presenter (notes, let others drive)
    others_drive: bool
    started_utc: str = ""
    named: str | None = None  # the presenter the link names (`presenter=`), if any
    follows_latest: bool = False  # a viewer following whoever moved the meeting's slides last


def param(name: str, default: str = "") -> str:
    """The link's `name` parameter (its last value), else `default` (controls.query_param)."""
    value = query_param(name)
    return default if value is None else value


def is_presenter_view() -> bool:
    return param(VIEW_PARAM) == "presenter"


def _wanted_slide(total: int) -> int:
    wanted = param("slide", "1")
    index = int(wanted) - 1 if wanted.isdigit() else 0
    return max(0, min(total - 1, index))


def resolve(meeting: str, total: int, fresh: bool) -> Place:
    """This window's place. `fresh`: the deck was just opened in this session (the link's
    `slide` then starts a presentation that is not already running)."""
    me = access.current()
    named = param(PRESENTER_PARAM).strip() or None
    target = named
    state = None
    if target is None and me.may("meetings"):
        target = me.user
    if target is not None:
        # The process's shared look (live.watch), not a query of each window's own: twenty
        # followers redrawn on one move read the store once. A move made in this process is in
        # it at once; the watcher that asked for this redraw saw the same look or an older one.
        state = live.watch(meeting, target)
        if live.is_presenter(me, target) and (state is None or state.stale()):
            state = live.start(meeting, me, slide=_wanted_slide(total), total=total)
        elif state is not None and fresh and "slide" in st.query_params:
            # A link naming a slide opens that slide (a reload keeps the place it wrote).
            wanted = _wanted_slide(total)
            if wanted != state.slide and live.may_drive(me, state):
                state = live.move(meeting, target, me, total=total, to=wanted) or state
    else:
        state = live.watch(meeting, None)
    if state is None:  # nobody to follow: this window moves on its own
        if fresh or INDEX not in st.session_state:
            st.session_state[INDEX] = _wanted_slide(total)
        index = max(0, min(total - 1, int(st.session_state.get(INDEX, 0))))
        st.session_state[INDEX] = index
        return Place(
            meeting,
            None,
            index,
            total,
            bool(st.session_state.get(BLANK, False)),
            0,
            driving=True,
            is_presenter=False,
            others_drive=False,
            named=named,
        )
    return Place(
        meeting,
        state.presenter,
        max(0, min(total - 1, state.slide)),
        total,
        state.blank,
        state.version,
        driving=live.may_drive(me, state),
        is_presenter=live.is_presenter(me, state.presenter),
        others_drive=state.others_drive,
        started_utc=state.started_utc,
        named=named,
        follows_latest=target is None,
    )


def go(place: Place, to: int | None = None, step: int = 0, toggle_blank: bool = False) -> None:
    """A move (a button's callback): through the store when someone presents, else this
    session's own place. A refused move is said once, and changes nothing. Every move is made
    absolute from the place the button was drawn on (Next on slide 3 goes to slide 4; Blank on a
    shown slide blanks it), so a click delivered twice, or after another window moved, never
    moves two slides or blanks and unblanks."""
    target = max(0, min(place.total - 1, (place.index if to is None else to) + step))
    blank = (not place.blank) if toggle_blank else None
    if place.presenter is None:
        if blank is not None:
            st.session_state[BLANK] = blank
            return
        st.session_state[INDEX] = target
        st.session_state[BLANK] = False
        return
    try:
        live.move(
            place.meeting,
            place.presenter,
            access.current(),
            total=place.total,
            to=None if blank is not None else target,
            blank=blank,
        )
    except NotAllowed as problem:
        st.session_state[REFUSED] = str(problem)


def let_others_drive(place: Place, key: str) -> None:
    """The toggle's callback."""
    assert place.presenter is not None
    try:
        live.let_others_drive(
            place.meeting, place.presenter, access.current(), bool(st.session_state.get(key))
        )
    except NotAllowed as problem:
        st.session_state[REFUSED] = str(problem)


def say_refused() -> None:
    problem = st.session_state.pop(REFUSED, None)
    if problem:
        st.toast(problem, icon=":material/block:")


F = TypeVar("F", bound=Callable[..., Any])


def slide_fragment(function: F) -> F:
    """The fragment that draws this window's slide (the audience window's, or the presenter
    view): `watch` reruns it, and only it, when the presentation moves; a button in it reruns it
    alone too. It resolves its place itself (`shown` then records it), since a rerun asked for by
    `watch` calls it with the arguments of the page's last full run."""
    return st.fragment(key=LIVE)(function)


@contextmanager
def drawing(place: Place) -> Iterator[None]:
    """Around everything the slide's fragment draws: first its hidden button the browser clicks
    to redraw it (`sync_button`); last, once all of it is drawn, what it drew is recorded for
    `watch` to compare with the store (a run cut short or failing part-way records nothing, so
    the watcher asks again), with a hidden marker of this drawing's number, which the page's
    script compares with the number the watcher last said (a browser that missed a drawing asks
    for it again)."""
    sync_button()
    yield
    draws = int(st.session_state.get(DRAWS, 0)) + 1
    st.session_state[DRAWS] = draws
    st.session_state.pop(ASKED, None)  # the redraw asked for (if any) is answered
    st.session_state[SHOWN] = (
        place.meeting,
        place.presenter,
        place.named,
        place.version,
        place.follows_latest,
    )
    st.html(f'<span class="ri-drawn" data-drawn="{draws}" hidden></span>')


@contextmanager
def fresh(place: Place, key: str) -> Iterator[None]:
    """What changes shape from slide to slide (the audience window's chart, map, cards or
    questions) is drawn inside this (a container with `key`), beside a hidden marker that
    changes sides whenever the slide does: a new slide's content is always drawn in a new block,
    never in the last one's. When Streamlit reports a fragment's run as cut short (another
    fragment's run started before the first was sent), the browser keeps whatever that run did
    not redraw, and nothing of the last slide may stay on the projector that way. The rest (the
    heading, the caveat, the buttons, the presenter view) has the same elements on every slide,
    so it is redrawn in place and a key pressed during a redraw always finds its button."""
    drawn = (place.meeting, place.presenter, place.index, place.blank)
    last, flipped = st.session_state.get(FLIP, (None, False))
    if drawn != last:
        flipped = not flipped
    st.session_state[FLIP] = (drawn, flipped)
    if flipped:
        _marker()
    with st.container(key=key):
        yield
    if not flipped:
        _marker()


def _marker() -> None:
    st.html('<span class="ri-flip" hidden></span>')


def _moved() -> bool:
    """Whether the presentation this window shows has moved past what it drew (or, for a window
    on its own, whether the presentation it waits for has started: the one its link names, else
    any of the meeting's). One look at insight.sharing.live.watch: usually no query at all."""
    seen = st.session_state.get(SHOWN)
    if not seen:
        return False
    meeting, presenter, named, version, follows_latest = seen
    if presenter is None:
        return live.watch(meeting, named) is not None
    if follows_latest:
        now = live.watch(meeting, None)
        return now is not None and (now.presenter, now.version) != (presenter, version)
    now = live.watch(meeting, presenter)
    return now is not None and now.version != version


def sync_button() -> None:
    """The slide fragment's hidden button: a click on a widget in a fragment reruns that fragment
    alone (Streamlit's own behaviour), so when the watcher says the presentation moved, the
    page's script (components.slides.keys) clicks it. Hidden (CSS): the keys never reach it."""
    st.button("Redraw the slide", key=SYNC_KEY)


def _tell(ask: bool, now: float) -> None:
    """What the watcher tells the page's script: with `ask`, a new request number (redraw the
    slide's fragment now: the script clicks `sync_button`); and, then or every TELL_S seconds,
    the number of the slide's last drawing (a browser showing another one has missed it). In
    between a look draws nothing: a look is what twenty followers do eighty times a second."""
    if not ask and now - float(st.session_state.get(TOLD, 0.0)) < TELL_S:
        return
    st.session_state[TOLD] = now
    asks = int(st.session_state.get(ASKS, 0)) + (1 if ask else 0)
    st.session_state[ASKS] = asks
    draws = int(st.session_state.get(DRAWS, 0))
    st.html(f'<span class="ri-follow" data-ask="{asks}" data-drawn="{draws}" hidden></span>')


@st.fragment(run_every=POLL_S)
def _watch() -> None:
    """Every POLL_S seconds: has the presentation moved? Then the slide's fragment redraws,
    once (`follow_step` says how)."""
    now = time.monotonic()
    shown_now = st.session_state.get(SHOWN)
    asked = st.session_state.get(ASKED)
    step = follow_step(
        moved=_moved(),
        shown=shown_now,
        asked=asked,
        redrawn=st.session_state.setdefault(REDRAWN, now),
        now=now,
    )
    if step is None:
        _tell(ask=False, now=now)
        return
    st.session_state[ASKED] = (shown_now, now)
    st.session_state[REDRAWN] = now
    if step == "page":
        st.rerun()
    _tell(ask=True, now=now)


def follow_step(
    *,
    moved: bool,
    shown: object,
    asked: tuple[object, float] | None,
    redrawn: float,
    now: float,
) -> str | None:
    """What the watcher does now: None (nothing), "fragment" (ask the browser to redraw the
    slide's fragment) or "page" (rerun the whole page).

    The presentation moved: the whole page reruns, unless that was asked for this same drawing
    less than ASK_AGAIN_S ago (then it may still be on its way). (A move answered by the slide's fragment alone, asked of the
    browser, cost a quarter of the server's time with 20 followers, but in the whole suite on two
    busy cores a window then missed a viewer's move for longer than a second: 1 of 5 presenter
    view tests failed in a fresh-clone run. The whole page is what reliably reaches the browser.)
    Moved or not, a window on a slide (`shown`) that has not redrawn for REDRAW_S asks for its
    fragment again: a browser that kept an old slide catches up without a whole-page rerun that
    could swallow a key press."""
    if moved:
        if asked is not None and asked[0] == shown and now - asked[1] < ASK_AGAIN_S:
            return None
        return "page"
    if shown is not None and now - redrawn >= REDRAW_S:
        return "fragment"
    return None


def watch() -> None:
    """Keep this window on the presentation's slide without a click in it: call it before the
    slide's fragment (a full run cut short still leaves the watcher)."""
    with st.container(key="slide_follow"):
        _watch()


def url(view: str | None = None) -> str:
    """This page's link (the slides page with its query), as the audience window or the
    presenter view (`view="presenter"`): relative, so it works behind any address."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in (VIEW_PARAM,)}
    params.pop("slide", None)
    if view:
        params[VIEW_PARAM] = view
    return "slides?" + urlencode(params)


def window_link(label: str, href: str, *, css: str, name: str) -> None:
    """A link that opens `href` in its own named window (the keys script opens it as a popup
    window; without scripts it opens a tab)."""
    st.html(
        f'<a class="ri-window-link {css}" href="{html.escape(href)}" target="{name}" '
        f'rel="noopener" data-window="{name}">{html.escape(label)}</a>',
        width="content",
    )


def present_with_view(query: dict[str, str]) -> None:
    """Beside a link that opens the slides in this window: the presenter view's address, which
    the keys script opens in a window of its own when that link is clicked (the same click)."""
    st.html(
        f'<span class="ri-present-view" data-href="slides?{html.escape(urlencode(query))}" '
        "hidden></span>",
        width="content",
    )


def blank_screen() -> None:
    """The projector shows nothing: a black window over everything, no slide drawn beneath it.
    A click on it, B or . brings the slide back."""
    st.html(
        '<div class="ri-blank" role="button" tabindex="0" '
        'aria-label="Screen blanked: press B or click to show the slide"></div>'
    )


CSS = """
.ri-blank { position: fixed; inset: 0; background: #000; z-index: 100000; cursor: pointer; }
/* The follower draws nothing: out of the flow, so it adds no gap under the slide. */
[data-testid="stLayoutWrapper"]:has(> .st-key-slide_follow),
[data-testid="stElementContainer"]:has(.st-key-slide_follow), .st-key-slide_follow,
[data-testid="stElementContainer"]:has(.ri-flip),
[data-testid="stElementContainer"]:has(.ri-drawn) {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; opacity: 0;
  pointer-events: none; }
.st-key-slide_first, .st-key-slide_last, .st-key-slide_blank_key, .st-key-slide_blank_moves,
[data-testid="stElementContainer"]:has(.st-key-slide_sync), .st-key-slide_sync {
  display: none !important; }
a.ri-window-link { display: inline-block; padding: 0.35rem 0.75rem; border: 1px solid #505A5F;
  border-radius: 0.5rem; color: #12436D; text-decoration: none; font-size: 1rem; line-height: 1.6;
  background: #fff; white-space: nowrap; }
a.ri-window-link:hover { background: #F3F2F1; }
a.ri-window-link:focus-visible { outline: 3px solid #12436D; outline-offset: 2px; }
"""


def style() -> None:
    st.html(f"<style>{CSS}</style>")


__all__ = [
    "POLL_S",
    "SYNC_KEY",
    "Place",
    "blank_screen",
    "follow_step",
    "fresh",
    "go",
    "is_presenter_view",
    "let_others_drive",
    "param",
    "present_with_view",
    "resolve",
    "say_refused",
    "drawing",
    "slide_fragment",
    "style",
    "sync_button",
    "url",
    "watch",
    "window_link",
]
