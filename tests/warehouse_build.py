"""Build the dbt project in-process into a temporary warehouse, optionally on a copy of the
project with replaced seeds (a user's own units and catalog) and a given input folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from cipanel.build import BuildError, build_warehouse

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "data-tests", "seeds", "analyses"]

DbtFailed = BuildError


def copy_project(dest: Path, seeds: dict[str, pd.DataFrame] | None = None) -> Path:
    """A copy of the project whose seed files named in `seeds` (e.g. 'catalog/indicator_catalog')
    are replaced by the given frames."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy(source, dest / part)
    for name, frame in (seeds or {}).items():
        frame.to_csv(dest / "seeds" / f"{name}.csv", index=False, lineterminator="\n")
    return dest


def build(project_dir: Path, warehouse: Path, input_dir: Path, extra: list[str] | None = None):
    return build_warehouse(warehouse, input_dir, extra_args=extra, project=project_dir)
