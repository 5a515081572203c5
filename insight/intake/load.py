"""Open a dataset folder: read every table, run the guards, check the contract, and hand back a
complete `Dataset` or a `Report` of why not. Nothing is half-loaded.

Every check runs in one pass, guards first, so a report lists every kind of problem at once.
The contract checks still run when the guards have found personal data: their messages quote a
value only from closed lists or after `insight.intake.checks._show` has confirmed it does not look
personal, and a refused dataset is never built, shown or kept.

Decisions the contract leaves open, taken here:
- A participants table with a header and no rows is valid; the Dataset has no participants and
  the app says so.
- Columns the contract does not name are allowed (once the guards pass them) but not kept.
  Optional columns the contract names (employer, sustained, description, barrier, barriers,
  approach, recommendation) are always present in the loaded frames, blank where absent.
- Commissioning plans may start before or end after the dataset period (they are plans); their
  months must be YYYY-MM and end_month must not be before start_month.
- Values from closed lists match ignoring case and surrounding spaces ('Active' is 'active').
- In .xlsx and .parquet files a date in a month column is read as its month.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from insight.core.contract import FILE_SUFFIXES, META_FILE, TABLES, declare_labels
from insight.core.dataset import Dataset
from insight.core.problems import DatasetRefused, Problem, Report
from insight.intake.guard import check_columns, check_file_names, check_flags, check_sheet_names
from insight.intake.meta import read_meta
from insight.intake.raw import RawTable, ReadError
from insight.intake.readers import check_file_size, file_digest, read_table
from insight.intake.screen import SMALL_COUNT_BELOW
from insight.intake.validate import (
    barrier_vocabulary,
    check_optional,
    check_participants,
    ids_repeat_soon,
)
from insight.intake.valuescan import scan_table
from insight.intake.xlsx_scan import workbook_sheet_names

Progress = Callable[[float, str], None]
_OTHER_TABLE_SUFFIXES = (".xls", ".xlsm", ".ods", ".tsv", ".txt", ".json")
_READ_SHARE = 0.6  # of the progress bar


def load_dataset(folder: Path | str, progress: Progress | None = None) -> Dataset:
    """The whole dataset, checked and normalised; raises DatasetRefused with the report if not."""
    folder = Path(folder)
    refuse_oversized(folder)  # before anything reads every byte of a 2 GB file
    report, dataset = _inspect(folder, progress or _quiet, fingerprint=True)
    if dataset is None:
        raise DatasetRefused(report)
    return dataset


def validate_folder(folder: Path | str) -> Report:
    """The same checks as `load_dataset`; an empty report means the dataset is valid."""
    report, _ = _inspect(Path(folder), _quiet, fingerprint=False)
    return report


def refuse_oversized(folder: Path | str) -> None:
    """Raise DatasetRefused at once, from the files' sizes alone, when a table file is larger
    than INSIGHT_MAX_FILE_MB (insight.intake.limits): nothing of it is read."""
    folder = Path(folder)
    table_files, _ = _table_files(_files(folder))
    problems = []
    for path in table_files.values():
        try:
            check_file_size(path)
        except ReadError as error:
            problems.append(Problem("file", path.name, str(error), rule="too_large"))
    if problems:
        raise DatasetRefused(Report(tuple(problems), str(folder)))


def _quiet(fraction: float, message: str) -> None:
    return None


# --- fingerprint -----------------------------------------------------------------------------
def dataset_fingerprint(folder: Path | str) -> str:
    """SHA-256 over the names and bytes of the files in the folder (not its sub-folders).

    A file's own digest is remembered against its size and modification time
    (readers.file_digest), so calling this on every app rerun costs a directory listing once the
    files have been seen; a CSV's digest is taken while its lines are counted, so loading a
    dataset reads each CSV's bytes once for both.
    """
    total = hashlib.sha256()
    for path in _files(Path(folder)):
        digest = file_digest(path)
        total.update(path.name.encode("utf-8") + b"\0" + digest.encode("ascii") + b"\0")
    return total.hexdigest()


def _files(folder: Path) -> list[Path]:
    """The folder's own files, by name. Symbolic links are never followed (see `_links`)."""
    if not folder.is_dir():
        return []
    return sorted(
        (
            path
            for path in folder.iterdir()
            if not path.is_symlink() and path.is_file() and not path.name.startswith(".")
        ),
        key=lambda path: path.name,
    )


def _links(folder: Path) -> list[Problem]:
    """A symbolic link inside the folder, to a file or a folder, refuses the dataset before
    anything is read: it could reach outside the folder chosen (another provider's data, a
    system file)."""
    problems = []
    for path in sorted(folder.iterdir(), key=lambda path: path.name):
        if path.is_symlink():
            problems.append(
                Problem(
                    "file",
                    path.name,
                    "is a symbolic link, and links are not followed: copy the file itself into "
                    "the dataset folder",
                    rule="symlink",
                )
            )
    return problems


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def sheet_names(path: Path) -> list[str]:
    """A workbook's sheet names, read without reading its cells or letting it near the server's
    memory (xlsx_scan.workbook_sheet_names); [] when it cannot be opened (the reader reports a
    damaged table file; any other workbook is not read at all)."""
    return workbook_sheet_names(path)


