"""The viewer's selection: an LA or the whole area, a period key and the mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["presenter", "standard"]
MODES: tuple[Mode, ...] = ("standard", "presenter")

WHOLE_AREA = "all"


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: an LA code or `WHOLE_AREA`, a period key, and the mode."""

    la: str = WHOLE_AREA
    period: str = "whole"
    mode: Mode = "standard"

    @property
    def is_whole_area(self) -> bool:
        return self.la == WHOLE_AREA
