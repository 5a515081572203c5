"""The synthetic sample: a complete dataset folder that follows the data contract, realistic
enough to exercise every page and every disclosure rule, and clearly labelled synthetic.

    write_sample(Path("sample_data"), 40_000, 2024)                  # the bundled sample
    write_sample(out, 6_000, 11, preset="wales", fmt="parquet")      # another region

Deterministic: the same arguments give byte-identical files. Every random draw comes from a numpy
Generator seeded from `seed` (one independent stream per table), no date comes from the clock,
every number written is an integer, and every table is written in a fixed sort order.
Participants are generated column by column with numpy (no loop over rows), so a million take
seconds. The catalogue (regions, names, plans, insights) lives in `insight.sample.text`.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from insight.core import geo
from insight.core.contract import (
    AGE_BANDS,
    ALL_LAS,
    BARRIER_PREFIX,
    BARRIERS,
    DISABILITY,
    ETHNICITIES,
    FILE_SUFFIXES,
    GENDERS,
    META_FILE,
    SERVICE_PREFIX,
    STATUSES,
    TABLES,
)
from insight.core.periods import month_index, month_text
from insight.sample.text import (
    EMPLOYERS,
    ENTRY_SECTOR_WEIGHTS,
    ETHNICITY_PROFILES,
    PRESETS,
    PROVISION,
    SECTORS,
    SMALL_EMPLOYERS,
    SUSTAINED_CHANCE,
    VACANCY_SECTOR_WEIGHTS,
    Preset,
    make_insights,
    make_plans,
    role_names,
)

FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx")
# A further barrier beyond the annex's list: rare, so small cells are suppressed somewhere.
EXTRA_BARRIERS: tuple[str, ...] = ("caring_responsibilities",)
SERVICE_KEYS: tuple[str, ...] = (
    "skills_training",
    "work_placement",
    "interview_training",
    "digital_support",
)
# The sample's own keys beyond the contract's, declared in its dataset.toml with these labels
# (insight.sharing.review signs off these exact keys and labels for synthetic datasets).
DECLARED_BARRIERS: dict[str, str] = {"caring_responsibilities": "Caring responsibilities"}
DECLARED_SERVICES: dict[str, str] = {
    "interview_training": "Interview training",
    "digital_support": "Digital support",
}
PERFORMANCE_MANAGER_EMAIL = "performance.manager@example.org"

# Starts by calendar month (Jan..Dec): busy after New Year and in September, quiet in August and
# December. The first months of the contract ramp up.
_SEASON = np.array([1.15, 1.05, 1.05, 0.95, 1.0, 0.95, 0.92, 0.82, 1.1, 1.08, 1.02, 0.75])
_RAMP = np.array([0.35, 0.55, 0.75, 0.9])
_AGE_SHARES = (0.11, 0.25, 0.31, 0.30, 0.03)
_GENDER_SHARES = (0.415, 0.565, 0.006, 0.014)
_RURALITY = {"urban": 0, "semi": 1, "rural": 2}
_FALSE_TRUE = ["false", "true"]


class People(NamedTuple):
    """The participants table and the numeric columns the other tables are drawn from."""

    frame: pd.DataFrame
    la: np.ndarray  # index into preset.las
    start: np.ndarray  # month index
    status: np.ndarray  # index into STATUSES


def write_sample(
    out: Path,
    participants: int,
    seed: int,
    preset: str = "west-midlands",
    fmt: str = "csv",
) -> None:
    """Write a complete synthetic dataset folder (dataset.toml and every contract table) to `out`.

    `fmt` is the participants table's format; the small tables are always CSV. Any other format's
    copy of a contract table already in `out` is removed, so the folder holds one of each.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if participants < 1:
        raise ValueError("participants must be at least 1")
    spec = PRESETS[preset]
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    people = make_participants(spec, participants, streams[0])
    small = {
        "vacancies": make_vacancies(spec, participants, streams[1]),
        "job_entries": make_job_entries(spec, people, streams[2]),
        "local_provision": make_provision(spec, streams[3]),
        "commissioning_plans": make_plans(spec),
        "insights": make_insights(spec),
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stem in TABLES:
        keep = f".{fmt}" if stem == "participants" else ".csv"
        for suffix in FILE_SUFFIXES:
            if suffix != keep:
                (out / f"{stem}{suffix}").unlink(missing_ok=True)
    meta = _dataset_toml(spec, preset, participants, seed)
    (out / META_FILE).write_text(meta, encoding="utf-8", newline="\n")
    _write_participants(people.frame, out / f"participants.{fmt}", spec)
    for stem, frame in small.items():
        _write_csv(frame, out / f"{stem}.csv")


# --- participants ------------------------------------------------------------------------------
def make_participants(spec: Preset, n: int, rng: np.random.Generator) -> People:
    """One row per participant, every column drawn with numpy from plausible, linked shares."""
    first = month_index(spec.period_start)
    last = first + spec.months - 1
    pop = geo.population(_codes(spec)).to_numpy(dtype=float)
    weight = np.array([la.weight for la in spec.las]) * np.exp(rng.normal(0, 0.05, len(pop)))
    la = rng.choice(len(pop), size=n, p=_norm(pop * weight))

    offsets = np.arange(spec.months)
    month_weight = _SEASON[(first + offsets) % 12]
    month_weight[: len(_RAMP)] *= _RAMP[: spec.months]
    start = first + np.sort(rng.choice(spec.months, size=n, p=_norm(month_weight)))
    elapsed = last - start  # support lasts up to a year: older starts have finished
    p_active = np.where(elapsed < 12, 0.93 - 0.04 * elapsed, 0.02)
    u = rng.random(n)
    status = np.where(u < p_active, 0, np.where(rng.random(n) < 0.68, 1, 2))
    active = status == 0

    age = rng.choice(len(AGE_BANDS), size=n, p=_AGE_SHARES)
    gender = rng.choice(len(GENDERS), size=n, p=_GENDER_SHARES)
    eth_table = np.array([ETHNICITY_PROFILES[la_.ethnicity] for la_ in spec.las])
    ethnicity = _draw_rows(rng, eth_table[la])
    u = rng.random(n)
    p_disabled = np.array([0.22, 0.26, 0.31, 0.38, 0.3])[age]
    disability = np.where(u < p_disabled, 0, np.where(u > 0.97, 2, 1))
    rural = np.array([_RURALITY[la_.rurality] for la_ in spec.las])[la]

    flags = _barrier_flags(rng, age, gender, ethnicity, disability, rural)

    # Some assessments were never finished (every barrier unknown); some single answers are blank.
    unassessed = rng.random(n) < 0.035
    columns: dict[str, object] = {
        "participant_id": _ids(n),
        "la_code": pd.Categorical.from_codes(la, _codes(spec)),
        "start_month": pd.Categorical.from_codes(start - first, _month_labels(spec)),
        "status": pd.Categorical.from_codes(status, STATUSES),
        "age_band": pd.Categorical.from_codes(age, AGE_BANDS),
        "gender": pd.Categorical.from_codes(gender, GENDERS),
        "ethnicity": pd.Categorical.from_codes(ethnicity, ETHNICITIES),
        "disability": pd.Categorical.from_codes(disability, DISABILITY),
    }
    for key in (*BARRIERS, *EXTRA_BARRIERS):
        blank = unassessed | (rng.random(n) < rng.uniform(0.003, 0.03))
        columns[BARRIER_PREFIX + key] = _booleans(flags[key], blank)

    # Services: what active participants are in now; nobody who has finished is in any.
    support = {
        "skills_training": 0.3 + 0.14 * (flags["literacy"] | flags["numeracy"]),
        "work_placement": 0.05 + 0.09 * (age == 0),
        "interview_training": np.full(n, 0.22),
        "digital_support": np.where(flags["digital_skills"], 0.55, 0.05),
    }
    for key in SERVICE_KEYS:
        columns[SERVICE_PREFIX + key] = _booleans(active & _flag(rng, support[key]))
    return People(pd.DataFrame(columns), la, start, status)


def _barrier_flags(
    rng: np.random.Generator,
    age: np.ndarray,
    gender: np.ndarray,
    ethnicity: np.ndarray,
    disability: np.ndarray,
    rural: np.ndarray,
) -> dict[str, np.ndarray]:
    """Each barrier's true/false draw, linked to characteristics the way advisers see them:
    digital skills rise with age, childcare peaks for women aged 25-34, language follows
    ethnicity (and so the LA's diversity), transport follows rurality."""
    female, male = gender == 0, gender == 1
    flags: dict[str, np.ndarray] = {}
    flags["digital_skills"] = _flag(
        rng, np.array([0.07, 0.13, 0.24, 0.46, 0.22])[age] + 0.03 * rural
    )
    flags["language"] = _flag(rng, np.array([0.025, 0.05, 0.24, 0.2, 0.3, 0.05])[ethnicity])
    flags["literacy"] = _flag(rng, 0.08 + 0.12 * flags["language"])
    flags["numeracy"] = _flag(rng, np.where(flags["literacy"], 0.55, 0.09))
    mental = np.array([0.37, 0.34, 0.31, 0.25, 0.3])[age] + 0.04 * female - 0.02 * male
    flags["mental_health"] = _flag(rng, mental)
    p_health = np.array([0.55, 0.07, 0.2])[disability] + 0.05 * (age == 3)
    flags["health_condition"] = _flag(rng, p_health)
    flags["substance_misuse"] = _flag(rng, np.where(male, 0.055, 0.025) * (1.2 - 0.15 * rural))
    flags["motivation"] = _flag(rng, np.array([0.16, 0.18, 0.21, 0.26, 0.2])[age])
    childcare = np.where(
        female,
        np.array([0.16, 0.33, 0.22, 0.03, 0.15])[age],
        np.array([0.04, 0.08, 0.06, 0.01, 0.04])[age],
    )
    flags["childcare"] = _flag(rng, np.where(female | male, childcare, 0.1))
    flags["debt"] = _flag(rng, np.array([0.22, 0.27, 0.24, 0.16, 0.2])[age])
    housing = np.array([0.22, 0.15, 0.11, 0.08, 0.12])[age] * (1.2 - 0.2 * rural)
    flags["housing"] = _flag(rng, housing)
    flags["transport"] = _flag(rng, np.array([0.09, 0.16, 0.33])[rural])
    flags["caring_responsibilities"] = _flag(rng, 0.015 + 0.02 * female + 0.01 * (age == 2))

    return flags


# --- the small tables --------------------------------------------------------------------------
def make_vacancies(spec: Preset, participants: int, rng: np.random.Generator) -> pd.DataFrame:
    """Vacancy postings known through employer engagement, concentrated in the cities."""
    first = month_index(spec.period_start)
    rows = spec.months * (40 + participants // 1_000)
    month = first + rng.choice(
        spec.months, size=rows, p=_norm(_SEASON[(first + np.arange(spec.months)) % 12])
    )
    pop = geo.population(_codes(spec)).to_numpy(dtype=float)
    la = rng.choice(len(pop), size=rows, p=_norm(pop * np.array([la.jobs for la in spec.las])))
    sector = _draw_rows(rng, _sector_table(spec, VACANCY_SECTOR_WEIGHTS)[la])
    positions = np.clip(np.rint(rng.lognormal(0.6, 1.0, rows)), 1, 40).astype(int)
    frame = pd.DataFrame(
        {
            "la_code": _codes(spec)[la],
            "sector": np.array(SECTORS)[sector],
            "month": _month_labels(spec)[month - first],
            "positions": positions,
            "employer": _employers(rng, sector, small_share=0.12),
        }
    )
    return _sorted(frame)


def make_job_entries(spec: Preset, people: People, rng: np.random.Generator) -> pd.DataFrame:
    """One row per job entry the provider recorded, drawn from participants' own LAs and starts.

    `sustained` is blank for entries in the last three months: too soon to know.
    """
    first = month_index(spec.period_start)
    last = first + spec.months - 1
    n = len(people.start)
    chance = np.where(people.status == 0, 0.08, 0.3)
    month = people.start + 1 + rng.integers(0, 10, n)
    keep = (rng.random(n) < chance) & (month <= last)
    la, month = people.la[keep], month[keep]
    sector = _draw_rows(rng, _sector_table(spec, ENTRY_SECTOR_WEIGHTS)[la])
    sustained = rng.random(len(la)) < np.array(SUSTAINED_CHANCE)[sector]
    frame = pd.DataFrame(
        {
            "la_code": _codes(spec)[la],
            "sector": np.array(SECTORS)[sector],
            "month": _month_labels(spec)[month - first],
            "employer": _employers(rng, sector, small_share=0.25),
            "sustained": _booleans(sustained, month > last - 3),
        }
    )
    return _sorted(frame)


def make_provision(spec: Preset, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly capacity and planned referrals for local organisations; a few are planned past
    capacity in the latest months, which the Commissioning page should flag."""
    first = month_index(spec.period_start)
    names = role_names(spec)
    rows = []
    for organisation, service, role, funded_by, capacity, share, overloaded in PROVISION:
        code = ALL_LAS if role == ALL_LAS else spec.roles[role]
        for offset in range(spec.months):
            month = first + offset
            cap = max(1, int(round(capacity * (0.8 if month % 12 == 7 else 1.0))))
            level = share * (1 + rng.normal(0, 0.08))
            if overloaded and offset >= spec.months - 4:
                level = 1.1 + 0.08 * (offset - spec.months + 4)
            planned = int(round(cap * level))
            rows.append(
                {
                    "organisation": organisation.format(**names),
                    "service": service,
                    "la_code": code,
                    "month": month_text(month),
                    "capacity": cap,
                    "planned_referrals": planned if overloaded else min(planned, cap),
                    "funded_by": funded_by,
                }
            )
    return pd.DataFrame(rows).sort_values(["organisation", "month"], ignore_index=True)


# --- writing -----------------------------------------------------------------------------------
def _dataset_toml(spec: Preset, preset: str, participants: int, seed: int) -> str:
    last = month_text(month_index(spec.period_start) + spec.months - 1)
    return "\n".join(
        [
            "# SYNTHETIC DATA, not real management information. Generated by",
            f"# python -m insight sample --preset {preset} --participants {participants} "
            f"--seed {seed}",
            f'provider_name = "{spec.provider_name}"',
            f'area_name = "{spec.area_name}"',
            f'period_start = "{spec.period_start}"',
            f'period_end = "{last}"',
            f'extract_date = "{spec.extract_date}"',
            f'performance_manager_email = "{PERFORMANCE_MANAGER_EMAIL}"',
            "synthetic = true",
            "",
            "# The provider's own keys beyond the contract's, with their labels",
            "[barriers]",
            *(f'{key} = "{label}"' for key, label in DECLARED_BARRIERS.items()),
            "",
            "[services]",
            *(f'{key} = "{label}"' for key, label in DECLARED_SERVICES.items()),
            "",
        ]
    )


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _write_participants(frame: pd.DataFrame, path: Path, spec: Preset) -> None:
    if path.suffix == ".csv":
        _write_csv(frame, path)
    elif path.suffix == ".parquet":
        # Plain strings and nullable booleans; pyarrow writes the same bytes for the same data.
        typed = {
            name: (
                column.map({"true": True, "false": False}).astype("boolean")
                if name.startswith((BARRIER_PREFIX, SERVICE_PREFIX))
                else column.astype(str)
            )
            for name, column in frame.items()
        }
        pd.DataFrame(typed).to_parquet(path, index=False, engine="pyarrow")
    else:
        path.write_bytes(_xlsx_bytes(frame, datetime.fromisoformat(spec.extract_date)))


def _xlsx_bytes(frame: pd.DataFrame, stamp: datetime) -> bytes:
    """A one-sheet workbook whose bytes depend only on the data: openpyxl stamps the document's
    modified time (on save) and every zip entry with the clock, so both become the extract date."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = stamp
    sheet = book.create_sheet("participants")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([None if isinstance(v, float) else v for v in row])
    raw = io.BytesIO()
    book.save(raw)
    fixed = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, data)
            dst.writestr(entry, data)
    return fixed.getvalue()


# --- helpers -----------------------------------------------------------------------------------
def _norm(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _flag(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """True with probability p, element by element."""
    return rng.random(len(p)) < np.clip(p, 0, 1)


def _draw_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of `probs` (rows need not sum to exactly 1)."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative /= cumulative[:, -1:]
    return (rng.random(len(probs))[:, None] >= cumulative).sum(axis=1).clip(max=probs.shape[1] - 1)


def _booleans(values: np.ndarray, blank: np.ndarray | None = None) -> pd.Categorical:
    """`true`/`false` text, blank (unknown) where `blank` is set."""
    codes = values.astype(np.int8)
    if blank is not None:
        codes[blank] = -1
    return pd.Categorical.from_codes(codes, _FALSE_TRUE)


def _ids(n: int) -> pd.Series:
    """Pseudonymous ids in start order: RS-000001, RS-000002, ... (never like an NI number)."""
    width = max(6, len(str(n)))
    return "RS-" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)


def _codes(spec: Preset) -> np.ndarray:
    return np.array([la.code for la in spec.las])


def _month_labels(spec: Preset) -> np.ndarray:
    """'YYYY-MM' for each month of the period, in order."""
    first = month_index(spec.period_start)
    return np.array([month_text(first + i) for i in range(spec.months)])


def _sector_table(spec: Preset, base: tuple[float, ...]) -> np.ndarray:
    """Sector weights per LA: the base mix, doubled for the sectors the LA is strong in."""
    table = np.tile(np.array(base, dtype=float), (len(spec.las), 1))
    for row, la in enumerate(spec.las):
        for sector in la.strengths:
            table[row, SECTORS.index(sector)] *= 2.0
    return table


def _employers(rng: np.random.Generator, sector: np.ndarray, small_share: float) -> np.ndarray:
    """An invented employer per row from its sector's list (largest first), or small employers."""
    out = np.full(len(sector), SMALL_EMPLOYERS, dtype=object)
    named = rng.random(len(sector)) >= small_share
    for index, name in enumerate(SECTORS):
        rows = np.flatnonzero(named & (sector == index))
        choices = EMPLOYERS[name]
        ranks = 1.0 / np.arange(1, len(choices) + 1)
        out[rows] = np.array(choices, dtype=object)[
            rng.choice(len(choices), len(rows), p=_norm(ranks))
        ]
    return out


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns), ignore_index=True, kind="stable")
