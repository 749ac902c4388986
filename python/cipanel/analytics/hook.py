"""The two calls the pipeline and the CLI make: validate a study's analytics block, and run it
into <out>/<study>/analytics with a report section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cipanel.analytics.config import AnalyticsConfig, load
from cipanel.study.spec import StudySpec

if TYPE_CHECKING:
    from cipanel.output.report import ReportSection


def load_for(spec: StudySpec) -> AnalyticsConfig | None:
    """The spec's analytics block, validated (None without one); raises SpecError."""
    if spec.path is None:
        return None
    return load(spec.path, spec.study, spec.panel.get("years"))


def run_for(
    spec: StudySpec,
    config: AnalyticsConfig | None,
    *,
    warehouse: Path | str | None,
    out_dir: Path,
    lang: str,
    synthetic: bool,
    progress: Callable[[str], None] = print,
) -> ReportSection | None:
    """Run the block (if any); returns a ReportSection with its tables and figures, or None."""
    if config is None:
        return None
    from cipanel.analytics.runner import run_analytics
    from cipanel.output.report import ReportSection

    run = run_analytics(
        config,
        warehouse=warehouse,
        out_dir=Path(out_dir) / spec.study / "analytics",
        lang=lang,
        synthetic=synthetic,
        relation=spec.panel["relation"],
        entity=spec.panel["entity"],
        time=spec.panel["time"],
        labels=spec.labels,
        progress=progress,
        first_table=len(spec.tables) + 1,
    )
    title = f"{spec.title}: {'指数的时空演变' if lang == 'zh' else 'the indices in time and space'}"
    text = (
        "差异(Dagum基尼系数、泰尔指数)、分布动态与收敛、空间自相关、耦合协调度与障碍度; 公式见 docs/methods_analytics.md。"
        if lang == "zh"
        else "Disparities (Dagum Gini, Theil), distribution dynamics and convergence, spatial "
        "autocorrelation, coupling coordination and obstacle degree; formulas in docs/methods_analytics.md."
    )
    return ReportSection(title=title, tables=[t["md"] for t in run.tables], figures=run.figures, text=text)
