"""All-or-nothing builds: dbt writes a new DuckDB file in a staging folder next to the warehouse,
and that file replaces the warehouse only when every model and test passed.

Layout while a build runs, for a warehouse W = <folder>/<name>.duckdb:
  <folder>/<name>.duckdb.build.lock   held (an OS file lock) by the running build, which writes its
                                      process id in it: one build at a time
  <folder>/<name>.duckdb.building/    the staging folder: <name>.duckdb and DuckDB's .wal/.tmp
The staging file is in a folder of its own, on the same path on every build (no process id in
it); inside that folder cipanel.build runs dbt on one fixed file name (cipanel.parse_cache: dbt
re-parses the whole project when the warehouse path in its profile changes). DuckDB stores a
view's query without its own database's name, so the file can be renamed to the warehouse's name.
The staging folder is on the same filesystem as W, so the final step is one os.replace (an atomic
rename on POSIX: a reader sees the old file or the new one, never a mix). A failed, interrupted
or out-of-space build removes its staging folder; a killed one leaves it, and the next build
removes it once it holds the lock (no live build can own it then).

Windows: a file that another process holds open cannot be replaced (os.replace fails with
"access denied" / "in use"), and DuckDB holds its file open for every connection, read-only
ones included. The build checks for that before it starts and again before the swap, and stops
with a message naming the file; the last good warehouse stays as it was.

The `results` schema (written by studies) is not carried into a new full build: its rows were
estimated on the old marts, and keeping them beside new marts is the mixed warehouse this module
exists to prevent. `cipanel run` reruns the studies after the build; after `cipanel build` alone
the build says which studies to rerun. A --select build starts from a copy of the current file,
results included.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from cipanel.warehouse import WarehouseError, is_lock_error

T = TypeVar("T")

IS_WINDOWS = sys.platform == "win32"
SELECTION_FLAGS = {"--select", "-s", "--models", "-m", "--exclude", "--selector", "--resource-type", "--resource-types"}


def staging_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.building")


def lock_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.build.lock")


def is_selective(dbt_args: list[str]) -> bool:
    """A build of selected nodes only starts from a copy of the current warehouse (the other nodes
    must still be there); a full build starts from an empty file."""
    return any(a.split("=")[0] in SELECTION_FLAGS for a in dbt_args)


def _folder_error(folder: Path, exc: OSError, action: str) -> WarehouseError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "the folder is read-only for you: choose a --warehouse (or CIPANEL_WAREHOUSE) in a writable folder"
    elif exc.errno == errno.ENOSPC:
        hint = "the disk is full: free some space"
    else:
        hint = "choose another --warehouse (or CIPANEL_WAREHOUSE)"
    return WarehouseError(f"cannot {action} {folder} ({reason}): {hint}")


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """An exclusive OS lock on <warehouse>.build.lock for the whole build. The OS drops it when
    the process dies (even on SIGKILL), so a killed build never blocks the next one."""
    path = lock_path(target)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _folder_error(target.parent, exc, "write in the warehouse folder") from None
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            owner = _read_pid(path)
            raise WarehouseError(
                f"another build of {target} is running{f' (process {owner})' if owner else ''}: wait for it "
                "to finish, then build again"
            ) from None
        # the lock file may have been removed by the build that held it just before us: lock the
        # file that is at the path now, not an unlinked one
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        # remove before unlocking, so that no other build can lock the file and then lose it
        if not IS_WINDOWS:
            _unlink_quietly(path)
        _unlock(fd)
        os.close(fd)
        if IS_WINDOWS:  # an open file cannot be removed there
            _unlink_quietly(path)


def _lock(fd: int) -> None:
    if IS_WINDOWS:
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if IS_WINDOWS:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_pid(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def leftovers(target: Path) -> list[Path]:
    """Staging folders of builds that did not finish (only meaningful while holding the lock)."""
    return sorted(p for p in target.parent.glob(f"{glob.escape(target.name)}.building*"))


def clean_leftovers(target: Path, progress: Callable[[str], None] | None = None) -> list[Path]:
    removed = []
    for path in leftovers(target):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            _unlink_quietly(path)
        removed.append(path)
        if progress:
            progress(f"removed {path.name}, left by a build that was interrupted")
    return removed


def check_replaceable(target: Path) -> list[str]:
    """Refuse before building, not after: the old file must be a DuckDB database (never replace a
    file the user pointed at by mistake) that no other process holds for writing (its writes would
    go to the replaced file and be lost) and, on Windows, that no process holds at all.
    Returns the studies whose rows are in the old file's results schema."""
    if not target.exists():
        return []
    try:
        con = duckdb.connect(str(target), read_only=not IS_WINDOWS, config={"enable_external_access": False})
    except duckdb.Error as exc:
        if is_lock_error(exc):
            held = "open in another process" if IS_WINDOWS else "open for writing in another process"
            extra = " (on Windows a file in use cannot be replaced, even by a reader)" if IS_WINDOWS else ""
            raise WarehouseError(
                f"warehouse {target} is {held}{extra}: close that connection (a notebook, DuckDB shell or "
                "database tool) and build again; the warehouse is unchanged"
            ) from None
        if "database file" in str(exc).lower() or "not a valid" in str(exc).lower():
            raise WarehouseError(
                f"{target} exists and is not a DuckDB warehouse: refusing to replace it; point --warehouse "
                "(or CIPANEL_WAREHOUSE) at a .duckdb file or a new path"
            ) from None
        raise WarehouseError(f"cannot open the existing warehouse {target}: {exc}") from None
    try:
        return [r[0] for r in con.execute("select distinct study from results.runs order by 1").fetchall()]
    except duckdb.Error:  # no results schema yet
        return []
    finally:
        con.close()


