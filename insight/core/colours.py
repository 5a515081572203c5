"""The Analysis Function's colour palettes, read from its own `afcharts` package (MIT), not copied
by hand: the categorical palette in order, the focus pair, and the sequential ramp. DESIGN.md
names them; figures, maps and the place charts take their colours from here."""

from __future__ import annotations

from afcharts.af_colours import get_af_colours

CATEGORICAL: tuple[str, ...] = tuple(get_af_colours("categorical"))
_FOCUS: tuple[str, ...] = tuple(get_af_colours("focus"))
_SEQUENTIAL_DARK_FIRST: tuple[str, ...] = tuple(get_af_colours("sequential"))

HIGHLIGHT, CONTEXT_GREY = _FOCUS  # the chosen item, and everything else
DARK_GREY = CATEGORICAL[4]
ORANGE = CATEGORICAL[3]
# Maps: light to dark for low to high, the three middle shades of the five (the darkest is too
# close to black for a label on it, the lightest too close to white for a boundary).
SEQUENTIAL: tuple[str, ...] = tuple(reversed(_SEQUENTIAL_DARK_FIRST[1:4]))
# Maps on a slide, up to five classes: all five shades, light to dark (their labels sit on white).
SEQUENTIAL_FIVE: tuple[str, ...] = tuple(reversed(_SEQUENTIAL_DARK_FIRST))
