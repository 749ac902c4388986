"""Which heavy libraries a piece of Python loads, run in a fresh interpreter (sys.modules, not
timing): shared by the start-up tests of the study path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# what a study run whose tables, figures and pages are all reused has no use for
HEAVY = ("scipy.stats", "linearmodels", "formulaic", "statsmodels", "matplotlib", "docx", "openpyxl", "markdown")
PYTHON_DIR = Path(__file__).resolve().parents[1] / "python"


def heavy_modules_after(code: str) -> tuple[set[str], str]:
    """(the HEAVY modules loaded after running `code`, its stdout)."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    loaded = set(done.stderr.splitlines()[-1].split()) if done.stderr.strip() else set()
    return {name for name in HEAVY if name in loaded}, done.stdout
