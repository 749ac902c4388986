"""Everything a study writes into its own folder: its index tables (indicator system first, score
appendix last), its result tables one by one and together (tables.docx, tables.xlsx), its figures
with catalog labels in the study's language, and its own report. The pipeline calls
write_study_outputs once per study and write_combined_report once per run.

With a cipanel.study_cache.StudyCache, a table's files, tables.docx/xlsx and each figure are
rewritten only when what they are drawn from changed or a file is missing or was edited; the
report pages are always reassembled (cheap). matplotlib is imported only when a figure is drawn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cipanel.output.index_tables import (
    IndexCatalog,
    index_grids,
    load_catalog,
    study_indices,
)
from cipanel.output.labels import fixed
from cipanel.output.notes import column_title
from cipanel.output.regression_tables import table_grid, write_grid, write_study_tables
from cipanel.output.report import ReportSection, write_report
from cipanel.output.table_format import TableFormat
from cipanel.study.tables import RegressionTable

if TYPE_CHECKING:
    from cipanel.study.runner import StudyRun
    from cipanel.study_cache import StudyCache


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
                            "label": column_title(column, run.lang),
                            "estimate": r.params[term],
                            "lower": ci["lower"],
                            "upper": ci["upper"],
                            "few_clusters": column.name in few,
                        }
                    )
    return pd.DataFrame(rows)


class _LazyFigures:
    """cipanel.output.figures, imported on the first attribute look-up (it imports matplotlib)."""

    def __getattr__(self, name: str) -> Any:
        from cipanel.output import figures

        return getattr(figures, name)


def _figure(cache: StudyCache | None, name: str, inputs: tuple, draw: Callable[[], Any]) -> list[Path]:
    """draw() -> a path or a list of paths; reused from `cache` when `inputs` are unchanged."""

    def make():
        drawn = draw()
        paths = [drawn] if isinstance(drawn, (str, Path)) else list(drawn or [])
        vectors = [Path(p).with_suffix(".svg") for p in paths]  # output.figures saves an SVG beside each PNG
        return paths, None, [v for v in vectors if v.is_file()]

    if cache is None:
        return make()[0]
    from cipanel.study_cache import key_of

    return cache.output(f"figure:{name}", key_of("figure", name, *inputs), make)[0]


def study_figures(
    run: StudyRun,
    panel: pd.DataFrame,
    cat: IndexCatalog,
    labels: dict[str, str],
    out: Path,
    synthetic: bool,
    cache: StudyCache | None = None,
) -> list[Path]:
    spec, lang, made = run.spec, run.lang, []
    figures = spec.figures or {}
    common = (out.name, synthetic, lang, labels)
    fig = lambda name, inputs, draw: made.extend(_figure(cache, f"{out.name}/{name}", (*common, *inputs), draw))  # noqa: E731
    plots = _LazyFigures()  # matplotlib: only when a figure is drawn, not when all are reused

    trends = figures.get("index_trends")
    if trends:
        path = out / f"{spec.study}_index_trends.png"
        scheme = f"region_{trends['region_scheme']}"
        fig(
            path.name,
            (panel, trends),
            lambda: plots.plot_index_trends(
                panel, trends["indices"], scheme, path, synthetic=synthetic, labels=labels, lang=lang
            ),
        )
    weights = figures.get("weights")
    if weights:
        frame = cat.weights[cat.weights.index_code.isin(weights["indices"])]
        fig(
            "weights",
            (frame,),
            lambda: plots.plot_indicator_weights(frame, out, synthetic=synthetic, labels=labels, lang=lang),
        )
        for index in weights["indices"]:  # the unit x year heat map of each weighted index
            scores = cat.scores[cat.scores.index_code == index].sort_values(["unit_code", "year"])
            if len(scores):
                fig(
                    f"heatmap_{index}",
                    (scores,),
                    lambda scores=scores, index=index: plots.plot_index_heatmap(
                        scores.rename(columns={"unit_code": "unit"}),
                        out / f"heatmap_{index}.png",
                        synthetic=synthetic,
                        title=labels.get(index, index),
                        labels=labels,
                        lang=lang,
                    ),
                )
    coefficients = figures.get("coefficients")
    if coefficients:
        rows = _coefficient_rows(run, coefficients["table"], coefficients["term"])
        term = labels.get(coefficients["term"], coefficients["term"])
        title = fixed("coef_term_title", lang).format(term=term)  # a figure, not the table's 表N caption
        path = out / f"{spec.study}_{coefficients['table']}_coefficients.png"
        fig(
            path.name,
            (rows, title),
            lambda: plots.plot_coefficients(rows, path, synthetic=synthetic, title=title, labels=labels, lang=lang),
        )
    for table_id, result in run.placebos.items():
        path = out / f"{spec.study}_{table_id}_placebo.png"
        fig(
            path.name,
            (result.coefs, result.real_coef),
            lambda path=path, result=result: plots.plot_placebo(
                result.coefs, result.real_coef, path, synthetic=synthetic, lang=lang
            ),
        )
    for key, result in getattr(run, "threshold_fits", {}).items():  # LR curves of threshold tables
        name = key.replace(" ", "_").replace("(", "").replace(")", "")
        path = out / f"{spec.study}_{name}_threshold_lr.png"

        def draw(result=result, path=path):
            from cipanel.output.threshold_figures import plot_lr_curves

            plot_lr_curves(result, path, synthetic=synthetic, lang=lang)
            return path

        fig(path.name, (result,), draw)
    return made


def write_study_outputs(
    run: StudyRun,
    panel: pd.DataFrame,
    warehouse: Path | str | None,
    out: Path,
    synthetic: bool,
    fmt: TableFormat | None = None,
    extra_sections: list | None = None,
    cache: StudyCache | None = None,
    catalog: IndexCatalog | None = None,
) -> dict[str, object]:
    """Tables (each alone and all in tables.docx / tables.xlsx), figures and report.{md,html}
    of one study, all under `out` (the study's own folder); `extra_sections` (e.g. the study's
    index analytics, written under `out`) follow the study's own section in its report."""
    from cipanel.warehouse import read_table

    spec, lang = run.spec, run.lang
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cat = catalog if catalog is not None else load_catalog(warehouse)  # one read per run (pipeline)
    systems, appendix = index_grids(cat, study_indices(cat, _spec_names(spec)), lang, synthetic)
    every_table = [*systems, *run.tables, *appendix]
    tables = (
        write_study_tables(every_table, out, lang, fmt)
        if cache is None
        else _tables(cache, every_table, out, lang, fmt)
    )
    regions = read_table("marts.dim_unit_regions", warehouse)
    labels = {**catalog_labels(cat, lang, regions), **{k: spec.label(k, lang) for k in spec.labels}}
    figures = study_figures(run, panel, cat, labels, out, synthetic, cache)
    title = spec.title or spec.study  # a study without a title is named by its id, never `****`
    every = f"{fixed('downloads', lang)}[tables.docx](tables.docx) · [tables.xlsx](tables.xlsx)"
    section = ReportSection(
        title=title,
        tables=[w["md"] for w in tables["tables"]],
        figures=figures,
        text="\n\n".join(t for t in (spec.source, every) if t),
    )
    report = write_report(
        [section, *(extra_sections or [])], out, title=title, synthetic=synthetic, lang=lang, cache=cache
    )
    return {
        "tables": tables["tables"],
        "tables_docx": tables["docx"],
        "tables_xlsx": tables["xlsx"],
        "figures": figures,
        "report": report,
    }


