"""A project's files are checked before dbt starts, with one message naming file, row, column and
what to change (no build runs in this module). Each trap a user met is a case here."""

from __future__ import annotations

import contextlib
import io

import duckdb
import pandas as pd
import pytest

from cipanel.build import _identifier_safe, plan_build
from cipanel.cli import main
from cipanel.init_project import init_project
from cipanel.landing import LandingError
from cipanel.landing.land import input_files, skipped_input_files
from cipanel.project import ProjectError, find_project, load_project, project_tables
from warehouse_build import DEMO

HEADER = "indicator_code,index_code,dimension_code,direction,label_zh,interpolate"


def run_cli(args, cwd=None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path):
    """A project with one index (two dimensions), two components and a standalone variable."""
    folder = init_project(tmp_path / "p")
    write(folder, "catalog/index_catalog.csv", "index_code,window_start,window_end\nmyidx,,\n")
    write(folder, "catalog/dimension_catalog.csv", "index_code,dimension_code\nmyidx,d1\nmyidx,d2\n")
    write(folder, "catalog/indicator_catalog.csv", f"{HEADER}\na1,myidx,d1,+,甲,\na2,myidx,d2,-,乙,\nctrl,,,,丙,\n")
    return folder


def write(folder, rel, text):
    (folder / rel).write_text(text, encoding="utf-8")


def catalog_error(folder) -> str:
    with pytest.raises(ProjectError) as failed:
        project_tables(load_project(folder))
    return str(failed.value)


def test_init_writes_a_commented_project_and_refuses_to_overwrite(tmp_path):
    folder = init_project(tmp_path / "s", units="custom")
    for rel in (
        "cipanel.yml",
        "README.md",
        "catalog/indicator_catalog.csv",
        "catalog/index_catalog.csv",
        "catalog/dimension_catalog.csv",
        "reference/units.csv",
        "studies/example.yml",
    ):
        assert (folder / rel).is_file(), rel
    assert (folder / "data").is_dir()
    text = (folder / "cipanel.yml").read_text(encoding="utf-8")
    for key in (
        "years: from the data",
        "units: custom",
        "sample:",
        "interpolation: components",
        "language: zh",
        "output: output",
        "warehouse: warehouse/s.duckdb",
    ):
        assert key in text
    assert not (init_project(tmp_path / "prov") / "reference").exists()  # provinces: no reference folder
    with pytest.raises(ProjectError, match="already exists"):
        init_project(folder)


def test_no_project_found_says_how_to_start_one(tmp_path, monkeypatch):
    monkeypatch.delenv("CIPANEL_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectError, match=r"no cipanel.yml in .* create a project with `cipanel init my-study`"):
        find_project()


def test_input_without_a_project_does_not_run_the_demo_studies(tmp_path, monkeypatch):
    """`cipanel run --input my_data` used to build the user's data and run the demo's studies on it."""
    monkeypatch.delenv("CIPANEL_PROJECT", raising=False)
    (tmp_path / "my_data").mkdir()
    code, out, err = run_cli(["run", "--input", "my_data"], tmp_path, monkeypatch)
    assert code == 2 and "no cipanel.yml" in err and "cipanel init" in err and "building" not in out


def test_a_mistyped_input_folder_is_an_error_before_dbt(tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    code, out, err = run_cli(
        ["build", "--project", str(DEMO), "--input", str(tmp_path / "my_dta"), "--warehouse", str(warehouse)]
    )
    assert code == 2
    assert f"input folder {tmp_path / 'my_dta'} (--input) does not exist" in err
    assert "Traceback" not in err and not warehouse.exists()  # nothing built, nothing half-built


def test_study_on_a_warehouse_without_a_build_is_one_clear_message(tmp_path):
    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    code, out, err = run_cli(["study", "study_b", "--project", str(DEMO), "--warehouse", str(warehouse)])
    assert code == 2 and "has no landed values" in err and "Traceback" not in err
    code, out, err = run_cli(["study", "nope", "--project", str(DEMO), "--warehouse", str(warehouse)])
    assert code == 2 and "no study 'nope'" in err and "study_a, study_b" in err


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            "a1,nope,d1,+,甲,",
            "catalog/indicator_catalog.csv, row 2, column index_code: unknown index 'nope' of a1: add "
            "a row to catalog/index_catalog.csv",
        ),
        (
            "a1,myidx,d9,+,甲,",
            "catalog/indicator_catalog.csv, row 2, column dimension_code: a1: dimension 'd9' is not a "
            "dimension of index myidx in catalog/dimension_catalog.csv (known: d1, d2)",
        ),
        (
            "a1,myidx,d1,up,甲,",
            "catalog/indicator_catalog.csv, row 2, column direction: a1 in index myidx: direction "
            "'up' must be + (higher is better) or - (higher is worse)",
        ),
        (
            "GDP_pc,myidx,d1,+,甲,",
            "catalog/indicator_catalog.csv, row 2, column indicator_code: 'GDP_pc' must be "
            "lower-case letters, digits and _, starting with a letter (write 'gdp_pc')",
        ),
        (
            "a1,myidx,d1,+,甲,\na1,myidx,d1,+,甲,",
            "catalog/indicator_catalog.csv, row 2, column indicator_code/index_code: "
            "a1 / myidx appears in rows 2, 3: keep one row",
        ),
        (
            "a1,myidx,d1,+,甲,maybe",
            "catalog/indicator_catalog.csv, row 2, column interpolate: 'maybe' must be true or false",
        ),
        ("", "catalog/indicator_catalog.csv: no rows: add one row per variable"),
    ],
)
def test_catalog_errors_name_file_row_column_and_fix(project, rows, message):
    write(project, "catalog/indicator_catalog.csv", f"{HEADER}\n{rows}\n" if rows else f"{HEADER}\n")
    assert message in catalog_error(project)


