"""Writes to the app's database from several processes at once (issue 27): 1,000 sharing-log rows
from 10 writer processes in parallel, against PostgreSQL and against SQLite, side by side. A
benchmark, not a test: it prints figures.

    .venv/bin/python benchmarks/store_writes.py [--writers 10] [--rows 1000] [--url URL]

PostgreSQL is a throwaway cluster from Debian's binaries (tests/pg.py, the tests' own: a Unix
socket in a temporary folder, durability off, so the figure is the app's and the driver's cost,
not the disk's), or the database --url names (it must be empty or made by this app: the rows are
added to it). SQLite is a new file in a temporary folder, synchronous=FULL as the app runs it.

Each writer is its own Python process (its own engine and connections, as an app process has)
that waits for a start signal, then adds its share of rows through insight.sharing.store.add_log,
timing each. Printed per engine: wall time from the signal to the last commit, rows a second,
each write's median and 95th percentile, and the rows found afterwards against those written
(lost: written but not found; every row's note and SHA-256 must match). The machine's core count
and load average come first: on a shared machine they move the figures more than anything else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WRITER = """
import hashlib, json, sys, time
from insight.sharing import store
name, count = sys.argv[1], int(sys.argv[2])
store.list_log(limit=1)  # connected and the schema checked before the start
print("ready", flush=True)
sys.stdin.readline()
took = []
for i in range(count):
    note = f"{name}-{i}"
    started = time.perf_counter()
    store.add_log(kind="csv", provider=name, source="bench", fingerprint="f", la="all",
                  la_name="Area", period="whole", period_label="W", mode="standard",
                  included=["x"], file_name="t.csv",
                  sha256=hashlib.sha256(note.encode()).hexdigest(), note=note)
    took.append(time.perf_counter() - started)
print(json.dumps({"took": took, "done": time.time()}), flush=True)
"""


def run(label: str, env: dict[str, str], writers: int, rows: int) -> dict[str, float]:
    from insight.sharing import store

    os.environ.update(env)
    store.list_log(limit=1)  # the schema made before the writers start
    per = rows // writers
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{n}", str(per)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(writers)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    start = time.time()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        assert proc.stdout is not None
        results.append(json.loads(proc.stdout.readline()))
        proc.wait(timeout=600)
    wall = max(r["done"] for r in results) - start
    took = sorted(t for r in results for t in r["took"])
    entries = [e for e in store.list_log(limit=rows * 10) if e.source == "bench"]
    written = {f"w{n}-{i}" for n in range(writers) for i in range(per)}
    found = {e.note for e in entries if hashlib.sha256(e.note.encode()).hexdigest() == e.sha256}
    figures = {
        "rows": len(written),
        "wall_s": wall,
        "rows_per_s": len(written) / wall,
        "p50_ms": statistics.median(took) * 1000,
        "p95_ms": took[int(len(took) * 0.95) - 1] * 1000,
        "found": len(found & written),
        "lost": len(written - found),
        "extra": len(entries) - len(found & written),
    }
    print(
        f"{label:<11} {figures['rows']:>5,} rows from {writers} processes in "
        f"{wall:6.2f} s: {figures['rows_per_s']:7.1f} rows/s; a write p50 "
        f"{figures['p50_ms']:6.1f} ms, p95 {figures['p95_ms']:6.1f} ms; found "
        f"{figures['found']:,}, lost {figures['lost']}, extra {figures['extra']}"
    )
    store.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--url", default="", help="a PostgreSQL database to write into instead")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} (figures fall as the load rises)")
    cluster = None
    url = args.url
    if not url:
        from tests.pg import Cluster, binaries

        found = binaries()
        if found is None:
            print("PostgreSQL is not installed here (apt-get install -y postgresql)")
            return 1
        cluster = Cluster(found).start()
        url = cluster.create_database("bench")
    try:
        with tempfile.TemporaryDirectory() as state:
            base = {"INSIGHT_STATE_DIR": state}
            lost = run(
                "PostgreSQL", {**base, "INSIGHT_DATABASE_URL": url}, args.writers, args.rows
            )["lost"]
            if not args.no_sqlite:
                os.environ.pop("INSIGHT_DATABASE_URL", None)
                env = {**base, "INSIGHT_DATABASE_URL": ""}
                lost += run("SQLite", env, args.writers, args.rows)["lost"]
    finally:
        if cluster is not None:
            cluster.stop()
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
