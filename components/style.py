"""CSS for the two modes. Presenter mode: larger type and spacing for a projector, the caveat
pinned on screen (sticky on the banner's wrapper: a sticky element stays within its parent).
Colours keep WCAG 2.2 AA contrast (text #0B0C0C on white, links #12436D)."""

from __future__ import annotations

import streamlit as st

from insight.core.selection import Mode

_COMMON = """
.st-key-caveat_banner {
  border-left: 6px solid #12436D;
  background: #F3F2F1;
  padding: 0.6rem 1rem 0.6rem 1rem;
  margin-bottom: 0.5rem;
  gap: 0.3rem;
}
/* Streamlit pulls a markdown block up by 1rem to offset its paragraphs' 1rem margin; with the
   banner's tighter paragraphs that pull made its lines overlap. */
.st-key-caveat_banner [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-caveat_banner p { margin-bottom: 0.2rem; color: #0B0C0C; }
/* Streamlit draws captions at 60% opacity, about 3.6:1 on white; WCAG 2.2 AA wants 4.5:1. */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #505A5F !important; }
/* Keyboard users must see where they are, on a projector too (WCAG 2.4.7, 2.4.13). */
[data-testid="stTopNavLink"]:focus-visible,
[data-testid="stTopNavSection"]:focus-visible,
[data-testid="stTopNavDropdownLink"]:focus-visible {
  outline: 3px solid #12436D !important;
  outline-offset: 2px;
}
/* The date input's day and month fields are under 24 px wide: WCAG 2.2 target size (2.5.8). */
[data-testid="stDateInputField"] [role="spinbutton"] {
  display: inline-block;
  min-width: 24px;
  min-height: 24px;
  line-height: 24px;
  text-align: center;
}
/* With the top navigation Streamlit pads the page by 8rem, leaving an empty band of about 70 px
   between the navigation (3.75rem) and the caveat banner: keep 1rem of it. */
.stMain [data-testid="stMainBlockContainer"] { padding-top: calc(3.75rem + 1rem); }
/* Headline cards on one row share the row's height (the tallest label sets it). */
[data-testid="stColumn"]:has([class*="st-key-card_"]) > [data-testid="stVerticalBlock"],
[data-testid="stColumn"] [data-testid="stLayoutWrapper"]:has(> [class*="st-key-card_"]),
[data-testid="stColumn"] [class*="st-key-card_"] { height: 100%; }
/* .stMain p.: Streamlit's own markdown paragraph rule outranked the bare class, and the share
   came out at body size in standard mode. */
.stMain p.ri-card-label { font-size: 0.95rem; margin-bottom: 0.1rem !important; }
.stMain p.ri-card-value { font-size: 2.2rem; font-weight: 700; color: #12436D; line-height: 1.1; }
"""

_PRESENTER = """
[data-testid="stLayoutWrapper"]:has(> .st-key-caveat_banner) {
  position: sticky;
  top: 3.75rem;
  z-index: 990;
}
.st-key-caveat_banner { box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2); }
.stMain .st-key-caveat_banner [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; line-height: 1.35; }
.stMain [data-testid="stMarkdownContainer"] p,
.stMain [data-testid="stMarkdownContainer"] li,
.stMain [data-testid="stCaptionContainer"],
.stMain [data-testid="stAlertContentInfo"] p {
  font-size: 1.35rem;
  line-height: 1.5;
}
.stMain h1 { font-size: 2.8rem; }
.stMain h2 { font-size: 2.1rem; }
.stMain h3 { font-size: 1.7rem; }
.stMain p.ri-card-label { font-size: 1.3rem; }
.stMain p.ri-card-value { font-size: 3.2rem; line-height: 1.1; }
.stMain [data-testid="stTable"] td, .stMain [data-testid="stTable"] th { font-size: 1.25rem; }
.stMain .block-container, .stMain [data-testid="stMainBlockContainer"] {
  padding-left: 3rem; padding-right: 3rem;
}
.stMain [data-testid="stVerticalBlock"] { gap: 1.4rem; }
.stMain [data-testid="stVerticalBlock"].st-key-caveat_banner { gap: 0.4rem; }
.stSidebar [data-testid="stMarkdownContainer"] p, .stSidebar label p { font-size: 1.1rem; }
"""


def apply(mode: Mode) -> None:
    css = _COMMON + (_PRESENTER if mode == "presenter" else "")
    st.html(f"<style>{css}</style>")


# Slides (components.slides): no navigation, sidebar or toolbar; the slide is one column the
# height of the window, its chart taking whatever the heading, caveat strip and controls leave.
_SLIDES = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.stMain .block-container, .stMain [data-testid="stMainBlockContainer"] {
  padding: 0.6rem 2rem 0.4rem 2rem !important; max-width: none;
}
.stMain [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.stMain .st-key-slide {
  flex: 0 0 auto !important; height: calc(100vh - 1.7rem) !important; gap: 0.45rem !important;
  overflow: hidden;
}
.st-key-slide > [data-testid="stLayoutWrapper"]:has(> .st-key-slide_body) {
  flex: 1 1 0 !important; min-height: 0;
}
.stMain .st-key-slide_body { height: 100% !important; min-height: 0; }
.st-key-slide_chart { flex: 1 1 0 !important; min-height: 0; }
.ri-slide-head { line-height: 1.2; }
.ri-slide-head .ri-slide-kicker { margin: 0; font-size: 1.05rem; color: #505A5F; }
.ri-slide-head h1.ri-slide-area {
  margin: 0; padding: 0; font-size: 2.6rem; line-height: 1.15; color: #0B0C0C; font-weight: 700;
}
.ri-slide-head h2.ri-slide-headline {
  margin: 0.15rem 0 0 0; padding: 0; font-size: 1.6rem; line-height: 1.25; color: #12436D;
  font-weight: 700;
}
.ri-slide-head .ri-slide-subtitle { margin: 0.1rem 0 0 0; font-size: 1.05rem; color: #3D3D3D; }
.ri-slide-head .ri-slide-caution {
  margin: 0.2rem 0 0 0; font-size: 1.05rem; font-weight: 700; color: #0B0C0C;
  border-left: 6px solid #F46A25; padding-left: 0.5rem;
}
.ri-slide-caveat {
  border-left: 6px solid #12436D; background: #F3F2F1; padding: 0.3rem 0.8rem;
}
.ri-slide-caveat p { margin: 0; font-size: 0.9rem; line-height: 1.3; color: #0B0C0C; }
.ri-slide-counter { margin: 0 0.5rem; font-size: 1.15rem; font-weight: 700; color: #0B0C0C; }
.st-key-slide .stMain [data-testid="stMarkdownContainer"] p { font-size: 1.2rem; }
"""


def slides() -> None:
    """The slide layout's CSS (after apply(): it narrows presenter mode's spacing)."""
    st.html(f"<style>{_SLIDES}</style>")