def test_unknown_index_of_a_dimension_and_duplicate_index(project):
    write(project, "catalog/index_catalog.csv", "index_code\nmyidx\nmyidx\n")
    write(project, "catalog/dimension_catalog.csv", "index_code,dimension_code\nmyidx,d1\nmyidx,d2\nother,d1\n")
    text = catalog_error(project)
    assert "catalog/index_catalog.csv, row 2, column index_code: myidx appears in rows 2, 3: keep one row" in text
    assert "catalog/dimension_catalog.csv, row 4, column index_code: unknown index 'other'" in text


def test_a_project_without_index_and_an_index_without_components_are_accepted(project):
    write(project, "catalog/indicator_catalog.csv", f"{HEADER}\nctrl,,,,丙,\n")
    tables = project_tables(load_project(project))
    assert "index myidx has no components in catalog/indicator_catalog.csv: it gets no scores" in tables.notes
    write(
        project,
        "catalog/index_catalog.csv",
        "index_code,label_zh,label_en,study,weighting,shift,score_basis,scale,window_start,window_end\n",
    )
    write(project, "catalog/dimension_catalog.csv", "index_code,dimension_code,label_zh,label_en\n")
    tables = project_tables(load_project(project)).tables
    # an empty catalog keeps its column types (it used to fail in dbt with trim(INTEGER))
    assert tables["index_catalog"].empty and str(tables["index_catalog"]["window_start"].dtype) == "Int64"


def test_interpolation_policy_default_fills_index_components_only(project):
    def policy():
        frame = project_tables(load_project(project)).tables["indicator_catalog"]
        return dict(zip(frame["indicator_code"], frame["interpolate"]))

    assert policy() == {"a1": True, "a2": True, "ctrl": False}
    text = (
        (project / "cipanel.yml").read_text(encoding="utf-8").replace("interpolation: components", "interpolation: all")
    )
    write(project, "cipanel.yml", text)
    assert policy() == {"a1": True, "a2": True, "ctrl": True}
    write(project, "cipanel.yml", text.replace("interpolation: all", "interpolation: none"))
    write(project, "catalog/indicator_catalog.csv", f"{HEADER}\na1,myidx,d1,+,甲,yes\na2,myidx,d2,-,乙,\nctrl,,,,丙,\n")
    assert policy() == {"a1": True, "a2": False, "ctrl": False}  # the catalog column wins
    write(project, "cipanel.yml", text.replace("interpolation: all", "interpolation: sometimes"))
    with pytest.raises(ProjectError, match="interpolation must be one of components, all, none"):
        load_project(project)


def _values(folder, years):
    rows = [
        (u, y, c, 1.0 + i)
        for i, (u, y, c) in enumerate(
            (u, y, c) for u in ("110000", "120000") for y in years for c in ("a1", "a2", "ctrl")
        )
    ]
    pd.DataFrame(rows, columns=["unit_code", "year", "indicator_code", "value"]).to_csv(
        folder / "data" / "v.csv", index=False
    )


def test_panel_years_from_the_data_and_an_index_window_they_do_not_cover(project):
    _values(project, range(2013, 2023))
    plan = plan_build(project)
    assert (plan.first_year, plan.last_year, plan.window_source) == (2013, 2022, "from the data")
    write(project, "catalog/index_catalog.csv", "index_code,window_start,window_end\nmyidx,2014,2023\n")
    with pytest.raises(
        ProjectError,
        match=r"catalog/index_catalog.csv, row 2, column window_start/window_end: index "
        r"myidx: window 2014-2023 is outside the panel years 2013-2022 \(from the data\)",
    ):
        plan_build(project)


def test_an_index_window_outside_the_configured_years_is_an_error(project):
    """The default window used to cut a 2013-2022 index to 2014-2022 silently."""
    _values(project, range(2013, 2023))
    text = (project / "cipanel.yml").read_text(encoding="utf-8")
    write(project, "cipanel.yml", text.replace("years: from the data", "years: [2014, 2022]"))
    write(project, "catalog/index_catalog.csv", "index_code,window_start,window_end\nmyidx,2013,2022\n")
    with pytest.raises(
        ProjectError,
        match=r"index myidx: window 2013-2022 is outside the panel years 2014-2022 "
        r"\(years of cipanel.yml\): shorten the index window or change `years` in cipanel.yml",
    ):
        plan_build(project)


