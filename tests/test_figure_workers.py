"""Figures drawn in worker processes (cipanel.output.figure_jobs): the same bytes as drawn in the
main process and as in a second run, for every kind of figure; study_b of the demo (SYNTHETIC)
written with workers and without gives identical figure files; CIPANEL_WORKERS is read as
documented; an error inside a worker reaches the caller as itself."""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cipanel.output import figure_jobs
from cipanel.output.figure_jobs import FigureJob
from warehouse_build import DEMO

PLOTS = "cipanel.output.figures"
ANALYTICS = "cipanel.analytics.figures"


@pytest.fixture(autouse=True)
def _fresh_pool():
    figure_jobs.shutdown()
    yield
    figure_jobs.shutdown()


def _frames(warehouse: Path) -> dict[str, pd.DataFrame]:
    from cipanel.warehouse import read_table

    weights = read_table("marts.fct_indicator_weights", warehouse, where="method = 'entropy' and index_code = 'dt'")
    scores = read_table(
        "marts.fct_index_scores",
        warehouse,
        where="method = 'entropy' and dimension_code = '_all' and index_code = 'dt'",
    )
    return {"weights": weights, "scores": scores}


def _synthetic_analytics() -> dict[str, pd.DataFrame]:
    """SYNTHETIC frames in the shape the analytics block stores (kde_density, moran_global)."""
    rng = np.random.default_rng(7)
    grid = np.linspace(0, 1, 64)
    kde = pd.DataFrame(
        [
            {"region": region, "year": year, "x": x, "density": d, "bandwidth_rule": "silverman"}
            for region in ("_all", "east", "west")
            for year in (2019, 2020, 2021)
            for x, d in zip(grid, np.exp(-((grid - rng.uniform(0.3, 0.7)) ** 2) / 0.02), strict=True)
        ]
    )
    moran = pd.DataFrame(
        {
            "index_code": ["dt"] * 5,
            "year": range(2019, 2024),
            "moran_i": rng.uniform(0, 0.5, 5),
            "p_sim": [0.01, 0.2, 0.03, 0.5, 0.04],
            "p_norm": [0.01, 0.2, 0.03, 0.5, 0.04],
        }
    )
    return {"kde": kde, "moran": moran}


def _jobs(frames: dict, analytics: dict, out: Path, lang: str) -> list[FigureJob]:
    """One job of each kind (output figures with their SVG copy, analytics figures, placebo)."""
    from cipanel.analytics.runner import Names

    heat = frames["scores"].rename(columns={"unit_code": "unit"})[["unit", "year", "score"]]
    opts = {"synthetic": True, "lang": lang}
    regions = Names({"east": "东部" if lang == "zh" else "East", "west": "西部" if lang == "zh" else "West"})
    return [
        FigureJob(f"{PLOTS}:plot_indicator_weights", (frames["weights"], out), opts),
        FigureJob(f"{PLOTS}:plot_index_heatmap", (heat, out / "heatmap_dt.png"), {**opts, "title": "dt"}),
        FigureJob(f"{PLOTS}:plot_placebo", (np.linspace(-1, 1, 200), 0.4, out / "placebo.png"), opts),
        FigureJob(f"{ANALYTICS}:kde_ridges", (analytics["kde"], "dt", regions, out / "a_kde.png", True, lang), {}),
        FigureJob(f"{ANALYTICS}:moran_trend", (analytics["moran"], {"dt": "DT"}, out / "a_moran.png", True, lang), {}),
    ]


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".png", ".svg")
    }


def _draw(jobs: list[FigureJob]) -> list:
    handles = figure_jobs.start(jobs)
    return handles, [figure_jobs.result(h) for h in handles]


