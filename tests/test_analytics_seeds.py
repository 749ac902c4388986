"""The data tests of the spatial-weights seeds fail on a broken seed (one dbt run of the seeds
and their tests, not a full build), on a copy of the tool's dbt project."""

from __future__ import annotations

import pandas as pd
import pytest

from cipanel.build import copy_dbt_project, run_dbt
from warehouse_build import DEMO, ROOT, DbtFailed


def test_contiguity_seed_tests_catch_asymmetry_and_unknown_units(tmp_path, monkeypatch):
    edges = pd.read_csv(ROOT / "seeds" / "reference" / "ref_province_contiguity.csv", dtype=str)
    broken = edges[~((edges.unit_code == "120000") & (edges.neighbour_code == "110000"))]  # Beijing->Tianjin only
    broken = pd.concat(
        [
            broken,
            pd.DataFrame(
                [
                    {"unit_code": "990000", "neighbour_code": "110000", "link": "land_border"},
                    {"unit_code": "110000", "neighbour_code": "990000", "link": "land_border"},
                ]
            ),
        ]
    )
    dbt_dir = copy_dbt_project(tmp_path / "dbt")
    broken.to_csv(dbt_dir / "seeds" / "reference" / "ref_province_contiguity.csv", index=False, lineterminator="\n")
    monkeypatch.setenv("CIPANEL_DBT_PROJECT_DIR", str(dbt_dir))
    with pytest.raises(DbtFailed) as err:
        run_dbt(
            ["build", "--select", "ref_province_contiguity+", "ref_province_capitals"],
            warehouse=tmp_path / "w.duckdb",
            project=DEMO,
        )
    message = str(err.value)
    assert "assert_province_contiguity_symmetric" in message
    assert "assert_province_weights_units_known" in message
    assert "ref_unit_regions" not in message  # only the seeds' own tests ran
