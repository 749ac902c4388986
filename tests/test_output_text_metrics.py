"""Text widths and line breaking used to size Word columns (Times New Roman metrics, CJK one em)."""

from __future__ import annotations

import pytest

from cipanel.output.docx_writer import layout
from cipanel.output.regression_tables import Grid
from cipanel.output.text_metrics import line_count, text_width, width_for_lines


def test_widths_of_numbers_stars_and_cjk():
    # digits are half an em in Times New Roman, '.' a quarter, '*' half; CJK one em
    assert text_width("0.640***", 10.5) == pytest.approx((4 * 1024 + 512 + 3 * 1024) / 2048 * 10.5)
    assert text_width("数字贸易", 10.5) == pytest.approx(42.0)
    assert text_width("(0.0777)", 10.0) == pytest.approx((2 * 682 + 5 * 1024 + 512) / 2048 * 10)


def test_line_breaking_cjk_between_characters_latin_at_spaces():
    assert line_count("数字贸易(dt)", 200) == 1
    assert line_count("数字贸易(dt)", 30) == 3  # two CJK characters a line, then "(dt)" whole
    assert line_count("Digital trade openness", 60) == 2
    assert line_count("(0.0777)", 20) > 1000  # a number never breaks: it cannot fit
    two = width_for_lines("社会保障和就业支出占财政支出比重", 2)
    assert line_count("社会保障和就业支出占财政支出比重", two) == 2 and two < text_width(
        "社会保障和就业支出占财政支出比重"
    )


def test_layout_goes_landscape_only_when_portrait_cannot_hold_the_table():
    narrow = Grid("a", "", [[("变量", 1), ("(1)", 1)]], [["数字贸易", "0.640***"]])
    wide = Grid(
        "b", "", [[("变量", 1), *[(f"({i})", 1) for i in range(1, 13)]]], [["数字贸易", *["-0.00000845***"] * 12]]
    )
    assert not layout(narrow).landscape and layout(wide).landscape
    assert layout(narrow).widths[1] >= text_width("0.640***")
