"""The tables every entropy-index paper prints first, read from the marts (never recomputed):

- the indicator system of an index: dimension, indicator, unit, direction, entropy, weight (with the
  dimension's weight), as SPSSAU users download it;
- the appendix of index scores by unit and year (wide) with the mean and its rank, and the ranks by
  year.

Every index of the warehouse gets them, in Chinese or English, as Grids the ordinary writers render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cipanel.output.labels import FIXED, check_lang
from cipanel.output.regression_tables import Grid, write_grid
from cipanel.warehouse import read_table

WORDS = {
    "index": {"zh": "目标层", "en": "Index"},
    "dimension": {"zh": "准则层", "en": "Dimension"},
    "dim_weight": {"zh": "准则层权重", "en": "Dimension weight"},
    "indicator": {"zh": "指标层", "en": "Indicator"},
    "unit": {"zh": "单位", "en": "Unit"},
    "direction": {"zh": "属性", "en": "Direction"},
    "entropy": {"zh": "信息熵", "en": "Entropy"},
    "weight": FIXED["weight"],  # the words the figures use too: one translation
    "+": {"zh": "正向", "en": "Positive"},
    "-": {"zh": "负向", "en": "Negative"},
    "total": {"zh": "合计", "en": "Total"},
    "region": {"zh": "地区", "en": "Unit"},
    "mean": FIXED["mean"],
    "rank": {"zh": "排名", "en": "Rank"},
    "system_title": {"zh": "{index}评价指标体系及熵值法权重", "en": "Indicator system and entropy weights: {index}"},
    "scores_title": {"zh": "附表 {index}得分（{first}—{last}年）", "en": "Appendix: {index} scores, {first}-{last}"},
    "ranks_title": {"zh": "附表 {index}排名（{first}—{last}年）", "en": "Appendix: {index} ranks, {first}-{last}"},
    "system_note": {
        "zh": "权重为熵值法权重（{first}—{last}年混合样本，{n} 个地区）；准则层权重为其下各指标权重之和。"
        "信息熵与权重取自 marts.fct_indicator_weights。",
        "en": "Entropy-method weights over the pooled {first}-{last} sample of {n} units; a dimension's "
        "weight is the sum of its indicators' weights. Entropies and weights are those of "
        "marts.fct_indicator_weights.",
    },
    "scores_note": {
        "zh": "得分为熵值法综合得分（marts.fct_index_scores）；排名按样本期均值从高到低。",
        "en": "Entropy-method composite scores (marts.fct_index_scores); the rank orders the "
        "period means from highest to lowest.",
    },
    "ranks_note": {
        "zh": "各年得分从高到低的排名（并列取最小名次）。",
        "en": "Rank of each year's score, highest first (ties share the best rank).",
    },
    "synthetic": {
        "zh": "数据为合成数据（SYNTHETIC），仅用于检验流程。",
        "en": "SYNTHETIC data: for testing the pipeline only.",
    },
}


def _w(key: str, lang: str) -> str:
    return WORDS[key][check_lang(lang)]


@dataclass
class IndexCatalog:
    indices: pd.DataFrame  # staging.stg_catalog__indices: index_code, label_zh, label_en
    dimensions: pd.DataFrame  # staging.stg_catalog__dimensions
    indicators: pd.DataFrame  # marts.dim_indicators
    weights: pd.DataFrame  # marts.fct_indicator_weights, entropy, pooled
    scores: pd.DataFrame  # marts.fct_index_scores, entropy, composite
    units: pd.DataFrame  # marts.dim_units

    def index_label(self, code: str, lang: str) -> str:
        row = self.indices[self.indices.index_code == code]
        return str(row[f"label_{lang}"].iloc[0]) if len(row) else code


def _in_catalog_order(relation: str, warehouse) -> pd.DataFrame:
    """The catalog's rows in the order of its file (read_table sorts): a view over the landed
    table, scanned without ORDER BY, keeps DuckDB's insertion order (preserve_insertion_order)."""
    from cipanel.warehouse import connect

    with connect(warehouse) as con:
        return con.execute(f"select * from {relation}").df()


