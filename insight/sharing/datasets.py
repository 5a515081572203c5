"""Datasets kept by name in the app's state folder, uploads unpacked safely, and the data root.

- A dataset that passed every check is kept in `datasets_dir()/<name>/` (its table files and
  dataset.toml) and chosen by `?dataset=<name>`. `datasets_dir()` is INSIGHT_DATA_DIR when set (a
  folder every app process can reach, on this machine or shared between machines), else
  `state_dir()/datasets`.
- Every keep, replace and removal raises the name's **version** in the store
  (`store.record_kept_version`) with the kept files' content fingerprint, after the files are in
  place. `version(name)` is one SELECT: a process reads it on every page load of a kept dataset
  and keys every cache by the fingerprint recorded there (components.context.fingerprint), so a
  dataset replaced through one process is seen by every other on its next page load, without
  listing or hashing the files again. Change a kept dataset only through `keep` and `remove`
  (the Data page): files edited in place by hand raise no version. Only the columns the contract names are kept
  (`contract_columns`): a table holding others is written again without them. Names are short
  and safe: letters, digits, '-' and '_'. Removing one removes its files.
- Uploads (table files, dataset.toml, or one ZIP of them) land in a fresh folder of their own. A
  ZIP is unpacked member by member: no absolute or '..' paths, no links, no more than MAX_MEMBERS
  files (MAX_ENTRIES entries, folders included, counted before the archive's directory is read)
  or MAX_UNPACKED bytes however the archive describes itself; an encrypted, oddly compressed
  (Deflate64) or damaged member is refused in plain words.
- A staging folder's name carries the server's process id and a tag of its machine's name: one
  left behind by a server that stopped mid-check is removed when the next one on the same
  machine starts (`remove_stale`); another machine's are left to it.
- The server-path box opens only folders inside INSIGHT_DATA_ROOT (unset: no path at all). Any
  other path gets the same answer whether it exists or not, so the box cannot probe the machine.
- A kept dataset has an **audience**, chosen when it is kept: the least role that may open it
  (data managers only by default; analysts too; or everyone, viewers too). `open_kept` is how a
  session opens one by name: a name its role may not open is answered exactly as a name that is
  not kept, so a viewer cannot open, or learn of, a dataset by guessing its name. The audience
  is a dot file in the kept folder (`.audience`), which the checks and the fingerprint leave out.
- A data manager may make a kept dataset that everyone may open the **default for everyone**: a
  setting kept on the server (insight.sharing.store.set_setting), read again at most every
  DEFAULT_RECHECK_S seconds. A session whose link names no dataset opens it; a role it is not
  kept for (its audience narrowed since) gets INSIGHT_DATASET or the sample instead. Removing the
  dataset clears the setting.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal, get_args

from insight.core.contract import FILE_SUFFIXES, META_FILE, TABLES
from insight.core.dataset import Dataset
from insight.intake import archive
from insight.intake.raw import ReadError
from insight.intake.readers import read_table
from insight.sharing import store
from insight.sharing.access import ROLES, Principal, Role
from insight.sharing.store import state_dir

DATA_ROOT_ENV = "INSIGHT_DATA_ROOT"
DATA_DIR_ENV = "INSIGHT_DATA_DIR"  # where kept datasets live: shared by every app process
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
NAME_RULE = "1 to 40 letters, digits, '-' or '_', starting with a letter or digit"
MAX_MEMBERS = 50
MAX_ENTRIES = 1000  # entries of any kind, folders included (600,000 empty folders: refused)
MAX_UNPACKED = 1 << 30  # 1 GiB across a ZIP's files
UPLOAD_SUFFIXES = (*FILE_SUFFIXES, ".toml", ".zip")
NOT_AVAILABLE = "That folder is not available here: give a folder inside the data root."


# --- audience: who may open a kept dataset ----------------------------------------------------
Audience = Literal["data_manager", "analyst", "viewer"]  # the least role that may open it
AUDIENCES: dict[Audience, str] = {
    "data_manager": "Data managers only",
    "analyst": "Analysts and data managers",
    "viewer": "Everyone, viewers too",
}
DEFAULT_AUDIENCE: Audience = "data_manager"
AUDIENCE_FILE = ".audience"


def may_open(role: Role | str, audience: Audience) -> bool:
    """Whether `role` is in a dataset's audience (an unknown role is in none)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(audience)


