"""Issue 30 item 1: para 5 by allow-list (the closed list of barrier and service keys) and the
deny vocabulary as its second line, in column, sheet and file names and free text alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from insight.core.contract import BARRIERS, SERVICES
from insight.core.problems import DatasetRefused
from insight.intake import guard
from insight.intake.load import load_dataset, validate_folder
from insight.intake.vocabulary import TERMS, performance_name_terms, performance_terms
from tests.unit import _datasets as ds

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
THE_LEAK = ["service_into_work", "service_sustained_employment", "service_earnings_threshold"]


def _rules(folder: Path) -> set[tuple[str, str | None]]:
    return {(p.rule, p.column) for p in validate_folder(folder).problems}


# --- the allow-list ------------------------------------------------------------------------------
@pytest.mark.parametrize("column", THE_LEAK)
def test_the_three_service_columns_that_showed_into_work_are_refused(
    tmp_path: Path, column: str
) -> None:
    """They passed and showed 'Into work 31%' on Service usage in presenter mode: now the key is
    not on the closed list, and its words are the vocabulary's (the second line)."""
    data = ds.tables()
    ds.add_column(data, "participants", column, ["yes"] * 6)
    with pytest.raises(DatasetRefused) as refused:
        load_dataset(ds.write(tmp_path, data))
    rules = {(p.rule, p.column) for p in refused.value.report.problems}
    assert ("undeclared_flag", column) in rules
    assert ("performance_words", column) in rules
    undeclared = next(p for p in refused.value.report.problems if p.rule == "undeclared_flag")
    assert undeclared.file == "participants.csv"
    assert "dataset.toml" in undeclared.message and "[services]" in undeclared.message


@pytest.mark.parametrize("column", THE_LEAK)
def test_declaring_them_does_not_let_them_through(tmp_path: Path, column: str) -> None:
    """Even declared with an innocent label, the deny vocabulary refuses the key (in dataset.toml
    and in the column name)."""
    key = column.removeprefix("service_")
    data = ds.tables()
    ds.add_column(data, "participants", column, ["yes"] * 6)
    meta = ds.META + f'\n[services]\n{key} = "Extra support"\n'
    rules = _rules(ds.write(tmp_path, data, meta=meta))
    assert ("performance_words", f"services.{key}") in rules
    assert ("performance_words", column) in rules


def test_an_undeclared_provider_key_is_refused_with_how_to_declare_it(tmp_path: Path) -> None:
    data = ds.tables()
    ds.add_column(data, "participants", "barrier_caring_responsibilities", ["no"] * 6)
    [problem] = validate_folder(ds.write(tmp_path, data)).problems
    assert (problem.rule, problem.file, problem.column, problem.para) == (
        "undeclared_flag",
        "participants.csv",
        "barrier_caring_responsibilities",
        "para 5",
    )
    assert '[barriers] with its label, e.g. caring_responsibilities = "Its label"' in (
        problem.message
    )


def test_a_declared_provider_key_with_a_label_is_accepted(tmp_path: Path) -> None:
    data = ds.tables()
    ds.add_column(data, "participants", "service_mentoring", ["yes", "no"] * 3)
    meta = ds.META + '\n[services]\nmentoring = "Peer mentoring"\n'
    loaded = load_dataset(ds.write(tmp_path, data, meta=meta))
    assert "mentoring" in loaded.service_keys
    assert loaded.meta.declared_services == (("mentoring", "Peer mentoring"),)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('[services]\nMentoring = "Peer mentoring"', "is not a key"),
        ('[services]\nmentoring = ""', "needs a label"),
        ("[services]\nmentoring = 3", "needs a label"),
        ('[services]\nskills_training = "Skills"', "contract's own keys"),
        ('[barriers]\nliteracy = "Reading"', "contract's own keys"),
        ('services = "mentoring"', "should be a [services] table"),
        ('[services]\nmentoring = "Into work coaching"', "DWP performance measure"),
    ],
)
def test_bad_declarations_are_refused_with_a_plain_message(
    tmp_path: Path, section: str, message: str
) -> None:
    report = validate_folder(ds.write(tmp_path, ds.tables(), meta=ds.META + "\n" + section + "\n"))
    assert report.problems and all(p.file == "dataset.toml" for p in report.problems)
    assert message in report.problems[0].message


def test_the_contract_keys_need_no_declaration(tmp_path: Path) -> None:
    data = ds.tables()
    for key in BARRIERS:
        if f"barrier_{key}" not in data["participants"]["columns"]:
            ds.add_column(data, "participants", f"barrier_{key}", ["no"] * 6)
    for key in SERVICES:
        if f"service_{key}" not in data["participants"]["columns"]:
            ds.add_column(data, "participants", f"service_{key}", ["no"] * 6)
    assert validate_folder(ds.write(tmp_path, data)).ok


