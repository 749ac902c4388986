"""A dbt parse that stays valid across warehouses and projects.

dbt 1.11 reuses its stored parse (target/partial_parse.msgpack) only when the dbt version, the
--vars, the profile's connection details (the DuckDB file's path and database name among them) and
dbt_project.yml are what they were, and then re-parses only the files whose checksum changed (and
those reading an env var whose value changed). Two things made every new warehouse a full parse
(~2x the partial one here):
  - the path: dbt opened the warehouse by its own path, so each warehouse (and each project's
    default one) had its own profile. A build now runs dbt inside the atomic build's staging folder
    on one fixed relative file name, STABLE_FILE, and moves the file to the warehouse's name after;
    DuckDB stores views without their own database's name, so nothing in the file depends on it.
  - the target folder: it sits beside the warehouse, so a new warehouse folder (a new project, a
    new clone) has no stored parse. After each successful build the parse is kept in a per-user
    cache (CIPANEL_PARSE_CACHE, default ~/.cache/cipanel/dbt-parse), one per dbt version, dbt
    project folder and --vars (the panel window: dbt discards a parse made with other vars, so
    projects with different windows keep one each), and a target folder without one starts from
    that copy.
Correctness rests on dbt's own checks, which run on the seeded copy as on any stored parse: a copy
made with another dbt version, other vars or another profile is discarded (a full parse, as
before), and changed files are re-parsed. The user project reaches the parse only through env
vars in the sources' meta (CIPANEL_PROJECT, CIPANEL_INPUT_DIR, models/staging/_raw__sources.yml),
which dbt records per file, so another project's copy has that file re-parsed; the catalogs
themselves are landed at run time, never parsed."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

STABLE_FILE = "cipanel_build.duckdb"  # the name dbt builds under (an identifier: dbt-duckdb needs one)
PARSE_FILE = "partial_parse.msgpack"


def cache_dir(dbt_dir: Path, cli_vars: str = "") -> Path:
    """The cached parse's folder for this dbt version, dbt project folder and --vars value."""
    from dbt.version import __version__

    root = Path(os.environ.get("CIPANEL_PARSE_CACHE") or Path.home() / ".cache" / "cipanel" / "dbt-parse")
    key = hashlib.sha256(f"{__version__}\0{Path(dbt_dir).resolve()}\0{cli_vars}".encode()).hexdigest()[:16]
    return root / key


def seed(target: Path, dbt_dir: Path, cli_vars: str = "") -> bool:
    """Copy the cached parse into a target folder that has none; True if it did."""
    stored = cache_dir(dbt_dir, cli_vars) / PARSE_FILE
    if (Path(target) / PARSE_FILE).exists() or not stored.is_file():
        return False
    try:
        Path(target).mkdir(parents=True, exist_ok=True)
        scratch = Path(target) / f"{PARSE_FILE}.seed"
        shutil.copyfile(stored, scratch)
        os.replace(scratch, Path(target) / PARSE_FILE)
    except OSError:  # best effort: without it dbt parses in full
        return False
    return True


def store(target: Path, dbt_dir: Path, cli_vars: str = "") -> None:
    """Keep the parse a successful build left in `target` for the next new target folder (written to
    a temporary name and renamed: a concurrent build reads the old copy or the new one)."""
    parsed = Path(target) / PARSE_FILE
    if not parsed.is_file():
        return
    folder = cache_dir(dbt_dir, cli_vars)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = folder / f"{PARSE_FILE}.{os.getpid()}.tmp"
        shutil.copyfile(parsed, scratch)
        os.replace(scratch, folder / PARSE_FILE)
    except OSError:  # a read-only home: nothing cached, the next new folder parses in full
        pass
