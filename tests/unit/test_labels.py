"""insight.outputs.labels and map_plan: every LA named on a map, no label over another label, its
leader or another LA's point, no two leaders crossing; checked on generated point sets and on the
sample's West Midlands and the Marches at the size of every map that draws it."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.outputs.labels import (
    LABEL_GAP,
    POINT_CLEARANCE,
    Label,
    Placed,
    label_size,
    leader,
    overlaps,
    place,
    segment_hits_box,
    segments_cross,
    text_width,
)
from insight.outputs.map_plan import PLAN_WIDTH, plan
from insight.outputs.mapdata import (
    fit_view,
    map_data,
    mercator,
    place_labels,
    short_name,
    to_pixels,
    unplaced,
)

# the browser map harness's sample area and table, loaded as test_mapdata loads them
from tests.unit.test_mapdata import harness  # noqa: E402

WM = harness.WM
BIRMINGHAM, MALVERN_HILLS = "E08000025", "E07000235"


def problems(labels, placed, width, height, taken=()) -> list[str]:
    """Every broken rule in a placement, in words (empty when it keeps them all)."""
    found = []
    points = [(label.x, label.y) for label in labels]
    shown = [(i, spot) for i, spot in enumerate(placed) if spot is not None]
    lines = {i: leader(points[i], spot) for i, spot in shown}
    for i, spot in shown:
        box = spot.box
        w, h = box[2] - box[0], box[3] - box[1]
        if (round(w, 6), round(h, 6)) not in {
            (round(a, 6), round(b, 6)) for a, b in labels[i].shapes
        }:
            found.append(f"{i}: not its own size")
        if not (abs(box[0] + w / 2 - points[i][0] - spot.dx) < 1e-6):
            found.append(f"{i}: box not at its offset")
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
            found.append(f"{i}: outside the map")
        found += [f"{i}: over a taken box" for t in taken if overlaps(box, t, 0)]
        for j, other in shown:
            if j > i and overlaps(box, other.box, LABEL_GAP - 1e-6):
                found.append(f"{i} and {j} overlap")
            line = lines[j]
            if j != i and line is not None and segment_hits_box(*line, box, 0):
                found.append(f"{i} sits on {j}'s leader")
            if j > i and lines[i] is not None and line is not None:
                if segments_cross(lines[i], line):
                    found.append(f"leaders {i} and {j} cross")
        for j, point in enumerate(points):
            inside = box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
            if j != i and inside:
                found.append(f"{i} covers {j}'s point")
        if (
            spot.has_leader
            and box[0] <= points[i][0] <= box[2]
            and box[1] <= points[i][1] <= box[3]
        ):
            found.append(f"{i}: a leader from inside its own label")
    return found


# --- generated point sets ---------------------------------------------------------------------
_label = st.builds(
    lambda x, y, w, h, one: Label(x, y, w, h, (w * 1.6, h / 2) if one else None),
    st.floats(0, 600),
    st.floats(0, 400),
    st.floats(20, 120),
    st.floats(14, 40),
    st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_label, min_size=0, max_size=14), st.booleans())
def test_no_placement_breaks_a_rule(labels, with_legend):
    taken = [(450.0, 0.0, 600.0, 120.0)] if with_legend else []
    placed = place(labels, 600, 400, taken=taken)
    assert len(placed) == len(labels)
    assert problems(labels, placed, 600, 400, taken) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=12))
def test_points_far_apart_keep_their_labels_on_them(cells):
    """A label with room on its point stays there: no leader where none is needed."""
    # one point in the middle of each cell of a 4 x 3 grid of 150 x 130 px cells
    labels = [
        Label(75 + 150 * (n % 4) + 20 * (a - 0.5), 65 + 130 * (n // 4) + 20 * (b - 0.5), 80, 34)
        for n, (a, b) in enumerate(cells)
    ]
    placed = place(labels, 600, 390)
    assert all(spot is not None and not spot.has_leader for spot in placed)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.floats(0, 2 * math.pi))
def test_a_tight_cluster_is_spread_out_on_leaders_and_named(n, turn):
    """Up to six points within 12 px of each other (a city's wards, the Black Country): their labels go
    out on leaders, none over another's point, and every one fits on a roomy map."""
    labels = [
        Label(
            300 + 12 * math.cos(turn + k * 2 * math.pi / n),
            200 + 12 * math.sin(turn + k * 2 * math.pi / n),
            70,
            30,
        )
        for k in range(n)
    ]
    placed = place(labels, 600, 400)
    assert problems(labels, placed, 600, 400) == []
    assert all(spot is not None for spot in placed)
    assert sum(spot.has_leader for spot in placed) >= n - 1


def test_a_label_with_no_room_anywhere_is_left_off_not_squeezed():
    labels = [Label(30, 20, 50, 30), Label(70, 20, 50, 30)]
    placed = place(labels, 100, 40)
    assert placed.count(None) == 1
    assert problems(labels, placed, 100, 40) == []


def test_the_first_in_order_wins_the_room():
    labels = [Label(30, 20, 50, 30), Label(70, 20, 50, 30)]
    assert place(labels, 100, 40, order=[1, 0])[1] is not None


def test_geometry_helpers():
    assert segment_hits_box((0, 0), (10, 10), (4, 4, 6, 6))
    assert not segment_hits_box((0, 0), (10, 0), (4, 4, 6, 6))
    assert segment_hits_box((0, 0), (10, 0), (4, 1, 6, 6), pad=1)
    assert segments_cross(((0, 0), (10, 10)), ((0, 10), (10, 0)))
    assert not segments_cross(((0, 0), (10, 0)), ((0, 1), (10, 1)))
    spot = Placed(0.0, 40.0, (-10.0, 30.0, 10.0, 50.0))
    assert leader((0.0, 0.0), spot) == ((0.0, 0.0), (0.0, 30.0))  # to the label's near edge
    assert leader((0.0, 0.0), Placed(0.0, 0.0, (-10, -10, 10, 10))) is None


def test_label_sizes_follow_source_sans():
    assert text_width("W", 20) > text_width("i", 20) * 2
    assert text_width("31%", 20, bold=True) > text_width("31%", 20)
    two = label_size("Wolverhampton", "9%", 20)
    one = label_size("Wolverhampton", "9%", 20, lines=1)
    assert one[0] > two[0] and one[1] < two[1]
    # "Wolverhampton" at 20 px in Source Sans 3 is about 128 px (measured in Chromium: 127.6)
    assert 120 < text_width("Wolverhampton", 20) < 136


# --- the sample's area, at the size of each map -------------------------------------------------
SIZES = {  # (width, height, type px): about the room each map draws its labels in
    "presenter page map": (607, 480, 15),  # components.maps_plotly at 680 px tall
    "standard plotly map": (607, 500, 10),
    "slide map": (851, 356, 20),  # map_figure.slide_map at meetings.SLIDE_SIZE
    "print map": (672, 640, 12),  # map_figure.print_map
}


@pytest.mark.parametrize("chosen", [None, BIRMINGHAM, MALVERN_HILLS])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_sample_area_is_labelled_by_the_rules_at_every_size(size, chosen):
    width, height, font = SIZES[size]
    data = map_data(harness.wm_table(), WM, chosen)
    frame = data.frame.assign(name=[short_name(n) for n in data.frame["name"]])
    view = fit_view(WM, width, height, padding=0.02)
    placed = place_labels(frame, view, width, height, font, data.selected)
    labels = [
        Label(x, y, *label_size(n, v, font), label_size(n, v, font, lines=1))
        for (x, y), n, v in zip(
            (
                to_pixels(view, lo, la, width, height)
                for lo, la in zip(frame["lon"], frame["lat"], strict=True)
            ),
            frame["name"],
            frame["label"],
            strict=True,
        )
    ]
    assert problems(labels, placed, width, height) == []
    by_code = dict(zip(frame["code"], placed, strict=True))
    assert by_code[chosen or BIRMINGHAM] is not None, "the chosen LA (or the highest) is on the map"
    missing = unplaced(frame, placed)
    # what was seen: six LAs unnamed on the slide; now at most one, and it in words
    assert len(missing) <= (1 if size == "slide map" else 0), missing


@pytest.mark.parametrize("chosen", [None, BIRMINGHAM, MALVERN_HILLS])
@pytest.mark.parametrize("height", [680, 520])
def test_the_folium_plan_names_every_la_where_leaflet_draws_it(chosen, height):
    data = map_data(harness.wm_table(), WM, chosen)
    made = plan(data, height)
    assert not made.unlabelled
    assert {label.code for label in made.labels} == set(WM)
    assert made.zoom * 4 == int(made.zoom * 4), "a multiple of Leaflet's zoom snap"
    # each label's centre, projected back at the plan's zoom (Leaflet's 256 px world), lies in
    # the plan's column and at its leader's far end's side
    scale = 256 * 2**made.zoom
    cx, cy = mercator(made.lon, made.lat)
    for label in made.labels:
        x, y = mercator(label.lon, label.lat)
        px, py = PLAN_WIDTH / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale
        assert label.width / 2 - 0.5 <= px <= PLAN_WIDTH - label.width / 2 + 0.5
        assert label.height / 2 - 0.5 <= py <= height - label.height / 2 + 0.5
        if label.leader is not None:
            (lat0, lon0), _ = label.leader
            row = data.frame.set_index("code").loc[label.code]
            assert (lat0, lon0) == pytest.approx((row["lat"], row["lon"]), abs=1e-6)


def test_points_stay_clear_by_the_clearance():
    labels = [Label(100, 100, 60, 20), Label(100 + 30 + POINT_CLEARANCE / 2, 100, 60, 20)]
    placed = place(labels, 400, 300)
    assert placed[0] is not None and placed[1] is not None
    assert placed[1].has_leader  # the second may not cover the first's point, nor sit on it


def test_the_folium_map_draws_the_plan_in_the_apps_own_typeface_from_this_server():
    import json
    import re

    from components import maps_folium
    from insight.outputs.mapdata import outside_urls

    data = map_data(harness.wm_table(), WM, BIRMINGHAM)
    made = maps_folium.render(maps_folium.build(data, height=680))
    text = made.header + made.html + made.script
    assert outside_urls(text) == []
    url = maps_folium.font_url()
    assert re.fullmatch(r"/static/media/SourceSansVF-Upright[^/]*\.woff2", url)
    assert f"url({json.dumps(url)})" in text and '"Source Sans"' in text
    # every LA's label, where the plan put it, the chosen LA first, and leaders where planned
    found = re.search(r"var labels = (\[.*?\])\.map", text, re.S)
    assert found is not None
    drawn = json.loads(found.group(1))
    planned = plan(data, 680)
    assert len(drawn) == len(WM) == len(planned.labels)
    assert "Birmingham" in drawn[0]["html"]
    assert sum(d["leader"] is not None for d in drawn) == sum(
        p.leader is not None for p in planned.labels
    )
    assert f'"zoom": {planned.zoom}' in text or f"zoom: {planned.zoom}" in text


@pytest.mark.parametrize("chosen", [None, BIRMINGHAM, MALVERN_HILLS])
def test_the_slide_map_names_every_la_on_the_map_or_in_its_legend_and_alt_text(chosen):
    from insight.outputs.map_figure import slide_map, unlabelled
    from insight.outputs.meetings import SLIDE_SIZE

    data = map_data(harness.wm_table(), WM, chosen, most=5)
    fig = slide_map(data, *SLIDE_SIZE)
    on_map = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    sentence = unlabelled(fig)
    notes = [text for text in on_map if text.startswith("Not labelled")]
    for name in (short_name(n) for n in data.frame["name"]):
        labelled = any(text.startswith(f"{name} ") for text in on_map)
        assert labelled != (f"{name} " in sentence), name  # on the map, or named in words
        if not labelled:  # on the slide itself, in the map's corner
            assert len(notes) == 1 and f"{name} " in notes[0]
    if chosen:
        assert any(
            text.startswith(short_name(data.frame.set_index("code").loc[chosen, "name"]))
            for text in on_map
        ), "the chosen LA is on the map"


@settings(max_examples=6, deadline=None)
@given(
    st.lists(st.sampled_from(WM), max_size=6, unique=True),
    st.sampled_from(["%", "index"]),
    st.sampled_from([None, *WM]),
)
def test_any_slide_map_of_the_area_names_every_la_by_the_rules(hidden, unit, chosen):
    """Generated suppression, unit and chosen LA: the slide map still names every LA, on the
    map or in its corner note, and what it says is so."""
    from insight.outputs.map_figure import slide_map, unlabelled
    from insight.outputs.meetings import SLIDE_SIZE

    data = map_data(
        harness.wm_table("presenter", unit, suppressed=tuple(hidden)), WM, chosen, most=5
    )
    fig = slide_map(data, *SLIDE_SIZE)
    on_map = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    sentence = unlabelled(fig)
    for row in data.frame.itertuples(index=False):
        name = short_name(row.name)
        labelled = any(text.startswith(f"{name} ") for text in on_map)
        assert labelled != (f"{name} {row.label}" in sentence), name
    assert (sentence == "") == (not any(t.startswith("Not labelled") for t in on_map))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    points=st.lists(
        st.tuples(st.floats(0, 400), st.floats(0, 300)), min_size=2, max_size=9, unique=True
    ),
    board=st.lists(
        st.tuples(st.floats(0, 380), st.floats(0, 280), st.floats(5, 120), st.floats(5, 60)),
        max_size=6,
    ),
    taken=st.lists(
        st.tuples(st.floats(0, 380), st.floats(0, 280), st.floats(5, 120), st.floats(5, 60)),
        max_size=2,
    ),
)
def test_the_array_checks_rule_out_exactly_what_the_scalar_checks_would(
    points, board, taken
) -> None:
    """A label's candidates are ruled out as arrays, many at once (labels._Spots.free_of): the
    candidates it gives must be exactly those, in the same order, that the scalar checks pass
    (_clear_of_the_map, then clear of every placed box by `overlaps`), or the map would place a
    label over another, or leave one off that had room."""
    from insight.outputs import labels as L

    def boxes(raw):
        return [(x, y, x + w, y + h) for x, y, w, h in raw]

    labels = [L.Label(x, y, 60.0, 30.0, (90.0, 17.0)) for x, y in points]
    others = [(o.x, o.y) for o in labels[1:]]
    spots = L._Spots(labels, 0, None, 400.0, 300.0, boxes(taken))
    fast = list(spots.free_of(boxes(board)))
    slow = [
        (dx, dy, shape)
        for dx, dy, shape in L._on_point(labels[0]) + L._leader_candidates(labels[0], None)
        if L._clear_of_the_map(labels, 0, dx, dy, shape, 400.0, 300.0, boxes(taken), others)
        and (
            (dx, dy) == (0.0, 0.0)
            or not any(
                overlaps(
                    (
                        labels[0].x + dx - labels[0].shapes[shape][0] / 2,
                        labels[0].y + dy - labels[0].shapes[shape][1] / 2,
                        labels[0].x + dx + labels[0].shapes[shape][0] / 2,
                        labels[0].y + dy + labels[0].shapes[shape][1] / 2,
                    ),
                    b,
                )
                for b in boxes(board)
            )
        )
    ]
    assert fast == slow