def _fold_wal(path: Path) -> None:
    """Write DuckDB's write-ahead log into the database file, so that the file alone is the whole
    database: a .wal left next to a replaced file would be replayed onto the wrong database."""
    if path.with_name(path.name + ".wal").exists():
        con = duckdb.connect(str(path), config={"enable_external_access": False})
        try:
            con.execute("checkpoint")
        finally:
            con.close()


def _fsync(path: Path) -> None:
    if IS_WINDOWS and path.is_dir():
        return  # directories cannot be opened for fsync there; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def failed_build_note(staging: Path, limit: int = 5) -> str:
    """What the failed build's audit said, read before its file is removed: the audit tables a
    failure message points at are gone with the build, and the warehouse holds the last good one's."""
    if not staging.exists():
        return ""
    try:
        con = duckdb.connect(str(staging), read_only=True, config={"enable_external_access": False})
    except duckdb.Error:
        return ""
    try:
        rows = con.execute(
            "select rejection_reason, source_file, count(*) from audit.audit_rejected_rows "
            f"group by all order by 3 desc, 1, 2 limit {int(limit)}"
        ).fetchall()
    except duckdb.Error:  # the build failed before its audit models
        rows = None
    finally:
        con.close()
    note = "\nThe failed build was discarded; the warehouse is the last good build, unchanged."
    if rows:
        note += " The failed build had rejected input rows (its audit.audit_rejected_rows, by reason):\n" + "\n".join(
            f"    {count} rows: {reason} ({source})" for reason, source, count in rows
        )
    return note


def _disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "no space left" in text or "disk is full" in text


def build_atomically(
    target: Path | str,
    build: Callable[[Path], T],
    *,
    start_from_current: bool = False,
    progress: Callable[[str], None] | None = None,
) -> T:
    """Run `build(staging_file)` and move the staging file over `target` if it returns; on any
    exception (a failed dbt node, a full disk, Ctrl-C) the target is untouched and the staging
    folder removed. `start_from_current` copies the current warehouse first (a --select build)."""
    target = Path(target).absolute()
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc, "create the warehouse folder") from None
    with build_lock(target):
        clean_leftovers(target, progress)
        studies = check_replaceable(target)
        if studies and progress and not start_from_current:
            # results describe the marts they were estimated on: a new build starts without them
            progress(
                f"note: the new warehouse starts with an empty results schema (studies run on the old one: "
                f"{', '.join(studies)}); `cipanel study` (or `cipanel run`) writes them again"
            )
        staging_dir = staging_path(target)
        staging = staging_dir / target.name
        try:
            try:
                staging_dir.mkdir()
                if start_from_current and target.exists():
                    _fold_wal(target)
                    shutil.copyfile(target, staging)
            except OSError as exc:
                raise _folder_error(folder, exc, "write the new warehouse in") from None
            result = build(staging)
            _fold_wal(staging)
            _fsync(staging)
            check_replaceable(target)  # a writer may have opened the old file during the build
            if target.exists():
                _fold_wal(target)
            try:
                os.replace(staging, target)
            except PermissionError as exc:
                raise WarehouseError(
                    f"cannot replace {target} with the new build ({exc.strerror}): "
                    + (
                        "on Windows a file open in another program cannot be replaced: close every program using it "
                        "(a notebook, DuckDB shell or database tool) and build again"
                        if IS_WINDOWS
                        else "check the folder's permissions"
                    )
                    + "; the warehouse is unchanged"
                ) from None
            _fsync(folder)
            return result
        except BaseException as exc:
            if _disk_full(exc):
                raise WarehouseError(
                    f"the disk holding {folder} is full: the build stopped and the warehouse {target} is unchanged "
                    "(the build needs room for a second copy of the warehouse next to it); free some space "
                    "and build again"
                ) from None
            if isinstance(exc, Exception) and exc.args and isinstance(exc.args[0], str):
                exc.args = (exc.args[0] + failed_build_note(staging), *exc.args[1:])
            raise
        finally:
            shutil.rmtree(staging_dir, ignore_errors=True)
