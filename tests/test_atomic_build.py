"""Faults during a build or a study: the last good warehouse stays byte-identical (SHA-256 of the
file) and readable, nothing else is left beside it, and the user gets one message, no traceback.

One base build (the session's demo warehouse) is copied for every case. Most cases test the layer
that decides (cipanel.atomic_build with a stand-in for dbt); a real dbt build runs only where the
fault happens inside dbt: a failed data test, a full disk, and a kill at several points.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cipanel import atomic_build
from cipanel.atomic_build import build_atomically, build_lock, lock_path
from cipanel.build import BuildError, build_warehouse
from cipanel.cli import main as cli_main
from cipanel.warehouse import WarehouseError, check_writable, connect, read_table
from warehouse_build import DEMO, DEMO_DATA, ROOT

PYTHON = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "python"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def warehouse(demo_warehouse, tmp_path) -> Path:
    """A copy of the base build, alone in its folder."""
    folder = tmp_path / "wh"
    folder.mkdir()
    return Path(shutil.copy(demo_warehouse, folder / "cip.duckdb"))


def beside(warehouse: Path) -> list[str]:
    """Files named after the warehouse in its folder (dbt's own scratch folders do not count)."""
    return sorted(p.name for p in warehouse.parent.iterdir() if p.name.startswith(warehouse.name))


def assert_untouched(warehouse: Path, digest: str) -> None:
    assert sha256(warehouse) == digest
    assert beside(warehouse) == [warehouse.name]
    with connect(warehouse) as con:  # still a readable warehouse
        assert con.execute("select count(*) from marts.fct_panel").fetchone()[0] > 0


def partial_dbt(staging: Path) -> None:
    """Stands in for a dbt build that wrote some tables and then failed."""
    con = duckdb.connect(str(staging))
    con.execute("create schema marts; create table marts.fct_panel as select 1 as half_built")
    con.close()
    raise BuildError("dbt build failed:\n  assert_index_inputs_complete: Got 30 results")


def test_a_failed_build_leaves_the_warehouse_as_it_was(warehouse):
    digest = sha256(warehouse)
    with pytest.raises(BuildError, match="assert_index_inputs_complete"):
        build_atomically(warehouse, partial_dbt)
    assert_untouched(warehouse, digest)


def test_a_failed_build_says_what_its_audit_had_rejected(warehouse):
    """The failed build's audit tables are removed with it: the message carries their counts."""

    def rejecting_dbt(staging: Path) -> None:
        con = duckdb.connect(str(staging))
        con.execute(
            "create schema audit; create table audit.audit_rejected_rows as "
            "select 'value is not a number' as rejection_reason, 'mine.csv' as source_file from range(3)"
        )
        con.close()
        raise BuildError("dbt build failed:\n  assert_index_inputs_complete: Got 30 results")

    with pytest.raises(BuildError) as failure:
        build_atomically(warehouse, rejecting_dbt)
    assert str(failure.value).endswith(
        "The failed build had rejected input rows (its audit.audit_rejected_rows, by reason):\n"
        "    3 rows: value is not a number (mine.csv)"
    )


def test_a_successful_build_replaces_the_file_and_leaves_nothing_else(warehouse):
    def new_build(staging: Path) -> str:
        con = duckdb.connect(str(staging))
        con.execute("create schema marts; create table marts.fct_panel as select 42 as answer")
        con.close()
        return "built"

    assert build_atomically(warehouse, new_build) == "built"
    assert beside(warehouse) == [warehouse.name]
    assert read_table("marts.fct_panel", warehouse)["answer"].tolist() == [42]


def test_a_select_build_starts_from_the_current_warehouse(warehouse):
    seen = {}

    def selective(staging: Path) -> None:
        con = duckdb.connect(str(staging), read_only=True)
        seen["rows"] = con.execute("select count(*) from marts.fct_panel").fetchone()[0]
        con.close()

    build_atomically(warehouse, selective, start_from_current=True)
    assert seen["rows"] == len(read_table("marts.fct_panel", warehouse)) > 0


def test_a_real_build_failing_on_bad_input_keeps_the_old_marts(warehouse, tmp_path):
    """The issue's example: an index component with no data fails the build's data tests; the
    old marts stay (before: new staging tables beside the old marts, no marker)."""
    inputs = tmp_path / "input"
    shutil.copytree(DEMO_DATA, inputs)
    values = next(p for p in inputs.rglob("*.csv") if "indicator_code" in p.read_text(encoding="utf-8")[:500])
    frame = pd.read_csv(values)
    dropped = frame["indicator_code"].iloc[0]
    frame[frame["indicator_code"] != dropped].to_csv(values, index=False)
    digest = sha256(warehouse)
    with pytest.raises(BuildError, match="failed") as failure:
        build_warehouse(warehouse, inputs, project=DEMO)
    assert "The failed build was discarded; the warehouse is the last good build, unchanged." in str(failure.value)
    assert_untouched(warehouse, digest)
    validated = read_table(
        "intermediate.int_indicator_values_validated", warehouse, where=f"indicator_code = '{dropped}'"
    )
    assert len(validated) > 0  # the old build's rows, not the failed build's


def test_a_full_disk_during_the_build_is_one_message(warehouse):
    def disk_fills(staging: Path) -> None:
        staging.write_bytes(b"\0" * 1024)
        raise OSError(errno.ENOSPC, "No space left on device")

    digest = sha256(warehouse)
    with pytest.raises(WarehouseError, match="is full: the build stopped and the warehouse .* is unchanged"):
        build_atomically(warehouse, disk_fills)
    assert_untouched(warehouse, digest)


@contextmanager
def small_filesystem(path: Path, megabytes: int, read_only: bool = False):
    """A tmpfs of the given size at `path` (root only; the test skips where mounting is refused)."""
    path.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_real_build_on_a_full_disk_keeps_the_warehouse(warehouse, tmp_path, capsys):
    # room for the warehouse once and a half: no room for the second copy a build writes
    megabytes = int(warehouse.stat().st_size * 1.5 / 2**20) + 1
    with small_filesystem(tmp_path / "small", megabytes=megabytes) as folder:
        target = Path(shutil.copy(warehouse, folder / "cip.duckdb"))
        digest = sha256(target)
        assert cli_main(["build", "--project", str(DEMO), "--warehouse", str(target)]) == 2
        assert "is full: the build stopped and the warehouse" in capsys.readouterr().err
        assert_untouched(target, digest)


@contextmanager
def read_only_folder(folder: Path):
    """`folder` made read-only: chmod for a normal user; root ignores permissions, so there a
    read-only tmpfs holding the same files."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    saved = folder.with_name(folder.name + "-saved")
    folder.rename(saved)
    with small_filesystem(folder, megabytes=64):
        for item in saved.iterdir():
            shutil.copy(item, folder / item.name)
        if subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield folder


def test_a_read_only_folder_refuses_build_and_study_with_one_message(warehouse, capsys):
    with read_only_folder(warehouse.parent):
        digest = sha256(warehouse)
        assert cli_main(["build", "--project", str(DEMO), "--warehouse", str(warehouse)]) == 2
        assert "cannot write in the warehouse folder" in capsys.readouterr().err
        with pytest.raises(WarehouseError, match="cannot be written: its file or folder is read-only"):
            check_writable(warehouse)
        assert (
            cli_main(
                [
                    "study",
                    "--project",
                    str(DEMO),
                    "--warehouse",
                    str(warehouse),
                    "--out",
                    str(warehouse.parent.parent / "out"),
                ]
            )
            == 2
        )
        err = capsys.readouterr().err
        assert err.startswith("error: warehouse") and "read-only" in err and "Traceback" not in err
        with pytest.raises(WarehouseError, match="cannot create the warehouse folder"):
            build_atomically(warehouse.parent / "new" / "w.duckdb", partial_dbt)
        assert_untouched(warehouse, digest)


def test_a_folder_that_cannot_be_created(warehouse):
    with pytest.raises(WarehouseError, match=r"cannot create the warehouse folder .*cip.duckdb.*sub"):
        build_atomically(warehouse / "sub" / "w.duckdb", partial_dbt)


HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
    print("holding", flush=True)
    sys.stdin.readline()
    print(con.execute("select count(*) from marts.fct_panel").fetchone()[0], flush=True)
""")


