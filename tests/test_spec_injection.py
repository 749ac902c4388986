"""A study spec is data (it travels with replication packages): it must not run SQL, read or write
files, or change the warehouse. Each attack of the issue, and its neighbours, is refused with a
message naming the file and key, the command exits 2 without a traceback, and the warehouse file
is byte-identical afterwards. Also: filters are applied by row key (a window function once made
DuckDB return rows in another order, and the wrong rows were kept)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp
from test_study import firm_panel

from cipanel.cli import main as cli
from cipanel.study.expressions import validate_expression
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, load_spec
from cipanel.warehouse import read_table

SPEC = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: t1
    columns:
      - {where: "year >= 2003"}
"""


@pytest.fixture()
def warehouse(tmp_path) -> Path:
    """A small warehouse with the firm panel, a mart to attack and the raw table the pipeline reads."""
    path = tmp_path / "W.duckdb"
    con = duckdb.connect(str(path))
    con.register("firms_df", firm_panel())
    con.execute("create table firms as select * from firms_df")
    con.execute("create schema marts")
    con.execute("create table marts.dim_units as select distinct firm as unit_code, true as in_sample from firms_df")
    con.execute("create schema raw")
    con.execute("create table raw.indicator_values as select 'SYNTHETIC_firms.csv' as source_file")
    con.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attack(tmp_path: Path, warehouse: Path, spec_text: str, capsys) -> tuple[int, str]:
    spec = tmp_path / "attack.yml"
    spec.write_text(spec_text, encoding="utf-8")
    before = digest(warehouse)
    code = cli(
        ["study", "--warehouse", str(warehouse), "--study", str(spec), "--out", str(tmp_path / "out"), "--lang", "en"]
    )
    err = capsys.readouterr().err
    assert digest(warehouse) == before, "the warehouse file changed"
    assert not (tmp_path / "out").exists() and not (tmp_path / "escaped_study").exists()
    assert "Traceback" not in err
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from marts.dim_units").fetchone()[0] == 40
    con.close()
    return code, err


def where(text: str) -> str:
    return SPEC.replace('{where: "year >= 2003"}', "{where: " + repr_yaml(text) + "}")


def repr_yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