def load_catalog(warehouse: Path | str | None = None) -> IndexCatalog:
    return IndexCatalog(
        indices=_in_catalog_order("staging.stg_catalog__indices", warehouse),
        dimensions=_in_catalog_order("staging.stg_catalog__dimensions", warehouse),
        indicators=read_table("marts.dim_indicators", warehouse),
        weights=read_table(
            "marts.fct_indicator_weights", warehouse, where="method = 'entropy' and weight_year is null"
        ),
        scores=read_table("marts.fct_index_scores", warehouse, where="method = 'entropy' and dimension_code = '_all'"),
        units=read_table("marts.dim_units", warehouse),
    )


def index_codes(cat: IndexCatalog) -> list[str]:
    """Indices in catalog order that have weights in the marts."""
    have = set(cat.weights.index_code)
    return [c for c in cat.indices.index_code if c in have]


def indicator_system_grid(cat: IndexCatalog, index: str, lang: str = "zh", synthetic: bool = False) -> Grid:
    check_lang(lang)
    w = cat.weights[cat.weights.index_code == index]
    if w.empty:
        raise ValueError(f"index {index!r}: no entropy weights in marts.fct_indicator_weights")
    ind = cat.indicators[cat.indicators.index_code == index].set_index("indicator_code")
    dims = cat.dimensions[cat.dimensions.index_code == index]
    dim_order = list(dims.dimension_code) + [d for d in w.dimension_code.unique() if d not in set(dims.dimension_code)]
    dim_label = dict(zip(dims.dimension_code, dims[f"label_{lang}"], strict=True))
    ind_order = {code: k for k, code in enumerate(ind.index)}  # catalog order within a dimension
    w = w.assign(
        _d=w.dimension_code.map({d: k for k, d in enumerate(dim_order)}), _i=w.indicator_code.map(ind_order)
    ).sort_values(["_d", "_i", "indicator_code"])
    dim_weight = w.groupby("dimension_code")["weight"].sum()
    body, label = [], cat.index_label(index, lang)
    last_dim = None
    for k, r in enumerate(w.itertuples(index=False)):
        meta = ind.loc[r.indicator_code] if r.indicator_code in ind.index else None
        new_dim = r.dimension_code != last_dim
        last_dim = r.dimension_code
        body.append(
            [
                label if k == 0 else "",
                dim_label.get(r.dimension_code, r.dimension_code) if new_dim else "",
                f"{dim_weight[r.dimension_code]:.4f}" if new_dim else "",
                str(meta[f"label_{lang}"]) if meta is not None else r.indicator_code,
                str(meta["unit_of_measure"]) if meta is not None and pd.notna(meta["unit_of_measure"]) else "",
                _w(r.direction, lang) if r.direction in ("+", "-") else str(r.direction),
                f"{r.entropy:.4f}",
                f"{r.weight:.4f}",
            ]
        )
    body.append([_w("total", lang), "", f"{w.weight.sum():.4f}", "", "", "", "", f"{w.weight.sum():.4f}"])
    head = [
        (_w(k, lang), 1)
        for k in ("index", "dimension", "dim_weight", "indicator", "unit", "direction", "entropy", "weight")
    ]
    first, last = int(w.window_start.iloc[0]), int(w.window_end.iloc[0])
    notes = [WORDS["system_note"][lang].format(first=first, last=last, n=int(w.n_units.iloc[0]))]
    if synthetic:
        notes.append(_w("synthetic", lang))
    raw = w.drop(columns=["_d", "_i"]).reset_index(drop=True)
    return Grid(
        f"indicators_{index}",
        WORDS["system_title"][lang].format(index=label),
        [head],
        body,
        notes,
        raw,
        "注：" if lang == "zh" else "Note: ",
        wrap_cols=(0, 1, 3),
    )