def audience(name: str) -> Audience:
    """A kept dataset's audience; data managers only when none was recorded (kept before
    audiences, or the file damaged): never wider than was chosen."""
    folder = kept_folder(name)
    if folder is None:
        return DEFAULT_AUDIENCE
    try:
        text = (folder / AUDIENCE_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return DEFAULT_AUDIENCE
    return text if text in get_args(Audience) else DEFAULT_AUDIENCE  # type: ignore[return-value]


def _write_audience(folder: Path, chosen: Audience) -> None:
    if chosen not in get_args(Audience):
        raise UploadError(f"'{chosen}' is not an audience ({', '.join(AUDIENCES)})")
    (folder / AUDIENCE_FILE).write_text(chosen + "\n", encoding="utf-8")


def set_audience(name: str, chosen: Audience) -> bool:
    """Change who may open a kept dataset; False when there is none by that name."""
    folder = kept_folder(name)
    if folder is None:
        return False
    _write_audience(folder, chosen)
    return True


def open_kept(name: str, role: Role | str) -> Path | None:
    """The kept dataset's folder when `role` may open it; None for a name that is not kept AND
    for one this role may not open (the same answer, so a name cannot be probed)."""
    folder = kept_folder(name)
    if folder is None or not may_open(role, audience(name)):
        return None
    return folder


# --- the default for everyone (issue 29) -------------------------------------------------------
DEFAULT_SETTING = "default_dataset"
DEFAULT_RECHECK_S = 2.0  # every rerun of every session asks: the store is read at most this often
_default_seen: dict[str, tuple[float, str | None]] = {}  # database URL -> (when read, name)


def default_name() -> str | None:
    """The kept dataset a data manager made the default for everyone, or None."""
    where, now = store.database_url(), time.monotonic()
    seen = _default_seen.get(where)
    if seen is not None and now - seen[0] < DEFAULT_RECHECK_S:
        return seen[1]
    found = store.setting(DEFAULT_SETTING)
    name = found.value if found is not None and kept_folder(found.value) is not None else None
    _default_seen[where] = (now, name)
    return name


def set_default(name: str | None, *, by: Principal | None) -> None:
    """Make a kept dataset the default for everyone (None: back to INSIGHT_DATASET or the
    sample). Only a data manager may (store.NotAllowed otherwise), and only a dataset kept for
    everyone: a default some roles could not open would not be everyone's."""
    if name is not None:
        if kept_folder(name) is None:
            raise UploadError(f"there is no kept dataset called '{name[:40]}'")
        if audience(name) != "viewer":
            raise UploadError(
                f"'{name}' is kept for {AUDIENCES[audience(name)].lower()}: open it to everyone "
                "first, then make it the default"
            )
    store.set_setting(DEFAULT_SETTING, name, by=by)
    _default_seen.pop(store.database_url(), None)


def default_for(role: Role | str) -> Path | None:
    """The default kept dataset's folder if `role` may open it, else None."""
    name = default_name()
    return open_kept(name, role) if name else None


def names_for(role: Role | str) -> list[str]:
    """The kept datasets `role` may open."""
    return [name for name in kept_names() if may_open(role, audience(name))]


class UploadError(Exception):
    """An upload that cannot be used; the message is plain words and never quotes file content."""


# --- names and places ------------------------------------------------------------------------
def valid_name(name: str) -> bool:
    return bool(NAME_PATTERN.fullmatch(name or ""))


def datasets_dir() -> Path:
    """INSIGHT_DATA_DIR if set (every process of one service names the same folder), else the
    state folder's `datasets`."""
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return state_dir() / "datasets"


def version(name: str) -> store.KeptVersion | None:
    """The kept dataset's recorded version and content fingerprint (None: never recorded, as for
    a dataset kept before versions). One SELECT on the store's primary key."""
    return store.kept_version(name) if valid_name(name) else None


def _record(name: str, folder: Path | None) -> store.KeptVersion:
    from insight.intake.load import dataset_fingerprint

    return store.record_kept_version(name, dataset_fingerprint(folder) if folder else "")


def kept_names() -> list[str]:
    folder = datasets_dir()
    if not folder.is_dir():
        return []
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.is_dir() and not path.is_symlink() and valid_name(path.name)
    )


def kept_folder(name: str) -> Path | None:
    """The folder of a kept dataset, or None for an unknown or unsafe name."""
    if not valid_name(name):
        return None
    folder = datasets_dir() / name
    return folder if folder.is_dir() and not folder.is_symlink() else None