ATTACKS = [
    # the attacks, word for word apart from the file names
    (
        "attach and drop",
        lambda w, t: where(f"true) as keep from panel; attach '{w}' as w; drop table w.marts.dim_units; select (true"),
        r"tables\[0\]\.columns\[0\]\.where: .* ';' ends an SQL statement",
    ),
    (
        "copy to a file",
        lambda w, t: where(f"true) as keep from panel; copy (select 1) to '{t}/leak.csv'; select (true"),
        r"columns\[0\]\.where: .* ';' ends an SQL statement",
    ),
    (
        "relation read_csv",
        lambda w, t: SPEC.replace("relation: main.firms", f"relation: \"read_csv('{w}')\""),
        r"panel\.relation: .* is not a relation name; write schema\.table",
    ),
    (
        "study escapes the output folder",
        lambda w, t: SPEC.replace("study: s", "study: ../escaped_study"),
        r"study: '\.\./escaped_study' is not a valid study name",
    ),
    # neighbours
    (
        "relation with a statement",
        lambda w, t: SPEC.replace("relation: main.firms", 'relation: "main.firms; drop table marts.dim_units"'),
        r"panel\.relation: .* is not a relation name",
    ),
    (
        "relation as a subquery",
        lambda w, t: SPEC.replace("relation: main.firms", 'relation: "(select * from marts.dim_units)"'),
        r"panel\.relation: .* is not a relation name",
    ),
    (
        "table id escapes",
        lambda w, t: SPEC.replace("- id: t1", "- id: ../../t1"),
        r"tables\[0\]\.id: .* is not a valid table id",
    ),
    (
        "figure escapes",
        lambda w, t: SPEC + "figures:\n  coefficients: {table: ../../x, term: x}\n",
        r"figures\.coefficients\.table: '\.\./\.\./x' is not a table id",
    ),
    (
        "IN subquery",
        lambda w, t: where("year in (select 2003 from marts.dim_units)"),
        r"IN takes a list of values, not a query",
    ),
    (
        "scalar subquery",
        lambda w, t: where("(select count(*) from marts.dim_units) > 0"),
        r"a query or subquery is not allowed",
    ),
    ("exists", lambda w, t: where("exists (select 1 from marts.dim_units)"), r"a query or subquery is not allowed"),
    ("table function", lambda w, t: where(f"read_csv('{w}') is not null"), r"function read_csv\(\) is not allowed"),
    (
        "query function",
        lambda w, t: where("query('drop table marts.dim_units') is null"),
        r"function query\(\) is not allowed",
    ),
    ("environment", lambda w, t: where("getenv('HOME') <> ''"), r"function getenv\(\) is not allowed"),
    ("unknown function", lambda w, t: where("frobnicate(x) > 0"), r"function frobnicate\(\) is not allowed"),
    (
        "unknown column",
        lambda w, t: where("yaer >= 2003"),
        r"'yaer' is not a column of the panel \(did you mean year\?\)",
    ),
    ("qualified column", lambda w, t: where("marts.dim_units.in_sample"), r"write the column name alone"),
    ("aggregate outside a window", lambda w, t: where("avg(y) > 0"), r"avg\(\) needs a window"),
    ("trailing semicolon", lambda w, t: where("y > 0;"), r"';' ends an SQL statement"),
    ("a statement", lambda w, t: where("drop table marts.dim_units"), r"not a single expression"),
    ("a parameter", lambda w, t: where("y > $1"), r"a query parameter is not allowed"),
    ("not a condition", lambda w, t: where("y * 2"), r"gives DOUBLE values, not true/false"),
    (
        "panel-level where",
        lambda w, t: SPEC.replace("time: year}", 'time: year, where: "true; detach w"}'),
        r"panel\.where: .* ';' ends an SQL statement",
    ),
    (
        "model-level where",
        lambda w, t: SPEC.replace("controls: [c]}", 'controls: [c], where: "x in (select 1)"}').replace(
            '{where: "year >= 2003"}', "{}"
        ),
        r"model\.where: .* IN takes a list of values",
    ),
]


