"""Studies end to end after the build: panel -> estimates -> results schema, tables, figures, report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cipanel.study.panel_source import read_panel
from cipanel.study.results import store
from cipanel.study.runner import run_study
from cipanel.study.spec import SpecError, StudySpec, check_expressions, load_spec
from cipanel.warehouse import check_writable, connect

DEFAULT_STUDIES = ("study_a.yml", "study_b.yml")


def default_study_paths() -> list[Path]:
    """The demo project's studies (examples/provinces-demo/studies)."""
    from cipanel.project import demo_project_dir

    folder = demo_project_dir()
    return [folder / "studies" / name for name in DEFAULT_STUDIES if folder and (folder / "studies" / name).is_file()]


def is_synthetic(warehouse: Path | str | None = None) -> bool:
    """Data built from the demo generator carry SYNTHETIC in every file name."""
    import duckdb

    from cipanel.warehouse import WarehouseError, warehouse_path

    with connect(warehouse) as con:
        try:
            files = [r[0] for r in con.execute("select distinct source_file from raw.indicator_values").fetchall()]
        except duckdb.CatalogException:
            raise WarehouseError(
                f"warehouse {warehouse_path(warehouse)} has no landed values (a build that did not "
                "finish?): run `cipanel build` first"
            ) from None
    return any("synthetic" in f.lower() for f in files)


def run_studies(
    spec_paths: list[Path],
    *,
    warehouse: Path | str | None = None,
    out_dir: Path = Path("output"),
    lang: str = "zh",
    progress: Callable[[str], None] = print,
    table_options: dict | None = None,
    rebuild: bool = False,
) -> dict[str, object]:
    """table_options (decimals, stars, stat, rows; the CLI's) override each spec's `output:` block.
    Unchanged tables, figures and analytics are reused from `out_dir`/.cipanel-cache
    (cipanel.study_cache) unless `rebuild`; outputs["summary"] says what was reused."""
    from cipanel.analytics.hook import load_for
    from cipanel.output.index_tables import load_catalog
    from cipanel.output.notes import run_text, warning_lines
    from cipanel.output.report import write_combined_report
    from cipanel.output.study_outputs import write_study_outputs
    from cipanel.output.table_format import table_format
    from cipanel.study_cache import StudyCache, run_key, table_runner, warehouse_state

    synthetic = is_synthetic(warehouse)
    specs: list[StudySpec] = [load_spec(p, lang) for p in spec_paths]  # validate all before any work
    analytics = {spec.study: load_for(spec) for spec in specs}  # every analytics: block checked first
    formats = {}
    for spec in specs:
        check_expressions(spec)
        try:
            formats[spec.study] = table_format({**spec.output, **(table_options or {})}, f"{spec.path}: output")
        except ValueError as exc:
            raise SpecError(str(exc)) from None
    # every relation named and readable before any write; read once (read-only), used below
    panels = [read_panel(spec, warehouse) for spec in specs]
    check_writable(warehouse)  # a spec error above leaves the warehouse file untouched
    out_dir = Path(out_dir)
    state = warehouse_state(warehouse)
    key = run_key(spec_paths, lang, table_options, state, out_dir)
    cache = StudyCache(out_dir, enabled=not rebuild)
    cache.forget_run()  # no record vouches for outputs while they are being rewritten
    outputs: dict[str, object] = {}
    catalog = None  # the index catalogs and scores: read once, when the first study's outputs need it
    for spec, inputs in zip(specs, panels, strict=True):  # checked relation names; imputation flags
        panel = inputs.frame
        run = run_study(
            spec,
            panel,
            lang,
            progress,
            imputed=inputs.imputed,
            index_sample=inputs.index_sample,
            table_runner=table_runner(cache),
        )
        for line in warning_lines(run):
            progress(f"warning: {line}")
        counts = store(run, warehouse, run_text(run), synthetic=synthetic)
        progress(f"{spec.study}: {counts['estimates']} estimates written to results.estimates")
        study_out = out_dir / spec.study
        study_out.mkdir(parents=True, exist_ok=True)
        section = _analytics_section(
            spec, analytics[spec.study], cache, state, warehouse, out_dir, lang, synthetic, progress
        )
        if catalog is None:
            catalog = _catalog(cache, state, warehouse, load_catalog)
        written = write_study_outputs(
            run,
            panel,
            warehouse,
            study_out,
            synthetic,
            formats[spec.study],
            extra_sections=[section] if section else [],
            cache=cache,
            catalog=catalog,
        )
        progress(f"{spec.study}: {len(written['tables'])} tables and {len(written['figures'])} figures in {study_out}")
        outputs[spec.study] = {**written, "run": run}
    # every study folder under out_dir, so an ad-hoc study never drops another study's part
    report = write_combined_report(
        out_dir,
        "cipanel",
        synthetic,
        lang,
        [*(p.stem for p in default_study_paths()), *(s.study for s in specs)],
        cache=cache,
    )
    progress(f"report: {', '.join(str(p) for p in report.values())}")
    outputs["report"] = report
    c = cache.counts
    summary = (
        f"studies: tables reused {c['tables reused']}, re-estimated {c['tables estimated']}; "
        f"outputs (table files, figures, analytics) reused {c['outputs reused']}, written {c['outputs written']}"
        + (" (--rebuild)" if rebuild else "")
    )
    cache.record_run(key, warehouse, [s.study for s in specs], [out_dir / s.study for s in specs], summary)
    progress(summary)
    outputs["summary"] = dict(c)
    return outputs


