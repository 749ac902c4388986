"""Study B end to end on the demo warehouse: Driscoll-Kraay column in xtscc's convention, system
GMM diagnostics, winsorising, PCA outcome, both studies in one report."""

from __future__ import annotations

import numpy as np
import pytest

from cipanel.estimators.panel import fit_panel
from cipanel.estimators.winsor import winsorize
from cipanel.warehouse import read_table


@pytest.fixture(scope="module")
def both(demo_studies_en):
    """The session's English run of both packaged studies (tests/conftest.py)."""
    return demo_studies_en["out"], demo_studies_en["outputs"]


def tables(outputs):
    return {t.table_id: t for t in outputs["study_b"]["run"].tables}


def test_driscoll_kraay_column_states_its_bandwidth_and_uses_t_of_T_minus_1(both):
    column = tables(both[1])["t2"].columns[2]
    result = column.result
    assert result.cov_type == "driscoll_kraay" and result.diagnostics["dk_bandwidth"] == 2
    assert result.df_inference == 9 - 1  # 2014-2022


def test_system_gmm_column_reports_ar_hansen_and_instrument_count(both):
    column = tables(both[1])["t3"].columns[0]
    d = column.result.diagnostics
    assert {"ar1_z", "ar2_p", "hansen_j", "hansen_p", "n_instruments"} <= set(d)
    assert d["n_instruments"] < d["n_groups"] == 30
    assert column.result.nobs == 30 * 8  # one year lost to the lag
    assert set(column.extra_rows) == {"ar1", "ar2", "hansen", "n_instruments"}


def test_winsorised_column_equals_a_regression_on_winsor2_cut_data(both, demo_warehouse):
    panel = read_table("marts.fct_panel", demo_warehouse, where="year between 2014 and 2022")
    variables = ["nqp_b", "digital_trade_value", "ln_gdp_pc", "urban_rate", "fiscal_self_sufficiency", "ln_fintech"]
    for name in variables:
        panel[name] = winsorize(panel[name], 1, 99)
    direct = fit_panel(panel, "nqp_b", variables[1:], entity="unit_code", time="year")
    ours = tables(both[1])["t4"].columns[0].result
    assert ours.params["digital_trade_value"] == pytest.approx(direct.params["digital_trade_value"], rel=1e-12)


def test_both_studies_are_in_one_report_with_all_tables(both):
    out, outputs = both
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in report
    for study in ("study_a", "study_b"):
        for table in ("t1", "t2", "t3", "t4", "t5", "t6", "t7"):
            assert (out / study / f"{table}.docx").is_file()
    assert np.isfinite(tables(outputs)["t3"].columns[0].result.params).all()
