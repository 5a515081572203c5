"""Build the project's reference geography (sample_data/geo/) from the ONS files in shared/geo.

The app and the tests read only the project's copy; this script is how that copy is made, so it
can be remade and checked. It needs nothing beyond the standard library.

    python scripts/build_geo.py --shared ../shared/geo --out sample_data/geo

What it writes:
- lad_lookup.csv: 361 LADs (May 2024 codes) with name, Welsh name, country, English region,
  mid-2022 population aged 16-64, and the ONS reference point (lon, lat) for labels.
- lad_boundaries.geojson: the ONS BUC boundaries with coordinates rounded to 4 decimal places
  (about 10 m, well inside BUC's 500 m generalisation), repeated points dropped, exterior rings
  counter-clockwise (RFC 7946). Properties: code, name.
- ATTRIBUTION.md: sources and the Open Government Licence v3.0 attribution.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

PRECISION = 4

ATTRIBUTION = """# Reference geography: sources and licence

Derived by `scripts/build_geo.py` from Office for National Statistics products.

- `lad_boundaries.geojson`: Local Authority Districts (May 2024) Boundaries UK BUC
  (ultra generalised, clipped to the coastline), reprojected to WGS84; coordinates rounded to
  4 decimal places and repeated points dropped for the web.
- `lad_lookup.csv`: LAD May 2024 codes and names (English and Welsh), joined to the ONS Local
  Authority District to Country (April 2023) and to Region (December 2023) lookups, which are
  code-identical to May 2024, and to ONS mid-2022 population estimates (persons aged 16 to 64).

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Contains OS data © Crown copyright and database right 2024.
Contains LPS Intellectual Property © Crown copyright and database right 2024. This information is
licensed under the terms of the Open Government Licence v3.0.

The Open Government Licence v3.0:
https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
"""


def _ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, PRECISION), round(lat, PRECISION)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _orient(ring: list[list[float]], exterior: bool) -> list[list[float]]:
    counter_clockwise = _signed_area(ring) > 0
    return ring if counter_clockwise == exterior else ring[::-1]


def simplify_geometry(geometry: dict) -> dict:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    kept = []
    for polygon in polygons:
        rings = [_ring(ring) for ring in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        kept.append([_orient(r, exterior=(i == 0)) for i, r in enumerate(rings)])
    return {"type": "MultiPolygon", "coordinates": kept}


def build(shared: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    boundaries = json.loads((shared / "lad_2024_uk_buc.geojson").read_text(encoding="utf-8"))
    with (shared / "lad_2024_lookup.csv").open(encoding="utf-8") as f:
        lookup = {row["lad_code"]: row for row in csv.DictReader(f)}
    with (shared / "lad_population_mid2022_16_64.csv").open(encoding="utf-8") as f:
        population = {row["lad_code"]: row for row in csv.DictReader(f)}

    features = []
    points: dict[str, tuple[float, float]] = {}
    for feature in boundaries["features"]:
        props = feature["properties"]
        code = props["LAD24CD"]
        points[code] = (round(props["LONG"], PRECISION), round(props["LAT"], PRECISION))
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": props["LAD24NM"]},
                "geometry": simplify_geometry(feature["geometry"]),
            }
        )
    features.sort(key=lambda f: f["id"])
    missing = sorted(set(lookup) ^ set(points) | set(lookup) ^ set(population))
    if missing:
        sys.exit(f"geography files disagree on codes: {missing[:10]}")

    collection = {"type": "FeatureCollection", "features": features}
    (out / "lad_boundaries.geojson").write_text(
        json.dumps(collection, separators=(",", ":")), encoding="utf-8"
    )
    columns = [
        "lad_code",
        "lad_name",
        "lad_name_welsh",
        "country_name",
        "region_name",
        "population_16_64",
        "lon",
        "lat",
    ]
    with (out / "lad_lookup.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for code in sorted(lookup):
            row = lookup[code]
            lon, lat = points[code]
            writer.writerow(
                [
                    code,
                    row["lad_name"],
                    row["lad_name_welsh"],
                    row["country_name"],
                    row["region_name"],
                    population[code]["population_16_64"],
                    lon,
                    lat,
                ]
            )
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/geo"))
    parser.add_argument("--out", type=Path, default=Path("sample_data/geo"))
    args = parser.parse_args()
    build(args.shared, args.out)
    size = (args.out / "lad_boundaries.geojson").stat().st_size
    print(f"wrote {args.out} (boundaries {size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
