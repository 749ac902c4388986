"""Build the dbt project in-process into a temporary warehouse, optionally on a copy of the
project with replaced seeds (a user's own units and catalog) and a given input folder."""

from __future__ import annotations

from pathlib import Path


from cipanel.build import BuildError, build_warehouse, copy_project  # noqa: F401 (tests import it from here)

ROOT = Path(__file__).resolve().parents[1]

DbtFailed = BuildError


def build(project_dir: Path, warehouse: Path, input_dir: Path, extra: list[str] | None = None):
    return build_warehouse(warehouse, input_dir, extra_args=extra, project=project_dir)
