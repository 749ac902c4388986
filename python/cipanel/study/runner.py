"""Run a study spec on a unit-year panel: build each column's sample, fit its model, and collect
format-independent tables (cipanel.study.tables)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import duckdb
import numpy as np
import pandas as pd

from cipanel.estimators.iv import fit_iv
from cipanel.estimators.panel import fit_panel
from cipanel.estimators.result import FitResult
from cipanel.estimators.winsor import winsorize
from cipanel.formula import FormulaError, parse, spec_columns, spec_keep_terms, spec_uses_formula
from cipanel.output.regression_tables import stars  # one star rule for every printed number
from cipanel.study.spec import ColumnSpec, SpecError, StudySpec, TableSpec
from cipanel.study.tables import DescriptiveTable, ModelColumn, RegressionTable, StudyTable


@dataclass
class StudyRun:
    spec: StudySpec
    lang: str
    tables: list[StudyTable] = field(default_factory=list)
    placebos: dict[str, Any] = field(default_factory=dict)  # table_id -> PlaceboResult


def _filter(frame: pd.DataFrame, where: str | None, context: str) -> pd.DataFrame:
    """Filters are SQL boolean expressions, evaluated by DuckDB on the panel frame."""
    if not where:
        return frame
    con = duckdb.connect()
    try:
        con.register("panel", frame)
        keep = con.execute(f"select ({where}) as keep from panel").df()["keep"]
    except duckdb.Error as exc:
        raise SpecError(f"{context}: where {where!r} is not a valid SQL condition on the panel: {exc}") from None
    finally:
        con.close()
    return frame[keep.fillna(False).to_numpy(dtype=bool)]


def _require(frame: pd.DataFrame, names: list[str], context: str) -> None:
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise SpecError(
            f"{context}: variable {missing[0]!r} is not a column of the panel "
            f"(available: {', '.join(sorted(c for c in frame.columns)[:60])} ...)"
        )


def base_sample(panel: pd.DataFrame, spec: StudySpec) -> pd.DataFrame:
    first, last = spec.panel.get("years") or (panel[spec.panel["time"]].min(), panel[spec.panel["time"]].max())
    time = spec.panel["time"]
    frame = panel[(panel[time] >= first) & (panel[time] <= last)]
    return _filter(frame, spec.panel.get("where"), "panel")


def _with_lead(panel: pd.DataFrame, spec: StudySpec, variable: str, lead: int) -> tuple[pd.DataFrame, str]:
    """y at t+lead of the same unit (matched on the year, so gaps give missing, not a wrong year)."""
    entity, time = spec.panel["entity"], spec.panel["time"]
    name = f"F{lead}_{variable}"
    ahead = panel[[entity, time, variable]].copy()
    ahead[time] = ahead[time] - lead
    return panel.merge(ahead.rename(columns={variable: name}), on=[entity, time], how="left"), name


def _split_units(sample: pd.DataFrame, spec: StudySpec, split: dict[str, Any]) -> pd.Series:
    """Median split of units by their mean of `variable` over the study sample: a unit stays in
    one group for all its years; units at or below the median are 'low'."""
    entity = spec.panel["entity"]
    means = sample.groupby(entity)[split["variable"]].mean()
    median = means.median()
    high = means[means > median].index
    return sample[entity].isin(high) if split["side"] == "high" else ~sample[entity].isin(high)


def column_sample(panel: pd.DataFrame, spec: StudySpec, table: TableSpec, column: ColumnSpec) -> tuple[pd.DataFrame, dict]:
    model = dict(column.model)
    if model.get("formula"):  # Unit FE / Year FE rows from the formula's absorbed effects
        from cipanel.api import spec_effects

        try:
            model["effects"] = spec_effects(model, spec.panel["entity"], spec.panel["time"])
            model["_year_effects"] = spec.panel["time"] in parse(model["formula"]).fe_names
        except FormulaError as exc:
            raise SpecError(f"table {table.id}: {exc}") from None
    frame = panel
    if model.get("lead"):
        frame, model["outcome"] = _with_lead(frame, spec, model["outcome"], model["lead"])
    base = base_sample(frame, spec)
    sample = _filter(base, model.get("where"), f"table {table.id}, column {column.title or column.model}")
    if model.get("split"):
        _require(base, [model["split"]["variable"]], f"table {table.id} split")
        sample = sample[_split_units(base, spec, model["split"]).reindex(sample.index).to_numpy(dtype=bool)]
    variables = [model["outcome"], model["treatment"], *model.get("controls", []), *model.get("instruments", [])] if (
        not spec_uses_formula(model)) else _formula_columns(model, table)
    _require(sample, variables, f"table {table.id}")
    if model.get("winsorize"):
        chosen = variables if model["winsorize"] is True else model["winsorize"]
        sample = sample.copy()
        for name in chosen:
            sample[name] = winsorize(sample[name], 1, 99)
    return sample, model


def _formula_columns(model: dict, table: TableSpec) -> list[str]:
    try:
        return spec_columns(model)
    except FormulaError as exc:
        raise SpecError(f"table {table.id}: {exc}") from None


def _fit(sample: pd.DataFrame, spec: StudySpec, model: dict, stage: str = "ols") -> FitResult:
    if spec_uses_formula(model):  # a `formula` key or expressions: the formula path (cipanel.api)
        from cipanel.api import spec_fit

        try:
            return spec_fit(sample, model, spec.panel["entity"], spec.panel["time"], stage).result
        except FormulaError as exc:
            raise SpecError(str(exc)) from None
    return fit_panel(
        sample, model["outcome"], [model["treatment"], *model.get("controls", [])],
        entity=spec.panel["entity"], time=spec.panel["time"], effects=model.get("effects", "twoway"),
        cov=model.get("cov", "clustered"), cluster=model.get("cluster"), trends=bool(model.get("trends")),
        bandwidth=model.get("bandwidth"),
    )


def _column(name: str, title: str, group: str, result: FitResult, model: dict, extra: dict | None = None) -> ModelColumn:
    effects = model.get("effects", "twoway")
    return ModelColumn(
        name=name, title=title, result=result, controls=bool(model.get("controls")),
        unit_fe=effects in ("entity", "twoway") and model.get("estimator") != "fd",  # D. removes them
        year_fe=effects == "twoway" or bool(model.get("_year_effects")),
        extra_rows=extra or {}, group=group,
    )


def _iv_columns(sample: pd.DataFrame, spec: StudySpec, model: dict, lang: str) -> list[ModelColumn]:
    """The first stage (treatment on instruments and controls, same FE) and the 2SLS second stage."""
    first_model = {**model, "outcome": model["treatment"]}
    controls = model.get("controls", [])
    if spec_uses_formula(model):
        first, second = _fit(sample, spec, model, "iv_first"), _fit(sample, spec, model, "iv_second")
        return _iv_pair(first, second, first_model, model, lang)
    first = fit_panel(
        sample, model["treatment"], [*model["instruments"], *controls], entity=spec.panel["entity"],
        time=spec.panel["time"], effects=model.get("effects", "twoway"), cov=model.get("cov", "clustered"),
        cluster=model.get("cluster"),
    )
    second = fit_iv(
        sample, model["outcome"], controls, [model["treatment"]], model["instruments"],
        entity=spec.panel["entity"], time=spec.panel["time"], effects=model.get("effects", "twoway"),
        cov=model.get("cov", "clustered"), cluster=model.get("cluster"),
    )
    return _iv_pair(first, second, first_model, model, lang)


def _iv_pair(first: FitResult, second: FitResult, first_model: dict, model: dict, lang: str) -> list[ModelColumn]:
    d = second.diagnostics
    first_extra = {
        "kp_rk_lm": f"{d['kp_rk_lm']:.2f}{stars(d['kp_rk_lm_p'])}",
        "cd_wald_f": f"{d['cd_wald_f']:.3f}",
        "kp_rk_wald_f": f"{d['kp_rk_wald_f']:.3f}",
    }
    second_extra = {"endog_test_p": f"{d['endog_test_p']:.4f}"}
    first_title = "第一阶段" if lang == "zh" else "First stage"
    second_title = "第二阶段" if lang == "zh" else "Second stage"
    return [
        _column("(1)", first_title, "", first, first_model, first_extra),
        _column("(2)", second_title, "", second, model, second_extra),
    ]


def run_table(panel: pd.DataFrame, spec: StudySpec, table: TableSpec, lang: str, run: StudyRun | None = None) -> StudyTable:
    if table.kind == "descriptive":
        sample = base_sample(panel, spec)
        _require(sample, table.variables, f"table {table.id}")
        data = sample[table.variables]
        stats = pd.DataFrame({
            "N": data.count(), "mean": data.mean(), "sd": data.std(ddof=1), "min": data.min(),
            "max": data.max(), "median": data.median(),
        })
        stats.index = [spec.label(v, lang) for v in table.variables]
        return DescriptiveTable(table.id, table.title, stats, table.notes)
    columns: list[ModelColumn] = []
    used: list[tuple[pd.DataFrame, dict, str]] = []  # (sample, model, role) of each column
    for column in table.columns:
        sample, model = column_sample(panel, spec, table, column)
        if table.kind == "iv":
            columns.extend(_iv_columns(sample, spec, model, lang))
            used += [(sample, model, "iv_first"), (sample, model, "iv_second")]
            continue
        if table.kind == "gmm":
            from cipanel.study.gmm_columns import fit_gmm_column, gmm_rows

            result = fit_gmm_column(sample, spec, model)
            title = column.title or spec.label(model["outcome"], lang)
            gmm_model = {**model, "effects": "none"}  # GMM differences the unit effects out; no FE rows
            columns.append(_column(f"({len(columns) + 1})", title, column.group, result, gmm_model, gmm_rows(result)))
            used.append((sample, model, "gmm"))
            continue
        result = _fit(sample, spec, model)
        title = column.title or spec.label(model["outcome"], lang)
        columns.append(_column(f"({len(columns) + 1})", title, column.group, result, model))
        used.append((sample, model, "ols"))
    _add_inference(table, columns, used, spec, run)
    keep = table.keep or _default_keep(table)
    labels = {name: spec.label(name, lang) for name in {*spec.labels, *keep}}
    return RegressionTable(table.id, table.title, columns, keep, labels, table.stat, table.notes)


def _add_inference(table: TableSpec, columns: list[ModelColumn], used: list, spec: StudySpec,
                   run: StudyRun | None) -> None:
    from cipanel.study import inference_rows

    options = table.inference
    if options and any(spec_uses_formula(u[1]) for u in used):  # they rebuild the model from keys
        raise SpecError(f"table {table.id}: wild_bootstrap / group_tests / placebo do not take "
                        "formula or expression columns yet; use the model's fitted methods "
                        "(cp.feols(...).wild_bootstrap) or plain column names")
    if "wild_bootstrap" in options:
        for column, (sample, model, role) in zip(columns, used):
            inference_rows.bootstrap_column(column, sample, model, spec.panel, options["wild_bootstrap"] or {}, role)
    for i, test in enumerate(options.get("group_tests") or []):
        inference_rows.group_test(columns, [u[0] for u in used], [u[1] for u in used], spec.panel, test,
                                  f"table {table.id}.group_tests[{i}]")
    if "placebo" in options:
        block = options["placebo"] or {}
        names = [c.name for c in columns]
        target = block.get("column", names[-1])
        if target not in names:
            raise SpecError(f"table {table.id}.placebo.column: {target!r} is not one of {names}")
        i = names.index(target)
        result = inference_rows.placebo(columns[i], used[i][0], used[i][1], spec.panel, block)
        if run is not None:
            run.placebos[table.id] = result


def _default_keep(table: TableSpec) -> list[str]:
    seen: list[str] = []
    for column in table.columns:
        for name in _keep_terms(column.model):
            if name not in seen:
                seen.append(name)
    return [*seen, "_cons"]


def run_study(
    spec: StudySpec, panel: pd.DataFrame, lang: str = "zh", progress: Callable[[str], None] | None = None
) -> StudyRun:
    run = StudyRun(spec=spec, lang=lang)
    for table in spec.tables:
        if progress:
            progress(f"{spec.study}: table {table.id} ({table.kind}, {len(table.columns) or 1} column(s))")
        run.tables.append(run_table(panel, spec, table, lang, run))
    return run


def _keep_terms(model: dict) -> list[str]:
    if spec_uses_formula(model):
        return spec_keep_terms(model)
    return [model["treatment"], *model.get("instruments", [])]
