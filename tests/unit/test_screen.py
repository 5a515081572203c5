"""The free-text screen (insight.intake.screen): every example of issue 14's para 7 findings and issue 17's
numbers in free text, their variants, the text that must pass, the bundled sample's texts (no
false positives), the bulk RE2 prefilter never missing what the precise checks find, and no
message ever holding what was found."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from insight.intake import screen
from insight.intake.guard import compact
from insight.sample import text as sample_text
from insight.sharing import store

ROOT = Path(__file__).resolve().parents[2]

# (text, kind): the issue's examples first, then variants.
FOUND = [
    # issue 14, para 7: what reached a presenter-mode What works card
    ("Jane Doe told us the course helped", screen.NAME),
    ("DOB 12/03/1985", screen.BIRTH),
    ("Lives at 12 Acacia Avenue", screen.ADDRESS),
    ("Ref AB.12.34.56.C", screen.NINO),
    ("Hub at B1  1AA", screen.POSTCODE),
    ("write to name at example dot com", screen.EMAIL),
    ("Call 07700.900.123", screen.PHONE),
    # National Insurance numbers however spaced or punctuated
    ("QQ 12 34 56 C", screen.NINO),
    ("ab-12-34-56-d", screen.NINO),
    ("AB/12/34/56/A", screen.NINO),
    ("ni: ab 123456 c", screen.NINO),
    # postcodes
    ("B69 4HE", screen.POSTCODE),
    ("sw1a-1aa", screen.POSTCODE),
    ("WV10.6QH", screen.POSTCODE),
    ("B69\u00a04HE", screen.POSTCODE),  # a non-breaking space
    # e-mails, plain and spelt out
    ("jane.doe@example.com", screen.EMAIL),
    ("jane @ example.co.uk", screen.EMAIL),
    ("name [at] example [dot] com", screen.EMAIL),
    ("name(at)example(dot)org", screen.EMAIL),
    ("jane dot doe at council dot gov dot uk", screen.EMAIL),
    ("NAME AT EXAMPLE DOT COM", screen.EMAIL),
    # phones with any separators
    ("+44 (0)7700 900123", screen.PHONE),
    ("07700 900123", screen.PHONE),
    ("0121-496-0000", screen.PHONE),
    ("(0121) 496 0000", screen.PHONE),
    ("0044 7700 900 123", screen.PHONE),
    ("+44\u20097700\u2009900123", screen.PHONE),  # thin spaces
    # NHS numbers with a valid check digit, any spacing
    ("NHS 943 476 5919", screen.NHS),
    ("9434765919", screen.NHS),
    ("943-476-5919", screen.NHS),
    # dates of birth
    ("date of birth: 1985", screen.BIRTH),
    ("born on 3rd March 1985", screen.BIRTH),
    ("Born 1 Jan 1990", screen.BIRTH),
    ("D.O.B. 1985-03-12", screen.BIRTH),
    ("dob 12.3.85", screen.BIRTH),
    # street addresses
    ("Flat 3, 14 High Street", screen.ADDRESS),
    ("moved to 7b Mill Lane last week", screen.ADDRESS),
    ("22 Church Road", screen.ADDRESS),
    ("5 Oak Tree Close", screen.ADDRESS),
    ("at 9 acacia avenue", screen.ADDRESS),
    # names: a title, or a common forename and a capitalised word
    ("Mr Smith found work", screen.NAME),
    ("spoke to Mrs. Khan", screen.NAME),
    ("Dr Patel referred him", screen.NAME),
    ("Ms O'Neill", screen.NAME),
    ("Mx Taylor", screen.NAME),
    ("Miss Jones", screen.NAME),
    ("mr smith", screen.NAME),
    ("I met Will Smith at the fair", screen.NAME),
    ("Mohammed Ali started on Monday", screen.NAME),
    ("thanks to Sarah J. for the referral", screen.NAME),
    ("Jane\u00a0Doe", screen.NAME),
    # issue 17 item 6: small counts of people
    ("3 people in Trafford found work", screen.SMALL_COUNT),
    ("two of our participants moved on", screen.SMALL_COUNT),
    ("Only 1 customer", screen.SMALL_COUNT),
    ("helped 2-3 lone parents", screen.SMALL_COUNT),
    ("Seven young people joined", screen.SMALL_COUNT),
    # hypothesis found it: 'MS' (skipped: 'MS Society') took 'Mr' as its word, hiding 'Mr Smith'
    ("MS\nMr Smith", screen.NAME),
    ("DR Mrs Khan called", screen.NAME),
    # hypothesis found it: a line break was read as a space, so 'LN' on the next line made
    # 'Jane Doe' a street ('Doe Ln'), and a name on a line of its own was let through
    ("\nJane Doe\nLN", screen.NAME),
    ("Jane Doe\r\nLtd", screen.NAME),
    ("Jane\u2028Doe", screen.NAME),
]

PASSES = [
    "2024",
    "10%",
    "£3,000",
    "3 sessions a week",
    "one in five people",
    "1 in 4 participants",
    "Over 50% of participants",
    "people over 50",
    "Rolled out 01/02/2024",
    "Rolled out 01/02/2024 10:00",
    "Between 10:00 and 12:00",
    "In 2024-07 and 2025",
    "Weekly sessions in B1 and WV10",
    "M1 2nd floor",
    "apply at gov.uk or jobs at indeed.co.uk",
    "943 476 5918",  # wrong NHS check digit
    "Ref 123456",
    "P000000123",
    "RS-000001",
    "E08000025",
    "version 2.0.1",
    "Will People come?",  # 'Will' at a sentence start is a word
    "May Day training",
    "Grace Period extended",
    "Hope Street Centre",  # a place
    "Grace Foods Ltd",
    "John Lewis Partnership",
    "Amber Valley",
    "Monday to Friday",
    "people born in the 1960s",
    "one-to-one help",
    "MR scan waiting times",
    "12 weeks",
    "3 days a week at 2 sites",
    "The Will Power course",
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_each_kind_is_found(text: str, kind: str) -> None:
    assert kind in screen.findings(text), (text, screen.findings(text))


@pytest.mark.parametrize("text", PASSES)
def test_ordinary_text_passes(text: str) -> None:
    assert screen.findings(text) == ()


def test_the_stakeholder_insight_of_the_issue_finds_every_kind() -> None:
    text = "Jane Doe (07700 900123, jane.doe@example.com, NI AB123456C, lives at B69 4HE)"
    assert set(screen.findings(text)) == {
        screen.NAME,
        screen.PHONE,
        screen.EMAIL,
        screen.NINO,
        screen.POSTCODE,
    }


def test_small_count_threshold_follows_the_dataset() -> None:
    assert not screen.has_small_count("15 people found work")
    assert screen.has_small_count("15 people found work", below=20)
    assert screen.SMALL_COUNT not in screen.findings("0 people")
    assert screen.personal_kinds("3 people") == ()


def test_nhs_check_digit() -> None:
    assert screen.nhs_number_valid("9434765919")
    assert not screen.nhs_number_valid("9434765918")
    assert not screen.nhs_number_valid("1234567890")  # check digit would be 10: never issued


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_the_bulk_prefilter_catches_every_example(text: str, kind: str) -> None:
    assert pc.match_substring_regex(pa.array([text]), screen.PREFILTER)[0].as_py()


def test_ids_of_the_sample_do_not_reach_the_precise_checks() -> None:
    """A million participant_ids must stay in RE2: the prefilter lets none of these through."""
    ids = pa.array([f"RS-{i:06d}" for i in range(0, 1_000_000, 37)] + ["P000000123", "E08000025"])
    assert pc.sum(pc.match_substring_regex(ids, screen.PREFILTER)).as_py() == 0


# --- false positives on the bundled sample -------------------------------------------------------
def sample_texts() -> set[str]:
    texts: set[str] = set()
    for path in [*ROOT.glob("sample_data/*.csv"), ROOT / "sample_data/geo/lad_lookup.csv"]:
        with path.open(encoding="utf-8") as handle:
            for row in list(csv.reader(handle))[1:]:  # values, not the header
                texts.update(value for value in row if value)
    for rows in (sample_text.INSIGHTS, sample_text.PLANS, sample_text.PROVISION):
        for row in rows:
            texts.update(value for value in row if isinstance(value, str))
    for employers in sample_text.EMPLOYERS.values():
        texts.update(employers)
    texts.update(sample_text.SECTORS)
    return texts


def test_the_samples_texts_trip_nothing() -> None:
    """Measured: every distinct value of the sample's tables, the generator's catalogue and the
    ONS LA names (about 42,000 texts) - none trips the screen, forename list included."""
    texts = sample_texts()
    assert len(texts) > 40_000
    tripped = sorted(text for text in texts if screen.findings(text))
    assert tripped == []


def test_the_forename_list_is_shipped_with_its_source() -> None:
    names = screen.forenames()
    assert len(names) > 400 and {"jane", "mohammed", "priya"} <= names
    attribution = (ROOT / "insight" / "reference" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "forenames.txt" in attribution and "licence" in attribution.lower()


# --- properties ----------------------------------------------------------------------------------
_TEXT = st.lists(
    st.sampled_from(
        [*"abcdeoBMDJSW0123456789 .-/()@+:,%£", "\u00a0", "\u2009", "\n", "\u0131", "\u212a"]
        + [" at ", " dot ", "Mr ", "Jane ", "Doe", " people", "DOB ", "Road", "44", "07700"]
        + ["Street", "born ", "March ", "[at]", "com", " in ", "two ", "Flat "]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
@example("eo")  # found by hypothesis: the guard's abbreviation for earnings outcomes
@example("JOs and CSAT")
def test_the_prefilter_never_misses_what_the_precise_checks_find(text: str) -> None:
    if screen.findings(text, small_below=1000):
        assert pc.match_substring_regex(pa.array([text]), screen.PREFILTER)[0].as_py(), text


_DETAILS = st.one_of(
    st.builds(
        lambda a, b, c, d: f"{a}{b[0]}{c}{b[1]}{d}",
        st.sampled_from(["AB", "QQ", "je", "PX"]),
        st.sampled_from([(" ", " "), (".", "."), ("", ""), ("-", "-")]),
        st.integers(100000, 999999).map(
            lambda n: f"{n // 10000:02d} {n // 100 % 100:02d} {n % 100:02d}"
        ),
        st.sampled_from("ABCD"),
    ),
    st.builds(
        lambda n, s: f"07{n:03d}{s}900{n % 1000:03d}",
        st.integers(100, 999),
        st.sampled_from([" ", ".", "-", ""]),
    ),
    st.builds(
        lambda u, d: f"{u} at {d} dot com",
        st.sampled_from(["jane", "m.khan", "bob99"]),
        st.sampled_from(["example", "mail"]),
    ),
    st.builds(lambda u: f"{u}@example.org", st.sampled_from(["jane.doe", "k", "x_y"])),
    st.builds(
        lambda o, s, i: f"{o}{s}{i}",
        st.sampled_from(["B1", "WV10", "SW1A", "M60"]),
        st.sampled_from([" ", "  ", ".", "-"]),
        st.sampled_from(["1AA", "6QH", "4HE"]),
    ),
    st.builds(
        lambda f, s: f"{f} {s}",
        st.sampled_from(["Jane", "Mohammed", "Priya", "Gareth"]),
        st.sampled_from(["Doe", "Okafor", "Llewellyn"]),
    ),
    st.builds(
        lambda t, s: f"{t} {s}",
        st.sampled_from(["Mr", "Mrs", "Dr", "Mx"]),
        st.sampled_from(["Smith", "Khan"]),
    ),
    st.builds(
        lambda n, s: f"{n} {s}",
        st.integers(1, 99),
        st.sampled_from(["Acacia Avenue", "High Street", "Mill Lane"]),
    ),
    st.builds(
        lambda n, w: f"{n} {w} found work",
        st.integers(1, 9),
        st.sampled_from(["people", "participants", "customers"]),
    ),
)


# No NUL: the store refuses one before any screen (a check of its own, tests/unit/test_store.py).
_AROUND = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_AROUND, _DETAILS, _AROUND)
def test_no_detail_found_is_ever_echoed_in_a_message(before: str, detail: str, after: str) -> None:
    """Whatever surrounds it, a detail the screen finds never comes back in the message a person
    sees (the store's refusal) - not even with its spacing changed."""
    text = f"{before}\n{detail}\n{after}"
    kinds = screen.findings(text)
    assert kinds, detail
    with pytest.raises(store.PersonalDetail) as refused:
        store.add_insight(
            organisation="Partner", la="all", theme="Other", text=text, shared_on="2025-03-01"
        )
    message = str(refused.value)
    assert refused.value.kinds == kinds and refused.value.field == "text"
    assert detail not in message
    assert compact(detail) not in compact(message)
    assert store.list_insights() == []


# --- the briefing pack's note is printed in the pack: screened before anything is written ---------
def test_a_pack_note_with_a_personal_detail_writes_and_logs_nothing(tmp_path: Path) -> None:
    from insight.core.selection import Selection
    from insight.service.release import export_pack
    from tests.unit.tiny_dataset import SANDWELL, dataset, people

    out = tmp_path / "pack.pdf"
    with pytest.raises(store.PersonalDetail) as refused:
        export_pack(dataset(people(SANDWELL, 30)), Selection(), note="For Jane Doe", write_to=out)
    assert refused.value.kinds == (screen.NAME,) and "Jane Doe" not in str(refused.value)
    assert not out.exists() and store.list_log() == []


def test_the_cli_refuses_a_personal_note_without_writing_or_echoing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    out = tmp_path / "pack.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "insight", "export", "--dataset", "sample_data", "--la", "all"]
        + ["--note", "Sent to jane.doe@example.com", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert result.returncode == 1 and "email address" in result.stderr
    assert "jane.doe" not in result.stderr + result.stdout
    assert not out.exists()
