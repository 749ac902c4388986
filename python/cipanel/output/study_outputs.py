"""Everything a study writes into its own folder: its index tables (indicator system first, score
appendix last), its result tables one by one and together (tables.docx, tables.xlsx), its figures
with catalog labels in the study's language, and its own report. The pipeline calls
write_study_outputs once per study and write_combined_report once per run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cipanel.output.figures import (
    plot_coefficients,
    plot_index_heatmap,
    plot_index_trends,
    plot_indicator_weights,
    plot_placebo,
)
from cipanel.output.index_tables import (
    IndexCatalog,
    index_grids,
    load_catalog,
    study_indices,
)
from cipanel.output.labels import fixed
from cipanel.output.regression_tables import write_study_tables
from cipanel.output.report import ReportSection, write_report
from cipanel.output.table_format import TableFormat
from cipanel.study.tables import RegressionTable

if TYPE_CHECKING:
    from cipanel.study.runner import StudyRun


def catalog_labels(cat: IndexCatalog, lang: str, regions: pd.DataFrame | None = None) -> dict[str, str]:
    """Code -> printed label from the catalogs: indices, dimensions, indicators, units, regions."""
    labels: dict[str, str] = {}
    for frame, code in (
        (cat.indices, "index_code"),
        (cat.dimensions, "dimension_code"),
        (cat.indicators, "indicator_code"),
    ):
        labels.update(dict(zip(frame[code].astype(str), frame[f"label_{lang}"].astype(str), strict=True)))
    labels.update(dict(zip(cat.units.unit_code.astype(str), cat.units[f"name_{lang}"].astype(str), strict=True)))
    if regions is not None:
        labels.update(dict(zip(regions.region_code.astype(str), regions[f"region_{lang}"].astype(str), strict=True)))
    return labels


def _spec_names(spec) -> set[str]:
    names = set(spec.labels)
    for table in spec.tables:
        names.update(table.variables)
        for column in table.columns:
            m = column.model
            names.update(
                [m.get("outcome", ""), m.get("treatment", ""), *m.get("controls", []), *m.get("instruments", [])]
            )
    for block in (spec.figures or {}).values():
        if isinstance(block, dict):
            names.update(block.get("indices") or [])
    return names


def _coefficient_rows(run, table_id: str, term: str) -> pd.DataFrame:
    rows = []
    for table in run.tables:
        if isinstance(table, RegressionTable) and table.table_id == table_id:
            few = set(table.few_clusters)
            for column in table.columns:
                r = column.result
                if term in r.params.index:
                    ci = r.conf_int().loc[term]
                    rows.append(
                        {
                            "group": column.group,
                            "label": column.title,
                            "estimate": r.params[term],
                            "lower": ci["lower"],
                            "upper": ci["upper"],
                            "few_clusters": column.name in few,
                        }
                    )
    return pd.DataFrame(rows)


def study_figures(
    run: StudyRun, panel: pd.DataFrame, cat: IndexCatalog, labels: dict[str, str], out: Path, synthetic: bool
) -> list[Path]:
    spec, lang, made = run.spec, run.lang, []
    figures = spec.figures or {}
    trends = figures.get("index_trends")
    if trends:
        path = out / f"{spec.study}_index_trends.png"
        made.append(
            plot_index_trends(
                panel,
                trends["indices"],
                f"region_{trends['region_scheme']}",
                path,
                synthetic=synthetic,
                labels=labels,
                lang=lang,
            )
        )
    weights = figures.get("weights")
    if weights:
        frame = cat.weights[cat.weights.index_code.isin(weights["indices"])]
        made.extend(plot_indicator_weights(frame, out, synthetic=synthetic, labels=labels, lang=lang) or [])
        for index in weights["indices"]:  # the unit x year heat map of each weighted index
            scores = cat.scores[cat.scores.index_code == index].sort_values(["unit_code", "year"])
            if len(scores):
                made.append(
                    plot_index_heatmap(
                        scores.rename(columns={"unit_code": "unit"}),
                        out / f"heatmap_{index}.png",
                        synthetic=synthetic,
                        title=labels.get(index, index),
                        labels=labels,
                        lang=lang,
                    )
                )
    coefficients = figures.get("coefficients")
    if coefficients:
        rows = _coefficient_rows(run, coefficients["table"], coefficients["term"])
        term = labels.get(coefficients["term"], coefficients["term"])
        title = fixed("coef_term_title", lang).format(term=term)  # a figure, not the table's 表N caption
        path = out / f"{spec.study}_{coefficients['table']}_coefficients.png"
        made.append(plot_coefficients(rows, path, synthetic=synthetic, title=title, labels=labels, lang=lang))
    for table_id, result in run.placebos.items():
        path = out / f"{spec.study}_{table_id}_placebo.png"
        made.append(plot_placebo(result.coefs, result.real_coef, path, synthetic=synthetic, lang=lang))
    for key, result in getattr(run, "threshold_fits", {}).items():  # LR curves of threshold tables
        from cipanel.output.threshold_figures import plot_lr_curves

        name = key.replace(" ", "_").replace("(", "").replace(")", "")
        path = out / f"{spec.study}_{name}_threshold_lr.png"
        plot_lr_curves(result, path, synthetic=synthetic, lang=lang)
        made.append(path)
    return made


def write_study_outputs(
    run: StudyRun,
    panel: pd.DataFrame,
    warehouse: Path | str | None,
    out: Path,
    synthetic: bool,
    fmt: TableFormat | None = None,
    extra_sections: list | None = None,
) -> dict[str, object]:
    """Tables (each alone and all in tables.docx / tables.xlsx), figures and report.{md,html}
    of one study, all under `out` (the study's own folder); `extra_sections` (e.g. the study's
    index analytics, written under `out`) follow the study's own section in its report."""
    from cipanel.warehouse import read_table

    spec, lang = run.spec, run.lang
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cat = load_catalog(warehouse)
    systems, appendix = index_grids(cat, study_indices(cat, _spec_names(spec)), lang, synthetic)
    tables = write_study_tables([*systems, *run.tables, *appendix], out, lang, fmt)
    regions = read_table("marts.dim_unit_regions", warehouse)
    labels = {**catalog_labels(cat, lang, regions), **{k: spec.label(k, lang) for k in spec.labels}}
    figures = study_figures(run, panel, cat, labels, out, synthetic)
    title = spec.title or spec.study  # a study without a title is named by its id, never `****`
    every = f"{fixed('downloads', lang)}[tables.docx](tables.docx) · [tables.xlsx](tables.xlsx)"
    section = ReportSection(
        title=title,
        tables=[w["md"] for w in tables["tables"]],
        figures=figures,
        text="\n\n".join(t for t in (spec.source, every) if t),
    )
    report = write_report([section, *(extra_sections or [])], out, title=title, synthetic=synthetic, lang=lang)
    return {
        "tables": tables["tables"],
        "tables_docx": tables["docx"],
        "tables_xlsx": tables["xlsx"],
        "figures": figures,
        "report": report,
    }
