"""What a study states under its tables beyond the spec's own notes, as plain sentences in the
table language (data for the output layer, which renders notes without knowing what they say):
interpolated cells per column, few clusters, weak instruments, degenerate standard errors, and the
regression and index samples when a study sets its own."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cipanel.study.checks import MIN_CLUSTERS, WEAK_INSTRUMENT_F, model_variables


def interpolated_cells(
    complete: pd.DataFrame, model: dict, entity: str, time: str, imputed: pd.DataFrame | None
) -> int | None:
    """Interpolated input cells (distinct unit, year, indicator) behind the column's variables on
    its estimation sample; None when the warehouse does not say (no imputation log)."""
    if imputed is None:
        return None
    if imputed.empty or complete.empty:
        return 0
    lead = int(model.get("lead") or 0)
    pairs = []  # (variable as named in the imputation flags, years ahead of the row)
    for name in model_variables(model):
        if lead and name == model["outcome"] and name.startswith(f"F{lead}_"):
            pairs.append((name[len(f"F{lead}_") :], lead))
        else:
            pairs.append((name, 0))
    keys = complete[[entity, time]].drop_duplicates()
    keys = keys.assign(**{entity: keys[entity].astype(str)})
    flags = imputed.assign(**{entity: imputed[entity].astype(str)})
    found = []
    for variable, ahead in pairs:
        rows = flags[flags["variable"] == variable]
        if rows.empty:
            continue
        shifted = keys.assign(**{time: keys[time] + ahead})
        found.append(shifted.merge(rows, on=[entity, time])[[entity, time, "cell"]])
    if not found:
        return 0
    return len(pd.concat(found).drop_duplicates())


def outside_index_rows(sample: pd.DataFrame, complete: pd.DataFrame) -> tuple[int, int] | None:
    """Rows of units outside the index sample (panel in_sample false: only there when the study
    includes them) that the column's estimation sample used, and that it left out because a
    variable is missing (an index score above all); None when the column has no such rows."""
    from cipanel.study.samples import SAMPLE_FLAG

    if SAMPLE_FLAG not in sample.columns or sample[SAMPLE_FLAG].dtype != bool:
        return None
    before = int((~sample[SAMPLE_FLAG]).sum())
    if not before:
        return None
    used = int((~complete[SAMPLE_FLAG]).sum())
    return used, before - used


def table_notes(columns: list, warned: list[tuple[str, str, Any]], lang: str) -> list[str]:
    zh = lang == "zh"
    notes = []
    outside = [
        (
            c.name,
            int(c.result.diagnostics["n_rows_outside_index_sample_used"]),
            int(c.result.diagnostics["n_rows_outside_index_sample_lost"]),
        )
        for c in columns
        if "n_rows_outside_index_sample_used" in c.result.diagnostics
    ]
    if outside:
        listed = ", ".join(f"{name} {used}/{lost}" for name, used, lost in outside)
        notes.append(
            f"研究纳入的指数样本外单位(无指数得分)的观测, 各列使用/因所需变量(如指数)缺失而未用: {listed}。"
            if zh
            else "Rows of units outside the index sample (included by this study; no index score), used / "
            f"left out for a missing variable such as an index, per column: {listed}."
        )
    counts = [(c.name, c.result.diagnostics.get("n_interpolated_cells")) for c in columns]
    known = [(name, int(n)) for name, n in counts if n is not None and not math.isnan(n)]
    if known:
        listed = ", ".join(f"{name} {n}" for name, n in known)
        notes.append(
            f"各列估计样本所用插值单元格数(含指数成分): {listed}。"
            if zh
            else f"Interpolated cells used by each column's estimation sample (incl. index components): {listed}."
        )
    else:
        notes.append(
            "插值单元格数未知(数据仓库无插值记录)。"
            if zh
            else "Interpolated cells used: not known (the warehouse has no imputation log)."
        )
    for name, kind, detail in warned:
        if kind == "few_clusters":
            notes.append(
                f"警告: 列{name}仅有 {detail} 个聚类(少于 {MIN_CLUSTERS}), 聚类稳健 p 值不可靠, 建议参考野自助法。"
                if zh
                else f"Warning: column {name} has only {detail} clusters (fewer than {MIN_CLUSTERS}); "
                "cluster-robust p-values are unreliable, see a wild cluster bootstrap."
            )
        elif kind == "degenerate_se":
            terms = ", ".join(detail)
            notes.append(
                f"警告: 列{name}中 {terms} 的标准误退化(约为 0 或非有限), 不报告 t 值、p 值与显著性星号。"
                if zh
                else f"Warning: in column {name} the standard error of {terms} is degenerate (about 0 "
                "or not finite); no t statistic, p-value or stars are reported."
            )
        elif kind == "weak_instrument":
            notes.append(
                f"警告: 列{name}可能存在弱工具变量(KP Wald F = {detail:.2f} < {WEAK_INSTRUMENT_F:g})。"
                if zh
                else f"Warning: column {name} may have a weak instrument (Kleibergen-Paap Wald F = "
                f"{detail:.2f} < {WEAK_INSTRUMENT_F:g})."
            )
    return notes


def warning_lines(warned: list[tuple[str, str, Any]]) -> list[str]:
    return [line[len("Warning: ") :] for line in table_notes([], warned, "en")[1:]]


def describe_index_sample(index_sample: dict | None, lang: str) -> str:
    zh = lang == "zh"
    if not index_sample:
        return "未知" if zh else "not known"
    out = ", ".join(index_sample["out"])
    if zh:
        return f"参考数据中样本内的 {index_sample['n_in']} 个单位" + (f"(样本外: {out})" if out else "")
    return f"the {index_sample['n_in']} in-sample units of the reference data" + (f" (out: {out})" if out else "")


def sample_note(description: str, lang: str) -> str:
    return (
        f"回归样本(本研究设定): {description}。"
        if lang == "zh"
        else f"Regression sample (set by this study): {description}."
    )


def index_note(description: str, lang: str) -> str:
    return (
        f"指数样本(按目录, 不随研究改变): {description}。"
        if lang == "zh"
        else f"Index sample (as the catalog says, unchanged by the study): {description}."
    )
