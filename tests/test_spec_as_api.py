"""A study spec column and the same cp.* call in Python give identical numbers: every regression
column (OLS / FE, IV first and second stage, system GMM) of both demo studies, rebuilt here from
the YAML with this file's own reading of the spec keys (the formula a user would type, the sample
a user would cut with pandas), against what the study runner produced. Demo data are SYNTHETIC."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import cipanel as cp
from cipanel.estimators.gmm import GmmStyle, IvStyle
from cipanel.estimators.winsor import winsorize
from cipanel.study.panel_source import read_panel
from cipanel.study.runner import run_study
from cipanel.study.spec import load_spec

STUDIES = Path(__file__).resolve().parents[1] / "examples" / "provinces-demo" / "studies"
REGRESSION_KINDS = {"regression", "iv", "gmm"}
MODEL_KEYS = {
    "outcome",
    "treatment",
    "controls",
    "effects",
    "cov",
    "cluster",
    "bandwidth",
    "trends",
    "where",
    "split",
    "lead",
    "winsorize",
    "instruments",
    "gmm",
    "formula",
    "estimator",
}
UNIT, YEAR = "unit_code", "year"


def _regression_only(raw: dict) -> dict:
    """The spec with its regression tables only and no inference options (they do not change a
    coefficient, an SE or N, and would only make this test slow)."""
    tables = []
    for table in raw["tables"]:
        if table.get("kind", "regression") in REGRESSION_KINDS:
            tables.append({k: v for k, v in table.items() if k not in ("wild_bootstrap", "group_tests", "placebo")})
    return {**{k: v for k, v in raw.items() if k != "analytics"}, "tables": tables}


def _query(where: str) -> str:
    """The spec's SQL-style condition as a pandas query (the few forms the demo specs use)."""
    m = re.fullmatch(r"year between (\d+) and (\d+)", where)
    if m:
        return f"{m.group(1)} <= year <= {m.group(2)}"
    return where.replace("<>", "!=").replace(" = ", " == ")


def _sample(panel: pd.DataFrame, raw: dict, model: dict) -> tuple[pd.DataFrame, str]:
    """The rows a user would keep, and the dependent variable's name (a lead made by hand)."""
    frame = panel[panel["in_sample"]].copy() if "in_sample" in panel else panel.copy()
    outcome = model.get("outcome")
    if model.get("lead"):  # y of the same unit `lead` years ahead, from the whole panel
        k, outcome = model["lead"], f"lead{model['lead']}_{model['outcome']}"
        ahead = frame[[UNIT, YEAR, model["outcome"]]].assign(**{YEAR: frame[YEAR] - k})
        frame = frame.merge(ahead.rename(columns={model["outcome"]: outcome}), on=[UNIT, YEAR], how="left")
    first, last = raw["panel"]["years"]
    base = frame[frame[YEAR].between(first, last)]
    sample = base.query(_query(model["where"])) if model.get("where") else base
    if model.get("split"):  # median of the units' means over the study years; ties go low
        means = base.groupby(UNIT)[model["split"]["variable"]].mean()
        high = means[means > means.median()].index
        sample = sample[sample[UNIT].isin(high) == (model["split"]["side"] == "high")]
    if model.get("winsorize") is True:
        sample = sample.copy()
        for name in [outcome, model["treatment"], *model.get("controls", [])]:
            sample[name] = winsorize(sample[name], 1, 99)
    return sample, outcome


def _vcov(model: dict) -> str:
    cov = model.get("cov", "clustered")
    return {
        "clustered": f"cluster:{model.get('cluster', UNIT)}",
        "robust": "hetero",
        "unadjusted": "iid",
        "driscoll_kraay": f"dk:{model.get('bandwidth')}" if model.get("bandwidth") else "dk",
    }[cov]


def _absorb(model: dict) -> str:
    effects = model.get("effects", "twoway")
    if model.get("trends"):
        return {"entity": f" | {UNIT}[{YEAR}]", "twoway": f" | {UNIT}[{YEAR}] + {YEAR}"}[effects]
    return {"none": "", "entity": f" | {UNIT}", "twoway": f" | {UNIT} + {YEAR}"}[effects]