def test_the_bundled_sample_still_loads() -> None:
    assert validate_folder(SAMPLE).ok


# --- the deny vocabulary ----------------------------------------------------------------------
NAMES = [
    ("service_into_work", "into work"),
    ("In Work", "in work"),
    ("employed_pct", "employed"),
    ("found_work", "found work"),
    ("Hired", "hired"),
    ("placements", "placements"),
    ("sustained_jobs", "sustained employment"),
    ("SustainedEmployment", "sustained employment"),
    ("sust_rate", "sustained"),
    ("earnings-threshold", "earnings threshold"),
    ("JobStart", "job start"),
    ("job starts", "job start"),
    ("JSO", "JSO"),
    ("OP", "OP (outcome payment)"),
    ("PRaP extract", "PRaP"),
    ("prap", "PRaP"),
    ("customer_service_standards", "customer service standards"),
    ("Customer Satisfaction", "customer satisfaction"),
    ("C.S.S.", "CSS (customer service standards or satisfaction)"),
    ("c_s_s", "CSS (customer service standards or satisfaction)"),
    ("CSS", "CSS (customer service standards or satisfaction)"),
    ("cust_sat", "customer satisfaction"),
    ("cust sat", "customer satisfaction"),
    ("custsat", "customer satisfaction"),
    ("NPS", "NPS"),
    ("J.O.", "J.O."),
    ("jobout", "jobout"),
    ("commenced", "commenced"),
    ("canlyniad swydd", "canlyniad swydd (job outcome)"),
    ("canlyniadau", "canlyniadau (outcomes)"),
    ("atgyfeiriad", "atgyfeiriad (referral)"),
    ("atgyfeiriadau", "atgyfeiriad (referral)"),
    ("cychwyn", "cychwyn (start)"),
    ("cychwyniadau", "cychwyn (start)"),
    ("taliad canlyniad", "taliad canlyniad (outcome payment)"),
    ("serviceintowork", "into work"),  # run together
    ("service_\u200binto_work", "into work"),  # a zero-width space inside
    ("ＪＳＯ", "JSO"),  # full-width letters
]


@pytest.mark.parametrize(("name", "term"), NAMES)
def test_every_term_and_spelling_is_found_in_a_name(name: str, term: str) -> None:
    assert term in performance_name_terms(name)


@pytest.mark.parametrize(
    "name",
    ["barrier_operations_experience", "Jsonify", "service_self_employed_support"]
    + ["service_in_work_support", "barrier_long_term_unemployed", "service_cv_workshops"]
    + ["service_job_search_coaching", "barrier_criminal_record", "service_work_placement"]
    + ["service_mentoring", "sector", "employer", "Customer service and contact centres"]
    + ["service_employability_course", "barrier_jobseeker_history", "service_top_up_support"]
    + ["barrier_in_work_poverty", "service_in_work_progression", "service_work_placements"],
)
def test_realistic_provider_names_are_not_matched(name: str) -> None:
    assert performance_name_terms(name) == []


def test_no_false_positive_anywhere_in_the_sample() -> None:
    """Every column name and every free-text value of the bundled sample passes."""
    import pandas as pd

    for path in SAMPLE.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        named = [c for c in frame.columns if performance_name_terms(c)]
        # job_entries' own `sustained` flag is the contract's, allowed by the guard by name
        assert named == (["sustained"] if path.stem == "job_entries" else []), path.name
        assert not performance_name_terms(path.stem)
        for column in frame.columns:
            if column in (
                "sector",
                "employer",
                "organisation",
                "service",
                "title",
                "text",
                "approach",
            ):
                hits = {v: performance_terms(v) for v in set(frame[column]) if v}
                assert not {v: t for v, t in hits.items() if t}, (path.name, column)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Into work 31% this quarter", "into work"),
        ("31% of participants found work", "found work"),
        ("312 hired by local employers", "hired"),
        ("into work: 312", "into work"),
        ("85% sustained after six months", "sustained"),
        ("PRaP ranking 2nd of 8", "PRaP"),  # anywhere
        ("Our JSO figures are strong", "JSO"),
        ("We beat the earnings threshold", "earnings threshold"),
        ("Cust sat is up", "customer satisfaction"),
        ("C.S.S. results improved", "CSS (customer service standards or satisfaction)"),
        ("sustained employment rose", "sustained employment"),
        ("Mae 40 canlyniadau", "canlyniadau (outcomes)"),
        ("taliad canlyniad", "taliad canlyniad (outcome payment)"),
        ("twenty placements this year", "placements"),
    ],
)
def test_free_text_with_a_performance_word_is_found(text: str, term: str) -> None:
    assert term in performance_terms(text)


