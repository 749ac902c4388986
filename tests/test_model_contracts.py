"""The data guarantees of the audit, panel-derivation and mart tables that are dbt contract
constraints instead of data test nodes (README "Measured performance"): on the session's demo
build every such table carries them, DuckDB refuses a row that breaks one (each rule tried on
a copy of the warehouse, after a row that keeps every rule went in), on Spark the replaced tests
still run (`dbt ls` for both targets), and the combined tests of the staging views
(not_null_columns, unique_columns in macros/generic_tests.sql) return the failing rows.
"""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from warehouse_build import ROOT, dbt_test_names

# (table, column): not null by the contract on DuckDB, by a `not_null` test on Spark
NOT_NULL = {
    "marts.dim_units": ["unit_code"],
    "marts.fct_indicator_weights": ["index_code", "method", "indicator_code", "weight"],
    "marts.fct_panel_interpolated_cells": ["unit_code", "year", "variable"],
    "audit.audit_rejected_rows": ["source_file", "source_row", "rejection_reason"],
    "audit.audit_row_accounting": ["source_file"],
    "audit.audit_derivation_log": ["unit_code", "year", "variable", "domain_rule", "derivation_status"],
    "audit.audit_build_warnings": ["warning_kind", "subject", "message"],
    "intermediate.int_panel_derivations": ["unit_code", "year", "variable", "domain_rule", "derivation_status"],
}
# (table, {column: value that breaks the rule}, part of the rule's expression DuckDB names)
CHECKS = [
    ("marts.fct_indicator_weights", {"weight": "1.001"}, "weight BETWEEN"),
    ("marts.fct_indicator_weights", {"weight": "-0.001"}, "weight BETWEEN"),
    ("marts.fct_indicator_weights", {"entropy": "1.001"}, "entropy BETWEEN"),
    ("marts.fct_indicator_weights", {"entropy": "-0.001"}, "entropy BETWEEN"),
    ("audit.audit_row_accounting", {"rows_landed": "rows_landed + 1"}, "rows_landed = "),
    ("audit.audit_row_accounting", {"rows_not_read": "rows_rejected + 1"}, "rows_not_read <= rows_rejected"),
    (
        "audit.audit_row_accounting",
        {"rows_accepted_outside_index_sample": "rows_accepted + 1"},
        "rows_accepted_outside_index_sample <= rows_accepted",
    ),
    ("audit.audit_derivation_log", {"derivation_status": "'computed'"}, "derivation_status ~~ 'input_missing%'"),
    ("audit.audit_build_warnings", {"warning_kind": "'something_else'"}, "warning_kind IN ("),
    (
        "intermediate.int_panel_derivations",
        {"derivation_status": "'computed'", "value": "null"},
        "(derivation_status = 'computed') = ",
    ),
    (
        "intermediate.int_panel_derivations",
        {"derivation_status": "'input_missing'", "value": "1.0"},
        "(derivation_status = 'computed') = ",
    ),
]
# a row that keeps every rule, for the tables the demo leaves empty
VALID_ROWS = {
    "audit.audit_derivation_log": (
        "select '110000' as unit_code, 2020 as year, 'ln_x' as variable, 'x' as input_indicator, -1.0 as input_value,"
        " 'ln(x) where x > 0' as domain_rule, 'outside_domain: x <= 0' as derivation_status"
    ),
    "audit.audit_build_warnings": (
        "select 'cells_not_read' as warning_kind, null as index_code, 'a.xlsx' as subject,"
        " 'cells not read in a.xlsx' as message"
    ),
}


@pytest.fixture(scope="module")
def warehouse(demo_warehouse, tmp_path_factory):
    """A writable copy of the session's demo build (the rules are tried on it, never on the shared one)."""
    copy = tmp_path_factory.mktemp("contracts") / "w.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    con = duckdb.connect(str(copy))
    yield con
    con.close()


def _template(con, table: str) -> str:
    """A select of one row of `table` that keeps every rule: an existing row, or VALID_ROWS."""
    if con.execute(f"select count(*) from {table}").fetchone()[0]:
        return f"select * from {table} limit 1"
    return VALID_ROWS[table]


def _insert(con, table: str, replace: dict[str, str]) -> None:
    base = _template(con, table)
    if replace:
        columns = ", ".join(f"{value} as {column}" for column, value in replace.items())
        base = f"select * replace ({columns}) from ({base}) as t"
    con.execute("begin transaction")
    try:
        con.execute(f"insert into {table} {base}")
    finally:
        con.execute("rollback")


def test_every_table_carries_its_constraints(warehouse):
    for table, columns in NOT_NULL.items():
        schema, name = table.split(".")
        found = warehouse.execute(
            "select constraint_column_names[1] from duckdb_constraints() "
            "where schema_name = ? and table_name = ? and constraint_type = 'NOT NULL'",
            [schema, name],
        ).fetchall()
        assert set(columns) <= {c for (c,) in found}, (table, found)


