"""The analytics block on the SYNTHETIC demo warehouse: every stored table against an independent
computation from the marts, the obstacle-degree models against NumPy, the outputs in both
languages, and bad blocks ending in one clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cipanel.analytics import config as analytics_config
from cipanel.analytics.compute import AnalyticsError
from cipanel.analytics.runner import run_analytics
from cipanel.analytics.weights import spatial_weights
from cipanel.study.spec import SpecError, load_spec

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "provinces-demo"
STUDY_A = DEMO / "studies" / "study_a.yml"


@pytest.fixture(scope="module")
def analytics_warehouse(demo_warehouse, tmp_path_factory):
    """A copy of the demo warehouse with study_a's analytics block run into it (zh outputs)."""
    path = tmp_path_factory.mktemp("analytics") / "demo.duckdb"
    shutil.copy(demo_warehouse, path)
    spec = load_spec(STUDY_A, "zh")
    config = analytics_config.load(STUDY_A, spec.study, spec.panel["years"])
    out = path.parent / "out"
    run = run_analytics(
        config, warehouse=path, out_dir=out, lang="zh", synthetic=True, labels=spec.labels, progress=lambda _m: None
    )
    return path, config, run, out


def _query(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).df()


def _panel(path, config):
    return _query(
        path,
        f"""
        select p.*, r.region_code as region from marts.fct_panel as p
        inner join marts.dim_unit_regions as r on r.unit_code = p.unit_code and r.scheme = '{config.region_scheme}'
        where p.year between {config.years[0]} and {config.years[1]}""",
    )


def test_dagum_table_against_the_pairwise_formula(analytics_warehouse):
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config)
    stored = _query(path, "select * from analytics.dagum_gini where study = 'study_a'")
    assert set(stored.index_code) == set(config.indices)
    assert len(stored) == len(config.indices) * (config.years[1] - config.years[0] + 1)
    for r in stored.itertuples():
        y = panel.loc[panel.year == r.year, r.index_code].to_numpy()
        plain = np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())
        assert r.gini == pytest.approx(plain, rel=1e-12)
        assert r.g_within + r.g_net_between + r.g_transvariation == pytest.approx(r.gini, rel=1e-13)
    groups = _query(path, "select * from analytics.dagum_gini_groups where study = 'study_a' and kind = 'within'")
    one = groups[(groups.index_code == "dt") & (groups.year == 2020) & (groups.region_a == "east")].iloc[0]
    y = panel.loc[(panel.year == 2020) & (panel.region == "east"), "dt"].to_numpy()
    assert one.gini == pytest.approx(np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean()), rel=1e-12)


def test_theil_table_adds_up(analytics_warehouse):
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config)
    stored = _query(path, "select * from analytics.theil where study = 'study_a'")
    for r in stored.itertuples():
        y = panel.loc[panel.year == r.year, r.index_code].to_numpy()
        ratio = y / y.mean()
        assert r.theil == pytest.approx(np.mean(ratio * np.log(ratio)), rel=1e-12)
        assert r.t_within + r.t_between == pytest.approx(r.theil, rel=1e-12)


def test_moran_table_against_the_matrix_formula(analytics_warehouse):
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config)
    stored = _query(path, "select * from analytics.moran_global where study = 'study_a'")
    codes = sorted(panel.unit_code.unique())
    W, codes = spatial_weights("queen", codes, hainan="guangdong")
    for r in stored.itertuples():
        y = panel[panel.year == r.year].set_index("unit_code").loc[codes, r.index_code].to_numpy()
        z = y - y.mean()
        assert r.moran_i == pytest.approx(len(z) / W.sum() * (z @ W @ z) / (z @ z), rel=1e-12)
        assert r.expected_i == pytest.approx(-1 / (len(z) - 1))
        assert 0 < r.p_sim <= 1 and 0 <= r.p_norm <= 1
    local = _query(path, "select * from analytics.moran_local where study = 'study_a'")
    assert set(local.year) == {2015, 2023}
    assert len(local) == len(config.indices) * 2 * len(codes)


