"""Build the dbt project in-process into a temporary warehouse, for the demo project or a user
project (copy_project: the demo's catalogs with some files replaced, a user's own units and
catalog) and a given input folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cipanel.build import BuildError, build_warehouse, copy_project  # noqa: F401 (tests import it from here)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "provinces-demo"  # the demo project (SYNTHETIC data)
DEMO_DATA = DEMO / "data"

DbtFailed = BuildError


def build(project_dir: Path, warehouse: Path, input_dir: Path, extra: list[str] | None = None):
    """`project_dir`: a user project (a folder with cipanel.yml); the repository means the demo project."""
    project = DEMO if Path(project_dir).resolve() == ROOT else project_dir
    return build_warehouse(warehouse, input_dir, extra_args=extra, project=project)


def query(warehouse: Path, sql: str):
    """The rows of `sql` on a built warehouse, as a DataFrame (opened read-only, closed after)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def flip_direction(project: Path) -> str:
    """Flip one indicator's direction (+ to -) in a project's catalog; returns the indicator code."""
    catalog = Path(project) / "catalog" / "indicator_catalog.csv"
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if i and ",+," in line)
    lines[row] = lines[row].replace(",+,", ",-,", 1)
    catalog.write_text("".join(lines), encoding="utf-8")
    return lines[row].split(",")[0]


def dbt_test_names(target: str, scratch: Path, select: str | None = None) -> set[str]:
    """The data tests dbt would run on `target` (all, or those of `select`), by `dbt ls` in a
    subprocess: nothing is built; its target/ and logs/ go to `scratch`, not into the repository."""
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": str(scratch / target / "target"),
        "DBT_LOG_PATH": str(scratch / target / "logs"),
        "CIPANEL_PROJECT": str(DEMO),
        "CIPANEL_WAREHOUSE": ":memory:",
    }
    selection = ["--select", select] if select else []
    args = ["ls", "--resource-type", "test", *selection, "--output", "json", "--output-keys", "name"]
    out = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", *args, "--target", target, "--profiles-dir", str(ROOT)]
        + ["--project-dir", str(ROOT), "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return {json.loads(line)["name"] for line in out.stdout.splitlines() if line.startswith("{")}
