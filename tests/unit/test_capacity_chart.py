"""Issue 29 item 5.6: on the planned-referrals-against-capacity chart a bar label never runs
into the 100% line (one just short of it goes inside its bar, in white), and the line's own
label ends at the line rather than running off the figure's right edge.

Generated data: services planned anywhere from a fifth of their capacity to over it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from insight.core.selection import Selection
from insight.intake.load import load_dataset
from insight.numbers import tables
from insight.outputs.figures import NEAR_LINE, chart
from tests.unit.tiny_dataset import SANDWELL, dataset, people
from tests.unit.tiny_dataset import provision as local_provision

PLANS = st.lists(
    st.tuples(st.integers(2, 60), st.sampled_from((10, 20, 25, 50))), min_size=1, max_size=6
)


@settings(max_examples=25, deadline=None)
@given(plans=PLANS, mode=st.sampled_from(("standard", "presenter")))
def test_no_bar_label_runs_into_the_full_capacity_line(plans, mode) -> None:
    provision = local_provision(plans)
    ds = dataset(people(SANDWELL, 20), local_provision=provision)
    sel = Selection(la=SANDWELL, mode=mode)
    table = tables.provision(ds, sel)
    fig = chart(table, ds.meta, sel)
    bars = [t for t in fig.data if t.type == "bar"]
    assert bars
    for trace in bars:
        for value, where in zip(trace.x, trace.textposition, strict=True):
            if 100 - NEAR_LINE <= value <= 100:
                assert where == "inside", (value, where)
            else:  # well short of the line, or past it (over capacity): beside the bar
                assert where == "outside", (value, where)
        assert trace.insidetextfont.color == "#FFFFFF"
    line = [a for a in fig.layout.annotations if a.text == "100% = every place taken"]
    assert len(line) == 1 and line[0].x == 100 and line[0].xanchor == "right"


def test_on_a_projector_a_service_and_its_organisation_take_a_line_each(sample_dir) -> None:
    """Presenter mode: the sample's longest organisation ("Stepping Stones Mental Health
    Employment Service", 48 characters) wrapped onto a third line at 40 characters a line."""
    ds = load_dataset(sample_dir)
    sel = Selection(mode="presenter")
    table = tables.provision(ds, sel)
    fig = chart(table, ds.meta, sel)
    parts = [k.partition("|")[::2] for k in table.frame["category_key"].astype(str)]
    assert max(len(p) for pair in parts for p in pair) > 40, "the sample has a long name"
    for (organisation, service), label in zip(parts, fig.data[0].y, strict=True):
        if max(len(organisation), len(service)) <= 48:
            assert label.count("<br>") == 1, label
