"""Bit-level comparison of two warehouses: a digest of every table, independent of the order in
which DuckDB returns rows (a replication package can be checked by hash)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cipanel.warehouse import connect

# columns that record when something ran, not what it computed
VOLATILE_COLUMNS = {"run_at"}


def _tables(con) -> list[str]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() order by 1, 2"
    ).fetchall()
    return [f'"{s}"."{t}"' for s, t in rows]


def _ordered_frame(con, table: str) -> pd.DataFrame:
    columns = [r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] not in VOLATILE_COLUMNS]
    listed = ", ".join(f'"{c}"' for c in columns)
    return con.execute(f"select {listed} from {table} order by all").df() if columns else pd.DataFrame()


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of the column names, dtypes and values; floats by their IEEE bits (repr would hide
    nothing either, but bits leave no doubt)."""
    h = hashlib.sha256()
    for column in frame.columns:
        values = frame[column]
        h.update(f"{column}:{values.dtype}\x1e".encode())
        if values.dtype.kind == "f":
            h.update(np.ascontiguousarray(values.to_numpy(dtype="float64")).view("u8").tobytes())
        else:
            h.update("\x1f".join(map(repr, values.tolist())).encode())
    return h.hexdigest()


def table_digests(warehouse: Path | str) -> dict[str, str]:
    with connect(warehouse) as con:
        return {table: frame_digest(_ordered_frame(con, table)) for table in _tables(con)}


def compare_warehouses(first: Path | str, second: Path | str) -> dict[str, dict[str, float]]:
    """Tables whose digests differ (or exist in one warehouse only), each with the largest relative
    difference of its float columns (rows matched in the same fixed order)."""
    a, b = table_digests(first), table_digests(second)
    differ = {}
    with connect(first) as ca, connect(second) as cb:
        for table in sorted(set(a) | set(b)):
            if a.get(table) == b.get(table):
                continue
            if table not in a or table not in b:
                differ[table] = {"missing in " + ("first" if table not in a else "second"): float("nan")}
                continue
            fa, fb = _ordered_frame(ca, table), _ordered_frame(cb, table)
            row = {}
            if fa.shape == fb.shape:
                for column in fa.columns:
                    if fa[column].dtype.kind == "f":
                        x, y = fa[column].to_numpy(float), fb[column].to_numpy(float)
                        scale = np.maximum(np.abs(x), np.abs(y))
                        with np.errstate(invalid="ignore", divide="ignore"):
                            rel = np.where(scale > 0, np.abs(x - y) / scale, 0.0)
                        rel = rel[~np.isnan(rel)]
                        if len(rel) and rel.max() > 0:
                            row[column] = float(rel.max())
            else:
                row["shape"] = float("nan")
            differ[table] = row
    return differ


def set_profile_threads(profiles: Path, threads: int) -> None:
    """Pin DuckDB's `threads` setting in the dev target of a copied profiles.yml (tests, scripts)."""
    text = profiles.read_text(encoding="utf-8")
    text, n = re.subn(r"(\n      settings:\n)", rf"\1        threads: {threads}\n", text, count=1)
    if n != 1:
        raise ValueError(f"{profiles}: no `settings:` block in the dev target to pin threads in")
    profiles.write_text(text, encoding="utf-8")
