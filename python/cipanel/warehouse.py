"""Access to the DuckDB warehouse: short-lived connections, and errors a user understands (a lock,
a read-only folder, a full disk) instead of tracebacks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_WAREHOUSE = Path("warehouse/cipanel.duckdb")

# Python reads the warehouse with no access to files, other databases or extensions: a query that
# came from a study spec can read the warehouse's tables and nothing else (read_csv, COPY ... TO,
# ATTACH, INSTALL all fail with a PermissionException). Registered DataFrames still work.
SAFE_CONFIG = {"enable_external_access": False}


class WarehouseError(RuntimeError):
    pass


def warehouse_path(path: Path | str | None = None) -> Path:
    return Path(path or os.environ.get("CIPANEL_WAREHOUSE") or DEFAULT_WAREHOUSE)


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _lock_message(path: Path) -> str:
    return (
        f"warehouse {path} is locked by another process (a running dbt build, or a notebook or "
        "DuckDB shell holding it open): close that connection and try again"
    )


def _io_message(path: Path, exc: BaseException, read_only: bool) -> str:
    text = str(exc)
    if "no space left" in text.lower():
        return f"warehouse {path}: the disk is full ({text.splitlines()[0]}): free some space and try again"
    if not read_only and ("permission denied" in text.lower() or "read-only" in text.lower()):
        return (
            f"warehouse {path} cannot be written: its file or folder is read-only for you "
            f"({text.splitlines()[0]}). Studies store their results in the warehouse: copy it to a "
            "writable folder and pass --warehouse (or CIPANEL_WAREHOUSE)"
        )
    return f"warehouse {path}: {text.splitlines()[0]}"


@contextmanager
def connect(path: Path | str | None = None, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open, yield, close: DuckDB allows one writer per file, and a connection left open (a
    notebook, say) makes the next `dbt build` fail, so never hold one longer than a query."""
    path = warehouse_path(path)
    if not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist: run `cipanel build` (or `cipanel run`) first")
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=SAFE_CONFIG)
    except duckdb.Error as exc:
        if is_lock_error(exc):
            raise WarehouseError(_lock_message(path)) from None
        if isinstance(exc, (duckdb.IOException, duckdb.PermissionException)):
            raise WarehouseError(_io_message(path, exc, read_only)) from None
        raise
    try:
        yield con
    except (duckdb.IOException, duckdb.PermissionException) as exc:
        # a write that fails once the file is open: the .wal cannot be created in a read-only
        # folder, or the disk filled up (the transaction is rolled back by DuckDB)
        if "file system operations are disabled" in str(exc):
            raise WarehouseError(
                f"warehouse {path}: a query tried to read or write a file, attach a database or load an "
                "extension, which cipanel's warehouse connections refuse (only the warehouse's own tables "
                f"can be read): {str(exc).splitlines()[0]}"
            ) from None
        raise WarehouseError(_io_message(path, exc, read_only)) from None
    finally:
        try:
            con.close()
        except duckdb.Error:
            pass


def check_writable(path: Path | str | None = None) -> None:
    """Fail before a study's work, not after it: the results are stored in the warehouse, so it
    must accept a write (a read-only file or folder, or a full disk, ends here with its reason)."""
    # asked of the file system, not by a write: a spec error found later must leave the file as it
    # was (a write-connection would checkpoint it); a full disk is reported by the store itself
    path = warehouse_path(path)
    if not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist: run `cipanel build` (or `cipanel run`) first")
    for target in (path, path.parent):
        if not os.access(target, os.W_OK):
            raise WarehouseError(_io_message(path, PermissionError(f"{target}: read-only"), read_only=False))


def read_table(relation: str, path: Path | str | None = None, where: str | None = None) -> pd.DataFrame:
    """The relation's rows in a fixed order (sorted by every column, left to right): DuckDB
    returns the rows of a parallel scan in any order, and estimators whose sums follow the row
    order would then differ in the last bits from run to run."""
    with connect(path) as con:
        sql = f"select * from {relation}" + (f" where {where}" if where else "") + " order by all"
        try:
            return con.execute(sql).df()
        except duckdb.CatalogException as exc:
            raise WarehouseError(f"{relation} not found in {warehouse_path(path)}: {exc}") from None
