"""The registry of insights (issue 28 item 1): each insight declared once, one pipeline, the
disclosure rules as one list, and every consumer (pages, slides, the pack) reading it."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from insight import cli
from insight.core.dataset import Dataset
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import catalogue, participants, pipeline, registry, tables
from insight.numbers.measure import count_characteristic
from insight.numbers.safe_table import SafeTable, basics, build
from insight.outputs import meetings, pack
from insight.service.view import allowed, page_view

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_dataset import SANDWELL, dataset, people  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    rows = people(SANDWELL, 40, start_month="2025-02") + people("E08000025", 45)
    rows += people(SANDWELL, 3, start_month="2025-08", barrier_transport=True)
    rows += people(SANDWELL, 30, start_month="2025-09", barrier_transport=True)
    return dataset(rows)


# --- the rules, as one list --------------------------------------------------------------------
def test_counts_are_released_only_by_the_rules_the_annex_allows() -> None:
    """Rounded counts reach a table only through a rule that says so: the extent of need
    (barriers) and planned referrals against capacity (para 13). A new insight cannot add one
    without its declaration saying it, here."""
    with_counts = {
        insight.key
        for insight, rule in registry.current().rules()
        if rule.counts or rule.kind == "provision"
    }
    assert with_counts == {"barriers", "provision"}


def test_every_insight_that_counts_is_disclosed_by_a_rule_and_the_others_count_nothing() -> None:
    for insight, rule in registry.current().rules():
        if insight.measure is None:
            assert rule.kind in ("text", "derived"), insight.key
        else:
            assert rule.kind in ("shares", "provision"), insight.key
    # the index rules hide an LA's index exactly where its share is: a reference is declared
    indices = {i.key for i in registry.current() if i.rule.reference is not None}
    assert indices == {"hotspot", "hotspot.claimants"}


def test_no_builder_calls_the_disclosure_step_itself() -> None:
    """Only the pipeline calls disclose(...): the options are the rules, declared once."""
    calls = re.compile(r"\bdisclose(_index|_provision)?\(")
    found = []
    for path in sorted((ROOT / "insight").rglob("*.py")):
        if path.name in ("disclosure.py", "pipeline.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and calls.match(ast.unparse(node.func) + "("):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_rules_are_printed_as_one_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == 0
    printed = capsys.readouterr().out
    for insight, rule in registry.current().rules():
        assert re.search(rf"^  {re.escape(insight.key)} +{re.escape(rule.name)}$", printed, re.M)
        assert f"  {rule.name}: {rule.words}" in printed
    assert "trend.{kind}.{key}.{freq}  months by quarter" in printed


def test_the_month_rule_is_chosen_by_the_trend_frequency(ds: Dataset) -> None:
    """Months are disclosed over the whole period and cut: a month reads the same in every
    period (the months-by-quarter rule), quarters are not."""
    trend = registry.current().named("trend")
    assert trend.rule_for(("barrier", "transport", "month")) is registry.MONTHS
    assert trend.rule_for(("barrier", "transport", "quarter")) is registry.CHAINED
    months = {
        period: tables.trend(
            ds, Selection(la=SANDWELL, period=period), "barrier", "transport", "month"
        )
        for period in ("whole", "latest_6")
    }
    latest = months["latest_6"].frame.set_index(["area_code", "category_key"])["label"]
    whole = months["whole"].frame.set_index(["area_code", "category_key"])["label"]
    assert len(latest) == 12 and (whole.reindex(latest.index) == latest).all()
    assert latest[(SANDWELL, "2025-08")] == "[c]"  # three people: hidden in every period


# --- keys ---------------------------------------------------------------------------------------
def test_every_meeting_key_names_the_table_it_builds(ds: Dataset) -> None:
    """A slide key read against the registry builds the table of that very key, for every
    insight a meeting can show and every value of its parameters."""
    sel = Selection(la=SANDWELL, mode="presenter")
    free = {"barrier": ds.barrier_keys[0], "service": ds.service_keys[0], "key": "transport"}
    built = 0
    for insight in registry.current().on_slides():
        choices = [p.choices or (free[p.name],) for p in insight.params]
        combos: list[tuple[str, ...]] = [()]
        for options in choices:
            combos = [(*c, o) for c in combos for o in options]
        for values in combos:
            if insight.name == "trend":  # a trend's key is a key of its kind
                kind = values[0]
                values = (kind, free["barrier" if kind == "barrier" else "service"], values[2])
            key = insight.key_of(*values)
            found = registry.current().find(key)
            assert found is not None and found.insight is insight, key
            table = found.build(ds, sel)
            if isinstance(table, SafeTable):
                assert table.key == key
                built += 1
    assert built >= 15


def test_a_key_no_insight_makes_is_refused_in_plain_words() -> None:
    for key in ("characteristic.shoe_size", "vacancies.employer", "trend.barrier.x.week"):
        with pytest.raises(ValueError, match="no chart is called"):
            catalogue.entry(key)
    with pytest.raises(ValueError, match="has no map"):
        catalogue.entry("map.barriers")
    assert catalogue.entry("map.vacancies.la").kind == "map"
    with pytest.raises(ValueError, match="has no map"):
        catalogue.entry("map.vacancies.sector")
    assert catalogue.entry("insights.what_works").kind == "cards"


# --- the consumers read the registry -------------------------------------------------------------
def _page_imports(page: Path) -> list[Path]:
    """The page script and the components modules it imports."""
    text = page.read_text(encoding="utf-8")
    names = re.findall(r"^from components import (.+)$", text, re.M)
    modules = {n.split(" as ")[0].strip() for line in names for n in line.split(",")}
    modules |= set(re.findall(r"^from components\.(\w+) import", text, re.M))
    return [page, *(ROOT / "components" / f"{m}.py" for m in sorted(modules))]


def test_each_page_draws_the_insights_the_registry_lists_for_it() -> None:
    """The registry's page lists are the pages' own: every builder a page script (or a
    component it imports) calls is declared for that page, and every insight declared for a
    page is called there."""
    names = {i.name for i in registry.current()}
    checked = 0
    for page in sorted((ROOT / "pages").rglob("*.py")):
        where = page.relative_to(ROOT / "pages").with_suffix("").as_posix()
        text = page.read_text(encoding="utf-8")
        used = set(re.findall(r"\btables\.(\w+)", text)) & names
        via = set()
        for module in _page_imports(page)[1:]:
            via |= set(re.findall(r"\btables\.(\w+)", module.read_text(encoding="utf-8"))) & names
        declared = {i.name for i in registry.current().on_page(where)}
        assert used <= declared, where
        assert declared <= used | via, where
        checked += bool(declared)
    assert checked == len(registry.current().pages())


def test_a_page_may_call_only_the_registrys_builders(ds: Dataset) -> None:
    view = page_view(ds)
    assert allowed(tables.barriers) and allowed(tables.claimant_hotspot)
    for stage in (participants.barriers, participants.measure_la_shares, pipeline.run):
        assert not allowed(stage)
        with pytest.raises(TypeError):
            view.table(stage)


def test_a_stand_in_for_an_insight_leaves_the_declared_builder_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test may swap an insight for a stand-in; once it is put back, the declared builder
    (the one pages imported) is the registry's again."""
    declared = registry.current().named("la_shares")
    stand_in = dataclasses.replace(declared, label="A stand-in")
    swapped = registry.Registry(tuple(stand_in if i is declared else i for i in registry.current()))
    with monkeypatch.context() as patch:
        patch.setattr(registry, "REGISTRY", swapped)
        assert allowed(registry.builder_of(stand_in)) and not allowed(tables.la_shares)
    assert allowed(tables.la_shares) and registry.builder_of(declared) is tables.la_shares


