import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # test helpers (warehouse_build, entropy_reference)

from warehouse_build import DEMO, DEMO_DATA, ROOT, build, copy_project, flip_direction  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _cache_key_outside_home(tmp_path_factory):
    """The study cache's signing key and the cached dbt parse (cipanel.parse_cache) in temporary
    folders, not the tester's ~/.cipanel and ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CIPANEL_CACHE_KEY_FILE", str(tmp_path_factory.mktemp("cache-key") / "cache.key"))
    mp.setenv("CIPANEL_PARSE_CACHE", str(tmp_path_factory.mktemp("dbt-parse")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The embedded synthetic demo data built once per session through the real project, with every
    dbt data test and unit test (a failing one fails this fixture)."""
    warehouse = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build(ROOT, warehouse, DEMO_DATA)
    return warehouse


@pytest.fixture(scope="session")
def edited_demo(tmp_path_factory) -> dict:
    """A copy of the demo project with its data and one catalog row edited (an indicator's direction
    flipped), and a clean full build of it after a full dbt parse (an empty parse cache): the
    reference that builds reusing something must equal (tests/test_incremental_build.py: a copy of
    the demo warehouse rebuilt downstream of the edit; tests/test_parse_cache.py: a build from the
    demo's cached parse). Tests read these files and never change them.

    `fingerprint_before`: the copy's fingerprint before the edit (the demo build's)."""
    import shutil

    from cipanel import fingerprint
    from cipanel.build import plan_build
    from cipanel.project import load_project

    root = tmp_path_factory.mktemp("edited-demo")
    project = copy_project(root / "project", source=DEMO)
    shutil.copytree(DEMO_DATA, project / "data")
    before = fingerprint.build_fingerprint(plan_build(load_project(project)))
    indicator = flip_direction(project)
    clean = root / "clean" / "w.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIPANEL_PARSE_CACHE", str(root / "empty-parse-cache"))
        build(project, clean, project / "data")
    return {"project": project, "indicator": indicator, "clean": clean, "fingerprint_before": before}


def _run_demo_studies(warehouse: Path, out: Path, lang: str) -> dict:
    """Both packaged studies run on the session's demo build, the figures they drew recorded."""
    from cipanel.output import figures as figure_module
    from cipanel.pipeline import default_study_paths, run_studies

    figure_module.RECORD = []
    try:
        outputs = run_studies(
            default_study_paths(), warehouse=warehouse, out_dir=out, lang=lang, progress=lambda m: None
        )
        figures = list(figure_module.RECORD)
    finally:
        figure_module.RECORD = None
    return {"out": out, "outputs": outputs, "figures": figures}


@pytest.fixture(scope="session")
def demo_studies_zh(demo_warehouse, tmp_path_factory) -> dict:
    """One run of both packaged studies in Chinese on `demo_warehouse` (its results rows written
    there), shared by the tests that read its outputs: {"out": folder, "outputs": run_studies'
    result, "figures": [(png path, Figure)]}. Tests read it; one that adds to an output folder
    works on a copy. The figures are released by tests/test_output_studies.py once it has checked
    them (each holds its 300 dpi canvas)."""
    return _run_demo_studies(demo_warehouse, tmp_path_factory.mktemp("studies_zh"), "zh")


@pytest.fixture(scope="session")
def demo_studies_en(demo_warehouse, tmp_path_factory) -> dict:
    """The same run in English (--lang en)."""
    return _run_demo_studies(demo_warehouse, tmp_path_factory.mktemp("studies_en"), "en")
