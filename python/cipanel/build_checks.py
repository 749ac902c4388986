"""What a successful build did not use as given, as lines to print after it.

dbt prints a warning test as a count ("Got 2 results"); the messages naming the indicator, index,
file or variable are rows of audit.audit_build_warnings, read here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb

WARNINGS_RELATION = "audit.audit_build_warnings"


def build_warnings(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> list[str]:
    """Every warning message of the last build (optionally of one kind), in a stable order.
    `con` is a DuckDB connection to the warehouse (read-only is enough)."""
    sql = f"select message from {WARNINGS_RELATION}"
    params: list[str] = []
    if kind is not None:
        sql += " where warning_kind = ?"
        params.append(kind)
    return [r[0] for r in con.execute(sql + " order by warning_kind, subject, message", params).fetchall()]


def constant_indicator_warnings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per constant index component, naming the indicator and its index."""
    return build_warnings(con, "constant_indicator")


def print_build_warnings(con: duckdb.DuckDBPyConnection, say: Callable[[str], object] = print) -> int:
    """Print every warning of the build with a heading; returns how many there were."""
    lines = build_warnings(con)
    if lines:
        say(f"{len(lines)} warning(s) (audit.audit_build_warnings):")
        for line in lines:
            say(f"  warning: {line}")
    return len(lines)
