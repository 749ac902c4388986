"""Columns of the `threshold` and `spatial` table kinds: fit, the FitResult the tables and the
results store read and the extra rows (kept out of runner.py; their labels are the output
layer's, cipanel.output.labels.ROW_LABELS)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cipanel.study.tables import ModelColumn

if TYPE_CHECKING:
    import pandas as pd

    from cipanel.study.spec import StudySpec


def model_column(
    kind: str, sample: pd.DataFrame, spec: StudySpec, model: dict[str, Any], name: str, title: str, group: str
) -> ModelColumn:
    effects = "entity"
    if kind == "threshold":
        from cipanel.study.threshold_columns import (
            fit_threshold_column,
            threshold_fit_result,
            threshold_rows,
        )

        fitted = fit_threshold_column(sample, spec, model)
        result, extra = threshold_fit_result(fitted), threshold_rows(fitted)
    else:
        from cipanel.study.spatial_columns import fit_spatial_column, spatial_rows

        fitted = fit_spatial_column(sample, spec, model)
        result, extra = fitted.to_fit_result(), spatial_rows(fitted, model["treatment"])
        effects = fitted.fe
    column = ModelColumn(
        name=name,
        title=title,
        result=result,
        controls=bool(model.get("controls")),
        unit_fe=effects in ("entity", "twoway"),
        year_fe=effects in ("time", "twoway"),
        extra_rows=extra,
        group=group,
    )
    return column, fitted


def default_keep(kind: str, columns: list[ModelColumn], treatment_terms: list[str]) -> list[str]:
    """Regime coefficients (threshold) or the treatment, its W-lag and rho/lambda (spatial)."""
    seen: list[str] = []
    for column in columns:
        for term in column.result.params.index:
            wanted = (
                ("._cat#c." in term)
                if kind == "threshold"
                else (
                    term in treatment_terms or term.removeprefix("W*") in treatment_terms or term in ("rho", "lambda")
                )
            )
            if wanted and term not in seen:
                seen.append(term)
    return [*seen, "_cons"] if kind == "threshold" else seen
