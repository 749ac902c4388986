"""`cipanel docs`: dbt's documentation site of a project's warehouse, one HTML file to open in a
browser, with fct_panel's variable columns described by the project's catalogs.

Why not plain `dbt docs generate`: the docs site shows a column's description only from properties
files and never falls back to the database's column comment (dbt-docs pull request 263 proposed
it and was closed unmerged). fct_panel's columns follow each project's catalogs, so the tool's
properties file cannot list them. The build writes each variable's label and unit as a column
comment (macros/panel_column_docs.sql); after `dbt docs generate`, every column of a model that has
no description of its own gets that comment as its description in manifest.json, and the one-file
site (static_index.html, as `dbt docs generate --static` writes it) is assembled from the edited
manifest. Descriptions written in properties files are never replaced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from cipanel.build import BuildError

if TYPE_CHECKING:
    from collections.abc import Callable

    from cipanel.project import Project


class DocsError(BuildError):
    """dbt docs generate failed (the message names the model or the warehouse)."""


def fill_column_descriptions(manifest: dict, catalog: dict) -> int:
    """Copy each catalog column comment into the manifest column's empty description (adding the
    column to the manifest node when no properties file lists it). Returns how many were filled."""
    filled = 0
    for unique_id, entry in catalog.get("nodes", {}).items():
        node = manifest.get("nodes", {}).get(unique_id)
        if node is None:
            continue
        declared = node.setdefault("columns", {})
        by_lower = {name.lower(): name for name in declared}
        for name, column in entry.get("columns", {}).items():
            comment = (column.get("comment") or "").strip()
            if not comment:
                continue
            key = by_lower.get(name.lower())
            if key is None:
                declared[name] = {
                    "name": name,
                    "description": comment,
                    "meta": {},
                    "data_type": column.get("type"),
                    "constraints": [],
                    "quote": None,
                    "tags": [],
                }
                filled += 1
            elif not (declared[key].get("description") or "").strip():
                declared[key]["description"] = comment
                filled += 1
    return filled


def write_static_site(target: Path) -> Path:
    """static_index.html from dbt's docs page with this manifest and catalog inlined, the way
    `dbt docs generate --static` assembles it (dbt.task.docs.generate)."""
    from dbt.task.docs import DOCS_INDEX_FILE_PATH

    page = Path(DOCS_INDEX_FILE_PATH).read_text(encoding="utf-8")
    page = page.replace('"MANIFEST.JSON INLINE DATA"', (target / "manifest.json").read_text(encoding="utf-8"))
    page = page.replace('"CATALOG.JSON INLINE DATA"', (target / "catalog.json").read_text(encoding="utf-8"))
    site = target / "static_index.html"
    site.write_text(page, encoding="utf-8")
    return site


def generate_docs(
    project: Project, warehouse: Path, progress: Callable[[str], None] = print, scratch: Path | None = None
) -> tuple[Path, int]:
    """dbt docs generate on the built warehouse, column descriptions filled, the one-file site
    written; returns (static_index.html, number of descriptions filled)."""
    from cipanel.build import run_dbt

    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise DocsError(f"warehouse {warehouse} does not exist: run `cipanel build` first")
    scratch = Path(scratch or warehouse.parent / ".dbt")
    result = run_dbt(["docs", "generate"], warehouse=warehouse, project=project, scratch=scratch)
    if not result.success:
        raise DocsError(f"dbt docs generate failed on {warehouse}: {result.exception or 'see the messages above'}")
    target = scratch / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    filled = fill_column_descriptions(manifest, catalog)
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    site = write_static_site(target)
    progress(f"docs: {site} (open it in a browser; {filled} column descriptions from the catalogs)")
    return site, filled
