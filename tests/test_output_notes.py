"""Each misleading note or cell of issue 14 as a regression test on hand-built columns: SE type per
set of columns, cluster counts, the few-cluster warning and flag, R² definitions, year dummies of
GMM, number pairs, p-values below 0.001, Stock-Yogo values, untitled tables, table options."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.result import FitResult
from cipanel.output import regression_grid
from cipanel.output.notes import few_cluster_columns
from cipanel.output.regression_tables import to_markdown
from cipanel.output.stock_yogo import TWO_SLS_SIZE
from cipanel.output.table_format import (
    TableFormat,
    fmt_p,
    fmt_pair,
    stars,
    stars_note,
    table_format,
)
from cipanel.study.tables import ModelColumn, RegressionTable

XTREG = "within R2 (xtreg fe, year dummies as regressors)"


def fit(
    b: dict, se: list, p: list, cov="clustered", clusters=30, r2_label=XTREG, diagnostics=None, df=None
) -> FitResult:
    params = pd.Series(b, dtype=float)
    s = pd.Series(se, index=params.index, dtype=float)
    return FitResult(
        "xtreg",
        "y",
        params,
        s,
        params / s,
        pd.Series(p, index=params.index, dtype=float),
        pd.DataFrame(np.diag(s**2), index=params.index, columns=params.index),
        100,
        cov,
        df if df is not None else (clusters - 1 if clusters else None),
        clusters,
        0.5,
        r2_label,
        diagnostics or {},
    )


def col(name, result, **kw) -> ModelColumn:
    return ModelColumn(name, kw.pop("title", ""), result, True, kw.pop("unit_fe", True), kw.pop("year_fe", True), **kw)


def table(columns, keep=("x",), **kw) -> RegressionTable:
    return RegressionTable("t9", kw.pop("title", "表9"), list(columns), list(keep), {}, **kw)


def test_one_se_line_per_type_naming_its_columns_with_cluster_counts_per_column():
    cols = [
        col("(1)", fit({"x": 1.0}, [0.1], [0.01])),
        col("(2)", fit({"x": 1.0}, [0.1], [0.01], clusters=12)),
        col("(3)", fit({"x": 1.0}, [0.1], [0.01], cov="driscoll_kraay", clusters=None, df=8)),
    ]
    zh = regression_grid(table(cols), "zh").notes
    assert "标准误类型：聚类稳健标准误（列(1)–(2)），聚类数 (1) 30，(2) 12。" in zh
    assert "标准误类型：Driscoll-Kraay 标准误（列(3)）。" in zh
    en = regression_grid(table(cols), "en").notes
    assert "Standard errors: clustered (columns (1)–(2)), clusters (1) 30, (2) 12." in en
    assert "Standard errors: Driscoll-Kraay (column (3))." in en
    same = [col("(1)", fit({"x": 1.0}, [0.1], [0.01])), col("(2)", fit({"x": 1.0}, [0.1], [0.01]))]
    assert "标准误类型：聚类稳健标准误，聚类数 30。" in regression_grid(table(same), "zh").notes


def test_fewer_than_ten_clusters_is_warned_in_the_notes_and_flagged():
    cols = [col("(1)", fit({"x": 1.0}, [0.1], [0.01])), col("(4)", fit({"x": 1.215}, [0.0717], [0.003], clusters=3))]
    t = table(cols)
    grid = regression_grid(t, "zh")
    assert t.few_clusters == few_cluster_columns(t) == ["(4)"] and grid.few_clusters == ["(4)"]
    warning = [n for n in grid.notes if n.startswith("警告")]
    assert warning == [
        "警告：列(4)仅有 3 个聚类（少于 10 个），聚类稳健标准误与 t(2) 推断不可靠，"
        "其显著性星号不宜采信；宜报告野聚类自助法 P 值。"
    ]
    assert any(n.startswith("Warning: column (4) has only 3 clusters") for n in regression_grid(t, "en").notes)
    assert few_cluster_columns(table(cols[:1])) == []


def test_one_r2_row_and_one_definition_line_that_names_columns_when_they_differ():
    cols = [
        col("(1)", fit({"x": 1.0}, [0.1], [0.01])),
        col("(2)", fit({"x": 1.0}, [0.1], [0.01], r2_label="within R2 (time dummies as regressors)")),
    ]
    grid = regression_grid(table(cols), "zh")
    assert [r[0] for r in grid.body].count("R²（组内）") == 1
    r2 = [n for n in grid.notes if n.startswith("R²（组内）")]
    assert r2 == [
        "R²（组内）的口径：列(1)为组内 R²（xtreg, fe；年份虚拟变量作为解释变量）；"
        "列(2)为组内 R²（年份虚拟变量作为解释变量）。"
    ]
    single = regression_grid(table(cols[:1]), "zh").notes
    assert [n for n in single if n.startswith("R²")] == [
        "R²（组内）的口径：组内 R²（xtreg, fe；年份虚拟变量作为解释变量）。"
    ]


def test_year_dummies_among_gmm_regressors_print_year_effects_yes():
    gmm = fit(
        {"L.y": 0.9, "x": 0.4, "yr2016": 0.01, "yr2017": 0.02},
        [0.1, 0.2, 0.01, 0.01],
        [0.01, 0.05, 0.3, 0.1],
        cov="two-step, Windmeijer-corrected",
    )
    rows = {r[0]: r[1:] for r in regression_grid(table([col("(1)", gmm, year_fe=False, unit_fe=False)]), "zh").body}
    assert rows["年份固定效应"] == ["是"] and rows["个体固定效应"] == ["否"]
    plain = fit({"x": 0.4}, [0.2], [0.05])
    rows = {r[0]: r[1:] for r in regression_grid(table([col("(1)", plain, year_fe=False)]), "zh").body}
    assert rows["年份固定效应"] == ["否"]


def test_a_coefficient_and_its_se_share_notation_and_decimals():
    assert fmt_pair(0.00000845, 9.85e-07) == ("0.00000845", "0.00000099")  # not 0.00000845 over 9.85e-07
    assert fmt_pair(8.45e-08, 9.85e-09) == ("8.45e-08", "9.85e-09")  # scientific for both
    assert fmt_pair(0.640, 0.038) == ("0.640", "0.038")
    assert fmt_pair(0.0118, 0.004) == ("0.0118", "0.0040")
    assert fmt_pair(0.640, 0.038, decimals=4) == ("0.6400", "0.0380")
    cols = [col("(1)", fit({"x": 0.00000845}, [9.85e-07], [0.001]))]
    rows = regression_grid(table(cols, stat="se"), "zh").body
    assert rows[0][1] == "0.00000845***" and rows[1][1] == "(0.00000099)"
    for coef, se in (fmt_pair(b, s) for b in (3e-9, 0.5, 12.0, -0.002) for s in (1e-10, 0.03, 2.0)):
        assert ("e" in coef) == ("e" in se)
        if "e" not in coef:
            assert len(coef.split(".")[1]) == len(se.split(".")[1])


def test_p_values_below_0001_print_as_less_than():
    assert fmt_p(0.0) == "<0.001" and fmt_p(0.0004) == "<0.001" and fmt_p(0.0012) == "0.001"
    boot = fit({"x": 1.0}, [0.1], [0.01], diagnostics={"wcr_p": 0.0, "endog_test_p": 0.2195})
    c = col("(1)", boot, extra_rows={"wcr_p": "0.000", "endog_test_p": "0.2195"})
    rows = {r[0]: r[1:] for r in regression_grid(table([c]), "zh").body}
    assert rows["野聚类自助法 P 值(WCR)"] == ["<0.001"] and rows["内生性检验 P 值"] == ["0.220"]


def test_stock_yogo_critical_values_beside_the_cragg_donald_f():
    second = fit({"x": 0.3}, [0.05], [0.001], diagnostics={"cd_wald_f": 366.9, "first_stage_coef_z": 1e-5})
    first = fit({"z": 1e-5}, [1e-6], [0.001])
    cols = [col("(1)", first, extra_rows={"cd_wald_f": "366.925"}), col("(2)", second)]
    grid = regression_grid(table(cols, keep=("x", "z")), "zh")
    stubs = [r[0] for r in grid.body]
    at = stubs.index("Cragg-Donald Wald F 统计量")
    assert grid.body[at + 1] == ["Stock-Yogo 10% 临界值", "16.38", ""]
    assert grid.body[at + 2] == ["Stock-Yogo 15% 临界值", "8.96", ""]
    assert any("Stock & Yogo (2005), Table 5.2" in n for n in grid.notes)
    assert TWO_SLS_SIZE[2] == {"10%": 19.93, "15%": 11.59}
    many = fit(
        {"x": 0.3}, [0.05], [0.001], diagnostics={"cd_wald_f": 9.0, **{f"first_stage_coef_z{i}": 1.0 for i in range(7)}}
    )
    notes = regression_grid(table([col("(1)", first, extra_rows={"cd_wald_f": "9.0"}), col("(2)", many)]), "en").notes
    assert any("7 instruments are not tabulated" in n for n in notes)


def test_a_table_without_title_prints_no_empty_bold_heading():
    md = to_markdown(regression_grid(table([col("(1)", fit({"x": 1.0}, [0.1], [0.01]))], title=""), "zh"))
    assert "****" not in md and md.startswith("| ")


def test_options_change_decimals_stars_parentheses_and_rows():
    c = col("(1)", fit({"x": 0.6404}, [0.1], [0.03]))
    grid = regression_grid(table([c]), "zh", TableFormat(decimals=4, stars=(0.05, 0.01), stat="se", rows=("N",)))
    assert grid.body[0] == ["x", "0.6404*"] and grid.body[1] == ["", "(0.1000)"]
    assert [r[0] for r in grid.body[2:]] == ["N"]
    assert grid.notes[0] == "*、** 分别表示在 5%、1% 的水平上显著（* p<0.05，** p<0.01）。"
    assert "括号内为标准误。" in grid.notes
    assert stars(0.004, (0.10, 0.05, 0.01)) == "***" and stars(0.2) == ""
    assert stars_note((0.10, 0.05, 0.01), "en") == "* p<0.10, ** p<0.05, *** p<0.01."
    assert table_format({"stars": "0.1,0.05", "rows": "N,r2"}) == TableFormat(stars=(0.1, 0.05), rows=("N", "r2"))
    for bad, message in (
        ({"decimals": 9}, "decimals"),
        ({"stars": [0.01, 0.05]}, "stars"),
        ({"stat": "z"}, "stat"),
        ({"rows": ["fe"]}, "rows"),
        ({"digits": 3}, "unknown key 'digits'"),
    ):
        with pytest.raises(ValueError, match=message):
            table_format(bad, "my.yml: output")
