"""`cipanel analytics`: run the analytics blocks of study specs on an existing warehouse."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_cli(spec_paths: list[Path], *, warehouse: Path | str | None, out: Path | None, lang: str) -> int:
    """The project's studies (or --study files), resolved by cipanel.cli like `cipanel study`."""
    from cipanel.analytics.compute import AnalyticsError
    from cipanel.analytics.hook import load_for, run_for
    from cipanel.analytics.weights import WeightsError
    from cipanel.pipeline import is_synthetic
    from cipanel.study.spec import SpecError, load_spec
    from cipanel.warehouse import WarehouseError

    try:
        specs = [load_spec(p, lang) for p in spec_paths]
        configs = [(spec, load_for(spec)) for spec in specs]  # validate every block before any work
        if not any(c for _, c in configs):
            print("error: none of the study specs has an analytics: block", file=sys.stderr)
            return 2
        synthetic = is_synthetic(warehouse)
        for spec, config in configs:
            run_for(
                spec,
                config,
                warehouse=warehouse,
                out_dir=out,
                lang=lang,
                synthetic=synthetic,
                progress=lambda m: print(m, flush=True),
            )
    except (AnalyticsError, SpecError, WarehouseError, WeightsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
