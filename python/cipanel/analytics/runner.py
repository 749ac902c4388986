"""Run a study's `analytics:` block: read the panel and regions from the warehouse, compute,
store analytics.* in one transaction, write tables and figures (zh or en) for the report."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from cipanel.analytics.compute import AnalyticsError, compute, weights_for
from cipanel.analytics.config import AnalyticsConfig
from cipanel.analytics.store import store
from cipanel.analytics.tables import TableWriter
from cipanel.output.figure_jobs import FigureJob, result, start
from cipanel.warehouse import connect


class Names(dict):
    """Code -> printed name, callable like the lookup it replaces (picklable, unlike a lambda)."""

    def __call__(self, code: str) -> str:
        return self.get(code, str(code))


@dataclass
class AnalyticsRun:
    study: str
    frames: dict[str, pd.DataFrame]
    tables: list[dict[str, Path]] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _weights_text(w: dict, lang: str) -> str:
    kind = w["kind"]
    zh = {
        "queen": "Queen邻接矩阵(海南与{h}相邻)",
        "inverse_distance": "省会城市间地理距离倒数矩阵",
        "economic": "经济距离矩阵(1/|{v}均值之差|)",
        "file": "用户权重文件 {p}",
    }
    en = {
        "queen": "queen contiguity (Hainan linked to {h})",
        "inverse_distance": "inverse distance between capitals",
        "economic": "economic distance (1/|difference of mean {v}|)",
        "file": "user weights file {p}",
    }
    h = {
        "guangdong": ("广东", "Guangdong"),
        "guangdong_guangxi": ("广东、广西", "Guangdong and Guangxi"),
        "none": ("无", "none"),
    }[w.get("hainan", "guangdong")][0 if lang == "zh" else 1]
    text = (zh if lang == "zh" else en)[kind].format(h=h, v=w.get("variable"), p=Path(w.get("path", "")).name)
    rs = w.get("row_standardise", True)
    return text + ("，行标准化" if lang == "zh" else ", row-standardised") if rs else text


def _read(config: AnalyticsConfig, relation: str, entity: str, time: str, warehouse) -> tuple[pd.DataFrame, dict]:
    with connect(warehouse) as con:
        try:
            panel = con.execute(f"select * from {relation}").df()
        except Exception as exc:  # noqa: BLE001 (duckdb raises several kinds)
            raise AnalyticsError(f"analytics: cannot read the panel {relation}: {exc}") from None
        if "in_sample" in panel.columns and panel["in_sample"].dtype == bool:
            # the indices describe their own sample: units outside it (standalone values only,
            # for studies that include them) have no index score
            panel = panel[panel["in_sample"]].reset_index(drop=True)
        regions = con.execute(
            "select unit_code, region_code, region_zh, region_en from marts.dim_unit_regions where scheme = ?",
            [config.region_scheme],
        ).df()
        if regions.empty:
            schemes = [r[0] for r in con.execute("select distinct scheme from marts.dim_unit_regions").fetchall()]
            raise AnalyticsError(
                f"analytics.region_scheme: {config.region_scheme!r} is not a scheme in "
                f"marts.dim_unit_regions (the project's region schemes); use one of {', '.join(sorted(schemes))}"
            )
        units = con.execute("select unit_code, name_zh, short_name_zh, name_en from marts.dim_units").df()
        indicators = con.execute(
            "select indicator_code, dimension_code, index_code, label_zh, label_en from marts.dim_indicators"
        ).df()
        dimensions = con.execute(
            "select index_code, dimension_code, label_zh, label_en from staging.stg_catalog__dimensions"
        ).df()
        obstacles = {}
        if config.obstacle:
            codes = config.obstacle["indices"]
            marks = ", ".join("?" * len(codes))
            for name in ("indicators", "dimensions"):
                try:
                    obstacles[name] = con.execute(
                        f"select * from analytics.fct_obstacle_{name} where index_code in ({marks})", codes
                    ).df()
                except duckdb.CatalogException:
                    raise AnalyticsError(
                        f"analytics.obstacle: analytics.fct_obstacle_{name} is not in the warehouse: "
                        "rebuild it (cipanel build)"
                    ) from None
    panel[entity] = panel[entity].astype(str)
    panel = panel.merge(
        regions[["unit_code", "region_code"]].rename(columns={"unit_code": entity, "region_code": "region"}),
        on=entity,
        how="left",
    )
    lookups = {
        "regions": regions.set_index("region_code")[["region_zh", "region_en"]].drop_duplicates(),
        "units": units.set_index("unit_code"),
        "indicators": indicators,
        "dimensions": dimensions,
        "obstacles": obstacles,
    }
    return panel, lookups


def run_analytics(
    config: AnalyticsConfig,
    *,
    warehouse: Path | str | None = None,
    out_dir: Path,
    lang: str = "zh",
    synthetic: bool = False,
    relation: str = "marts.fct_panel",
    entity: str = "unit_code",
    time: str = "year",
    labels: dict[str, dict[str, str]] | None = None,
    progress: Callable[[str], None] = print,
    first_table: int = 1,
) -> AnalyticsRun:
    labels = labels or {}
    label = lambda k: (labels.get(k) or {}).get(lang) or (labels.get(k) or {}).get("en") or k
    panel, look = _read(config, relation, entity, time, warehouse)
    W = codes = None
    if config.moran:
        W, codes = weights_for(
            config, panel if not config.years else panel[panel[time].between(*config.years)], entity, time
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        frames, notes = compute(config, panel, entity=entity, time=time, W=W, w_codes=codes, progress=progress)
    for w in caught:
        if "coupling form" in str(w.message):
            progress(f"warning: {w.message}")
    for note in notes:
        progress(f"analytics: {note}")
    run = AnalyticsRun(config.study, frames, notes=notes)
    run.counts = store(
        frames,
        config.study,
        warehouse,
        synthetic=synthetic,
        weights=_weights_text(config.weights, "en"),
        spec_path=str(config.path or ""),
    )
    progress(
        f"{config.study}: {sum(run.counts.values())} rows written to analytics.* "
        f"({', '.join(f'{k} {v}' for k, v in run.counts.items() if v)})"
    )

    regions, units = look["regions"], look["units"]
    region = lambda r: str(regions.loc[r, f"region_{lang}"]) if r in regions.index else str(r)
    # the figures are drawn in worker processes (cipanel.output.figure_jobs) while the tables are
    # written here: their arguments must pickle, so the region names go as a mapping, not a lambda
    names = Names({r: region(r) for r in dict.fromkeys(regions.index)})
    jobs: list[FigureJob] = []
    plot = lambda name, *args: jobs.append(FigureJob(f"cipanel.analytics.figures:{name}", args, {}))  # noqa: E731
    unit = lambda u: str(units.loc[u, "short_name_zh" if lang == "zh" else "name_en"]) if u in units.index else str(u)
    out = Path(out_dir)
    tw = TableWriter(out, lang, synthetic, region, unit, first_table)
    by = lambda name, index: frames[name][frames[name].index_code == index] if name in frames else None
    writes: list = []  # the tables of the loop below, written once the figures are started
    write = lambda fn, *args: writes.append((fn, args))  # noqa: E731
    for index in config.indices:
        if config.gini:
            write(tw.gini, index, label(index), by("dagum_gini", index), by("dagum_gini_groups", index))
            plot(
                "gini_contributions",
                by("dagum_gini", index),
                by("dagum_gini_groups", index),
                label(index),
                names,
                out / f"a_gini_{index}.png",
                synthetic,
                lang,
            )
            write(tw.theil, index, label(index), by("theil", index), by("theil_groups", index))
        if config.convergence:
            write(tw.sigma, index, label(index), by("sigma_convergence", index))
            write(tw.beta, index, label(index), by("beta_convergence", index), config.convergence["effects"])
        if config.kde:
            plot(
                "kde_ridges", by("kde_density", index), label(index), names, out / f"a_kde_{index}.png", synthetic, lang
            )
        if config.moran:
            write(tw.moran, index, label(index), by("moran_global", index), _weights_text(config.weights, lang))
            write(
                tw.lisa,
                index,
                label(index),
                by("moran_local", index),
                config.moran["alpha"],
                config.moran["permutations"],
            )
    if config.moran:
        plot(
            "moran_trend",
            frames["moran_global"],
            {i: label(i) for i in config.indices},
            out / "a_moran.png",
            synthetic,
            lang,
        )
    for entry in config.coupling:
        frame = frames["coupling_coordination"]
        frame = frame[frame.coupling_name == entry["name"]]
        name = " - ".join(label(s) for s in entry["systems"])
        write(tw.coupling, entry["name"], name, frame)
        plot("coupling_trend", frame, name, names, out / f"a_coupling_{entry['name']}.png", synthetic, lang)
    drawing = start(jobs)
    for fn, args in writes:
        fn(*args)
    if config.obstacle:
        ind, dims = look["indicators"], look["dimensions"]
        ind_label = dict(zip(ind.indicator_code, ind[f"label_{lang}"]))
        for index in config.obstacle["indices"]:
            o = look["obstacles"]["indicators"]
            o = o[o.index_code == index]
            if o.empty:
                raise AnalyticsError(
                    f"analytics.obstacle.indices: {index!r} has no rows in "
                    "analytics.fct_obstacle_indicators (is it an index of index_catalog?)"
                )
            year = config.obstacle["year"] or int(o.year.max())
            if year not in set(o.year):
                raise AnalyticsError(f"analytics.obstacle.year: {index} has no obstacle degrees for {year}")
            tw.obstacles(index, label(index), o, config.obstacle["top"], year, lambda c: ind_label.get(c, c))
            d = look["obstacles"]["dimensions"]
            dim_label = dict(
                zip(dims[dims.index_code == index].dimension_code, dims[dims.index_code == index][f"label_{lang}"])
            )
            tw.obstacle_dimensions(index, label(index), d[d.index_code == index], year, dim_label.get)
    run.figures = [Path(result(handle)) for handle in drawing]
    run.tables = tw.written
    progress(f"{config.study}: {len(run.tables)} analytics tables and {len(run.figures)} figures in {out}")
    return run
