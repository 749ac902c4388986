"""Run dbt in-process (one interpreter start-up for build, study and report) with progress lines,
on a user's project: the tool's dbt project (models, macros, tests, reference units) reads the
project's catalogs, units and values through the landing plugin, so no file of the tool is edited."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult

    from cipanel.project import Project

# the files and folders that make up the dbt project (what a copy of it, or the wheel, carries)
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "data-tests", "seeds", "analysis")
PACKAGED_PROJECT = Path(__file__).resolve().parent / "_dbt_project"


class BuildError(RuntimeError):
    pass


def dbt_project_dir() -> Path:
    """The tool's dbt project: $CIPANEL_DBT_PROJECT_DIR, else the repository this package runs from
    (editable install, PYTHONPATH), else the copy inside an installed wheel (cipanel/_dbt_project)."""
    if os.environ.get("CIPANEL_DBT_PROJECT_DIR"):
        return Path(os.environ["CIPANEL_DBT_PROJECT_DIR"])
    repo = Path(__file__).resolve().parents[2]
    if (repo / "dbt_project.yml").exists():
        return repo
    if (PACKAGED_PROJECT / "dbt_project.yml").exists():
        return PACKAGED_PROJECT
    raise BuildError(
        "cipanel's dbt project is missing from this installation (no cipanel/_dbt_project): "
        "reinstall the package with `pip install .` from the repository or from a wheel"
    )


project_dir = dbt_project_dir  # the name spark_compare and the benchmarks know


def copy_dbt_project(dest: Path, source: Path | None = None) -> Path:
    """A copy of the tool's dbt project (default: dbt_project_dir()) in `dest`: benchmarks time a
    changed model on it (the user project still comes from CIPANEL_PROJECT)."""
    source = Path(source or dbt_project_dir())
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, dest / part, dirs_exist_ok=True)
        elif (source / part).exists():
            shutil.copy(source / part, dest / part)
    return dest


def copy_project(dest: Path, seeds: dict | None = None, source: Path | None = None) -> Path:
    """A user project in `dest` made from the demo project (catalogs, studies, cipanel.yml; its data
    stay where they are), with the files named in `seeds` replaced by DataFrames. Names are the
    former seed names ('catalog/indicator_catalog', 'reference/ref_units', ...); a replaced
    reference file makes the units custom. For tests and benchmarks: other units, catalogs, panels."""
    from cipanel.project import CATALOG_FILES, demo_project_dir

    source = Path(source) if source else demo_project_dir()
    if source is not None and not (source / "cipanel.yml").exists() and (source / "examples/provinces-demo").exists():
        source = source / "examples/provinces-demo"  # given the repository: its demo project
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("catalog", "studies", "reference"):
        if source is not None and (source / part).is_dir():
            shutil.copytree(source / part, dest / part, dirs_exist_ok=True)
    config = (source / "cipanel.yml").read_text(encoding="utf-8") if source else "name: copy\n"
    seeds = dict(seeds or {})
    names = {
        "catalog/indicator_catalog": "indicator_catalog",
        "catalog/index_catalog": "index_catalog",
        "catalog/dimension_catalog": "dimension_catalog",
        "reference/ref_units": "ref_units",
        "reference/ref_unit_regions": "ref_unit_regions",
    }
    for name, frame in seeds.items():
        target = dest / CATALOG_FILES[names.get(name, name)][0]
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(target, index=False, lineterminator="\n")
    derived = dest / CATALOG_FILES["derived_variable_catalog"][0]
    if "catalog/indicator_catalog" in seeds and not any("derived_variable" in n for n in seeds) and derived.exists():
        # the demo's derived variables over the indicators the replacing catalog still has
        import pandas as pd

        from cipanel.derived_variables import rows_over

        rows = pd.read_csv(derived, dtype=str, keep_default_na=False)
        codes = set(seeds["catalog/indicator_catalog"]["indicator_code"].astype(str))
        rows_over(rows, codes).to_csv(derived, index=False, lineterminator="\n")
    if any("ref_unit" in name for name in seeds):
        import yaml

        settings = yaml.safe_load(config) or {}
        settings.pop("sample", None)
        settings["units"] = "custom"
        config = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
        if not any("ref_unit_regions" in name for name in seeds):
            (dest / CATALOG_FILES["ref_unit_regions"][0]).write_text(
                "scheme,unit_code,region_code,region_zh,region_en\n"
            )
    (dest / "cipanel.yml").write_text(config, encoding="utf-8")
    return dest


@dataclass
class BuildPlan:
    """What a build will read, decided and checked before dbt starts."""

    project: object  # cipanel.project.Project
    input_dir: Path
    first_year: int
    last_year: int
    window_source: str
    notes: list[str]
    tables: object = None  # cipanel.project.ProjectTables: what the landing plugin will land


def plan_build(project: Project | Path | str | None = None, input_dir: Path | str | None = None) -> BuildPlan:
    """Resolve the project, check its files and the input folder, and fix the panel window, all
    before dbt runs (a mistyped folder or a bad catalog row costs no build)."""
    from cipanel.landing.land import input_files, skipped_input_files
    from cipanel.project import Project, check_index_windows, data_years, find_project, project_tables

    project = project if isinstance(project, Project) else find_project(project)
    tables = project_tables(project)
    source = Path(input_dir) if input_dir else project.data_dir
    origin = "--input" if input_dir else f"`data` of {project.config_file}"
    if not source.is_dir():
        from cipanel.landing import LandingError

        raise LandingError(
            f"input folder {source} ({origin}) does not exist: check the path, or put the value "
            f"files in {project.data_dir}"
        )
    input_files(source)  # raises when the folder has no value file
    notes = list(tables.notes)
    notes += [
        f"{p.name} in the input folder looks like a catalog or reference file: not read as values "
        f"(catalogs belong in {project.root / 'catalog'})"
        for p in skipped_input_files(source)
    ]
    if project.years_from_data:
        first, last = data_years(project, source, tables)
        window_source = "from the data"
    else:
        first, last, window_source = project.first_year, project.last_year, f"years of {project.config_file.name}"
    check_index_windows(project, tables, first, last, window_source)
    return BuildPlan(project, source.resolve(), first, last, window_source, notes, tables)


def dbt_vars(plan: BuildPlan) -> str:
    """The --vars a build passes to dbt: the panel window."""
    return f"{{panel_start_year: {plan.first_year}, panel_end_year: {plan.last_year}}}"


@contextmanager
def _environment(values: dict[str, str]):
    """Set variables for one dbt run and restore them after: a later run in the same process (tests,
    notebooks) must not inherit this project's warehouse or input folder."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    args: list[str],
    *,
    warehouse: Path | str | None = None,
    input_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    project: Project | Path | str | None = None,
    plan: BuildPlan | None = None,
    scratch: Path | None = None,
    staging: bool = False,
) -> dbtRunnerResult:
    """dbt `args` on the user project `project` (a folder with cipanel.yml, a Project, or None:
    find_project()); the warehouse defaults to the project's. This writes in place: a build goes
    through build_warehouse, which gives dbt a staging file. `scratch` holds dbt's target/ and
    logs/ (default: .dbt beside the warehouse).

    `staging`: the warehouse is a file in a folder of its own (cipanel.atomic_build's staging
    folder); dbt then opens it under one fixed relative name (cipanel.parse_cache.STABLE_FILE, from
    inside that folder), so its profile and partial parse are the same for every warehouse and
    project (cipanel.parse_cache)."""
    from dbt.cli.main import dbtRunner

    from cipanel import parse_cache

    plan = plan or plan_build(project, input_dir)
    dbt_dir = dbt_project_dir()
    warehouse = Path(warehouse or plan.project.warehouse).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(scratch or warehouse.parent / ".dbt")  # dbt's target/ and logs/, never in the tool
    extra = []
    if "--vars" not in args:
        extra += ["--vars", dbt_vars(plan)]
    if "--target-path" not in args:
        extra += ["--target-path", str(scratch / "target")]
    if "--log-path" not in args:
        extra += ["--log-path", str(scratch / "logs")]

    if staging and not {"--write-json", "--no-write-json"} & set(args):
        # manifest.json (written twice, 1.5 MB), run_results.json and graph.gpickle: nothing of
        # cipanel reads them, and writing them costs about a second per build; the parse dbt reuses
        # (partial_parse.msgpack) is written either way. `--write-json` in extra_args keeps them.
        extra.append("--no-write-json")
    if staging:
        dbt_path = warehouse.with_name(parse_cache.STABLE_FILE)
        if warehouse.exists():
            os.replace(warehouse, dbt_path)  # a disposable staging copy: moved, not copied
        profile_path, workdir = parse_cache.STABLE_FILE, warehouse.parent
        cli_vars = [*args, *extra][[*args, *extra].index("--vars") + 1]  # dbt checks them: one cached parse per value
        parse_cache.seed(scratch / "target", dbt_dir, cli_vars)
    else:
        dbt_path = _identifier_safe(warehouse)
        if dbt_path != warehouse and warehouse.exists():
            shutil.copy2(warehouse, dbt_path)  # the build updates the warehouse as it would in place
        profile_path, workdir = str(dbt_path), dbt_dir  # dbt resolves models and seeds relative to the project

    def on_event(event) -> None:
        if progress and event.info.name == "NodeFinished":
            node = event.data.node_info
            progress(f"  {node.resource_type:<9} {node.node_name:<60} {node.node_status}")

    runner = dbtRunner(callbacks=[on_event])
    cwd = os.getcwd()
    env = {
        "CIPANEL_WAREHOUSE": profile_path,
        "CIPANEL_INPUT_DIR": str(plan.input_dir),
        "CIPANEL_PROJECT": str(plan.project.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    with _environment(env):
        os.chdir(workdir)
        try:
            result = runner.invoke(
                [*args, *extra, "--project-dir", str(dbt_dir), "--profiles-dir", str(dbt_dir), "--quiet"]
            )
        finally:
            os.chdir(cwd)
            _release_warehouse()
            if dbt_path != warehouse and dbt_path.exists():
                os.replace(dbt_path, warehouse)
                wal = dbt_path.with_name(dbt_path.name + ".wal")
                if wal.exists():  # a log DuckDB did not fold in belongs with its file (atomic_build folds it)
                    os.replace(wal, warehouse.with_name(warehouse.name + ".wal"))
    if not result.success:
        raise BuildError(_failure_message(args[0], result, warehouse, dbt_path.stem))
    if staging:
        parse_cache.store(scratch / "target", dbt_dir, cli_vars)
    return result


def _identifier_safe(warehouse: Path) -> Path:
    """The file dbt opens. dbt-duckdb names the database after the file's stem and writes it
    unquoted into the statements that land plugin sources (`create or replace table my-wh.raw...`
    is a syntax error), so a stem with '-', spaces or non-ASCII letters is built under a plain name
    in the same folder and moved to the user's name afterwards (same file system: a rename)."""
    import hashlib
    import re

    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", warehouse.name.split(".")[0]):
        return warehouse
    digest = hashlib.sha1(str(warehouse).encode("utf-8")).hexdigest()[:10]
    return warehouse.with_name(f"cipanel_build_{digest}.duckdb")


def _failure_message(command: str, result, warehouse: Path, database: str) -> str:
    failed = [r for r in (getattr(result.result, "results", None) or []) if str(r.status) in ("error", "fail")]
    lines = []
    for r in failed:
        lines.append(f"{r.node.name}: {r.message}")
        lines.extend(f"    {line}" for line in _failing_rows(r, warehouse, database))
    detail = "\n  ".join(lines) if lines else str(result.exception)
    hint = (
        "DuckDB ran out of its memory limit: raise CIPANEL_DUCKDB_MEMORY_LIMIT (profiles.yml, default "
        "500MB), e.g. CIPANEL_DUCKDB_MEMORY_LIMIT=8GB.\n"
        if "out of memory" in detail.lower()
        else ""
    )
    # the failed build's rejected rows are counted by cipanel.atomic_build.failed_build_note: its
    # audit tables are discarded with it, so no hint points at audit.audit_rejected_rows here
    return f"dbt {command} failed:\n{hint}  {detail}\n"


def _failing_rows(run_result, warehouse: Path, database: str, limit: int = 5) -> list[str]:
    """The first rows a failing data test returned, so the message names the index, indicator,
    unit and year instead of only a count. The test's SQL names the database dbt built it in
    (`database`: the file's stem while dbt ran), so the file is attached under that name."""
    node = run_result.node
    sql = getattr(node, "compiled_code", None)
    if getattr(node, "resource_type", None) != "test" or not sql or not Path(warehouse).exists():
        return []
    import duckdb

    try:
        con = duckdb.connect()
        try:
            con.execute(f"attach '{str(warehouse).replace(chr(39), chr(39) * 2)}' as \"{database}\" (read_only)")
            con.execute(f'use "{database}"')
            frame = con.execute(f"select * from ({sql}) as failing limit {limit}").df()
        finally:
            con.close()
    except Exception:  # the message without examples is still right; never mask the failure
        return []
    return [
        ", ".join(f"{k}={v}" for k, v in row.items() if k != "fix") + (f": {row['fix']}" if "fix" in row else "")
        for row in frame.to_dict("records")
    ]


def _release_warehouse() -> None:
    """The profile keeps the DuckDB instance open for the run (keep_open: true); an in-process
    run must close it, or the read-only connections of the study step fail ("different configuration")."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


def build_warehouse(
    warehouse: Path | str | None = None,
    input_dir: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    extra_args: list[str] | None = None,
    project: Project | Path | str | None = None,
    summary: bool = True,
    plan: BuildPlan | None = None,
    changed_only: list[str] | None = None,
) -> dbtRunnerResult:
    """`dbt build` of the project into a new file that replaces the warehouse only if every node
    passed (cipanel.atomic_build: a failed or killed build leaves the last good warehouse as it
    was), then the build summary (printed through `progress`).

    `changed_only`: dbt selectors (cipanel.incremental.Selection.selectors) of the landed sources
    that changed and everything downstream of them; the build starts from a copy of the current
    warehouse without its study rows and builds and tests only those nodes."""
    from cipanel.atomic_build import build_atomically, is_selective
    from cipanel.build_summary import build_summary

    plan = plan or plan_build(project, input_dir)  # every project check before any file is touched
    warehouse = Path(warehouse or plan.project.warehouse)
    args = ["build", *(["--select", *changed_only] if changed_only else []), *(extra_args or [])]
    scratch = warehouse.resolve().parent / ".dbt"  # beside the final file: dbt's partial parse survives

    def build(staging: Path) -> dbtRunnerResult:
        if changed_only:
            from cipanel.incremental import discard_study_rows

            dropped = discard_study_rows(staging)
            if dropped and progress:
                progress(
                    f"note: the rebuilt warehouse starts without the study rows of the old one ({len(dropped)} "
                    "tables); the studies write them again"
                )
        return run_dbt(args, warehouse=staging, progress=progress, plan=plan, scratch=scratch, staging=True)

    result = build_atomically(
        warehouse,
        build,
        start_from_current=bool(changed_only) or is_selective(args),
        progress=progress,
    )
    if summary and progress and (changed_only or not is_selective(extra_args or [])):
        progress(build_summary(warehouse, plan).text())
    return result