@pytest.mark.parametrize(
    ("lang", "method"),
    [
        pytest.param(
            "zh",
            "forkserver",
            marks=pytest.mark.skipif(
                sys.platform == "win32",
                reason="Windows has no forkserver start method: workers are spawned there (the en case tests spawn)",
            ),
        ),
        ("en", "spawn"),  # how Windows starts its workers
    ],
)
def test_figures_from_workers_equal_figures_drawn_in_process_and_a_second_run(
    demo_warehouse, tmp_path, monkeypatch, lang, method
):
    monkeypatch.setattr(figure_jobs, "START_METHOD", method)
    frames, analytics = _frames(demo_warehouse), _synthetic_analytics()
    runs = {}
    for name, workers in (("serial", "1"), ("parallel", "2"), ("parallel_again", "2")):
        monkeypatch.setenv("CIPANEL_WORKERS", workers)
        figure_jobs.shutdown()  # the second parallel run starts its own workers
        handles, results = _draw(_jobs(frames, analytics, tmp_path / name, lang))
        in_workers = [h.future is not None for h in handles]
        assert in_workers == [workers != "1"] * len(handles), name  # the pool did draw them
        assert Path(results[1]) == tmp_path / name / "heatmap_dt.png"  # the plotting function's return value
        runs[name] = _digests(tmp_path / name)
    assert len(runs["serial"]) == 8  # weights, heat map, placebo: PNG + SVG; two analytics PNG
    assert runs["parallel"] == runs["serial"]
    assert runs["parallel_again"] == runs["parallel"]


def test_study_b_written_with_and_without_workers_has_identical_figures(demo_warehouse, tmp_path, monkeypatch):
    import shutil

    from cipanel import fingerprint
    from cipanel.build import plan_build
    from cipanel.pipeline import run_studies
    from cipanel.project import load_project

    warehouse = tmp_path / "w.duckdb"  # a copy: the studies' rows stay here
    shutil.copy(demo_warehouse, warehouse)
    fingerprint.record(warehouse, fingerprint.build_fingerprint(plan_build(load_project(DEMO))))
    spec = [DEMO / "studies" / "study_b.yml"]
    digests = {}
    for workers in ("2", "1"):
        monkeypatch.setenv("CIPANEL_WORKERS", workers)
        out = tmp_path / f"out_{workers}"
        written = run_studies(spec, warehouse=warehouse, out_dir=out, lang="zh", progress=lambda m: None)
        assert len(written["study_b"]["figures"]) >= 4  # trends, weights, heat map, coefficients, LR curves
        digests[workers] = _digests(out)
        if workers == "2":
            assert figure_jobs._POOL is not None  # drawn by workers, not silently in-process
    assert digests["2"] == digests["1"] and any(k.endswith(".svg") for k in digests["1"])


def test_cipanel_workers_setting(monkeypatch, caplog):
    monkeypatch.setenv("CIPANEL_WORKERS", "3")
    assert figure_jobs.workers() == 3
    monkeypatch.setenv("CIPANEL_WORKERS", "1")
    assert figure_jobs.workers() == 1
    monkeypatch.delenv("CIPANEL_WORKERS")
    assert 1 <= figure_jobs.workers() <= figure_jobs.MAX_DEFAULT
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("CIPANEL_WORKERS", bad)
        with caplog.at_level(logging.WARNING, logger="cipanel.output.figure_jobs"):
            assert figure_jobs.workers() == 1
        assert f"CIPANEL_WORKERS={bad!r} is not a whole number" in caplog.text  # said, not silently ignored
        caplog.clear()


def test_a_small_batch_is_drawn_in_process_and_an_error_in_a_worker_is_raised_as_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("CIPANEL_WORKERS", "2")
    one = [FigureJob(f"{PLOTS}:plot_placebo", (np.zeros(10), 0.0, tmp_path / "p.png"), {"lang": "en"})]
    handles, _ = _draw(one)
    assert handles[0].future is None and figure_jobs._POOL is None  # no worker started for one figure
    bad = FigureJob(f"{PLOTS}:plot_index_heatmap", (pd.DataFrame({"unit": ["a"]}), tmp_path / "h.png"), {})
    handles = figure_jobs.start([*one, *one, bad])
    assert handles[-1].future is not None
    with pytest.raises(KeyError):  # no year / score column: pandas' own error, from the worker
        figure_jobs.result(handles[-1])
    assert Path(figure_jobs.result(handles[0])) == tmp_path / "p.png"  # the other jobs are unaffected
