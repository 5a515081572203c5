"""A throwaway PostgreSQL cluster from Debian's binaries (apt-get install postgresql), for the
store's tests and benchmarks/store_writes.py: initdb into a temporary folder, started on a Unix
socket in that folder only (no TCP port, nothing another process could reach by chance), stopped
and removed at the end. As root (CI), the cluster runs as the `postgres` account, as PostgreSQL
requires (runuser).

Durability is switched off (fsync, synchronous_commit, full_page_writes): the tests kill the
app's processes, never the database server, and a cluster that is thrown away after the run
needs no crash safety of its own.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"
PORT = 5432  # the socket's name only: it lives in the cluster's own folder


def binaries() -> Path | None:
    """Debian's newest PostgreSQL bin folder (initdb, pg_ctl), or None when not installed."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(found[-1]).parent if found else None


class Cluster:
    """Start with start(), make databases with create_database(), stop() at the end."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="insight-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._names = itertools.count(1)
        self._as_root = os.geteuid() == 0
        if self._as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            os.chmod(self.folder, 0o755)  # the app's tests (root) reach the socket in it

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=timeout, cwd=self.folder
        )

    def start(self) -> Cluster:
        self._run(
            "initdb", "-D", str(self.data), "-U", SERVER_USER, "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-k {self.folder} -c listen_addresses='' -p {PORT} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "start", "-D", str(self.data), "-w", "-l", str(self.log), "-o", options)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SERVER_USER}@/{database}?host={self.folder}&port={PORT}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=PORT, user=SERVER_USER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # names made here, never typed by anyone

    def create_database(self, prefix: str = "store") -> str:
        """A new empty database; its URL."""
        name = f"{prefix}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.split("/")[-1].split("?")[0]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass  # already gone: the folder goes anyway
        shutil.rmtree(self.folder, ignore_errors=True)