def _catalog(cache, state: str | None, warehouse, load_catalog):
    """The index catalogs, weights and scores the tables and figures print (six warehouse reads),
    kept in the study cache under the warehouse's fingerprint: they are marts of the build, so an
    unchanged fingerprint means unchanged rows (as for the analytics below)."""
    from cipanel.output.index_tables import IndexCatalog
    from cipanel.study_cache import key_of

    if state is None:
        return load_catalog(warehouse)
    key = key_of("catalog", state)
    found = cache.load_table(key)
    if isinstance(found, IndexCatalog):
        return found
    catalog = load_catalog(warehouse)
    cache.save_table(key, catalog)
    return catalog


def _analytics_section(spec, config, cache, state, warehouse, out_dir: Path, lang, synthetic, progress):
    """The study's analytics (cipanel.analytics.hook.run_for), reused when its block, the study's
    panel settings, labels and the warehouse's fingerprint are unchanged, its files are intact and
    its rows are still in analytics.* (a rebuilt warehouse starts without them)."""
    from cipanel.analytics.hook import run_for
    from cipanel.output.report import ReportSection
    from cipanel.study_cache import key_of, results_signature

    if config is None:
        return None

    def run_it():
        return run_for(
            spec, config, warehouse=warehouse, out_dir=out_dir, lang=lang, synthetic=synthetic, progress=progress
        )

    if state is None:  # a warehouse without a valid fingerprint: nothing to key the analytics on
        return run_it()
    rows = lambda: results_signature(warehouse, [spec.study], schemas=("analytics",))  # noqa: E731
    folder = out_dir / spec.study / "analytics"
    base = out_dir.resolve()

    def make():
        section = run_it()
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if section is not None else []
        rel = lambda paths: [Path(p).resolve().relative_to(base).as_posix() for p in paths]  # noqa: E731
        data = None
        if section is not None:
            data = {
                "title": section.title,
                "tables": rel(section.tables),
                "figures": rel(section.figures),
                "text": section.text,
                "rows": rows(),
            }
        return files, data

    key = key_of(
        "analytics", repr(config), spec.panel, spec.labels, spec.title, len(spec.tables), lang, synthetic, state
    )
    reused = cache.counts["outputs reused"]
    _, data = cache.output(f"analytics:{spec.study}", key, make, extra_check=lambda d: bool(d) and d["rows"] == rows())
    if data is None:
        return None
    if cache.counts["outputs reused"] > reused:
        progress(f"{spec.study}: analytics unchanged (block, panel settings, warehouse): reused from {folder}")
    return ReportSection(
        title=data["title"],
        tables=[out_dir / p for p in data["tables"]],
        figures=[out_dir / p for p in data["figures"]],
        text=data["text"],
    )
