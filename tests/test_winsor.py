"""Stata `_pctile` / `winsor2` conventions (docs/methods.md §6 G7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cipanel.estimators.winsor import stata_pctile, winsorize

X100 = np.arange(1, 101, dtype=float)


@pytest.mark.parametrize(
    "p, expected",
    [(5, 5.5), (6, 6.5), (7, 7.5), (54, 54.5), (55, 55.5), (56, 56.5), (57, 57.5)],
)
def test_g7_pctile_1_to_100(p, expected):
    assert stata_pctile(X100, p) == expected


def test_g7_numpy_definition_differs():
    # the reason for our own implementation: numpy's closest definition misses p = 7
    assert np.percentile(X100, 7, method="averaged_inverted_cdf") != 7.5
    assert stata_pctile(X100, 7) == 7.5


def test_pctile_non_integer_position_and_missing():
    x = pd.Series([3.0, np.nan, 1.0, 7.0, 5.0, 2.0, np.nan, 6.0, 4.0])  # 7 values
    assert stata_pctile(x, 50) == 4.0  # P = 3.5 -> x_(4)
    assert stata_pctile(x, 1) == 1.0  # P = 0.07 -> x_(1)
    assert stata_pctile(x, 99) == 7.0  # P = 6.93 -> x_(7)
    assert stata_pctile(pd.Series([1.0, 2.0]), 50) == 1.5  # P = 1 -> mean of x_(1), x_(2)
    assert np.isnan(stata_pctile([np.nan], 50))
    with pytest.raises(ValueError):
        stata_pctile(X100, 100)


def test_winsorize_pooled_preserves_missing_and_index():
    s = pd.Series(np.r_[X100, np.nan], index=np.arange(101) + 1000, name="v")
    w = winsorize(s)  # cut-offs P1 = 1.5, P99 = 99.5
    assert w.index.equals(s.index) and w.name == "v"
    assert w.iloc[0] == 1.5 and w.iloc[99] == 99.5 and w.iloc[1] == 2.0 and w.iloc[98] == 99.0
    assert np.isnan(w.iloc[100])
    assert winsorize(s, 5, 95).min() == 5.5


def test_winsorize_by_group():
    s = pd.Series(np.r_[X100, X100 * 10])
    g = np.r_[np.zeros(100), np.ones(100)]
    w = winsorize(s, by=g)
    assert w.iloc[0] == 1.5 and w.iloc[100] == 15.0 and w.iloc[199] == 995.0
    pooled = winsorize(s)
    assert pooled.iloc[0] == stata_pctile(s, 1)


def test_winsorize_bad_input():
    with pytest.raises(TypeError, match="numeric"):
        winsorize(pd.Series(["a", "b"]))
    with pytest.raises(ValueError):
        winsorize(pd.Series(X100), 99, 1)