def test_coupling_table_formula_and_range(analytics_warehouse):
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config).set_index(["unit_code", "year"])
    stored = _query(path, "select * from analytics.coupling_coordination where study = 'study_a'")
    assert stored.coordination_d.between(0, 1).all() and stored.coupling_c.between(0, 1).all()
    two = stored[stored.coupling_name == "dt_nqp"]
    u1 = panel.loc[list(zip(two.unit_code, two.year)), "dt"].to_numpy()
    u2 = panel.loc[list(zip(two.unit_code, two.year)), "nqp"].to_numpy()
    c = np.sqrt((1 - np.abs(u1 - u2)) * np.minimum(u1, u2) / np.maximum(u1, u2))
    np.testing.assert_allclose(two.coupling_c, c, rtol=1e-12)
    np.testing.assert_allclose(two.coordination_d, np.sqrt(c * (u1 + u2) / 2), rtol=1e-12)
    assert (two.level == np.floor(two.coordination_d * 10 + 1e-9).astype(int) + 1).all()
    three = stored[stored.coupling_name == "dt_nqp_res"]
    assert three.u3.notna().all() and len(three) == len(two)


def test_beta_convergence_coefficient_matches_pyfixest(analytics_warehouse):
    pyfixest = pytest.importorskip("pyfixest")
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config).sort_values(["unit_code", "year"])
    d = panel.assign(next_dt=panel.groupby("unit_code").dt.shift(-1)).dropna(subset=["next_dt"])
    d = d.assign(growth=np.log(d.next_dt / d.dt), ln_level=np.log(d.dt))
    fit = pyfixest.feols("growth ~ ln_level | unit_code + year", data=d, vcov={"CRV1": "unit_code"})
    stored = _query(
        path,
        "select * from analytics.beta_convergence where study = 'study_a' and index_code = 'dt' "
        "and kind = 'absolute' and region = '_all'",
    ).iloc[0]
    assert stored.beta == pytest.approx(fit.coef()["ln_level"], rel=1e-9)
    assert stored.n_obs == len(d)


def test_sigma_and_kde_tables(analytics_warehouse):
    path, config, _, _ = analytics_warehouse
    panel = _panel(path, config)
    sigma = _query(
        path,
        "select * from analytics.sigma_convergence where study = 'study_a' and region = '_all' and index_code = 'nqp'",
    )
    for r in sigma.itertuples():
        y = panel.loc[panel.year == r.year, "nqp"]
        assert r.cv == pytest.approx(y.std(ddof=1) / y.mean(), rel=1e-12)
    kde = _query(path, "select * from analytics.kde_density where study = 'study_a' and region = '_all'")
    for (_, _), g in kde.groupby(["index_code", "year"]):
        step = np.diff(g.x.to_numpy())[0]
        assert g.density.sum() * step == pytest.approx(1.0, abs=0.01)  # the grid covers the mass


def test_obstacle_models_against_numpy(analytics_warehouse):
    path, _, _, _ = analytics_warehouse
    z = _query(
        path, "select index_code, indicator_code, unit_code, year, z from intermediate.int_indicators_normalised"
    )
    w = _query(
        path,
        "select index_code, indicator_code, weight from marts.fct_indicator_weights "
        "where method = 'entropy' and weight_year is null",
    )
    d = z.merge(w, on=["index_code", "indicator_code"])
    d["fi"] = d.weight * (1 - d.z)
    d["expect"] = d.fi / d.groupby(["index_code", "unit_code", "year"]).fi.transform("sum")
    stored = _query(path, "select * from analytics.fct_obstacle_indicators")
    m = stored.merge(d, on=["index_code", "indicator_code", "unit_code", "year"])
    assert len(m) == len(stored) == len(d)
    np.testing.assert_allclose(m.obstacle, m.expect, rtol=1e-10)
    top = m.loc[m.groupby(["index_code", "unit_code", "year"]).expect.idxmax()]
    assert (top.obstacle_rank == 1).all()
    dims = _query(path, "select * from analytics.fct_obstacle_dimensions")
    sums = dims.groupby(["index_code", "unit_code", "year"]).obstacle.sum()
    np.testing.assert_allclose(sums, 1.0, rtol=1e-12)


