"""The study cache (cipanel.study_cache): an unchanged run re-estimates and rewrites nothing; a
deleted or hand-edited output is rewritten; a failed run leaves no record; results rows missing
from the warehouse are written again; after editing one table only that table is re-estimated, and
every results row and table file equals a clean run's (--rebuild into another folder).

One session demo build (copied, with a fingerprint sidecar, so the studies' rows stay here), the
demo's two studies (SYNTHETIC data) copied into a temporary folder; the tests run in file order on
one output folder, as a researcher's day would."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from cipanel import fingerprint
from cipanel.build import plan_build
from cipanel.cli import main
from cipanel.project import load_project
from cipanel.study_cache import CACHE_DIR
from warehouse_build import DEMO

STUDIES = ("study_a", "study_b")
# every table of the demo's two studies (read from the specs, so a new table does not break the count)
N_TABLES = sum(
    len(yaml.safe_load((DEMO / "studies" / f"{s}.yml").read_text(encoding="utf-8"))["tables"]) for s in STUDIES
)


@pytest.fixture(scope="module")
def day(demo_warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("cache")
    warehouse = root / "w.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    fingerprint.record(warehouse, fingerprint.build_fingerprint(plan_build(load_project(DEMO))))
    specs = root / "studies"
    specs.mkdir()
    for name in STUDIES:
        shutil.copy(DEMO / "studies" / f"{name}.yml", specs / f"{name}.yml")
    day = {"root": root, "warehouse": warehouse, "specs": [specs / f"{n}.yml" for n in STUDIES], "out": root / "out"}
    first = _study(day)
    assert f"tables: reused 0, re-estimated {N_TABLES}" in first
    # the run's warnings, worded by the output layer, printed once by the pipeline
    assert first.count("warning: study_b: table t6: column (2) has only 6 clusters (fewer than 10)") == 1
    day["files"] = _files(day["out"])
    return day


def _study(day, *extra, out: Path | None = None) -> str:
    args = ["study", "--project", str(DEMO), "--warehouse", str(day["warehouse"]), "--out", str(out or day["out"])]
    for spec in day["specs"]:
        args += ["--study", str(spec)]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main([*args, *extra])
    assert code == 0, stdout.getvalue()[-3000:]
    return stdout.getvalue()


def _files(out: Path) -> dict[str, bytes]:
    """Every output file of the studies (not the cache) -> its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.relative_to(out).parts
    }


