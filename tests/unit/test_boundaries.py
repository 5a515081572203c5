"""`insight/` is the pure core: it must never import streamlit (DESIGN.md)."""

import ast
from pathlib import Path

import pytest

INSIGHT = Path(__file__).resolve().parents[2] / "insight"


@pytest.mark.parametrize("path", sorted(INSIGHT.rglob("*.py")), ids=lambda p: p.name)
def test_insight_module_never_imports_streamlit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"streamlit", "streamlit_folium"}, f"{path.name} imports {imported}"


def test_importing_insight_does_not_load_streamlit() -> None:
    import subprocess
    import sys

    code = (
        "import sys, insight.model, insight.contract, insight.geo, insight.tables; "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
