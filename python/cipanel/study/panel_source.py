"""What a study reads from the warehouse: the panel relation named by the spec (checked to be a
table or view, read with quoted identifiers), unit flags for sample rules, the index sample, and
which cells were interpolated. Every read goes through `cipanel.warehouse.connect` (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cipanel.study.errors import StudyError
from cipanel.study.spec import StudySpec
from cipanel.warehouse import connect, warehouse_path

if TYPE_CHECKING:
    import duckdb

DIM_UNITS = ("marts", "dim_units")
IMPUTATION_LOG = ("audit", "audit_imputation_log")


@dataclass
class PanelInputs:
    frame: pd.DataFrame
    # one row per (entity, time, variable, cell): the panel variable uses the interpolated input
    # cell `cell` at that unit-year; None when the warehouse has no imputation log
    imputed: pd.DataFrame | None = None
    # the units the indices are computed on: {"n_in": 30, "out": ["540000"]}; None if unknown
    index_sample: dict | None = None


def _relations(con) -> dict[tuple[str, str], str]:
    rows = con.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_catalog = current_database()"
    ).fetchall()
    return {(s.lower(), t.lower()): kind for s, t, kind in rows}


def _columns(con, schema: str, table: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and lower(table_schema) = ? and lower(table_name) = ?",
        [schema.lower(), table.lower()],
    ).fetchall()
    return {name: kind for name, kind in rows}


def _quoted(schema: str, table: str) -> str:
    # both parts matched spec.RELATION / IDENTIFIER (letters, digits, _), so quoting is exact
    return f'"{schema}"."{table}"'


def read_panel(spec: StudySpec, warehouse: Path | str | None = None) -> PanelInputs:
    schema, table = spec.panel["relation"].split(".")
    with connect(warehouse) as con:
        relations = _relations(con)
        if (schema.lower(), table.lower()) not in relations:
            names = sorted(f"{s}.{t}" for s, t in relations if s in ("marts", "main"))
            raise StudyError(
                f"{spec.key('panel.relation')}: {spec.panel['relation']!r} is not a table or view of the warehouse "
                f"{warehouse_path(warehouse)} (tables there: {', '.join(names[:20]) or 'none'})"
            )
        # a fixed row order: the estimates' last bits and the study cache's content hash follow it
        present = {c.lower() for c in _columns(con, schema, table)}
        keys = [c for c in (spec.panel["entity"], spec.panel["time"]) if c.lower() in present]
        order = (" order by " + ", ".join(f'"{c}"' for c in keys)) if keys else ""
        frame = con.execute(f"select * from {_quoted(schema, table)}{order}").df()
        flags = [f for f in (spec.panel.get("units") or {}).get("exclude_flags", []) if f not in frame.columns]
        if flags:
            frame = _join_unit_flags(con, relations, frame, flags, spec)
        imputed = read_imputation_flags(con, relations, spec.panel["entity"], spec.panel["time"])
        index_sample = _index_sample(con, relations)
    return PanelInputs(frame, imputed, index_sample)


def _join_unit_flags(con, relations, frame: pd.DataFrame, flags: list[str], spec: StudySpec) -> pd.DataFrame:
    """Boolean unit attributes of marts.dim_units (is_municipality, ...) for panel.units.exclude_flags."""
    where = spec.key("panel.units.exclude_flags")
    if DIM_UNITS not in relations:
        raise StudyError(
            f"{where}: {flags[0]!r} is neither a column of {spec.panel['relation']} nor of "
            "marts.dim_units (the warehouse has no marts.dim_units)"
        )
    columns = _columns(con, *DIM_UNITS)
    for flag in flags:
        if flag not in columns:
            booleans = sorted(c for c, kind in columns.items() if kind == "BOOLEAN")
            raise StudyError(
                f"{where}: {flag!r} is not a column of {spec.panel['relation']} or marts.dim_units "
                f"(boolean columns of marts.dim_units: {', '.join(booleans)})"
            )
        if columns[flag] != "BOOLEAN":
            raise StudyError(f"{where}: marts.dim_units.{flag} is {columns[flag]}, not a true/false flag")
    selected = ", ".join(f'"{f}"' for f in flags)
    units = con.execute(f"select unit_code, {selected} from {_quoted(*DIM_UNITS)} order by unit_code").df()
    entity = spec.panel["entity"]
    units = units.rename(columns={"unit_code": "_unit"})
    merged = frame.assign(_unit=frame[entity].astype(str)).merge(units, on="_unit", how="left")
    return merged.drop(columns="_unit")


def read_imputation_flags(
    con: duckdb.DuckDBPyConnection, relations: set[tuple[str, str]], entity: str = "unit_code", time: str = "year"
) -> pd.DataFrame | None:
    """Which panel cells rest on interpolated values: the one place the runner learns about
    imputation, so a change of the SQL side changes only this function.

    Reads audit.audit_imputation_log (unit_code, year, indicator_code where value_status =
    'interpolated'), marts.dim_indicators (index_code, dimension_code of each indicator) and the
    methods in marts.fct_index_scores. A raw indicator variable uses its own cell; an index score
    (<index>, <index>_<method>) uses the cells of all its components at that unit-year, a
    dimension score (<index>_<dimension>) those of its dimension. Variables derived in SQL (logs,
    isu, the shift-share instrument) are not traced here and count as not interpolated."""
    if IMPUTATION_LOG not in relations:
        return None
    cells = con.execute(
        f"select unit_code, year, indicator_code from {_quoted(*IMPUTATION_LOG)} where value_status = 'interpolated' "
        "order by unit_code, year, indicator_code"
    ).df()
    rows = [cells.assign(variable=cells.indicator_code)]
    if ("marts", "dim_indicators") in relations and ("marts", "fct_index_scores") in relations and len(cells):
        catalog = con.execute(
            "select indicator_code, index_code, dimension_code from marts.dim_indicators "
            "where coalesce(index_code, '') <> '' order by indicator_code"
        ).df()
        methods = [
            m for (m,) in con.execute("select distinct method from marts.fct_index_scores order by method").fetchall()
        ]
        names = []
        for row in catalog.itertuples(index=False):
            names.append((row.indicator_code, row.index_code))
            names.append((row.indicator_code, f"{row.index_code}_{row.dimension_code}"))
            names.extend((row.indicator_code, f"{row.index_code}_{m}") for m in methods if m != "entropy")
        uses = pd.DataFrame(names, columns=["indicator_code", "variable"]).drop_duplicates()
        rows.append(cells.merge(uses, on="indicator_code"))
    imputed = pd.concat(rows, ignore_index=True)
    return imputed.rename(columns={"unit_code": entity, "year": time, "indicator_code": "cell"})[
        [entity, time, "variable", "cell"]
    ]


def _index_sample(con, relations) -> dict | None:
    """The units the indices are computed on: the reference data's in-sample units
    (marts.dim_units.in_sample); study sample rules never change it."""
    columns = _columns(con, *DIM_UNITS) if DIM_UNITS in relations else {}
    if "in_sample" not in columns:
        return None
    # the national total is a unit of the reference data for national series, never of a sample
    units = "unit_type is distinct from 'nation'" if "unit_type" in columns else "true"
    rows = con.execute(
        f"select unit_code, in_sample from {_quoted(*DIM_UNITS)} where {units} order by unit_code"
    ).fetchall()
    return {"n_in": sum(bool(flag) for _, flag in rows), "out": [code for code, flag in rows if not flag]}