def _sheet_problems(files: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in files:
        if path.suffix.lower() in _WORKBOOK_SUFFIXES:
            problems += check_sheet_names(path.name, sheet_names(path))
    return problems


# --- the pipeline ----------------------------------------------------------------------------
def _table_files(files: list[Path]) -> tuple[dict[str, Path], list[Problem]]:
    """The file for each contract table; two files for one table, or an unread format, is a
    problem."""
    found: dict[str, list[Path]] = {}
    problems = []
    for path in files:
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if stem not in TABLES:
            continue
        if suffix in FILE_SUFFIXES:
            found.setdefault(stem, []).append(path)
        elif suffix in _OTHER_TABLE_SUFFIXES:
            problems.append(
                Problem(
                    "file",
                    path.name,
                    f"'{suffix}' files are not read: save the table as .csv (UTF-8), .xlsx or "
                    ".parquet",
                    rule="unsupported_format",
                )
            )
    for stem, paths in found.items():
        if len(paths) > 1:
            names = " and ".join(path.name for path in paths)
            problems.append(
                Problem(
                    "contract",
                    paths[0].name,
                    f"two files for the {stem} table ({names}): keep only one",
                    rule="two_files",
                )
            )
    return {stem: paths[0] for stem, paths in found.items() if len(paths) == 1}, problems


def _read_all(files: dict[str, Path], say: Progress) -> tuple[dict[str, RawTable], list[Problem]]:
    sizes = {stem: max(path.stat().st_size, 1) for stem, path in files.items()}
    total = sum(sizes.values()) or 1
    done = 0
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for stem in TABLES:
        if stem not in files:
            continue
        path = files[stem]
        say(0.05 + _READ_SHARE * done / total, f"Reading {path.name}")
        try:
            table = read_table(path, stem)
        except ReadError as error:
            problems.append(Problem("file", path.name, str(error), rule="unreadable"))
        except OSError:  # gone or unreadable between the listing and the read
            message = "could not be opened (was it moved, or is it still being copied?)"
            problems.append(Problem("file", path.name, message, rule="unreadable"))
        else:
            problems.extend(table.duplicate_columns())
            tables[stem] = table
        done += sizes[stem]
    return tables, problems


def _inspect(folder: Path, say: Progress, fingerprint: bool) -> tuple[Report, Dataset | None]:
    """Every check on the folder, and the Dataset when none found a problem. Its fingerprint,
    when asked for, is taken after the tables were read: each CSV's digest, taken while its
    lines were counted, is reused rather than read again."""
    source = str(folder)
    if not folder.is_dir():
        missing = Problem("file", source, "is not a folder", rule="no_folder")
        return Report((missing,), source), None
    links = _links(folder)
    if links:
        return Report(tuple(links), source), None  # nothing read through a link
    say(0.0, f"Reading {META_FILE}")
    meta, problems = read_meta(folder)
    files = _files(folder)
    table_files, file_problems = _table_files(files)
    problems += file_problems
    problems += check_file_names([path.name for path in files])
    problems += _sheet_problems(files)
    if "participants" not in table_files and not any(p.rule == "two_files" for p in problems):
        problems.append(
            Problem(
                "contract",
                "participants",
                "the participants table is missing: add participants.csv, .xlsx or .parquet",
                rule="missing_table",
            )
        )
    tables, read_problems = _read_all(table_files, say)
    problems += read_problems

    with ThreadPoolExecutor(1) as pool:
        # whether a participant_id repeats is hashed in Arrow on `pool` while the guards run here
        repeats = (
            ids_repeat_soon(tables["participants"], pool) if "participants" in tables else None
        )
        say(0.05 + _READ_SHARE, "Checking for personal data and DWP performance information")
        small_below = max(SMALL_COUNT_BELOW, meta.thresholds.min_cell if meta else 0)
        for table in tables.values():
            problems += check_columns(table)
            problems += check_flags(table, meta)
            problems += scan_table(table, small_below)

        say(0.75, "Checking against the data contract")
        participants = None
        barrier_keys: tuple[str, ...] = ()
        service_keys: tuple[str, ...] = ()
        if "participants" in tables:
            found, participants, barrier_keys, service_keys = check_participants(
                tables["participants"], meta, repeats
            )
            problems += found
    optional = {}
    for stem, table in tables.items():
        if stem != "participants":
            found, optional[stem] = check_optional(table, meta, barrier_vocabulary(barrier_keys))
            problems += found
    if problems or meta is None or participants is None:
        return Report(tuple(problems), source), None
    key = dataset_fingerprint(folder) if fingerprint else ""
    say(1.0, "Loaded")
    declare_labels(dict(meta.declared_barriers), dict(meta.declared_services))
    dataset = Dataset(
        meta=meta,
        participants=participants,
        fingerprint=key,
        source=source,
        barrier_keys=barrier_keys,
        service_keys=service_keys,
        **optional,
    )
    return Report((), source), dataset
