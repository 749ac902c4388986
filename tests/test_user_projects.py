"""A user's own study end to end, from `cipanel init` in a temporary folder through `cipanel run`:
(a) provinces with their own index from yearbook-wide Excel with Chinese names, panel years from the
data (2013-2022), (b) a SYNTHETIC firm panel with a planted effect and no index, codes written as
`410032.0`, a warehouse path with '-', spaces and Chinese characters. Each checks the numbers
against an independent NumPy computation, the build summary, and that no file of the repository
was written. (c), custom units with numeric codes through an installed wheel, is
tests/test_installed_wheel.py. One full build per project, shared by its assertions."""

from __future__ import annotations

import contextlib
import io
import subprocess

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import entropy_reference as ref
from cipanel.cli import main
from warehouse_build import ROOT

YEARS = list(range(2013, 2023))


def repo_state() -> set[str]:
    """Tracked changes, untracked and ignored files of the repository (caches left out)."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--ignored", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    skip = (".venv", ".pytest_cache", ".hypothesis", "__pycache__", ".pyc", "cipanel.egg-info", "/build/")
    return {line for line in out if not any(s in line for s in skip)}


def run_cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue() + err.getvalue()


def query(warehouse, sql) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def twoway_fe(frame: pd.DataFrame, y: str, xs: list[str], unit: str, time: str):
    """Two-way FE by Frisch-Waugh (dummies partialled out by least squares) with Stata's
    cluster-robust SE (xtreg fe: K counts the regressors, the year dummies and the constant)."""
    dummies = pd.get_dummies(frame[[unit, time]].astype(str), drop_first=False).to_numpy(float)
    resid = lambda v: v - dummies @ np.linalg.lstsq(dummies, v, rcond=None)[0]  # noqa: E731
    X = np.column_stack([resid(frame[x].to_numpy(float)) for x in xs])
    Y = resid(frame[y].to_numpy(float))
    beta = np.linalg.solve(X.T @ X, X.T @ Y)
    u = Y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    groups = frame[unit].to_numpy()
    meat = sum(
        np.outer(X[groups == g].T @ u[groups == g], X[groups == g].T @ u[groups == g]) for g in np.unique(groups)
    )
    n, n_groups = len(frame), len(np.unique(groups))
    k = len(xs) + frame[time].nunique() - 1 + 1
    V = bread @ meat @ bread * n_groups / (n_groups - 1) * (n - 1) / (n - k)
    return beta, np.sqrt(np.diag(V))


# ---------------------------------------------------------------------------------------------
# (b) a firm panel with no composite index


@pytest.fixture(scope="module")
def firm_project(tmp_path_factory):
    before = repo_state()
    folder = tmp_path_factory.mktemp("firms") / "firm-study"
    code, text = run_cli(["init", str(folder), "--units", "custom"])
    assert code == 0, text
    rng = np.random.default_rng(20261201)
    firms = [str(410000 + i) for i in range(40)]
    fe, te = {f: rng.normal() for f in firms}, {y: rng.normal() for y in range(2010, 2020)}
    rows, truth = [], []
    for f in firms:
        for y in range(2010, 2020):
            x, z = rng.normal() + fe[f], rng.normal()
            yv = 0.5 * x + 0.2 * z + fe[f] + te[y] + rng.normal(scale=0.5)  # planted effect 0.5
            gap = f == firms[0] and y == 2015
            rows += [
                (f + ".0", y, "x", x),
                (f, y, "yv", yv),
                (f, y, "z", "" if gap else z),
                (f, y, "z2", "" if gap else z),
            ]
            truth.append({"unit_code": f, "year": y, "x": x, "yv": yv, "z": np.nan if gap else z})
    pd.DataFrame(rows, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        folder / "data" / "firm_values_synthetic.csv", index=False
    )
    # names are optional; the codes are integers
    pd.DataFrame({"unit_code": firms, "unit_type": "firm"}).to_csv(folder / "reference" / "units.csv", index=False)
    with open(folder / "catalog" / "indicator_catalog.csv", "a", encoding="utf-8") as catalog:
        # z2 asks for interpolation in the catalog column, over the project's default policy
        catalog.write(
            "x,,,,,,,SYNTHETIC,,,,,\nyv,,,,,,,SYNTHETIC,,,,,\nz,,,,,,,SYNTHETIC,,,,,\nz2,,,,,,,SYNTHETIC,,,,,true\n"
        )
    spec = (folder / "studies" / "example.yml").read_text(encoding="utf-8")
    spec = spec.replace("outcome: y\n", "outcome: yv\n").replace("controls: []", "controls: [z]")
    (folder / "studies" / "example.yml").write_text(
        spec.replace("variables: [y, x]", "variables: [yv, x, z]"), encoding="utf-8"
    )
    warehouse = folder / "my-wh 仓库" / "my-wh 数据.duckdb"
    code, text = run_cli(["run", "--project", str(folder), "--warehouse", str(warehouse), "--lang", "en"])
    return {
        "folder": folder,
        "warehouse": warehouse,
        "code": code,
        "text": text,
        "truth": pd.DataFrame(truth),
        "repo_before": before,
        "repo_after": repo_state(),
    }


def test_firm_panel_without_index_runs_and_writes_inside_the_project(firm_project):
    assert firm_project["code"] == 0, firm_project["text"]
    assert firm_project["warehouse"].exists()
    assert (firm_project["folder"] / "output" / "report.html").exists()
    assert (firm_project["folder"] / "output" / "example").is_dir()


def test_firm_panel_leaves_the_repository_untouched(firm_project):
    assert firm_project["repo_after"] == firm_project["repo_before"]


def test_firm_panel_coefficient_and_clustered_se_match_an_independent_computation(firm_project):
    est = query(
        firm_project["warehouse"],
        "select term, estimate, std_error, n_obs from results.estimates where study = 'example' and table_id = 't2'",
    ).set_index("term")
    # the gap of the standalone control z is not interpolated: that firm-year leaves the sample
    sample = firm_project["truth"].dropna()
    assert len(sample) == 399 and (est.n_obs == 399).all()
    beta, se = twoway_fe(sample, "yv", ["x", "z"], "unit_code", "year")
    np.testing.assert_allclose(est.loc[["x", "z"], "estimate"], beta, rtol=1e-9)
    np.testing.assert_allclose(est.loc[["x", "z"], "std_error"], se, rtol=1e-9)
    assert abs(beta[0] - 0.5) < 0.1  # the planted effect


def test_firm_panel_build_summary(firm_project):
    text = firm_project["text"]
    assert "panel years 2010-2019 (from the data); 40 units in the sample" in text
    assert "firm_values_synthetic.csv: 1600 read, 1600 accepted, 0 rejected" in text
    assert "400 unit codes written as decimals (e.g. 410032.0) read as whole numbers" in text
    assert "z: 0 interpolated, 1 left empty by policy, 0 not fillable" in text
    assert "z2: 1 interpolated, 0 left empty by policy, 0 not fillable" in text
    assert "warning: z: 1 gaps between observed years left empty by the interpolation policy" in text
    assert "no composite index (plain panel)" in text


def test_firm_panel_flags_the_interpolated_cell_per_variable(firm_project):
    cells = query(firm_project["warehouse"], "select * from marts.fct_panel_interpolated_cells")
    assert list(zip(cells.unit_code, cells.year, cells.variable)) == [("410000", 2015, "z2")]
    panel = query(
        firm_project["warehouse"],
        "select unit_code, year, z, z2 from marts.fct_panel where unit_code = '410000' and year = 2015",
    )
    assert panel.z.isna().all() and panel.z2.notna().all()


# ---------------------------------------------------------------------------------------------
# (a) provinces, their own index, yearbook-wide Excel with Chinese names, 2013-2022


@pytest.fixture(scope="module")
def province_project(tmp_path_factory):
    before = repo_state()
    folder = tmp_path_factory.mktemp("prov") / "我的研究"
    code, text = run_cli(["init", str(folder)])
    assert code == 0, text
    units = pd.read_csv(ROOT / "seeds" / "reference" / "ref_units.csv", dtype=str)
    units = units[units.in_sample == "true"]
    rng = np.random.default_rng(7)
    indicators = {
        "a1": ("创新投入", "+", "d1"),
        "a2": ("能耗强度", "-", "d1"),
        "a3": ("开放程度", "+", "d2"),
        "ctrl": ("控制变量", "", ""),
    }
    raw = {
        code: pd.DataFrame(rng.uniform(1, 100, (len(units), len(YEARS))), index=units.unit_code, columns=YEARS)
        for code in indicators
    }
    raw["a1"].iloc[3, 4] = np.nan  # an index component's gap: interpolated
    raw["ctrl"].iloc[5, 6] = np.nan  # a standalone variable's gap: kept (default policy)
    book = Workbook()
    book.remove(book.active)
    for code, (label, _, _) in indicators.items():
        sheet = book.create_sheet(label)
        sheet.append([f"表 {label}（合成数据 SYNTHETIC）"])
        sheet.append(["地区", *[f"{y}年" for y in YEARS]])
        for unit, short in zip(units.unit_code, units.short_name_zh):
            sheet.append([short, *[None if np.isnan(v) else float(v) for v in raw[code].loc[unit]]])
        sheet.append(["注：合成数据，非真实统计。"])
    book.save(folder / "data" / "yearbook_synthetic.xlsx")
    catalog = ["indicator_code,index_code,dimension_code,direction,label_zh,label_en,source"]
    for code, (label, direction, dim) in indicators.items():
        catalog.append(f"{code},{'myidx' if dim else ''},{dim},{direction},{label},{code},SYNTHETIC")
    (folder / "catalog" / "indicator_catalog.csv").write_text("\n".join(catalog) + "\n", encoding="utf-8")
    (folder / "catalog" / "index_catalog.csv").write_text(
        "index_code,label_zh,label_en,weighting\nmyidx,我的指数,My index,pooled\nlater,待定指数,Index without components,\n",
        encoding="utf-8",
    )
    (folder / "catalog" / "dimension_catalog.csv").write_text(
        "index_code,dimension_code,label_zh,label_en\nmyidx,d1,维度一,D1\nmyidx,d2,维度二,D2\n", encoding="utf-8"
    )
    # the catalogs copied into the input folder too: skipped, not read as values
    (folder / "data" / "indicator_catalog.csv").write_text("\n".join(catalog) + "\n", encoding="utf-8")
    spec = (folder / "studies" / "example.yml").read_text(encoding="utf-8")
    spec = spec.replace("outcome: y\n", "outcome: myidx\n").replace("treatment: x", "treatment: ctrl")
    (folder / "studies" / "example.yml").write_text(
        spec.replace("variables: [y, x]", "variables: [myidx, ctrl]"), encoding="utf-8"
    )
    code, text = run_cli(["run", "--project", str(folder)])
    return {
        "folder": folder,
        "code": code,
        "text": text,
        "raw": raw,
        "indicators": indicators,
        "warehouse": folder / "warehouse" / "我的研究.duckdb",
        "repo_before": before,
        "repo_after": repo_state(),
    }


def test_province_project_runs_and_leaves_the_repository_untouched(province_project):
    assert province_project["code"] == 0, province_project["text"]
    assert (province_project["folder"] / "output" / "report.html").exists()
    assert province_project["repo_after"] == province_project["repo_before"]


def test_province_project_window_comes_from_the_data(province_project):
    years = query(province_project["warehouse"], "select distinct year from marts.fct_panel order by 1").year
    assert list(years) == YEARS  # no empty 2023 row, 2013 not cut


def test_province_project_weights_match_numpy_on_2013_2022(province_project):
    raw, indicators = province_project["raw"], province_project["indicators"]
    components = ["a1", "a2", "a3"]
    # interpolate the component's gap as the warehouse does (linear between the observed years)
    filled = {c: raw[c].T.interpolate(limit_area="inside").T for c in components}
    matrix = np.column_stack([filled[c].stack(future_stack=True).to_numpy() for c in components])
    w, _, _ = ref.entropy_weights(matrix, [indicators[c][1] for c in components])
    got = query(
        province_project["warehouse"],
        "select indicator_code, weight, window_start, window_end "
        "from marts.fct_indicator_weights where index_code = 'myidx' "
        "and method = 'entropy'",
    ).set_index("indicator_code")
    np.testing.assert_allclose(got.loc[components, "weight"], w, atol=1e-12, rtol=0)
    assert set(got.window_start) == {2013} and set(got.window_end) == {2022}


def test_province_project_regression_matches_numpy(province_project):
    panel = query(province_project["warehouse"], "select unit_code, year, myidx, ctrl from marts.fct_panel")
    sample = panel.dropna()
    assert len(sample) == len(panel) - 1  # the control's gap is not filled by default
    beta, se = twoway_fe(sample, "myidx", ["ctrl"], "unit_code", "year")
    est = query(
        province_project["warehouse"],
        "select estimate, std_error, n_obs from results.estimates where table_id = 't2' and term = 'ctrl'",
    )
    np.testing.assert_allclose(est.estimate, beta, rtol=1e-9)
    np.testing.assert_allclose(est.std_error, se, rtol=1e-9)
    assert list(est.n_obs) == [len(sample)]


def test_province_project_build_summary(province_project):
    text = province_project["text"]
    assert "panel years 2013-2022 (from the data); 30 units in the sample" in text
    assert "yearbook_synthetic.xlsx: 1204 read, 1200 accepted, 4 rejected" in text
    assert "a1: 1 interpolated, 0 left empty by policy, 0 not fillable" in text
    assert "ctrl: 0 interpolated, 1 left empty by policy, 0 not fillable" in text
    assert "myidx: 2013-2022 (pooled, 3 components)" in text
    assert "later: no components: no scores" in text
    assert "indicator_catalog.csv in the input folder looks like a catalog or reference file: not read" in text
    assert "warning: 4 input rows rejected: footnote row in a yearbook sheet; first: yearbook_synthetic.xlsx" in text
