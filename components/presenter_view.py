"""The presenter view (`&view=presenter`): what the presenter sees on the laptop while the room
sees the slide. The current and next slides (small), the speaker notes in large type (the
presenter's own first, then the default notes of insight.outputs.notes), the slide list to jump
to any slide, a clock and the time since the meeting started, the blank-screen control and the
"let others drive" switch. It moves the same presentation as the audience window
(components.presenter) and follows it when the audience window is moved.

Only a person whose role may run meetings gets it: anyone else is told so and given nothing of
the notes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

import streamlit as st

from components import access, presenter, slides
from components.text import literal
from insight.numbers import catalogue
from insight.outputs import meetings, notes
from insight.service.view import PageView

# The current slide's chart or map: the slide's figure (meetings.SLIDE_SIZE px) scaled to its box's
# width (the box a CSS container, 100cqw its width); a browser without CSS typed arithmetic shows
# its left part unscaled. The next slide shows its headline only.
_W, _H = meetings.SLIDE_SIZE
THUMB_CSS = f"""
.st-key-pv_now_chart_scaled {{ container-type: inline-size; overflow: hidden; }}
.st-key-pv_now_chart_scaled [data-testid="stElementContainer"],
.st-key-pv_now_chart_scaled [data-testid="stPlotlyChart"] {{
  width: {_W}px !important; max-width: none !important; }}
.st-key-pv_now_chart_scaled [data-testid="stFullScreenFrame"],
.st-key-pv_now_chart_scaled [data-testid="stPlotlyChart"] {{
  height: {_H}px !important; min-height: {_H}px !important; flex: 0 0 auto !important; }}
.st-key-pv_now_chart_scaled [data-testid="stElementContainer"] {{
  height: calc(100cqw * {_H} / {_W}) !important; min-height: 0 !important;
  max-height: calc(100cqw * {_H} / {_W}) !important; flex: 0 0 auto !important;
  overflow: hidden !important; }}
