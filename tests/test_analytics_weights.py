"""Spatial weights: the province seeds, the options and the validation of a user's file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cipanel.analytics.weights import WeightsError, great_circle_km, load_weights_file, spatial_weights

ROOT = pd.read_csv(
    __import__("pathlib").Path(__file__).resolve().parents[1] / "seeds" / "reference" / "ref_units.csv", dtype=str
)
PROVINCES = ROOT.loc[ROOT.unit_type != "nation", "unit_code"].tolist()  # the 31 provinces
SAMPLE = ROOT.loc[ROOT.in_sample == "true", "unit_code"].tolist()  # 30, without Tibet


def test_queen_contiguity_of_the_31_provinces():
    W, codes = spatial_weights("queen", PROVINCES, row_standardise=False)
    assert codes == PROVINCES and W.shape == (31, 31)
    assert (W == W.T).all() and (np.diag(W) == 0).all()
    pos = {c: i for i, c in enumerate(codes)}
    neighbours = lambda c: {codes[j] for j in np.flatnonzero(W[pos[c]])}
    assert neighbours("110000") == {"120000", "130000"}  # Beijing: Tianjin, Hebei
    assert neighbours("460000") == {"440000"}  # Hainan: Guangdong by default
    assert neighbours("540000") == {"650000", "630000", "510000", "530000"}  # Tibet
    assert len(neighbours("150000")) == 8  # Inner Mongolia borders eight provinces
    assert W.sum() == 2 * 69  # 68 land borders + Hainan-Guangdong


def test_hainan_is_a_choice():
    both, codes = spatial_weights("queen", SAMPLE, row_standardise=False, hainan="guangdong_guangxi")
    i = codes.index("460000")
    assert {codes[j] for j in np.flatnonzero(both[i])} == {"440000", "450000"}
    with pytest.raises(WeightsError, match="unit 460000 has no neighbour"):
        spatial_weights("queen", SAMPLE, hainan="none")
    W, _ = spatial_weights("queen", SAMPLE, hainan="none", allow_islands=True)
    assert W[i].sum() == 0
    with pytest.raises(WeightsError, match="hainan='taiwan' is not allowed"):
        spatial_weights("queen", SAMPLE, hainan="taiwan")


def test_row_standardised_by_default_and_in_the_order_asked():
    order = SAMPLE[::-1]
    W, codes = spatial_weights("queen", order)
    assert codes == order
    np.testing.assert_allclose(W.sum(axis=1), 1.0)
    raw, _ = spatial_weights("queen", order, row_standardise=False)
    np.testing.assert_allclose(W, raw / raw.sum(axis=1, keepdims=True))


def test_inverse_distance_between_capitals():
    W, codes = spatial_weights("inverse_distance", ["110000", "120000", "310000"], row_standardise=False)
    assert codes == ["110000", "120000", "310000"]
    # Beijing-Tianjin is about 110 km, Beijing-Shanghai about 1,070 km (great circle)
    assert 1 / W[0, 1] == pytest.approx(110, abs=10)
    assert 1 / W[0, 2] == pytest.approx(1067, abs=15)
    assert (W == W.T).all()
    W2, _ = spatial_weights("inverse_distance", ["110000", "120000", "310000"], row_standardise=False, power=2)
    np.testing.assert_allclose(W2, W**2)
    cut, _ = spatial_weights(
        "inverse_distance", ["110000", "120000", "310000"], row_standardise=False, cutoff_km=500, allow_islands=True
    )
    assert cut[0, 2] == 0 and cut[0, 1] > 0 and cut[2].sum() == 0


def test_haversine_quarter_meridian():
    d = great_circle_km(np.array([0.0, 90.0]), np.array([0.0, 0.0]))
    assert d[0, 1] == pytest.approx(np.pi / 2 * 6371.0088, rel=1e-12)


def test_economic_distance_from_a_panel_variable():
    values = {"110000": 10.0, "120000": 8.0, "310000": 11.0}
    W, _ = spatial_weights("economic", list(values), row_standardise=False, values=values)
    assert W[0, 1] == pytest.approx(1 / 2) and W[0, 2] == pytest.approx(1.0) and W[1, 2] == pytest.approx(1 / 3)
    nested, _ = spatial_weights("economic", list(values), row_standardise=False, values=values, times_distance=True)
    geo, _ = spatial_weights("inverse_distance", list(values), row_standardise=False)
    np.testing.assert_allclose(nested, W * geo)
    with pytest.raises(WeightsError, match="unit 310000 has no finite value"):
        spatial_weights("economic", list(values), values={"110000": 1.0, "120000": 2.0})
    with pytest.raises(WeightsError, match="units 110000 and 120000 have the same value"):
        spatial_weights("economic", ["110000", "120000"], values={"110000": 1.0, "120000": 1.0})


def test_unknown_units_kinds_and_options_are_named():
    with pytest.raises(WeightsError, match="unit C0001 is not in .*ref_province_contiguity"):
        spatial_weights("queen", ["110000", "C0001"])
    with pytest.raises(WeightsError, match="unit C0001 is not in .*ref_province_capitals"):
        spatial_weights("inverse_distance", ["110000", "C0001"])
    with pytest.raises(WeightsError, match="kind 'rook' is not known"):
        spatial_weights("rook", SAMPLE)
    with pytest.raises(WeightsError, match="takes no option 'cutoff_km'"):
        spatial_weights("queen", SAMPLE, cutoff_km=10)
    with pytest.raises(WeightsError, match="unit 110000 appears more than once"):
        spatial_weights("queen", ["110000", "110000"])


def test_edge_list_file(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("unit_code,neighbour_code,weight\nA,B,1\nB,A,1\nB,C,2\nC,B,2\n", encoding="utf-8")
    W, _ = spatial_weights("file", ["A", "B", "C"], row_standardise=False, path=path)
    np.testing.assert_array_equal(W, [[0, 1, 0], [1, 0, 2], [0, 2, 0]])
    Wr, _ = spatial_weights("file", ["C", "B", "A"], path=path)
    np.testing.assert_allclose(Wr, [[0, 1, 0], [2 / 3, 0, 1 / 3], [0, 1, 0]])


def test_matrix_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("unit_code,B,A\nA,1,0\nB,0,1\n", encoding="utf-8")
    W, codes = load_weights_file(path)
    assert codes == ["A", "B"]
    np.testing.assert_array_equal(W, [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "text, options, message",
    [
        ("unit_code,neighbour_code\nA,B\n", {}, "not symmetric: A->B is 1 but B->A is 0"),
        ("unit_code,neighbour_code\nA,B\nB,A\n", {"units": ["A", "B", "C"]}, "unit C is not in"),
        ("unit_code,neighbour_code\nA,B\nB,A\nC,C\n", {}, "row 4: unit C is listed as its own neighbour"),
        ("unit_code,neighbour_code,weight\nA,B,x\nB,A,1\n", {}, "row 2: weight 'x' of A-B is not a number"),
        ("unit_code,neighbour_code,weight\nA,B,-1\nB,A,-1\n", {}, "row 2: weight '-1' of A-B must be finite and >= 0"),
        ("unit_code,neighbour_code\nA,B\nB,A\nA,B\n", {}, "pair A-B is listed more than once"),
        ("unit_code,A,B,C\nA,0,1,0\nB,1,0,0\nC,0,0,0\n", {}, "unit C has no neighbour"),
        ("unit_code,A,B\nA,0,1\nC,1,0\n", {}, "unit B is in one but not the other"),
        ("code,neighbour\nA,B\n", {}, "expected a column unit_code"),
        ("unit_code,A,B\nA,0,-2\nB,-2,0\n", {}, "weight of A-B is -2.0; weights must be finite and >= 0"),
        ("unit_code,A,B\nA,1,1\nB,1,0\n", {}, "unit A has a non-zero weight on itself"),
        ("unit_code,A,B\nA,0,1\nB,0.5,0\n", {}, "not symmetric: A->B is 1 but B->A is 0.5"),
    ],
)
def test_weights_file_errors_name_the_unit(tmp_path, text, options, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WeightsError, match=message.replace("(", r"\(")) as err:
        load_weights_file(path, options.get("units"))
    assert str(path) in str(err.value)


def test_asymmetric_file_is_allowed_when_declared(tmp_path):
    path = tmp_path / "directed.csv"
    path.write_text("unit_code,neighbour_code\nA,B\nB,C\nC,A\n", encoding="utf-8")
    W, _ = spatial_weights("file", ["A", "B", "C"], path=path, symmetric=False)
    np.testing.assert_array_equal(W, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
