"""(c) The installed tool, without the repository: a wheel built from the working tree, installed
into a fresh virtual environment, runs `cipanel init` and `cipanel run` from a folder outside the
repository on a SYNTHETIC panel of custom units with numeric codes and an index; the weights match
NumPy, the build summary is printed, and the repository is untouched.

The fresh environment reuses this environment's dependencies through a .pth file (the wheel is
installed with --no-deps: no download); that .pth lists site-packages folders only, so it does not
bring in an editable install of cipanel, and the subprocesses run without PYTHONPATH."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest
from test_user_projects import repo_state

import entropy_reference as ref
from warehouse_build import ROOT

UNITS = [str(code) for code in range(1, 13)]
YEARS = list(range(2001, 2009))


def _run(args, cwd, env, check=True):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    before = repo_state()
    tmp = tmp_path_factory.mktemp("wheel")
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    source = tmp / "source"
    for rel in files:
        if (ROOT / rel).is_file():
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, source / rel)
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("PYTHONPATH", "CIPANEL_WAREHOUSE", "CIPANEL_PROJECT", "CIPANEL_INPUT_DIR", "CIPANEL_DBT_PROJECT_DIR")
    }
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp / "dist")], tmp, env)
    wheel = next((tmp / "dist").glob("cipanel-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    python = venv / "bin" / "python"
    own_site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env)
    (tmp / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    shutil.move(tmp / "deps.pth", own_site.stdout.strip() + "/_shared_deps.pth")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], tmp, env)
    where = _run(
        [str(python), "-c", "import cipanel.build as b; print(b.__file__); print(b.dbt_project_dir())"], tmp, env
    ).stdout.split()

    work = tmp / "anywhere"
    work.mkdir()
    cipanel = str(venv / "bin" / "cipanel")
    _run([cipanel, "init", "panel study", "--units", "custom"], work, env)
    project = work / "panel study"
    rng = np.random.default_rng(11)
    x = rng.uniform(1, 50, (len(UNITS) * len(YEARS), 2))
    rows = [
        (unit, year, f"c{j}", x[i, j])
        for i, (unit, year) in enumerate((u, y) for u in UNITS for y in YEARS)
        for j in range(2)
    ]
    rows += [(unit, year, "outcome", rng.normal()) for unit in UNITS for year in YEARS]
    pd.DataFrame(rows, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        project / "data" / "values_synthetic.csv", index=False
    )
    pd.DataFrame({"unit_code": UNITS}).to_csv(project / "reference" / "units.csv", index=False)
    (project / "catalog" / "indicator_catalog.csv").write_text(
        "indicator_code,index_code,dimension_code,direction,source\n"
        "c0,ix,dd,+,SYNTHETIC\nc1,ix,dd,-,SYNTHETIC\noutcome,,,,SYNTHETIC\n",
        encoding="utf-8",
    )
    (project / "catalog" / "index_catalog.csv").write_text("index_code\nix\n", encoding="utf-8")
    (project / "catalog" / "dimension_catalog.csv").write_text("index_code,dimension_code\nix,dd\n", encoding="utf-8")
    spec = (project / "studies" / "example.yml").read_text(encoding="utf-8")
    spec = spec.replace("outcome: y\n", "outcome: outcome\n").replace("treatment: x", "treatment: ix")
    (project / "studies" / "example.yml").write_text(
        spec.replace("variables: [y, x]", "variables: [outcome, ix]"), encoding="utf-8"
    )
    run = _run([cipanel, "run"], project, env, check=False)
    return {
        "where": where,
        "run": run,
        "project": project,
        "x": x,
        "tmp": tmp,
        "repo_before": before,
        "repo_after": repo_state(),
    }


def test_the_wheel_carries_the_dbt_project(installed):
    module, dbt_dir = installed["where"]
    assert module.startswith(str(installed["tmp"] / "venv")) and dbt_dir.endswith("cipanel/_dbt_project")
    for part in (
        "dbt_project.yml",
        "profiles.yml",
        "macros",
        "data-tests",
        "models/marts/fct_panel.sql",
        "seeds/reference/ref_units.csv",
    ):
        assert os.path.exists(os.path.join(dbt_dir, part)), part


def test_init_and_run_work_from_any_folder(installed):
    run = installed["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    project = installed["project"]
    assert (project / "output" / "report.html").exists()
    assert (project / "warehouse" / "panel study.duckdb").exists()
    assert installed["repo_after"] == installed["repo_before"]


def test_custom_numeric_units_index_weights_match_numpy(installed):
    con = duckdb.connect(str(installed["project"] / "warehouse" / "panel study.duckdb"), read_only=True)
    try:
        got = con.execute(
            "select indicator_code, weight from marts.fct_indicator_weights where index_code = 'ix' "
            "and method = 'entropy' order by indicator_code"
        ).df()
        units = con.execute("select unit_code from marts.dim_units where in_sample order by 1").df()
    finally:
        con.close()
    w, _, _ = ref.entropy_weights(installed["x"], ["+", "-"])
    np.testing.assert_allclose(got.weight, w, atol=1e-12, rtol=0)
    assert sorted(units.unit_code, key=int) == UNITS


def test_installed_run_prints_the_build_summary(installed):
    out = installed["run"].stdout
    assert "panel years 2001-2008 (from the data); 12 units in the sample" in out
    assert "values_synthetic.csv: 288 read, 288 accepted, 0 rejected" in out
    assert "ix: 2001-2008 (pooled, 2 components)" in out
