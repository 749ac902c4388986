"""The build summary printed at the end of every build: what was read, used, rejected (why, with
examples), interpolated, and the window of every index. Read from the audit tables, so it says
exactly what the warehouse holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from cipanel.build import BuildPlan

# reasons of audit_rejected_rows grouped into kinds (the reason itself names the unit, value, ...)
REASON_KINDS = [
    ("duplicate unit-year-indicator", "duplicate unit-year-indicator"),
    ("unknown unit", "unknown unit"),
    ("ambiguous unit name", "ambiguous unit name"),
    ("unknown indicator", "unknown indicator (not in catalog/indicator_catalog.csv)"),
    ("ambiguous indicator label", "ambiguous indicator label"),
    ("invalid year", "invalid year"),
    ("outside the window", "year outside the panel or indicator window"),
    ("national indicator", "national indicator given for a unit"),
    ("national total given", "national total given for a unit-level indicator"),
    ("is not in the sample of the indices", "index component of a unit outside the index sample"),
    ("non-numeric value", "non-numeric value"),
    ("non-finite value", "non-finite value"),
]


def reason_kind(reason: str) -> str:
    for needle, kind in REASON_KINDS:
        if needle in reason:
            return kind
    return re.sub(r"\s+", " ", reason)[:80]


@dataclass
class BuildSummary:
    window: str
    files: pd.DataFrame
    rejected: pd.DataFrame
    examples: pd.DataFrame
    interpolation: pd.DataFrame
    indices: pd.DataFrame
    normalised_codes: int
    units_in_sample: int
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # units in marts.fct_panel outside the index sample (standalone values only; studies include them)
    units_outside_index: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            "build summary",
            f"  panel years {self.window}; {self.units_in_sample} units in the sample "
            "(of the indices, and of the regressions unless a study sets its own)",
        ]
        if self.units_outside_index:
            lines.append(
                f"  {len(self.units_outside_index)} unit(s) outside the index sample with standalone values in the "
                f"panel (no index score; a study takes them in with panel.units.include): "
                + ", ".join(self.units_outside_index)
            )
        lines.append("  rows per input file (read = accepted + rejected):")
        for r in self.files.itertuples():
            not_read = (
                f" ({r.rows_not_read} of them cells or rows the landing could not read as values)"
                if r.rows_not_read
                else ""
            )
            outside = getattr(r, "rows_accepted_outside_index_sample", 0) or 0
            accepted_outside = (
                f" ({outside} of them for units outside the index sample: panel only, no index)" if outside else ""
            )
            lines.append(
                f"    {r.source_file}: {r.rows_landed} read, {r.rows_accepted} accepted{accepted_outside}, "
                f"{r.rows_rejected} rejected" + not_read
            )
        if self.normalised_codes:
            lines.append(
                f"  {self.normalised_codes} unit codes written as decimals (e.g. 410032.0) read as whole numbers"
            )
        if len(self.interpolation):
            lines.append(
                "  cells per variable that were not observed (interpolated / left empty by policy / "
                "before the first or after the last observation):"
            )
            for r in self.interpolation.itertuples():
                lines.append(
                    f"    {r.indicator_code}: {r.interpolated} interpolated, {r.not_interpolated} left empty "
                    f"by policy, {r.missing} not fillable"
                )
        else:
            lines.append("  no cell interpolated or missing")
        if len(self.indices):
            lines.append("  index windows (the years the weights were estimated on):")
            for r in self.indices.itertuples():
                lines.append(f"    {r.index_code}: {r.window}")
        else:
            lines.append("  no composite index (plain panel)")
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def build_summary(warehouse: Path | str, plan: BuildPlan | None = None) -> BuildSummary:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        q = lambda sql: con.execute(sql).df()  # noqa: E731
        files = q(
            "select source_file, rows_landed, rows_accepted, rows_accepted_outside_index_sample, rows_rejected, "
            "rows_not_read "
            "from audit.audit_row_accounting order by source_file"
        )
        rejected = q(
            "select source_file, source_sheet, source_row, source_column, rejection_reason "
            "from audit.audit_rejected_rows order by source_file, source_sheet, source_row"
        )
        interpolation = q("""
            select indicator_code,
                   count(*) filter (where value_status = 'interpolated') as interpolated,
                   count(*) filter (where value_status = 'not_interpolated') as not_interpolated,
                   count(*) filter (where value_status in ('missing_leading', 'missing_trailing', 'no_observation'))
                       as missing
            from audit.audit_imputation_log group by indicator_code order by indicator_code""")
        indices = q("""
            select i.index_code, i.weighting,
                   min(w.window_start) as window_start, max(w.window_end) as window_end,
                   count(distinct w.indicator_code) as n_components
            from staging.stg_catalog__indices as i
            left join marts.fct_indicator_weights as w on w.index_code = i.index_code and w.method = 'entropy'
            group by all order by i.index_code""")
        normalised = int(
            con.execute("select count(*) from staging.stg_raw__indicator_values where unit_code_normalised").fetchone()[
                0
            ]
        )
        units = int(con.execute("select count(*) from marts.dim_units where in_sample").fetchone()[0])
        outside = [
            code
            for (code,) in con.execute(
                "select distinct unit_code from marts.fct_panel where not in_sample order by unit_code"
            ).fetchall()
        ]
        from cipanel.build_checks import build_warnings

        named_warnings = build_warnings(con)  # constant indicators, index windows, series without values
    finally:
        con.close()
    warnings = []
    if len(rejected):
        rejected["kind"] = rejected["rejection_reason"].map(reason_kind)
        for kind, group in rejected.groupby("kind", sort=False):
            first = group.iloc[0]
            where = ", ".join(
                str(x)
                for x in (first.source_file, first.source_sheet or None, f"row {first.source_row}", first.source_column)
                if x
            )
            warnings.append(
                f"{len(group)} input rows rejected: {kind}; first: {where}: {first.rejection_reason}"
                + (f" (and {len(group) - 1} more in audit.audit_rejected_rows)" if len(group) > 1 else "")
            )
    index_rows = []
    for r in indices.itertuples():
        if r.n_components == 0 or pd.isna(r.window_start):
            index_rows.append({"index_code": r.index_code, "window": "no components: no scores"})
            warnings.append(f"index {r.index_code} has no components with weights: it has no scores")
        else:
            index_rows.append(
                {
                    "index_code": r.index_code,
                    "window": f"{int(r.window_start)}-{int(r.window_end)} ({r.weighting}, {r.n_components} components)",
                }
            )
    for r in interpolation.itertuples():
        if r.not_interpolated:
            warnings.append(
                f"{r.indicator_code}: {r.not_interpolated} gaps between observed years left empty by "
                "the interpolation policy (regressions using it lose those unit-years)"
            )
    warnings.extend(named_warnings)
    window = f"{plan.first_year}-{plan.last_year} ({plan.window_source})" if plan else "as built"
    return BuildSummary(
        window,
        files,
        rejected.groupby("kind").size().rename("rows").reset_index() if len(rejected) else rejected,
        rejected.head(5),
        interpolation,
        pd.DataFrame(index_rows, columns=["index_code", "window"]),
        normalised,
        units,
        notes=list(plan.notes) if plan else [],
        warnings=warnings,
        units_outside_index=outside,
    )
