"""Study B's threshold (t8) and spatial Durbin (t9) tables on the demo warehouse (SYNTHETIC data):
each column equals a direct call of the estimator on the study's sample with the spec's options,
the rows papers print are there, the Lee-Yu column has N(T-1) observations, the LR figures exist."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cipanel.analytics.weights import spatial_weights
from cipanel.estimators.spatial import fit_spatial, row_standardise
from cipanel.estimators.threshold import fit_threshold
from cipanel.warehouse import read_table

CONTROLS = ["ln_gdp_pc", "urban_rate", "fiscal_self_sufficiency", "ln_fintech"]


@pytest.fixture(scope="module")
def study_b(demo_studies_en):
    """Study B's tables in the session's English run of both packaged studies (tests/conftest.py)."""
    tables = {t.table_id: t for t in demo_studies_en["outputs"]["study_b"]["run"].tables}
    return demo_studies_en["out"], tables


@pytest.fixture(scope="module")
def sample(demo_warehouse):
    panel = read_table("marts.fct_panel", demo_warehouse, where="year between 2014 and 2022")
    return panel.sort_values(["unit_code", "year"]).reset_index(drop=True)


def test_threshold_columns_equal_xthreg_style_fits(study_b, sample):
    _, tables = study_b
    t8 = tables["t8"]
    assert [c.result.nobs for c in t8.columns] == [270, 270]  # 30 provinces x 9 years, balanced
    direct = fit_threshold(
        sample,
        "nqp_b",
        CONTROLS,
        rx=["digital_trade_value"],
        qx="digital_trade_value",
        entity="unit_code",
        time="year",
        thnum=2,
        trim=[0.05, 0.05],
        grid=300,
        bs=[300, 300],
        cov="clustered",
        seed=12345,
    )
    double = t8.columns[1].result
    pd.testing.assert_series_equal(double.params, direct.params, rtol=1e-10)
    assert double.diagnostics["th22"] == direct.thresholds.loc["Th-22", "threshold"]
    assert double.diagnostics["double_p_value"] == direct.tests.loc["double", "p_value"]
    rows = t8.columns[1].extra_rows
    assert {"threshold_1", "threshold_2", "f_single", "f_double"} <= set(rows)
    assert t8.keep[:3] == [f"{k}._cat#c.digital_trade_value" for k in range(3)]


def test_spatial_columns_equal_xsmle_style_fits(study_b, sample):
    _, tables = study_b
    t9 = tables["t9"]
    x = ["digital_trade_value", *CONTROLS]
    units = sorted(sample["unit_code"].unique())
    queen = row_standardise(spatial_weights("queen", units)[0])
    contiguity = t9.columns[0].result
    direct = fit_spatial(sample, "nqp_b", x, entity="unit_code", time="year", w=queen, fe="twoway", nsim=0)
    pd.testing.assert_series_equal(contiguity.params, direct.params, rtol=1e-8)
    assert contiguity.diagnostics["lr_sdm_vs_sar"] == pytest.approx(direct.tests["lr_sdm_vs_sar"], rel=1e-8)
    # LeSage-Pace total effect of the treatment = (b + theta) / (1 - rho) for a row-standardised W
    p = contiguity.params
    total = (p["digital_trade_value"] + p["W*digital_trade_value"]) / (1 - p["rho"])
    assert contiguity.diagnostics["effect_total_digital_trade_value"] == pytest.approx(total, rel=1e-9)
    lee_yu = t9.columns[2].result
    assert lee_yu.nobs == 30 * 8 and any("Lee-Yu (2010) correction" in n for n in lee_yu.notes)
    unit = fit_spatial(sample, "nqp_b", x, entity="unit_code", time="year", w=queen, leeyu=True, nsim=0, tests=False)
    pd.testing.assert_series_equal(lee_yu.params, unit.params, rtol=1e-8)
    assert np.isfinite(t9.columns[1].result.params).all()
    assert {"effect_direct", "effect_indirect", "lr_sdm_vs_sem"} <= set(t9.columns[0].extra_rows)


def test_tables_notes_and_lr_figures_are_written(study_b):
    out, _ = study_b
    folder = out / "study_b"
    for table in ("t8", "t9"):
        assert (folder / f"{table}.docx").is_file()
    t8 = (folder / "t8.md").read_text(encoding="utf-8")
    assert "Threshold 1 [95% CI]" in t8 and "300 replications" in t8 and "Smkf x regime 0" in t8
    t9 = (folder / "t9.md").read_text(encoding="utf-8")
    assert "Lee-Yu" in t9 and "Hainan linked to Guangdong" in t9 and "Indirect effect (SE)" in t9
    assert (folder / "study_b_t8_2_threshold_lr.png").stat().st_size > 1000
