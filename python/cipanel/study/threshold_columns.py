"""A spec's `threshold` block -> the xthreg-compatible panel threshold model, and the rows papers
print under a threshold column (thresholds with 95% confidence sets, bootstrap F tests).

    kind: threshold
    columns:
      - threshold: {qx: dt, rx: [dt], thnum: 2, trim: [0.05, 0.05], grid: 300, bs: [300, 300]}

`rx` defaults to the column's treatment, the other regressors are the controls; `cov` and
`cluster` come from the column (clustered by unit by default, as xthreg's vce(cluster id))."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cipanel.estimators.result import FitResult
from cipanel.estimators.threshold import STAGES, ThresholdResult, fit_threshold
from cipanel.study.spec import SpecError
from cipanel.study.tables import Stat

if TYPE_CHECKING:
    from cipanel.study.spec import StudySpec

THRESHOLD_KEYS = {"qx", "rx", "thnum", "trim", "grid", "bs", "level", "seed"}


def fit_threshold_column(sample: pd.DataFrame, spec: StudySpec, model: dict[str, Any]) -> ThresholdResult:
    block = model["threshold"]
    unknown = sorted(set(block) - THRESHOLD_KEYS)
    if unknown:
        raise SpecError(f"threshold block: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(THRESHOLD_KEYS))}")
    if "qx" not in block:
        raise SpecError("threshold block: missing key 'qx' (the threshold variable)")
    rx = block.get("rx") or [model["treatment"]]
    controls = [c for c in model.get("controls", []) if c not in rx]
    try:
        return fit_threshold(
            sample,
            model["outcome"],
            controls,
            rx=rx,
            qx=block["qx"],
            entity=spec.panel["entity"],
            time=spec.panel["time"],
            thnum=block.get("thnum", 1),
            trim=block.get("trim"),
            grid=block.get("grid", 300),
            bs=block.get("bs"),
            level=block.get("level", 0.95),
            cov=model.get("cov", "clustered"),
            cluster=model.get("cluster"),
            seed=block.get("seed", 12345),
        )
    except (ValueError, TypeError) as exc:
        raise SpecError(f"threshold block: {exc}") from None


def threshold_fit_result(res: ThresholdResult) -> FitResult:
    """The regime regression with the threshold statistics as diagnostics (results.diagnostics)."""
    fit = res.regression
    diag = dict(fit.diagnostics)
    for name, row in res.thresholds.iterrows():
        key = name.lower().replace("-", "")
        diag[f"{key}"] = float(row["threshold"])
        diag[f"{key}_lower"] = float(row["lower"])
        diag[f"{key}_upper"] = float(row["upper"])
    for stage, row in res.tests.iterrows():
        for col, value in row.items():
            diag[f"{stage}_{col}"] = float(value)
    fit.diagnostics = diag
    fit.notes = [*fit.notes, *res.notes]
    return fit


def threshold_rows(res: ThresholdResult) -> dict[str, Stat]:
    rows = {}
    # the thresholds of the regression (Th-1, or the refined Th-21 with Th-22 and Th-3), ascending,
    # each with its own confidence set
    used = res.thresholds.loc[
        ["Th-1"] if len(res.estimates) == 1 else [n for n in ("Th-21", "Th-22", "Th-3") if n in res.thresholds.index]
    ]
    for i, (_, row) in enumerate(used.sort_values("threshold").iterrows(), start=1):
        rows[f"threshold_{i}"] = Stat(float(row["threshold"]), 4, interval=(float(row["lower"]), float(row["upper"])))
    for stage in STAGES:
        if stage in res.tests.index:
            row = res.tests.loc[stage]
            p = row.get("p_value")
            rows[f"f_{stage}"] = Stat(float(row["f_stat"]), 2, p=float(p) if pd.notna(p) else None)
    return rows
