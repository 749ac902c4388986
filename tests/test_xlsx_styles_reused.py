"""xlsx_writer styles each sheet's cells through a memo (a cell styled like an earlier one gets a
copy of its style indices instead of openpyxl hashing four style objects again): the files must be
byte for byte those of styling every cell one by one, for a workbook of several tables and a table's
own file."""

from __future__ import annotations

import pytest

from cipanel.output import xlsx_writer
from cipanel.output.regression_tables import Grid


def grids() -> list[Grid]:
    return [
        Grid(
            "t1",
            "表1 描述性统计",
            [[("变量", 1), ("均值", 1), ("N", 1)]],
            [["数字贸易", "0.130", "270"], ["城市化", "60.582", "270"]],
            notes=["SYNTHETIC 数据。"],
        ),
        Grid(
            "t2",
            "表2 基准回归",
            [[("", 1), ("全样本", 2), ("子样本", 1)], [("变量", 1), ("(1)", 1), ("(2)", 1), ("(3)", 1)]],
            [
                ["数字贸易开放", "2.666***", "2.679**", "-0.0580"],
                ["", "(5.35)", "(5.65)", "(-0.51)"],
                ["常数项", "1.2e-05*", "", "3"],
                ["N", "270", "270", "52"],
            ],
            notes=["括号内为 t 值。", "第二条注释。"],
        ),
    ]


def plain_styler():
    def style(cell, key, make):
        for name, value in make().items():
            setattr(cell, name, value)

    return style


@pytest.mark.parametrize("which", ["workbook", "table"])
def test_memoised_styles_give_the_same_bytes(tmp_path, monkeypatch, which):
    def write(path):
        if which == "workbook":
            return xlsx_writer.to_xlsx_workbook(grids(), path, [False, True])
        return xlsx_writer.to_xlsx(grids()[1], path)

    memo = write(tmp_path / "memo.xlsx").read_bytes()
    monkeypatch.setattr(xlsx_writer, "_styler", plain_styler)
    assert write(tmp_path / "plain.xlsx").read_bytes() == memo
