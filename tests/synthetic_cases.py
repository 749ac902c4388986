"""Small synthetic projects for SQL-vs-reference tests: own units, catalog and values."""

from __future__ import annotations

import pandas as pd

from warehouse_build import copy_project

FIRST_YEAR = 2014


def write_case(tmp, n_units, n_years, cases):
    units = [f"U{i:02d}" for i in range(n_units)]
    years = list(range(FIRST_YEAR, FIRST_YEAR + n_years))
    grid = [(u, y) for y in years for u in units]  # row order of every x matrix
    unit_seed = pd.DataFrame(
        {
            "unit_code": units,
            "name_zh": [f"单位{u}" for u in units],
            "short_name_zh": [f"单{u}" for u in units],
            "name_en": [f"Unit {u}" for u in units],
            "unit_type": "county",
            "is_municipality": False,
            "in_sample": True,
        }
    )
    regions = pd.DataFrame(
        {"scheme": "test", "unit_code": units, "region_code": "r1", "region_zh": "区", "region_en": "R"}
    )
    catalog, index_rows, dims, values_rows = [], [], [], []
    for k, case in enumerate(cases):
        index = f"ix{k}"
        index_rows.append(
            {
                "index_code": index,
                "label_zh": index,
                "label_en": index,
                "study": "test",
                "weighting": case["weighting"],
                "shift": case["shift"],
                "score_basis": case["score_basis"],
                "scale": 1,
                "window_start": years[0],
                "window_end": years[-1],
            }
        )
        for d in ("d0", "d1"):
            dims.append({"index_code": index, "dimension_code": d, "label_zh": d, "label_en": d})
        for j, direction in enumerate(case["directions"]):
            code = f"i{k}_{j}"
            catalog.append(
                {
                    "indicator_code": code,
                    "index_code": index,
                    "dimension_code": f"d{j % 2}",
                    "direction": direction,
                    "unit_of_measure": "",
                    "label_zh": code,
                    "label_en": code,
                    "source": "hypothesis",
                    "rationale": "",
                    "first_year": None,
                    "last_year": None,
                    "scope": "unit",
                }
            )
            for (unit, year), value in zip(grid, case["x"][:, j]):
                values_rows.append((unit, year, code, repr(float(value))))
    project = copy_project(
        tmp / "project",
        {
            "reference/ref_units": unit_seed,
            "reference/ref_unit_regions": regions,
            "catalog/indicator_catalog": pd.DataFrame(catalog),
            "catalog/index_catalog": pd.DataFrame(index_rows),
            "catalog/dimension_catalog": pd.DataFrame(dims),
        },
    )
    inputs = tmp / "inputs"
    inputs.mkdir()
    pd.DataFrame(values_rows, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        inputs / "values.csv", index=False
    )
    return project, inputs, grid
