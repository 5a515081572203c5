"""Docs that cannot drift: the About page (through the app) and the README name every disclosure
threshold with its value and every guard in insight.intake.guard.GUARD_RULES; a dataset with stricter
thresholds shows its own values."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from insight.core.thresholds import DEFAULT_THRESHOLDS, Thresholds
from insight.intake.guard import GUARD_RULES
from insight.outputs.about import sections
from tests.app.app_scan import screen_text
from tests.app.harness import opened

ROOT = Path(__file__).resolve().parents[2]
THRESHOLDS = [(f.name, getattr(DEFAULT_THRESHOLDS, f.name)) for f in fields(Thresholds)]


def about_page(dataset: Path, monkeypatch: pytest.MonkeyPatch, mode: str = "standard") -> str:
    monkeypatch.setenv("INSIGHT_DATASET", str(dataset))
    monkeypatch.syspath_prepend(str(ROOT))
    return screen_text(opened("pages/about/about.py", mode))


@pytest.mark.parametrize("mode", ["standard", "presenter"])
def test_about_page_lists_every_threshold_and_guard(
    mode: str, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = about_page(sample_dir, monkeypatch, mode)
    for name, value in THRESHOLDS:
        assert f"`{name}` = {value}" in text, f"About page misses {name} = {value}"
    for rule in GUARD_RULES:
        assert rule.name in text and rule.refuses in text, f"About page misses guard {rule.name}"
    assert "Open Government Licence" in text


def test_readme_lists_every_threshold_and_guard() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, value in THRESHOLDS:
        assert f"| `{name}` | {value} |" in readme, f"README misses {name} = {value}"
    for rule in GUARD_RULES:
        assert f"`{rule.name}`" in readme, f"README misses guard {rule.name}"
        assert rule.para in readme


def test_about_page_shows_a_datasets_stricter_thresholds(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = tmp_path / "strict"
    shutil.copytree(sample_dir, strict, ignore=shutil.ignore_patterns("geo", "README.md"))
    toml = strict / "dataset.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[disclosure]\nmin_base = 20\nround_to = 10\n",
        encoding="utf-8",
    )
    text = about_page(strict, monkeypatch)
    assert "`min_base` = 20" in text and "`round_to` = 10" in text
    assert "`min_base` = 10" in text, "the defaults are listed beside the dataset's own"


def test_about_sections_come_from_the_code() -> None:
    body = "\n".join(text for _, text in sections(None))
    for name, value in THRESHOLDS:
        assert f"`{name}` = {value}" in body
