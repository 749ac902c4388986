"""Run a study spec on a unit-year panel: build each column's sample, fit its model, and collect
format-independent tables (cipanel.study.tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cipanel.api import Model, SpecCall, spec_call
from cipanel.estimators.result import FitResult
from cipanel.estimators.winsor import winsorize
from cipanel.formula import FormulaError, parse, spec_keep_terms, spec_uses_formula
from cipanel.study import checks, samples
from cipanel.study import notes as notes_mod
from cipanel.study.expressions import evaluate_condition
from cipanel.study.samples import UnitSample
from cipanel.study.spec import ColumnSpec, SpecError, StudyError, StudySpec, TableSpec, check_expressions
from cipanel.study.tables import DescriptiveTable, ModelColumn, Note, RegressionTable, Stat, StudyTable


@dataclass
class StudyRun:
    spec: StudySpec
    lang: str
    tables: list[StudyTable] = field(default_factory=list)
    placebos: dict[str, Any] = field(default_factory=dict)  # table_id -> PlaceboResult
    # (table_id, warning Note): also in the table notes; worded and printed by the pipeline
    warnings: list[tuple[str, Note]] = field(default_factory=list)
    regression_sample: UnitSample | None = None  # the units the regressions use (results.runs)
    index_sample: dict | None = None  # the units the indices were computed on (results.runs)
    sample_notes: tuple[Note, ...] = ()  # both samples, stated under every table when the spec sets rules
    threshold_fits: dict[str, Any] = field(default_factory=dict)  # "table_id (n)" -> ThresholdResult (LR figure)


def _filter(frame: pd.DataFrame, where: str | None, key: str) -> pd.DataFrame:
    """Keep the rows where the spec's condition holds: parsed and checked by
    cipanel.study.expressions, evaluated in a sandbox, matched back by row key."""
    if not where:
        return frame
    return frame[evaluate_condition(frame, where, key)]


def _require(frame: pd.DataFrame, names: list[str], context: str) -> None:
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise SpecError(
            f"{context}: variable {missing[0]!r} is not a column of the panel "
            f"(available: {', '.join(sorted(c for c in frame.columns)[:60])} ...)"
        )


def _years(panel: pd.DataFrame, spec: StudySpec) -> tuple[int, int]:
    time = spec.panel["time"]
    if time not in panel.columns or spec.panel["entity"] not in panel.columns:
        missing = time if time not in panel.columns else spec.panel["entity"]
        raise SpecError(f"{spec.key('panel')}: {missing!r} is not a column of {spec.panel['relation']}")
    have = pd.to_numeric(panel[time], errors="coerce").dropna()
    if have.empty:
        raise StudyError(f"{spec.key('panel.relation')}: {spec.panel['relation']} has no rows with a {time}")
    low, high = int(have.min()), int(have.max())
    first, last = spec.panel.get("years") or (low, high)
    if first < low or last > high:
        raise StudyError(
            f"{spec.key('panel.years')}: [{first}, {last}] is outside the data, which cover "
            f"{low}-{high} in {spec.panel['relation']}; choose years within them"
        )
    return first, last


def base_sample(panel: pd.DataFrame, spec: StudySpec) -> pd.DataFrame:
    first, last = _years(panel, spec)
    time = spec.panel["time"]
    frame = panel[(panel[time] >= first) & (panel[time] <= last)]
    return _filter(frame, spec.panel.get("where"), spec.key("panel.where"))


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


def column_sample(
    panel: pd.DataFrame, spec: StudySpec, table: TableSpec, column: ColumnSpec
) -> tuple[pd.DataFrame, dict]:
    model = dict(column.model)
    if model.get("formula") and table.kind != "gmm":  # Unit FE / Year FE rows from its absorbed effects
        from cipanel.api import spec_effects

        try:
            model["effects"] = spec_effects(model, spec.panel["entity"], spec.panel["time"])
            model["_year_effects"] = spec.panel["time"] in parse(model["formula"]).fe_names
        except FormulaError as exc:
            raise SpecError(f"table {table.id}: {exc}") from None
    frame = panel
    if model.get("lead"):
        _require(frame, [model["outcome"]], _context(spec, table, column))
        frame, model["outcome"] = _with_lead(frame, spec, model["outcome"], model["lead"])
    base = base_sample(frame, spec)
    where_key = spec.key(column.origins.get("where", f"tables[{table.id}].where"))
    sample = _filter(base, model.get("where"), where_key)
    if model.get("split"):
        _require(base, [model["split"]["variable"]], f"table {table.id} split")
        if not pd.api.types.is_numeric_dtype(base[model["split"]["variable"]]):
            raise SpecError(
                f"{spec.key(column.origins.get('split', 'split'))}.variable: "
                f"{model['split']['variable']!r} is not numeric; a median split needs numbers"
            )
        sample = sample[_split_units(base, spec, model["split"]).reindex(sample.index).to_numpy(dtype=bool)]
    variables = _model_variables(model, table)
    _require(sample, variables, f"table {table.id}")
    if model.get("winsorize"):
        chosen = variables if model["winsorize"] is True else model["winsorize"]
        _require(sample, list(chosen), f"table {table.id} winsorize")
        sample = sample.copy()
        for name in chosen:
            sample[name] = winsorize(sample[name], 1, 99)
    return sample, model


def _context(spec: StudySpec, table: TableSpec, column: ColumnSpec, number: int | None = None) -> str:
    """`file: tables[i].columns[j] (table t4, column (2) "Without municipalities")` for messages."""
    i = next((k for k, t in enumerate(spec.tables) if t is table), None)
    j = next((k for k, c in enumerate(table.columns) if c is column), None)
    key = (f"tables[{i}]" if i is not None else f"table {table.id}") + (f".columns[{j}]" if j is not None else "")
    shown = f"table {table.id}" + (f", column ({number})" if number is not None else "")
    if column.title:
        shown += f" {column.title!r}"
    return f"{spec.path}: {key} ({shown})"


def _model_variables(model: dict, table: TableSpec) -> list[str]:
    try:
        return checks.model_variables(model)
    except FormulaError as exc:
        raise SpecError(f"table {table.id}: {exc}") from None


def column_calls(table: TableSpec, spec: StudySpec, model: dict) -> list[tuple[str, SpecCall]]:
    """The cp.* call(s) that say one regression column, with the role of each model column they
    make: (ols), (iv_first, iv_second) or (gmm). The runner fits every column through these, so a
    spec column and the same call in Python give identical numbers."""
    entity, time = spec.panel["entity"], spec.panel["time"]
    try:
        if table.kind == "gmm":
            from cipanel.study.gmm_columns import gmm_call

            return [("gmm", gmm_call(spec, model))]
        if table.kind == "iv":
            return [(stage, spec_call(model, entity, time, stage)) for stage in ("iv_first", "iv_second")]
        return [("ols", spec_call(model, entity, time))]
    except FormulaError as exc:
        raise SpecError(f"{spec.path}: table {table.id}: {exc}") from None


def _fit(sample: pd.DataFrame, call: SpecCall) -> Model:
    try:
        return call.fit(sample)
    except FormulaError as exc:
        raise SpecError(str(exc)) from None


def _column(
    name: str, title: str, group: str, result: FitResult, model: dict, extra: dict | None = None, role: str = ""
) -> ModelColumn:
    effects = model.get("effects", "twoway")
    return ModelColumn(
        name=name,
        title=title,
        result=result,
        controls=bool(model.get("controls")),
        unit_fe=effects in ("entity", "twoway") and model.get("estimator") != "fd",  # D. removes them
        year_fe=effects == "twoway" or bool(model.get("_year_effects")),
        extra_rows=extra or {},
        group=group,
        role=role,
    )


def _iv_pair(
    first: FitResult, second: FitResult, first_model: dict, model: dict, first_number: int
) -> list[ModelColumn]:
    d = second.diagnostics
    first_extra = {
        # "—" where a statistic is not computed (KP and CD with multi-way clustering)
        "kp_rk_lm": Stat(d.get("kp_rk_lm"), 2, stars_p=d.get("kp_rk_lm_p")),
        "cd_wald_f": Stat(d.get("cd_wald_f"), 3),
        "kp_rk_wald_f": Stat(d.get("kp_rk_wald_f"), 3),
    }
    second_extra = {"endog_test_p": Stat(d.get("endog_test_p"), 4)}
    return [  # no title: the output layer heads them "First stage" / "Second stage" from the role
        _column(f"({first_number})", "", "", first, first_model, first_extra, role="iv_first"),
        _column(f"({first_number + 1})", "", "", second, model, second_extra, role="iv_second"),
    ]


def _fit_column(
    table: TableSpec,
    spec: StudySpec,
    column: ColumnSpec,
    sample: pd.DataFrame,
    model: dict,
    number: int,
    lang: str,
    threshold_fits: dict[str, Any] | None = None,
) -> list[tuple[ModelColumn, Model | None]]:
    """Fit one spec column (two model columns for IV), each with the fitted cp.* Model its
    inference options use (None for threshold / spatial); estimator errors become StudyErrors."""
    try:
        if table.kind in ("threshold", "spatial"):
            from cipanel.study.model_columns import model_column

            col, fitted = model_column(
                table.kind,
                sample,
                spec,
                model,
                f"({number})",
                column.title or spec.label(model["outcome"], lang),
                column.group,
            )
            col.role = table.kind
            if threshold_fits is not None and table.kind == "threshold":
                threshold_fits[f"{table.id} {col.name}"] = fitted
            return [(col, None)]
        calls = column_calls(table, spec, model)
        if table.kind == "iv":
            models = [_fit(sample, call) for _, call in calls]
            pair = _iv_pair(models[0].result, models[1].result, {**model, "outcome": None}, model, number)
            return list(zip(pair, models))
        fitted = _fit(sample, calls[0][1])
        if table.kind == "gmm":
            from cipanel.study.gmm_columns import gmm_rows

            result = fitted.result
            title = column.title or spec.label(result.dependent, lang)
            keep = table.keep or [t for t in result.params.index]
            gmm_model = {  # GMM differences the unit effects out (no FE rows); Controls: regressors not shown
                "effects": "none",
                "controls": [t for t in result.params.index if t not in keep and t != "_cons" and not _yr(t)],
            }
            made = _column(f"({number})", title, column.group, result, gmm_model, gmm_rows(result), role="gmm")
            return [(made, fitted)]
        title = column.title or spec.label(model["outcome"], lang)
        return [(_column(f"({number})", title, column.group, fitted.result, model, role="ols"), fitted)]
    except SpecError:
        raise
    except (ValueError, TypeError, KeyError, np.linalg.LinAlgError) as exc:
        raise StudyError(
            f"{_context(spec, table, column, number)}: the model cannot be estimated on this "
            f"sample ({len(sample)} rows): {exc}"
        ) from None


def _yr(term: str) -> bool:
    """A year dummy of a GMM column (yr2016...), shown as Year FE, not as a control."""
    return term.startswith("yr") and term[2:].isdigit()


@dataclass
class TableResult:
    """Everything one table of a spec produces (what run_one_table returns, and a cache keeps)."""

    table: StudyTable
    placebo: Any = None  # PlaceboResult of the table's placebo option
    threshold_fits: dict[str, Any] = field(default_factory=dict)  # "table_id (n)" -> ThresholdResult
    warnings: list[tuple[str, Note]] = field(default_factory=list)  # (table_id, warning Note)


def run_table(
    panel: pd.DataFrame,
    spec: StudySpec,
    table: TableSpec,
    lang: str,
    run: StudyRun | None = None,
    imputed: pd.DataFrame | None = None,
) -> StudyTable:
    """One table, its placebo / threshold fits / warnings merged into `run` when given."""
    notes = run.sample_notes if run is not None else ()
    result = run_one_table(panel, spec, table, lang, imputed=imputed, sample_notes=notes)
    if run is not None:
        run.warnings += result.warnings
        run.threshold_fits.update(result.threshold_fits)
        if result.placebo is not None:
            run.placebos[table.id] = result.placebo
    return result.table


def run_one_table(
    panel: pd.DataFrame,
    spec: StudySpec,
    table: TableSpec,
    lang: str,
    *,
    imputed: pd.DataFrame | None = None,
    sample_notes: tuple[Note, ...] = (),
) -> TableResult:
    """Run one table of a resolved spec on the study's panel (after its unit rules): a pure
    function of its arguments, nothing else is read or written. sample_notes: the regression and
    index sample facts (none when the spec sets no unit rules)."""
    if table.kind == "descriptive":
        sample = base_sample(panel, spec)
        _require(sample, table.variables, f"table {table.id}")
        text = [v for v in table.variables if not pd.api.types.is_numeric_dtype(sample[v])]
        if text:
            raise SpecError(
                f"{spec.key('tables')} (table {table.id}): variable {text[0]!r} is not numeric "
                f"({sample[text[0]].dtype}); a descriptive table summarises numeric columns"
            )
        data = sample[table.variables]
        stats = pd.DataFrame(
            {
                "N": data.count(),
                "mean": data.mean(),
                "sd": data.std(ddof=1),
                "min": data.min(),
                "max": data.max(),
                "median": data.median(),
            }
        )
        stats.index = [spec.label(v, lang) for v in table.variables]
        notes: list[str | Note] = [*table.notes, *sample_notes]
        return TableResult(DescriptiveTable(table.id, table.title, stats, notes))
    entity, time = spec.panel["entity"], spec.panel["time"]
    columns: list[ModelColumn] = []
    used: list[tuple[pd.DataFrame, dict, str, Model | None]] = []  # (sample, model, role, fitted) per column
    warned: list[Note] = []  # column warnings for the notes
    threshold_fits: dict[str, Any] = {}
    for column in table.columns:
        sample, model = column_sample(panel, spec, table, column)
        context = _context(spec, table, column, len(columns) + 1)
        complete, fragile = checks.check_sample(sample, model, entity, time, context, column.origins, str(spec.path))
        fitted = _fit_column(
            table,
            spec,
            column,
            complete if table.kind == "iv" else sample,
            model,
            len(columns) + 1,
            lang,
            threshold_fits,
        )
        cells = notes_mod.interpolated_cells(complete, model, entity, time, imputed)
        outside = notes_mod.outside_index_rows(sample, complete)
        for made, _ in fitted:
            if cells is not None:
                made.result.diagnostics["n_interpolated_cells"] = float(cells)
            if outside is not None:
                made.result.diagnostics["n_rows_outside_index_sample_used"] = float(outside[0])
                made.result.diagnostics["n_rows_outside_index_sample_lost"] = float(outside[1])
            if any(w.startswith("few_clusters") for w in fragile) and made.result.n_clusters is not None:
                made.result.diagnostics["few_clusters"] = 1.0
                warned.append(notes_mod.few_clusters(made.name, made.result.n_clusters))
            made.degenerate_terms = checks.degenerate_terms(made.result)
            if made.degenerate_terms:
                warned.append(notes_mod.degenerate_se(made.name, made.degenerate_terms))
            if made.role == "iv_second":
                f = made.result.diagnostics.get("kp_rk_wald_f")
                if f is not None and np.isfinite(f) and f < checks.WEAK_INSTRUMENT_F:
                    made.result.diagnostics["weak_instrument"] = 1.0
                    warned.append(notes_mod.weak_instrument(made.name, f))
            columns.append(made)
        used += [(complete if table.kind == "iv" else sample, model, made.role, m) for made, m in fitted]
    try:
        placebo = _add_inference(table, columns, used, spec)
    except SpecError:
        raise
    except (ValueError, TypeError, KeyError, np.linalg.LinAlgError) as exc:
        i = next((k for k, t in enumerate(spec.tables) if t is table), table.id)
        raise StudyError(
            f"{spec.key(f'tables[{i}]')} (table {table.id}): an inference option "
            f"(wild_bootstrap, group_tests or placebo) cannot run on this table: {exc}"
        ) from None
    keep = table.keep or _default_keep(table)
    if table.kind in ("threshold", "spatial") and not table.keep:
        from cipanel.study.model_columns import default_keep

        keep = default_keep(table.kind, columns, [c.model["treatment"] for c in table.columns])
    labels = {name: spec.label(name, lang) for name in {*spec.labels, *keep}}
    notes = [*table.notes, *notes_mod.table_facts(columns, warned), *sample_notes]
    warnings = [(table.id, note) for note in warned]
    made = RegressionTable(table.id, table.title, columns, keep, labels, table.stat, notes)
    return TableResult(made, placebo, threshold_fits, warnings)


def _add_inference(table: TableSpec, columns: list[ModelColumn], used: list, spec: StudySpec) -> Any:
    """The table's wild bootstrap, group tests and placebo; returns the PlaceboResult (or None)."""
    from cipanel.study import inference_rows

    options = table.inference
    fitted = [u[3] for u in used]
    if "wild_bootstrap" in options:
        for column, (_, _, role, model) in zip(columns, used):
            inference_rows.bootstrap_column(column, model, options["wild_bootstrap"] or {}, role)
    for i, test in enumerate(options.get("group_tests") or []):
        inference_rows.group_test(columns, fitted, test, f"table {table.id}.group_tests[{i}]", spec.panel["entity"])
    if "placebo" in options:
        block = options["placebo"] or {}
        names = [c.name for c in columns]
        target = block.get("column", names[-1])
        if target not in names:
            raise SpecError(f"table {table.id}.placebo.column: {target!r} is not one of {names}")
        i = names.index(target)
        return inference_rows.placebo(columns[i], fitted[i], block)
    return None


