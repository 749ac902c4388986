"""The fingerprint of a build: one content hash of everything the warehouse is made from, so an
unchanged project reuses its warehouse instead of rebuilding all of it.

What goes in (grouped, so a changed fingerprint can say what changed):
  values    every value file the build lands (names and bytes, not paths or mtimes);
  project   cipanel.yml and the catalog and reference files the build reads (for `units: provinces`
            the reference files shipped in the tool's seeds, as cipanel.project reads them);
  dbt       the tool's dbt project (build.PROJECT_PARTS: models, macros, data tests, seeds, ...);
  code      the Python that lands the data and checks the project (cipanel/landing, project.py),
            for a source checkout whose version number does not move with every edit;
  settings  the panel window the build runs with, and the versions of cipanel, dbt and DuckDB.
Not in it: settings that change speed only (CIPANEL_DUCKDB_MEMORY_LIMIT, threads) and files the
build does not read (studies, outputs).

The fingerprint is recorded next to the warehouse (`<warehouse>.fingerprint.json`) after a
successful build, with a signature of the warehouse's built tables (names and row counts from
DuckDB's catalogue), so a warehouse rebuilt or replaced by other means (a plain `dbt build`, a copied
file) is not mistaken for the recorded one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cipanel.build import BuildPlan

SIDECAR_SUFFIX = ".fingerprint.json"
# schemas the study and analytics steps write into after the build: not part of the built signature
WRITTEN_AFTER_BUILD = ("results", "analytics")


@dataclass(frozen=True)
class Fingerprint:
    parts: dict[str, str]  # group -> sha256 of the group
    # raw source -> sha256 of what it lands (cipanel.incremental): not in the digest, which the
    # groups already decide; recorded so the next build can rebuild only what changed
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        text = json.dumps(self.parts, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def short(self) -> str:
        return self.digest[:12]


def _hash_files(files: list[tuple[str, Path | None]]) -> str:
    """sha256 over (name, content) pairs in name order; a missing file hashes as missing."""
    digest = hashlib.sha256()
    for name, path in sorted(files, key=lambda item: item[0]):
        digest.update(name.encode("utf-8") + b"\0")
        if path is None or not path.is_file():
            digest.update(b"<missing>\0")
            continue
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _tree_files(root: Path, parts) -> list[tuple[str, Path]]:
    """Every file under the named parts of `root` (hidden files and Python caches left out)."""
    out = []
    for part in parts:
        base = root / part
        if base.is_file():
            candidates = [base]
        else:
            candidates = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        for path in candidates:
            rel = path.relative_to(root)
            if any(piece.startswith(".") or piece == "__pycache__" for piece in rel.parts) or path.suffix == ".pyc":
                continue
            out.append((rel.as_posix(), path))
    return out


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def build_fingerprint(plan: BuildPlan) -> Fingerprint:
    """The fingerprint of the build `plan` (cipanel.build.BuildPlan) would run."""
    from cipanel.build import PROJECT_PARTS, dbt_project_dir
    from cipanel.landing.land import input_files
    from cipanel.project import CATALOG_FILES, PROVINCE_FILES

    project, dbt_dir = plan.project, dbt_project_dir()
    values = [(p.name, p) for p in input_files(plan.input_dir)]
    project_files = [("cipanel.yml", project.config_file)]
    for name, (rel, _, _) in CATALOG_FILES.items():  # the same choice as project.project_tables
        if name in PROVINCE_FILES and project.units == "provinces":
            project_files.append((f"(provinces) {rel}", dbt_dir / "seeds" / PROVINCE_FILES[name]))
        else:
            project_files.append((rel, project.root / rel))
    package = Path(__file__).resolve().parent
    code = _tree_files(package, ["landing", "project.py"])
    settings = {
        "panel_start_year": plan.first_year,
        "panel_end_year": plan.last_year,
        "cipanel": _version("cipanel"),
        "dbt-core": _version("dbt-core"),
        "dbt-duckdb": _version("dbt-duckdb"),
        "duckdb": _version("duckdb"),
    }
    from cipanel.incremental import source_hashes

    values_hash = _hash_files(values)
    return Fingerprint(
        {
            "values": values_hash,
            "project": _hash_files(project_files),
            "dbt": _hash_files(_tree_files(dbt_dir, PROJECT_PARTS)),
            "code": _hash_files(code),
            "settings": hashlib.sha256(json.dumps(settings, sort_keys=True).encode("utf-8")).hexdigest(),
        },
        source_hashes(plan, values_hash),
    )


def sidecar_path(warehouse: Path | str) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + SIDECAR_SUFFIX)


def built_signature(warehouse: Path | str) -> str | None:
    """A hash of the warehouse's built tables (schema, name, row count), or None when it cannot be
    read (missing, locked, not a DuckDB file): then nothing is reused."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except Exception:  # noqa: BLE001 (any failure to open means: rebuild, and the build reports it)
        return None
    try:
        rows = con.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables() "
            f"where schema_name not in ({', '.join('?' for _ in WRITTEN_AFTER_BUILD)}) order by 1, 2",
            list(WRITTEN_AFTER_BUILD),
        ).fetchall()
    except Exception:  # noqa: BLE001
        return None
    finally:
        con.close()
    if not rows:
        return None
    return hashlib.sha256(json.dumps(rows).encode("utf-8")).hexdigest()


def reuse_verdict(warehouse: Path | str, current: Fingerprint) -> tuple[bool, str]:
    """(True, "") when the warehouse was built from exactly `current`; else (False, why not)."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        return False, "no warehouse yet"
    try:
        recorded = json.loads(sidecar_path(warehouse).read_text(encoding="utf-8"))
        parts = dict(recorded["parts"])
    except (OSError, ValueError, KeyError, TypeError):
        return False, "no fingerprint recorded for this warehouse"
    changed = sorted(k for k in set(parts) | set(current.parts) if parts.get(k) != current.parts.get(k))
    if changed:
        return False, f"changed since the last build: {', '.join(changed)}"
    if recorded.get("built_signature") != built_signature(warehouse):
        return False, "the warehouse file is not the one the fingerprint was recorded for"
    return True, ""


def record(warehouse: Path | str, current: Fingerprint) -> Path:
    """Write the sidecar after a successful build (through a temporary file: never half-written)."""
    target = sidecar_path(warehouse)
    body = {
        "fingerprint": current.digest,
        "parts": current.parts,
        "sources": current.sources,
        "built_signature": built_signature(warehouse),
        "note": "written by cipanel after a successful build; delete it (or use --rebuild) to force a build",
    }
    scratch = target.with_name(target.name + ".tmp")
    try:
        scratch.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        scratch.replace(target)
    except OSError:  # best effort: without a sidecar the next run simply builds again
        pass
    return target


def forget(warehouse: Path | str) -> None:
    """Drop the sidecar before a build: a build that fails part-way must not look up to date."""
    try:
        sidecar_path(warehouse).unlink(missing_ok=True)
    except OSError:  # a read-only folder: the build that follows stops there with its own message
        pass
