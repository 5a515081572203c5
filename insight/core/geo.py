"""The reference geography the app ships: LAD May 2024 codes, names, population, boundaries.

Read from the project's own copy in sample_data/geo/ (made by scripts/build_geo.py from ONS
files). Never reads the design folder at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from insight.core.contract import LAD_2025_TO_2024

GEO_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "geo"

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2024."
)
SHORT_ATTRIBUTION = (
    "Boundaries and population: ONS, OGL v3.0. Contains OS data © Crown copyright 2024."
)


@lru_cache(maxsize=1)
def lookup() -> pd.DataFrame:
    """One row per LAD, indexed by `lad_code`: lad_name, lad_name_welsh, country_name, region_name,
    population_16_64 (mid-2022), lon, lat (ONS reference point)."""
    frame = pd.read_csv(
        GEO_DIR / "lad_lookup.csv",
        dtype={"lad_code": str, "lad_name": str, "lad_name_welsh": str},
        keep_default_na=False,
        na_values={"population_16_64": [""], "lon": [""], "lat": [""]},
    )
    return frame.set_index("lad_code")


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every LAD 2024 code (361, UK-wide) plus the 2025 codes the contract accepts."""
    return frozenset(lookup().index) | frozenset(LAD_2025_TO_2024)


def to_2024(code: str) -> str:
    """Map an accepted LAD 2025 code to its 2024 code; other codes pass through."""
    return LAD_2025_TO_2024.get(code, code)


@lru_cache(maxsize=2_048)  # the lookup never changes; a page's sidebar asks for 40 names a run
def la_name(code: str, welsh: bool = False) -> str:
    """The LA's name ('Cardiff'; with welsh=True, 'Caerdydd' where there is a Welsh name)."""
    table = lookup()
    code = to_2024(code)
    if code not in table.index:
        return code
    row = table.loc[code]
    if welsh and row["lad_name_welsh"]:
        return str(row["lad_name_welsh"])
    return str(row["lad_name"])


def la_names(codes: Iterable[str]) -> dict[str, str]:
    return {code: la_name(code) for code in codes}


def population(codes: Iterable[str]) -> pd.Series:
    """Working-age (16-64) population by LA code, mid-2022."""
    return lookup().loc[[to_2024(c) for c in codes], "population_16_64"].astype("int64")


@lru_cache(maxsize=1)
def _all_boundaries() -> dict[str, dict]:
    collection = json.loads((GEO_DIR / "lad_boundaries.geojson").read_text(encoding="utf-8"))
    return {feature["id"]: feature for feature in collection["features"]}


def boundaries(codes: Iterable[str]) -> dict:
    """A GeoJSON FeatureCollection of just these LAs (feature id and properties.code = the code)."""
    features = _all_boundaries()
    wanted = [features[c] for c in dict.fromkeys(to_2024(c) for c in codes) if c in features]
    return {"type": "FeatureCollection", "features": wanted}


def bounds(codes: Iterable[str]) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) around these LAs' boundaries."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in boundaries(codes)["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in polygon[0]:
                xs.append(lon)
                ys.append(lat)
    if not xs:
        raise ValueError("no known LA among the codes given")
    return min(xs), min(ys), max(xs), max(ys)
