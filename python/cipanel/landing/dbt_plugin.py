"""dbt-duckdb plugin: `dbt build` lands the user's project itself, so the sources always reflect
the project (CIPANEL_PROJECT: a folder with cipanel.yml) and the input folder of this run:
`raw.indicator_values` from the value files (CIPANEL_INPUT_DIR, else the project's data folder), and
the catalogs and units (`raw.indicator_catalog`, ..., `raw.ref_units`) from the project's files,
checked by cipanel.project (typed frames: an empty catalog keeps its column types).

Parquet files are landed inside DuckDB (a relation on the adapter's connection, text casts and
file_row_number in SQL): building Python tuples for millions of rows cost 18 s and 2.4 GB at the
county benchmark scale, against 4-5 s and 0.3 GB this way. CSV (line numbers, ragged lines) and
Excel (layout checks) go through the Python readers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.duckdb.utils import SourceConfig

from cipanel.landing.land import LANDING_COLUMNS, input_files, land_file
from cipanel.landing.long_files import parquet_landing_sql

if TYPE_CHECKING:
    import duckdb


class Plugin(BasePlugin):
    _conn = None

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn

    def load(self, source_config: SourceConfig) -> pd.DataFrame | duckdb.DuckDBPyRelation:
        from cipanel.project import load_project, project_tables

        project = load_project(Path(source_config.get("project") or "examples/provinces-demo"))
        if source_config.identifier != "indicator_values":
            return project_tables(project).tables[source_config.identifier]
        files = input_files(Path(source_config.get("input_dir") or project.data_dir))
        if self._conn is None:  # no adapter connection to read Parquet with: land everything in Python
            return pd.concat([land_file(p) for p in files], ignore_index=True)
        others = [land_file(p) for p in files if p.suffix.lower() != ".parquet"]
        parquet = [self._conn.sql(parquet_landing_sql(p, self._conn)) for p in files if p.suffix.lower() == ".parquet"]
        if not parquet:
            return pd.concat(others, ignore_index=True)
        # relations, not registered views: dbt-duckdb reads the result on another cursor, which does
        # not see views registered on this connection
        landed = parquet[0]
        for relation in parquet[1:]:
            landed = landed.union(relation)
        if others:
            landed = landed.union(
                self._conn.from_df(pd.concat(others, ignore_index=True)).project(", ".join(LANDING_COLUMNS))
            )
        return landed
