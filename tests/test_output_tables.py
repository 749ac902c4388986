"""cipanel.output tables: layout rules (stars, parentheses, rows), every format written and
readable, both languages, number formatting as in study A."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.result import FitResult
from cipanel.output import fmt_num, regression_grid, stars, write_table
from cipanel.study.tables import DescriptiveTable, ModelColumn, RegressionTable

WITHIN = "within R2 (xtreg fe, year dummies as regressors)"


def fit(
    params: dict[str, float],
    se: list[float],
    p: list[float],
    nobs: int = 270,
    r2: float | None = 0.878,
    r2_label: str = WITHIN,
) -> FitResult:
    b = pd.Series(params, dtype=float)
    s = pd.Series(se, index=b.index, dtype=float)
    return FitResult(
        "xtreg",
        "res",
        b,
        s,
        b / s,
        pd.Series(p, index=b.index, dtype=float),
        pd.DataFrame(np.diag(s**2), index=b.index, columns=b.index),
        nobs,
        "clustered",
        29,
        30,
        r2,
        r2_label,
    )


def regression_table(stat: str = "t") -> RegressionTable:
    base = fit(
        {"dt": 0.640, "market_share": 0.0118, "npr": -0.000419, "_cons": 0.147},
        [0.038, 0.004, 0.0002, 0.008],
        [0.009, 0.04, 0.09, 0.11],
    )
    iv = fit({"dt": 0.267, "_cons": 4.94e-06}, [0.048, 6.21e-07], [0.001, 0.2], r2=0.886, r2_label="R2")
    early = fit({"dt": 0.0774}, [0.1117], [0.5], nobs=90, r2=0.805)
    late = fit({"dt": 0.1961}, [0.0876], [0.03], nobs=180, r2=0.848)
    cols = [
        ModelColumn("(1)", "res", base, controls=False, unit_fe=False, year_fe=False),
        ModelColumn(
            "(2)", "第二阶段", iv, True, True, True, extra_rows={"kp_rk_lm": "42.77***", "cd_wald_f": "146.313"}
        ),
        ModelColumn("(3)", "2015~2017年", early, True, True, True, group="时间异质性"),
        ModelColumn("(4)", "2018~2023年", late, True, True, True, group="时间异质性"),
    ]
    return RegressionTable(
        "t2",
        "基准回归结果",
        cols,
        ["dt", "market_share", "npr", "_cons"],
        {"dt": "数字贸易"},
        stat=stat,
        notes=["控制变量未列出。"],
    )


def descriptive_table() -> DescriptiveTable:
    stats = pd.DataFrame(
        {
            "N": [270, 270],
            "mean": [0.241, 8.6334],
            "sd": [0.140, 1.890],
            "min": [0.096, 0.0004],
            "max": [0.830, 13.356],
            "median": [0.191, 8.674],
        },
        index=["res", "market"],
    )
    return DescriptiveTable("t1", "描述性统计", stats, notes=["数据为省级面板。"])


def md_rows(text: str) -> dict[str, list[list[str]]]:
    """Body rows of the Markdown pipe table by stub label (the t/se row follows its term)."""
    rows: dict[str, list[list[str]]] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("|:"):
            continue
        cells = [c.strip().replace("\\", "") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        last = cells[0] or last + "/paren"
        rows[last] = [cells[1:]]
    return {k: v[0] for k, v in rows.items()}


def test_number_format_matches_the_paper():
    printed = {
        0.640: "0.640",
        0.0118: "0.0118",
        0.00160: "0.00160",
        -0.000419: "-0.000419",
        0.0000363: "0.0000363",
        0.00000343: "0.00000343",
        0.0480: "0.0480",
        6.21e-07: "6.21e-07",
        12.3456: "12.346",
        0.0: "0.000",
        -1e-12: "-1.00e-12",
    }
    assert {x: fmt_num(x) for x in printed} == printed
    assert fmt_num(float("nan")) == "" and fmt_num(-0.0001, max_decimals=3) == "-1.00e-04"
    assert [stars(p) for p in (0.009, 0.04, 0.09, 0.11, float("nan"))] == ["***", "**", "*", "", ""]


def test_every_format_written(tmp_path):
    for table in (regression_table(), descriptive_table()):
        for lang in ("zh", "en"):
            paths = write_table(table, tmp_path / lang, lang)
            assert set(paths) == {"md", "tex", "docx", "xlsx", "csv"}
            for ext, path in paths.items():
                assert path.name == f"{table.table_id}.{ext}" and path.stat().st_size > 0


def test_markdown_stars_and_t_statistics(tmp_path):
    rows = md_rows(write_table(regression_table("t"), tmp_path)["md"].read_text("utf-8"))
    assert rows["数字贸易"][0] == "0.640***"  # p = 0.009
    assert rows["market_share"][0] == "0.0118**"  # p = 0.04
    assert rows["npr"][0] == "-0.000419*"  # p = 0.09
    assert rows["_cons"][:2] == ["0.147", "0.00000494"]  # p = 0.11 and 0.2: no stars
    assert rows["数字贸易/paren"][0] == "(16.84)"  # 0.640 / 0.038
    assert rows["控制变量"] == ["否", "是", "是", "是"]
    assert rows["年份固定效应"][0] == "否" and rows["个体固定效应"][1] == "是"
    assert rows["N"] == ["270", "270", "90", "180"]
    # one R² row per definition, labelled from FitResult.r_squared_label
    assert rows["R²（组内）"] == ["0.878", "", "0.805", "0.848"]
    assert rows["R²"] == ["", "0.886", "", ""]
    assert rows["Kleibergen-Paap rk LM 统计量"] == ["", "42.77***", "", ""]
    assert rows["Cragg-Donald Wald F 统计量"][1] == "146.313"
    text = (tmp_path / "t2.md").read_text("utf-8")
    assert "括号内为 t 统计量" in text and "控制变量未列出" in text
    assert "时间异质性<br>(3)<br>2015~2017年" in text  # stacked header levels


def test_standard_errors_in_parentheses(tmp_path):
    text = write_table(regression_table("se"), tmp_path, "en")["md"].read_text("utf-8")
    rows = md_rows(text)
    # a coefficient and its SE share one notation and one number of decimals
    assert rows["数字贸易"][0] == "0.640***" and rows["数字贸易/paren"][0] == "(0.038)"
    assert rows["_cons"][1] == "0.00000494" and rows["_cons/paren"][1] == "(0.00000062)"
    assert rows["market_share"][0] == "0.0118**" and rows["market_share/paren"][0] == "(0.0040)"
    assert "Standard errors in parentheses" in text
    with pytest.raises(ValueError, match="stat"):
        regression_grid(regression_table("z"))


def test_languages():
    zh, en = regression_grid(regression_table(), "zh"), regression_grid(regression_table(), "en")
    zh_stub, en_stub = [r[0] for r in zh.body], [r[0] for r in en.body]
    assert {"控制变量", "年份固定效应", "个体固定效应", "R²（组内）"} <= set(zh_stub)
    assert {"Controls", "Year FE", "Unit FE", "R² (within)", "Kleibergen-Paap rk LM statistic"} <= set(en_stub)
    assert en.body[en_stub.index("Controls")][1:] == ["No", "Yes", "Yes", "Yes"]
    assert zh.header[-1][0][0] == "变量" and en.header[-1][0][0] == "Variable"
    with pytest.raises(ValueError, match="lang"):
        regression_grid(regression_table(), "fr")


def test_notes_state_the_r2_and_standard_errors_in_the_table_language():
    zh, en = regression_grid(regression_table(), "zh"), regression_grid(regression_table(), "en")
    assert "标准误类型：聚类稳健标准误，聚类数 30。" in zh.notes
    assert "R²（组内）的口径：组内 R²（xtreg, fe；年份虚拟变量作为解释变量）。" in zh.notes
    assert not any("xtreg fe, year dummies" in note or "clustered" in note for note in zh.notes)
    assert "Standard errors: clustered, 30 clusters." in en.notes
    assert f"R² (within) is the {WITHIN}." in en.notes


def test_latex_three_lines_and_escaping(tmp_path):
    tex = write_table(regression_table(), tmp_path)["tex"].read_text("utf-8")
    for cmd in (
        r"\toprule",
        r"\midrule",
        r"\bottomrule",
        r"\begin{threeparttable}",
        r"\begin{tablenotes}",
        r"\multicolumn{2}{c}{时间异质性}",
        r"\cmidrule(lr){4-5}",
    ):
        assert cmd in tex
    assert r"market\_share" in tex and r"\_cons" in tex
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    assert not re.search(r"(?<!\\)_", body)  # every underscore escaped
    assert r"R\textsuperscript{2}" in tex and "2015\\textasciitilde{}2017年" in tex
    assert r"\label{tab:t2}" in tex
    for line in (x for x in tex.splitlines() if x.endswith(r"\\")):  # 5 columns on every row
        spans = sum(int(n) - 1 for n in re.findall(r"\\multicolumn\{(\d+)\}", line))
        assert line.count("&") + 1 + spans == 5, line


def test_docx_three_line_table(tmp_path):
    import docx

    doc = docx.Document(str(write_table(regression_table(), tmp_path)["docx"]))
    table = doc.tables[0]
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[0][3] == texts[0][4] == "时间异质性"  # one merged cell over two columns
    assert texts[3][:2] == ["数字贸易", "0.640***"] and texts[4][1] == "(16.84)"
    xml = table._tbl.xml
    assert 'w:eastAsia="宋体"' in xml and 'w:ascii="Times New Roman"' in xml
    assert xml.count('<w:top w:val="single" w:sz="12"') == len(table.rows[0].cells) - 1  # merged
    assert "<w:left w:val" not in xml and "insideV" not in xml  # no vertical rules
    assert doc.paragraphs[0].text == "基准回归结果"
    assert doc.paragraphs[1].text.startswith("注：")


def test_xlsx_numbers_as_numbers_stars_beside_and_raw_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(write_table(regression_table(), tmp_path)["xlsx"])
    ws, raw = wb["table"], wb["raw"]
    assert ws["A1"].value == "基准回归结果"
    # (1) is a number column B with its stars in C; 0.640*** is 0.64 shown as 0.000 plus "***"
    assert ws["A5"].value == "数字贸易" and ws["B5"].value == 0.64 and ws["B5"].number_format == "0.000"
    assert ws["C5"].value == "***" and ws["C5"].data_type == "s"
    assert ws["B6"].value == 16.84 and ws["B6"].number_format == "(0.00);(-0.00)"
    assert ws["D11"].value == 4.94e-06 and ws["D11"].number_format == "0.00000000"
    assert ws["A2"].value == "" or ws["A2"].value is None
    assert "F2:H2" in {str(r) for r in ws.merged_cells.ranges}  # 时间异质性 over (3) and (4)+stars
    header = [c.value for c in raw[1]]
    assert header == ["column", "title", "group", "term", "estimate", "se", "t", "p", "stars"]
    first = dict(zip(header, [c.value for c in raw[2]], strict=True))
    assert first["term"] == "dt" and first["estimate"] == pytest.approx(0.64)
    assert first["p"] == pytest.approx(0.009)


def test_descriptive_table(tmp_path):
    paths = write_table(descriptive_table(), tmp_path)
    rows = md_rows(paths["md"].read_text("utf-8"))
    assert rows["res"] == ["0.241", "0.140", "0.096", "0.830", "0.191", "270"]
    assert rows["market"][0] == "8.633" and rows["market"][2] == "0.000400"
    head = paths["md"].read_text("utf-8").splitlines()[2]
    assert head.split(" | ")[:7] == ["| 变量", "均值", "标准差", "最小值", "最大值", "中位数", "N |"]
    csv_text = paths["csv"].read_text("utf-8-sig")
    assert csv_text.splitlines()[1] == "res,0.241,0.140,0.096,0.830,0.191,270"
    en = write_table(descriptive_table(), tmp_path / "en", "en")["tex"].read_text("utf-8")
    assert "Variable & Mean & SD & Min & Max & Median & N" in en
