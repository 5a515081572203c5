"""Where each LA's name goes on a map, worked out in pixels at the size the map is drawn: every
label on its LA's point when that is clear, else on a short leader line, so that no two labels
overlap, no label sits on another's leader or covers another LA's point, and no two leaders
cross. A label with no such room anywhere on the map is left off (`None`) and the map names it in
words below (the caller's duty: its footer, legend or table, and its text alternative).

One placement for every map engine: the slide and print maps (insight.outputs.map_figure), the
presenter map (components.maps_plotly) and the folium map (components.maps_folium) all call
`place`, so the rule is tested here once. Label sizes come from the app's own typeface's widths
(`text_width`, Source Sans 3), so a box is the box the browser draws.

This module never imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from insight.outputs.font_widths import BOLD, REGULAR

Box = tuple[float, float, float, float]  # left, top, right, bottom, px from the map's top left
Point = tuple[float, float]

LABEL_GAP = 4.0  # px kept clear between two labels, and between a label and a leader
POINT_CLEARANCE = 3.0  # px a label keeps clear of another LA's point
# A leader's length (px, from the point to the label's nearest edge): short first, then longer.
LEADER_LENGTHS = (
    10.0,
    18.0,
    28.0,
    40.0,
    54.0,
    70.0,
    90.0,
    115.0,
    145.0,
    180.0,
    220.0,
    270.0,
    330.0,
    400.0,
)
_AVERAGE = 520  # thousandths of an em, for a character the table does not hold


def text_width(text: str, font_px: float, *, bold: bool = False) -> float:
    """The width (px) of `text` in Source Sans 3 at `font_px`, regular or bold."""
    table = BOLD if bold else REGULAR
    return sum(table.get(c, _AVERAGE) for c in text) * font_px / 1000


def label_size(
    name: str, label: str, font_px: float, pad: float = 3.0, lines: int = 2
) -> tuple[float, float]:
    """Width and height (px) of an LA's label, its value in bold: two lines, its name over its
    value ("Sandwell" over "13%"), or one ("Sandwell 13%"); lines at 1.25 of the type size, `pad`
    px round it."""
    value = text_width(label, font_px, bold=True)
    if lines == 1:
        return text_width(f"{name} ", font_px) + value + 2 * pad, font_px * 1.25 + 2 * pad
    return max(text_width(name, font_px), value) + 2 * pad, 2 * font_px * 1.25 + 2 * pad


@dataclass(frozen=True)
class Label:
    """A label to place: its LA's point (px from the map's top left) and its size (px) as two
    lines; `one_line`, its size as one line ("Sandwell 8%"), tried where two lines find no room
    (None: two lines only)."""

    x: float
    y: float
    width: float
    height: float
    one_line: tuple[float, float] | None = None

    @property
    def shapes(self) -> tuple[tuple[float, float], ...]:
        two = (self.width, self.height)
        return (two,) if self.one_line is None else (two, self.one_line)


@dataclass(frozen=True)
class Placed:
    """A placed label: the offset of its centre from its point (px; (0, 0) is on the point, any
    other a leader line) and the box it covers."""

    dx: float
    dy: float
    box: Box
    lines: int = 2  # the label's lines: 2 (name over value) or 1 (name and value on one line)

    @property
    def has_leader(self) -> bool:
        return bool(self.dx or self.dy)


def leader(point: Point, placed: Placed) -> tuple[Point, Point] | None:
    """The leader line from the point to the nearest edge of its label's box on the way to its
    centre (as plotly draws an annotation's arrow), or None for a label on its point."""
    if not placed.has_leader:
        return None
    x0, y0 = point
    cx, cy = x0 + placed.dx, y0 + placed.dy
    hw = (placed.box[2] - placed.box[0]) / 2
    hh = (placed.box[3] - placed.box[1]) / 2
    dist = math.hypot(placed.dx, placed.dy)
    ux, uy = placed.dx / dist, placed.dy / dist
    inside = min(hw / abs(ux) if ux else math.inf, hh / abs(uy) if uy else math.inf)
    return (x0, y0), (cx - ux * inside, cy - uy * inside)


def overlaps(a: Box, b: Box, gap: float = LABEL_GAP) -> bool:
    """Whether two boxes come closer than `gap` px."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def segment_hits_box(p: Point, q: Point, box: Box, pad: float = 0.0) -> bool:
    """Whether the segment p-q passes through `box` grown by `pad` px (Liang-Barsky clipping)."""
    left, top, right, bottom = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    if max(p[0], q[0]) < left or min(p[0], q[0]) > right:  # quick: the boxes are apart
        return False
    if max(p[1], q[1]) < top or min(p[1], q[1]) > bottom:
        return False
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, p[0] - left),
        (dx, right - p[0]),
        (-dy, p[1] - top),
        (dy, bottom - p[1]),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def segments_cross(a: tuple[Point, Point], b: tuple[Point, Point]) -> bool:
    """Whether two segments touch or cross."""

    def turn(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    def on(p: Point, q: Point, r: Point) -> bool:
        return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(
            p[1], q[1]
        )

    (p1, p2), (p3, p4) = a, b
    d1, d2 = turn(p3, p4, p1), turn(p3, p4, p2)
    d3, d4 = turn(p1, p2, p3), turn(p1, p2, p4)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and on(p3, p4, p1))
        or (d2 == 0 and on(p3, p4, p2))
        or (d3 == 0 and on(p1, p2, p3))
        or (d4 == 0 and on(p1, p2, p4))
    )


def _contains(box: Box, point: Point, pad: float) -> bool:
    return box[0] - pad <= point[0] <= box[2] + pad and box[1] - pad <= point[1] <= box[3] + pad


# Directions round a point, in degrees clockwise from "right" on screen (y runs down): the four
# sides first, then the diagonals, then every 15 degrees between.
TURN_PX = 60.0  # px of leader length a radian of turn from `outward` is worth
ANGLES = tuple(sorted(range(0, 360, 15), key=lambda a: (a % 90 != 0, a % 45 != 0, a)))


def _on_point(label: Label) -> list[tuple[float, float, int]]:
    """The label on its own point: two lines, then one."""
    return [(0.0, 0.0, shape) for shape in range(len(label.shapes))]


def _leader_candidates(label: Label, outward: float | None) -> list[tuple[float, float, int]]:
    """The label on a leader, the shortest first, two lines before one. With `outward`
    (radians: away from the neighbouring points), a leader's turn from it counts as TURN_PX px
    of length a radian, so a cluster's labels fan out; without, at each length the sides come
    before the diagonals."""
    return list(_leader_offsets(label.shapes, outward))


@lru_cache(maxsize=1024)
def _leader_offsets(
    shapes: tuple[tuple[float, float], ...], outward: float | None
) -> tuple[tuple[float, float, int], ...]:
    """_leader_candidates for a label of these shapes, worked out once: a label of the same text
    whose neighbours lie the same way (another selection of the same area and period) has the
    same candidates."""
    turns = None if outward is None else [_turn(math.radians(a), outward) for a in ANGLES]
    scored = []
    for rank, length in enumerate(LEADER_LENGTHS):
        for shape, (w, h) in enumerate(shapes):
            for n, (dx, dy) in enumerate(_around(w, h, length)):
                if turns is None:
                    score = (float(rank), shape, n)
                else:
                    score = (length + TURN_PX * turns[n], shape, n)
                scored.append((score, (dx, dy, shape)))
    scored.sort(key=lambda item: item[0])
    return tuple(candidate for _, candidate in scored)


def _turn(a: float, b: float) -> float:
    """The angle (radians, 0 to pi) between two directions."""
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


def _outward(points: Sequence[Point], i: int, reach: float) -> float | None:
    """The direction (radians) away from the points within `reach` px of point i, the nearer
    counting more; None when none is that near."""
    x, y = points[i]
    push_x = push_y = 0.0
    for j, (ox, oy) in enumerate(points):
        d2 = (x - ox) ** 2 + (y - oy) ** 2
        if j != i and 0 < d2 < reach * reach:
            push_x += (x - ox) / d2
            push_y += (y - oy) / d2
    if push_x == 0 and push_y == 0:
        return None
    return math.atan2(push_y, push_x)


@lru_cache(maxsize=4096)
def _around(width: float, height: float, length: float) -> tuple[tuple[float, float], ...]:
    """The centres (offsets from the point) of a width x height box whose nearest edge is
    `length` px from the point, one a direction of ANGLES."""
    out = []
    for angle in ANGLES:
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        inside = min(
            width / 2 / abs(ux) if abs(ux) > 1e-9 else math.inf,
            height / 2 / abs(uy) if abs(uy) > 1e-9 else math.inf,
        )
        out.append((round(ux * (length + inside), 2), round(uy * (length + inside), 2)))
    return tuple(out)


ROUNDS = 10  # reorderings tried when a label finds no room


def place(
    labels: Sequence[Label],
    width: float,
    height: float,
    *,
    order: Sequence[int] | None = None,
    taken: Sequence[Box] = (),
) -> list[Placed | None]:
    """Place each label (in `order`, the most wanted first; default as given) inside a map of
    width x height px, clear of the `taken` boxes (a legend drawn over the map), keeping every
    rule of the module's docstring; a label with no room anywhere is None.

    Greedy, then mended: each label in turn takes its own point if clear, else the spot with the
    shortest leader (`_Board.greedy`). When some find no room, they are moved to the front and
    it is tried again (a few rounds, each also with every label first trying its point before
    any takes a leader), and a label still left off may swap its room with one label placed
    near it when both then fit (`_Board.swap`); the layout naming the most LAs, the most wanted
    first, with the shortest leaders, is kept."""
    first = list(range(len(labels))) if order is None else list(order)
    points = [(label.x, label.y) for label in labels]
    # What does not change as labels are placed (inside the map, clear of the taken boxes and of
    # every other LA's point, leader included) is checked once a candidate, when first tried.
    spots = [
        _Spots(labels, i, _outward(points, i, 3 * label.height), width, height, taken)
        for i, label in enumerate(labels)
    ]
    best: list[Placed | None] = [None] * len(labels)
    tried: set[tuple[tuple[int, ...], bool]] = set()
    queue = [(first, True), (first, False)]
    while queue and len(tried) < ROUNDS:
        current, points_first = queue.pop(0)
        if (tuple(current), points_first) in tried:
            continue
        tried.add((tuple(current), points_first))
        board = _Board(labels, spots, width, height, taken)
        board.greedy(current, points_first)
        result = list(board.placed)
        if len(tried) == 1 or _cost(result, first) < _cost(best, first):
            best = result
        missing = [i for i in current if result[i] is None]
        if not missing:
            return best
        again = missing + [i for i in current if result[i] is not None]
        queue.extend([(again, points_first), (again, not points_first)])
    board = _Board(labels, spots, width, height, taken)
    for i, spot in enumerate(best):
        if spot is not None:
            board.take(i, spot)
    board.swap(first)
    return list(board.placed)


def _cost(result: Sequence[Placed | None], order: Sequence[int]) -> tuple[bool, int, int, float]:
    """The most wanted label (the first in `order`) placed, then the fewest labels left off, the
    least wanted of them, then the shortest leaders in all."""
    missing = [rank for rank, i in enumerate(order) if result[i] is None]
    length = sum(math.hypot(s.dx, s.dy) for s in result if s is not None)
    return 0 in missing, len(missing), -sum(missing), length


def _clear_of_the_map(
    labels: Sequence[Label],
    i: int,
    dx: float,
    dy: float,
    shape: int,
    width: float,
    height: float,
    taken: Sequence[Box],
    others: Sequence[Point],
) -> bool:
    """Whether label i at this offset and shape lies inside the map, clear of the taken boxes,
    its box and its leader clear of every other LA's point (`others`)."""
    label = labels[i]
    w, h = label.shapes[shape]
    cx, cy = label.x + dx, label.y + dy
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
        return False
    if any(overlaps(box, other) for other in taken):
        return False
    # _contains(box, point, POINT_CLEARANCE) for each point, written out (tens of thousands of
    # candidates a map, a dozen points each)
    left, top = box[0] - POINT_CLEARANCE, box[1] - POINT_CLEARANCE
    right, bottom = box[2] + POINT_CLEARANCE, box[3] + POINT_CLEARANCE
    if any(left <= x <= right and top <= y <= bottom for x, y in others):
        return False
    line = leader((label.x, label.y), Placed(dx, dy, box))
    if line is None:
        return True
    if any(segment_hits_box(*line, other, LABEL_GAP / 2) for other in taken):
        return False
    # _on_segment(line, point, 2.0) for each point, its quick test (the point beyond the
    # segment's bounding box) made here first
    (x0, y0), (x1, y1) = line
    tolerance = 2.0
    low_x, high_x = min(x0, x1) - tolerance, max(x0, x1) + tolerance
    low_y, high_y = min(y0, y1) - tolerance, max(y0, y1) + tolerance
    return not any(
        low_x <= x <= high_x and low_y <= y <= high_y and _on_segment(line, (x, y), tolerance)
        for x, y in others
    )


class _Spots:
    """A label's candidate offsets and shapes in preference order, each checked against the map
    (_clear_of_the_map) the first time it is tried and remembered for the next round. The
    leader candidates (hundreds a label) are only worked out for a label whose point is not
    clear (most labels never need them), and then their boxes at once, as arrays, so that the
    checks that need no leader (inside the map, clear of the taken boxes and of the other
    points; clear of the labels placed so far, `free_of`) rule most of them out together."""

    def __init__(
        self,
        labels: Sequence[Label],
        i: int,
        outward: float | None,
        width: float,
        height: float,
        taken: Sequence[Box],
    ) -> None:
        self.labels, self.i, self.outward = labels, i, outward
        self.candidates = _on_point(labels[i])
        self.on_point_count = len(self.candidates)  # the leader candidates come after these
        self.leaders_added = False
        self.width, self.height, self.taken = width, height, taken
        self.others = [(o.x, o.y) for j, o in enumerate(labels) if j != i]
        self.clear: dict[int, bool] = {}
        self.spots: dict[int, tuple[Placed, tuple[Point, Point] | None, Box | None]] = {}
        self.boxes = np.empty((0, 4))
        self.static = np.empty(0, dtype=bool)

    def clear_at(self, k: int) -> bool:
        """Whether candidate k passes _clear_of_the_map (worked out once)."""
        ok = self.clear.get(k)
        if ok is None:
            dx, dy, shape = self.candidates[k]
            ok = self.clear[k] = _clear_of_the_map(
                self.labels,
                self.i,
                dx,
                dy,
                shape,
                self.width,
                self.height,
                self.taken,
                self.others,
            )
        return ok

    def _add_leaders(self) -> None:
        """The leader candidates after those on the point, with every candidate's box and
        whether it passes the checks that need no leader (the same sums as
        _clear_of_the_map's, so the same answers)."""
        self.leaders_added = True
        label = self.labels[self.i]
        self.candidates = self.candidates + _leader_candidates(label, self.outward)
        cand = np.array(self.candidates, dtype=float)
        sizes = np.array(label.shapes, dtype=float)[cand[:, 2].astype(int)]
        cx, cy = label.x + cand[:, 0], label.y + cand[:, 1]
        w, h = sizes[:, 0], sizes[:, 1]
        left, top, right, bottom = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
        self.boxes = np.stack([left, top, right, bottom], axis=1)
        ok = (left >= 0) & (top >= 0) & (right <= self.width) & (bottom <= self.height)
        ok &= ~_overlaps_any(self.boxes, self.taken)
        pad = POINT_CLEARANCE
        for px, py in self.others:
            ok &= ~(
                (left - pad <= px) & (px <= right + pad) & (top - pad <= py) & (py <= bottom + pad)
            )
        self.static = ok

    def free_of(self, boxes: Sequence[Box]) -> Iterator[tuple[float, float, int]]:
        """The clear candidates in order, leaving out any whose box comes within LABEL_GAP of
        one of `boxes` (which _Board.fits would refuse in any case)."""
        for k in self.free_indices(boxes):
            yield self.candidates[k]

    def free_indices(self, boxes: Sequence[Box]) -> Iterator[int]:
        """`free_of`, as indices of `candidates`: those on the point (not yet checked against
        `boxes`), then the leader candidates (checked)."""
        for k in range(self.on_point_count):
            if self.clear_at(k):
                yield k
        on_point = self.on_point_count
        if not self.leaders_added:
            self._add_leaders()
        keep = self.static[on_point:] & ~_overlaps_any(self.boxes[on_point:], boxes)
        for k in np.flatnonzero(keep).tolist():
            if self.clear_at(k + on_point):
                yield k + on_point

    def spot(self, k: int) -> tuple[Placed, tuple[Point, Point] | None, Box | None]:
        """Candidate k as placed (its box, as _Board.fits works it out), its leader and the
        leader's bounding box (min x, min y, max x, max y), worked out once."""
        found = self.spots.get(k)
        if found is None:
            dx, dy, shape = self.candidates[k]
            label = self.labels[self.i]
            w, h = label.shapes[shape]
            cx, cy = label.x + dx, label.y + dy
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            placed = Placed(dx, dy, box, 2 if shape == 0 else 1)
            line = leader((label.x, label.y), placed)
            reach = None
            if line is not None:
                (x0, y0), (x1, y1) = line
                reach = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            found = self.spots[k] = (placed, line, reach)
        return found


def _overlaps_any(boxes: np.ndarray, others: Sequence[Box], gap: float = LABEL_GAP) -> np.ndarray:
    """For each row of `boxes` (left, top, right, bottom), whether it comes closer than `gap` px
    to any of `others` (`overlaps`, for many boxes at once)."""
    hit = np.zeros(len(boxes), dtype=bool)
    if not len(others):
        return hit
    left, top, right, bottom = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    for b in others:
        hit |= (
            (left < b[2] + gap) & (b[0] < right + gap) & (top < b[3] + gap) & (b[1] < bottom + gap)
        )
    return hit


class _Board:
    """The map as labels claim it: the placed labels, the boxes taken and the leaders drawn."""

    def __init__(
        self,
        labels: Sequence[Label],
        spots: Sequence[_Spots],
        width: float,
        height: float,
        taken: Sequence[Box],
    ) -> None:
        self.labels = labels
        self.spots = spots  # each label's candidate offsets and shapes, in preference order
        self.width, self.height = width, height
        self.taken = list(taken)
        self.points = [(label.x, label.y) for label in labels]
        self.placed: list[Placed | None] = [None] * len(labels)
        self.boxes: list[Box] = list(taken)
        self.leaders: list[tuple[Point, Point]] = []
        self.reaches: list[Box] = []  # each leader's bounding box (min x, min y, max x, max y)

    def take(self, i: int, spot: Placed) -> None:
        self.placed[i] = spot
        self.boxes.append(spot.box)
        line = leader(self.points[i], spot)
        if line is not None:
            self.leaders.append(line)
            (x0, y0), (x1, y1) = line
            self.reaches.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def remove(self, i: int) -> None:
        self.placed[i] = None
        self.boxes = list(self.taken)
        self.leaders = []
        self.reaches = []
        for j, spot in enumerate(self.placed):
            if spot is not None:
                self.placed[j] = None
                self.take(j, spot)

    def fits(self, i: int, k: int) -> Placed | None:
        """Label i's candidate k (of `spots[i]`, clear of the map already: _clear_of_the_map),
        placed, if its box and leader keep clear of the labels placed so far: its box clear of
        every box and leader, its leader clear of every box and never crossing another leader.
        Its box and leader are worked out once, and each test's quick rejection (the boxes
        apart) is made here before the full test. A leader candidate
        (k past the ones on the point) came through `_Spots.free_indices`, clear of every box
        placed already; one on the point is checked here."""
        spots = self.spots[i]
        spot, line, reach = spots.spot(k)
        box = spot.box
        if k < spots.on_point_count and any(overlaps(box, other) for other in self.boxes):
            return None
        left, top = box[0] - LABEL_GAP, box[1] - LABEL_GAP
        right, bottom = box[2] + LABEL_GAP, box[3] + LABEL_GAP
        for (x0, y0, x1, y1), (p, q) in zip(self.reaches, self.leaders, strict=True):
            if x1 < left or x0 > right or y1 < top or y0 > bottom:
                continue  # segment_hits_box's own quick test, made without the call
            if segment_hits_box(p, q, box, LABEL_GAP):
                return None
        if line is None:
            return spot
        assert reach is not None
        x0, y0, x1, y1 = reach
        half = LABEL_GAP / 2
        for other in self.boxes:
            if x1 < other[0] - half or x0 > other[2] + half:
                continue
            if y1 < other[1] - half or y0 > other[3] + half:
                continue
            if segment_hits_box(*line, other, half):
                return None
        if any(segments_cross(line, other) for other in self.leaders):
            return None
        return spot

    def best_spot(self, i: int) -> Placed | None:
        """Label i's point if clear, else its shortest clear leader (turned outward)."""
        for k in self.spots[i].free_indices(self.boxes):
            spot = self.fits(i, k)
            if spot is not None:
                return spot
        return None

    def greedy(self, order: Sequence[int], points_first: bool) -> None:
        """One pass: with `points_first`, every label that fits on its own point takes it
        before any takes a leader; then each label left takes its best spot."""
        if points_first:
            for i in order:
                spots = self.spots[i]
                for k in range(spots.on_point_count):
                    if not spots.clear_at(k):
                        continue
                    spot = self.fits(i, k)
                    if spot is not None:
                        self.take(i, spot)
                        break
        for i in order:
            if self.placed[i] is None:
                spot = self.best_spot(i)
                if spot is not None:
                    self.take(i, spot)

    def swap(self, order: Sequence[int]) -> None:
        """Each label left off takes the room of one placed label near its point (never the
        most wanted), when that one then finds room elsewhere: one more LA named."""
        near = 4 * max((label.height for label in self.labels), default=0.0)
        for i in [i for i in order if self.placed[i] is None]:
            x, y = self.points[i]
            others = sorted(
                (j for j in order[1:] if self.placed[j] is not None),
                key=lambda j: math.dist(self.points[j], (x, y)),
            )
            for j in others:
                if math.dist(self.points[j], (x, y)) > near:
                    break
                kept = self.placed[j]
                assert kept is not None
                self.remove(j)
                mine = self.best_spot(i)
                if mine is not None:
                    self.take(i, mine)
                    theirs = self.best_spot(j)
                    if theirs is not None:
                        self.take(j, theirs)
                        break
                    self.remove(i)
                self.take(j, kept)


def _on_segment(line: tuple[Point, Point], q: Point, tolerance: float) -> bool:
    """Whether `q` lies within `tolerance` px of the segment (a leader over another LA's point)."""
    (x0, y0), (x1, y1) = line
    if not (min(x0, x1) - tolerance <= q[0] <= max(x0, x1) + tolerance):
        return False
    if not (min(y0, y1) - tolerance <= q[1] <= max(y0, y1) + tolerance):
        return False
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((q[0] - x0) * dx + (q[1] - y0) * dy) / length2))
    return math.dist((x0 + t * dx, y0 + t * dy), q) < tolerance
