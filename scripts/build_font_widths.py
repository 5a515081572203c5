"""Write insight/outputs/font_widths.py: the advance width of each printable ASCII character in
Source Sans 3 (the app's typeface, as Streamlit ships it) at regular (400) and bold (700), in
thousandths of an em. Map labels are sized from it (insight.outputs.labels), so a label's box is
the box the browser draws. Run again when Streamlit's Source Sans changes:

    .venv/bin/python scripts/build_font_widths.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import streamlit
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

MEDIA = Path(streamlit.__file__).parent / "static" / "static" / "media"
OUT = Path(__file__).resolve().parents[1] / "insight" / "outputs" / "font_widths.py"
CHARS = "".join(chr(c) for c in range(32, 127))


def widths(weight: int) -> dict[str, int]:
    source = next(MEDIA.glob("SourceSansVF-Upright*.woff2"))
    font = instantiateVariableFont(TTFont(source), {"wght": weight})
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    scale = 1000 / font["head"].unitsPerEm
    return {c: round(metrics[cmap[ord(c)]][0] * scale) for c in CHARS if ord(c) in cmap}


def main() -> int:
    lines = [
        '"""Advance widths of Source Sans 3 (thousandths of an em), written by',
        "scripts/build_font_widths.py from the font Streamlit ships: do not edit by hand.",
        '"""',
        "",
    ]
    for name, weight in (("REGULAR", 400), ("BOLD", 700)):
        lines.append(f"{name}: dict[str, int] = {{")
        lines.extend(f"    {json.dumps(c)}: {w}," for c, w in widths(weight).items())
        lines.append("}")
    OUT.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
