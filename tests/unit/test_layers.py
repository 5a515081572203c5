"""The layers hold (`.importlinter`): insight never imports streamlit, components stand above
insight and never reach measure or disclosure directly, and insight's modules follow the data flow
(outputs and sharing above numbers above intake above core). import-linter checks the real import
graph, lazy imports inside functions included."""

from __future__ import annotations

import re

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