def _calls(kind: str, model: dict, panel: pd.DataFrame, raw: dict):
    """(printed call, fitted cp Model) for each model column the spec column makes."""
    sample, y = _sample(panel, raw, model)
    controls = model.get("controls", [])
    if kind == "gmm":
        block = model["gmm"]
        rhs = " + ".join(block["regressors"].split())
        formula = f"{model['outcome']} ~ {rhs}"
        gmm = [GmmStyle(**s) for s in block["gmmstyle"]]
        iv = [IvStyle(**s) for s in block["ivstyle"]]
        m = cp.gmm(formula, sample, gmm=gmm, iv=iv, two_step=block.get("two_step", True))
        return [(f"cp.gmm({formula!r}, data, gmm={gmm}, iv={iv})", m)]
    vcov, fe = _vcov(model), _absorb(model)
    if kind == "iv":
        z = model["instruments"]
        used = [y, model["treatment"], *controls, *z, UNIT, YEAR]
        sample = sample.dropna(subset=used)  # both stages on the 2SLS sample
        first = f"{model['treatment']} ~ {' + '.join([*z, *controls])}{fe}"
        second = f"{y} ~ {' + '.join(controls) or '1'}{fe} | {model['treatment']} ~ {' + '.join(z)}"
        return [
            (f"cp.feols({f!r}, data, vcov={vcov!r})", cp.feols(f, sample, vcov, drop_singletons=False))
            for f in (first, second)
        ]
    formula = f"{y} ~ {' + '.join([model['treatment'], *controls])}{fe}"
    return [(f"cp.feols({formula!r}, data, vcov={vcov!r})", cp.feols(formula, sample, vcov, drop_singletons=False))]


@pytest.fixture(scope="module")
def studies(demo_warehouse, tmp_path_factory):
    out = {}
    folder = tmp_path_factory.mktemp("spec_as_api")
    for name in ("study_a", "study_b"):
        raw = _regression_only(yaml.safe_load((STUDIES / f"{name}.yml").read_text(encoding="utf-8")))
        path = folder / f"{name}.yml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        spec = load_spec(path, "en")
        panel = read_panel(spec, demo_warehouse).frame
        out[name] = (raw, panel, run_study(spec, panel, "en"))
    return out


@pytest.mark.parametrize("name", ["study_a", "study_b"])
def test_every_regression_column_equals_its_cp_call(studies, name):
    raw, panel, run = studies[name]
    fitted_tables = {t.table_id: t for t in run.tables}
    n_checked = 0
    for table in raw["tables"]:
        kind = table.get("kind", "regression")
        made = fitted_tables[table["id"]].columns
        expected = []
        for column in table["columns"]:
            model = {
                **raw.get("model", {}),
                **{k: v for k, v in table.items() if k in MODEL_KEYS},
                **{k: v for k, v in column.items() if k in MODEL_KEYS},
            }
            expected += _calls(kind, model, panel, raw)
        assert len(made) == len(expected), table["id"]
        for col, (call, m) in zip(made, expected):
            where = f"{name} table {table['id']} column {col.name}: {call}"
            r = col.result
            assert r.nobs == m.nobs, where
            assert list(r.params.index) == list(m.params.index), where
            np.testing.assert_array_equal(r.params.to_numpy(), m.params.to_numpy(), err_msg=where)
            np.testing.assert_array_equal(r.std_errors.to_numpy(), m.se.to_numpy(), err_msg=where)
            n_checked += 1
    # every regression column of the demo studies (IV counts its two stages, GMM one column)
    assert n_checked == {"study_a": 4 + 2 + 4 + 7 + 2 + 5, "study_b": 4 + 1 + 3 + 2 + 4 + 2}[name]


def test_gmm_column_needs_no_treatment_or_controls(studies):
    """Study B's GMM column names its regressors (gmm.regressors): the model block's treatment
    and controls do not reach it, and the Controls row still says the regressors hold controls."""
    _, _, run = studies["study_b"]
    column = next(t for t in run.tables if t.table_id == "t3").columns[0]
    assert column.role == "gmm" and column.controls and not column.unit_fe
    assert column.result.params.index[0] == "L.nqp_b"
