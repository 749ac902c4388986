"""The SQL index models equal an independent NumPy implementation to 1e-12, on random panels
(hypothesis: negatives, zeros, constant columns, both directions, pooled and per-year weighting,
every score basis) built through dbt on a copy of the project with its own units and catalog."""

from __future__ import annotations

import duckdb
import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import entropy_reference as ref
from synthetic_cases import FIRST_YEAR, write_case
from warehouse_build import build

TOL = 1e-12

values = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    st.sampled_from([0.0, -1.0, 1.0]),
)


@st.composite
def indices(draw, n_units: int, n_years: int):
    n_ind = draw(st.integers(2, 5))
    n_rows = n_units * n_years
    columns, directions = [], []
    for _ in range(n_ind):
        if draw(st.booleans()) and draw(st.booleans()):
            columns.append(np.full(n_rows, draw(values)))  # constant column
        else:
            columns.append(np.array(draw(st.lists(values, min_size=n_rows, max_size=n_rows))))
        directions.append(draw(st.sampled_from(["+", "-"])))
    x = np.column_stack(columns)
    weighting = draw(st.sampled_from(["pooled", "per_year"]))
    # every weight group needs one informative indicator (else the build fails on purpose:
    # assert_index_groups_have_information); rows are year-major (synthetic_cases.write_case)
    blocks = [x] if weighting == "pooled" else [x[k * n_units : (k + 1) * n_units] for k in range(n_years)]
    for block in blocks:  # views into x
        if not (block.max(axis=0) > block.min(axis=0)).any():
            block[0, 0] += 1.0
    return {
        "x": x,
        "directions": directions,
        "weighting": weighting,
        "score_basis": draw(st.sampled_from(["z", "z_shifted", "p"])),
        "shift": draw(st.sampled_from([0.0001, 0.01])),
    }


@st.composite
def panels(draw):
    n_units = draw(st.integers(3, 6))
    n_years = draw(st.integers(2, 4))
    return n_units, n_years, draw(st.lists(indices(n_units, n_years), min_size=1, max_size=3))


def expected_for(case, grid):
    """NumPy weights and scores for one index, per weight group."""
    years = np.array([y for _, y in grid])
    groups = [None] if case["weighting"] == "pooled" else sorted(set(years))
    out = []
    for group in groups:
        rows = np.ones(len(grid), bool) if group is None else years == group
        x = case["x"][rows]
        w, e, zs = ref.entropy_weights(x, case["directions"], case["shift"])
        out.append(
            {
                "group": group,
                "rows": np.flatnonzero(rows),
                "w": w,
                "e": e,
                "score": ref.weighted_scores(zs, w, case["score_basis"], case["shift"]),
                "critic": ref.critic_weights(x, case["directions"]),
                "topsis": ref.topsis(x, case["directions"], w),
            }
        )
    return out


# each example is a dbt build (seconds), so few examples and no shrinking
@settings(
    max_examples=4, deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)
)
@given(panels())
def test_sql_index_models_equal_numpy(tmp_path_factory, case):
    n_units, n_years, cases = case
    tmp = tmp_path_factory.mktemp("hyp")
    project, inputs, grid = write_case(tmp, n_units, n_years, cases)
    warehouse = tmp / "w.duckdb"
    build(
        project,
        warehouse,
        inputs,
        ["--vars", f"{{panel_start_year: {FIRST_YEAR}, panel_end_year: {FIRST_YEAR + n_years - 1}}}"],
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        weights = con.execute("select * from marts.fct_indicator_weights").df()
        scores = con.execute("select * from marts.fct_index_scores where dimension_code = '_all'").df()
    finally:
        con.close()
    position = {key: i for i, key in enumerate(grid)}
    for k, index_case in enumerate(cases):
        codes = [f"i{k}_{j}" for j in range(len(index_case["directions"]))]
        for group in expected_for(index_case, grid):
            sel = weights[(weights.index_code == f"ix{k}")]
            sel = sel[sel.weight_year.isna()] if group["group"] is None else sel[sel.weight_year == group["group"]]
            by_method = {m: sel[sel.method == m].set_index("indicator_code").loc[codes] for m in ("entropy", "critic")}
            np.testing.assert_allclose(by_method["entropy"].weight, group["w"], atol=TOL, rtol=0)
            np.testing.assert_allclose(by_method["entropy"].entropy, group["e"], atol=TOL, rtol=0)
            np.testing.assert_allclose(by_method["critic"].weight, group["critic"], atol=TOL, rtol=0)
            for method, expected in (("entropy", group["score"]), ("topsis", group["topsis"])):
                got = scores[(scores.index_code == f"ix{k}") & (scores.method == method)]
                got = got.assign(pos=[position[(u, y)] for u, y in zip(got.unit_code, got.year)]).set_index("pos")
                np.testing.assert_allclose(got.loc[group["rows"], "score"], expected, atol=TOL, rtol=0)
