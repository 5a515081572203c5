"""Read a workbook in a separate process, under a memory and a time limit.

The checks in `insight.intake.xlsx_scan` bound a workbook from its ZIP before anything parses it;
this is the second line, for whatever they did not foresee. The reader (python-calamine, in
Rust) runs in a child process that limits its own address space (`RLIMIT_AS`, from
INSIGHT_XLSX_MEMORY_MB) and CPU time before it opens the file, and the parent stops it after
INSIGHT_XLSX_SECONDS. A workbook that needs more stops the child, never the server: the visitor
is told in plain words, and everyone else's pages carry on.

The child writes its answer to stdout: `OK` and the columns as an Arrow IPC stream, or `RE` and
the plain message of a ReadError. `python -m insight.intake.isolated sheet|names PATH STEM MB`.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

_ROOT = Path(__file__).resolve().parents[2]
_OK = b"OK"
_REFUSED = b"RE"
_NO_MEMORY = 4  # the child's exit status when Python ran out of memory


class IsolatedError(Exception):
    """The child could not answer: the message completes '<file>: ...'."""


def _command(mode: str, path: Path, stem: str, memory_mb: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "insight.intake.isolated",
        mode,
        str(path.resolve()),
        stem,
        str(memory_mb),
    ]


def run(mode: str, path: Path, stem: str, memory_mb: int, seconds: float) -> bytes:
    """The child's answer after its `OK`; raises ReadError-like IsolatedError (its message
    given) for a refusal, too much memory, too long, or a crash."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
    env["OMP_NUM_THREADS"] = "1"
    try:
        done = subprocess.run(
            _command(mode, path, stem, memory_mb),
            capture_output=True,
            timeout=seconds,
            cwd=_ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise IsolatedError(_too_long(seconds)) from None
    out = done.stdout
    if done.returncode == 0 and out.startswith(_OK):
        return out[len(_OK) :]
    if done.returncode == 0 and out.startswith(_REFUSED):
        raise IsolatedError(out[len(_REFUSED) :].decode("utf-8", "replace"))
    if done.returncode in (_NO_MEMORY, -signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        raise IsolatedError(_too_much_memory(memory_mb))
    if done.returncode in (-signal.SIGXCPU,):
        raise IsolatedError(_too_long(seconds))
    raise IsolatedError(
        "could not be read: the workbook is damaged or not laid out as a table. Open it, save "
        "it again as .xlsx or .csv (UTF-8), and try again"
    )


def _too_much_memory(memory_mb: int) -> str:
    from insight.intake.limits import ENV_XLSX_MEMORY_MB

    return (
        f"could not be read within the {memory_mb:,} MB of memory this server gives a workbook "
        f"({ENV_XLSX_MEMORY_MB}): it holds far more than its size suggests. Save the table as "
        ".csv or .parquet, or ask whoever runs the server to raise the limit"
    )


def _too_long(seconds: float) -> str:
    from insight.intake.limits import ENV_XLSX_SECONDS

    return (
        f"took longer than the {seconds:,.0f} seconds this server gives a workbook "
        f"({ENV_XLSX_SECONDS}). Save the table as .csv or .parquet, which read far faster, or "
        "ask whoever runs the server to raise the limit"
    )


def columns_from_ipc(data: bytes) -> tuple[list[str], list[pa.ChunkedArray]]:
    reader = pa.ipc.open_stream(pa.py_buffer(data))
    table = reader.read_all()
    return list(table.schema.names), list(table.columns)


def names_from_lines(data: bytes) -> list[str]:
    return [line for line in data.decode("utf-8").split("\0") if line] if data else []


# --- the child ----------------------------------------------------------------------------------
def _limit_self(memory_mb: int, seconds: int) -> None:
    memory = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _child(argv: list[str]) -> int:
    mode, path, stem, memory_mb = argv[0], Path(argv[1]), argv[2], int(argv[3])
    from insight.intake import limits

    _limit_self(memory_mb, limits.current().xlsx_seconds)
    from insight.intake import xlsx
    from insight.intake.raw import ReadError

    out = sys.stdout.buffer
    try:
        if mode == "names":
            names = xlsx.sheet_names_here(path)
            out.write(_OK + "\0".join(names).encode("utf-8"))
            return 0
        header, columns = xlsx.read_xlsx_here(path, stem, limits.current())
        table = pa.Table.from_arrays(columns, names=header)
        out.write(_OK)
        with pa.ipc.new_stream(out, table.schema) as writer:
            writer.write_table(table)
    except ReadError as error:
        out.write(_REFUSED + str(error).encode("utf-8"))
    except MemoryError:
        return _NO_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
