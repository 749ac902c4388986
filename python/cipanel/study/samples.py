"""Sample rules of a study (`panel.units`): which units enter its regressions, decided in the spec
and never by editing the reference data. The indices keep their own sample (the reference data's
in-sample units); both samples are stated in the table notes and in results.runs.

    panel:
      units:
        include: ["540000"]          # units the panel marks out of the regression sample, brought in
        exclude: ["110000"]          # units left out of the regressions
        exclude_flags: [is_municipality]   # boolean columns of marts.dim_units (or of the panel)

An explicitly included unit stays in even when one of its flags would exclude it.
If the panel has a boolean column `in_sample` (SAMPLE_FLAG), its false rows are out of the default
regression sample and `include` brings units back. marts.fct_panel has it: the index sample, plus
each unit outside it for which the data hold a standalone variable (its index columns are empty, so
a regression on an index cannot use its rows; the notes count them per column). A unit outside the
index sample without any value has no rows, and including it is an error that says so.
A UnitSample is worded by the output layer (cipanel.output.notes.describe_units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cipanel.study.errors import StudyError
from cipanel.study.spec import StudySpec

SAMPLE_FLAG = "in_sample"


@dataclass
class UnitSample:
    n_units: int
    included: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    excluded_by_flag: dict[str, list[str]] = field(default_factory=dict)
    out_by_panel_flag: list[str] = field(default_factory=list)
    # included units the panel marks outside the index sample, with their rows in the panel
    outside_index: dict[str, int] = field(default_factory=dict)

    @property
    def has_rules(self) -> bool:
        return bool(self.included or self.excluded or self.excluded_by_flag)


def apply_unit_rules(panel: pd.DataFrame, spec: StudySpec) -> tuple[pd.DataFrame, UnitSample]:
    entity = spec.panel["entity"]
    rules = spec.panel.get("units") or {}
    codes = panel[entity].astype(str)
    present = set(codes)
    for key in ("include", "exclude"):
        unknown = [c for c in rules.get(key, []) if c not in present]
        if unknown:
            hint = (
                ": check the code; a unit outside the index sample is in marts.fct_panel only when the data hold "
                "a value of a standalone variable for it (add its values to the project's data folder and rebuild; "
                "its index components never enter an index)"
                if key == "include"
                else ": a typo, or a unit already out of the panel (there is nothing to exclude)"
            )
            raise StudyError(
                f"{spec.key(f'panel.units.{key}')}: unit {unknown[0]!r} has no rows in {spec.panel['relation']}{hint}"
            )
    keep = pd.Series(True, index=panel.index)
    sample = UnitSample(n_units=0)
    if SAMPLE_FLAG in panel.columns and panel[SAMPLE_FLAG].dtype == bool:
        out = ~panel[SAMPLE_FLAG] & ~codes.isin(rules.get("include", []))
        sample.out_by_panel_flag = sorted(set(codes[out]))
        keep &= ~out
        brought = ~panel[SAMPLE_FLAG] & codes.isin(rules.get("include", []))
        sample.outside_index = {code: int(n) for code, n in codes[brought].value_counts().sort_index().items()}
    sample.included = list(rules.get("include", []))
    sample.excluded = list(rules.get("exclude", []))
    keep &= ~codes.isin(sample.excluded)
    for flag in rules.get("exclude_flags", []):
        if flag not in panel.columns:
            raise StudyError(f"{spec.key('panel.units.exclude_flags')}: {flag!r} is not a column of the panel")
        values = panel[flag]
        if values.isna().any():
            bad = sorted(set(codes[values.isna()]))
            raise StudyError(
                f"{spec.key('panel.units.exclude_flags')}: {flag} is missing for unit(s) "
                f"{', '.join(bad[:5])}; set it in the reference data"
            )
        if not values.isin([True, False]).all():
            raise StudyError(f"{spec.key('panel.units.exclude_flags')}: {flag} is not a true/false column")
        varying = values.astype(bool).groupby(codes).nunique()
        if (varying > 1).any():
            raise StudyError(
                f"{spec.key('panel.units.exclude_flags')}: {flag} changes over time within unit "
                f"{varying[varying > 1].index[0]}; a unit flag must be constant"
            )
        flagged = values.astype(bool) & ~codes.isin(sample.included)
        sample.excluded_by_flag[flag] = sorted(set(codes[flagged]))
        keep &= ~flagged
    frame = panel[keep.to_numpy()]
    sample.n_units = int(frame[entity].nunique())
    if frame.empty:
        raise StudyError(f"{spec.key('panel.units')}: the sample rules leave no unit for the regressions")
    return frame, sample