def test_custom_units_names_optional_codes_normalised_names_unique(tmp_path):
    folder = init_project(tmp_path / "firms", units="custom")
    write(folder, "catalog/indicator_catalog.csv", f"{HEADER}\nsales,,,,,\n")
    write(folder, "reference/units.csv", "unit_code,name_zh,unit_type\n410032.0,,firm\n410033,,firm\n")
    tables = project_tables(load_project(folder))
    assert list(tables.tables["ref_units"].unit_code) == ["410032", "410033"]
    assert list(tables.tables["ref_units"].in_sample) == [True, True]
    assert any("1 unit code(s) written as decimals (e.g. '410032.0') read as whole numbers" in n for n in tables.notes)
    write(
        folder, "reference/units.csv", "unit_code,name_zh,unit_type\n1,甲公司,firm\n2,甲公司,firm\n3,,company\n1.0,,\n"
    )
    text = catalog_error(folder)
    assert "reference/units.csv, row 3, column name_zh: name '甲公司' also names unit 1 (row 2)" in text
    assert "reference/units.csv, row 4, column unit_type: 'company' must be one of" in text
    assert "reference/units.csv, row 2, column unit_code: 1 appears in rows 2, 5: keep one row" in text


def test_sample_rules_of_the_project_set_the_sample_without_editing_the_units(project):
    text = (project / "cipanel.yml").read_text(encoding="utf-8")
    write(
        project, "cipanel.yml", text.replace("  include: []\n  exclude: []", "  include: [540000]\n  exclude: [110000]")
    )
    units = project_tables(load_project(project)).tables["ref_units"].set_index("unit_code").in_sample
    assert units["540000"] and not units["110000"] and units["120000"]
    write(project, "cipanel.yml", text.replace("  include: []", "  include: [999999]"))
    assert "cipanel.yml, column sample.include: unknown unit '999999'" in catalog_error(project)


def test_an_input_folder_holding_the_catalogs_too_reads_only_the_values(project):
    data = project / "data"
    _values(project, range(2014, 2016))
    for rel in ("catalog/indicator_catalog.csv", "catalog/index_catalog.csv"):
        (data / rel.split("/")[1]).write_text((project / rel).read_text(encoding="utf-8"), encoding="utf-8")
    (data / "my units.csv").write_text("unit_code,name_zh\n1,甲\n", encoding="utf-8")  # a catalog by its header
    assert [p.name for p in input_files(data)] == ["v.csv"]
    assert sorted(p.name for p in skipped_input_files(data)) == [
        "index_catalog.csv",
        "indicator_catalog.csv",
        "my units.csv",
    ]
    plan = plan_build(project)
    assert any("indicator_catalog.csv in the input folder looks like a catalog" in n for n in plan.notes)


def test_an_input_folder_with_only_catalogs_is_an_error(project, tmp_path):
    folder = tmp_path / "only_catalogs"
    folder.mkdir()
    (folder / "indicator_catalog.csv").write_text(f"{HEADER}\n", encoding="utf-8")
    with pytest.raises(LandingError, match="holds no .csv, .parquet or .xlsx/.xls file of values"):
        plan_build(project, folder)


@pytest.mark.parametrize(
    "name, safe",
    [
        ("cipanel.duckdb", True),
        ("my_wh.duckdb", True),
        ("my-wh.duckdb", False),
        ("my wh.duckdb", False),
        ("仓库.duckdb", False),
    ],
)
def test_warehouse_names_dbt_duckdb_cannot_quote_are_built_under_a_plain_name(tmp_path, name, safe):
    built = _identifier_safe(tmp_path / "数据 仓库" / name)
    assert (built == tmp_path / "数据 仓库" / name) == safe
    assert built.parent == tmp_path / "数据 仓库" and built.stem.replace("_", "a").isalnum()


def test_the_demo_project_is_a_project_like_any_other():
    project = load_project(DEMO)
    assert (project.first_year, project.last_year, project.units) == (2014, 2023, "provinces")
    assert [p.name for p in project.study_paths()] == ["study_a.yml", "study_b.yml"]
    tables = project_tables(project)
    assert len(tables.tables["index_catalog"]) == 4 and tables.tables["ref_units"].in_sample.sum() == 30


def test_an_index_window_with_one_side_empty_takes_the_panel_year_for_it(project):
    _values(project, range(2013, 2023))
    write(project, "catalog/index_catalog.csv", "index_code,window_start,window_end\nmyidx,2010,\n")
    with pytest.raises(ProjectError, match=r"index myidx: window 2010-2022 is outside the panel years 2013-2022"):
        plan_build(project)
