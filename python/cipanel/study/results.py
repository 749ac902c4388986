"""Every estimate as tidy rows in the warehouse's `results` schema, next to the data, so analysts
can query coefficients with SQL. A study's rows are replaced as a whole on each run."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from cipanel.study.runner import StudyRun
from cipanel.study.tables import DescriptiveTable, RegressionTable
from cipanel.warehouse import connect

DDL = {
    "estimates": """
        create table if not exists results.estimates (
            study varchar, table_id varchar, column_name varchar, column_title varchar, column_group varchar,
            dependent varchar, term varchar, estimate double, std_error double, statistic double,
            p_value double, conf_low double, conf_high double, n_obs integer, r_squared double,
            r_squared_label varchar, method varchar, cov_type varchar, df_inference double,
            n_clusters integer, controls boolean, unit_fe boolean, year_fe boolean)""",
    "diagnostics": """
        create table if not exists results.diagnostics (
            study varchar, table_id varchar, column_name varchar, name varchar, value double)""",
    "descriptives": """
        create table if not exists results.descriptives (
            study varchar, table_id varchar, variable varchar, n_obs integer, mean double, sd double,
            min double, max double, median double)""",
    "runs": """
        create table if not exists results.runs (
            study varchar, spec_path varchar, run_at timestamp, lang varchar, synthetic boolean)""",
}


def tidy(run: StudyRun) -> dict[str, pd.DataFrame]:
    estimates, diagnostics, descriptives = [], [], []
    for table in run.tables:
        if isinstance(table, DescriptiveTable):
            for variable, row in table.stats.iterrows():
                descriptives.append({"study": run.spec.study, "table_id": table.table_id, "variable": variable,
                                     "n_obs": int(row["N"]), **{k: row[k] for k in ("mean", "sd", "min", "max", "median")}})
            continue
        assert isinstance(table, RegressionTable)
        for column in table.columns:
            r = column.result
            ci = r.conf_int()
            for term in r.params.index:
                estimates.append({
                    "study": run.spec.study, "table_id": table.table_id, "column_name": column.name,
                    "column_title": column.title, "column_group": column.group, "dependent": r.dependent,
                    "term": term, "estimate": r.params[term], "std_error": r.std_errors[term],
                    "statistic": r.tstats[term], "p_value": r.pvalues[term], "conf_low": ci.loc[term, "lower"],
                    "conf_high": ci.loc[term, "upper"], "n_obs": r.nobs, "r_squared": r.r_squared,
                    "r_squared_label": r.r_squared_label, "method": r.method, "cov_type": r.cov_type,
                    "df_inference": r.df_inference, "n_clusters": r.n_clusters, "controls": column.controls,
                    "unit_fe": column.unit_fe, "year_fe": column.year_fe,
                })
            for name, value in r.diagnostics.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    diagnostics.append({"study": run.spec.study, "table_id": table.table_id,
                                        "column_name": column.name, "name": name, "value": float(value)})
    return {
        "estimates": pd.DataFrame(estimates), "diagnostics": pd.DataFrame(diagnostics),
        "descriptives": pd.DataFrame(descriptives),
    }


def store(run: StudyRun, warehouse: Path | str | None = None, synthetic: bool = False) -> dict[str, int]:
    """Replace the study's rows in results.* and return the row counts written."""
    frames = tidy(run)
    frames["runs"] = pd.DataFrame([{
        "study": run.spec.study, "spec_path": str(run.spec.path), "run_at": datetime.now(timezone.utc).replace(tzinfo=None),
        "lang": run.lang, "synthetic": synthetic,
    }])
    counts = {}
    with connect(warehouse, read_only=False) as con:
        con.begin()  # one transaction per study: its rows are replaced whole or not at all
        con.execute("create schema if not exists results")
        for name, ddl in DDL.items():
            con.execute(ddl)
            con.execute(f"delete from results.{name} where study = ?", [run.spec.study])
            frame = frames[name]
            if len(frame):
                con.register("incoming", frame)
                columns = ", ".join(frame.columns)
                con.execute(f"insert into results.{name} ({columns}) select {columns} from incoming")
                con.unregister("incoming")
            counts[name] = len(frame)
        con.commit()
    return counts
