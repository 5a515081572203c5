"""Chart images (Kaleido, driving the system Chromium): the caveat, source, area, period and mode
stamped at each image's foot.

`kaleido_session()` keeps ONE browser open for everything rendered inside it (a whole pack),
with MathJax off, so nothing is fetched from the network."""

from __future__ import annotations

import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import plotly.graph_objects as go

from insight.core.caveat import CAVEAT, SYNTHETIC_MARKER
from insight.core.dataset import Meta
from insight.core.dates import long_date
from insight.core.periods import period_label
from insight.core.selection import Selection
from insight.outputs.figures import PRINT_MIN_PX, PRINT_WIDTH, footnote
from insight.outputs.names import area_label, mode_label

NO_CHROMIUM = (
    "Chart images need Chromium (or Chrome), and none was found on this machine. Install it "
    "(Debian: apt-get install chromium) or set BROWSER_PATH to its executable."
)
STAMP_NAME = "insight-stamp"
PNG_WIDTH, PNG_HEIGHT = 1200, 640
# Pack images: drawn PRINT_WIDTH px wide (180 mm at 96 px to the inch, so 12 px prints at 9 pt)
# and rendered at PRINT_SCALE, about 190 dots to the inch on paper.
PRINT_SCALE = 2


class NoChromium(RuntimeError):
    def __init__(self) -> None:
        super().__init__(NO_CHROMIUM)


def chromium_path() -> str | None:
    """BROWSER_PATH if it names an executable, else Chromium or Chrome on PATH, else None."""
    configured = os.environ.get("BROWSER_PATH")
    candidates: list[str | None] = [configured] if configured else []
    candidates += [
        shutil.which(name)
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    ]
    candidates.append("/usr/bin/chromium")
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_kaleido_lock = threading.RLock()
_kaleido_depth = 0


@contextmanager
def kaleido_session() -> Iterator[None]:
    """One Kaleido browser for everything rendered inside (nested sessions share it).

    Kaleido's sync server is one per process and not safe for two callers at once, so a lock
    serialises sessions: a second pack waits for the first.
    """
    global _kaleido_depth
    path = chromium_path()
    if path is None:
        raise NoChromium()
    import kaleido

    with _kaleido_lock:
        if _kaleido_depth == 0:
            kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
        _kaleido_depth += 1
        try:
            yield
        finally:
            _kaleido_depth -= 1
            if _kaleido_depth == 0:
                kaleido.stop_sync_server(silence_warnings=True)


def stamp_lines(
    meta: Meta, sel: Selection, *, with_caveat: bool = True, wrap: int = 150
) -> list[str]:
    """Plain-text lines stamped inside every exported image: the caveat (unless the figure
    already carries it), then source, area, period, mode and extract date."""
    lines = textwrap.wrap(CAVEAT, wrap) if with_caveat else []
    opening = f"Source: {meta.provider_name} management information" if with_caveat else "Export"
    source = (
        f"{opening} · {area_label(meta, sel)} · {period_label(meta, sel.period)} · "
        f"{mode_label(sel).split(':')[0]} · extracted {long_date(meta.extract_date)}"
    )
    lines += textwrap.wrap(source, wrap)
    if meta.synthetic and with_caveat:
        lines.append(SYNTHETIC_MARKER)
    return lines


def _carries_caveat(fig: go.Figure) -> bool:
    opening = CAVEAT[:60]
    return any(opening in (a.text or "") for a in fig.layout.annotations if a.name != STAMP_NAME)


def stamp(
    fig: go.Figure, meta: Meta, sel: Selection, *, size: int = 11, wrap: int = 150
) -> go.Figure:
    """A copy of the figure with the caveat, source, LA, period and mode stamped at its foot.

    The caveat is added unless the figure's own footer already carries it. Dataset text is
    HTML-escaped, so plotly shows markup in a provider or area name as text.
    Stamping a stamped figure replaces the stamp rather than adding a second.
    """
    out = go.Figure(fig)
    kept = [a for a in out.layout.annotations if a.name != STAMP_NAME]
    margin_b = out.layout.margin.b if out.layout.margin.b is not None else 80
    lines = stamp_lines(meta, sel, with_caveat=not _carries_caveat(out), wrap=wrap)
    annotation = footnote(lines, yshift=-(margin_b - 4), size=size, name=STAMP_NAME)
    line_px = int(size * 1.45)
    out.update_layout(
        annotations=[*kept, annotation],
        margin={"b": margin_b + line_px * len(lines) + 8},
        height=(out.layout.height or PNG_HEIGHT) + line_px * len(lines) + 8,
    )
    return out


def figure_png(
    fig: go.Figure,
    meta: Meta,
    sel: Selection,
    *,
    width: int = PNG_WIDTH,
    scale: int = 1,
    stamp_size: int = 11,
    stamp_wrap: int = 150,
) -> bytes:
    """PNG bytes of the stamped figure. Uses the open Kaleido session, or opens one for this."""
    stamped = stamp(fig, meta, sel, size=stamp_size, wrap=stamp_wrap)
    import kaleido

    opts = {"format": "png", "width": width, "height": stamped.layout.height, "scale": scale}
    with kaleido_session():
        return kaleido.calc_fig_sync(stamped, opts=opts)


def print_png(fig: go.Figure, meta: Meta, sel: Selection) -> bytes:
    """A pack image: PRINT_WIDTH px wide (180 mm at 96 px to the inch) at PRINT_SCALE, its
    stamp at PRINT_MIN_PX (9 pt printed)."""
    return figure_png(
        fig,
        meta,
        sel,
        width=PRINT_WIDTH,
        scale=PRINT_SCALE,
        stamp_size=PRINT_MIN_PX,
        stamp_wrap=100,
    )
