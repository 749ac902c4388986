"""A dbt parse valid across warehouses and projects (cipanel.parse_cache): a new warehouse folder
starts from the cached parse, dbt reuses it (partial parse), the other project's path does not
leak into the manifest, and the warehouse equals one built after a full parse (SYNTHETIC data; the
other project and its build after a full parse are the session's `edited_demo`, shared with
tests/test_incremental_build.py)."""

from __future__ import annotations

import json
from pathlib import Path

from cipanel import parse_cache
from cipanel.build import dbt_project_dir, dbt_vars, plan_build
from cipanel.determinism import table_digests
from warehouse_build import build


def test_seed_fills_only_a_target_folder_without_a_parse(tmp_path, monkeypatch):
    monkeypatch.setenv("CIPANEL_PARSE_CACHE", str(tmp_path / "cache"))
    dbt_dir = dbt_project_dir()
    first, second = tmp_path / "one" / "target", tmp_path / "two" / "target"
    assert not parse_cache.seed(first, dbt_dir)  # nothing cached yet
    first.mkdir(parents=True)
    (first / parse_cache.PARSE_FILE).write_bytes(b"parse of build one")
    parse_cache.store(first, dbt_dir)
    assert parse_cache.seed(second, dbt_dir)
    assert (second / parse_cache.PARSE_FILE).read_bytes() == b"parse of build one"
    (second / parse_cache.PARSE_FILE).write_bytes(b"its own parse")
    assert not parse_cache.seed(second, dbt_dir)  # never replaces a folder's own parse
    assert (second / parse_cache.PARSE_FILE).read_bytes() == b"its own parse"
    # another dbt project folder, or other --vars (another panel window), has its own cache entry
    assert parse_cache.cache_dir(tmp_path / "other-dbt") != parse_cache.cache_dir(dbt_dir)
    assert parse_cache.cache_dir(dbt_dir, "{panel_start_year: 2010}") != parse_cache.cache_dir(dbt_dir)
    assert not parse_cache.seed(tmp_path / "three" / "target", dbt_dir, "{panel_start_year: 2010}")


def _parse_log(warehouse: Path) -> str:
    return (warehouse.parent / ".dbt" / "logs" / "dbt.log").read_text(encoding="utf-8", errors="replace")


def test_another_project_in_a_new_folder_reuses_the_parse_and_builds_the_same(
    tmp_path, monkeypatch, demo_warehouse, edited_demo
):
    """The session's demo build's parse is cached (in a cache of this test's own: other builds of the
    session store theirs in the shared one); a different project (one catalog row edited) built
    under another warehouse name in a new folder parses partially, and its warehouse equals a build
    of the same project after a full parse (an empty cache)."""
    monkeypatch.setenv("CIPANEL_PARSE_CACHE", str(tmp_path / "cache"))
    project = edited_demo["project"]
    data = project / "data"
    parse_cache.store(demo_warehouse.parent / ".dbt" / "target", dbt_project_dir(), dbt_vars(plan_build(project, data)))
    assert (
        parse_cache.cache_dir(dbt_project_dir(), dbt_vars(plan_build(project, data))) / parse_cache.PARSE_FILE
    ).is_file()

    reused = tmp_path / "reused" / "my-warehouse.duckdb"
    build(project, reused, data, extra=["--write-json"])  # the manifest, to read the sources' meta
    log = _parse_log(reused)
    assert "Starting full parse" not in log and "Partial parsing enabled" in log, log[-3000:]
    manifest = json.loads((reused.parent / ".dbt" / "target" / "manifest.json").read_text(encoding="utf-8"))
    meta = manifest["sources"]["source.cipanel.raw.indicator_catalog"]["source_meta"]
    meta = meta or manifest["sources"]["source.cipanel.raw.indicator_catalog"]["meta"]
    assert Path(meta["project"]).resolve() == project.resolve(), meta

    full = edited_demo["clean"]  # built with an empty parse cache
    assert "Starting full parse" in _parse_log(full)
    assert table_digests(reused) == table_digests(full)
    dim = '"marts"."dim_indicators"'
    assert table_digests(demo_warehouse)[dim] != table_digests(full)[dim]  # the edit reached the marts
