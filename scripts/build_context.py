"""Build the project's official context figures (sample_data/context/) from the ONS Explore Local
Statistics bundle in shared/context, checked against the LAD May 2024 lookup in shared/geo.

The app and the tests read only the project's copy; this script is how that copy is made, so it
can be remade and checked. It needs nothing beyond the standard library.

    python scripts/build_context.py --shared ../shared --out sample_data/context

What it writes:
- indicators.csv: one row per indicator: label, unit, polarity (as the source states it, or
  "not stated in source"), producer, source URL, licence, latest period, statistical status,
  whether it is survey-based, coverage, and the source's description.
- la_indicators.csv: one row per (area, indicator, period) for the latest KEEP_PERIODS periods of
  each indicator: GB LADs (LAD 2024 codes), English regions, England, Wales, Scotland and Great
  Britain. Columns area_code, indicator, period, value, lower_ci, upper_ci, status, notes
  (status "x" = suppressed by the source, "u" = flagged unreliable by the source: its status
  column, or its row note where that says the estimate is unreliable, as several hundred rows'
  notes do with a blank status, Malvern Hills' 2023 inactivity rate among them: `status_of_row`).
- la_neighbours.csv: each GB LAD's NEIGHBOURS most similar GB LADs for each ONS cluster kind
  (global, economic, demographic), ranks as ONS gives them; Northern Ireland districts, which
  have no figures here, are skipped.
- areas.csv: every area code used, with its name, kind (lad, region, country, gb) and, for a
  LAD, its region and country codes.
- ATTRIBUTION.md: sources, source commits, the Open Government Licence v3.0 attribution, and the
  codes left out with the reason.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

KEEP_PERIODS = 10  # periods of each indicator kept: enough for a small trend
NEIGHBOURS = 10  # GB neighbours kept per LAD and kind; the app uses the top five for medians
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12")
COMPARATORS = {
    "E92000001": "country",
    "W92000004": "country",
    "S92000003": "country",
    "K03000001": "gb",
}
SURVEY_BASED = {
    "employment_rate_16_64": "Annual Population Survey",
    "economic_inactivity_rate_16_64": "Annual Population Survey",
    "unemployment_rate_modelled": "Annual Population Survey (modelled)",
    "no_qualifications_16_64": "Annual Population Survey",
    "gross_median_weekly_pay": "Annual Survey of Hours and Earnings",
}
# Labels for a sentence: the ELS label "Claimant Count" names the count, not the rate shown.
LABELS = {"claimant_count_rate": "Claimant count rate"}
# Notes the source adds about codes, not values: the codes are handled here, so they are dropped.
_CODE_NOTE = re.compile(r"^Obsolete code since")

ATTRIBUTION = """# Official context figures: sources and licence

Derived by `scripts/build_context.py` from the ONS Explore Local Statistics (ELS) bundle in the
design folder (`context/`), checked against the LAD May 2024 lookup (`geo/lad_2024_lookup.csv`).
Values are copied unchanged; nothing is modelled or imputed. These are official statistics, not
the provider's management information.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Travel times to employment centres: Department for Transport, Journey Time Statistics, licensed
under the Open Government Licence v.3.0.

- Data values and indicator metadata: `ONSdigital/explore-local-statistics-data`, branch `main`,
  commit `4972c588d0c192839afc8fa54ae82cb3dc7721ed` (2026-06-26).
- Statistical nearest neighbours: `ONSdigital/explore-local-statistics-app`, commit
  `ca9faecc8cab26e33faff935b2b58a4fc10d6c0d` (2026-06-29),
  `scripts/config/clusters/{{global,economic,demographic}}-neighbours.csv`; Barnsley and Sheffield
  remapped from their 2025 codes to E08000016 and E08000019.
- Polarity: ELS legacy indicator metadata (app commit `7b055148^`, Feb 2024). Claimant count and
  no qualifications have none there, so they say "not stated in source".

Kept: the latest {keep} periods of each indicator; each GB LAD's {neighbours} most similar GB
LADs per cluster kind (Northern Ireland districts in ONS's UK-wide lists are skipped: no figures
here cover them).

## Codes left out
Every LAD code kept is in the LAD May 2024 lookup. {dropped_count} codes in the source are not,
and their rows are left out. They appear only in the three DfT travel-time indicators, which use
pre-2019 LA codes (those LAs were merged or recoded between 2019 and 2023); the successor LAs
therefore have no travel-time figure here and the app says "not available":

{dropped}

