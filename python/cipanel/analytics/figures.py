"""Analytics figures (PNG): Gini contributions over time, kernel-density ridges by year, Moran's I
by year, coupling coordination by region. Drawn on matplotlib's Agg canvas like
cipanel.output.figures (its CJK font and SYNTHETIC mark are reused); labels in zh or en."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cipanel.output.figures import DPI, cjk_font, layout_once, mark_synthetic

T = {
    "year": ("年份", "Year"),
    "share": ("贡献率(%)", "Contribution (%)"),
    "gini": ("基尼系数", "Gini coefficient"),
    "g_w": ("区域内", "Within"),
    "g_nb": ("区域间净差异", "Net between"),
    "g_t": ("超变密度", "Transvariation"),
    "overall": ("总体", "Overall"),
    "density": ("核密度", "Density"),
    "national": ("全国", "National"),
    "moran": ("全局莫兰指数", "Global Moran's I"),
    "d": ("耦合协调度 D", "Coordination D"),
    "gini_title": ("{index}: Dagum基尼系数及贡献率", "{index}: Dagum Gini and contributions"),
    "kde_title": ("{index}: 核密度估计 ({rule})", "{index}: kernel density ({rule})"),
    "coupling_title": ("{name}: 耦合协调度", "{name}: coupling coordination"),
}


def _t(key: str, lang: str) -> str:
    return T[key][0 if lang == "zh" else 1]


def _lang(lang: str) -> str:
    return lang if lang == "en" or cjk_font() else "en"


def _style():
    font = cjk_font()
    return rc_context({"font.family": ["DejaVu Sans", font]}) if font else nullcontext()


def _new(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, out: Path, synthetic: bool) -> Path:
    if synthetic:
        mark_synthetic(fig, keep_title=True)  # the figure's own title stays under the mark
    out.parent.mkdir(parents=True, exist_ok=True)
    layout_once(fig)  # one layout, no extra draw inside savefig
    fig.savefig(out, dpi=DPI, format="png")
    return out


def gini_contributions(
    overall: pd.DataFrame,
    groups: pd.DataFrame,
    label: str,
    region: Callable[[str], str],
    out: Path,
    synthetic: bool,
    lang: str,
) -> Path:
    lang = _lang(lang)
    with _style():
        fig = _new(10, 3.6)
        left, right = fig.subplots(1, 2)
        left.plot(overall.year, overall.gini, marker="o", color="k", label=_t("overall", lang))
        for r, g in groups[groups.kind == "within"].groupby("region_a"):
            left.plot(g.year, g.gini, marker=".", label=region(r))
        left.set_ylabel(_t("gini", lang))
        for key, col in (("g_w", "share_within"), ("g_nb", "share_net_between"), ("g_t", "share_transvariation")):
            right.plot(overall.year, 100 * overall[col], marker="o", label=_t(key, lang))
        right.set_ylabel(_t("share", lang))
        for ax in (left, right):
            ax.set_xlabel(_t("year", lang))
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.legend(fontsize=7)
        fig.suptitle(_t("gini_title", lang).format(index=label))
        return _save(fig, out, synthetic)


def kde_ridges(
    frame: pd.DataFrame, label: str, region: Callable[[str], str], out: Path, synthetic: bool, lang: str
) -> Path:
    """One ridge panel per region (national first): each year's density, offset upwards."""
    lang = _lang(lang)
    regions = ["_all", *[r for r in dict.fromkeys(frame.region) if r != "_all"]]
    with _style():
        fig = _new(3.4 * len(regions), 4.2)
        axes = np.atleast_1d(fig.subplots(1, len(regions), sharex=True))
        # each (region, year) curve sliced out of one sorted pass, not filtered row by row
        by_region = {r: d for r, d in frame.groupby("region", sort=False)}
        for ax, r in zip(axes, regions, strict=True):
            d = by_region.get(r, frame.iloc[:0])
            curves = [(year, g.x.to_numpy(), g.density.to_numpy()) for year, g in d.groupby("year", sort=True)]
            years = [year for year, _, _ in curves]
            step = d.density.max() * 0.6 if len(d) else 1
            for k, (_, x, density) in enumerate(curves):
                base = k * step
                ax.fill_between(x, base, base + density, color=f"C{k % 10}", alpha=0.55, lw=0.8)
                ax.plot(x, base + density, color="k", lw=0.5)
            ax.set_yticks([k * step for k in range(len(years))], [str(y) for y in years], fontsize=7)
            ax.set_title(_t("national", lang) if r == "_all" else region(r), fontsize=9)
        fig.suptitle(_t("kde_title", lang).format(index=label, rule=frame.bandwidth_rule.iloc[0]))
        return _save(fig, out, synthetic)


def moran_trend(frame: pd.DataFrame, labels: dict[str, str], out: Path, synthetic: bool, lang: str) -> Path:
    lang = _lang(lang)
    with _style():
        fig = _new(6.0, 3.6)
        ax = fig.add_subplot()
        for index, g in frame.groupby("index_code", sort=False):
            ax.plot(g.year, g.moran_i, marker="o", label=labels.get(index, index))
            sig = g[g.p_sim < 0.05] if g.p_sim.notna().any() else g[g.p_norm < 0.05]
            ax.scatter(sig.year, sig.moran_i, s=60, facecolors="none", edgecolors="k")
        ax.axhline(0, color="grey", lw=0.8, ls="--")
        ax.set_xlabel(_t("year", lang))
        ax.set_ylabel(_t("moran", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7)
        return _save(fig, out, synthetic)


def coupling_trend(
    frame: pd.DataFrame, label: str, region: Callable[[str], str], out: Path, synthetic: bool, lang: str
) -> Path:
    lang = _lang(lang)
    with _style():
        fig = _new(6.0, 3.6)
        ax = fig.add_subplot()
        national = frame.groupby("year").coordination_d.mean()
        ax.plot(national.index, national.values, color="k", marker="o", label=_t("national", lang))
        for r, g in frame.groupby("region"):
            m = g.groupby("year").coordination_d.mean()
            ax.plot(m.index, m.values, marker=".", label=region(r))
        for b in np.arange(0.1, 1.0, 0.1):  # the class boundaries
            ax.axhline(b, color="grey", lw=0.3, ls=":")
        ax.set_xlabel(_t("year", lang))
        ax.set_ylabel(_t("d", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7)
        ax.set_title(_t("coupling_title", lang).format(name=label))
        return _save(fig, out, synthetic)