@contextmanager
def held(warehouse: Path, mode: str):
    proc = subprocess.Popen(
        [PYTHON, "-c", HOLDER, str(warehouse), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert proc.stdout.readline().strip() == "holding"
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_writer_holding_the_file_stops_the_build_before_it_starts(warehouse):
    digest = sha256(warehouse)
    called = []
    with held(warehouse, "write"):
        with pytest.raises(WarehouseError, match="open for writing in another process: close that connection"):
            build_atomically(warehouse, called.append)
    assert called == []
    assert_untouched(warehouse, digest)


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows a file in use cannot be replaced")
def test_a_reader_holding_the_file_keeps_its_snapshot_while_the_build_replaces_it(warehouse):
    def new_build(staging: Path) -> None:
        con = duckdb.connect(str(staging))
        con.execute("create schema marts; create table marts.fct_panel as select 1 as x")
        con.close()

    rows = len(read_table("marts.fct_panel", warehouse))
    with held(warehouse, "read") as reader:
        build_atomically(warehouse, new_build)
        out, _ = reader.communicate("\n", timeout=60)
    assert int(out.strip()) == rows  # the reader saw the old file to the end, no error
    assert len(read_table("marts.fct_panel", warehouse)) == 1


def test_a_concurrent_build_is_refused(warehouse):
    digest = sha256(warehouse)
    with build_lock(warehouse.absolute()):
        with pytest.raises(WarehouseError, match=rf"another build of .* is running \(process {os.getpid()}\)"):
            build_atomically(warehouse, partial_dbt)
    assert_untouched(warehouse, digest)


def test_a_file_that_is_not_a_warehouse_is_never_replaced(tmp_path):
    target = tmp_path / "thesis.duckdb"
    target.write_text("my notes", encoding="utf-8")
    with pytest.raises(WarehouseError, match="is not a DuckDB warehouse: refusing to replace it"):
        build_atomically(target, partial_dbt)
    assert target.read_text(encoding="utf-8") == "my notes"


def test_a_replace_that_fails_keeps_the_old_file(warehouse, monkeypatch):
    """What Windows does when another program has the file open."""

    def new_build(staging: Path) -> None:
        duckdb.connect(str(staging)).close()

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(atomic_build.os, "replace", refused)
    digest = sha256(warehouse)
    with pytest.raises(WarehouseError, match="cannot replace .* with the new build .*the warehouse is unchanged"):
        build_atomically(warehouse, new_build)
    assert_untouched(warehouse, digest)


KILLED = textwrap.dedent("""
    import sys
    from cipanel.build import build_warehouse
    build_warehouse(sys.argv[1], sys.argv[2], project=sys.argv[3], progress=lambda line: print(line, flush=True))
""")


@pytest.mark.parametrize("kill_at", ["seed", "test"])
def test_a_killed_build_leaves_the_warehouse_and_the_next_start_cleans_up(warehouse, kill_at):
    """SIGKILL when the first seed or the first data test finishes (a kill gives no chance
    to clean up); the next build removes the staging folder and lock file."""
    digest = sha256(warehouse)
    proc = subprocess.Popen(
        [PYTHON, "-c", KILLED, str(warehouse), str(DEMO_DATA), str(DEMO)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    try:
        for line in proc.stdout:
            if line.split()[:1] == [kill_at]:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert sha256(warehouse) == digest
    left = beside(warehouse)
    assert "cip.duckdb.building" in left and lock_path(warehouse).name in left
    with connect(warehouse) as con:
        assert con.execute("select count(*) from marts.fct_panel").fetchone()[0] > 0
    notes = []
    with pytest.raises(BuildError):  # the next start: cleans up first, whatever the build then does
        build_atomically(warehouse, partial_dbt, progress=notes.append)
    assert notes == ["removed cip.duckdb.building, left by a build that was interrupted"]
    assert_untouched(warehouse, digest)


def test_a_killed_build_before_dbt_starts(warehouse):
    """Killed while dbt is still being imported: the staging folder is empty."""
    digest = sha256(warehouse)
    proc = subprocess.Popen(
        [PYTHON, "-c", KILLED, str(warehouse), str(DEMO_DATA), str(DEMO)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    deadline = time.monotonic() + 120
    while not list(warehouse.parent.glob("cip.duckdb.building*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert sha256(warehouse) == digest
    build_atomically(warehouse, lambda staging: shutil.copy(warehouse, staging))
    assert beside(warehouse) == [warehouse.name]


# one transaction per study run: tests/test_runner_faults.py::test_a_failed_store_leaves_the_previous_results_as_they_were


@pytest.mark.parametrize(
    "query",
    [
        "select * from read_csv('{data}')",
        "copy (select 1) to '{out}'",
        "attach '{out}' as other",
        "install httpfs",
    ],
)
def test_python_connections_cannot_touch_files(warehouse, tmp_path, query):
    data = next((DEMO_DATA).rglob("*.csv"))
    sql = query.format(data=data, out=tmp_path / "escaped.duckdb")
    for read_only in (True, False):
        with pytest.raises(WarehouseError, match="refuse"):
            with connect(warehouse, read_only=read_only) as con:
                con.execute(sql)
    assert not (tmp_path / "escaped.duckdb").exists()
    assert len(read_table("marts.fct_panel", warehouse)) > 0  # reading the warehouse still works
