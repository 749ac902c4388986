"""cipanel: a warehouse for composite-index panel studies, and a Stata-convention estimator API.

`import cipanel as cp` then `cp.feols`, `cp.iv`, `cp.gmm`, `cp.panel`, `cp.etable`. The API
module (pandas, NumPy, SciPy) is imported on first use, so `cipanel --help` stays fast.
"""

_API = ("feols", "iv", "gmm", "panel", "etable", "parse_vcov", "Model")


def __getattr__(name: str):
    if name in _API:
        from cipanel import api

        return getattr(api, name)
    raise AttributeError(f"module 'cipanel' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])