def kept_name_of(folder: str | Path) -> str | None:
    """The kept dataset's name if `folder` is one, else None."""
    path = Path(folder)
    try:
        if path.resolve().parent == datasets_dir().resolve() and kept_folder(path.name):
            return path.name
    except OSError:
        return None
    return None


def _dataset_files(folder: Path) -> list[Path]:
    """The files a dataset is made of: dataset.toml and files named like a contract table."""
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file()
        and not path.is_symlink()
        and (
            path.name == META_FILE
            or (path.stem.lower() in TABLES and path.suffix.lower() in FILE_SUFFIXES)
        )
    ]


_STAGING = ".upload."
_PARTIAL = ".keep."
# This machine, in a temporary folder's name beside its process id: the data folder may be shared
# between machines, and a process id means something only on its own machine.
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temporary_prefix(kind: str) -> str:
    return f"{kind}{os.getpid()}@{_HOST}."


SCRATCH_PREFIX = "insight-extract-"  # a raw extract's private folder while it is read


def staging_folder() -> Path:
    """A fresh private folder beside the kept datasets, for an upload while it is checked:
    keeping it is then one rename, not a copy. Its name carries this process's id."""
    datasets_dir().mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=_temporary_prefix(_STAGING), dir=datasets_dir()))


def scratch_folder() -> Path:
    """A fresh private folder in memory (/dev/shm where there is one) for a raw extract while it
    is read; its name carries this process's id, like a staging folder's."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() else None
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}.", dir=where))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _stale(folder: Path, prefix: str) -> bool:
    """A temporary folder of ours whose server is no longer running (or this one: a server has
    no upload in progress as it starts). One made on another machine is never stale here (its
    process id means nothing on this one); a name without a machine (made before they carried
    one) is taken as this machine's."""
    rest = folder.name[len(prefix) :]
    pid_text, _, host = rest.split(".", 1)[0].partition("@")
    if host and host != _HOST:
        return False
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    return pid == os.getpid() or not _alive(pid)


def remove_stale() -> list[str]:
    """Remove the upload, keep and extract folders a stopped server left behind (a server killed
    mid-check cannot clean up after itself); returns their names. Run once, at server start."""
    removed = []
    places: list[tuple[Path, tuple[str, ...]]] = [(datasets_dir(), (_STAGING, _PARTIAL))]
    for where in {Path("/dev/shm"), Path(tempfile.gettempdir())}:
        places.append((where, (SCRATCH_PREFIX,)))
    for where, prefixes in places:
        if not where.is_dir():
            continue
        try:
            entries = list(where.iterdir())
        except OSError:
            continue
        for path in entries:
            prefix = next((p for p in prefixes if path.name.startswith(p)), None)
            if prefix is None or path.is_symlink() or not path.is_dir():
                continue
            try:
                mine = path.stat().st_uid == os.getuid()
            except OSError:
                continue
            if mine and _stale(path, prefix):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    return removed


# --- only the contract's columns are kept ------------------------------------------------------
def contract_columns(ds: Dataset) -> dict[str, frozenset[str]]:
    """The columns of each table the checks looked at and the app uses (the loaded frames' own,
    without the month indexes the loader adds)."""
    out = {}
    for stem in TABLES:
        frame = getattr(ds, stem, None)
        if frame is None or not hasattr(frame, "columns"):
            continue
        out[stem] = frozenset(
            str(name)
            for name in frame.columns
            if not (str(name).endswith("_index") and str(name)[: -len("_index")] in frame.columns)
        )
    return out