def _wide_scores(cat: IndexCatalog, index: str, lang: str) -> pd.DataFrame:
    s = cat.scores[cat.scores.index_code == index]
    if s.empty:
        raise ValueError(f"index {index!r}: no entropy scores in marts.fct_index_scores")
    wide = s.pivot(index="unit_code", columns="year", values="score").sort_index()
    names = cat.units.set_index("unit_code")[f"name_{lang}"]
    # names are optional for custom units: a unit without one (or sharing one) is shown by its code
    shown = [str(names.get(u)) if pd.notna(names.get(u)) else str(u) for u in wide.index]
    wide.index = [s if shown.count(s) == 1 else f"{s} ({u})" for s, u in zip(shown, wide.index, strict=True)]
    return wide


def score_grids(cat: IndexCatalog, index: str, lang: str = "zh", synthetic: bool = False) -> list[Grid]:
    """Scores by unit and year with the period mean and its rank; ranks by year."""
    check_lang(lang)
    wide = _wide_scores(cat, index, lang)
    years = [int(y) for y in wide.columns]
    mean = wide.mean(axis=1)
    rank_mean = mean.rank(ascending=False, method="min").astype(int)
    label = cat.index_label(index, lang)
    span = {"first": years[0], "last": years[-1], "index": label}
    unit = _w("region", lang)
    extra = [_w("synthetic", lang)] if synthetic else []
    prefix = "注：" if lang == "zh" else "Note: "
    scores = Grid(
        f"scores_{index}",
        WORDS["scores_title"][lang].format(**span),
        [[(unit, 1), *[(str(y), 1) for y in years], (_w("mean", lang), 1), (_w("rank", lang), 1)]],
        [
            [u, *[f"{v:.4f}" if pd.notna(v) else "" for v in row], f"{mean[u]:.4f}", str(rank_mean[u])]
            for u, row in zip(wide.index, wide.to_numpy(), strict=True)
        ],
        [WORDS["scores_note"][lang], *extra],
        wide.assign(mean=mean, rank=rank_mean).rename_axis("unit").reset_index(),
        prefix,
    )
    ranks = wide.rank(ascending=False, method="min")
    rank_grid = Grid(
        f"ranks_{index}",
        WORDS["ranks_title"][lang].format(**span),
        [[(unit, 1), *[(str(y), 1) for y in years]]],
        [
            [u, *[str(int(v)) if pd.notna(v) else "" for v in row]]
            for u, row in zip(ranks.index, ranks.to_numpy(), strict=True)
        ],
        [WORDS["ranks_note"][lang], *extra],
        ranks.rename_axis("unit").reset_index(),
        prefix,
    )
    return [scores, rank_grid]


def index_grids(
    cat: IndexCatalog, indices: list[str] | None = None, lang: str = "zh", synthetic: bool = False
) -> tuple[list[Grid], list[Grid]]:
    """(indicator-system grids, score and rank grids) of the given indices (default: all)."""
    codes = indices if indices is not None else index_codes(cat)
    systems = [indicator_system_grid(cat, c, lang, synthetic) for c in codes]
    appendix = [g for c in codes for g in score_grids(cat, c, lang, synthetic)]
    return systems, appendix


def write_index_tables(
    warehouse: Path | str | None, out_dir: Path, lang: str = "zh", synthetic: bool = False
) -> dict[str, object]:
    """Every index of the warehouse: each table in every format under out_dir, and all of them in
    out_dir/tables.docx and tables.xlsx."""
    from cipanel.output.regression_tables import write_study_tables

    systems, appendix = index_grids(load_catalog(warehouse), lang=lang, synthetic=synthetic)
    return write_study_tables([*systems, *appendix], out_dir, lang)


def study_indices(cat: IndexCatalog, names: set[str]) -> list[str]:
    """Indices a study uses: index codes among the variables it names (dt, nqp_b, ...)."""
    return [c for c in index_codes(cat) if c in names]


__all__ = [
    "IndexCatalog",
    "index_grids",
    "indicator_system_grid",
    "load_catalog",
    "score_grids",
    "study_indices",
    "write_grid",
    "write_index_tables",
]
