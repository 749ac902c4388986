"""The build fingerprint (cipanel.fingerprint): it changes with every file and setting a build
reads, not with mtimes; and a second `cipanel run` on an unchanged project skips the dbt build and
writes the same tables."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from cipanel import fingerprint
from cipanel.build import copy_dbt_project, copy_project, plan_build
from cipanel.cli import main
from cipanel.project import load_project
from warehouse_build import DEMO, DEMO_DATA


@pytest.fixture
def demo_copy(tmp_path, monkeypatch):
    """A copy of the demo project with its data, and of the tool's dbt project (CIPANEL_DBT_PROJECT_DIR)."""
    project = copy_project(tmp_path / "project", source=DEMO)
    shutil.copytree(DEMO_DATA, project / "data")
    dbt_dir = copy_dbt_project(tmp_path / "dbt")
    monkeypatch.setenv("CIPANEL_DBT_PROJECT_DIR", str(dbt_dir))
    return project, dbt_dir


def _fp(project: Path) -> fingerprint.Fingerprint:
    return fingerprint.build_fingerprint(plan_build(load_project(project)))


def _changed(before, after) -> list[str]:
    return sorted(k for k in before.parts if before.parts[k] != after.parts[k])


def test_same_files_same_fingerprint_whatever_the_mtimes(demo_copy):
    project, dbt_dir = demo_copy
    before = _fp(project)
    for path in [*project.rglob("*"), *(dbt_dir / "models").rglob("*")]:
        if path.is_file():
            os.utime(path, (1_000_000_000, 1_000_000_000))  # touched: only the mtime changes
    (project / "catalog" / "index_catalog.csv").write_bytes((project / "catalog" / "index_catalog.csv").read_bytes())
    after = _fp(project)
    assert after.digest == before.digest
    assert len(before.digest) == 64 and before.short == before.digest[:12]


def test_a_catalog_row_changes_the_project_part(demo_copy):
    project, _ = demo_copy
    before = _fp(project)
    catalog = project / "catalog" / "indicator_catalog.csv"
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",+,", ",-,", 1) if ",+," in lines[1] else lines[1].replace(",-,", ",+,", 1)
    catalog.write_text("".join(lines), encoding="utf-8")
    assert _changed(before, _fp(project)) == ["project"]


def test_a_value_file_changes_the_values_part(demo_copy):
    project, _ = demo_copy
    before = _fp(project)
    values = project / "data" / "indicator_values_synthetic.csv"
    text = values.read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    values.write_text(text.replace(last, last[:-1] + ("1" if last[-1] != "1" else "2")), encoding="utf-8")
    assert _changed(before, _fp(project)) == ["values"]


def test_a_new_value_file_changes_the_values_part(demo_copy):
    project, _ = demo_copy
    before = _fp(project)
    shutil.copy(project / "data" / "indicator_values_synthetic.csv", project / "data" / "more_synthetic.csv")
    assert _changed(before, _fp(project)) == ["values"]


