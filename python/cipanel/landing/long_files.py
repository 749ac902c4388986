"""Long inputs: one row per (unit, year, indicator, value)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

# Accepted header spellings for each required column (first match wins).
HEADER_ALIASES = {
    "unit": ("unit_code", "unit", "province", "地区", "省份"),
    "year": ("year", "年份"),
    "indicator": ("indicator_code", "indicator", "指标"),
    "value": ("value", "数值", "值"),
}


def _locate_columns(path: Path, header: list[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found = {}
    for role, aliases in HEADER_ALIASES.items():
        hits = [lowered.index(a) for a in aliases if a in lowered]
        if not hits:
            raise _error(path, f"header has no {role} column (expected one of {', '.join(aliases)}); got {header}")
        found[role] = hits[0]
    return found


def _error(path: Path, message: str):
    from cipanel.landing.land import LandingError

    return LandingError(f"{path}: {message}")


def _row(path, index, header, cols, values, sheet=""):
    return (
        path.name,
        sheet,
        index,
        header[cols["value"]],
        values[cols["unit"]],
        values[cols["year"]],
        values[cols["indicator"]],
        values[cols["value"]],
        None,
    )


def read_long_csv(path: Path) -> list[tuple]:
    # utf-8-sig: Excel writes a BOM into CSV files saved as UTF-8
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise _error(path, "file is empty") from None
        cols = _locate_columns(path, header)
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank line: no data, nothing to account for
            if len(values) != len(header):
                rows.append(
                    (path.name, "", line, "", "", "", "", ",".join(values),
                     f"row has {len(values)} fields, header has {len(header)}")
                )
                continue
            rows.append(_row(path, line, header, cols, values))
    return rows


def _parquet_columns(path: Path, con) -> dict[str, str]:
    header = [r[0] for r in con.execute("select name from parquet_schema(?) where num_children is null", [str(path)]).fetchall()]
    return {role: header[i] for role, i in _locate_columns(path, header).items()}


def parquet_landing_sql(path: Path, con) -> str:
    """The landing rows of a long Parquet file as SQL on `con` (same text as read_long_parquet)."""
    cols = _parquet_columns(path, con)
    quoted = {role: '"' + name.replace('"', '""') + '"' for role, name in cols.items()}
    literal = lambda text: "'" + str(text).replace("'", "''") + "'"  # noqa: E731
    text = {role: f"coalesce(cast({quoted[role]} as varchar), '')" for role in quoted}
    return (
        f"select {literal(path.name)} as source_file, '' as source_sheet, file_row_number + 1 as source_row, "
        f"{literal(cols['value'])} as source_column, {text['unit']} as unit_raw, {text['year']} as year_raw, "
        f"{text['indicator']} as indicator_raw, {text['value']} as value_raw, cast(null as varchar) as landing_issue "
        f"from read_parquet({literal(path)}, file_row_number = true)"
    )


def read_long_parquet(path: Path) -> list[tuple]:
    con = duckdb.connect()
    try:
        frame = con.execute("select * from read_parquet(?)", [str(path)]).df()
    finally:
        con.close()
    header = [str(c) for c in frame.columns]
    cols = _locate_columns(path, header)
    text = frame.astype("string").fillna("")
    # Parquet has no line numbers: source_row is the 1-based record number
    return [
        _row(path, i + 1, header, cols, list(record))
        for i, record in enumerate(text.itertuples(index=False, name=None))
    ]