The Open Government Licence v3.0:
https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
"""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, columns: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def status_of_row(status: str, notes: str) -> str:
    """A figure's reliability mark: the source's own status ("x" suppressed, "u" unreliable),
    or "u" where its note says the estimate is unreliable ("Estimate and confidence interval
    unreliable since the group sample size is small (3-9)") and the status column is blank."""
    if status.strip():
        return status.strip()
    return "u" if "unreliable" in notes.lower() else ""


def status_of(description: str) -> str:
    """The statistical status the source's own description states."""
    if "official statistics in development" in description.lower():
        return "Official statistics in development"
    return "Official statistics"


def coverage_of(description: str) -> str:
    """'England', 'Great Britain' or 'the UK', from the source's description."""
    for place in ("in England", "in Great Britain", "in the UK"):
        if place in description:
            return place.removeprefix("in ")
    return ""


def is_lad(code: str) -> bool:
    return code.startswith(LAD_PREFIXES)


def keep_periods(rows: list[dict[str, str]], keep: int) -> dict[str, list[str]]:
    """The latest `keep` periods of each indicator (rows are in chronological order per area)."""
    periods: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["period"] not in periods[row["indicator"]]:
            periods[row["indicator"]].append(row["period"])
    return {ind: sorted(found, key=period_start)[-keep:] for ind, found in periods.items()}


def period_start(period: str) -> str:
    """ISO 8601 period '2023-01-01/P1Y' or date '2025-04-30': its start date, for sorting."""
    return period.split("/")[0]


def build(shared: Path, out: Path) -> dict[str, object]:
    """Write the project's copy; return what was dropped and kept, for the summary and tests."""
    source = shared / "context"
    lookup = {row["lad_code"]: row for row in read_csv(shared / "geo" / "lad_2024_lookup.csv")}
    indicators = read_csv(source / "indicators.csv")
    values = read_csv(source / "la_indicators.csv")
    neighbours = read_csv(source / "la_neighbours.csv")
    out.mkdir(parents=True, exist_ok=True)

    names: dict[str, str] = {}
    dropped: dict[str, str] = {}
    kept_periods = keep_periods(values, KEEP_PERIODS)
    kept_rows: list[list[object]] = []
    for row in values:
        code = row["area_code"]
        if is_lad(code) and code not in lookup:
            dropped[code] = row["area_name"]
            continue
        if not is_lad(code) and not code.startswith("E12") and code not in COMPARATORS:
            continue  # UK, England and Wales: not a comparator the app shows
        if row["period"] not in kept_periods[row["indicator"]]:
            continue
        names.setdefault(code, row["area_name"])
        notes = "" if _CODE_NOTE.match(row["notes"]) else row["notes"]
        kept_rows.append(
            [
                code,
                row["indicator"],
                row["period"],
                row["value"],
                row["lower_ci"],
                row["upper_ci"],
                status_of_row(row["status"], row["notes"]),
                notes,
            ]
        )
    write_csv(
        out / "la_indicators.csv",
        ["area_code", "indicator", "period", "value", "lower_ci", "upper_ci", "status", "notes"],
        kept_rows,
    )

    write_csv(
        out / "indicators.csv",
        [
            "indicator",
            "label",
            "unit",
            "polarity",
            "source",
            "source_url",
            "licence",
            "latest_period",
            "status",
            "survey",
            "coverage",
            "description",
        ],
        [
            [
                ind["indicator"],
                LABELS.get(ind["indicator"], ind["label"].replace(" (Great Britain)", "")),
                ind["unit"],
                ind["polarity"],
                ind["source"].split(" | ")[0],  # NISRA's figures are for NI, not in this copy
                ind["source_url"].split(" | ")[0],
                ind["licence"],
                ind["latest_period"],
                status_of(ind["description"]),
                SURVEY_BASED.get(ind["indicator"], ""),
                coverage_of(ind["description"]),
                ind["description"],
            ]
            for ind in indicators
        ],
    )

    gb = {code for code in lookup if is_lad(code)}
    ranked: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    unknown = set()
    for row in neighbours:
        code, other = row["area_code"], row["neighbour_code"]
        if code not in lookup or other not in lookup:
            unknown.add(code if code not in lookup else other)
            continue
        if other in gb:
            ranked[(code, row["kind"])].append((int(row["rank"]), other))
    if unknown:
        sys.exit(f"neighbour codes not in the LAD 2024 lookup: {sorted(unknown)[:10]}")
    neighbour_rows = [
        [code, other, rank, kind]
        for (code, kind), found in sorted(ranked.items())
        for rank, other in sorted(found)[:NEIGHBOURS]
    ]
    write_csv(
        out / "la_neighbours.csv", ["area_code", "neighbour_code", "rank", "kind"], neighbour_rows
    )

    area_rows = []
    for code in sorted(names):
        if is_lad(code):
            ref = lookup[code]
            area_rows.append(
                [code, ref["lad_name"], "lad", ref["region_code"], ref["country_code"]]
            )
        elif code.startswith("E12"):
            area_rows.append([code, names[code], "region", "", "E92000001"])
        else:
            area_rows.append([code, names[code], COMPARATORS[code], "", ""])
    write_csv(
        out / "areas.csv",
        ["area_code", "area_name", "kind", "region_code", "country_code"],
        area_rows,
    )

    listed = "\n".join(f"- {code} {name}" for code, name in sorted(dropped.items()))
    (out / "ATTRIBUTION.md").write_text(
        ATTRIBUTION.format(
            keep=KEEP_PERIODS,
            neighbours=NEIGHBOURS,
            dropped_count=len(dropped),
            dropped=listed,
        ),
        encoding="utf-8",
    )
    return {
        "dropped": dropped,
        "rows": len(kept_rows),
        "neighbours": len(neighbour_rows),
        "areas": len(area_rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("sample_data/context"))
    args = parser.parse_args()
    found = build(args.shared, args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(
        f"wrote {args.out}: {found['rows']} indicator rows, {found['neighbours']} neighbour rows, "
        f"{found['areas']} areas, {len(found['dropped'])} old codes left out "  # type: ignore[arg-type]
        f"({size / 1024:.0f} KB)"
    )


if __name__ == "__main__":
    main()
