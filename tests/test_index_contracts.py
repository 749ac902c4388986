"""Data guarantees enforced at write time (dbt model contracts, DuckDB constraints): a violation
still fails the build, with a message that names the model and the rule; and on DuckDB the data
tests those constraints replace are not run a second time (on Spark, whose local tables keep no
constraints, they are).

One small build: the demo's value models only (`--select +int_indicator_values_interpolated`) on a
copy of the tool's dbt project whose interpolation model is broken on purpose (tests of models
outside the selection are left out: --indirect-selection cautious).
"""

from __future__ import annotations

import os

import pytest

from cipanel.build import copy_dbt_project
from warehouse_build import DEMO, DEMO_DATA, DbtFailed, build, dbt_test_names

MODEL = "models/intermediate/indicator_values/int_indicator_values_interpolated.sql"
# an interpolated cell whose bracket does not enclose it: the contract's check constraint
CORRECT = "case when value is null then prev_year end as interpolated_from_year"
BROKEN = "case when value is null then year end as interpolated_from_year"


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contracts")
    dbt_dir = copy_dbt_project(folder / "dbt")
    model = dbt_dir / MODEL
    text = model.read_text(encoding="utf-8")
    assert CORRECT in text, "the model changed: update the broken line of this test"
    model.write_text(text.replace(CORRECT, BROKEN), encoding="utf-8")
    saved = os.environ.get("CIPANEL_DBT_PROJECT_DIR")
    os.environ["CIPANEL_DBT_PROJECT_DIR"] = str(dbt_dir)
    warehouse = folder / "broken.duckdb"
    try:
        with pytest.raises(DbtFailed) as failure:
            build(
                DEMO,
                warehouse,
                DEMO_DATA,
                ["--select", "+int_indicator_values_interpolated", "--indirect-selection", "cautious"],
            )
    finally:
        if saved is None:
            os.environ.pop("CIPANEL_DBT_PROJECT_DIR", None)
        else:
            os.environ["CIPANEL_DBT_PROJECT_DIR"] = saved
    return str(failure.value), warehouse


def test_a_contract_violation_fails_the_build_with_a_clear_message(broken_build):
    message, warehouse = broken_build
    assert "int_indicator_values_interpolated" in message
    # DuckDB names the rule by its expression (the constraint's name is in the model's yml)
    assert "CHECK constraint failed" in message
    assert "interpolated_from_year < " in message
    assert "Traceback" not in message
    assert not warehouse.exists()  # an atomic build leaves no half-built warehouse


def test_the_constraints_replace_their_tests_on_duckdb_only(tmp_path):
    duckdb_tests = dbt_test_names("dev", tmp_path, "int_indicator_values_interpolated")
    spark_tests = dbt_test_names("spark", tmp_path, "int_indicator_values_interpolated")
    moved = {"interpolated_cells_lie_between_their_brackets"} | {
        f"not_null_int_indicator_values_interpolated_{c}" for c in ("unit_code", "indicator_code", "year")
    }
    assert moved <= spark_tests
    assert not moved & duckdb_tests
    # the unique key stays a test on both engines (a primary key cost DuckDB 3-4x the test query)
    assert any(t.startswith("unique_combination_int_indicator_values_interpolated") for t in duckdb_tests & spark_tests)
