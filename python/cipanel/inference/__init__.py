"""Inference that holds with few (about 30) clusters.

- wild_bootstrap: WCR wild cluster bootstrap for OLS / FE (p-value and test-inversion CI) and the
  WRE bootstrap for IV-2SLS with one endogenous regressor;
- permutation: is a coefficient different between two groups? pooled interaction test and the
  Fisher permutation test (bdiff, 费舍尔组合检验);
- placebo: randomisation (placebo) test of a two-way FE treatment coefficient.

The names below are imported on first use (PEP 562 module __getattr__): the methods pull in SciPy's
stats module (over a second), which a run whose tables are all reused from the study cache never needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "InteractionResult": "permutation",
    "PermutationResult": "permutation",
    "fisher_permutation_test": "permutation",
    "interaction_test": "permutation",
    "PlaceboResult": "placebo",
    "placebo_test": "placebo",
    "BootResult": "wild_bootstrap",
    "draw_weights": "wild_bootstrap",
    "wcr_arrays": "wild_bootstrap",
    "wild_bootstrap_iv": "wild_bootstrap",
    "wild_cluster_bootstrap": "wild_bootstrap",
}

if TYPE_CHECKING:
    from .permutation import InteractionResult, PermutationResult, fisher_permutation_test, interaction_test
    from .placebo import PlaceboResult, placebo_test
    from .wild_bootstrap import BootResult, draw_weights, wcr_arrays, wild_bootstrap_iv, wild_cluster_bootstrap


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value  # once: later look-ups do not come back here
    return value


__all__ = sorted(_WHERE)
