"""The study step's cache: rerun only what changed since the last run into the same output folder.

Three levels, all under `<output>/.cipanel-cache/` (delete the folder, or pass --rebuild, to start
clean):
  run.json     the record of the last complete run: a key over everything the run reads (spec files'
               bytes, language, table options, the warehouse's fingerprint, this code), the size and
               sha256 of every file it left in the output folder, and a signature of the study rows in
               the warehouse's results.* / analytics.* schemas. When all three still match, nothing is
               recomputed and nothing is written (decided before pandas or matplotlib is imported).
  tables/      one pickle per estimated table, named by the hash of what the table is computed from
               (its resolved spec after defaults, the study's panel settings and labels, the panel's
               content, the interpolation flags, the language, this code and the versions of the
               libraries that estimate and write). A table whose key is unchanged
               is loaded instead of re-estimated; its results rows are then identical.
  html.json    the HTML of each block of the report pages (cipanel.output.report.report_html), keyed
               by the block's Markdown; signed like the table entries, since it is copied into the
               report as it stands. Only the blocks of the last run are kept.
  outputs.json for each written output (a table's files, tables.docx/xlsx, a figure, a study's analytics
               section): the hash of its inputs and the size and sha256 of the files it wrote. An output
               is rewritten when its inputs changed or a file is missing or differs (deleted or edited by
               hand).
Atomicity: run.json is removed before a run writes anything and written only after the run
succeeded; every cache file is written to a temporary name and renamed. A failed run therefore
leaves at worst entries whose keys no longer match (recomputed next time), never a record that
says a stale output is current.
Safety: a table entry is a pickle, and unpickling foreign bytes could run code. Each entry is
therefore signed (HMAC-SHA256) with a key private to this user account (~/.cipanel/cache.key,
created on first use; CIPANEL_CACHE_KEY_FILE moves it), and an entry whose signature does not
verify (an output folder copied from someone else, a tampered file) is never unpickled: the table
is simply estimated again. Without a usable key file the table cache is off."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

CACHE_DIR = ".cipanel-cache"
FORMAT = 2  # bump when what a cache entry holds changes
_CODE_HASH: str | None = None
LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "linearmodels",
    "statsmodels",
    "matplotlib",
    "python-docx",
    "openpyxl",
    "markdown",
)


def _signing_key() -> bytes | None:
    """This user's cache signing key, created on first use (None: no writable home, cache off)."""
    import secrets

    path = Path(os.environ.get("CIPANEL_CACHE_KEY_FILE") or Path.home() / ".cipanel" / "cache.key")
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        return fresh
    except FileExistsError:  # another process created it meanwhile
        try:
            key = path.read_bytes()
        except OSError:
            return None
        return key if len(key) >= 32 else None
    except OSError:
        return None


def sign(payload: bytes) -> bytes | None:
    """The signed bytes of a cache entry (32-byte HMAC, then the payload); None without a key."""
    key = _signing_key()
    return None if key is None else hmac.new(key, payload, hashlib.sha256).digest() + payload


def verified(blob: bytes) -> bytes | None:
    """The payload of signed bytes when the signature verifies with this user's key, else None."""
    key = _signing_key()
    if key is None or len(blob) < 32:
        return None
    mac, payload = blob[:32], blob[32:]
    return payload if hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()) else None


def code_hash() -> str:
    """sha256 over every Python file of the installed cipanel (a source checkout's version number
    does not move with each edit, so an edited estimator must still invalidate its tables)."""
    global _CODE_HASH
    if _CODE_HASH is None:
        from cipanel.fingerprint import _hash_files, _tree_files, _version

        package = Path(__file__).resolve().parent
        files = [f for f in _tree_files(package, ["."]) if f[0].endswith(".py")]
        # the libraries that estimate, draw and write: an upgrade may change a number or a file
        versions = [_version(name) for name in LIBRARIES]
        text = json.dumps([_hash_files(files), _version("cipanel"), FORMAT, versions])
        _CODE_HASH = hashlib.sha256(text.encode()).hexdigest()
    return _CODE_HASH


