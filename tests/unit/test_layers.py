"""The layers hold (`.importlinter`): insight never imports streamlit, pages stand above components
above insight, neither pages nor components reach measure or disclosure directly (nor pages the
dataset or intake's readers and checks), insight's modules follow the data flow (outputs and
sharing above numbers above intake above core), and only outputs draw charts. import-linter checks
the real import graph, lazy imports inside functions included; app.py, a lone module it cannot
read, is held to the pages' list here."""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

from tests.conftest import ROOT, venv_tool


def test_every_import_linter_contract_is_kept() -> None:
    config = str(ROOT / ".importlinter")
    out = venv_tool("lint-imports", "--config", config, "--no-cache", timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    found = re.search(r"Contracts: (\d+) kept, (\d+) broken", out.stdout)
    assert found, out.stdout[-3000:]
    kept, broken = int(found[1]), int(found[2])
    declared = (ROOT / ".importlinter").read_text().count("[importlinter:contract:")
    assert broken == 0 and kept == declared >= 4, out.stdout[-3000:]


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside `if` blocks and functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_app_py_is_held_to_the_pages_contract() -> None:
    """import-linter reads packages only, and app.py is a lone module: it is checked here against
    the pages' forbidden list, read from .importlinter itself."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    forbidden = config["importlinter:contract:pages-given-what-they-show"]["forbidden_modules"]
    banned = [name.strip() for name in forbidden.split() if name.strip()]
    imported = _imported_modules(ROOT / "app.py")
    assert "components.context" in imported and "insight.core.problems" in imported  # seen
    reached = sorted(m for m in imported for b in banned if m == b or m.startswith(f"{b}."))
    assert reached == [], f"app.py imports what no page may: {reached}"
