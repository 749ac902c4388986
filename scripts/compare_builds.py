"""Are two builds of the same inputs bit-identical? Build the project twice (each time with its own
DuckDB `threads` setting and dbt `--threads`), run the packaged studies on each, then compare every
table of every schema: a SHA-256 of the table's rows in a fixed order (floats by their bits), and
for tables that differ the largest relative difference per numeric column.

Run: python scripts/compare_builds.py [--threads 1 4] [--input DIR] [--keep DIR] [--no-studies]
     python scripts/compare_builds.py --compare A.duckdb B.duckdb   (two existing warehouses)
Exit status 0 when every table is identical, 1 otherwise. Not a test (tests/test_determinism.py
is); this prints the numbers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

from cipanel.determinism import compare_warehouses, table_digests  # noqa: E402


def build_with_threads(workdir: Path, threads: int, input_dir: Path, studies: bool) -> Path:
    """A copy of the project whose profile sets DuckDB's `threads`, built with dbt --threads."""
    from cipanel.build import build_warehouse, copy_project
    from cipanel.determinism import set_profile_threads

    project = copy_project(workdir / f"project-{threads}")
    set_profile_threads(project / "profiles.yml", threads)
    warehouse = workdir / f"threads_{threads}.duckdb"
    build_warehouse(warehouse, input_dir, extra_args=["--threads", str(threads)], project=project)
    if studies:
        from cipanel.pipeline import default_study_paths, run_studies

        run_studies(
            default_study_paths(),
            warehouse=warehouse,
            out_dir=workdir / f"output-{threads}",
            lang="en",
            progress=lambda _m: None,
        )
    return warehouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs=2, default=[1, 4])
    parser.add_argument("--input", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--no-studies", action="store_true")
    parser.add_argument("--compare", type=Path, nargs=2, metavar="WAREHOUSE")
    args = parser.parse_args(argv)
    if args.compare:
        first, second = args.compare
    else:
        workdir = args.keep or Path(tempfile.mkdtemp(prefix="cipanel-determinism-"))
        workdir.mkdir(parents=True, exist_ok=True)
        first, second = (build_with_threads(workdir, t, args.input, not args.no_studies) for t in args.threads)
    report = compare_warehouses(first, second)
    digests = table_digests(first)
    print(f"{len(digests)} tables compared: {first} vs {second}")
    for table, row in sorted(report.items()):
        print(f"  DIFFERS {table}: " + ("; ".join(f"{c} max rel {d:.3g}" for c, d in row.items()) or "rows differ"))
    print("all identical" if not report else f"{len(report)} tables differ")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
