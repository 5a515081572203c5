"""Issue 29 item 5.3: vacancies and job entries by sector, for a chosen LA, come in that LA's
order (its largest share first, ties by name, a hidden `[c]` last), not the whole area's; and
the page's chart, the pack's printed table and the deck's native chart all draw that one order.

Generated data: two LAs with their own counts per sector (small ones, so `[c]` and ties come
often), the chosen LA either of them."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.selection import Selection
from insight.numbers import tables
from insight.numbers.tables import SafeTable
from insight.outputs.deck import chart_data
from insight.outputs.figures import chart
from insight.outputs.pack_pdf import grid
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people

SECTORS = ("Care", "Construction", "Hospitality", "Logistics", "Retail")
COUNTS = st.sampled_from((0, 1, 2, 6, 6, 9, 12, 30))


def _rows(counts: dict[str, tuple[int, ...]], column: str) -> pd.DataFrame:
    rows = []
    for la, per_sector in counts.items():
        for sector, n in zip(SECTORS, per_sector, strict=True):
            if column == "positions":
                rows += [{"la_code": la, "sector": sector, "month": "2025-03", "positions": n}] * (
                    n > 0
                )
            else:
                rows += [{"la_code": la, "sector": sector, "month": "2025-03"}] * n
    return pd.DataFrame(rows, columns=["la_code", "sector", "month", column][: 4 if column else 3])


def _expected(table: SafeTable, la: str) -> list[str]:
    """The chosen LA's own rows sorted as the brief says: shown shares largest first, ties by
    name, a hidden share last (whatever value lies behind it)."""
    part = table.frame[table.frame["area_code"] == la]
    hidden = part["label"].astype(str).str.startswith("[")
    keys = [
        (bool(h), 0.0 if h else -float(v), str(c))
        for h, v, c in zip(hidden, part["value"], part["category"], strict=True)
    ]
    return [key[2] for key in sorted(keys)]


@settings(max_examples=25, deadline=None)
@given(
    here=st.tuples(*[COUNTS] * len(SECTORS)),
    there=st.tuples(*[COUNTS] * len(SECTORS)),
    chosen=st.sampled_from((SANDWELL, BIRMINGHAM)),
)
def test_a_chosen_las_sectors_come_in_its_own_order_everywhere(here, there, chosen) -> None:
    counts = {SANDWELL: here, BIRMINGHAM: there}
    ds = dataset(
        people(SANDWELL, 40) + people(BIRMINGHAM, 40),
        job_entries=_rows(counts, ""),
        vacancies=_rows(counts, "positions"),
    )
    sel = Selection(la=chosen, mode="presenter")
    for table in (tables.job_entries(ds, sel, "sector"), tables.vacancies(ds, sel, "sector")):
        if table.is_empty or chosen not in set(table.frame["area_code"]):
            continue
        order = _expected(table, chosen)
        frame = table.frame
        for code in dict.fromkeys(frame["area_code"]):  # every area's rows in the LA's order
            shown = frame.loc[frame["area_code"] == code, "category"].astype(str).tolist()
            assert shown == [c for c in order if c in shown], (table.key, code)
        assert list(chart_data(table, sel).categories) == order, table.key
        assert [row[0] for row in grid(table, sel).rows] == order, table.key
        axis = chart(table, ds.meta, sel).layout.yaxis.categoryarray
        assert [str(c).replace("<br>", " ") for c in axis] == order, table.key
