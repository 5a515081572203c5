"""Issue 30 item 1: `prepare` never invents a flag key. It maps raw columns to the contract's
own keys; any other flag-like column is asked about, and a key the user declares (recipe or Data
page) goes through the same allow-list and deny vocabulary as dataset.toml."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from insight.cli import main
from insight.intake import prepare

HEADER = ["Client Ref", "Local Authority", "Start Date", "Status", "Age", "Gender", "Ethnicity"]
HEADER += ["Disability", "Barrier - Housing", "Service - Into work support", "Service: Mentoring"]
ROWS = [
    ["C1", "Birmingham", "01/07/2024", "Active", "27", "F", "White", "Y", "Y", "Y", "N"],
    ["C2", "Coventry", "02/08/2024", "Active", "40", "M", "Asian", "N", "N", "N", "Y"],
]


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "extract.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def test_a_service_into_work_column_is_never_mapped_by_itself(extract: Path) -> None:
    """The issue's example: prepare mapped 'Service - Into work support' to a flag by itself."""
    assert prepare.recognise("Service - Into work support") is None
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    assert not [name for name in recipe.columns if name.startswith("service_")]
    assert recipe.columns["barrier_housing"] == "Barrier - Housing"  # a contract key still maps
    result = prepare.prepare(raw, recipe)
    assert result.ok, result.text()
    assert result.output is not None
    assert [n for n in result.output.column_names if n.startswith("service_")] == []
    assert result.asks == [
        ("Service - Into work support", "service_into_work_support"),
        ("Service: Mentoring", "service_mentoring"),
    ]
    text = result.text()
    assert prepare.ASK_HEADING in text
    assert "[columns]" in text and "[services]" in text and "Its label" in text


def test_the_command_line_lists_the_columns_it_asks_about(extract: Path, tmp_path: Path, capsys):
    assert main(["prepare", str(extract), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "'Service - Into work support': if it records support the provider gives" in out
    header = (tmp_path / "out" / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "service_" not in header


def test_a_declared_key_with_a_label_is_mapped(extract: Path) -> None:
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    recipe.columns["service_mentoring"] = "Service: Mentoring"
    recipe.services["mentoring"] = "Peer mentoring"
    result = prepare.prepare(raw, recipe)
    assert result.ok, result.text()
    assert result.output is not None and "service_mentoring" in result.output.column_names
    assert (
        '[services]  # the provider\'s own keys, with their labels\nmentoring = "Peer mentoring"'
        in (recipe.to_toml())
    )
    again = prepare.Recipe.from_toml(recipe.to_toml())
    assert again.services == {"mentoring": "Peer mentoring"}


def test_an_undeclared_key_in_the_recipe_is_refused(extract: Path) -> None:
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    recipe.columns["service_mentoring"] = "Service: Mentoring"
    result = prepare.prepare(raw, recipe)
    assert not result.ok
    assert any("declare mentoring with its label under [services]" in m for m in result.missing)


@pytest.mark.parametrize(
    ("key", "label"),
    [("into_work_support", "Into work support"), ("coaching", "Sustained employment coaching")],
)
def test_a_declared_key_in_the_vocabulary_is_refused(extract: Path, key: str, label: str) -> None:
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    recipe.columns[f"service_{key}"] = "Service - Into work support"
    recipe.services[key] = label
    result = prepare.prepare(raw, recipe)
    assert not result.ok
    assert any("DWP performance measure" in m for m in result.missing), result.missing


def test_the_command_line_writes_the_recipes_declared_keys_into_dataset_toml(
    extract: Path, tmp_path: Path
) -> None:
    raw = prepare.read_raw(extract)
    recipe = prepare.suggest_recipe(raw)
    recipe.columns["service_mentoring"] = "Service: Mentoring"
    recipe.services["mentoring"] = "Peer mentoring"
    (tmp_path / "recipe.toml").write_text(recipe.to_toml(), encoding="utf-8")
    meta = tmp_path / "meta.toml"
    meta.write_text(
        'provider_name = "P"\narea_name = "A"\nperiod_start = "2024-07"\n'
        'period_end = "2024-12"\nextract_date = "2025-01-05"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["prepare", str(extract), "--out", str(out), "--recipe", str(tmp_path / "recipe.toml")]
    assert main([*args, "--meta", str(meta)]) == 0
    assert "[services]" in (out / "dataset.toml").read_text(encoding="utf-8")
    from insight.intake.load import validate_folder

    report = validate_folder(out)
    assert report.ok, report.text()
