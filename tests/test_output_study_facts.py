"""The output layer words what study code returns as facts (issue 12): every Note kind, the unit
and index samples, IV stage headers from the column role, the results.* text columns. Expected
sentences are written out here in full, in both languages (they are what the tables printed when
study code still held the words), so a changed phrase fails here and not only in a snapshot."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from test_study import MINIMAL, firm_panel

from cipanel.output.labels import FIXED, LANGS, ROW_LABELS, row_label
from cipanel.output.notes import column_title, describe_index_sample, describe_units, note_text, run_text
from cipanel.output.regression_tables import regression_grid
from cipanel.study import notes as study_notes
from cipanel.study.results import store
from cipanel.study.runner import run_study
from cipanel.study.samples import UnitSample
from cipanel.study.spec import load_spec
from cipanel.study.tables import ModelColumn, Note

SAMPLE = UnitSample(
    n_units=37,
    included=["F000"],
    excluded=["F002", "F003"],
    excluded_by_flag={"is_big": ["F004"], "is_tiny": []},
    out_by_panel_flag=["F001"],
    outside_index={"F000": 6},
)
INDEX = {"n_in": 30, "out": ["540000"]}

WORDED = [
    (
        Note("outside_index_rows", {"columns": [("(1)", 6, 0), ("(2)", 0, 6)]}),
        "研究纳入的指数样本外单位(无指数得分)的观测, 各列使用/因所需变量(如指数)缺失而未用: (1) 6/0, (2) 0/6。",
        "Rows of units outside the index sample (included by this study; no index score), used / left out for "
        "a missing variable such as an index, per column: (1) 6/0, (2) 0/6.",
    ),
    (
        Note("interpolated_cells", {"columns": [("(1)", 12), ("(2)", 0)]}),
        "各列估计样本所用插值单元格数(含指数成分): (1) 12, (2) 0。",
        "Interpolated cells used by each column's estimation sample (incl. index components): (1) 12, (2) 0.",
    ),
    (
        Note("interpolated_cells", {"columns": []}),
        "插值单元格数未知(数据仓库无插值记录)。",
        "Interpolated cells used: not known (the warehouse has no imputation log).",
    ),
    (
        study_notes.few_clusters("(2)", 5),
        "警告: 列(2)仅有 5 个聚类(少于 10), 聚类稳健 p 值不可靠, 建议参考野自助法。",
        "Warning: column (2) has only 5 clusters (fewer than 10); cluster-robust p-values are unreliable, "
        "see a wild cluster bootstrap.",
    ),
    (
        study_notes.degenerate_se("(1)", ["dt", "market"]),
        "警告: 列(1)中 dt, market 的标准误退化(约为 0 或非有限), 不报告 t 值、p 值与显著性星号。",
        "Warning: in column (1) the standard error of dt, market is degenerate (about 0 or not finite); "
        "no t statistic, p-value or stars are reported.",
    ),
    (
        study_notes.weak_instrument("(2)", 3.14159),
        "警告: 列(2)可能存在弱工具变量(KP Wald F = 3.14 < 10)。",
        "Warning: column (2) may have a weak instrument (Kleibergen-Paap Wald F = 3.14 < 10).",
    ),
    (
        Note("regression_sample", {"sample": UnitSample(n_units=26, excluded_by_flag={"is_municipality": ["110000"]})}),
        "回归样本(本研究设定): 26 个单位；按 is_municipality 剔除 1 个: 110000。",
        "Regression sample (set by this study): 26 units; excluded by is_municipality (1): 110000.",
    ),
    (
        Note("index_sample", {"index_sample": INDEX}),
        "指数样本(按目录, 不随研究改变): 参考数据中样本内的 30 个单位(样本外: 540000)。",
        "Index sample (as the catalog says, unchanged by the study): the 30 in-sample units of the reference "
        "data (out: 540000).",
    ),
]


@pytest.mark.parametrize("note, zh, en", WORDED, ids=[f"{n.kind}-{i}" for i, (n, _, _) in enumerate(WORDED)])
def test_every_study_note_is_worded_in_both_languages(note, zh, en):
    assert note_text(note, "zh") == zh
    assert note_text(note, "en") == en


def test_every_note_kind_the_study_makes_has_words():
    from cipanel.study.tables import WARNING_KINDS

    worded = {n.kind for n, _, _ in WORDED}
    assert set(WARNING_KINDS) <= worded
    with pytest.raises(ValueError, match="no wording for a study note of kind 'brand_new'"):
        note_text(Note("brand_new"), "en")


def test_a_spec_note_is_printed_as_written():
    assert note_text("数据为省级面板。", "en") == "数据为省级面板。"


def test_unit_and_index_samples_in_words():
    assert describe_units(SAMPLE, "en") == (
        "37 units; included F000; of them outside the index sample (no index score, so regressions on an index "
        "cannot use their rows): F000 (6 panel rows); excluded F002, F003; excluded by is_big (1): F004; "
        "excluded by is_tiny (0): none; out by the panel's in_sample: F001"
    )
    assert describe_units(SAMPLE, "zh") == (
        "37 个单位；纳入 F000；其中指数样本外(无指数得分, 用到指数的回归不能使用其观测): F000 (面板 6 行)；"
        "剔除 F002, F003；按 is_big 剔除 1 个: F004；按 is_tiny 剔除 0 个: 无；面板 in_sample 为否: F001"
    )
    assert describe_units(UnitSample(n_units=40), "en") == "40 units"
    assert describe_index_sample({"n_in": 40, "out": []}, "zh") == "参考数据中样本内的 40 个单位"
    assert describe_index_sample(None, "zh") == "未知" and describe_index_sample(None, "en") == "not known"


def test_iv_stage_headers_come_from_the_role_and_a_spec_title_wins():
    stage = ModelColumn("(1)", "", None, True, True, True, role="iv_first")
    assert column_title(stage, "zh") == "第一阶段" and column_title(stage, "en") == "First stage"
    second = ModelColumn("(2)", "", None, True, True, True, role="iv_second")
    assert column_title(second, "zh") == "第二阶段" and column_title(second, "en") == "Second stage"
    titled = ModelColumn("(3)", "剔除直辖市", None, True, True, True, role="ols")
    assert column_title(titled, "en") == "剔除直辖市"
    assert column_title(ModelColumn("(4)", "", None, True, True, True, role="ols"), "zh") == ""


def test_every_fixed_phrase_and_row_label_has_both_languages():
    for key, entry in {**FIXED, **ROW_LABELS}.items():
        assert set(entry) == set(LANGS) and all(entry.values()), key
    assert row_label("f_single", "zh") == "单一门槛 F 值 [自助法 P 值]"
    assert row_label("effect_indirect", "en") == "Indirect effect (SE)"
    assert row_label("effect_indirect", "en", {"effect_indirect": "Spillover"}) == "Spillover"


IV_ZH = MINIMAL.replace("- id: t1", "- id: t1\n    kind: iv").replace(
    "columns: [{}]", "columns: [{instruments: [z]}, {instruments: [z], cluster: pair}]"
)


def iv_panel():
    frame = firm_panel()
    rng = np.random.default_rng(11)
    frame["z"] = frame["x"] + rng.normal(size=len(frame))
    frame["pair"] = frame["firm"].str[-1].astype(int) % 5  # 5 clusters: a warning
    return frame


def test_a_chinese_iv_run_prints_and_stores_the_same_words(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(IV_ZH, encoding="utf-8")
    run = run_study(load_spec(path, "zh"), iv_panel(), "zh")
    table = run.tables[0]
    assert [c.title for c in table.columns] == ["", "", "", ""]  # study code names no stage
    grid = regression_grid(table, "zh")
    assert grid.header[-1][1:] == [("第一阶段", 1), ("第二阶段", 1), ("第一阶段", 1), ("第二阶段", 1)]
    assert "警告: 列(3)仅有 5 个聚类(少于 10), 聚类稳健 p 值不可靠, 建议参考野自助法。" in grid.notes
    assert "Warning: column (3) has only 5 clusters" in " ".join(regression_grid(table, "en").notes)
    text = run_text(run)
    assert text.column_titles == {
        ("t1", "(1)"): "第一阶段",
        ("t1", "(2)"): "第二阶段",
        ("t1", "(3)"): "第一阶段",
        ("t1", "(4)"): "第二阶段",
    }
    assert text.regression_sample == "40 units" and text.index_sample == "not known"
    assert text.warnings[0].startswith("s: table t1: column (3) has only 5 clusters (fewer than 10)")
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    store(run, warehouse, text)
    con = duckdb.connect(str(warehouse), read_only=True)
    titles = con.execute("select distinct column_name, column_title from results.estimates order by 1").fetchall()
    runs = con.execute("select lang, regression_sample, index_sample, warnings from results.runs").fetchone()
    con.close()
    assert titles == [("(1)", "第一阶段"), ("(2)", "第二阶段"), ("(3)", "第一阶段"), ("(4)", "第二阶段")]
    assert runs[:3] == ("zh", "40 units", "not known") and runs[3] == "\n".join(text.warnings)
