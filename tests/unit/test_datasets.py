"""Kept datasets, safe uploads and the data root: names are checked, a ZIP cannot write outside
its folder or unpack without bound, and no path outside the data root can be opened or probed."""

from __future__ import annotations

import io
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from insight.intake.load import dataset_fingerprint, validate_folder
from insight.sharing import datasets
from insight.sharing.datasets import Upload, UploadError, folder_in_root, unpack_uploads

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.mark.parametrize("name", ["team-a", "March_2025", "x", "A1"])
def test_safe_names_are_accepted(name):
    assert datasets.valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "../x", "a/b", ".hidden", "-x", "a b", "x" * 41, "naïve", "a\x00b", "a.b"]
)
def test_unsafe_names_are_refused(name):
    assert not datasets.valid_name(name)
    with pytest.raises(UploadError):
        datasets.keep(name, SAMPLE)


def test_keep_list_choose_and_remove(tmp_path):
    kept = datasets.keep("west", SAMPLE)
    assert kept == datasets.datasets_dir() / "west"
    assert datasets.kept_names() == ["west"]
    assert datasets.kept_folder("nope") is None and datasets.kept_folder("../west") is None
    assert datasets.kept_folder("west") == kept
    files = [path for path in kept.iterdir() if path.name != datasets.AUDIENCE_FILE]
    for path in files:  # the dataset's files, byte for byte
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes()
    assert {p.name for p in files} == {
        p.name for p in SAMPLE.iterdir() if p.suffix in (".csv", ".toml")
    }
    assert dataset_fingerprint(kept) == dataset_fingerprint(datasets.keep("again", kept))
    assert datasets.kept_name_of(kept) == "west"
    assert datasets.kept_name_of(SAMPLE) is None
    with pytest.raises(UploadError, match="already kept"):
        datasets.keep("west", SAMPLE)
    assert datasets.remove("west")
    assert not kept.exists() and datasets.kept_names() == ["again"]
    assert not datasets.remove("west")


def test_keep_copies_only_the_dataset_files(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(SAMPLE, source)
    (source / "notes.txt").write_text("not part of the dataset")
    kept = datasets.keep("only", source)
    assert "notes.txt" not in {p.name for p in kept.iterdir()}
    assert "participants.csv" in {p.name for p in kept.iterdir()}
    assert not any(p.name.startswith(".") for p in datasets.datasets_dir().iterdir())


# --- uploads ---------------------------------------------------------------------------------
def _zip(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return out.getvalue()


def test_a_zip_of_the_sample_unpacks_and_validates(tmp_path):
    members = {f"mydata/{p.name}": p.read_bytes() for p in SAMPLE.iterdir() if p.is_file()}
    skipped = unpack_uploads([Upload("mydata.zip", _zip(members))], tmp_path / "up")
    assert "README.md" in " ".join(skipped)
    assert validate_folder(tmp_path / "up").ok


@pytest.mark.parametrize(
    "name", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "..\\evil.csv"]
)
def test_a_zip_path_outside_its_folder_is_refused(tmp_path, name):
    with pytest.raises(UploadError, match="outside"):
        unpack_uploads([Upload("x.zip", _zip({name: b"a"}))], tmp_path / "up")
    assert not (tmp_path / "evil.csv").exists()


def test_a_zip_with_a_link_is_refused(tmp_path):
    data = _zip({"participants.csv": b"a\n"}, links={"dataset.toml": "/etc/passwd"})
    with pytest.raises(UploadError, match="link"):
        unpack_uploads([Upload("x.zip", data)], tmp_path / "up")


def test_a_zip_bomb_is_cut_off(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_UNPACKED", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("participants.csv", b"0" * 100_000)
    with pytest.raises(UploadError, match="more than"):
        unpack_uploads([Upload("x.zip", out.getvalue())], tmp_path / "up")


def test_too_many_members_and_a_broken_zip_are_refused(tmp_path):
    many = _zip({f"f{i}.csv": b"a" for i in range(datasets.MAX_MEMBERS + 1)})
    with pytest.raises(UploadError, match="more than"):
        unpack_uploads([Upload("x.zip", many)], tmp_path / "a")
    with pytest.raises(UploadError, match="not a valid ZIP"):
        unpack_uploads([Upload("x.zip", b"PK not really")], tmp_path / "b")


def test_uploaded_names_are_reduced_to_plain_file_names(tmp_path):
    skipped = unpack_uploads(
        [Upload("../../participants.csv", b"a\n"), Upload("run.sh", b"x")], tmp_path / "up"
    )
    assert [p.name for p in (tmp_path / "up").iterdir()] == ["participants.csv"]
    assert skipped and "run.sh" in skipped[0]


# --- the data root ---------------------------------------------------------------------------
def test_no_data_root_means_no_path_at_all(tmp_path, monkeypatch):
    monkeypatch.delenv(datasets.DATA_ROOT_ENV, raising=False)
    assert folder_in_root(str(SAMPLE)) is None


def test_a_folder_inside_the_root_opens_and_nothing_outside_does(tmp_path, monkeypatch):
    root = tmp_path / "root"
    (root / "inside").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "link").symlink_to(outside)
    monkeypatch.setenv(datasets.DATA_ROOT_ENV, str(root))
    assert folder_in_root(str(root / "inside")) == (root / "inside").resolve()
    assert folder_in_root("inside") == (root / "inside").resolve()
    for text in (str(outside), str(tmp_path / "missing"), "../outside", "link", "/etc", "/"):
        assert folder_in_root(text) is None, text
    assert os.path.isdir(outside)  # it exists, and is still refused like one that does not


def test_the_meta_form_writes_a_dataset_toml_the_loader_reads(tmp_path):
    # the contract's columns only: the sample's own keys are declared in its own dataset.toml,
    # which the form does not write (an undeclared key refuses the dataset, issue 30)
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False)
    own = ["barrier_caring_responsibilities", "service_interview_training"]
    people.drop(columns=[*own, "service_digital_support"]).to_csv(
        tmp_path / "participants.csv", index=False
    )
    (tmp_path / "dataset.toml").write_text(
        datasets.meta_toml(
            'Provider "Q" Ltd', "West", "2024-07", "2026-06", "2026-07-03", "", synthetic=True
        )
    )
    report = validate_folder(tmp_path)
    assert report.ok, report.text()


def test_a_staged_upload_is_kept_by_one_rename_without_its_stray_files():
    staging = datasets.staging_folder()
    for path in SAMPLE.iterdir():
        if path.is_file():
            shutil.copy(path, staging / path.name)
    (staging / "extra.csv").write_text("x\n")
    kept = datasets.keep("moved", staging, move=True)
    assert not staging.exists()
    assert "extra.csv" not in {p.name for p in kept.iterdir()}
    assert "README.md" not in {p.name for p in kept.iterdir()}
    assert validate_folder(kept).ok
    assert datasets.kept_names() == ["moved"]  # the staging folder is never listed