def test_a_model_file_changes_the_dbt_part(demo_copy):
    project, dbt_dir = demo_copy
    before = _fp(project)
    model = min((dbt_dir / "models").rglob("*.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert _changed(before, _fp(project)) == ["dbt"]


def test_the_panel_window_changes_the_settings_part(demo_copy):
    project, _ = demo_copy
    plan = plan_build(load_project(project))
    before = fingerprint.build_fingerprint(plan)
    shorter = fingerprint.build_fingerprint(dataclasses.replace(plan, last_year=plan.last_year - 1))
    assert _changed(before, shorter) == ["settings"]


def test_the_years_setting_changes_project_and_window(demo_copy):
    project, _ = demo_copy
    before = _fp(project)
    config = project / "cipanel.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("years: [2014, 2023]", "years: [2013, 2023]"), encoding="utf-8"
    )
    assert _changed(before, _fp(project)) == ["project", "settings"]


def test_the_memory_limit_does_not_change_it(demo_copy, monkeypatch):
    project, _ = demo_copy
    before = _fp(project)
    monkeypatch.setenv("CIPANEL_DUCKDB_MEMORY_LIMIT", "4GB")
    assert _fp(project).digest == before.digest


def test_no_record_or_another_warehouse_means_no_reuse(demo_copy, tmp_path):
    project, _ = demo_copy
    current = _fp(project)
    warehouse = tmp_path / "w.duckdb"
    assert fingerprint.reuse_verdict(warehouse, current) == (False, "no warehouse yet")
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts; create table marts.t as select 1 as x")
    con.close()
    assert fingerprint.reuse_verdict(warehouse, current)[0] is False  # no sidecar
    fingerprint.record(warehouse, current)
    assert fingerprint.reuse_verdict(warehouse, current) == (True, "")
    con = duckdb.connect(str(warehouse))  # results written after the build do not count
    con.execute("create schema results; create table results.estimates as select 1 as x")
    con.close()
    assert fingerprint.reuse_verdict(warehouse, current) == (True, "")
    con = duckdb.connect(str(warehouse))  # a build by other means (another row count) does
    con.execute("insert into marts.t values (2)")
    con.close()
    reusable, why = fingerprint.reuse_verdict(warehouse, current)
    assert not reusable and "not the one" in why
    fingerprint.record(warehouse, current)
    other = dataclasses.replace(current, parts={**current.parts, "values": "0" * 64})
    assert fingerprint.reuse_verdict(warehouse, other) == (False, "changed since the last build: values")
    fingerprint.forget(warehouse)
    assert not fingerprint.sidecar_path(warehouse).exists()


def _run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(args)
    return code, out.getvalue()


def _tables(folder: Path) -> dict[str, bytes]:
    """The table files a study writes (csv, markdown, LaTeX: the text formats, byte for byte)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".csv", ".md", ".tex", ".txt")
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """One demo-project copy run twice through the CLI (one build: the second run must skip it)."""
    root = tmp_path_factory.mktemp("fingerprint_cli")
    project = copy_project(root / "project", source=DEMO)
    shutil.copytree(DEMO_DATA, project / "data")
    args = ["run", "--project", str(project), "--study", str(project / "studies" / "study_b.yml")]
    warehouse = load_project(project).warehouse
    runs = []
    for _ in range(2):
        code, text = _run(args)
        runs.append((code, text, _tables(project / "output"), _rows(warehouse) if code == 0 else None))
    return {"project": project, "warehouse": warehouse, "first": runs[0], "second": runs[1]}


def _rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            t: con.execute(f"select * from {t} order by all").fetchall()
            for t in ("marts.fct_panel", "marts.fct_index_scores", "results.estimates")
        }
    finally:
        con.close()


def test_second_run_skips_the_build(two_runs):
    code, text, _, _ = two_runs["first"]
    assert code == 0, text
    assert "building warehouse" in text and "  model " in text  # dbt's node lines
    assert fingerprint.sidecar_path(two_runs["warehouse"]).is_file()
    code, text, _, _ = two_runs["second"]
    assert code == 0, text
    assert "warehouse up to date (fingerprint " in text and "build skipped; --rebuild forces it" in text
    assert "building warehouse" not in text
    assert "  model " not in text  # no dbt node ran
    assert two_runs["first"][3] == two_runs["second"][3]  # the same panel read by the studies


def test_second_run_writes_byte_identical_tables(two_runs):
    first, second = two_runs["first"][2], two_runs["second"][2]
    assert first, "the study wrote no table file"
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_an_edited_catalog_rebuilds_and_rebuild_forces(two_runs):
    project = two_runs["project"]
    code, text = _run(["build", "--project", str(project), "--rebuild"])
    assert code == 0, text
    assert "(--rebuild)" in text and "building warehouse" in text
    catalog = project / "catalog" / "index_catalog.csv"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a byte more
    plan = plan_build(load_project(project))
    reusable, why = fingerprint.reuse_verdict(two_runs["warehouse"], fingerprint.build_fingerprint(plan))
    assert not reusable and why == "changed since the last build: project"
