"""Inference that holds with few (about 30) clusters.

- wild_bootstrap: WCR wild cluster bootstrap for OLS / FE (p-value and test-inversion CI) and the
  WRE bootstrap for IV-2SLS with one endogenous regressor;
- permutation: is a coefficient different between two groups? pooled interaction test and the
  Fisher permutation test (bdiff, 费舍尔组合检验);
- placebo: randomisation (placebo) test of a two-way FE treatment coefficient.
"""

from .permutation import (
    InteractionResult,
    PermutationResult,
    fisher_permutation_test,
    interaction_test,
)
from .placebo import PlaceboResult, placebo_test
from .wild_bootstrap import (
    BootResult,
    draw_weights,
    wcr_arrays,
    wild_bootstrap_iv,
    wild_cluster_bootstrap,
)

__all__ = [
    "BootResult",
    "InteractionResult",
    "PermutationResult",
    "PlaceboResult",
    "draw_weights",
    "fisher_permutation_test",
    "interaction_test",
    "placebo_test",
    "wcr_arrays",
    "wild_bootstrap_iv",
    "wild_cluster_bootstrap",
]
