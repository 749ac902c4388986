"""docs/methods.md §6 G8: entropy weights of a 3 x 3 panel with 4 indicators, the fourth negative. Three
independent implementations agree to 1e-12: the SQL models, the NumPy reference, and pymcdm
(>= 1.4, test-only) given the shifted min-max matrix (it cannot take raw data: it has no
direction handling and treats zeros as p ln p = 0 for the whole column)."""

from __future__ import annotations

import duckdb
import numpy as np
from pymcdm.weights import entropy_weights as pymcdm_entropy_weights

import entropy_reference as ref
from synthetic_cases import write_case
from warehouse_build import build

# rows: (unit, year) for year 2014..2016, unit U00..U02; columns: 4 indicators, the 4th negative
X = np.array(
    [
        [12.0, 0.35, 410.0, 8.2],
        [7.5, 0.52, 380.0, 6.1],
        [9.1, 0.41, 520.0, 9.7],
        [13.4, 0.38, 450.0, 7.9],
        [8.2, 0.55, 395.0, 5.8],
        [10.0, 0.47, 560.0, 9.1],
        [15.1, 0.40, 480.0, 7.0],
        [8.8, 0.61, 415.0, 5.2],
        [11.3, 0.50, 610.0, 8.4],
    ]
)
DIRECTIONS = ["+", "+", "+", "-"]


def test_g8_sql_numpy_and_pymcdm_agree(tmp_path):
    case = {"x": X, "directions": DIRECTIONS, "weighting": "pooled", "score_basis": "z_shifted", "shift": 0.0001}
    project, inputs, grid = write_case(tmp_path, 3, 3, [case])
    warehouse = tmp_path / "g8.duckdb"
    build(project, warehouse, inputs, ["--vars", "{panel_start_year: 2014, panel_end_year: 2016}"])
    con = duckdb.connect(str(warehouse), read_only=True)
    sql = (
        con.execute(
            "select indicator_code, weight from marts.fct_indicator_weights "
            "where method = 'entropy' order by indicator_code"
        )
        .df()
        .weight.to_numpy()
    )
    con.close()
    numpy_w, _, z_shifted = ref.entropy_weights(X, DIRECTIONS)
    oracle = pymcdm_entropy_weights(z_shifted)
    np.testing.assert_allclose(sql, numpy_w, atol=1e-12, rtol=0)
    np.testing.assert_allclose(sql, oracle, atol=1e-12, rtol=0)
    # the negative indicator is normalised as (max - x) / (max - min): its best row is the minimum
    assert z_shifted[:, 3].argmax() == X[:, 3].argmin()


def test_the_k_equals_1_over_ln_t_error_would_be_caught():
    """The widely copied snippet divides by ln T instead of ln n: e > 1 and the ranking inverts."""
    _, _, z_shifted = ref.entropy_weights(X, DIRECTIONS)
    p = z_shifted / z_shifted.sum(axis=0)
    wrong_e = -(p * np.log(p)).sum(axis=0) / np.log(3)  # T = 3 years
    assert (wrong_e > 1).all()
    right_w, _, _ = ref.entropy_weights(X, DIRECTIONS)
    wrong_d = 1 - wrong_e
    wrong_w = wrong_d / wrong_d.sum()
    assert (np.argsort(wrong_w) == np.argsort(right_w)[::-1]).all()