@pytest.mark.parametrize("name, make, message", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_an_attack_is_refused_and_the_warehouse_is_unchanged(tmp_path, warehouse, capsys, name, make, message):
    code, err = attack(tmp_path, warehouse, make(warehouse, tmp_path), capsys)
    assert code == 2
    assert err.startswith("error: ") and str(tmp_path / "attack.yml") in err
    import re

    assert re.search(message, err), err
    assert not (tmp_path / "leak.csv").exists()


def test_a_comment_is_dropped_not_run(tmp_path, warehouse, capsys):
    """`--` starts a comment; what runs is regenerated from the checked tree, so nothing after it runs."""
    spec = where("year >= 2003 -- ) as keep from panel; drop table marts.dim_units; select (true")
    path = tmp_path / "s.yml"
    path.write_text(spec, encoding="utf-8")
    before = digest(warehouse)
    run = run_study(load_spec(path), read_table("main.firms", warehouse))
    assert run.tables[0].columns[0].result.nobs == 40 * 4
    assert digest(warehouse) == before


def test_a_relation_that_does_not_exist_is_named(tmp_path, warehouse, capsys):
    code, err = attack(tmp_path, warehouse, SPEC.replace("main.firms", "main.nope"), capsys)
    assert code == 2 and "panel.relation: 'main.nope' is not a table or view of the warehouse" in err


def test_the_checker_is_reusable_for_derived_expressions():
    """The one function formula support will call: a value expression over given columns."""
    tree = validate_expression("de + power(de, 2) - ln(gdp)", ["de", "gdp"], "s.yml: tables[0].treatment")
    assert {c.name for c in tree.find_all(exp.Column)} == {"de", "gdp"}
    with pytest.raises(SpecError, match=r"s.yml: tables\[0\].treatment: .* 'gdpx' is not a column"):
        validate_expression("ln(gdpx)", ["de", "gdp"], "s.yml: tables[0].treatment")
    with pytest.raises(SpecError, match=r"function read_parquet\(\) is not allowed"):
        validate_expression("read_parquet('x')", None, "k")


# ------------------------------------------------------------------ where is applied by key

WINDOW = "year between 2015 and 2017 and count(*) over (partition by unit_code) > 0"


def test_a_window_function_in_where_keeps_the_right_rows(demo_warehouse, tmp_path):
    """Regression: the condition is true on exactly the 90 rows of 2015-2017 (30 provinces x 3
    years). Matching DuckDB's result to the frame by position kept 90 rows of other years (the
    window reorders the result) and gave another coefficient with no error."""
    study_a = Path(__file__).resolve().parents[1] / "examples" / "provinces-demo" / "studies" / "study_a.yml"
    text = study_a.read_text(encoding="utf-8")
    head = text[: text.index("tables:")]
    spec_text = (
        head
        + f"""tables:
  - id: t5
    controls: [nqp, market, npr, fdep, govs, va_share_2]
    columns:
      - {{where: "year between 2015 and 2017"}}
      - {{where: "{WINDOW}"}}
      - {{outcome: nqp_means, lead: 2, where: "year between 2015 and 2017"}}
      - {{outcome: nqp_means, lead: 2, where: "{WINDOW}"}}
"""
    )
    path = tmp_path / "window.yml"
    path.write_text(spec_text, encoding="utf-8")
    panel = read_table("marts.fct_panel", demo_warehouse)
    columns = run_study(load_spec(path, "en"), panel, "en").tables[0].columns
    plain, window, plain_lead, window_lead = (c.result for c in columns)
    assert plain.nobs == window.nobs == 90
    assert window.params["dt"] == pytest.approx(plain.params["dt"], rel=1e-12)
    assert window.std_errors["dt"] == pytest.approx(plain.std_errors["dt"], rel=1e-12)
    # with a two-year lead the wrongly kept rows included 2022-2023, whose lead is missing
    assert plain_lead.nobs == window_lead.nobs == 90
    assert window_lead.params["dt"] == pytest.approx(plain_lead.params["dt"], rel=1e-12)


@pytest.mark.parametrize(
    "text, message",
    [
        ("(" * 500 + "year" + ")" * 500 + " > 1", "nested more than 100 levels deep"),
        ("year > 1 or " * 1000 + "true", "longer than 10000 characters"),
        ("", "expected a non-empty expression"),
    ],
)
def test_oversized_expressions_are_refused_without_a_recursion_error(text, message):
    with pytest.raises(SpecError, match=message):
        validate_expression(text, ["year"], "s.yml: panel.where")


def test_a_derived_expression_is_evaluated_by_row_key():
    """A window expression (lag within unit, by year) on a frame stored out of year order: each
    value lands on its own row, whatever order DuckDB returns."""
    import numpy as np
    import pandas as pd

    from cipanel.study.expressions import evaluate_expression

    frame = pd.DataFrame(
        {"unit": list("aabb"), "year": [2002, 2001, 2002, 2001], "de": [1.0, 2.0, 3.0, 4.0]}, index=[10, 11, 12, 13]
    )
    lagged = evaluate_expression(frame, "lag(de) over (partition by unit order by year)", "s.yml: k")
    expected = frame.sort_values("year").groupby("unit")["de"].shift(1).reindex(frame.index)
    assert list(lagged.index) == [10, 11, 12, 13]
    np.testing.assert_array_equal(lagged.to_numpy(dtype=float), expected.to_numpy(dtype=float))
    squared = evaluate_expression(frame, "de + power(de, 2)", "s.yml: k")
    np.testing.assert_allclose(squared.to_numpy(dtype=float), frame.de + frame.de**2)
