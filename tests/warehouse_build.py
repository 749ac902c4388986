"""Build the dbt project in-process into a temporary warehouse, optionally on a copy of the
project with replaced seeds (a user's own units and catalog) and a given input folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "data-tests", "seeds", "analyses"]


class DbtFailed(RuntimeError):
    pass


def run_dbt(args: list[str], project_dir: Path, warehouse: Path, input_dir: Path) -> object:
    from dbt.cli.main import dbtRunner

    env = {
        "CIPANEL_WAREHOUSE": str(warehouse),
        "CIPANEL_INPUT_DIR": str(input_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = dbtRunner().invoke(
            [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir), "--quiet"]
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return result


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
    result = run_dbt(["build", *(extra or [])], project_dir, warehouse, input_dir)
    if not result.success:
        failures = []
        for node in getattr(result.result, "results", None) or []:
            if str(node.status) not in ("success", "pass", "warn", "skipped"):
                failures.append(f"{node.node.name}: {node.status} {node.message}")
        raise DbtFailed(f"dbt build failed: {result.exception or ''} {'; '.join(failures)}")
    return result