@supports (scale: calc(100cqw / {_W}px)) {{
  .st-key-pv_now_chart_scaled .js-plotly-plot {{ scale: calc(100cqw / {_W}px);
    transform-origin: 0 0; }}
}}
"""

CSS = """
.stMain .st-key-presenter_view { gap: 0.5rem !important; }
.st-key-pv_bar { gap: 0.6rem !important; }
.ri-pv-clock { font-size: 1.6rem; font-weight: 700; color: #0B0C0C; margin: 0; }
.ri-pv-elapsed { font-size: 1.1rem; color: #3D3D3D; margin: 0; }
.ri-pv-label { margin: 0; font-size: 0.95rem; font-weight: 700; color: #505A5F;
  text-transform: uppercase; letter-spacing: 0.04em; }
.ri-pv-label.ri-pv-title { text-transform: none; letter-spacing: 0; color: #0B0C0C; }
.ri-pv-head h3 { margin: 0; font-size: 1.05rem; line-height: 1.25; color: #12436D; }
.ri-pv-head p { margin: 0; font-size: 0.9rem; color: #3D3D3D; }
.ri-pv-notes ul { margin: 0; padding-left: 1.3rem; }
.ri-pv-notes li { font-size: 1.45rem; line-height: 1.4; margin-bottom: 0.6rem; color: #0B0C0C; }
.ri-pv-notes li.ri-pv-own { font-weight: 700; }
.ri-pv-blanked { background: #0B0C0C; color: #fff; padding: 0.3rem 0.8rem; margin: 0;
  font-weight: 700; border-radius: 0.3rem; }
.st-key-pv_list button, .st-key-pv_list button > div, .st-key-pv_list button p {
  justify-content: flex-start !important; text-align: left !important; }
.st-key-pv_list button p { font-size: 0.95rem; }
"""


def _label(item: meetings.Item) -> str:
    try:
        return catalogue.entry(item.chart).label
    except ValueError:
        return "A slide this dataset cannot show"


def _thumbnail(view: PageView, slide: meetings.Slide, *, key: str, drawn: bool = False) -> None:
    """A slide, small: its area and headline and, when `drawn`, its chart or map (not
    interactive) as the room sees it, legend and labels included: the slide's own figure, drawn
    at the slide's size and scaled down to the box (CSS), never laid out again for a smaller box
    (where its legend was cut and a map's labels would collide)."""
    st.html(
        '<div class="ri-pv-head">'
        f"<p>{html.escape(slide.area)} · {html.escape(slide.period_label)}</p>"
        f"<h3>{html.escape(slide.headline)}</h3></div>"
    )
    if drawn and slide.table is not None and not slide.message:
        with st.container(key=f"{key}_scaled"):
            st.plotly_chart(
                slides.cached_figure(view, slide),
                key=key,
                width="content",
                height="content",
                theme=None,
                config={"staticPlot": True, "displayModeBar": False},
            )
    elif slide.kind == "map" and slide.table is not None and not slide.message:
        st.caption("A map of every LA in the area.")
    elif slide.cards is not None and len(slide.cards):
        st.caption(literal(" · ".join(str(t) for t in slide.cards["title"].head(3))))
    elif slide.message:
        st.caption(literal(slide.message))
    else:  # always a second line: every thumbnail has the same elements
        st.caption(literal(slide.subtitle or slide.section or " "))


def _notes(view: PageView, item: meetings.Item, slide: meetings.Slide) -> list[str]:
    """The presenter's own notes, then the default notes (with the LA beside its most similar
    LAs in the provider's area, each built like the slide: cached)."""
    codes = notes.similar_las(slide.la, view.la_codes)
    similar: list[meetings.Slide] = []
    if slide.kind == "chart" and slide.table is not None:
        similar = [
            view.slide(meetings.Item(item.chart, code, item.period), slide.number, slide.total)
            for code in codes
        ]
    return notes.presenter_notes(item.notes, slide, similar, similar_codes=codes)


def _elapsed_seconds(started_utc: str) -> int:
    if not started_utc:
        return 0
    return max(0, int((datetime.now(UTC) - datetime.fromisoformat(started_utc)).total_seconds()))


def draw(
    view: PageView, deck_id: str, items: Sequence[meetings.Item], *, title: str, meeting: str
) -> None:
    presenter.style()
    st.html(f"<style>{CSS}{THUMB_CSS}</style>")
    if not access.current().may("meetings"):
        st.title("Presenter view")
        st.info(
            "The presenter view is for the person giving the presentation. You can follow the "
            "slides in the audience window."
        )
        presenter.window_link(
            "Open the audience window", presenter.url(), css="", name="ri_audience"
        )
        return
    if not items:
        st.info("This meeting has no slides yet. Add charts to it from any page in standard mode.")
        return
    if st.session_state.get(slides.DECK) != deck_id:
        slides.warm(view, items)
    presenter.watch()
    _live(view, deck_id, items, title, meeting)
    slides.keys()


@presenter.slide_fragment
def _live(
    view: PageView, deck_id: str, items: Sequence[meetings.Item], title: str, meeting: str
) -> None:
    """Everything that changes with the slide: redrawn alone when the presentation moves."""
    where = slides.place(deck_id, meeting, len(items))
    with presenter.drawing(where):
        presenter.say_refused()
        index, total = where.index, where.total
        slide = view.slide(items[index], index + 1, total)
        with st.container(key="presenter_view"):
            _bar(where)
            # One line of controls, then the three columns fit a 1366 x 768 laptop screen whole.
            left, middle, right = st.columns([1.0, 1.9, 1.7], gap="medium")
            with left:
                st.html(f'<p class="ri-pv-label ri-pv-title">{html.escape(title)}</p>')
                presenter.window_link(
                    "Open the audience window", presenter.url(), css="", name="ri_audience"
                )
            with left.container(key="pv_list", height=520, border=False):
                for n, item in enumerate(items):
                    st.button(
                        f"{n + 1}. {literal(_label(item))}",
                        key=f"pv_go_{n}",
                        type="primary" if n == index else "secondary",
                        width="stretch",
                        on_click=presenter.go,
                        args=(where, n),
                    )
            with middle:
                st.html(
                    f'<p class="ri-pv-label">Now: slide {index + 1} of {total}</p>'
                    + ('<p class="ri-pv-blanked">The screen is blank</p>' if where.blank else "")
                )
                with st.container(key="pv_now", border=True):
                    _thumbnail(view, slide, key="pv_now_chart", drawn=True)
                # The same elements on every slide, the last included: a redraw never leaves
                # anything of the slide before behind (components.presenter.fresh says why).
                last = index + 1 >= total
                st.html(
                    '<p class="ri-pv-label">'
                    + ("This is the last slide" if last else "Next")
                    + "</p>"
                )
                with st.container(key="pv_next", border=True):
                    if last:
                        st.html('<div class="ri-pv-head"><h3>The end of the meeting</h3></div>')
                        st.caption("Thank the room, and say what happens next.")
                    else:
                        upcoming = view.slide(items[index + 1], index + 2, total)
                        _thumbnail(view, upcoming, key="pv_next_chart")
            with right.container(key="pv_notes", height=620, border=False):
                st.html('<p class="ri-pv-label">Speaker notes</p>')
                said = _notes(view, items[index], slide)
                own = 1 if items[index].notes.strip() else 0
                rows = "".join(
                    f'<li class="{"ri-pv-own" if n < own else ""}">{html.escape(line)}</li>'
                    for n, line in enumerate(said)
                )
                st.html(f'<div class="ri-pv-notes"><ul>{rows}</ul></div>')


def _bar(where: presenter.Place) -> None:
    """The clock, the time since the meeting started, the moves, the blank screen, who drives."""
    with st.container(key="pv_bar", horizontal=True, vertical_alignment="center"):
        st.html(
            '<p class="ri-pv-clock"><span class="ri-clock" aria-label="Time now">--:--</span></p>',
            width="content",
        )
        seconds = _elapsed_seconds(where.started_utc)
        st.html(
            '<p class="ri-pv-elapsed">Started <span class="ri-elapsed" '
            f'data-seconds="{seconds}">{seconds // 60:02d}:{seconds % 60:02d}</span> ago</p>',
            width="content",
        )
        st.button(
            "Previous",
            key=slides.PREV_KEY,
            icon=":material/arrow_back:",
            disabled=where.index == 0,
            on_click=presenter.go,
            args=(where,),
            kwargs={"step": -1},
            shortcut="PageUp",
        )
        st.html(
            f'<p class="ri-slide-counter" aria-live="polite">Slide {where.index + 1} of '
            f"{where.total}</p>",
            width="content",
        )
        st.button(
            "Next",
            key=slides.NEXT_KEY,
            icon=":material/arrow_forward:",
            disabled=where.index + 1 >= where.total,
            on_click=presenter.go,
            args=(where,),
            kwargs={"step": 1},
            shortcut="PageDown",
            type="primary",
        )
        st.button(
            "Show the slide (B)" if where.blank else "Blank (B)",
            key="pv_blank",
            icon=":material/visibility:" if where.blank else ":material/visibility_off:",
            on_click=presenter.go,
            args=(where,),
            kwargs={"toggle_blank": True},
        )
        if where.is_presenter:
            # Its value always comes from the store, never from a browser's copy that a busy
            # server may not have answered yet (set before the switch is drawn in this run).
            key = "pv_others_drive"
            st.session_state[key] = where.others_drive
            st.toggle(
                "Let others drive",
                key=key,
                on_change=presenter.let_others_drive,
                args=(where, key),
                help="Others following this presentation may move the slides too.",
            )
        slides.hidden_keys(where)


__all__ = ["draw"]