def _toy_narrate(m: pipeline.Measured) -> SafeTable:
    assert m.raw is not None and m.safe is not None
    _, period, area = basics(m.ds, m.sel)
    return build("toy_gender", m.sel, m.safe, m.safe.frame, f"Toy in {area}", f"Toy, {period}")


TOY = pipeline.Insight(
    name="toy_gender",
    key="toy_gender",
    measures="A toy: participants by gender, declared in a test.",
    measure=lambda ds, sel: count_characteristic(ds, sel.period, sel.la, "gender"),
    rule=registry.SHARES,
    narrate=_toy_narrate,
    chart="bars",
    section="Who participants are",
    label="A toy breakdown",
    slide=True,
    pack=(((), "The toy"),),
    pages=("participants/characteristics",),
)


def test_adding_an_insight_is_one_declaration(ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy insight, declared once, is on its page's list, in the meetings' catalogue (a slide
    shows it), in the pack's charts (the pack builds it), and a page view may draw it; its
    rule is printed with the others."""
    monkeypatch.setattr(registry, "REGISTRY", registry.REGISTRY.plus(TOY))
    assert TOY in registry.current().on_page("participants/characteristics")
    toy = registry.builder_of(TOY)
    # a page view draws it through the pipeline, disclosed by the declared rule
    view = page_view(ds, Selection(la=SANDWELL, mode="presenter"))
    shown = view.table(toy)
    assert shown.title.startswith("Toy in") and "count" not in shown.frame
    # the meetings' catalogue and a slide
    entry = catalogue.entry("toy_gender")
    assert (entry.kind, entry.section, entry.label) == (
        "chart",
        "Who participants are",
        "A toy breakdown",
    )
    slide = meetings.build_slide(ds, meetings.Item("toy_gender", SANDWELL), 1, 1)
    assert slide.table is not None and slide.headline == shown.title
    # the pack's charts, by default
    assert ("toy_gender", "The toy") in [(c.key, c.label) for c in pack.charts()]
    built = pack.build_pack(ds, Selection(mode="presenter"), images=False)
    assert "toy_gender" in built.included
    assert re.search(r"^  toy_gender +shares$", registry.current().rules_text(), re.M)
    # and the standard-mode table has no count: its rule releases none
    standard = toy(ds, Selection(la=SANDWELL, mode="standard"))
    assert "count" not in standard.frame
    assert isinstance(standard.frame, pd.DataFrame) and WHOLE_AREA in set(
        standard.frame["area_code"]
    )


def test_both_hotspot_indices_hide_an_la_exactly_where_its_share_is_hidden() -> None:
    """An LA with fewer than min_base participants has its share [c] (the small-LA rule); an
    index over that share, against the population or against claimants, is the share times a
    published figure, so it is [c] there too, in both modes."""
    rows = people(SANDWELL, 60) + people("E08000025", 45) + people("E08000030", 7)
    small = dataset(rows)
    for mode in ("standard", "presenter"):
        sel = Selection(mode=mode)
        shares = tables.la_shares(small, sel).frame.set_index("area_code")["label"]
        assert shares["E08000030"] == "[c]"
        for index in (tables.hotspot, tables.claimant_hotspot):
            found = index(small, sel).frame.set_index("area_code")["label"]
            hidden = set(shares[shares == "[c]"].index)
            assert set(found[found == "[c]"].index) == hidden, (index.__name__, mode)


def test_the_claimant_hotspot_can_be_shown_in_presenter_mode() -> None:
    """Its note names the working-age band in the words the presenter check knows ("ages 16 to
    64"): before, every presenter-mode claimant hotspot was refused as carrying a count."""
    small = dataset(people(SANDWELL, 60) + people("E08000025", 45))
    table = tables.claimant_hotspot(small, Selection(mode="presenter"))
    assert any("ages 16 to 64" in note for note in table.notes)
    assert set(table.frame["area_code"]) == {SANDWELL, "E08000025"}
