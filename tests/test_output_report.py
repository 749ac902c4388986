"""cipanel.output report and figures: synthetic banner, every table embedded, figures written as
PNG and linked relatively."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from test_output_tables import descriptive_table, regression_table

from cipanel.output import (
    ReportSection,
    plot_coefficients,
    plot_index_trends,
    plot_indicator_weights,
    write_report,
    write_table,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> list:
    out = tmp_path_factory.mktemp("figs")
    rng = np.random.default_rng(0)
    panel = pd.DataFrame(
        [(p, r, y) for r, ps in (("东部", "ab"), ("西部", "cd")) for p in ps for y in range(2015, 2024)],
        columns=["province", "region", "year"],
    )
    panel["dt"], panel["nqp"] = rng.random(len(panel)), rng.random(len(panel))
    weights = pd.DataFrame(
        {
            "index_code": ["dt"] * 3 + ["nqp"] * 2,
            "dimension_code": ["infra", "infra", "trade", "labour", "tools"],
            "indicator_code": ["x1", "x2", "x3", "y1", "y2"],
            "weight": [0.5, 0.2, 0.3, 0.6, 0.4],
        }
    )
    rows = pd.DataFrame(
        {
            "group": ["时间", "时间", "地区", "地区", "地区"],
            "label": ["2015~2017", "2018~2023", "东部", "中部", "西部"],
            "estimate": [0.08, 0.20, 0.11, -0.04, 0.08],
        }
    )
    rows["lower"], rows["upper"] = rows["estimate"] - 0.1, rows["estimate"] + 0.1
    return [
        plot_index_trends(panel, ["dt", "nqp"], "region", out / "trends.png", synthetic=True),
        *plot_indicator_weights(weights, out / "weights", synthetic=True),
        plot_coefficients(
            rows, out / "coef.png", synthetic=True, lang="en", labels={"时间": "Period", "地区": "Region"}
        ),
    ]


def test_figures_are_png(figures):
    assert [f.name for f in figures] == ["trends.png", "weights_dt.png", "weights_nqp.png", "coef.png"]
    for f in figures:
        assert f.read_bytes()[:8] == PNG


def test_report_banner_tables_and_figures(tmp_path, figures):
    earlier = write_table(descriptive_table(), tmp_path / "elsewhere", "zh")["docx"]
    sections = [
        ReportSection("基准回归", [regression_table()], figures[:1], "正文 *说明*。"),
        ReportSection("描述性统计", [earlier], figures[1:]),
        ReportSection("Descriptive (direct)", [descriptive_table()]),
    ]
    paths = write_report(sections, tmp_path / "report", "研究 A", synthetic=True)
    md, page = paths["md"].read_text("utf-8"), paths["html"].read_text("utf-8")
    for text in (md, page):
        assert "SYNTHETIC DATA / 合成数据" in text
        assert text.index("SYNTHETIC DATA") < text.index("基准回归")  # at the top
    assert page.count("<table>") == 3 and page.count("<h2>") == 3
    for title in ("基准回归结果", "描述性统计"):
        assert title in page
    assert "0.640***" in page and "<em>说明</em>" in page  # stars literal, text is Markdown
    assert "border-top: 2px solid" in page and "<link" not in page  # inline CSS, no externals
    srcs = re.findall(r'<img alt="[^"]*" src="([^"]+)"', page)
    assert len(srcs) == len(figures)
    for src in srcs:  # relative, copied next to the report
        assert not src.startswith("/") and (paths["html"].parent / src).exists()
    assert (tmp_path / "report" / "tables" / "t2.docx").exists()
    assert "tables/t1.docx" in md  # the earlier table's other formats are linked


def test_report_without_banner(tmp_path):
    paths = write_report([ReportSection("S", [descriptive_table()])], tmp_path, "T", synthetic=False, lang="en")
    assert "SYNTHETIC" not in paths["html"].read_text("utf-8")
    assert '<html lang="en">' in paths["html"].read_text("utf-8")
