"""The duplicate rule of int_indicator_values_validated against an independent pandas computation.

A small SYNTHETIC project (synthetic_cases.write_case) gets a second value file with copies of
some of its rows: exact copies, copies spelling the unit by its Chinese or English name, a triple,
a copy that is a missing marker, and copies that are unusable for another reason (non-numeric,
unknown unit, year outside the window), which must not count. pandas resolves the landed rows with
the same rules (unit by code or name, year, window, value) and counts the usable rows per (unit,
indicator, year); every row's rejection reason in the warehouse must match: 'duplicate
unit-year-indicator (n rows)' exactly for usable rows whose key n > 1 usable rows share, null for
the other usable rows, and its own (non-duplicate) reason for an unusable row. One build for the
module.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from synthetic_cases import FIRST_YEAR, write_case
from warehouse_build import build, query

N_UNITS, N_YEARS = 4, 5
MISSING_MARKERS = {"", "NA", "N/A", "na", "NaN", "..", "...", "…", "—", "-", "--"}
DUPLICATE_ROWS = [  # (unit as written, year, indicator, value): SYNTHETIC copies of rows of values.csv,
    # inner years only: a rejected cell is interpolated from its neighbours (the index needs it)
    ("U00", "2015", "i0_0", "1.5"),  # exact key of a values.csv row: 2 rows
    ("单位U01", "2015", "i0_1", "2.5"),  # the unit by its full Chinese name: 2 rows
    ("U02", "2016", "i0_2", "3.5"),  # with the next two rows: 3 rows
    ("Unit U02", "2016", "i0_2", "3.5"),  # by its English name (matched without spaces and case)
    ("U03", "2017", "i0_3", "NA"),  # a missing marker is a usable row: 2 rows
    ("U00", "2016", "i0_0", "abc"),  # non-numeric: rejected for that, the original stays accepted
    ("U99", "2016", "i0_1", "1"),  # unknown unit: not counted
    ("U01", "2030", "i0_1", "1"),  # outside the window: not counted
    ("单U03", "2016", "i0_0", "4.5"),  # the short name: 2 rows
]


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("duplicates")
    rng = np.random.default_rng(11)
    case = {
        "weighting": "pooled",
        "shift": 0.0001,
        "score_basis": "z_shifted",
        "directions": ["+", "+", "-", "+"],
        "x": rng.uniform(1.0, 10.0, size=(N_UNITS * N_YEARS, 4)),
    }
    project, inputs, _ = write_case(tmp, N_UNITS, N_YEARS, [case])
    pd.DataFrame(DUPLICATE_ROWS, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        inputs / "copies.csv", index=False
    )
    warehouse = tmp / "duplicates.duckdb"
    build(project, warehouse, inputs)
    rows = query(
        warehouse,
        "select source_file, source_row, rejection_reason from intermediate.int_indicator_values_validated",
    )
    accounting = query(warehouse, "select * from audit.audit_row_accounting")
    return inputs, project, rows, accounting


def pandas_reasons(inputs, project) -> pd.DataFrame:
    """Each landed row: usable (bool) and, if usable, the duplicate rule's reason, in pandas."""
    units = pd.read_csv(project / "reference" / "units.csv", dtype=str)
    unit_of = {}
    for column in ("unit_code", "name_zh", "short_name_zh"):
        unit_of.update(zip(units[column].str.lower(), units.unit_code))
    unit_of.update(zip(units.name_en.str.replace(r"\s", "", regex=True).str.lower(), units.unit_code))
    indicators = set(pd.read_csv(project / "catalog" / "indicator_catalog.csv", dtype=str).indicator_code)
    frames = []
    for name in ("values.csv", "copies.csv"):
        frame = pd.read_csv(inputs / name, dtype=str, keep_default_na=False)
        frame.insert(0, "source_row", range(2, len(frame) + 2))  # line 1 is the header
        frame.insert(0, "source_file", name)
        frames.append(frame)
    landed = pd.concat(frames, ignore_index=True)

    def usable(row) -> bool:
        if re.sub(r"\s", "", row.unit_code).lower() not in unit_of or row.indicator_code not in indicators:
            return False
        if not re.fullmatch(r"[0-9]{4}", row.year) or not FIRST_YEAR <= int(row.year) < FIRST_YEAR + N_YEARS:
            return False
        if row.value.strip() in MISSING_MARKERS:
            return True
        try:
            return math.isfinite(float(row.value))
        except ValueError:
            return False

    landed["usable"] = landed.apply(usable, axis=1)
    landed["unit"] = [unit_of.get(re.sub(r"\s", "", u).lower()) for u in landed.unit_code]
    keys = ["unit", "indicator_code", "year"]
    landed["n_usable"] = landed.groupby(keys)["usable"].transform("sum")
    landed["expected"] = [
        f"duplicate unit-year-indicator ({int(n)} rows)" if ok and n > 1 else None
        for ok, n in zip(landed.usable, landed.n_usable)
    ]
    return landed


def test_every_rows_duplicate_verdict_matches_pandas(validated):
    inputs, project, rows, _ = validated
    expected = pandas_reasons(inputs, project)
    both = expected.merge(rows, on=["source_file", "source_row"], how="outer", indicator=True)
    assert (both._merge == "both").all(), both[both._merge != "both"]
    usable = both[both.usable]
    assert usable.rejection_reason.fillna("accepted").tolist() == usable.expected.fillna("accepted").tolist()
    unusable = both[~both.usable]
    assert unusable.rejection_reason.notna().all()
    assert not unusable.rejection_reason.str.startswith("duplicate").any(), unusable
    # the cases the input was written for are all there: 2, 2, 3, 2 (marker) and 2 (short name) copies
    counts = usable.expected.dropna().value_counts().to_dict()
    assert counts == {"duplicate unit-year-indicator (2 rows)": 8, "duplicate unit-year-indicator (3 rows)": 3}
    assert len(unusable) == 3


def test_row_accounting_balances_with_the_duplicates(validated):
    _, _, rows, accounting = validated
    assert (accounting.rows_landed == accounting.rows_accepted + accounting.rows_rejected).all()
    assert accounting.rows_landed.sum() == len(rows)
    assert accounting.rows_rejected.sum() == rows.rejection_reason.notna().sum() == 11 + 3
