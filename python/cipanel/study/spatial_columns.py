"""A spec's `spatial` block -> the xsmle-compatible spatial panel model (SDM, SAR, SEM with FE),
and the rows papers print under it (rho, log-likelihood, tests against SAR/SEM, effects).

    kind: spatial
    columns:
      - spatial: {model: sdm, fe: entity, weights: {kind: queen}, normalize: row}

The weights come from `cipanel.analytics.weights.spatial_weights(kind, unit_codes, **options)`
(kinds queen, inverse_distance, economic, file; a file path is relative to the spec's folder): an
N x N array in the order of the sorted unit codes. Python users can call
`cipanel.estimators.spatial.fit_spatial` with any W array directly."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cipanel.estimators.spatial import SpatialResult, fit_spatial, row_standardise
from cipanel.study.spec import SpecError
from cipanel.study.tables import Stat

if TYPE_CHECKING:
    from cipanel.study.spec import StudySpec

SPATIAL_KEYS = {"model", "fe", "weights", "normalize", "durbin", "leeyu", "nsim", "seed"}


def weights_for(sample: pd.DataFrame, spec: StudySpec, block: dict[str, Any]) -> np.ndarray:
    options = dict(block.get("weights") or {})
    kind = options.pop("kind", None)
    if not kind:
        raise SpecError("spatial block: 'weights' needs a 'kind' (queen, inverse_distance, economic or file)")
    # looked up by name at call time (tests stand in their own weights module)
    weights_module = importlib.import_module("cipanel.analytics.weights")
    if kind == "file" and "path" in options and spec.path is not None:
        options["path"] = Path(spec.path).parent / options["path"]  # relative to the spec, not the cwd
    units = sorted(sample[spec.panel["entity"]].unique())
    try:
        w, codes = weights_module.spatial_weights(kind, units, **options)
    except (ValueError, KeyError, TypeError) as exc:  # WeightsError is a ValueError
        raise SpecError(f"spatial block: weights: {exc}") from None
    if list(codes) != list(units):
        raise SpecError("spatial block: the weights' unit order differs from the panel's sorted unit codes")
    return np.asarray(w, dtype=float)


def fit_spatial_column(
    sample: pd.DataFrame, spec: StudySpec, model: dict[str, Any], w: np.ndarray | None = None
) -> SpatialResult:
    block = model["spatial"]
    unknown = sorted(set(block) - SPATIAL_KEYS)
    if unknown:
        raise SpecError(f"spatial block: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(SPATIAL_KEYS))}")
    if w is None:
        w = weights_for(sample, spec, block)
    normalize = block.get("normalize", "row")  # as xsmle users do with spmat ..., normalize(row)
    if normalize not in ("row", "none"):
        raise SpecError(f"spatial block: normalize {normalize!r} is not allowed; use row or none")
    if normalize == "row":
        try:
            w = row_standardise(w)
        except ValueError as exc:
            raise SpecError(f"spatial block: weights: {exc}") from None
    try:
        return fit_spatial(
            sample,
            model["outcome"],
            [model["treatment"], *model.get("controls", [])],
            entity=spec.panel["entity"],
            time=spec.panel["time"],
            w=w,
            model=block.get("model", "sdm"),
            fe=block.get("fe", "entity"),
            durbin=block.get("durbin"),
            leeyu=block.get("leeyu", False),
            nsim=block.get("nsim", 500),
            seed=block.get("seed", 12345),
        )
    except (ValueError, TypeError) as exc:
        raise SpecError(f"spatial block: {exc}") from None


def spatial_rows(res: SpatialResult, treatment: str) -> dict[str, Stat]:
    rows = {"loglik": Stat(float(res.loglik), 3)}
    for kind in ("direct", "indirect", "total"):
        if (kind, treatment) in res.effects.index:
            e = res.effects.loc[(kind, treatment)]
            rows[f"effect_{kind}"] = Stat(float(e["estimate"]), 4, se=float(e["std_error"]))
    for name in ("wald_sdm_vs_sar", "wald_sdm_vs_sem", "lr_sdm_vs_sar", "lr_sdm_vs_sem"):
        if name in res.tests:
            rows[name] = Stat(float(res.tests[name]), 2, p=float(res.tests[name + "_p"]))
    return rows
