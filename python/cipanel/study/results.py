"""Every estimate as tidy rows in the warehouse's `results` schema, next to the data, so analysts
can query coefficients with SQL. A study's rows are replaced as a whole on each run, in one
transaction: a run that fails half-way leaves the previous run's rows exactly as they were.

Every table has a key (KEYS) that is unique per stored row; it is checked before writing and again
inside the transaction, and new tables declare it as their primary key."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from cipanel.study.errors import StudyError
from cipanel.study.runner import StudyRun
from cipanel.study.tables import DescriptiveTable, RegressionTable
from cipanel.warehouse import connect

COLUMNS = {
    "estimates": {
        "study": "varchar",
        "table_id": "varchar",
        "column_name": "varchar",
        "column_title": "varchar",
        "column_group": "varchar",
        "role": "varchar",
        "dependent": "varchar",
        "term": "varchar",
        "estimate": "double",
        "std_error": "double",
        "statistic": "double",
        "p_value": "double",
        "conf_low": "double",
        "conf_high": "double",
        "n_obs": "integer",
        "r_squared": "double",
        "r_squared_label": "varchar",
        "method": "varchar",
        "cov_type": "varchar",
        "df_inference": "double",
        "n_clusters": "integer",
        "few_clusters": "boolean",
        "degenerate_se": "boolean",
        "n_interpolated_cells": "integer",
        "controls": "boolean",
        "unit_fe": "boolean",
        "year_fe": "boolean",
    },
    "diagnostics": {
        "study": "varchar",
        "table_id": "varchar",
        "column_name": "varchar",
        "name": "varchar",
        "value": "double",
    },
    "descriptives": {
        "study": "varchar",
        "table_id": "varchar",
        "variable": "varchar",
        "n_obs": "integer",
        "mean": "double",
        "sd": "double",
        "min": "double",
        "max": "double",
        "median": "double",
    },
    "runs": {
        "study": "varchar",
        "spec_path": "varchar",
        "run_at": "timestamp",
        "lang": "varchar",
        "synthetic": "boolean",
        "regression_sample": "varchar",
        "index_sample": "varchar",
        "warnings": "varchar",
        "tool_version": "varchar",
        "git_commit": "varchar",
    },
}
KEYS = {
    "estimates": ["study", "table_id", "column_name", "term"],
    "diagnostics": ["study", "table_id", "column_name", "name"],
    "descriptives": ["study", "table_id", "variable"],
    "runs": ["study"],
}


@dataclass(frozen=True)
class RunText:
    """The text columns of results.*, worded by the output layer (cipanel.output.notes.run_text;
    study code holds no words): column headers as the tables print them, the two samples and the
    warnings in English."""

    column_titles: dict[tuple[str, str], str]  # (table_id, column_name) -> printed header
    regression_sample: str
    index_sample: str
    warnings: list[str]


def _ddl(name: str) -> str:
    columns = ", ".join(f"{column} {kind}" for column, kind in COLUMNS[name].items())
    return f"create table if not exists results.{name} ({columns}, primary key ({', '.join(KEYS[name])}))"


def _finite(x) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def tidy(run: StudyRun, text: RunText) -> dict[str, pd.DataFrame]:
    estimates, diagnostics, descriptives = [], [], []
    for table in run.tables:
        if isinstance(table, DescriptiveTable):
            for variable, row in table.stats.iterrows():
                descriptives.append(
                    {
                        "study": run.spec.study,
                        "table_id": table.table_id,
                        "variable": variable,
                        "n_obs": int(row["N"]),
                        **{k: row[k] for k in ("mean", "sd", "min", "max", "median")},
                    }
                )
            continue
        assert isinstance(table, RegressionTable)
        for column in table.columns:
            r = column.result
            ci = r.conf_int()
            cells = _finite(r.diagnostics.get("n_interpolated_cells"))
            for term in r.params.index:
                degenerate = term in column.degenerate_terms
                estimates.append(
                    {
                        "study": run.spec.study,
                        "table_id": table.table_id,
                        "column_name": column.name,
                        "column_title": text.column_titles[(table.table_id, column.name)],
                        "column_group": column.group,
                        "role": column.role,
                        "dependent": r.dependent,
                        "term": term,
                        "estimate": r.params[term],
                        "std_error": r.std_errors[term],
                        "statistic": r.tstats[term],
                        "p_value": r.pvalues[term],
                        "conf_low": None if degenerate else ci.loc[term, "lower"],
                        "conf_high": None if degenerate else ci.loc[term, "upper"],
                        "n_obs": r.nobs,
                        "r_squared": r.r_squared,
                        "r_squared_label": r.r_squared_label,
                        "method": r.method,
                        "cov_type": r.cov_type,
                        "df_inference": r.df_inference,
                        "n_clusters": r.n_clusters,
                        "few_clusters": bool(r.diagnostics.get("few_clusters")),
                        "degenerate_se": degenerate,
                        "n_interpolated_cells": None if cells is None else int(cells),
                        "controls": column.controls,
                        "unit_fe": column.unit_fe,
                        "year_fe": column.year_fe,
                    }
                )
            for name, value in r.diagnostics.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    diagnostics.append(
                        {
                            "study": run.spec.study,
                            "table_id": table.table_id,
                            "column_name": column.name,
                            "name": name,
                            "value": float(value),
                        }
                    )
    frames = {
        "estimates": pd.DataFrame(estimates, columns=list(COLUMNS["estimates"])),
        "diagnostics": pd.DataFrame(diagnostics, columns=list(COLUMNS["diagnostics"])),
        "descriptives": pd.DataFrame(descriptives, columns=list(COLUMNS["descriptives"])),
    }
    for name, frame in frames.items():
        check_unique(frame, name)
    return frames


def check_unique(frame: pd.DataFrame, name: str) -> None:
    """Every stored row has a unique key: two rows with one key would make every join on the
    results schema double-count."""
    duplicated = frame[frame.duplicated(KEYS[name], keep=False)]
    if len(duplicated):
        first = duplicated.iloc[0]
        key = ", ".join(f"{k}={first[k]!r}" for k in KEYS[name])
        raise StudyError(
            f"results.{name}: {len(duplicated)} rows share one key ({key}); every stored row "
            "needs a unique key (for descriptives: give the variables distinct labels)"
        )


def _migrate(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Tables written by an older version lack newer columns: add them (empty) rather than fail."""
    have = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'results' and table_name = ?",
            [name],
        ).fetchall()
    }
    for column, kind in COLUMNS[name].items():
        if column not in have:
            con.execute(f"alter table results.{name} add column {column} {kind}")