def _plain(obj):
    """A JSON-able stand-in for `obj` whose text changes exactly when its content does."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {"__type__": type(obj).__name__, **_plain(asdict(obj))}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    if isinstance(obj, Path):
        return obj.as_posix()
    module = type(obj).__module__
    if module.startswith("pandas"):
        return {"__frame__": frame_hash(obj)}
    if module.startswith("numpy"):
        import numpy as np

        array = np.asarray(obj)
        return {"__array__": hashlib.sha256(array.tobytes() + str((array.dtype, array.shape)).encode()).hexdigest()}
    # anything else (result objects): its pickle; a pickle that differs for equal content only
    # costs a recomputation, never a stale output
    return {"__pickle__": hashlib.sha256(pickle.dumps(obj, protocol=4)).hexdigest()}


def frame_hash(frame: pd.DataFrame) -> str:
    """Content hash of a DataFrame or Series: values, index, column names and dtypes."""
    import pandas as pd

    digest = hashlib.sha256()
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=str(frame.name))
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame.reset_index(drop=False), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def key_of(*parts: Any) -> str:
    text = json.dumps([code_hash(), *(_plain(p) for p in parts)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_record(path: Path) -> list:
    data = Path(path).read_bytes()
    return [len(data), hashlib.sha256(data).hexdigest()]


def files_intact(records: dict[str, list], root: Path) -> bool:
    """Every recorded file exists with its recorded size and sha256 (size first: cheap)."""
    for rel, (size, sha) in records.items():
        path = root / rel
        try:
            if path.stat().st_size != size or file_record(path)[1] != sha:
                return False
        except OSError:
            return False
    return True


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(data)
    scratch.replace(path)


def results_signature(
    warehouse: Path | str | None, studies: list[str], schemas: tuple[str, ...] = ("results", "analytics")
) -> str | None:
    """A hash of the studies' rows in results.* and analytics.* (count and row hashes per table),
    or None when the warehouse cannot be read. A rebuilt warehouse starts without them."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.columns where column_name = 'study' "
            f"and table_schema in ({', '.join('?' for _ in schemas)}) and table_catalog = current_database() "
            "order by 1, 2",
            list(schemas),
        ).fetchall()
        marks = ", ".join("?" for _ in studies)
        rows = [
            [
                schema,
                name,
                *con.execute(
                    f'select count(*), sum(hash(t))::varchar from "{schema}"."{name}" t where study in ({marks})',
                    studies,
                ).fetchone(),
            ]
            for schema, name in tables
        ]
    except duckdb.Error:
        return None
    finally:
        con.close()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


_STATES: dict[tuple, str | None] = {}  # one check per warehouse file version and process


def warehouse_state(warehouse: Path | str | None) -> str | None:
    """The fingerprint the warehouse was built from, when its sidecar is still the warehouse's own
    (cipanel.fingerprint); None otherwise (then nothing is reused on the warehouse's word). Asked
    twice by `cipanel run` (its early exit, then the studies): answered again from memory while
    neither file has changed (same inode, size and modification time), as opening the warehouse is
    the costly part."""
    from cipanel import fingerprint

    try:
        sidecar, wal = fingerprint.sidecar_path(warehouse), Path(f"{warehouse}.wal")  # DuckDB's write-ahead log
        files = [os.stat(warehouse), os.stat(sidecar), *([os.stat(wal)] if wal.exists() else [])]
        where = (Path(warehouse).resolve().as_posix(), tuple((f.st_ino, f.st_size, f.st_mtime_ns) for f in files))
    except (OSError, TypeError):
        return None
    if where in _STATES:
        return _STATES[where]
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    state = None
    if isinstance(recorded, dict) and recorded.get("built_signature") == fingerprint.built_signature(warehouse):
        state = recorded.get("fingerprint")
    _STATES[where] = state
    return state


def run_key(
    spec_paths: list[Path], lang: str, table_options: dict | None, state: str | None, out_dir: Path
) -> str | None:
    """The key of a whole run, from files and settings only (no pandas); `state` is the warehouse's
    warehouse_state: None when it has no valid fingerprint, so the run cannot be known to be unchanged."""
    if state is None:
        return None
    try:
        specs = [[Path(p).resolve().as_posix(), hashlib.sha256(Path(p).read_bytes()).hexdigest()] for p in spec_paths]
    except OSError:
        return None
    return key_of("run", specs, lang, table_options or {}, state, Path(out_dir).resolve().as_posix())