def _tables(cache, tables: list, out: Path, lang: str, fmt: TableFormat | None) -> dict[str, object]:
    """write_study_tables through the cache: each table's files, tables.docx and tables.xlsx are
    keyed by the printed grids they hold (so a re-estimated table with equal cells is not rewritten).
    tables.docx is assembled from the tables' own Word files (the same bytes as drawing it again)."""
    from cipanel.output.docx_writer import collection_from_parts, layout, to_docx_collection
    from cipanel.output.xlsx_writer import to_xlsx_workbook
    from cipanel.study_cache import key_of

    grids = [table_grid(t, lang, fmt) for t in tables]
    keys = [key_of("grid", g) for g in grids]
    written, landscape = [], []

    def write(g):  # a table's files, and its page orientation (read back when the files are reused)
        return list(write_grid(g, out).values()), {"landscape": layout(g).landscape}

    for g, key in zip(grids, keys, strict=True):
        paths, data = cache.output(f"table:{out.name}/{g.table_id}", key, lambda g=g: write(g))
        written.append({Path(p).suffix[1:]: Path(p) for p in paths})
        landscape.append(data["landscape"] if isinstance(data, dict) else layout(g).landscape)

    def collection():
        import zipfile

        path = out / "tables.docx"
        try:
            return [collection_from_parts([w["docx"] for w in written], landscape, path)], None
        except (ValueError, KeyError, OSError, zipfile.BadZipFile):  # a part not as to_docx wrote it: draw all
            return [to_docx_collection(grids, path)], None

    docx, _ = cache.output(f"docx:{out.name}", key_of("docx", keys), collection)
    xlsx, _ = cache.output(
        f"xlsx:{out.name}",
        key_of("xlsx", keys),
        lambda: ([to_xlsx_workbook(grids, out / "tables.xlsx", landscape)], None),
    )
    return {"tables": written, "docx": docx[0], "xlsx": xlsx[0]}