def _default_keep(table: TableSpec) -> list[str]:
    seen: list[str] = []
    for column in table.columns:
        for name in _keep_terms(column.model):
            if name not in seen:
                seen.append(name)
    return [*seen, "_cons"]


def run_study(
    spec: StudySpec,
    panel: pd.DataFrame,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
    imputed: pd.DataFrame | None = None,
    index_sample: dict | None = None,
    table_runner: Callable[..., StudyTable] | None = None,
) -> StudyRun:
    """Run every table of `spec` on `panel`. `imputed` (cipanel.study.panel_source) says which
    cells were interpolated; `index_sample` which units the indices were computed on.
    `table_runner` (same arguments as run_table) lets cipanel.study_cache reuse unchanged tables."""
    run = StudyRun(spec=spec, lang=lang)
    leads = [f"F{c.model['lead']}_{c.model['outcome']}" for t in spec.tables for c in t.columns if c.model.get("lead")]
    check_expressions(spec, [*panel.columns, *leads])  # every filter and its columns, before any fit
    panel, units = samples.apply_unit_rules(panel, spec)
    run.regression_sample, run.index_sample = units, index_sample
    if units.has_rules:  # stated in every table when the study sets its own sample
        run.sample_notes = notes_mod.sample_facts(units, index_sample)
    for table in spec.tables:
        if progress:
            progress(f"{spec.study}: table {table.id} ({table.kind}, {len(table.columns) or 1} column(s))")
        run.tables.append((table_runner or run_table)(panel, spec, table, lang, run, imputed))
    return run  # the caller words and prints run.warnings (cipanel.output.notes.warning_lines)


def _keep_terms(model: dict) -> list[str]:
    if model.get("gmm"):  # the regressors without the year dummies
        from cipanel.study.gmm_columns import gmm_regressors

        return [x for x in gmm_regressors(model)[1] if "*" not in x and not _yr(x)]
    if spec_uses_formula(model):
        return spec_keep_terms(model)
    return [model["treatment"], *model.get("instruments", [])]
