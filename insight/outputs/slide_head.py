"""The slide heading's first line: the area's name large on the left, the section and period
("Where participants are · July 2024 to June 2026") on the right, on one line. Neither wraps: the
area's name shrinks until both fit; a name too long to fit beside it even at the smallest size
puts the section and period on their own line above it.

Sizes in rem of a 1280 x 720 slide (the slide scales with the window, components.style), widths
from Source Sans 3's own (insight.outputs.labels.text_width). This module never imports
streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

from insight.outputs.labels import text_width

HEAD_WIDTH = 1216.0  # px: the heading's width on a 1280 x 720 slide (meetings.SLIDE_SIZE)
REM = 16.0  # px a rem on a 1280 x 720 slide
AREA_REM = 2.75  # the area's name (bold), as components.style sets it
SMALLEST_AREA_REM = 1.75
KICKER_REM = 1.25  # the section and period (regular)
GAP_REM = 1.5  # between the two
STEP_REM = 0.05
SLACK = 1.04  # widths measured in the browser run a little over the font's own


@dataclass(frozen=True)
class HeadLine:
    area_rem: float  # the area's name's size
    stacked: bool  # the section and period on their own line above the name


def _width(text: str, rem: float, *, bold: bool = False) -> float:
    return text_width(text, rem * REM, bold=bold) * SLACK


def head_line(area: str, kicker: str) -> HeadLine:
    """The area's name's size so that it and the kicker fit on one line, never wrapping."""
    room = HEAD_WIDTH - (_width(kicker, KICKER_REM) + GAP_REM * REM if kicker else 0.0)
    size = AREA_REM
    while size >= SMALLEST_AREA_REM - 1e-9:
        if _width(area, size, bold=True) <= room:
            return HeadLine(round(size, 2), stacked=False)
        size -= STEP_REM
    size = AREA_REM  # alone on its line: the full width
    while size > SMALLEST_AREA_REM and _width(area, size, bold=True) > HEAD_WIDTH:
        size -= STEP_REM
    return HeadLine(round(max(size, SMALLEST_AREA_REM), 2), stacked=True)
