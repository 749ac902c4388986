"""A spec's `gmm` block -> the xtabond2-compatible estimator, and the rows papers print under a
GMM column (AR(1), AR(2), Hansen J with p-values, instrument count)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cipanel.estimators.gmm import GmmStyle, IvStyle, fit_gmm, year_dummies
from cipanel.estimators.result import FitResult
from cipanel.study.spec import SpecError

if TYPE_CHECKING:
    from cipanel.study.spec import StudySpec

GMM_KEYS = {"regressors", "gmmstyle", "ivstyle", "system", "two_step", "robust", "small"}
STYLE_KEYS = {"variables", "lag_min", "lag_max", "collapse", "equation"}


def fit_gmm_column(sample: pd.DataFrame, spec: StudySpec, model: dict[str, Any]) -> FitResult:
    block = model["gmm"]
    unknown = sorted(set(block) - GMM_KEYS)
    if unknown:
        raise SpecError(f"gmm block: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(GMM_KEYS))}")
    time = spec.panel["time"]
    frame = year_dummies(sample.reset_index(drop=True), time)  # yr<year> columns for ivstyle(yr*)
    try:
        gmm = [GmmStyle(**_style(s, "gmmstyle")) for s in block.get("gmmstyle", [])]
        iv = [
            IvStyle(**{k: v for k, v in _style(s, "ivstyle").items() if k in ("variables", "equation")})
            for s in block.get("ivstyle", [])
        ]
        return fit_gmm(
            frame,
            model["outcome"],
            block.get("regressors") or [model["treatment"], *model.get("controls", [])],
            entity=spec.panel["entity"],
            time=time,
            gmm=gmm,
            iv=iv,
            system=block.get("system", True),
            two_step=block.get("two_step", True),
            robust=block.get("robust", True),
            small=block.get("small", False),
        )
    except (ValueError, TypeError) as exc:
        raise SpecError(f"gmm block: {exc}") from None


def _style(style: dict, name: str) -> dict:
    unknown = sorted(set(style) - STYLE_KEYS)
    if unknown:
        raise SpecError(f"gmm.{name}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(STYLE_KEYS))}")
    return style


def gmm_rows(result: FitResult) -> dict[str, str]:
    d = result.diagnostics
    return {
        "ar1": f"{d['ar1_z']:.3f} [{d['ar1_p']:.3f}]",
        "ar2": f"{d['ar2_z']:.3f} [{d['ar2_p']:.3f}]",
        "hansen": f"{d['hansen_j']:.3f} [{d['hansen_p']:.3f}]",
        "n_instruments": f"{int(d['n_instruments'])}",
    }
