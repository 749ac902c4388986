"""Everything a study writes into its own folder: its index tables (indicator system first, score
appendix last), its result tables one by one and together (tables.docx, tables.xlsx), its figures
with catalog labels in the study's language, and its own report. The pipeline calls
write_study_outputs once per study and write_combined_report once per run.

With a cipanel.study_cache.StudyCache, a table's files, tables.docx/xlsx and each figure are
rewritten only when what they are drawn from changed or a file is missing or was edited; the
report pages are always reassembled (cheap). The figures are started before the tables and drawn
in worker processes meanwhile (cipanel.output.figure_jobs; CIPANEL_WORKERS=1 draws them here, one
after another); matplotlib is imported only where a figure is drawn."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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


class _NotReusable(Exception):
    """Raised by the probe below: the cache has no current copy of this figure."""


def _not_reusable():
    raise _NotReusable


def _submit(cache: StudyCache | None, name: str, inputs: tuple, job) -> tuple:
    """A figure slot: ("done", paths) when `cache` holds it with unchanged `inputs` and intact
    files, else ("drawing", name, key, job), the job started by start_figures."""
    if cache is None:
        return ("drawing", name, None, job)
    from cipanel.study_cache import key_of

    key = key_of("figure", name, *inputs)
    try:  # the cache's own check (key, files intact); a figure not reusable is drawn below
        return ("done", cache.output(f"figure:{name}", key, _not_reusable)[0])
    except _NotReusable:
        return ("drawing", name, key, job)


def _paths(drawn) -> list[Path]:
    return [Path(drawn)] if isinstance(drawn, (str, Path)) else [Path(p) for p in drawn or []]


def submit_study_figures(
    run: StudyRun,
    panel: pd.DataFrame,
    cat: IndexCatalog,
    labels: dict[str, str],
    out: Path,
    synthetic: bool,
    cache: StudyCache | None = None,
) -> list:
    """Start drawing the study's figures (cipanel.output.figure_jobs: in worker processes while the
    caller writes tables); collect_figures waits for them. Figures whose inputs are unchanged are
    reused from `cache`."""
    from cipanel.output.figure_jobs import FigureJob, start

    spec, lang, slots = run.spec, run.lang, []
    figures = spec.figures or {}
    common = (out.name, synthetic, lang, labels)
    opts = {"synthetic": synthetic, "labels": labels, "lang": lang}
    plots = "cipanel.output.figures"

    def fig(name: str, inputs: tuple, func: str, *args, **kwargs) -> None:
        job = FigureJob(func, args, kwargs)
        slots.append(_submit(cache, f"{out.name}/{name}", (*common, *inputs), job))

    trends = figures.get("index_trends")
    if trends:
        path = out / f"{spec.study}_index_trends.png"
        scheme = f"region_{trends['region_scheme']}"
        fig(path.name, (panel, trends), f"{plots}:plot_index_trends", panel, trends["indices"], scheme, path, **opts)
    weights = figures.get("weights")
    if weights:
        frame = cat.weights[cat.weights.index_code.isin(weights["indices"])]
        fig("weights", (frame,), f"{plots}:plot_indicator_weights", frame, out, **opts)
        for index in weights["indices"]:  # the unit x year heat map of each weighted index
            scores = cat.scores[cat.scores.index_code == index].sort_values(["unit_code", "year"])
            if len(scores):
                fig(
                    f"heatmap_{index}",
                    (scores,),
                    f"{plots}:plot_index_heatmap",
                    scores.rename(columns={"unit_code": "unit"}),
                    out / f"heatmap_{index}.png",
                    title=labels.get(index, index),
                    **opts,
                )
    coefficients = figures.get("coefficients")
    if coefficients:
        rows = _coefficient_rows(run, coefficients["table"], coefficients["term"])
        term = labels.get(coefficients["term"], coefficients["term"])
        title = fixed("coef_term_title", lang).format(term=term)  # a figure, not the table's 表N caption
        path = out / f"{spec.study}_{coefficients['table']}_coefficients.png"
        fig(path.name, (rows, title), f"{plots}:plot_coefficients", rows, path, title=title, **opts)
    for table_id, result in run.placebos.items():
        path = out / f"{spec.study}_{table_id}_placebo.png"
        fig(
            path.name,
            (result.coefs, result.real_coef),
            f"{plots}:plot_placebo",
            result.coefs,
            result.real_coef,
            path,
            synthetic=synthetic,
            lang=lang,
        )
    for key, result in getattr(run, "threshold_fits", {}).items():  # LR curves of threshold tables
        name = key.replace(" ", "_").replace("(", "").replace(")", "")
        path = out / f"{spec.study}_{name}_threshold_lr.png"
        fig(
            path.name,
            (result,),
            "cipanel.output.threshold_figures:plot_lr_curves",
            result,
            path,
            synthetic=synthetic,
            lang=lang,
        )
    drawing = [i for i, slot in enumerate(slots) if slot[0] == "drawing"]
    for i, handle in zip(drawing, start([slots[i][3] for i in drawing]), strict=True):
        slots[i] = (*slots[i], handle)
    return slots


def collect_figures(slots: list, cache: StudyCache | None = None) -> list[Path]:
    """The figures' paths in report order, once every figure started by submit_study_figures is
    written (each drawn one recorded in `cache` with its SVG copy)."""
    from cipanel.output.figure_jobs import result

    made: list[Path] = []
    for slot in slots:
        if slot[0] == "done":
            made += slot[1]
            continue
        _, name, key, _, handle = slot
        paths = _paths(result(handle))
        if cache is None:
            made += paths
            continue
        svgs = [p.with_suffix(".svg") for p in paths]  # output.figures saves an SVG beside each PNG
        made += cache.output(f"figure:{name}", key, lambda p=paths, v=svgs: (p, None, [s for s in v if s.is_file()]))[0]
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
    regions = read_table("marts.dim_unit_regions", warehouse)
    labels = {**catalog_labels(cat, lang, regions), **{k: spec.label(k, lang) for k in spec.labels}}
    drawing = submit_study_figures(run, panel, cat, labels, out, synthetic, cache)  # drawn while tables are written
    tables = (
        write_study_tables(every_table, out, lang, fmt)
        if cache is None
        else _tables(cache, every_table, out, lang, fmt)
    )
    figures = collect_figures(drawing, cache)
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
