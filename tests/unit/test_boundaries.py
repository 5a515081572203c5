"""`insight/` is the pure core: it must never import streamlit (DESIGN.md). The static check is
import-linter's (`.importlinter`, run by tests/unit/test_layers.py); this one holds it at run time:
importing the core loads no streamlit, directly or through a dependency."""


def test_importing_insight_does_not_load_streamlit() -> None:
    import subprocess
    import sys

    code = (
        "import sys, insight.core.dataset, insight.core.contract, insight.core.geo, insight.numbers.tables; "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