def test_outputs_in_both_languages_and_in_the_report(analytics_warehouse, tmp_path):
    path, config, run, out = analytics_warehouse
    md = (out / "a_gini_dt.md").read_text(encoding="utf-8")
    assert "Dagum基尼系数" in md and "超变密度" in md and "SYNTHETIC" in md
    assert (out / "a_kde_nqp.png").exists() and (out / "a_moran.png").exists()
    rows = [line for line in md.splitlines() if line.startswith("| 20")]
    assert len(rows) == 9 and all("|  |" not in line for line in rows)  # no empty cell in any year
    assert {p["md"].name for p in run.tables} >= {
        "a_gini_res.md",
        "a_moran_dt.md",
        "a_lisa_dt.md",
        "a_coupling_dt_nqp.md",
        "a_obstacle_nqp.md",
        "a_beta_res.md",
    }
    from cipanel.analytics.hook import run_for
    from cipanel.output.report import write_report

    spec = load_spec(STUDY_A, "en")
    section = run_for(
        spec, config, warehouse=path, out_dir=tmp_path, lang="en", synthetic=True, progress=lambda _m: None
    )
    report = write_report([section], tmp_path, title="t", synthetic=True, lang="en")
    text = report["md"].read_text(encoding="utf-8")
    assert "Dagum Gini coefficient of Digital trade (dt)" in text and "Transvariation" in text
    assert "Main obstacle indicators" in text and "a_kde_dt" in text
    runs = _query(path, "select * from analytics.runs where study = 'study_a'")
    assert len(runs) == 1 and runs.synthetic.all()  # rerun replaced the study's rows


@pytest.mark.parametrize(
    "block, message",
    [
        ({"indices": ["dt"], "colour": 1}, "analytics: unknown key 'colour'"),
        ({"region_scheme": "nbs4"}, "missing key 'indices'"),
        ({"indices": ["dt"], "weights": {"kind": "rook"}}, "analytics.weights.kind: 'rook' is not allowed"),
        ({"indices": ["dt"], "weights": {"kind": "economic"}}, "analytics.weights.variable"),
        (
            {"indices": ["dt"], "coupling": [{"systems": ["dt", "nqp"], "weights": [0.6, 0.6]}]},
            r"analytics.coupling\[0\].weights: expected 2 numbers summing to 1",
        ),
        ({"indices": ["dt"], "coupling": [{"systems": ["dt"]}]}, r"analytics.coupling\[0\].systems"),
        ({"indices": ["dt"], "coupling": [{"systems": ["dt", "nqp"], "form": "old"}]}, "'old' is not allowed"),
        ({"indices": ["dt"], "kde": {"bandwidth": "wide"}}, "analytics.kde.bandwidth"),
        ({"indices": ["dt"], "moran": {"permutations": -1}}, "analytics.moran.permutations"),
        ({"indices": ["dt"], "years": [2023, 2015]}, "analytics.years: expected"),
        ({"indices": ["dt"], "convergence": {"effects": "random"}}, "analytics.convergence.effects"),
    ],
)
def test_bad_blocks_name_the_key(block, message, tmp_path):
    with pytest.raises(SpecError, match=message):
        analytics_config.parse(block, tmp_path / "s.yml", "s")