class StudyCache:
    """The cache of one output folder; `enabled=False` (--rebuild) recomputes everything but still
    records what it wrote, so the next run can reuse it."""

    def __init__(self, out_dir: Path, enabled: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.root = self.out_dir / CACHE_DIR
        self.enabled = enabled
        self.counts = {"tables reused": 0, "tables estimated": 0, "outputs reused": 0, "outputs written": 0}
        self._outputs: dict[str, dict] = {}
        self._html: dict[str, str] | None = None  # html.json, read on first use
        self._html_used: dict[str, str] = {}
        if enabled:
            try:
                loaded = json.loads((self.root / "outputs.json").read_text(encoding="utf-8"))
                self._outputs = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self._outputs = {}

    # -- the whole run -------------------------------------------------------------------------
    def unchanged(self, key: str | None, warehouse: Path | str | None) -> dict | None:
        """The last run's record when `key`, every output file and the warehouse rows still match
        (the studies are the record's: the key covers the spec files that name them)."""
        if not self.enabled or key is None:
            return None
        try:
            record = json.loads((self.root / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("studies"), list):
            return None
        if not files_intact(record.get("files") or {}, self.out_dir):
            return None
        if record.get("results") != results_signature(warehouse, record["studies"]):
            return None
        return record

    def forget_run(self) -> None:
        """Before a run writes anything: no record may vouch for outputs about to change."""
        try:
            (self.root / "run.json").unlink(missing_ok=True)
        except OSError:
            pass

    def record_run(
        self, key: str | None, warehouse: Path | str | None, studies: list[str], folders: list[Path], summary: str
    ) -> None:
        """After a run succeeded: the files it left under `folders` (and the combined report)."""
        self._save_outputs()
        self.prune()
        if key is None:
            return
        files = {}
        for folder in folders:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file() and CACHE_DIR not in path.parts and not path.name.endswith(".tmp"):
                    files[path.relative_to(self.out_dir).as_posix()] = file_record(path)
        for name in ("report.md", "report.html"):
            if (self.out_dir / name).is_file():
                files[name] = file_record(self.out_dir / name)
        body = {
            "key": key,
            "studies": studies,
            "files": files,
            "results": results_signature(warehouse, studies),
            "summary": summary,
            "tables": self.counts["tables reused"] + self.counts["tables estimated"],
            "note": "written by cipanel after a complete run; delete .cipanel-cache or use --rebuild to redo all",
        }
        _write_atomic(self.root / "run.json", json.dumps(body, indent=1, sort_keys=True).encode("utf-8"))

    # -- estimated tables ----------------------------------------------------------------------
    def load_table(self, key: str) -> Any:
        if not self.enabled:
            return None
        path = self.root / "tables" / f"{key}.pkl"
        try:
            payload = verified(path.read_bytes())
            if payload is None:  # not signed by this user's key: never unpickled
                return None
            entry = pickle.loads(payload)
            os.utime(path)  # used: kept by prune()
            return entry
        except Exception:  # noqa: BLE001 (an unreadable or outdated entry is simply recomputed)
            return None

    def prune(self, days: float = 30) -> int:
        """Drop table entries unused for `days` (every edit adds one): the cache does not grow forever."""
        import time

        cutoff, dropped = time.time() - days * 86400, 0
        for path in (self.root / "tables").glob("*.pkl"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    dropped += 1
            except OSError:
                pass
        return dropped

    def save_table(self, key: str, entry: Any) -> None:
        try:
            signed = sign(pickle.dumps(entry, protocol=4))
            if signed is not None:
                _write_atomic(self.root / "tables" / f"{key}.pkl", signed)
        except OSError:  # best effort: without the entry the table is estimated again next time
            pass

    # -- written outputs -----------------------------------------------------------------------
    def output(
        self, name: str, key: str, make: Callable[[], Any], extra_check: Callable[[], bool] | None = None
    ) -> Any:
        """make() writes the output and returns (paths, data) or (paths, data, companions): files
        it also wrote (an SVG beside a PNG) that are checked but not returned. Reused when `key` is
        unchanged and every file it wrote is intact (and extra_check(data) holds). Returns
        (paths, data)."""
        entry = self._outputs.get(name)
        if (
            self.enabled
            and isinstance(entry, dict)
            and entry.get("key") == key
            and isinstance(entry.get("paths"), list)
            and files_intact(entry.get("files") or {}, self.out_dir)
            and (extra_check is None or extra_check(entry.get("data")))
        ):
            self.counts["outputs reused"] += 1
            return [self.out_dir / rel for rel in entry["paths"]], entry.get("data")
        self._outputs.pop(name, None)
        paths, data, *companions = make()
        self.counts["outputs written"] += 1
        base = self.out_dir.resolve()
        inside = [Path(p).resolve() for p in [*paths, *(companions[0] if companions else [])]]
        if all(p.is_relative_to(base) and p.is_file() for p in inside):  # else: not cached, rewritten next time
            rels = [p.relative_to(base).as_posix() for p in inside]
            self._outputs[name] = {
                "key": key,
                "paths": rels[: len(paths)],  # in the order make() returned them (report order)
                "files": {rel: file_record(p) for rel, p in zip(rels, inside, strict=True)},
                "data": data,
            }
        return [Path(p) for p in paths], data

    def _save_outputs(self) -> None:
        try:
            _write_atomic(self.root / "outputs.json", json.dumps(self._outputs, sort_keys=True).encode("utf-8"))
            if self._html_used:
                signed = sign(json.dumps(self._html_used, sort_keys=True).encode("utf-8"))
                if signed is not None:
                    _write_atomic(self.root / "html.json", signed)
        except OSError:
            pass

    # -- report HTML blocks --------------------------------------------------------------------
    def html(self, block: str, convert: Callable[[str], str]) -> str:
        """convert(block), or its HTML from the last run when the block's Markdown is unchanged."""
        if self._html is None:
            self._html = {}
            if self.enabled:
                try:
                    payload = verified((self.root / "html.json").read_bytes())
                    loaded = json.loads(payload) if payload is not None else {}
                    self._html = loaded if isinstance(loaded, dict) else {}
                except (OSError, ValueError):
                    pass
        key = key_of("html", block)
        done = self._html.get(key)
        if not isinstance(done, str):
            done = self._html[key] = convert(block)
        self._html_used[key] = done
        return done


def table_runner(cache: StudyCache) -> Callable[..., Any]:
    """A runner.run_table stand-in for runner.run_study(table_runner=...): loads a table whose key
    is unchanged, else estimates it and stores it with what it added to the run (warnings, placebo
    results, threshold fits for the figures), so a loaded table leaves the run exactly as an
    estimated one would."""
    from cipanel.study.runner import run_table

    hashed: dict[int, tuple[object, str]] = {}  # id(frame) -> (frame, hash): each panel hashed once

    def content(frame) -> str | None:
        if frame is None:
            return None
        if id(frame) not in hashed or hashed[id(frame)][0] is not frame:
            hashed[id(frame)] = (frame, frame_hash(frame))
        return hashed[id(frame)][1]

    def run_one(panel, spec, table, lang, run, imputed):
        key = key_of(
            "table",
            spec.study,
            str(spec.path),
            table,
            spec.panel,
            spec.labels,
            lang,
            run.sample_notes,
            content(panel),
            content(imputed),
        )
        entry = cache.load_table(key)
        if isinstance(entry, dict) and {"table", "warnings", "placebos", "threshold_fits"} <= set(entry):
            run.warnings += entry["warnings"]
            run.placebos.update(entry["placebos"])
            run.threshold_fits.update(entry["threshold_fits"])
            cache.counts["tables reused"] += 1
            return entry["table"]
        warned, placebos, fits = len(run.warnings), set(run.placebos), set(run.threshold_fits)
        made = run_table(panel, spec, table, lang, run, imputed)
        cache.counts["tables estimated"] += 1
        cache.save_table(
            key,
            {
                "table": made,
                "warnings": run.warnings[warned:],
                "placebos": {k: v for k, v in run.placebos.items() if k not in placebos},
                "threshold_fits": {k: v for k, v in run.threshold_fits.items() if k not in fits},
            },
        )
        return made

    return run_one