def _rows(warehouse: Path) -> dict[str, list]:
    """Every stored results row of the two studies, in key order (runs without its run time)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        out = {}
        for name, key in (
            ("estimates", "study, table_id, column_name, term"),
            ("diagnostics", "study, table_id, column_name, name"),
            ("descriptives", "study, table_id, variable"),
            ("runs", "study"),
        ):
            columns = "* exclude (run_at)" if name == "runs" else "*"
            out[name] = con.execute(f"select {columns} from results.{name} order by {key}").fetchall()
        return out


def test_an_unchanged_run_reestimates_and_rewrites_nothing(day):
    mtimes = {p: p.stat().st_mtime_ns for p in day["out"].rglob("*") if p.is_file()}
    rows = _rows(day["warehouse"])
    said = _study(day)
    assert f"studies unchanged: tables reused {N_TABLES}, re-estimated 0" in said
    assert "estimates written" not in said  # the pipeline did not run
    assert {p: p.stat().st_mtime_ns for p in day["out"].rglob("*") if p.is_file()} == mtimes
    assert _rows(day["warehouse"]) == rows
    record = json.loads((day["out"] / CACHE_DIR / "run.json").read_text(encoding="utf-8"))
    assert record["tables"] == N_TABLES and set(record["studies"]) == set(STUDIES)
    assert "study_b/t2.docx" in record["files"] and "report.html" in record["files"]


def test_a_run_that_reuses_everything_imports_no_heavy_library(day):
    """Without the run record (so the studies are run, not skipped) every table, figure, section
    and page is reused: none of SciPy's stats, linearmodels, formulaic, statsmodels, matplotlib,
    python-docx, openpyxl or markdown is imported (a fresh interpreter, as `cipanel study`)."""
    from study_imports import heavy_modules_after

    (day["out"] / CACHE_DIR / "run.json").unlink()
    args = ["study", "--project", str(DEMO), "--warehouse", str(day["warehouse"]), "--out", str(day["out"])]
    for spec in day["specs"]:
        args += ["--study", str(spec)]
    heavy, said = heavy_modules_after(f"from cipanel.cli import main\nassert main({args!r}) == 0")
    assert f"tables: reused {N_TABLES}, re-estimated 0" in said, said[-2000:]
    assert "written 0" in said, said[-2000:]
    assert heavy == set(), f"imported {sorted(heavy)}"
    assert _files(day["out"]) == day["files"]


def test_a_deleted_or_hand_edited_output_is_rewritten(day):
    out = day["out"]
    (out / "study_b" / "t2.md").unlink()
    (out / "study_b" / "t3.docx").write_bytes(b"edited by hand")
    (out / "study_a" / "study_a_index_trends.png").unlink()
    (out / "study_a" / "heatmap_dt.svg").unlink()  # the vector copy beside a PNG
    said = _study(day)
    assert "studies unchanged" not in said
    assert f"tables: reused {N_TABLES}, re-estimated 0" in said
    assert _files(out) == day["files"]  # the same bytes as the first run wrote
    assert "studies unchanged" in _study(day)  # and the record vouches for them again


def test_missing_results_rows_are_written_again(day):
    with duckdb.connect(str(day["warehouse"])) as con:
        con.execute("delete from results.estimates where study = 'study_b'")
    said = _study(day)
    assert "studies unchanged" not in said and f"tables: reused {N_TABLES}, re-estimated 0" in said
    with duckdb.connect(str(day["warehouse"]), read_only=True) as con:
        assert con.execute("select count(*) from results.estimates where study = 'study_b'").fetchone()[0] > 0


def test_a_failed_run_leaves_no_record(day, monkeypatch):
    import cipanel.output.report as report

    (day["out"] / "study_b" / "t4.csv").unlink()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(report, "write_combined_report", fail)
    with pytest.raises(RuntimeError, match="simulated"):
        _study(day)
    assert not (day["out"] / CACHE_DIR / "run.json").exists()
    monkeypatch.undo()
    said = _study(day)
    assert "studies unchanged" not in said, said[-600:]
    assert f"tables: reused {N_TABLES}, re-estimated 0" in said, said[-600:]
    assert _files(day["out"]) == day["files"]


def test_after_editing_one_table_only_it_is_reestimated_and_all_equals_a_clean_run(day):
    spec = day["specs"][1]  # study_b: column (2) of table t4 also drops the first year
    text = spec.read_text(encoding="utf-8")
    old = 'where: "not is_municipality"}'
    assert text.count(old) == 1
    spec.write_text(text.replace(old, 'where: "not is_municipality and year >= 2015"}'), encoding="utf-8")
    said = _study(day)
    assert f"tables: reused {N_TABLES - 1}, re-estimated 1" in said
    incremental_rows, incremental_files = _rows(day["warehouse"]), _files(day["out"])
    assert incremental_files["study_b/t4.md"] != day["files"]["study_b/t4.md"]  # the edit shows

    clean = day["root"] / "clean"
    said = _study(day, "--rebuild", out=clean)
    assert f"tables: reused 0, re-estimated {N_TABLES}" in said
    assert _rows(day["warehouse"]) == incremental_rows
    clean_files = _files(clean)
    tables = [n for n in clean_files if n.endswith((".md", ".tex", ".csv", ".docx", ".xlsx", ".html"))]
    assert len(tables) > 100
    differ = [n for n in tables if clean_files[n] != incremental_files.get(n)]
    assert differ == []
    assert set(clean_files) == set(incremental_files)


def test_each_report_page_is_its_markdown_converted_whole(day):
    """The pages are converted block by block (cipanel.output.report.report_html), the HTML of
    unchanged blocks reused; the result is what python-markdown gives for the whole text."""
    import markdown

    pages = sorted(day["out"].glob("**/report.md"))
    assert len(pages) == 1 + len(STUDIES)
    for md in pages:
        page = md.with_suffix(".html").read_text(encoding="utf-8")
        body = page[page.index("<body>\n") + len("<body>\n") : page.rindex("\n</body>")]
        assert body == markdown.markdown(md.read_text(encoding="utf-8"), extensions=["tables"]), md


def test_table_entries_unused_for_a_month_are_pruned(tmp_path):
    import os
    import time

    from cipanel.study_cache import StudyCache

    cache = StudyCache(tmp_path)
    cache.save_table("old", {"x": 1})
    cache.save_table("new", {"x": 2})
    old = tmp_path / CACHE_DIR / "tables" / "old.pkl"
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert cache.prune() == 1
    assert not old.exists() and cache.load_table("new") == {"x": 2}


class _RunsCode:
    """An object whose unpickling would create a file: the payload a foreign cache entry could carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_table_entry_not_signed_by_this_user_is_never_unpickled(tmp_path, monkeypatch):
    import os
    import pickle

    from cipanel.study_cache import StudyCache, sign

    cache = StudyCache(tmp_path / "out")
    cache.save_table("mine", {"x": 1})
    assert cache.load_table("mine") == {"x": 1}  # signed with this user's key: loaded
    marker = tmp_path / "code-ran"
    tables = tmp_path / "out" / CACHE_DIR / "tables"
    (tables / "plain.pkl").write_bytes(pickle.dumps(_RunsCode(marker)))  # a bare pickle, no signature
    own_key = os.environ["CIPANEL_CACHE_KEY_FILE"]
    monkeypatch.setenv("CIPANEL_CACHE_KEY_FILE", str(tmp_path / "someone-else.key"))
    foreign = sign(pickle.dumps(_RunsCode(marker)))  # signed, but with another user's key
    monkeypatch.setenv("CIPANEL_CACHE_KEY_FILE", own_key)
    (tables / "foreign.pkl").write_bytes(foreign)
    tampered = (tables / "mine.pkl").read_bytes()
    (tables / "mine.pkl").write_bytes(tampered[:-1] + bytes([tampered[-1] ^ 1]))
    assert cache.load_table("plain") is None
    assert cache.load_table("foreign") is None
    assert cache.load_table("mine") is None  # one flipped bit: recomputed, not trusted
    assert not marker.exists()
