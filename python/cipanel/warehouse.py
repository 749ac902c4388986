"""Access to the DuckDB warehouse: short-lived connections, and lock errors a user understands."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

DEFAULT_WAREHOUSE = Path("warehouse/cipanel.duckdb")


class WarehouseError(RuntimeError):
    pass


def warehouse_path(path: Path | str | None = None) -> Path:
    return Path(path or os.environ.get("CIPANEL_WAREHOUSE") or DEFAULT_WAREHOUSE)


@contextmanager
def connect(path: Path | str | None = None, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open, yield, close: DuckDB allows one writer per file, and a connection left open (a
    notebook, say) makes the next `dbt build` fail, so never hold one longer than a query."""
    path = warehouse_path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist: run `cipanel build` (or `make run`) first")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseError(
                f"warehouse {path} is locked by another process (a running dbt build, or a notebook or "
                "DuckDB shell holding it open): close that connection and try again"
            ) from None
        raise
    try:
        yield con
    finally:
        con.close()


def read_table(relation: str, path: Path | str | None = None, where: str | None = None):
    with connect(path) as con:
        sql = f"select * from {relation}" + (f" where {where}" if where else "")
        try:
            return con.execute(sql).df()
        except duckdb.CatalogException as exc:
            raise WarehouseError(f"{relation} not found in {warehouse_path(path)}: {exc}") from None
