"""Rebuild only what an edit touches (cipanel.incremental): the decision from the recorded
fingerprint, and a warehouse rebuilt downstream of an edited catalog row that is identical, table
by table, to a clean full build of the edited project (SYNTHETIC demo data; the edited project and
its clean build are the session's `edited_demo`, shared with tests/test_parse_cache.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from cipanel import fingerprint
from cipanel.build import copy_project, plan_build
from cipanel.cli import main
from cipanel.determinism import table_digests
from cipanel.incremental import plan_selection, select_changed
from cipanel.project import load_project
from warehouse_build import DEMO, DEMO_DATA, flip_direction, query


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the demo project with its data (its fingerprint equals the demo's: no paths in it)."""
    copy = copy_project(tmp_path / "project", source=DEMO)
    shutil.copytree(DEMO_DATA, copy / "data")
    return copy


def _fp(project: Path) -> fingerprint.Fingerprint:
    return fingerprint.build_fingerprint(plan_build(load_project(project)))


def _recorded(fp: fingerprint.Fingerprint) -> dict:
    return {"parts": fp.parts, "sources": fp.sources}


_flip_direction = flip_direction


def test_a_catalog_edit_selects_its_source_and_what_is_downstream(project):
    before = _fp(project)
    _flip_direction(project)
    selection = select_changed(_recorded(before), _fp(project))
    assert selection.incremental
    assert selection.sources == ("indicator_catalog",)
    assert selection.selectors == ["source:raw.indicator_catalog+"]


def test_an_edited_value_file_selects_the_values_source(project):
    before = _fp(project)
    value_file = sorted((project / "data").glob("*.csv"))[0]
    value_file.write_text(value_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # bytes changed
    selection = select_changed(_recorded(before), _fp(project))
    assert selection.sources == ("indicator_values",), selection


def test_changes_outside_the_sources_mean_a_full_build(project):
    before = _fp(project)
    edited = dataclasses.replace(before, parts={**before.parts, "dbt": "0" * 64})
    assert not select_changed(_recorded(before), edited).incremental
    assert "dbt" in select_changed(_recorded(before), edited).why_full
    assert select_changed(_recorded(before), before).why_full == "nothing changed"
    # a sidecar from before per-source hashes were recorded
    _flip_direction(project)
    assert "no per-source hashes" in select_changed({"parts": before.parts}, _fp(project)).why_full


def test_a_cipanel_yml_edit_that_lands_the_same_tables_builds_in_full(project):
    before = _fp(project)
    config = project / "cipanel.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    after = _fp(project)
    assert after.parts["project"] != before.parts["project"] and after.sources == before.sources
    assert "no landed table" in select_changed(_recorded(before), after).why_full


def test_a_replaced_warehouse_file_is_never_built_incrementally(project, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert plan_selection(warehouse, _fp(project)).why_full == "no warehouse yet"
    duckdb.connect(str(warehouse)).execute("create table t as select 1 as x").close()
    fp = _fp(project)
    assert "no fingerprint" in plan_selection(warehouse, fp).why_full
    fingerprint.record(warehouse, fp)
    duckdb.connect(str(warehouse)).execute("insert into t values (2)").close()  # changed by other means
    _flip_direction(project)
    assert "not the one" in plan_selection(warehouse, _fp(project)).why_full


def test_incremental_build_after_a_catalog_edit_equals_a_clean_full_build(tmp_path, demo_warehouse, edited_demo):
    """The session's demo build is the last build (recorded with the fingerprint the copy had before
    its catalog row was edited); `cipanel build` of the edited copy rebuilds only the nodes
    downstream of raw.indicator_catalog in a copy of it, and every table equals a full build of the
    edited project."""
    project = edited_demo["project"]
    warehouse = tmp_path / "incremental" / "w.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(demo_warehouse, warehouse)
    fingerprint.record(warehouse, edited_demo["fingerprint_before"])

    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(["build", "--project", str(project), "--warehouse", str(warehouse)]) == 0
    out = said.getvalue()
    assert "what the changed sources (raw.indicator_catalog) feed" in out, out[-3000:]
    ran = {line.split()[1] for line in out.splitlines() if line.startswith("  ") and len(line.split()) == 3}
    assert {"stg_catalog__indicators", "fct_index_scores", "fct_panel"} <= ran, out[-3000:]
    assert "stg_raw__indicator_values" not in ran and "dim_units" not in ran  # not downstream of the catalog
    assert fingerprint.reuse_verdict(warehouse, _fp(project)) == (True, "")

    incremental, full = table_digests(warehouse), table_digests(edited_demo["clean"])
    assert sorted(incremental) == sorted(full)
    assert [t for t in full if incremental[t] != full[t]] == []
    # the edit reached the marts: the weights differ from the unedited demo's
    assert table_digests(demo_warehouse)['"marts"."fct_indicator_weights"'] != full['"marts"."fct_indicator_weights"']
    assert edited_demo["indicator"] in set(
        query(warehouse, "select indicator_code from marts.dim_indicators where direction = '-'").indicator_code
    )
