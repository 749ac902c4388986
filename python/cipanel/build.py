"""Run dbt in-process (one interpreter start-up for build, study and report) with progress lines."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from cipanel.warehouse import warehouse_path

# the files and folders that make up the dbt project (what a copy of it needs)
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "data-tests", "seeds", "analyses")


class BuildError(RuntimeError):
    pass


def project_dir() -> Path:
    """The dbt project: CIPANEL_PROJECT_DIR, else the repository this package was installed from,
    else the working directory."""
    if os.environ.get("CIPANEL_PROJECT_DIR"):
        return Path(os.environ["CIPANEL_PROJECT_DIR"])
    repo = Path(__file__).resolve().parents[2]
    return repo if (repo / "dbt_project.yml").exists() else Path.cwd()


def copy_project(dest: Path, seeds: dict | None = None, source: Path | None = None) -> Path:
    """A copy of the dbt project (default: project_dir()) in `dest`, with the seed files named in
    `seeds` (e.g. 'catalog/indicator_catalog') replaced by the given DataFrames: the same models on
    other units, catalogs or panels (tests, benchmarks)."""
    import shutil

    source = Path(source or project_dir())
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, dest / part, dirs_exist_ok=True)
        elif (source / part).exists():
            shutil.copy(source / part, dest / part)
    for name, frame in (seeds or {}).items():
        frame.to_csv(dest / "seeds" / f"{name}.csv", index=False, lineterminator="\n")
    return dest


def run_dbt(
    args: list[str],
    *,
    warehouse: Path | str | None = None,
    input_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    project: Path | None = None,
):
    from dbt.cli.main import dbtRunner

    project = Path(project or project_dir())
    os.environ["CIPANEL_WAREHOUSE"] = str(Path(warehouse_path(warehouse)).resolve())
    os.environ["CIPANEL_INPUT_DIR"] = str(Path(input_dir or os.environ.get("CIPANEL_INPUT_DIR") or project / "data/demo").resolve())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    Path(os.environ["CIPANEL_WAREHOUSE"]).parent.mkdir(parents=True, exist_ok=True)

    def on_event(event) -> None:
        if progress and event.info.name == "NodeFinished":
            node = event.data.node_info
            progress(f"  {node.resource_type:<9} {node.node_name:<60} {node.node_status}")

    runner = dbtRunner(callbacks=[on_event])
    cwd = os.getcwd()
    os.chdir(project)  # dbt resolves seeds, target/ and logs/ relative to the project
    try:
        result = runner.invoke([*args, "--project-dir", str(project), "--profiles-dir", str(project), "--quiet"])
    finally:
        os.chdir(cwd)
        _release_warehouse()
    if not result.success:
        failed = [
            f"{r.node.name}: {r.message}"
            for r in (getattr(result.result, "results", None) or [])
            if str(r.status) in ("error", "fail")
        ]
        detail = "\n  ".join(failed) if failed else str(result.exception)
        hint = (
            "DuckDB ran out of its memory limit: raise CIPANEL_DUCKDB_MEMORY_LIMIT (profiles.yml, default "
            "500MB), e.g. CIPANEL_DUCKDB_MEMORY_LIMIT=8GB.\n" if "out of memory" in detail.lower() else ""
        )
        raise BuildError(
            f"dbt {args[0]} failed:\n{hint}  {detail}\n"
            "Rejected input rows are listed in audit.audit_rejected_rows; run `dbt build --profiles-dir .` "
            "for the full log."
        )
    return result


def _release_warehouse() -> None:
    """The profile keeps the DuckDB instance open for the run (keep_open: true); an in-process
    run must close it, or the read-only connections of the study step fail ("different configuration")."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


def build_warehouse(warehouse=None, input_dir=None, progress=None, extra_args: list[str] | None = None, project=None):
    """dbt build into a new file that replaces the warehouse only if every node passed
    (cipanel.atomic_build: a failed or killed build leaves the last good warehouse as it was)."""
    from cipanel.atomic_build import build_atomically, is_selective

    args = ["build", *(extra_args or [])]
    return build_atomically(
        warehouse_path(warehouse),
        lambda staging: run_dbt(args, warehouse=staging, input_dir=input_dir, progress=progress, project=project),
        start_from_current=is_selective(args),
        progress=progress,
    )
