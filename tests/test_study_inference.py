"""The spec's inference options reach the tables and the results: wild bootstrap rows, group
difference tests between two columns, placebo share; misuse is a clear spec error."""

from __future__ import annotations

import pytest
from test_study import firm_panel

from cipanel.output.notes import run_text
from cipanel.output.table_format import format_stat
from cipanel.study.results import tidy
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec

SPEC = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: t1
    wild_bootstrap: {B: 999, seed: 1}
    placebo: {B: 99, seed: 1}
    group_tests:
      - {columns: ["(2)", "(3)"], methods: [interaction, permutation], B: 99, seed: 1}
    columns:
      - {}
      - {split: {variable: size, side: low}}
      - {split: {variable: size, side: high}}
"""


def test_inference_rows_and_diagnostics(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(SPEC, encoding="utf-8")
    run = run_study(load_spec(path), firm_panel())
    table = run.tables[0]
    for column in table.columns:
        assert 0 <= column.result.diagnostics["wcr_p"] <= 1 and format_stat(column.extra_rows["wcr_ci"]).startswith("[")
    assert {"interaction_p", "perm_p"} <= set(table.columns[2].extra_rows)
    assert "placebo_share" in table.columns[2].extra_rows and len(run.placebos["t1"].coefs) == 99
    stored = tidy(run, run_text(run))["diagnostics"]
    assert {"wcr_p", "wcr_ci_low", "interaction_p", "perm_p", "placebo_share"} <= set(stored.name)


@pytest.mark.parametrize(
    "change, message",
    [
        ("wild_bootstrap: {B: 999, seed: 1}", "wild_bootstrap: {draws: 9}"),
        ('{columns: ["(2)", "(3)"], methods: [interaction, permutation], B: 99, seed: 1}', '{columns: ["(2)", "(9)"]}'),
        (
            '{columns: ["(2)", "(3)"], methods: [interaction, permutation], B: 99, seed: 1}',
            '{columns: ["(2)", "(3)"], methods: [chow]}',
        ),
    ],
)
def test_misused_inference_options_are_spec_errors(tmp_path, change, message):
    path = tmp_path / "s.yml"
    path.write_text(SPEC.replace(change, message), encoding="utf-8")
    with pytest.raises(SpecError):
        run_study(load_spec(path), firm_panel())


def test_permutation_across_units_refuses_a_period_split(tmp_path):
    spec = SPEC.replace("{split: {variable: size, side: low}}", '{where: "year <= 2003"}').replace(
        "{split: {variable: size, side: high}}", '{where: "year > 2003"}'
    )
    path = tmp_path / "s.yml"
    path.write_text(spec, encoding="utf-8")
    with pytest.raises(SpecError, match="units appear in both samples"):
        run_study(load_spec(path), firm_panel())
