"""Rebuild only what an edit touches: when the last build's fingerprint differs from this one only in
what the raw sources hold (a catalog row, a value file), dbt builds the landed sources that changed
and every node downstream of them (`--select source:raw.<table>+`, their data tests included) in a
copy of the last warehouse; the atomic build still swaps in a complete, fully tested file.

Why content hashes per source and not dbt's `state:modified`: a catalog edit changes what the landing
plugin lands, not a model's SQL, so dbt's state comparison cannot see it. The build's inputs are
exactly the landed tables, the dbt project, the code, the panel window and the tool versions (the
fingerprint's groups); with all but the landed tables unchanged, a node whose upstream sources are
unchanged computes what it computed last time. Anything else that changed (models, code, window,
versions, the warehouse replaced by other means) means a full build.

The hash of a catalog source is the hash of the frame the plugin lands (cipanel.project.project_tables,
what `raw.<table>` will hold), so a reformatted file with the same rows rebuilds nothing downstream
of it, and a changed `cipanel.yml` counts through the tables it changes (sample rules in ref_units,
the interpolation policy in indicator_catalog). The value files are hashed by name and bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cipanel.build import BuildPlan
    from cipanel.fingerprint import Fingerprint

VALUES_SOURCE = "indicator_values"  # the raw source of the value files; the others are catalog tables
# fingerprint groups an incremental build can follow; any other changed group means a full build
SOURCE_GROUPS = {"values", "project"}


@dataclass(frozen=True)
class Selection:
    """What a build after a change runs: `sources` (raw tables whose content changed) and the dbt
    selectors for them and everything downstream; `why_full` says why a full build is needed instead."""

    sources: tuple[str, ...] = ()
    why_full: str = ""

    @property
    def selectors(self) -> list[str]:
        return [f"source:raw.{name}+" for name in self.sources]

    @property
    def incremental(self) -> bool:
        return bool(self.sources) and not self.why_full


def source_hashes(plan: BuildPlan, values_hash: str) -> dict[str, str]:
    """The content hash of every raw source the build lands: the value files (`values_hash`, the
    fingerprint's values group) and each catalog/reference table as the plugin lands it."""
    from cipanel.determinism import frame_digest
    from cipanel.project import project_tables

    tables = plan.tables if plan.tables is not None else project_tables(plan.project)
    hashes = {name: frame_digest(frame) for name, frame in sorted(tables.tables.items())}
    hashes[VALUES_SOURCE] = values_hash
    return hashes


def select_changed(recorded: dict, current: Fingerprint) -> Selection:
    """The selection for a build whose last successful build recorded `recorded` (the sidecar's
    body, already checked to belong to the warehouse file)."""
    parts = recorded.get("parts") or {}
    changed = sorted(k for k in set(parts) | set(current.parts) if parts.get(k) != current.parts.get(k))
    if not changed:
        return Selection(why_full="nothing changed")
    beyond = [k for k in changed if k not in SOURCE_GROUPS]
    if beyond:
        return Selection(why_full=f"changed: {', '.join(beyond)}")
    before = recorded.get("sources")
    if not isinstance(before, dict) or set(before) != set(current.sources):
        return Selection(why_full="the last build recorded no per-source hashes")
    sources = tuple(sorted(name for name in current.sources if before[name] != current.sources[name]))
    if not sources:  # e.g. a cipanel.yml edit that changes no landed table: build it all, to be safe
        return Selection(why_full="the project changed but no landed table did")
    return Selection(sources=sources)


def plan_selection(warehouse: Path | str, current: Fingerprint) -> Selection:
    """The incremental selection for rebuilding `warehouse`, or a Selection saying why it must be
    built in full (no warehouse, no usable record, a change outside the sources)."""
    from cipanel import fingerprint

    warehouse = Path(warehouse)
    if not warehouse.exists():
        return Selection(why_full="no warehouse yet")
    try:
        recorded = json.loads(fingerprint.sidecar_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Selection(why_full="no fingerprint recorded for this warehouse")
    if not isinstance(recorded, dict) or recorded.get("built_signature") != fingerprint.built_signature(warehouse):
        return Selection(why_full="the warehouse file is not the one the fingerprint was recorded for")
    return select_changed(recorded, current)


def discard_study_rows(staging: Path) -> list[str]:
    """Make the copy of the last warehouse what a full build starts from: without the rows studies
    wrote into it (the results schema, the analytics tables of cipanel.analytics.store), which were
    estimated on the old marts. Returns the relations dropped."""
    import duckdb

    from cipanel.analytics.store import TABLES

    con = duckdb.connect(str(staging), config={"enable_external_access": False})
    try:
        rows = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name = 'results' "
            "or (schema_name = 'analytics' and table_name in (select unnest(?))) order by 1, 2",
            [list(TABLES)],
        ).fetchall()
        con.execute("drop schema if exists results cascade")
        for schema, table in rows:
            if schema == "analytics":
                con.execute(f'drop table if exists analytics."{table}"')
        con.execute("checkpoint")
    finally:
        con.close()
    return [f"{schema}.{table}" for schema, table in rows]
