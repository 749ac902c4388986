"""What a study states under its tables beyond the spec's own notes, as facts (cipanel.study.
tables.Note) the output layer words in Chinese or English: interpolated cells per column, few
clusters, weak instruments, degenerate standard errors, and the regression and index samples when
a study sets its own."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from cipanel.study.checks import MIN_CLUSTERS, WEAK_INSTRUMENT_F, model_variables
from cipanel.study.tables import Note

if TYPE_CHECKING:
    from cipanel.study.samples import UnitSample


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


def table_facts(columns: list, warned: list[Note]) -> list[Note]:
    """The facts every regression table states after the spec's own notes, in print order: rows
    of units outside the index sample per column (when any), interpolated cells per column (an
    empty list: not known), then the column warnings (few clusters, degenerate SE, weak IV)."""
    facts = []
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
        facts.append(Note("outside_index_rows", {"columns": outside}))
    counts = [(c.name, c.result.diagnostics.get("n_interpolated_cells")) for c in columns]
    known = [(name, int(n)) for name, n in counts if n is not None and not math.isnan(n)]
    facts.append(Note("interpolated_cells", {"columns": known}))
    return [*facts, *warned]


def few_clusters(column: str, n: int) -> Note:
    return Note("few_clusters", {"column": column, "n": int(n), "min": MIN_CLUSTERS})


def degenerate_se(column: str, terms: list[str]) -> Note:
    return Note("degenerate_se", {"column": column, "terms": list(terms)})


def weak_instrument(column: str, f: float) -> Note:
    return Note("weak_instrument", {"column": column, "f": float(f), "threshold": WEAK_INSTRUMENT_F})


def sample_facts(units: UnitSample, index_sample: dict | None) -> tuple[Note, Note]:
    """The regression sample (a UnitSample) and the index sample, stated under every table of a
    study that sets its own sample."""
    return Note("regression_sample", {"sample": units}), Note("index_sample", {"index_sample": index_sample})
