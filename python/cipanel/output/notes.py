"""Notes under a regression table that stay true whatever its columns mix: one line per
standard-error type naming its columns, cluster counts per column when they differ, a warning for
columns with fewer than MIN_CLUSTERS clusters, one line per R² label with its definition, and the
Stock-Yogo critical values beside the Cragg-Donald F."""

from __future__ import annotations

import re

from cipanel.output.labels import check_lang, definition, fixed
from cipanel.output.stock_yogo import SOURCE, critical_values
from cipanel.study.tables import MIN_CLUSTERS, ModelColumn, RegressionTable


def _names(cols: list[ModelColumn], lang: str) -> str:
    """(1)–(4) for a run of consecutive columns, else (1)、(3) (English: (1), (3))."""
    nums = [int(m.group(1)) if (m := re.fullmatch(r"\((\d+)\)", c.name)) else None for c in cols]
    if None not in nums and len(nums) > 1 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"{cols[0].name}–{cols[-1].name}"
    return ("、" if lang == "zh" else ", ").join(c.name for c in cols)


def _cols_text(cols: list[ModelColumn], lang: str) -> str:
    names = _names(cols, lang)
    return f"列{names}" if lang == "zh" else f"column{'s' if len(cols) > 1 else ''} {names}"


def _clustered(col: ModelColumn) -> bool:
    return bool(col.result.n_clusters) and col.result.cov_type not in ("driscoll_kraay", "robust", "unadjusted")


def few_cluster_columns(table: RegressionTable) -> list[str]:
    """Names of the columns whose cluster-robust inference rests on fewer than MIN_CLUSTERS clusters."""
    return table.few_clusters


def se_notes(cols: list[ModelColumn], lang: str) -> list[str]:
    check_lang(lang)
    by_type: dict[str, list[ModelColumn]] = {}
    for c in cols:
        if c.result.cov_type:
            by_type.setdefault(c.result.cov_type, []).append(c)
    notes = []
    for cov, members in by_type.items():
        text = definition(cov, lang)
        if len(by_type) > 1 or len(members) < len(cols):
            text += f"（{_cols_text(members, lang)}）" if lang == "zh" else f" ({_cols_text(members, lang)})"
        counts = [c.result.n_clusters for c in members if _clustered(c)]
        if counts and len(set(counts)) == 1:
            text += fixed("note_clusters", lang).format(n=counts[0])
        elif counts:
            per = ("，" if lang == "zh" else ", ").join(
                f"{c.name} {c.result.n_clusters}" for c in members if _clustered(c)
            )
            text += fixed("note_clusters_per", lang).format(per=per)
        notes.append(fixed("note_cov", lang).format(cov=text))
    for c in cols:
        if _clustered(c) and c.result.n_clusters < MIN_CLUSTERS:
            df = c.result.df_inference
            notes.append(
                fixed("note_few_clusters", lang).format(
                    col=c.name,
                    n=c.result.n_clusters,
                    min=MIN_CLUSTERS,
                    df=f"t({df:g})" if df else ("t 分布" if lang == "zh" else "t"),
                )
            )
    return notes


def r2_notes(cols: list[ModelColumn], shorts: dict[int, str], lang: str) -> list[str]:
    """One line per printed R² label: its definition, or each column's when they differ."""
    notes = []
    for short in dict.fromkeys(shorts.values()):
        members = [(cols[i], cols[i].result.r_squared_label) for i, s in shorts.items() if s == short]
        raws = list(dict.fromkeys(raw for _, raw in members if raw))
        if not raws or raws == ["R2"]:
            continue
        if len(raws) == 1:
            notes.append(fixed("note_r2", lang).format(label=short, raw=definition(raws[0], lang)))
            continue
        sep = "；" if lang == "zh" else "; "
        parts = sep.join(
            fixed("note_r2_part", lang).format(
                cols=_cols_text([c for c, r in members if r == raw], lang), raw=definition(raw, lang)
            )
            for raw in raws
        )
        notes.append(fixed("note_r2_mixed", lang).format(label=short, parts=parts))
    return notes


def _instruments(table: RegressionTable) -> int | None:
    """Excluded instruments of the table's 2SLS column (one endogenous regressor, as the runner fits)."""
    for c in table.columns:
        d = c.result.diagnostics
        if "cd_wald_f" in d:
            k = sum(1 for key in d if key.startswith("first_stage_coef_"))
            return k or None
    return None


def stock_yogo_rows(table: RegressionTable, lang: str) -> list[list[str]]:
    cv = critical_values(_instruments(table) or 0)
    if cv is None:
        return []
    first = next((i for i, c in enumerate(table.columns) if "cd_wald_f" in c.extra_rows), 0)
    rows = []
    for size, value in cv.items():
        cells = [""] * len(table.columns)
        cells[first] = f"{value:.2f}"
        rows.append([fixed("stock_yogo_row", lang).format(size=size), *cells])
    return rows


def stock_yogo_note(table: RegressionTable, lang: str) -> list[str]:
    k = _instruments(table)
    if critical_values(k or 0) is None:
        return [fixed("stock_yogo_missing", lang).format(k=k if k else "?")]
    return [fixed("stock_yogo_note", lang).format(k=k, source=SOURCE)]
