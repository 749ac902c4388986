"""Studies end to end after the build: panel -> estimates -> results schema, tables, figures, report."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Callable

import pandas as pd

from cipanel.study.results import store
from cipanel.study.runner import StudyRun, run_study
from cipanel.study.spec import StudySpec, load_spec
from cipanel.study.tables import RegressionTable
from cipanel.warehouse import check_writable, connect, read_table

DEFAULT_STUDIES = ("study_a.yml", "study_b.yml")


def default_study_paths() -> list[Path]:
    folder = resources.files("cipanel") / "studies"
    return [Path(str(folder / name)) for name in DEFAULT_STUDIES if (folder / name).is_file()]


def is_synthetic(warehouse: Path | str | None = None) -> bool:
    """Data built from the demo generator carry SYNTHETIC in every file name."""
    with connect(warehouse) as con:
        files = [r[0] for r in con.execute("select distinct source_file from raw.indicator_values").fetchall()]
    return any("synthetic" in f.lower() for f in files)


def _coefficient_rows(run: StudyRun, table_id: str, term: str) -> pd.DataFrame:
    rows = []
    for table in run.tables:
        if isinstance(table, RegressionTable) and table.table_id == table_id:
            for column in table.columns:
                r = column.result
                if term in r.params.index:
                    ci = r.conf_int().loc[term]
                    rows.append({"group": column.group, "label": column.title, "estimate": r.params[term],
                                 "lower": ci["lower"], "upper": ci["upper"]})
    return pd.DataFrame(rows)


def _figures(run: StudyRun, panel: pd.DataFrame, warehouse, out: Path, synthetic: bool) -> list[Path]:
    from cipanel.output.figures import plot_coefficients, plot_index_trends, plot_indicator_weights

    spec, made = run.spec, []
    trends = spec.figures.get("index_trends")
    if trends:
        path = out / f"{spec.study}_index_trends.png"
        plot_index_trends(panel, trends["indices"], f"region_{trends['region_scheme']}", path, synthetic=synthetic)
        made.append(path)
    weights = spec.figures.get("weights")
    if weights:
        frame = read_table("marts.fct_indicator_weights", warehouse, where="method = 'entropy' and weight_year is null")
        frame = frame[frame.index_code.isin(weights["indices"])]
        made.extend(plot_indicator_weights(frame, out, synthetic=synthetic) or [])
    coefficients = spec.figures.get("coefficients")
    if coefficients:
        rows = _coefficient_rows(run, coefficients["table"], coefficients["term"])
        path = out / f"{spec.study}_{coefficients['table']}_coefficients.png"
        plot_coefficients(rows, path, synthetic=synthetic)
        made.append(path)
    for table_id, result in run.placebos.items():
        from cipanel.output.figures import plot_placebo

        path = out / f"{spec.study}_{table_id}_placebo.png"
        plot_placebo(result.coefs, result.real_coef, path, synthetic=synthetic, lang=run.lang)
        made.append(path)
    return made


def run_studies(
    spec_paths: list[Path],
    *,
    warehouse=None,
    out_dir: Path = Path("output"),
    lang: str = "zh",
    progress: Callable[[str], None] = print,
) -> dict[str, object]:
    from cipanel.output.regression_tables import write_table
    from cipanel.output.report import ReportSection, write_report

    check_writable(warehouse)
    synthetic = is_synthetic(warehouse)
    specs: list[StudySpec] = [load_spec(p, lang) for p in spec_paths]  # validate all before any work
    sections, outputs = [], {}
    for spec in specs:
        panel = read_table(spec.panel["relation"], warehouse)
        run = run_study(spec, panel, lang, progress)
        counts = store(run, warehouse, synthetic=synthetic)
        progress(f"{spec.study}: {counts['estimates']} estimates written to results.estimates")
        study_out = out_dir / spec.study
        study_out.mkdir(parents=True, exist_ok=True)
        written = [write_table(table, study_out, lang) for table in run.tables]
        figures = _figures(run, panel, warehouse, study_out, synthetic)
        progress(f"{spec.study}: {len(written)} tables and {len(figures)} figures in {study_out}")
        # the tables already written under the study's folder (table ids repeat across studies)
        sections.append(ReportSection(title=spec.title, tables=[w["md"] for w in written], figures=figures, text=spec.source))
        outputs[spec.study] = {"tables": written, "figures": figures, "run": run}
    report = write_report(sections, out_dir, title="cipanel", synthetic=synthetic, lang=lang)
    progress(f"report: {', '.join(str(p) for p in report.values())}")
    outputs["report"] = report
    return outputs