def _only_contract_columns(folder: Path, columns: dict[str, frozenset[str]]) -> None:
    """Write again, as CSV of the contract's columns, each table file holding any other column
    (the first column of each name, as the checks read it); a table with none is left as it is."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    for path in _dataset_files(folder):
        stem = path.stem.lower()
        if path.name == META_FILE or stem not in columns:
            continue
        try:
            table = read_table(path, stem)
        except ReadError as error:
            raise UploadError(f"{path.name} could not be read again to keep it: {error}") from None
        names = [column.name for column in table.columns]
        wanted = columns[stem]
        if all(name in wanted for name in names) and len(set(names)) == len(names):
            continue
        kept = [table.by_name[name] for name in sorted(wanted, key=names.index) if name in names]
        written = pa.table(
            [column.text() for column in kept], names=[column.name for column in kept]
        )
        partial = folder / f".{stem}.csv.partial"
        pacsv.write_csv(written, partial)
        path.unlink()
        partial.replace(folder / f"{stem}.csv")


def keep(
    name: str,
    source: Path | str,
    *,
    replace: bool = False,
    move: bool = False,
    audience: Audience = DEFAULT_AUDIENCE,
    columns: dict[str, frozenset[str]] | None = None,
) -> Path:
    """Keep a checked dataset folder's files under `name`; returns the kept folder. The files
    land whole or not at all (a temporary sibling, then one rename). With move=True a folder
    from staging_folder() is renamed into place (its other files removed first), not copied.
    `columns` (contract_columns of the loaded dataset): a table holding any other column is
    written again with only these, so nothing the checks ignored is kept. `audience` (data
    managers only unless chosen) lands with the files, in the same rename."""
    if audience not in AUDIENCES:
        raise UploadError(f"'{audience}' is not an audience ({', '.join(AUDIENCES)})")
    if not valid_name(name):
        raise UploadError(f"'{name[:40]}' cannot be a dataset name: use {NAME_RULE}")
    target = datasets_dir() / name
    if target.exists() and not replace:
        raise UploadError(f"a dataset called '{name}' is already kept: choose another name")
    datasets_dir().mkdir(parents=True, exist_ok=True)
    source = Path(source)
    if move and source.resolve().parent == datasets_dir().resolve():
        wanted = set(_dataset_files(source))
        for path in source.iterdir():
            if path not in wanted:
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        partial = source
    else:
        partial = Path(tempfile.mkdtemp(prefix=_temporary_prefix(_PARTIAL), dir=datasets_dir()))
        try:
            for path in _dataset_files(source):
                shutil.copy2(path, partial / path.name)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    if columns is not None:
        try:
            _only_contract_columns(partial, columns)
        except BaseException:
            if partial != source:
                shutil.rmtree(partial, ignore_errors=True)
            raise
    _write_audience(partial, audience)  # before the rename: never a moment without it
    aside = _set_aside(target)
    try:
        partial.rename(target)
    except BaseException:
        if aside is not None and not target.exists():
            (aside / name).rename(target)  # put the old one back
        raise
    _record(name, target)  # after the files are in place: a process seeing the version finds them
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return target


def _set_aside(target: Path) -> Path | None:
    """Move a kept folder out of the way in one rename (into a temporary folder of ours that
    remove_stale clears if this process dies), so the new one takes its place in the next:
    the name is without a folder only between the two renames."""
    if not target.exists():
        return None
    aside = Path(tempfile.mkdtemp(prefix=_temporary_prefix(_PARTIAL), dir=datasets_dir()))
    target.rename(aside / target.name)
    return aside


def remove(name: str) -> bool:
    """Remove a kept dataset and its files; False if there was none by that name."""
    folder = kept_folder(name)
    if folder is None:
        return False
    aside = _set_aside(folder)
    _record(name, None)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    found = store.setting(DEFAULT_SETTING)
    if found is not None and found.value == name:  # no default left naming a dataset now gone
        store.set_setting(DEFAULT_SETTING, None)
        _default_seen.pop(store.database_url(), None)
    return True


# --- the data root ---------------------------------------------------------------------------
def data_root() -> Path | None:
    configured = os.environ.get(DATA_ROOT_ENV, "").strip()
    if not configured:
        return None
    root = Path(configured).expanduser()
    try:
        root = root.resolve(strict=True)
    except OSError:
        return None
    return root if root.is_dir() else None


def folder_in_root(text: str, root: Path | None = None) -> Path | None:
    """The folder `text` names if it lies inside the data root, else None.

    A relative path is taken from the root. The check is made on the resolved path (links
    followed) before anything about the path itself is looked at, so an outside path gives the
    same None whether or not it exists."""
    root = root if root is not None else data_root()
    if root is None or not text.strip() or "\x00" in text:
        return None
    candidate = Path(text.strip()).expanduser()
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        resolved = candidate.resolve(strict=False)
    except (OSError, RuntimeError):
        return None
    if resolved != root and root not in resolved.parents:
        return None
    return resolved if resolved.is_dir() else None


# --- uploads ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    name: str  # as the browser gave it
    data: bytes


def _safe_file_name(name: str) -> str | None:
    """The last part of an uploaded or zipped name, if it is a plain, allowed file name."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or base.startswith(".") or base in {".", ".."}:
        return None
    if not re.fullmatch(r"[A-Za-z0-9 ._()-]{1,100}", base):
        return None
    return base if base.lower().endswith(UPLOAD_SUFFIXES) else None


