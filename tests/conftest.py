import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # test helpers (warehouse_build, entropy_reference)

from warehouse_build import DEMO_DATA, ROOT, build  # noqa: E402


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
