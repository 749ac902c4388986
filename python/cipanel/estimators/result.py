"""The one result type every estimator returns, so tables, the results schema and the report
treat OLS, FE, IV and GMM alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class FitResult:
    """Coefficients with their inference, in the conventions of the Stata command named in `method`.

    `df_inference` is the degrees of freedom of the t distribution used for p-values (G-1 for
    clustered SE as Stata does; None means normal / z inference). `diagnostics` holds named scalar
    statistics (first-stage F, Kleibergen-Paap LM, AR(2) p-value, Hansen J, ...), each with a
    stable snake_case key so they can be stored as rows in the results schema.
    """

    method: str
    dependent: str
    params: pd.Series
    std_errors: pd.Series
    tstats: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    nobs: int
    cov_type: str
    df_inference: float | None = None
    n_clusters: int | None = None
    r_squared: float | None = None
    r_squared_label: str = ""
    diagnostics: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        from scipy import special  # = scipy.stats t.ppf / norm.ppf, without importing stats

        q = special.stdtrit(self.df_inference, 0.5 + level / 2) if self.df_inference else special.ndtri(0.5 + level / 2)
        return pd.DataFrame({"lower": self.params - q * self.std_errors, "upper": self.params + q * self.std_errors})