def unpack_uploads(uploads: Iterable[Upload], into: Path) -> list[str]:
    """Write the uploads into `into` (one ZIP is unpacked there); returns the names of files
    left out, with why. Raises UploadError for an archive that is unsafe or too big."""
    into.mkdir(parents=True, exist_ok=True)
    skipped: list[str] = []
    total = 0
    for upload in uploads:
        name = _safe_file_name(upload.name)
        if name is None:
            skipped.append(f"{upload.name[:60]}: not a .csv, .xlsx, .parquet, .toml or .zip file")
            continue
        if name.lower().endswith(".zip"):
            total += _unzip(upload.data, into, skipped, total)
            continue
        total += len(upload.data)
        if total > MAX_UNPACKED:
            raise UploadError("the upload is larger than 1 GB in all")
        _write_new(into / name, upload.data)
    return skipped


def _write_new(path: Path, data: bytes) -> None:
    if path.exists():
        raise UploadError(f"two files are called {path.name}: upload each table once")
    path.write_bytes(data)


def _unzip(data: bytes, into: Path, skipped: list[str], used: int) -> int:

    try:
        book = archive.open_zip(data, MAX_ENTRIES, ".zip")
    except archive.ArchiveError as error:
        raise UploadError(str(error)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise UploadError("the .zip file is not a valid ZIP archive") from None
    written = 0
    with book:
        members = [m for m in book.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise UploadError(f"the .zip holds more than {MAX_MEMBERS} files")
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            mode = member.external_attr >> 16
            if path.is_absolute() or ".." in path.parts or member.filename.startswith("/"):
                raise UploadError("the .zip holds a path outside its own folder: it is refused")
            if stat.S_ISLNK(mode):
                raise UploadError("the .zip holds a link: it is refused")
            if path.parts and path.parts[0] == "__MACOSX":
                continue
            if len(path.parts) > 2:
                skipped.append(f"{member.filename[:60]}: in a sub-folder of a sub-folder")
                continue
            name = _safe_file_name(path.name)
            if name is None or name.lower().endswith(".zip"):
                skipped.append(f"{member.filename[:60]}: not a table or dataset.toml")
                continue
            target = into / name
            if target.exists():
                raise UploadError(f"two files are called {name}: upload each table once")
            try:
                with target.open("wb") as out:
                    for block in archive.stream(book, member):
                        written += len(block)
                        if used + written > MAX_UNPACKED:
                            raise UploadError("the .zip unpacks to more than 1 GB: it is refused")
                        out.write(block)
            except archive.ArchiveError as error:
                raise UploadError(f"the .zip cannot be used: {error}") from None
    return written


# --- dataset.toml from a short form ----------------------------------------------------------
def meta_toml(
    provider_name: str,
    area_name: str,
    period_start: str,
    period_end: str,
    extract_date: str,
    performance_manager_email: str = "",
    synthetic: bool = False,
) -> str:
    """dataset.toml text from the Data page's short form (checked like any other, on load)."""
    import json

    def q(text: str) -> str:
        return json.dumps(text.strip(), ensure_ascii=False)

    lines = [
        f"provider_name = {q(provider_name)}",
        f"area_name = {q(area_name)}",
        f"period_start = {q(period_start)}",
        f"period_end = {q(period_end)}",
        f"extract_date = {q(extract_date)}",
    ]
    if performance_manager_email.strip():
        lines.append(f"performance_manager_email = {q(performance_manager_email)}")
    lines.append(f"synthetic = {'true' if synthetic else 'false'}")
    return "\n".join(lines) + "\n"


__all__ = [
    "AUDIENCES",
    "DATA_DIR_ENV",
    "DATA_ROOT_ENV",
    "DEFAULT_AUDIENCE",
    "DEFAULT_SETTING",
    "NOT_AVAILABLE",
    "Audience",
    "Upload",
    "UploadError",
    "audience",
    "contract_columns",
    "data_root",
    "default_for",
    "default_name",
    "datasets_dir",
    "folder_in_root",
    "keep",
    "kept_folder",
    "kept_names",
    "may_open",
    "meta_toml",
    "names_for",
    "open_kept",
    "remove",
    "set_audience",
    "set_default",
    "remove_stale",
    "scratch_folder",
    "staging_folder",
    "unpack_uploads",
    "valid_name",
    "version",
]