@pytest.mark.parametrize("table", sorted(NOT_NULL))
def test_a_row_that_keeps_the_rules_goes_in(warehouse, table):
    _insert(warehouse, table, {})  # the violations below fail because of the one value changed


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, cols in NOT_NULL.items() for c in cols])
def test_a_null_is_refused(warehouse, table, column):
    refused = rf'NOT NULL constraint failed: {table.split(".")[1]}\."?{column}"?$'  # keywords quoted
    with pytest.raises(duckdb.ConstraintException, match=refused):
        _insert(warehouse, table, {column: "null"})


@pytest.mark.parametrize(("table", "replace", "rule"), CHECKS)
def test_a_row_breaking_a_rule_is_refused(warehouse, table, replace, rule):
    with pytest.raises(duckdb.ConstraintException, match="CHECK constraint failed") as refused:
        _insert(warehouse, table, replace)
    assert table.split(".")[1] in str(refused.value) and rule in str(refused.value), str(refused.value)


# ------------------------------------------------------------- the same rules as data tests on Spark


@pytest.fixture(scope="module")
def tests_by_target(tmp_path_factory) -> dict[str, set[str]]:
    """Every data test dbt would run on each target (dbt ls in a subprocess: no build; its target/
    and logs/ in a temporary folder, not in the repository)."""
    scratch = tmp_path_factory.mktemp("dbt-ls")
    return {target: dbt_test_names(target, scratch) for target in ("dev", "spark")}


MOVED = {f"not_null_{t.split('.')[1]}_{c}" for t, cols in NOT_NULL.items() for c in cols} | {
    "accepted_range_fct_indicator_weights_entropy__1__0__1e_12",
    "accepted_range_fct_indicator_weights_weight__1__0__1e_12",
    "rows_in_equal_accepted_plus_rejected",
    "cells_not_read_are_among_the_rejected",
    "accepted_outside_index_sample_are_among_the_accepted",
    "derivation_log_rows_are_not_computed",
    "derivations_computed_iff_value",
    "accepted_values_audit_build_warnings_warning_kind__constant_indicator__standalone_variable_without_values__cells_not_read__derivation_outside_domain",
}


def test_the_constraints_replace_their_tests_on_duckdb_only(tests_by_target):
    assert MOVED <= tests_by_target["spark"]
    assert not MOVED & tests_by_target["dev"]


def test_the_staging_views_run_one_combined_test_per_kind_on_both_targets(tests_by_target):
    for target in ("dev", "spark"):
        names = tests_by_target[target]
        assert "unique_columns_stg_reference__units_unit_code__name_zh__short_name_zh__name_en" in names
        assert "not_null_columns_stg_reference__units_unit_code__is_municipality__in_sample" in names
        assert "not_null_columns_fct_panel_unit_code__year__in_sample" in names
        # no per-column not_null / unique test is left on the views (and fct_panel) that were combined
        combined = r"stg_raw__indicator_values|stg_reference__units|stg_reference__unit_regions|stg_catalog__derived_variables|stg_catalog__indicators"
        left = [
            n
            for n in names
            if re.fullmatch(rf"(not_null|unique)_(({combined})_[a-z_]+|fct_panel_(unit_code|year|in_sample))", n)
        ]
        assert left == [], left


# ------------------------------------------------------------- the combined generic tests themselves


def _generic_test_sql(name: str, **kwargs) -> str:
    """The SQL of one generic test of macros/generic_tests.sql rendered with Jinja (dbt's own
    template engine) for an in-memory table; cipanel.text_type() is DuckDB's text type."""
    import jinja2

    text = (ROOT / "macros" / "generic_tests.sql").read_text(encoding="utf-8")
    body = re.search(rf"{{% test {name}\((.*?)\) %}}(.*?){{% endtest %}}", text, re.S)
    assert body, f"no generic test {name} in macros/generic_tests.sql"
    macro = f"{{% macro {name}({body.group(1)}) %}}{body.group(2)}{{% endmacro %}}"
    module = jinja2.Environment().from_string(macro).make_module({"cipanel": {"text_type": lambda: "varchar"}})
    return str(getattr(module, name)(**kwargs))


def test_not_null_columns_returns_each_row_with_a_null_and_names_its_columns():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values (1, 'a', true), (2, null, true), (null, null, false)) v(a, b, c)"
    )
    sql = _generic_test_sql("not_null_columns", model="t", columns=["a", "b", "c"])
    rows = con.execute(f"select null_columns, c from ({sql}) order by 1").fetchall()
    assert rows == [("a, b", False), ("b", True)]
    con.execute("update t set a = 0, b = 'x'")
    assert con.execute(f"select count(*) from ({sql})").fetchone()[0] == 0


def test_unique_columns_returns_each_duplicated_value_of_each_column():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values (1, 'x', null), (2, 'x', null), (3, 'y', 'p'), (3, 'z', 'q')) v(a, b, c)"
    )
    sql = _generic_test_sql("unique_columns", model="t", columns=["a", "b", "c"])
    rows = con.execute(f"select * from ({sql}) order by 1").fetchall()
    assert rows == [("a", "3", 2), ("b", "x", 2)]  # nulls are not duplicates (as dbt's unique test)
    con.execute("delete from t where a = 2 or b = 'z'")
    assert con.execute(f"select count(*) from ({sql})").fetchone()[0] == 0