@pytest.mark.parametrize(
    "block, message",
    [
        ({"indices": ["nope"]}, "index 'nope' is not a column of the panel"),
        (
            {"indices": ["dt"], "region_scheme": "provinces7"},
            "'provinces7' is not a scheme .*use one of nbs4, three_regions",
        ),
        (
            {"indices": ["dt"], "gini": False, "coupling": [{"systems": ["dt", "market"]}]},
            r"market of unit \d+, year \d+ is .*coupling needs scores in \[0, 1\]",
        ),
        (
            {"indices": ["dt"], "gini": False, "moran": True, "weights": {"kind": "economic", "variable": "nope"}},
            "analytics.weights.variable: 'nope' is not a column",
        ),
        (
            {"indices": ["dt"], "gini": False, "obstacle": {"indices": ["market"]}},
            "'market' has no rows in analytics.fct_obstacle_indicators",
        ),
    ],
)
def test_data_errors_name_the_unit_or_column(analytics_warehouse, block, message, tmp_path):
    path = analytics_warehouse[0]
    config = analytics_config.parse(block, tmp_path / "s.yml", "bad", [2015, 2023])
    with pytest.raises(AnalyticsError, match=message):
        run_analytics(config, warehouse=path, out_dir=tmp_path, progress=lambda _m: None)


def test_cli_ends_with_one_message(analytics_warehouse, tmp_path, capsys):
    from cipanel.cli import main

    spec = tmp_path / "bad.yml"
    spec.write_text(
        STUDY_A.read_text(encoding="utf-8").replace("region_scheme: three_regions", "region_scheme: provinces7"),
        encoding="utf-8",
    )
    assert (
        main(
            [
                "analytics",
                "--project",
                str(DEMO),
                "--warehouse",
                str(analytics_warehouse[0]),
                "--study",
                str(spec),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error: analytics.region_scheme: 'provinces7'") and "Traceback" not in err


def test_study_spec_accepts_the_block_and_other_specs_have_none():
    assert load_spec(STUDY_A).study == "study_a"
    assert analytics_config.load(DEMO / "studies" / "study_b.yml") is None


def test_traditional_coupling_form_is_flagged_in_the_run(analytics_warehouse, tmp_path):
    path = analytics_warehouse[0]
    config = analytics_config.parse(
        {"indices": ["dt"], "gini": False, "coupling": [{"systems": ["dt", "nqp"], "form": "traditional"}]},
        tmp_path / "s.yml",
        "old_form",
        [2015, 2023],
    )
    messages = []
    run = run_analytics(config, warehouse=path, out_dir=tmp_path, lang="en", progress=messages.append)
    assert any(m.startswith("warning: coupling form 'traditional'") for m in messages)
    assert "Caution: traditional coupling degree" in run.tables[0]["md"].read_text(encoding="utf-8")
    pd.testing.assert_series_equal(
        run.frames["coupling_coordination"].form, pd.Series(["traditional"] * 270, name="form")
    )


def test_gini_table_keeps_one_column_per_pair_when_region_means_cross(tmp_path):
    from cipanel.analytics import dagum
    from cipanel.analytics.tables import TableWriter

    rows = []
    for year, (ma, mb) in {2020: (1.0, 2.0), 2021: (2.0, 1.0)}.items():  # region a is poorer, then richer
        for k in range(4):
            rows += [{"year": year, "region": "a", "v": ma + 0.1 * k}, {"year": year, "region": "b", "v": mb + 0.1 * k}]
    overall, groups = dagum.dagum_by_year(pd.DataFrame(rows), "v", "region")
    writer = TableWriter(tmp_path, "en", True, str, str)
    writer.gini("v", "v", overall, groups)
    md = (tmp_path / "a_gini_v.md").read_text(encoding="utf-8")
    header = next(line for line in md.splitlines() if line.startswith("| Year"))
    assert header.count("Between regions") == 1
    body = [line for line in md.splitlines() if line.startswith("| 202")]
    assert len(body) == 2 and all("|  |" not in line for line in body)
