"""Reading and checking a spec, keying the study cache and loading cached results import none of
the estimation, drawing or writing libraries (SciPy's stats module, linearmodels, formulaic,
statsmodels, matplotlib, python-docx, openpyxl, markdown): a run whose every table is reused pays
only for what it uses. The whole reused run on the demo is checked in tests/test_study_cache.py."""

from __future__ import annotations

from study_imports import heavy_modules_after

from warehouse_build import DEMO


def test_the_spec_and_cache_path_imports_no_heavy_library():
    code = f"""
import pickle
from pathlib import Path
import cipanel.pipeline  # what `cipanel study` imports before it decides anything
from cipanel.study.spec import check_expressions, load_spec
from cipanel.study_cache import key_of, run_key, table_runner, StudyCache
from cipanel.output.report import write_report, write_combined_report
from cipanel.output.study_outputs import write_study_outputs
from cipanel.inference.placebo import PlaceboResult
from cipanel.estimators.threshold import ThresholdResult
import cipanel.inference, cipanel.output
for name in ("study_a", "study_b"):
    spec = load_spec(Path({str(DEMO)!r}) / "studies" / f"{{name}}.yml", "zh")
    check_expressions(spec)
    key_of("table", spec.study, spec.tables[0], spec.panel, spec.labels)
import numpy as np
blob = pickle.dumps(PlaceboResult(0.1, 2.0, 0.01, 0.02, 9, 1, "unit", np.zeros(9), np.zeros(9)))
pickle.loads(blob)  # a cached table's placebo result
"""
    heavy, _ = heavy_modules_after(code)
    assert heavy == set(), f"imported {sorted(heavy)}"


def test_the_probe_sees_a_heavy_import():
    heavy, _ = heavy_modules_after("from cipanel.inference import wild_cluster_bootstrap")
    assert "scipy.stats" not in heavy  # scipy.special only (quantiles), see wild_bootstrap
    heavy, _ = heavy_modules_after("import cipanel.output.figures")
    assert "matplotlib" in heavy
