"""The inference options of a spec (issue: inference with 30 clusters) turned into rows under the
table columns and into diagnostics stored in the results schema:

- wild_bootstrap: {B, weights, seed}: WCR bootstrap p-value and CI of the treatment in every
  OLS/FE column, the WRE bootstrap for the IV second stage;
- group_tests: [{columns: ["(1)", "(2)"], methods: [interaction, permutation], B, seed}]: the
  difference of the treatment coefficient between two columns' samples, by a pooled interaction
  model with the same fixed effects and by the Fisher permutation test across units;
- placebo: {B, mode, seed}: treatment reassigned across units (or unit-years) B times.

Each runs on the column's fitted cp Model (its sample, materialised regressors and clusters:
m.wild_bootstrap, m.interaction_test, m.permutation, m.placebo), never on a design rebuilt from
the spec keys, so formula and expression columns take them too. The treatment is the column's
first regressor (the endogenous variable in an IV second stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cipanel.inference.choices import MODES as PLACEBO_MODES
from cipanel.inference.choices import WEIGHTS as BOOT_WEIGHTS
from cipanel.study.errors import SpecError
from cipanel.study.tables import ModelColumn, Stat

if TYPE_CHECKING:
    from cipanel.api import Model

BOOT_KEYS = {"B", "weights", "seed"}
GROUP_KEYS = {"columns", "methods", "B", "seed"}
GROUP_METHODS = {"interaction", "permutation"}
PLACEBO_KEYS = {"B", "mode", "seed", "column"}


def _check(block: Any, allowed: set[str], where: str) -> None:
    if not isinstance(block, dict):
        raise SpecError(f"{where}: expected a mapping, got {block!r}")
    unknown = sorted(set(block) - allowed)
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _check_count(block: dict, key: str, where: str, minimum: int = 1) -> None:
    value = block.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < minimum):
        raise SpecError(f"{where}.{key}: expected a whole number >= {minimum}, got {value!r}")


def _check_choice(block: dict, key: str, allowed, where: str) -> None:
    if key in block and block[key] not in allowed:
        raise SpecError(f"{where}.{key}: {block[key]!r} is not allowed; use one of {', '.join(sorted(allowed))}")


def check_options(options: dict, where: str) -> None:
    """A table's inference blocks checked when the spec is read, before any work: keys, draw
    counts, seeds, weight types, modes. `where` is "file: tables[i]"."""
    if "wild_bootstrap" in options:
        block, at = options["wild_bootstrap"] or {}, f"{where}.wild_bootstrap"
        _check(block, BOOT_KEYS, at)
        _check_count(block, "B", at, 99)  # fewer draws cannot give a p-value below 0.01
        _check_count(block, "seed", at, 0)
        _check_choice(block, "weights", BOOT_WEIGHTS, at)
    tests = options.get("group_tests")
    if tests is not None and not isinstance(tests, list):
        raise SpecError(f"{where}.group_tests: expected a list of tests, got {tests!r}")
    for i, test in enumerate(tests or []):
        at = f"{where}.group_tests[{i}]"
        _check(test, GROUP_KEYS, at)
        _check_count(test, "B", at)
        _check_count(test, "seed", at, 0)
        methods = test.get("methods", ["interaction"])
        unknown = sorted(set(methods if isinstance(methods, list) else [methods]) - GROUP_METHODS)
        if unknown or not isinstance(methods, list):
            raise SpecError(
                f"{at}.methods: {unknown[0] if unknown else methods!r} is not allowed; use interaction, permutation"
            )
    if "placebo" in options:
        block, at = options["placebo"] or {}, f"{where}.placebo"
        _check(block, PLACEBO_KEYS, at)
        _check_count(block, "B", at)
        _check_count(block, "seed", at, 0)
        _check_choice(block, "mode", PLACEBO_MODES, at)


def bootstrap_column(column: ModelColumn, fitted: Model | None, options: dict, role: str) -> None:
    """The wild bootstrap of a column's first regressor (its treatment; the endogenous variable
    of an IV second stage) by the fitted model's own method (cp Model.wild_bootstrap), so a
    formula column and a plain one are bootstrapped on exactly the design they were fitted on.
    role: ols (OLS / FE), iv_first, iv_second or gmm."""
    _check(options, BOOT_KEYS, "wild_bootstrap")
    if role == "iv_first":
        return  # the bootstrap is reported for the structural coefficient, in the second stage
    # not defined here: GMM, unit trends, Driscoll-Kraay, unclustered or multi-way clustered columns
    if (
        role == "gmm"
        or fitted is None
        or fitted.design.slopes
        or fitted.vcov.kind != "cluster"
        or len(fitted.vcov.clusters) != 1
    ):
        column.extra_rows["wcr_p"] = Stat()  # printed "—"
        return
    boot = fitted.wild_bootstrap(
        B=options.get("B", 9999),
        weights=options.get("weights", "rademacher"),
        seed=options.get("seed", 20261124),
    )
    column.result.diagnostics.update(
        {"wcr_p": boot.p_value, "wcr_ci_low": boot.ci_lower, "wcr_ci_high": boot.ci_upper, "wcr_B": float(boot.B)}
    )
    column.extra_rows["wcr_p"] = Stat(boot.p_value, 3)
    column.extra_rows["wcr_ci"] = Stat(interval=(boot.ci_lower, boot.ci_upper))


def group_test(columns: list[ModelColumn], fitted: list, test: dict, where: str, entity: str) -> None:
    """The difference of the treatment (first regressor) between two columns' samples, by the
    second column's fitted model on both samples stacked (Model.interaction_test / permutation)."""
    _check(test, GROUP_KEYS, where)
    names = test.get("columns") or []
    index = {c.name: i for i, c in enumerate(columns)}
    if len(names) != 2 or any(n not in index for n in names):
        raise SpecError(f"{where}.columns: name two columns of the table, e.g. ['(1)', '(2)'] (have {list(index)})")
    (a, b), methods = [index[n] for n in names], test.get("methods", ["interaction"])
    unknown = sorted(set(methods) - {"interaction", "permutation"})
    if unknown:
        raise SpecError(f"{where}.methods: {unknown[0]!r} is not allowed; use interaction, permutation")
    if fitted[a] is None or fitted[b] is None:
        raise SpecError(f"{where}: group tests compare OLS / FE columns")
    model = fitted[b]
    # the group column joined at once: an insert into the samples (one block per derived column) is slow
    group = np.repeat(np.array([0, 1], dtype=np.int64), [len(fitted[a].sample), len(model.sample)])
    stacked = pd.concat([fitted[a].sample, model.sample], ignore_index=True)
    pooled = pd.concat([stacked, pd.Series(group, name="_group")], axis=1)
    target = columns[b]
    if "interaction" in methods:
        res = model.interaction_test("_group", data=pooled)
        target.result.diagnostics.update(
            {"group_diff": res.diff, "group_diff_se": res.se, "interaction_p": res.p_value}
        )
        target.extra_rows["interaction_p"] = Stat(res.p_value, 3)
    if "permutation" in methods:
        if pooled.groupby(entity)["_group"].nunique().max() > 1:
            raise SpecError(
                f"{where}: the permutation test reassigns units between groups, but units appear "
                "in both samples (a period split?): use methods: [interaction]"
            )
        res = model.permutation("_group", data=pooled, B=test.get("B", 1000), seed=test.get("seed", 20261124))
        target.result.diagnostics.update({"perm_diff": res.diff, "perm_p": res.p_value, "perm_B": float(res.B)})
        target.extra_rows["perm_p"] = Stat(res.p_value, 3)


def placebo(column: ModelColumn, fitted: Model | None, options: dict) -> Any:
    """The placebo test of the column's treatment on its fitted model (Model.placebo)."""
    _check(options, PLACEBO_KEYS, "placebo")
    if fitted is None:
        raise SpecError("placebo: the placebo test needs an OLS / FE column")
    res = fitted.placebo(mode=options.get("mode", "unit"), B=options.get("B", 500), seed=options.get("seed", 20261124))
    column.result.diagnostics.update({"placebo_share": res.share, "placebo_B": float(res.B)})
    column.extra_rows["placebo_share"] = Stat(res.share, 3)
    return res
