"""CPU per LA map for a selection not seen before (issue 31). A benchmark, not a test: it prints
figures.

    .venv/bin/python benchmarks/maps.py --selections 40

It opens the bundled sample (or INSIGHT_DATASET), makes the safe tables the map pages draw
(the Overview's and Locations' LA shares, the labour market's vacancies by LA) for random
(LA, period) selections in both modes, and builds each kind of map the pages draw from them, as
components/maps.py and components/slides.py do, without Streamlit's script run:

- folium: standard mode's Overview and Locations map, rendered to the text its component is sent;
- plotly: presenter mode's map, and its JSON (what st.plotly_chart sends);
- pydeck: the labour market's map, and its JSON;
- slide: a meeting slide's map (insight.outputs.map_figure.slide_map) and its JSON.

Each selection is drawn once, in random order, and never from the cache of whole maps
(components.maps keeps a drawn map per selection: that is what a new selection misses); what
the app keeps across selections (the boundaries, anything keyed by what a map reads rather than
by the selection) stays as a running server's would. `--empty` empties every memo of the app
(components.cache) before each map instead: a cold process. CPU time (time.process_time), so
other work on the machine does not count: the median and 90th percentile per kind, in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _time(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--selections", type=int, default=40)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument(
        "--empty",
        action="store_true",
        help="empty every memo of the app before each map (a cold process)",
    )
    args = parser.parse_args()

    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)

    from components import cache, maps_deck, maps_folium, maps_plotly
    from components.context import default_folder
    from insight.core.periods import PERIODS
    from insight.core.selection import WHOLE_AREA, Selection
    from insight.intake.load import load_dataset
    from insight.numbers import tables
    from insight.outputs.map_figure import slide_map
    from insight.outputs.mapdata import map_data
    from insight.outputs.meetings import SLIDE_SIZE

    ds = load_dataset(default_folder())
    codes = tuple(ds.la_codes)
    rng = random.Random(args.seed)
    choices = [(la, period) for la in (*codes, WHOLE_AREA) for period in PERIODS]
    picks = rng.sample(choices, min(args.selections, len(choices)))

    def chosen(la: str) -> str | None:
        return None if la == WHOLE_AREA else la

    # The tables first (insight/numbers: not what is measured here), then the maps.
    made = {}
    for la, period in set(picks):
        for mode in ("standard", "presenter"):
            sel = Selection(la=la, period=period, mode=mode)  # type: ignore[arg-type]
            made[(la, period, mode)] = (
                tables.la_shares(ds, sel),
                tables.vacancies(ds, sel, "la"),
            )

    def folium_map(shares, la):  # noqa: ANN001, ANN202
        data = map_data(shares, codes, chosen(la), ds.meta)
        return maps_folium.render(maps_folium.build(data, tiles=False, height=680))

    def plotly_map(shares, la):  # noqa: ANN001, ANN202
        data = map_data(shares, codes, chosen(la), ds.meta)
        return maps_plotly.figure(data, height=680, presenter=True).to_json()

    def deck_map(vacancies, la):  # noqa: ANN001, ANN202
        data = map_data(vacancies, codes, chosen(la), ds.meta)
        return maps_deck.deck(data, height=680).to_json()

    def slide(shares, la):  # noqa: ANN001, ANN202
        data = map_data(shares, codes, chosen(la), most=5)
        return slide_map(data, *SLIDE_SIZE).to_json()

    kinds: dict[str, Callable[[tuple, str], Callable[[], object]]] = {
        "folium (standard)": lambda t, la: lambda: folium_map(t["standard"][0], la),
        "plotly (presenter)": lambda t, la: lambda: plotly_map(t["presenter"][0], la),
        "pydeck (standard)": lambda t, la: lambda: deck_map(t["standard"][1], la),
        "slide map (presenter)": lambda t, la: lambda: slide(t["presenter"][0], la),
    }
    # One of each first: the imports and the boundaries file, paid once per process.
    la, period = picks[0]
    first = {m: made[(la, period, m)] for m in ("standard", "presenter")}
    for build in kinds.values():
        build(first, la)()
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    for la, period in picks:
        both = {m: made[(la, period, m)] for m in ("standard", "presenter")}
        for name, build in kinds.items():
            if args.empty:
                cache.clear_all()
            timings[name].append(_time(build(both, la)))
    print(
        f"{len(picks)} distinct random (LA, period) selections of {len(choices)}, "
        f"{'memos emptied before each map' if args.empty else 'memos kept across selections'}; CPU ms per map"
    )
    print(f"{'map':<24} {'median':>8} {'p90':>8} {'max':>8}")
    for name, found in timings.items():
        ordered = sorted(found)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        print(f"{name:<24} {statistics.median(found):8.1f} {p90:8.1f} {ordered[-1]:8.1f}")


if __name__ == "__main__":
    main()