LEGEND = [(300.0, 0.0, 400.0, 60.0)]  # a box the labels keep clear of, as a map's legend


def _clear_rule(labels, i, dx, dy, shape, width, height, taken, others):  # noqa: ANN001, ANN202
    """labels._clear_of_the_map's rule spelled out with the module's plain tests."""
    from insight.outputs import labels as L

    label = labels[i]
    half_w, half_h = (size / 2 for size in label.shapes[shape])
    box = (
        label.x + dx - half_w,
        label.y + dy - half_h,
        label.x + dx + half_w,
        label.y + dy + half_h,
    )
    inside = 0 <= box[0] and 0 <= box[1] and box[2] <= width and box[3] <= height
    near = [*(o for o in taken if L.overlaps(box, o))]
    near += [p for p in others if L._contains(box, p, L.POINT_CLEARANCE)]
    if not inside or near:
        return False
    line = L.leader((label.x, label.y), L.Placed(dx, dy, box))
    if line is None:
        return True
    if any(L.segment_hits_box(*line, other, L.LABEL_GAP / 2) for other in taken):
        return False
    return not any(L._on_segment(line, point, 2.0) for point in others)


def _board_rule(labels, i, spot, boxes, leaders):  # noqa: ANN001, ANN202
    """The rule a label's spot keeps on a board, spelled out with the module's plain tests: its
    box clear of every box and leader, its leader clear of every box and never crossing one."""
    from insight.outputs import labels as L

    box = spot.box
    if any(L.overlaps(box, other) for other in boxes):
        return False
    if any(L.segment_hits_box(p, q, box, L.LABEL_GAP) for p, q in leaders):
        return False
    line = L.leader((labels[i].x, labels[i].y), spot)
    if line is None:
        return True
    if any(L.segment_hits_box(*line, other, L.LABEL_GAP / 2) for other in boxes):
        return False
    return not any(L.segments_cross(line, other) for other in leaders)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    points=st.lists(
        st.tuples(st.floats(0, 400), st.floats(0, 300)), min_size=3, max_size=9, unique=True
    ),
    placed=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 8)), max_size=5),
)
def test_a_board_keeps_exactly_the_rule_its_quick_tests_shortcut(points, placed) -> None:
    """_Board.fits works a candidate's box and leader out once and makes each test's quick
    rejection (the boxes apart) before the full test (issue 31: a new map's CPU): it must answer
    exactly as the rule spelled out, on boards with labels on leaders, or a map would place a
    label over a leader, or leave one off that had room; and _clear_of_the_map likewise."""
    from insight.outputs import labels as L

    labels = [L.Label(x, y, 60.0, 30.0, (90.0, 17.0)) for x, y in points]
    spots = [
        L._Spots(labels, i, L._outward([(o.x, o.y) for o in labels], i, 90.0), 400.0, 300.0, LEGEND)
        for i in range(len(labels))
    ]
    board = L._Board(labels, spots, 400.0, 300.0, LEGEND)
    for k, j in placed:  # some labels on leaders, without regard to the rule: any board
        j = j % (len(labels) - 1) + 1
        if board.placed[j] is None:
            list(spots[j].free_indices([]))  # the leader candidates worked out
            board.take(j, spots[j].spot(k % len(spots[j].candidates))[0])
    others = [(o.x, o.y) for o in labels[1:]]
    list(spots[0].free_indices([]))
    for k in range(0, len(spots[0].candidates), 7):
        dx, dy, shape = spots[0].candidates[k]
        assert spots[0].clear_at(k) == _clear_rule(
            labels, 0, dx, dy, shape, 400.0, 300.0, LEGEND, others
        )
        spot = spots[0].spot(k)[0]
        if k < spots[0].on_point_count or not any(L.overlaps(spot.box, b) for b in board.boxes):
            expected = _board_rule(labels, 0, spot, board.boxes, board.leaders)
            assert (board.fits(0, k) is not None) == expected, k


