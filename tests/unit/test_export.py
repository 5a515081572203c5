"""Exports: the stamp, the briefing pack PDF, file names, the mailto link and the command line."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from insight.core.caveat import CAVEAT
from insight.core.dataset import Dataset, Meta
from insight.core.selection import Selection
from insight.numbers import registry, tables
from insight.numbers.safe_table import COUNT_COLUMNS
from insight.numbers.tables import SafeTable
from insight.outputs import png as chart_images
from insight.outputs.names import export_name, slugify
from insight.outputs.pack import CHART_KEYS, PARA_16, build_pack
from insight.outputs.png import (
    PNG_HEIGHT,
    PNG_WIDTH,
    STAMP_NAME,
    NoChromium,
    figure_png,
    kaleido_session,
    stamp,
)
from insight.service.release import export_pack, mailto_link
from insight.sharing import store
from tests.conftest import chromium_or_skip
from tests.unit.test_store import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
TABLE_FUNCTIONS = (
    "la_shares",
    "hotspot",
    "characteristic",
    "barriers",
    "services",
    "vacancies",
    "job_entries",
    "provision",
)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(BytesIO(data)).pages]


def make_meta(provider: str = "Example Employment Partnership", area: str = "West Central") -> Meta:
    return Meta(provider, area, "2024-07", "2025-06", date(2025, 7, 4), "pm@example.org", True)


def make_dataset(meta: Meta | None = None) -> Dataset:
    participants = pd.DataFrame({"la_code": pd.Categorical(["E08000026", "E08000025"])})
    return Dataset(meta=meta or make_meta(), participants=participants, fingerprint="ab" * 32)


def fake_table(ds: Dataset, sel: Selection, *args: object) -> SafeTable:
    frame = pd.DataFrame(
        {
            "area_code": ["all"] * 3,
            "area": ["West Central (whole area)"] * 3,
            "category_key": ["a", "b", "c"],
            "category": ["Mental health", "Debt <b>", "Housing"],
            "value": [52.0, 31.0, float("nan")],
            "label": ["52%", "31%", "[c]"],
            "suppressed": [False, False, True],
        }
    )
    if sel.mode == "standard":
        frame["count"] = ["1,235", "740", "[c]"]
    key = "fake." + ".".join(map(str, args)) if args else f"fake.{len(frame)}"
    return SafeTable(
        key=key,
        title="Half report a mental health barrier",
        subtitle="Share of participants, Jul 2024 to Jun 2025",
        frame=frame,
        mode=sel.mode,
        alt_text="Bar chart: Mental health 52%, Debt 31%.",
        symbols=("[c]",),
    )


def use_table(monkeypatch: pytest.MonkeyPatch, name: str, function) -> None:  # noqa: ANN001
    """The registry's insight `name` made by `function(ds, sel, *args)` instead, wherever it is
    read (the pack, the catalogue, insight.numbers.tables)."""
    now = registry.current()
    faked = dataclasses.replace(
        now.named(name),
        measure=None,
        check=None,
        rule=registry.DERIVED,
        narrate=lambda m: function(m.ds, m.sel, *m.args),
    )
    swapped = registry.Registry(tuple(faked if i.name == name else i for i in now))
    monkeypatch.setattr(registry, "REGISTRY", swapped)
    monkeypatch.setattr(tables, name, registry.builder_of(faked))


@pytest.fixture
def fakes(monkeypatch):
    """insight.numbers.tables and insight.outputs.figures stand-ins: these tests are about the export."""
    for name in TABLE_FUNCTIONS:
        use_table(monkeypatch, name, fake_table)
    monkeypatch.setattr(tables, "talking_points", lambda ds, sel: ["About half report it."])
    monkeypatch.setattr(
        "insight.outputs.pack.chart",
        lambda t, m, s, **kw: go.Figure(go.Bar(x=t.frame["category"], y=t.frame["value"])),
    )


# --- names and links -------------------------------------------------------------------------
@pytest.mark.parametrize("text", [*HOSTILE, "", "\x00\x1b[31m\n\r\t", "CON", "..", "a/b\\c"])
def test_file_names_are_slugs(text):
    name = export_name(make_meta(text, text), Selection(), slugify(text), "pdf")
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", name), name
    assert ".." not in name and len(name) < 300
    assert slugify(text) and "/" not in slugify(text)


def _entry(note: str = "Coventry board") -> store.LogEntry:
    return store.add_log(
        kind="pack",
        provider="Example & Partners",
        source="/data",
        fingerprint="f",
        la="E08000026",
        la_name="Coventry",
        period="whole",
        period_label="Jul 2024 to Jun 2025",
        mode="presenter",
        included=["barriers"],
        file_name="pack.pdf",
        sha256="0" * 64,
        note=note,
    )


@pytest.mark.parametrize("note", HOSTILE[:6] + ["a&b=c?d#e\nline two"])
def test_mailto_link_is_prefilled_and_encoded(note):
    entry = _entry(note)
    url = mailto_link("pm@example.org?bcc=evil@example.com", entry)
    assert not re.search(r"[\s<>\"]", url)
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query, strict_parsing=True)
    assert set(query) == {"subject", "body"}  # the address cannot smuggle in a bcc
    assert "Coventry" in query["subject"][0] and "Jul 2024 to Jun 2025" in query["subject"][0]
    body = query["body"][0]
    assert f"Meeting or recipient: {note}" in body
    assert "para 16" in body and CAVEAT in body and entry.sha256 in body


def test_mailto_link_without_an_address():
    assert mailto_link(None, _entry()).startswith("mailto:?subject=")


# --- the stamp -------------------------------------------------------------------------------
def test_stamp_is_added_once_escaped_on_a_copy():
    meta = make_meta("<b>Evil</b> <a href='javascript:alert(1)'>x</a>")
    sel = Selection(la="E08000026", period="whole", mode="standard")
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    once = stamp(fig, meta, sel)
    twice = stamp(once, meta, sel)
    assert not fig.layout.annotations  # the original is untouched
    stamps = [a for a in twice.layout.annotations if a.name == STAMP_NAME]
    assert len(stamps) == 1
    text = stamps[0].text
    assert "<b>" not in text and "<a " not in text and "&lt;b&gt;Evil" in text
    for part in (
        "Provider management information",
        "Coventry (E08000026)",
        "July 2024 to June 2025",
    ):
        assert part in text.replace("<br>", " ")
    assert "Standard mode" in text


def test_stamp_leaves_the_caveat_to_a_figure_that_already_carries_it():
    meta, sel = make_meta(), Selection(mode="presenter")
    fig = go.Figure(layout={"annotations": [{"text": CAVEAT, "showarrow": False}]})
    stamped = stamp(fig, meta, sel)
    text = [a.text for a in stamped.layout.annotations if a.name == STAMP_NAME][0]
    assert "Provider management" not in text
    assert "West Central (whole area)" in text and "Presenter mode" in text


# --- the briefing pack -----------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_pack_has_caveat_on_every_page_and_the_para_16_reminder(fakes, mode):
    ds = make_dataset()
    sel = Selection(la="E08000026", period="whole", mode=mode)
    pack = build_pack(ds, sel, list(CHART_KEYS), images=False, note="LA board")
    pages = pdf_pages(pack.pdf)
    assert len(pages) == 1 + len(CHART_KEYS)
    for page in pages:
        assert CAVEAT in page
        assert "Example Employment Partnership" in page  # provenance in the footer
    cover = pages[0]
    assert f"{PARA_16} (pm@example.org)" in cover
    for part in ("Coventry (E08000026)", "July 2024 to June 2025", "4 July 2025", "para 15"):
        assert part in cover
    assert ("no counts" in cover) == (mode == "presenter")
    assert ("1,235" in " ".join(pages)) == (mode == "standard")
    assert pack.included[: len(CHART_KEYS)] == CHART_KEYS
    assert pack.sha256 and pack.file_name.endswith(f"{mode}-{date.today():%Y%m%d}.pdf")


def test_presenter_pack_refuses_a_table_that_carries_counts(fakes, monkeypatch):
    def leaky(ds, sel, *args):
        table = fake_table(ds, Selection(mode="standard"))
        return SafeTable(table.key, table.title, table.subtitle, table.frame, mode="presenter")

    use_table(monkeypatch, "barriers", leaky)
    with pytest.raises(ValueError, match="count"):  # now refused where the table is made
        build_pack(make_dataset(), Selection(mode="presenter"), ["barriers"], images=False)

    def other_mode(ds, sel, *args):
        table = fake_table(ds, Selection(mode="standard"))
        frame = table.frame.drop(columns=[c for c in COUNT_COLUMNS if c in table.frame.columns])
        return SafeTable(table.key, table.title, table.subtitle, frame, mode="presenter")

    use_table(monkeypatch, "barriers", other_mode)
    with pytest.raises(ValueError, match="standard"):  # a table built for another mode
        build_pack(make_dataset(), Selection(mode="standard"), ["barriers"], images=False)


@pytest.mark.parametrize("core_font", [False, True])
def test_hostile_text_is_harmless_in_the_pdf(fakes, monkeypatch, core_font):
    if core_font:  # a machine without DejaVu: core Helvetica, text made latin-1
        monkeypatch.setattr("insight.outputs.pack_pdf._font_files", lambda: None)
    hostile = " | ".join(HOSTILE[:6] + HOSTILE[7:])
    ds = make_dataset(make_meta(hostile, hostile))
    insights = [
        store.add_insight(organisation=t, la="all", theme=t, text=t, shared_on="2025-03-01")
        for t in HOSTILE
    ]
    pack = build_pack(ds, Selection(), ["barriers"], insights=insights, note=hostile, images=False)
    raw = pack.pdf
    for action in (b"/JavaScript", b"/JS ", b"/URI", b"/Launch", b"/SubmitForm"):
        assert action not in raw
    text = " ".join(pdf_pages(raw))
    for shown in ("<script>alert(1)</script>", "**bold**", "[link](javascript:alert(1))"):
        assert shown in text  # shown as text, not interpreted
    assert "'); DROP TABLE log;--" in text and "../../etc/passwd" in text


def test_without_chromium_the_pack_says_so_and_keeps_tables(fakes, monkeypatch):
    monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)
    pack = build_pack(make_dataset(), Selection(), ["barriers", "services"])
    assert pack.images == 0
    assert any("Chromium" in w for w in pack.warnings)
    assert "Mental health" in " ".join(pdf_pages(pack.pdf))
    with pytest.raises(NoChromium, match="Chromium"):
        figure_png(go.Figure(), make_meta(), Selection())


def test_export_pack_writes_and_logs(fakes, tmp_path, monkeypatch):
    monkeypatch.setattr("insight.outputs.png.chromium_path", lambda: None)  # text only: fast
    out = tmp_path / "deep" / "pack.pdf"
    sel = Selection(la="E08000025", mode="presenter")
    pack, entry = export_pack(make_dataset(), sel, ["barriers"], note="Board", write_to=out)
    assert out.read_bytes() == pack.pdf
    assert (entry.kind, entry.sha256, entry.note, entry.la_name) == (
        "pack",
        pack.sha256,
        "Board",
        "Birmingham",
    )
    assert entry.fingerprint == "ab" * 32 and entry.included == pack.included
    assert [e.id for e in store.list_log()] == [entry.id]


# --- Kaleido (one browser for the module) ----------------------------------------------------
@pytest.fixture(scope="module")
def kaleido_browser():
    chromium_or_skip()
    with kaleido_session():
        yield


def test_png_is_stamped_and_a_pack_uses_one_browser(kaleido_browser, fakes, monkeypatch):
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    png = figure_png(fig, make_meta(), Selection())
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == PNG_WIDTH and height > PNG_HEIGHT  # room for the stamp
    import kaleido

    starts = []
    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **k: starts.append(1))
    pack = build_pack(make_dataset(), Selection(), ["barriers", "services"])
    assert pack.images == 2 and not pack.warnings
    assert starts == []  # the module's one browser drew both


# --- the command line ------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """`python -m insight export ARGS`, in this process (insight.cli.main, which __main__ exits
    with): a process each cost 5 to 20 s of start-up and imports. The entry point itself runs
    as a process in the other command-line tests (test_screen, test_preview)."""
    from insight import cli

    capsys.readouterr()
    code = cli.main(["export", *args])
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def test_cli_refuses_a_bad_la_code(tmp_path, capsys):
    sample = str(ROOT / "sample_data")
    result = run_cli(
        capsys, "--dataset", sample, "--la", "../etc", "--out", str(tmp_path / "x.pdf")
    )
    assert result.returncode == 2
    assert "GSS code" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_cli_fails_clearly_on_a_folder_that_is_not_a_dataset(tmp_path, capsys):
    out = str(tmp_path / "x.pdf")
    result = run_cli(capsys, "--dataset", str(tmp_path), "--la", "all", "--out", out)
    assert result.returncode == 1
    assert result.stderr.startswith("error:")
    assert not (tmp_path / "x.pdf").exists()


def raw_counts(folder: Path) -> set[int]:
    """Counts a careless export could leak: per LA, per category, per LA and category, totals."""
    people = pd.read_csv(folder / "participants.csv", dtype=str)
    counts: list[int] = [len(people)]
    flags = [c for c in people if c.startswith(("barrier_", "service_"))]
    for column in ["status", "age_band", "gender", "ethnicity", "disability"]:
        counts += people[column].value_counts().tolist()
        counts += people.groupby(["la_code", column]).size().tolist()
    counts += people["la_code"].value_counts().tolist()
    for column in flags:
        yes = people[column].str.lower().isin(["true", "yes", "y", "1"])
        counts += [int(yes.sum())] + people[yes].groupby("la_code").size().tolist()
    for name, value in (("vacancies", "positions"), ("job_entries", None)):
        frame = pd.read_csv(folder / f"{name}.csv", dtype={"la_code": str})
        for by in ("la_code", "sector"):
            sums = frame.groupby(by)[value].sum() if value else frame.groupby(by).size()
            counts += sums.tolist()
        counts.append(int(frame[value].sum()) if value else len(frame))
    provision = pd.read_csv(folder / "local_provision.csv")
    for value in ("capacity", "planned_referrals"):
        counts += [int(provision[value].sum())]
        counts += provision.groupby("organisation")[value].sum().tolist()
    return {int(n) for n in counts if n >= 1000}


def number_tokens(text: str, years: set[int]) -> set[int]:
    tokens = {int(t.replace(",", "")) for t in re.findall(r"\d[\d,]*\d|\d", text)}
    return tokens - years


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["presenter", "standard"])
def test_cli_pack_from_the_sample(sample_dir, tmp_path, mode, capsys, monkeypatch):
    """The whole area's pack from the command line. The presenter pack draws its charts in
    Chromium; the standard one, whose checks are the log's mode and note, the caveat and para
    16, takes the no-Chromium path (its tables stand in for the pictures): drawing every chart
    twice cost about 40 s."""
    if mode == "standard":
        monkeypatch.setattr(chart_images, "chromium_path", lambda: None)
    out = tmp_path / f"{mode}.pdf"
    result = run_cli(
        capsys,
        "--dataset",
        str(sample_dir),
        "--la",
        "all",
        "--mode",
        mode,
        "--note",
        "Board",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert PARA_16 in result.stdout
    pages = pdf_pages(out.read_bytes())
    assert all(CAVEAT in page for page in pages)
    assert PARA_16 in pages[0]
    entries = store.list_log()
    assert len(entries) == 1 and entries[0].mode == mode and entries[0].note == "Board"
    if mode == "presenter":
        years = set(range(2000, 2101))
        leaked = number_tokens(" ".join(pages), years) & raw_counts(sample_dir)
        assert not leaked, f"counts in a presenter pack: {sorted(leaked)[:10]}"


def test_cli_refuses_an_la_not_in_the_dataset(sample_dir, tmp_path, capsys):
    result = run_cli(
        capsys, "--dataset", str(sample_dir), "--la", "W06000015", "--out", str(tmp_path / "x.pdf")
    )
    assert result.returncode == 2 and "not an LA in this dataset" in result.stderr


# --- CSV injection (insight.core.formula) ---------------------------------------------------------
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+44 7700 900123",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\tTab first",
    "\rReturn first",
    "-",
    "=-3",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_a_single_quote(text):
    from insight.core.formula import neutralise

    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-3", "-3.5%", "+4", "-1,234", "12%", "[c]", "Debt", "", -5, 2.5]
)
def test_numbers_and_plain_text_are_left_alone(value):
    from insight.core.formula import neutralise

    assert neutralise(value) == value


def test_a_frame_keeps_its_numbers_and_neutralises_its_text():
    from insight.core.formula import csv_bytes, neutralise_frame

    frame = pd.DataFrame(
        {
            "=name": ["=cmd", "Debt", "-3"],
            "count": [-5, 10, 15],
            "share": [-0.5, 1.5, float("nan")],
            "area": pd.Categorical(["@evil", "Coventry", "Coventry"]),
        }
    )
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=name", "count", "share", "area"]
    assert out["'=name"].tolist() == ["'=cmd", "Debt", "-3"]
    assert out["count"].tolist() == [-5, 10, 15] and out["count"].dtype == frame["count"].dtype
    assert out["area"].tolist() == ["'@evil", "Coventry", "Coventry"]
    assert frame["=name"][0] == "=cmd", "the caller's frame is not changed"
    parsed = pd.read_csv(BytesIO(csv_bytes(frame)), dtype=str, keep_default_na=False)
    assert parsed.iloc[0].tolist() == ["'=cmd", "-5", "-0.5", "'@evil"]


def test_the_safe_table_csv_writer_neutralises_dataset_text(fakes):
    """components.charts.safe_csv: what 'Download this safe table (CSV)' sends."""
    from components.charts import safe_csv

    meta = make_meta('=HYPERLINK("http://evil.example")', "@area")
    sel = Selection(mode="standard")
    table = fake_table(make_dataset(meta), sel)
    frame = table.frame.copy()
    frame["area"] = ["=cmd|' /C calc'!A0", "+area", "-area"]
    frame["category"] = ["@SUM(A1)", "\tTab", "Housing"]
    data = safe_csv(SafeTable(**{**table.__dict__, "frame": frame}), meta, sel)
    cells = [
        cell
        for row in pd.read_csv(BytesIO(data), dtype=str, header=None).values
        for cell in row
        if isinstance(cell, str)
    ]
    risky = [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert not risky, risky
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1)" in cells


# --- the sharing log records CSVs --------------------------------------------------------------
def test_a_csv_export_is_logged_and_named_in_the_email():
    entry = store.add_log(
        kind="csv",
        provider="p",
        source="s",
        fingerprint="f",
        la="all",
        la_name="West Central",
        period="whole",
        period_label="Whole",
        mode="standard",
        included=["barriers"],
        file_name="barriers.csv",
        sha256="1" * 64,
    )
    assert [e.kind for e in store.list_log(kind="csv")] == ["csv"]
    body = parse_qs(urlsplit(mailto_link(None, entry)).query)["body"][0]
    assert "What: Safe table (CSV) (barriers.csv)" in body


def test_a_version_1_log_is_migrated_and_keeps_its_rows(tmp_path, monkeypatch):
    import sqlite3

    from insight.sharing.store import migrate

    monkeypatch.setenv("INSIGHT_STATE_DIR", str(tmp_path))
    old = sqlite3.connect(tmp_path / store.DB_NAME)
    old.executescript(
        migrate.revision_module("0001").SQLITE_SCHEMA.replace(
            "('png', 'pack', 'csv', 'deck', 'slides', 'summary')", "('png', 'pack')"
        )
        + "PRAGMA user_version = 1;"
    )
    old.execute(
        "INSERT INTO sharing_log (created_utc, kind, provider, source, fingerprint, la, la_name, "
        "period, period_label, mode, included, file_name, sha256, note) VALUES "
        "('2025-01-01T00:00:00+00:00', 'pack', 'p', 's', 'f', 'all', 'A', 'whole', 'W', "
        "'standard', '[\"barriers\"]', 'old.pdf', ?, 'kept')",
        ("2" * 64,),
    )
    old.commit()
    old.close()
    store._ready.clear()
    store.add_log(
        kind="csv", provider="p", source="s", fingerprint="f", la="all", la_name="A",
        period="whole", period_label="W", mode="standard", included=["x"],
        file_name="x.csv", sha256="3" * 64,
    )  # fmt: skip
    assert [(e.kind, e.note) for e in store.list_log()] == [("csv", ""), ("pack", "kept")]
    with store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == store.SCHEMA_VERSION
        assert "sharing_log_v1" not in str(
            conn.exec_driver_sql("SELECT name FROM sqlite_master").fetchall()
        )


def test_the_csv_download_logs_what_it_sends(fakes):
    from components.export import _csv_maker
    from insight.service.view import page_view

    ds, sel = make_dataset(), Selection(la="E08000026", mode="standard")
    table = fake_table(ds, sel)
    make = _csv_maker(lambda: b"a,b\n1,2\n", table, page_view(ds, sel), "fake.csv")
    assert not store.list_log()
    data = make()
    (entry,) = store.list_log()
    assert (entry.kind, entry.file_name, entry.la, entry.mode) == (
        "csv",
        "fake.csv",
        "E08000026",
        "standard",
    )
    assert entry.sha256 == hashlib.sha256(data).hexdigest()


def test_what_an_export_included_is_said_in_words() -> None:
    """The sharing log's "Included" column: labels a Performance Manager reads, not the keys
    ("la_shares, hotspot, characteristic.age_band")."""
    from insight.outputs.names import included_words

    words = included_words(
        ["la_shares", "characteristic.age_band", "hotspot_map", "talking_points",
         "stakeholder_insights:3", "barrier_by_age.digital_skills"]
    )  # fmt: skip
    assert words == (
        "Share of the area's participants by LA; Age band; the hotspot map; talking points; "
        "3 stakeholder insights; Digital skills by age band"
    )
    assert "_" not in words and "." not in words


def test_a_csv_download_by_a_signed_in_person_is_logged_under_them(fakes, monkeypatch):
    """The person is read in the script run (components.access.current) and the deferred
    download, which runs outside it, logs under them: it was logged as "local user"."""
    from components import access
    from components.export import _csv_maker
    from insight.service.view import page_view
    from insight.sharing.access import Principal

    ana = Principal("ana@provider.example", "analyst", True)
    monkeypatch.setattr(access, "current", lambda: ana)
    ds, sel = make_dataset(), Selection(la="all", mode="standard")
    make = _csv_maker(lambda: b"a,b\n1,2\n", fake_table(ds, sel), page_view(ds, sel), "f.csv")
    monkeypatch.setattr(access, "current", lambda: Principal("someone@else.example", "viewer"))
    make()  # pressed later, outside the run: still Ana's download
    (entry,) = store.list_log()
    assert (entry.kind, entry.owner) == ("csv", "ana@provider.example")
