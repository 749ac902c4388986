"""Stock-Yogo critical values of the Cragg-Donald F for weak instruments, written as data.

Source: Stock, J. H. and M. Yogo (2005), "Testing for Weak Instruments in Linear IV Regression", in
Andrews and Stock (eds.), Identification and Inference for Econometric Models, Table 5.2 (2SLS size:
critical values for a maximal size of a nominal 5% Wald test of 10% and 15%), one endogenous
regressor, K2 excluded instruments. Only K2 = 1..5 are transcribed here; beyond that the table
says so in a note instead of printing a value. The values assume i.i.d. errors (as the
Cragg-Donald statistic does); ivreg2 prints the same ones."""

from __future__ import annotations

SOURCE = "Stock & Yogo (2005), Table 5.2"

# K2 -> {maximal size: critical value}
TWO_SLS_SIZE: dict[int, dict[str, float]] = {
    1: {"10%": 16.38, "15%": 8.96},
    2: {"10%": 19.93, "15%": 11.59},
    3: {"10%": 22.30, "15%": 12.83},
    4: {"10%": 24.58, "15%": 13.96},
    5: {"10%": 26.87, "15%": 15.09},
}


def critical_values(n_instruments: int) -> dict[str, float] | None:
    return TWO_SLS_SIZE.get(n_instruments)
