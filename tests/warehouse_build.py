"""Build the dbt project in-process into a temporary warehouse, for the demo project or a user
project (copy_project: the demo's catalogs with some files replaced, a user's own units and
catalog) and a given input folder."""

from __future__ import annotations

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