def test_a_labels_candidates_are_kept_for_its_shapes_and_neighbours_only() -> None:
    """A label's leader candidates are kept per (shapes, outward): another selection of the same
    area and period (the same text, the same neighbours) takes them from the cache, and they are
    what a fresh build gives; another period's text (another width) is worked out afresh."""
    from insight.outputs import labels as L

    def label(x: float, y: float, value: str) -> L.Label:
        one_line = label_size("Sandwell", value, 13, lines=1)
        return L.Label(x, y, *label_size("Sandwell", value, 13), one_line=one_line)

    L._leader_offsets.cache_clear()
    first = L._leader_candidates(label(100.0, 100.0, "13%"), 0.5)
    again = L._leader_candidates(label(300.0, 50.0, "13%"), 0.5)  # another LA's point
    assert L._leader_offsets.cache_info().hits == 1
    assert again == first
    L._leader_offsets.cache_clear()
    assert L._leader_candidates(label(100.0, 100.0, "13%"), 0.5) == first  # fresh: the same
    other = L._leader_candidates(label(100.0, 100.0, "100%"), 0.5)  # another period's share
    turned = L._leader_candidates(label(100.0, 100.0, "13%"), 2.0)  # other neighbours
    assert L._leader_offsets.cache_info().misses == 3
    assert other != first and turned != first
