"""`cipanel --help` and every subcommand's --help build the parser without the heavy libraries
(pandas, NumPy, DuckDB, dbt): each command imports what it uses when it runs. Checked in a fresh
interpreter through sys.modules, not by timing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "numpy", "duckdb", "dbt", "scipy", "linearmodels")
PYTHON_DIR = Path(__file__).resolve().parents[1] / "python"


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from cipanel.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "usage: cipanel" in done.stdout
    return set(done.stderr.split())


@pytest.mark.parametrize(
    "argv", [["--help"], ["build", "--help"], ["run", "--help"], ["compare-spark", "--help"], ["reg", "--help"]]
)
def test_help_imports_no_heavy_library(argv):
    loaded = _modules_after(argv)
    assert "cipanel" in loaded  # the probe itself works
    assert not loaded & set(HEAVY), f"`cipanel {' '.join(argv)}` imported {sorted(loaded & set(HEAVY))}"
