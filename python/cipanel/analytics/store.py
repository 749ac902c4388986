"""The analytics results as warehouse tables in the `analytics` schema, next to the dbt models of
that schema (fct_obstacle_*). A study's rows are replaced as a whole, all tables in one
transaction, so a failed run leaves the previous results intact."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cipanel.warehouse import connect

TABLES = (
    "dagum_gini",
    "dagum_gini_groups",
    "theil",
    "theil_groups",
    "sigma_convergence",
    "beta_convergence",
    "kde_density",
    "moran_global",
    "moran_local",
    "coupling_coordination",
)


def store(
    frames: dict[str, pd.DataFrame],
    study: str,
    warehouse: Path | str | None = None,
    *,
    synthetic: bool,
    weights: str,
    spec_path: str = "",
) -> dict[str, int]:
    counts = {}
    runs = pd.DataFrame(
        [
            {
                "study": study,
                "spec_path": spec_path,
                "weights": weights,
                "synthetic": synthetic,
                "run_at": datetime.now(UTC).replace(tzinfo=None),
            }
        ]
    )
    with connect(warehouse, read_only=False) as con:
        sql = lambda text, params=None: con.execute(text, params or []).fetchall()
        sql("begin transaction")
        try:
            sql("create schema if not exists analytics")
            for name in (*TABLES, "runs"):
                frame = runs if name == "runs" else frames.get(name)
                exists = sql(
                    "select count(*) from information_schema.tables where table_schema = "
                    "'analytics' and table_name = ?",
                    [name],
                )[0][0]
                if exists:
                    sql(f"delete from analytics.{name} where study = ?", [study])
                if frame is None or frame.empty:
                    counts[name] = 0
                    continue
                frame = frame.assign(study=study)
                frame = frame[["study", *[c for c in frame.columns if c != "study"]]]
                con.register("incoming", frame)
                if exists:
                    # a column this study has and earlier ones did not (u3 of a three-system coupling)
                    have = {r[0] for r in sql(f"describe analytics.{name}")}
                    for column, dtype, *_ in sql("describe incoming"):
                        if column not in have:
                            sql(f'alter table analytics.{name} add column "{column}" {dtype}')
                    sql(f"insert into analytics.{name} by name select * from incoming")
                else:
                    sql(f"create table analytics.{name} as select * from incoming")
                con.unregister("incoming")
                counts[name] = len(frame)
            sql("commit")
        except Exception:
            sql("rollback")
            raise
    return counts
