"""Notes under a regression table that stay true whatever its columns mix: one line per
standard-error type naming its columns, cluster counts per column when they differ, a warning for
columns with fewer than MIN_CLUSTERS clusters, one line per R² label with its definition, and the
Stock-Yogo critical values beside the Cragg-Donald F. And the words for what study code returns as
facts (cipanel.study.tables.Note, UnitSample, an IV column's role): the notes, column headers and
results.* text columns in Chinese or English, so study code holds no language."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cipanel.output.labels import check_lang, definition, fixed
from cipanel.output.stock_yogo import SOURCE, critical_values
from cipanel.study.samples import SAMPLE_FLAG, UnitSample
from cipanel.study.tables import MIN_CLUSTERS, DescriptiveTable, ModelColumn, Note, RegressionTable

if TYPE_CHECKING:
    from cipanel.study.results import RunText
    from cipanel.study.runner import StudyRun


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


# ---------------------------------------------------------------- facts of the study, in words


def describe_units(sample: UnitSample, lang: str) -> str:
    """The regression sample of a study's unit rules, e.g. "37 units; excluded 110000"."""
    codes = ", ".join
    parts = [fixed("sample_units", lang).format(n=sample.n_units)]
    if sample.included:
        parts.append(fixed("sample_included", lang).format(codes=codes(sample.included)))
    if sample.outside_index:
        rows = codes(fixed("sample_panel_rows", lang).format(code=c, n=n) for c, n in sample.outside_index.items())
        parts.append(fixed("sample_outside_index", lang).format(listed=rows))
    if sample.excluded:
        parts.append(fixed("sample_excluded", lang).format(codes=codes(sample.excluded)))
    for flag, flagged in sample.excluded_by_flag.items():
        listed = codes(flagged) if flagged else fixed("sample_none", lang)
        parts.append(fixed("sample_excluded_by_flag", lang).format(flag=flag, n=len(flagged), codes=listed))
    if sample.out_by_panel_flag:
        parts.append(
            fixed("sample_out_by_panel_flag", lang).format(flag=SAMPLE_FLAG, codes=codes(sample.out_by_panel_flag))
        )
    return fixed("sample_separator", lang).join(parts)


def describe_index_sample(index_sample: dict | None, lang: str) -> str:
    """The units the indices were computed on (cipanel.study.panel_source's n_in / out)."""
    if not index_sample:
        return fixed("not_known", lang)
    out = ", ".join(index_sample["out"])
    text = fixed("index_sample_units", lang).format(n=index_sample["n_in"])
    return text + (fixed("index_sample_out", lang).format(codes=out) if out else "")


def note_text(note: str | Note, lang: str) -> str:
    """One note under a table: a spec's own text as it is, a study's Note in `lang`."""
    if isinstance(note, str):
        return note
    v = note.values
    if note.kind == "outside_index_rows":
        listed = ", ".join(f"{name} {used}/{lost}" for name, used, lost in v["columns"])
        return fixed("note_outside_index_rows", lang).format(listed=listed)
    if note.kind == "interpolated_cells":
        if not v["columns"]:
            return fixed("note_interpolated_unknown", lang)
        listed = ", ".join(f"{name} {n}" for name, n in v["columns"])
        return fixed("note_interpolated_cells", lang).format(listed=listed)
    if note.kind == "degenerate_se":
        return fixed("note_warn_degenerate_se", lang).format(column=v["column"], terms=", ".join(v["terms"]))
    if note.kind in ("few_clusters", "weak_instrument"):
        return fixed(f"note_warn_{note.kind}", lang).format(**v)
    if note.kind == "regression_sample":
        return fixed("note_regression_sample", lang).format(description=describe_units(v["sample"], lang))
    if note.kind == "index_sample":
        return fixed("note_index_sample", lang).format(description=describe_index_sample(v["index_sample"], lang))
    raise ValueError(f"no wording for a study note of kind {note.kind!r}")


def table_notes(table: RegressionTable | DescriptiveTable, lang: str) -> list[str]:
    """The study's notes under `table` in `lang`, in the order the study gave them."""
    check_lang(lang)
    return [note_text(n, lang) for n in table.notes]


def column_title(column: ModelColumn, lang: str) -> str:
    """A column's header: the spec's title, else the IV stage ("First stage") its role says."""
    if column.title or column.role not in ("iv_first", "iv_second"):
        return column.title
    return fixed(column.role, lang)


def warning_lines(run: StudyRun) -> list[str]:
    """The run's column warnings as the terminal and results.runs show them (English):
    "study: table t3: column (2) has only 5 clusters ..."."""
    return [
        f"{run.spec.study}: table {table_id}: {note_text(n, 'en').removeprefix('Warning: ')}"
        for table_id, n in run.warnings
    ]


def run_text(run: StudyRun) -> RunText:
    """The text columns of results.* for `run`: column headers in the run's language (as the
    tables print them), the samples and warnings in English (as SQL users have always read them)."""
    from cipanel.study.results import RunText  # the results writer pulls in the runner: only when storing

    titles = {
        (t.table_id, c.name): column_title(c, run.lang)
        for t in run.tables
        if isinstance(t, RegressionTable)
        for c in t.columns
    }
    units = describe_units(run.regression_sample, "en") if run.regression_sample is not None else ""
    return RunText(titles, units, describe_index_sample(run.index_sample, "en"), warning_lines(run))
