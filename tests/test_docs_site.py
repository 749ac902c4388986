"""`cipanel docs`: the one-file dbt docs site of a built warehouse, where fct_panel's variable
columns (which follow the catalogs, so no properties file lists them) carry the catalog's label and
unit as their description, and descriptions written in properties files stay as they are."""

from __future__ import annotations

import json
import shutil

from cipanel.cli import main
from cipanel.docs_site import fill_column_descriptions
from warehouse_build import DEMO


def test_comments_fill_only_empty_descriptions():
    manifest = {
        "nodes": {
            "model.p.m": {
                "columns": {"a": {"name": "a", "description": "own words"}, "b": {"name": "b", "description": ""}}
            }
        }
    }
    catalog = {
        "nodes": {
            "model.p.m": {
                "columns": {
                    "A": {"type": "DOUBLE", "comment": "from the catalog a"},
                    "B": {"type": "DOUBLE", "comment": "from the catalog b"},
                    "c": {"type": "DOUBLE", "comment": "from the catalog c"},
                    "d": {"type": "DOUBLE", "comment": None},
                }
            },
            "model.p.absent": {"columns": {"x": {"comment": "no such node"}}},
        }
    }
    assert fill_column_descriptions(manifest, catalog) == 2
    columns = manifest["nodes"]["model.p.m"]["columns"]
    assert columns["a"]["description"] == "own words"
    assert columns["b"]["description"] == "from the catalog b"
    assert columns["c"]["description"] == "from the catalog c" and columns["c"]["data_type"] == "DOUBLE"
    assert "d" not in columns and "model.p.absent" not in manifest["nodes"]


def test_cipanel_docs_writes_a_site_with_the_catalog_labels(demo_warehouse, tmp_path, capsys):
    warehouse = shutil.copy(demo_warehouse, tmp_path / "demo.duckdb")  # docs generate opens the file
    assert main(["docs", "--project", str(DEMO), "--warehouse", str(warehouse)]) == 0
    said = capsys.readouterr().out
    target = tmp_path / ".dbt" / "target"
    assert f"docs: {target / 'static_index.html'}" in said
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    columns = manifest["nodes"]["model.cipanel.fct_panel"]["columns"]
    assert columns["gdp_pc"]["description"] == "人均地区生产总值 / GDP per capita (元); indicator"
    assert columns["ln_gdp_pc"]["description"].endswith("derived: ln(gdp_pc) where gdp_pc > 0")
    assert columns["unit_code"]["description"] == "Unit."  # the properties file's own text, kept
    site = (target / "static_index.html").read_text(encoding="utf-8")
    assert "MANIFEST.JSON INLINE DATA" not in site and "CATALOG.JSON INLINE DATA" not in site
    assert "人均地区生产总值 / GDP per capita (元); indicator" in site
