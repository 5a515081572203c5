"""Issue 26, item 3: no count in any text of presenter mode, by construction.

`insight.numbers.presenter_text.check` reads a text and lists every number in it that is not a
shown percentage, index, period, date or count of categories. A presenter-mode SafeTable runs it
on every text it is made with (title, subtitle, notes, text alternative, empty message, caution),
and the headlines and talking points on theirs, so a count fails where the text is made. The
property test builds every catalogue table, headline and talking point for every area and period
of generated datasets (LAs of 5 to 60 people, charts wholly `[c]`) and reads every text against
the one count oracle (tests/count_oracle.py) and the checker.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from insight.core.periods import PERIODS
from insight.core.selection import WHOLE_AREA, Selection
from insight.numbers import catalogue, participants, tables
from insight.numbers.presenter_text import FIXED, CountInPresenterText, check, refuse
from insight.numbers.safe_table import SafeTable, shown_strings
from tests.count_oracle import numbers_in
from tests.unit.test_slides_truth import FIVE, LAS, areas, build
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, dataset, people

KEYS = (
    "la_shares",
    "hotspot",
    "barriers",
    "services",
    "characteristic.age_band",
    "characteristic.gender",
    "characteristic.ethnicity",
    "characteristic.disability",
    "barrier_by_age.mental_health",
    "barrier_by_la.transport",
    "service_by_la.skills_training",
    "trend.barrier.transport.quarter",
    "trend.barrier.mental_health.month",
    "trend.service.skills_training.quarter",
)


# --- the checker -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Mental health is the most reported barrier in Sandwell: 31%, about 1 in 3",
        "Fewer than 1 in 100 (<1%), almost all (>99%), 120% of capacity",
        "Share of participants, by age band, Jul 2024 to Jun 2026",
        "Jul to Sep 2024; 2025-06; 2025-Q3; ONS mid-2022 estimates, ages 16 to 64",
        "Hotspot index: share of participants over share of working-age population "
        "(100 = in proportion), Jul 2024 to Jun 2025",
        "Sandwell 31%, Dudley 27% and 4 more in the table.",
        "2 of 7 local services are planned beyond capacity in Test Area",
        "Over 100% means more referrals are planned than the organisation has places.",
    ],
)
def test_shares_periods_and_fixed_notes_pass(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("993 participants report a mental health barrier", "993"),
        ("Mental health is reported by 31% (1,235 people)", "1,235"),
        ("Only 4 participants in Walsall", "4"),
        ("Sandwell has 12.5 times the area's share", "12.5"),
        ("Started in 2025 alone: 2025", "2025"),
    ],
)
def test_any_other_number_is_refused(text: str, number: str) -> None:
    problems = check(text)
    assert problems and problems[0].startswith(repr(number)), problems


def test_what_the_table_shows_is_excused_and_nothing_else() -> None:
    shown = {"112", "35-49", "Room 42 Trust"}
    assert check("Sandwell 112; aged 35-49; at Room 42 Trust", shown) == []
    assert check("Sandwell 113", shown) != []
    assert check("and 40 more in the table", shown, categories=5) != []
    assert check("and 4 more in the table", shown, categories=5) == []


def test_a_count_in_a_presenter_headline_is_refused_where_it_is_made(monkeypatch) -> None:
    """The issue's example: a raw count put into the Barriers headline fails when the table is
    built, in presenter mode only."""
    ds = dataset(people(SANDWELL, 40, barrier_mental_health=True) + people(BIRMINGHAM, 30))
    monkeypatch.setattr(participants, "top_title", lambda *a, **k: "993 report a barrier")
    with pytest.raises(CountInPresenterText, match="993"):
        tables.barriers(ds, Selection(mode="presenter"))
    assert tables.barriers(ds, Selection(mode="standard")).title == "993 report a barrier"


def test_a_count_in_a_note_or_talking_point_is_refused(monkeypatch) -> None:
    ds = dataset(people(SANDWELL, 40, barrier_mental_health=True) + people(BIRMINGHAM, 30))
    table = tables.barriers(ds, Selection(mode="presenter"))
    with pytest.raises(CountInPresenterText, match="1,040"):
        SafeTable(
            key=table.key,
            title=table.title,
            subtitle=table.subtitle,
            frame=table.frame,
            mode="presenter",
            notes=("Counts: 1,040 people.",),
        )
    monkeypatch.setattr(participants, "narrative_points", lambda **k: ["70 participants started"])
    with pytest.raises(CountInPresenterText, match="70"):
        tables.talking_points(ds, Selection(mode="presenter"))


# --- the property test -----------------------------------------------------------------------
def _texts(ds: object, sel: Selection) -> list[tuple[str, str, set[str]]]:
    """(where, text, what its table shows) for every catalogue table, headline and talking
    point of one area and period in presenter mode."""
    out: list[tuple[str, str, set[str]]] = []
    everything: set[str] = set()  # what any of the tables shows, for headlines and points
    for key in KEYS:
        table = catalogue.entry(key).build(ds, sel)
        assert isinstance(table, SafeTable)
        shown = shown_strings(table.frame)
        everything |= shown
        out += [(key, text, shown) for text in table.texts]
    for headline in tables.headlines(ds, sel):
        texts = (headline.label, headline.value, headline.comparison)
        out += [("headline", text, everything) for text in texts]
    out += [("talking point", point, everything) for point in tables.talking_points(ds, sel)]
    return out


def _counts(ds: object) -> set[int]:
    """Every count of people the generated dataset has: per LA, per month, per value of every
    column, and per LA and value (whole area and LAs; 1 and up, the oracle's own floor aside)."""
    people_ = ds.participants  # type: ignore[attr-defined]
    found = {len(people_)}
    for column in people_.columns:
        if column == "participant_id":
            continue
        found |= set(people_[column].value_counts(dropna=True).tolist())
        found |= set(people_.groupby(["la_code", column], observed=True).size().tolist())
    return {int(n) for n in found if n > 0}


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(spec=areas)
@example(spec={SANDWELL: list(FIVE), LAS[2]: list(FIVE)})
def test_no_presenter_text_holds_a_count(spec: dict) -> None:
    """Every table, headline and talking point of every area and period, in presenter mode: its
    texts are built (the checker is part of building them), and no text holds a number that is
    a count of the dataset (other than a shown share, index, period or date)."""
    ds = build(spec)
    counts = _counts(ds)
    read = 0
    for period in PERIODS:
        for la in (WHOLE_AREA, *spec):
            sel = Selection(la=la, period=period, mode="presenter")
            for where, text, shown in _texts(ds, sel):
                read += 1
                assert check(text, shown) == [], (where, text)
                excused = "\n".join(t for t in shown if not t.endswith("%"))
                plain = text
                for fixed in FIXED:  # the app's fixed notes ("ages 16 to 64")
                    plain = plain.replace(fixed, " ")
                leaked = set(numbers_in(plain)) - set(numbers_in(excused)) - {100}
                assert not leaked & counts - _fractions(text), (where, text, leaked & counts)
    assert read > 0


def _fractions(text: str) -> set[int]:
    """The numbers of natural frequencies ("about 1 in 3") and counts of categories in a text:
    words made from shares and from the table's rows, not counts of people."""
    pattern = r"(\d+) in (\d+)|and (\d+) more in the table|(\d+) of (\d+) local services?"
    return {int(n) for m in re.finditer(pattern, text) for n in m.groups() if n}


def test_numbers_inside_markup_or_an_address_in_a_dataset_name_are_not_counts() -> None:
    """The injection test's area name ('... onerror="window.__pwned=1" ...') made every presenter
    table titled with it refuse itself, and the page fail: a number glued into code-like text is
    not a count in prose. A count standing in the sentence is still refused."""
    from insight.numbers.presenter_text import check

    name = 'Marches <img src=x onerror="window.__pwned=1"> https://evil.example/area/2'
    assert check(f"No local service is planned beyond capacity in {name}") == []
    assert check(f"312 job outcomes in {name}")


# --- one check per table: the texts joined ------------------------------------------------------
def test_a_table_checked_once_still_refuses_the_one_text_that_leaks() -> None:
    """`refuse` reads a table's texts in one joined pass; a count in any one of them (here the
    last note of six texts) is still refused, with the message the text's own check gives."""
    texts = ("Mental health is the most reported barrier", "Share, Jul 2024 to Jun 2025",
             "Participants may report more than one barrier.", "Mental health 31%, Debt 12%.",
             "", "Counts: 1,040 people.")  # fmt: skip
    allowed = ("31%", "12%", "Mental health", "Debt")
    assert check(" ".join(texts[:5]), allowed) == []
    expected = check(texts[5], allowed)
    assert expected and "1,040" in expected[0]
    with pytest.raises(CountInPresenterText) as refused:
        refuse("table barriers", texts, allowed)
    assert str(refused.value).endswith(expected[0])


def test_a_number_cannot_borrow_its_excuse_from_the_next_text() -> None:
    """Joined, one text's last number and the next text's first characters would read as one
    phrase ("70" then "% of..." as "70%", "about 1 in 8" cut across two texts): the separator
    keeps each text's edges, so the count is still refused."""
    with pytest.raises(CountInPresenterText, match="'70'"):
        refuse("table t", ("70", "% of people"))
    with pytest.raises(CountInPresenterText, match="'8'"):
        refuse("table t", ("about 1 in", "8 participants"))
    with pytest.raises(CountInPresenterText, match="'35'"):
        refuse("table t", ("Aged 35", "-49 report it"), allowed=("35-49",))
    refuse("table t", ("Aged 35-49 report it", "70% of people"), allowed=("35-49",))


def test_a_text_holding_the_separator_is_checked_on_its_own() -> None:
    """A text (or an allowed phrase) that holds the separator itself falls back to one check
    per text: the same verdict, never a pass."""
    with pytest.raises(CountInPresenterText, match="'993'"):
        refuse("table t", ("a\x00b", "993 started"))
    with pytest.raises(CountInPresenterText, match="'993'"):
        refuse("table t", ("31%", "993 started"), allowed=("x\x0012",))
    refuse("table t", ("a\x00b", "31% started"), allowed=("31%",))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(
        st.lists(
            st.sampled_from(("31%", "12", "Jul 2024", "to", "Jun 2025", "about 1 in", "8", "%",
                             "35-49", "and 4 more in the table", "<br>", ",", ".", "people", "")),
            max_size=6,
        ).map(" ".join),
        max_size=6,
    ),
)  # fmt: skip
def test_one_joined_check_agrees_with_a_check_per_text(texts: list[str]) -> None:
    """Whatever the texts, the joined pass refuses exactly when some text's own check would."""
    allowed = ("35-49", "12")
    per_text = [p for text in texts for p in check(text, allowed, categories=3)]
    if per_text:
        with pytest.raises(CountInPresenterText):
            refuse("table t", texts, allowed, categories=3)
    else:
        refuse("table t", texts, allowed, categories=3)