def tool_version() -> str:
    """The installed cipanel's version (the code that produced a result)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cipanel")
    except PackageNotFoundError:
        return "unknown"


def git_commit() -> str | None:
    """The commit of the repository the code runs from, when there is one (an editable install);
    a '+dirty' suffix when its tracked files were changed. None for an installed wheel."""
    import subprocess

    repo = Path(__file__).resolve().parents[3]
    if not (repo / ".git").exists():
        return None
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "")


def store(run: StudyRun, warehouse: Path | str | None, text: RunText, synthetic: bool = False) -> dict[str, int]:
    """Replace the study's rows in results.* in one transaction and return the row counts written;
    `text` (cipanel.output.notes.run_text(run)) fills the text columns."""
    frames = tidy(run, text)
    frames["runs"] = pd.DataFrame(
        [
            {
                "study": run.spec.study,
                "spec_path": str(run.spec.path),
                "run_at": datetime.now(UTC).replace(tzinfo=None),
                "lang": run.lang,
                "synthetic": synthetic,
                "regression_sample": text.regression_sample,
                "index_sample": text.index_sample,
                "warnings": "\n".join(text.warnings),
                "tool_version": tool_version(),
                "git_commit": git_commit(),
            }
        ]
    )
    counts = {}
    with connect(warehouse, read_only=False) as con:
        con.execute("begin transaction")
        try:
            con.execute("create schema if not exists results")
            for name, frame in frames.items():
                con.execute(_ddl(name))
                _migrate(con, name)
                con.execute(f"delete from results.{name} where study = ?", [run.spec.study])
                if len(frame):
                    con.register("incoming", frame)
                    columns = ", ".join(frame.columns)
                    con.execute(f"insert into results.{name} ({columns}) select {columns} from incoming")
                    con.unregister("incoming")
                keys = ", ".join(KEYS[name])
                clash = con.execute(
                    f"select {keys}, count(*) from results.{name} where study = ? "
                    f"group by {keys} having count(*) > 1 limit 1",
                    [run.spec.study],
                ).fetchone()
                if clash:
                    raise StudyError(f"results.{name}: key {clash[:-1]} is stored {clash[-1]} times")
                counts[name] = len(frame)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return counts
