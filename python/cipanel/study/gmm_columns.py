"""A spec's `gmm` block -> the xtabond2-compatible estimator, and the rows papers print under a
GMM column (AR(1), AR(2), Hansen J with p-values, instrument count)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cipanel.api import SpecCall
from cipanel.estimators.gmm import GmmStyle, IvStyle, _parse_name
from cipanel.estimators.result import FitResult
from cipanel.formula import FormulaError, gmm_terms
from cipanel.study.spec import SpecError
from cipanel.study.tables import Stat

if TYPE_CHECKING:
    from cipanel.study.spec import StudySpec

GMM_KEYS = {"regressors", "gmmstyle", "ivstyle", "system", "two_step", "robust", "small"}
STYLE_KEYS = {"variables", "lag_min", "lag_max", "collapse", "equation"}


def gmm_regressors(model: dict[str, Any]) -> tuple[str, list[str]]:
    """The outcome and xtabond2 regressors of a gmm column: its `formula` (`y ~ L.y + x + yr*`),
    else `gmm.regressors` (a varlist string or a list) beside `outcome`; the study's
    treatment / controls only when the column names neither (they mean nothing to GMM)."""
    block = model.get("gmm") or {}
    try:
        if model.get("formula"):
            return gmm_terms(model["formula"])
        regressors = block.get("regressors")
        if isinstance(regressors, str):
            regressors = regressors.split()
        if not regressors:
            regressors = [model["treatment"], *model.get("controls", [])]
        return model["outcome"], [str(r) for r in regressors]
    except FormulaError as exc:
        raise SpecError(f"gmm column: {exc}") from None


def gmm_variables(model: dict[str, Any]) -> list[str]:
    """Data columns a gmm column reads (lags by their variable; yr* dummies are generated)."""
    y, xs = gmm_regressors(model)
    names = [y, *(_parse_name(x)[0] for x in xs if "*" not in x)]
    return list(dict.fromkeys(names))


def gmm_call(spec: StudySpec, model: dict[str, Any]) -> SpecCall:
    """The cp.gmm call of a spec's gmm column (what a user would type in Python)."""
    block = model["gmm"]
    unknown = sorted(set(block) - GMM_KEYS)
    if unknown:
        raise SpecError(f"gmm block: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(GMM_KEYS))}")
    y, xs = gmm_regressors(model)
    try:
        gmm = [GmmStyle(**_style(s, "gmmstyle")) for s in block.get("gmmstyle", [])]
        iv = [
            IvStyle(**{k: v for k, v in _style(s, "ivstyle").items() if k in ("variables", "equation")})
            for s in block.get("ivstyle", [])
        ]
    except TypeError as exc:
        raise SpecError(f"gmm block: {exc}") from None
    options = {
        "panel": (spec.panel["entity"], spec.panel["time"]),
        "gmm": gmm,
        "iv": iv,
        "system": block.get("system", True),
        "two_step": block.get("two_step", True),
        "robust": block.get("robust", True),
        "small": block.get("small", False),
    }
    return SpecCall("gmm", f"{y} ~ {' + '.join(xs)}", None, options)


def fit_gmm_column(sample: pd.DataFrame, spec: StudySpec, model: dict[str, Any]) -> FitResult:
    call = gmm_call(spec, model)
    try:
        return call.fit(sample).result  # cp.gmm adds the yr<year> dummies a yr* glob names
    except (ValueError, TypeError) as exc:
        raise SpecError(f"gmm block: {exc}") from None


def _style(style: dict, name: str) -> dict:
    unknown = sorted(set(style) - STYLE_KEYS)
    if unknown:
        raise SpecError(f"gmm.{name}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(STYLE_KEYS))}")
    return style


def gmm_rows(result: FitResult) -> dict[str, Stat]:
    d = result.diagnostics
    return {
        "ar1": Stat(d["ar1_z"], 3, p=d["ar1_p"]),
        "ar2": Stat(d["ar2_z"], 3, p=d["ar2_p"]),
        "hansen": Stat(d["hansen_j"], 3, p=d["hansen_p"]),
        "n_instruments": Stat(d["n_instruments"], 0),
    }