@pytest.mark.parametrize(
    "text",
    [
        "keeps people in work through the difficult start",
        "Weekly job clubs in 2024 helped people into work.",
        "Volunteering placements",
        "In-work support for the first twelve weeks",
        "Help for self-employed people to set up",
        "Jo from the council runs the club",
        "Operations staff run the warehouse",
    ],
)
def test_ordinary_prose_passes(text: str) -> None:
    assert performance_terms(text) == []


def test_free_text_in_a_dataset_is_refused_by_row_without_quoting_it(tmp_path: Path) -> None:
    """A rate of an outcome in free text is para 5 twice over: its words and its figure."""
    data = ds.tables()
    ds.set_cell(data, "insights", "text", 3, "Into work 31% in Trafford")
    problems = validate_folder(ds.write(tmp_path, data)).problems
    assert {(p.rule, p.file, p.column, p.row) for p in problems} == {
        ("performance_text", "insights.csv", "text", 3),
        ("count_text", "insights.csv", "text", 3),
    }
    assert not any("Trafford" in p.message for p in problems)


def test_provider_and_area_names_are_screened(tmp_path: Path) -> None:
    meta = ds.META.replace('"Test Area"', '"PRaP league area"')
    [problem] = validate_folder(ds.write(tmp_path, ds.tables(), meta=meta)).problems
    assert (problem.file, problem.column, problem.rule) == (
        "dataset.toml",
        "area_name",
        "performance_text",
    )


@pytest.mark.parametrize("name", ["PRaP extract.csv", "JobStarts.xlsx", "canlyniadau.csv"])
def test_a_file_named_with_the_vocabulary_is_refused(tmp_path: Path, name: str) -> None:
    folder = ds.write(tmp_path)
    (folder / name).write_bytes(b"la_code\nE08000025\n")
    problems = validate_folder(folder).problems
    assert [(p.file, p.para) for p in problems if p.kind == "performance_data"] == [
        (name, "para 5")
    ]


def test_a_sheet_named_prap_extract_is_refused(tmp_path: Path) -> None:
    data = ds.tables()
    folder = ds.write(tmp_path, data, formats={"vacancies": "xlsx"})
    book = Workbook()
    book.active.title = "vacancies"
    for row in [data["vacancies"]["columns"], *data["vacancies"]["rows"]]:
        book.active.append(row)
    book.create_sheet("PRaP extract")
    book.save(folder / "vacancies.xlsx")
    problems = validate_folder(folder).problems
    [problem] = [p for p in problems if p.rule == "performance_words"]
    assert problem.file == "vacancies.xlsx" and "PRaP extract" in problem.message


def test_the_vocabulary_is_one_function_the_guard_exposes() -> None:
    assert guard.performance_terms is performance_terms


# --- property: any spelling of a term, however separated, cased or padded, is found ------------
_SEPARATORS = st.sampled_from(["_", "-", ".", " ", "  ", "/", "_\u200b", "\u00ad-", " - "])


@settings(max_examples=150, deadline=None)
@given(
    term=st.sampled_from([t for t in TERMS if not t.unless_before and not t.unless_after]),
    separator=_SEPARATORS,
    upper=st.booleans(),
    prefix=st.sampled_from(["", "service_", "barrier_", "Total ", "pct of "]),
    suffix=st.sampled_from(["", "_flag", " (Y/N)", ".csv", " rate"]),
)
def test_a_term_is_found_however_it_is_written(
    term, separator: str, upper: bool, prefix: str, suffix: str
) -> None:
    words = [w.upper() if upper else w for w in term.words]
    name = prefix + separator.join(words) + suffix
    assert term.label in performance_name_terms(name), name


def test_a_declared_label_is_shown_and_never_another_datasets(tmp_path: Path) -> None:
    from insight.core import contract

    data = ds.tables()
    ds.add_column(data, "participants", "service_befriending", ["yes", "no"] * 3)
    first = ds.META + '\n[services]\nbefriending = "Befriending calls"\n'
    load_dataset(ds.write(tmp_path / "a", data, meta=first))
    assert contract.service_label("befriending") == "Befriending calls"
    second = ds.META + '\n[services]\nbefriending = "Community befriending"\n'
    load_dataset(ds.write(tmp_path / "b", data, meta=second))
    # two labels for one key in this process: the key's own words, not either label
    assert contract.service_label("befriending") == "Befriending"
