"""The command line: validate a dataset, prepare a raw extract, write the synthetic sample, export
a pack. (Benchmarks are in benchmarks/: `make bench`.)

    python -m insight validate DIR
    python -m insight prepare RAW [--recipe recipe.toml] --out DIR [--meta dataset.toml]
    python -m insight prepare RAW [--recipe recipe.toml] --dry-run   (prints, writes nothing)
    python -m insight sample --out DIR --participants N --seed S [--preset west-midlands|wales]
    python -m insight export --dataset DIR --la CODE|all --mode presenter|standard --out FILE.pdf
    python -m insight export --dataset DIR --meeting ID|auto --la CODE|all --format pptx|slides
        --out FILE
    python -m insight export --dataset DIR --la CODE --format summary --out FILE.pdf
    python -m insight db status|upgrade

Exit codes: 0 success (valid), 1 refused or failed, 2 usage. Whatever goes wrong, the command
prints one line saying what, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def positive_count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"should be a whole number, not {text[:20]!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("should be 1 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m insight", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a dataset folder against the contract")
    validate.add_argument("folder", type=Path)

    prepare = sub.add_parser(
        "prepare", help="map a raw MI extract to the contract (drops personal data)"
    )
    prepare.add_argument("raw", type=Path, help="the extract: .csv, .xlsx or .parquet")
    prepare.add_argument("--recipe", type=Path, help="recipe.toml from an earlier run")
    prepare.add_argument("--out", type=Path, help="folder to write into (not with --dry-run)")
    prepare.add_argument(
        "--dry-run",
        action="store_true",
        help="print what each column's values become, with row counts, and write nothing",
    )
    prepare.add_argument("--meta", type=Path, help="a dataset.toml to copy beside the table")
    prepare.add_argument(
        "--table",
        default="participants",
        help="the contract table the extract holds, without --recipe (default participants)",
    )

    sample = sub.add_parser("sample", help="write a synthetic dataset")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--participants", type=positive_count, default=40_000)
    sample.add_argument("--seed", type=int, default=2024)
    sample.add_argument("--preset", default="west-midlands", choices=("west-midlands", "wales"))
    sample.add_argument("--format", default="csv", choices=("csv", "parquet", "xlsx"))

    sub.add_parser("rules", help="list every insight and the disclosure rule it applies")

    export = sub.add_parser(
        "export", help="write a briefing pack, a meeting's slides (pptx or PDF) or an LA summary"
    )
    export.add_argument("--dataset", type=Path, required=True)
    export.add_argument("--la", default="all")
    export.add_argument("--mode", choices=("presenter", "standard"), default="presenter")
    export.add_argument("--period", default="whole")
    export.add_argument("--note", default="", help="meeting or recipient, for the sharing log")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument(
        "--format",
        choices=("pack", "pptx", "slides", "summary"),
        default="pack",
        help="pack: the briefing pack PDF (default); pptx: a meeting as a PowerPoint deck; "
        "slides: the same slides as a PDF; summary: a two-page LA summary PDF. All but the "
        "pack are count-free.",
    )
    export.add_argument(
        "--meeting",
        default="",
        help="pptx and slides: a saved meeting's number, or 'auto' for the ready-made one",
    )

    database = sub.add_parser(
        "db",
        help="the app's database (INSIGHT_DATABASE_URL, or the SQLite file in the state folder): "
        "its schema revision, or bring it up to date",
    )
    database.add_argument("action", choices=("status", "upgrade"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except (Exception, RecursionError) as error:  # noqa: BLE001 - one line, never a traceback
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1


def one_line(error: BaseException, limit: int = 300) -> str:
    """An exception as one line of plain text (a traceback quoted inside its message, as from a
    failed subprocess, is cut down to its last line), or its kind when it says nothing."""
    raw = str(error)
    marker = "Traceback (most recent call last)"
    if marker in raw:
        lines = [line for line in raw.split(marker, 1)[1].splitlines() if line.strip()]
        raw = raw.split(marker, 1)[0] + (lines[-1] if lines else "")
    text = " ".join(raw.split())
    if not text:
        text = type(error).__name__
    elif isinstance(error, OSError | ValueError | RecursionError | MemoryError):
        text = f"{text} ({type(error).__name__})"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        if not args.folder.is_dir():
            print(f"error: {args.folder} is not a folder", file=sys.stderr)
            return 2
        from insight.intake.load import validate_folder

        report = validate_folder(args.folder)
        print(report.text())
        return 0 if report.ok else 1
    if args.command == "prepare":
        return _prepare(args)
    if args.command == "sample":
        from insight.sample.synthetic import write_sample

        write_sample(args.out, args.participants, args.seed, preset=args.preset, fmt=args.format)
        print(f"wrote a synthetic dataset of {args.participants:,} participants to {args.out}")
        return 0
    if args.command == "export":
        return _export(args)
    if args.command == "rules":
        from insight.numbers.registry import current

        print(current().rules_text())
        return 0
    if args.command == "db":
        return _database(args.action)
    return 2  # pragma: no cover - argparse refuses unknown commands first


def _database(action: str) -> int:
    """`db status`: exit 0 when the schema is up to date, 1 when it is behind. `db upgrade`:
    bring it up to date (what the app does at its next start anyway)."""
    from sqlalchemy.exc import OperationalError

    from insight.sharing.store import db, migrate

    url = db.database_url()
    engine = db.engine(url)
    try:
        if action == "upgrade":
            db.prepare_file(url)
            before, after = migrate.upgrade(engine)
            if before == after:
                print(f"{db.describe(url)} is up to date (revision {after})")
            else:
                print(f"{db.describe(url)} upgraded from {before or 'no revision'} to {after}")
            return 0
        found = migrate.status(engine)
    except OperationalError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        print(f"error: cannot open {db.describe(url)}: {reason}", file=sys.stderr)
        return 1
    print(found.text())
    return 1 if found.behind else 0


def _prepare(args: argparse.Namespace) -> int:
    """Exit 0 prepared, 1 refused (the list is printed; only the recipe is written), 2 usage."""
    from insight.core.contract import TABLES
    from insight.intake import prepare

    if args.out is None and not args.dry_run:
        print("error: give --out DIR (or --dry-run to write nothing)", file=sys.stderr)
        return 2
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print(f"error: {args.out} is not a folder", file=sys.stderr)
        return 2
    if args.meta is not None and not args.meta.is_file():
        print(f"error: {args.meta} is not a file", file=sys.stderr)
        return 2
    try:
        raw = prepare.read_raw(args.raw)
        if args.recipe is not None:
            if not args.recipe.is_file():
                print(f"error: {args.recipe} is not a file", file=sys.stderr)
                return 2
            recipe = prepare.Recipe.from_toml(args.recipe.read_text(encoding="utf-8"))
        else:
            if args.table not in TABLES:
                print(f"error: --table must be one of: {', '.join(TABLES)}", file=sys.stderr)
                return 2
            recipe = prepare.suggest_recipe(raw, args.table)
    except (prepare.PrepareError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = prepare.prepare(raw, recipe)
    print(result.text())
    if args.dry_run:
        return _dry_run(result, args.raw)
    try:
        if not result.ok:
            prepare.write_recipe(recipe, _made(args.out))
            print(f"The recipe used is in {args.out / prepare.RECIPE_FILE}: fix it and run again.")
            return 1
        written = prepare.write_output(result, args.out)
    except OSError as error:
        print(f"error: could not write to {args.out} ({error.strerror})", file=sys.stderr)
        return 1
    print(f"Wrote {written} (contract columns only) and {args.out / prepare.RECIPE_FILE}.")
    if args.meta is not None:
        meta = args.meta.read_bytes()
        declared = recipe.flag_toml()
        if declared and b"[barriers]" not in meta and b"[services]" not in meta:
            meta = meta.rstrip(b"\n") + b"\n" + declared.encode("utf-8")  # the recipe's own keys
        (args.out / "dataset.toml").write_bytes(meta)
    elif not (args.out / "dataset.toml").exists():
        print("Add dataset.toml to the folder (see DATA_CONTRACT.md), then validate it.")
    return 0


def _dry_run(result, raw: Path) -> int:
    """`prepare --dry-run`: what each column becomes and the description the data gives;
    nothing is written. Exit 0 when every row maps, 1 when something must be fixed first."""
    from datetime import date

    from insight.core.dates import long_date
    from insight.intake import preview

    print(preview.text(result.preview))
    found = preview.describe(
        result.output,
        [c for c in result.recipe.columns if c.endswith("month")],
        raw.name,
        modified=date.fromtimestamp(raw.stat().st_mtime),
    )
    if found.period_start and found.period_end:
        print(f"Period in the data: {found.period_start} to {found.period_end}.")
    print(f"Extract date: {long_date(found.extract_date)} (from {found.extract_from}).")
    print("Dry run: nothing was written.")
    return 0 if result.ok else 1


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- export: the briefing pack from the command line (insight.service.release builds and logs it)
_GSS = re.compile(r"^[EWSN]\d{8}$")


def _say(stream, text: str) -> None:
    stream.write(text + "\n")


def _export(args: argparse.Namespace) -> int:
    """`python -m insight export`: 0 written, 1 refused or failed, 2 bad LA code or period."""
    from insight.core.geo import to_2024
    from insight.core.periods import PERIODS
    from insight.core.problems import DatasetRefused
    from insight.core.selection import WHOLE_AREA, Selection
    from insight.service.release import export_pack

    la = str(args.la).strip()
    if la.lower() == WHOLE_AREA:
        la = WHOLE_AREA
    elif not _GSS.match(la):
        _say(sys.stderr, f"error: --la must be a GSS code like E08000025, or 'all' (got {la!r})")
        return 2
    if args.period not in PERIODS:
        _say(sys.stderr, f"error: --period must be one of {', '.join(PERIODS)}")
        return 2
    try:
        from insight.intake.load import load_dataset

        ds = load_dataset(args.dataset)
    except DatasetRefused as refused:
        _say(sys.stderr, f"error: the dataset was refused.\n{refused.report.text()}")
        return 1
    except Exception as exc:
        _say(sys.stderr, f"error: could not load {args.dataset}: {one_line(exc)}")
        return 1
    if la != WHOLE_AREA:
        la = to_2024(la)
        if la not in ds.la_codes:
            _say(
                sys.stderr,
                f"error: {la} is not an LA in this dataset; choose 'all' or one of: "
                + ", ".join(ds.la_codes),
            )
            return 2
    from insight.sharing import review

    held = review.status(ds)  # unreviewed text and keys not signed off stay out of every export
    for note in held.notes():
        _say(sys.stderr, f"note: {note}")
    ds = review.shareable(ds, held)
    if args.format != "pack":
        return _export_handout(args, ds, la)
    sel = Selection(la=la, period=args.period, mode=args.mode)
    try:
        out = Path(args.out)
        pack, _ = export_pack(ds, sel, note=args.note, write_to=out)
    except Exception as exc:
        _say(sys.stderr, f"error: the briefing pack could not be written: {one_line(exc)}")
        return 1
    return _wrote(
        ds,
        pack.warnings,
        f"{out} ({len(pack.pdf):,} bytes, {pack.images} chart images, "
        f"{pack.seconds:.1f} s, {sel.mode} mode)",
        pack.sha256,
    )


def _export_handout(args: argparse.Namespace, ds, la: str) -> int:  # noqa: ANN001 - a Dataset
    """`--format pptx|slides|summary`: 0 written, 1 failed, 2 usage (no meeting, a summary for
    the whole area, standard mode asked for a slide PDF or a summary)."""
    from insight.core.dates import long_date
    from insight.core.selection import WHOLE_AREA
    from insight.outputs import meetings
    from insight.service.release import HandoutOptions, export_handout
    from insight.sharing import store

    if args.mode != "presenter" and args.format != "pptx":
        _say(
            sys.stderr,
            "error: slide PDFs and summaries are count-free (presenter mode) only; "
            "leave out --mode or give --mode presenter",
        )
        return 2
    items: list[meetings.Item] = []
    title = ""
    if args.format == "summary":
        if la == WHOLE_AREA:
            _say(sys.stderr, "error: a summary is for one LA: give --la with its GSS code")
            return 2
    else:
        wanted = str(args.meeting).strip()
        if wanted == "auto":
            items = meetings.ready_made(ds, la, args.period)
        elif wanted.isdigit() and (meeting := store.get_meeting(int(wanted))) is not None:
            items = [
                meetings.Item(i.chart, i.la, i.period, i.notes)
                for i in store.meeting_items(meeting.id, by=None)
            ]
            title = f"{meeting.name} ({long_date(meeting.held_on)})"
        else:
            known = ", ".join(str(m.id) for m in store.list_meetings(by=None)) or "none saved"
            _say(
                sys.stderr,
                f"error: --meeting must be 'auto' or a saved meeting's number ({known}); "
                f"got {wanted[:20]!r}",
            )
            return 2
        if not items:
            _say(sys.stderr, f"error: meeting {wanted} has no slides yet: add charts to it first")
            return 2
    try:
        out = Path(args.out)
        handout, _ = export_handout(
            ds,
            "pptx" if args.format == "pptx" else args.format,
            options=HandoutOptions(
                items=tuple(items),
                la=la,
                period=args.period,
                title=title,
                note=args.note,
                mode=args.mode,
            ),
            write_to=out,
        )
    except Exception as exc:
        _say(sys.stderr, f"error: the {args.format} could not be written: {one_line(exc)}")
        return 1
    counts = "count-free" if args.mode == "presenter" else "rounded counts where allowed"
    return _wrote(
        ds,
        handout.warnings,
        f"{out} ({len(handout.data):,} bytes, {handout.images} images, "
        f"{handout.seconds:.1f} s, {counts})",
        handout.sha256,
    )


def _wrote(ds, warnings, what: str, sha256: str) -> int:  # noqa: ANN001 - a Dataset
    """An export's warnings, then what was written and logged, with the para 16 reminder."""
    from insight.outputs.pack import PARA_16

    for warning in warnings:
        _say(sys.stderr, f"warning: {warning}")
    email = ds.meta.performance_manager_email
    _say(
        sys.stdout,
        f"wrote {what}; logged with SHA-256 {sha256}.\n"
        f"{PARA_16}" + (f" ({email})." if email else "."),
    )
    return 0
