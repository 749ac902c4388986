"""dbt-duckdb plugin: `dbt build` lands the user's files itself, so the source `raw.indicator_values`
always reflects the input folder (CIPANEL_INPUT_DIR) of this run."""

from __future__ import annotations

from pathlib import Path

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.duckdb.utils import SourceConfig

from cipanel.landing.land import land_directory


class Plugin(BasePlugin):
    def load(self, source_config: SourceConfig):
        return land_directory(Path(source_config.get("input_dir", "data/demo")))
