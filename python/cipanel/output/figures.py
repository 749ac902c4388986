"""Figures for the report: index trends by region, indicator weights by dimension, a unit x year
heat map of an index, coefficient plots, placebo distributions. Each is written as PNG at 300 dpi
and as SVG (the vector copy: Word inserts it, and LaTeX through svg or inkscape). Every label is looked up in `labels` (the
catalogs' and the study's, in the figure's language) and legends sit outside the axes, so they
never cover data.

Figures are drawn on matplotlib's Agg canvas directly (Figure + FigureCanvasAgg), not through
pyplot, so they never touch the global backend or pyplot's figure registry. Chinese labels need a
CJK font; without one (check `fc-list :lang=zh`) labels fall back to English and a warning is
logged once: Debian's fonts-noto-cjk provides one."""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from cipanel.output.labels import REGION_EN, check_lang, fixed

log = logging.getLogger(__name__)
DPI = 300
VECTOR_FORMATS = ("svg",)  # no PDF: subsetting a CJK font into each PDF takes ~1 s a figure
SYNTHETIC_MARK = "SYNTHETIC DATA / 合成数据"
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "SimSun",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


@functools.cache
def cjk_font() -> str | None:
    """Family name of an installed CJK font matplotlib can use, else None."""
    fm = font_manager.fontManager
    names = [f for f in _CJK_FAMILIES if f in {e.name for e in fm.ttflist}]
    if not names and shutil.which("fc-list"):
        # fonts installed after matplotlib built its font cache are unknown to it: add them
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
        for path in (line.rstrip(": ") for line in out.splitlines() if line.strip()):
            try:
                fm.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
            names += [e.name for e in fm.ttflist if e.fname == path]
    if not names:
        log.warning(
            "no CJK font found (fc-list :lang=zh is empty): figure labels fall back to "
            "English; install fonts-noto-cjk for Chinese labels"
        )
        return None
    return names[0].strip()


def _lang(lang: str) -> str:
    check_lang(lang)
    return lang if lang == "en" or cjk_font() else "en"


def _text(s: object, lang: str, labels: dict[str, str] | None = None) -> str:
    """The label of a code in the figure's language: from `labels` (catalogs and study), else
    the text itself (region names translated when drawing in English)."""
    s = str(s)
    if labels and s in labels:
        s = str(labels[s])
    return REGION_EN.get(s, s) if lang == "en" else s


def _wrap(text: str, width: int = 30) -> str:
    """Break a long label into lines of about `width` Latin characters (a CJK character counts two)."""
    import textwrap
    import unicodedata

    wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    if wide <= width:
        return text
    if wide > len(text) * 1.5:  # mostly CJK: break between characters
        step = max(width // 2, 1)
        return "\n".join(text[i : i + step] for i in range(0, len(text), step))
    return "\n".join(textwrap.wrap(text, width))


_REGION_ORDER = ["东部", "中部", "西部", "东北"]  # the order Chinese papers list regions in


def _region_order(region: object, labels: dict[str, str]) -> tuple[int, str]:
    name = str(labels.get(str(region), region))
    key = next((i for i, r in enumerate(_REGION_ORDER) if name.startswith(r)), len(_REGION_ORDER))
    return key, name


def _legend_below(fig: Figure, ax, ncol: int | None = None) -> None:
    """Legend outside the plotting area, under the axes: it cannot cover a line or a bar."""
    handles, names = ax.get_legend_handles_labels()
    if handles:
        fig.legend(
            handles, names, loc="outside lower center", ncols=ncol or min(len(handles), 4), fontsize=8, frameon=False
        )


def _style() -> contextlib.AbstractContextManager:
    """Latin glyphs from DejaVu Sans, CJK glyphs from the CJK font (matplotlib falls back
    glyph by glyph along font.family); applies to texts created inside the block."""
    font = cjk_font()
    return rc_context({"font.family": ["DejaVu Sans", font]} if font else {})


def _new(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


RECORD: list | None = None  # tests set a list here to receive every saved Figure


def mark_synthetic(fig: Figure, keep_title: bool = False) -> None:
    """The SYNTHETIC watermark and heading every figure of synthetic data carries (the figure's
    own suptitle kept under the mark when `keep_title`)."""
    # the full mark needs a CJK font; without one print its English half
    mark = SYNTHETIC_MARK if cjk_font() else SYNTHETIC_MARK.split(" / ")[0]
    fig.text(
        0.5,
        0.5,
        mark,
        ha="center",
        va="center",
        rotation=25,
        fontsize=28,
        color="red",
        alpha=0.25,
        fontweight="bold",
    )
    title = fig.get_suptitle() if keep_title else ""
    fig.suptitle(f"{mark}\n{title}" if title else mark, color="red", fontweight="bold")


def layout_once(fig: Figure) -> None:
    """Lay the figure out once, at the PNG's resolution, and keep that layout for every file.
    savefig otherwise runs the constrained layout inside a whole extra draw before each file it
    writes (two layouts and four draws for PNG + SVG instead of one layout and two draws); the
    positions are fractions of the figure, so the SVG keeps the same layout."""
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:  # (Figure.draw lays out only a figure with axes)
        return
    dpi = fig.dpi
    fig.dpi = DPI  # text extents, hence margins, measured as they are drawn in the PNG
    try:
        engine.execute(fig)
    finally:
        fig.dpi = dpi
    # no engine at all (not "none", a placeholder that still makes savefig draw once more); the
    # rc settings keep set_layout_engine(None) from picking a default engine again
    with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _save(fig: Figure, out: Path, synthetic: bool) -> Path:
    if synthetic:
        mark_synthetic(fig)
    out = Path(out).with_suffix(".png")
    out.parent.mkdir(parents=True, exist_ok=True)
    layout_once(fig)
    # no dates or random ids in the files: the same inputs give the same bytes
    with rc_context({"svg.hashsalt": "cipanel", "svg.fonttype": "path"}):
        fig.savefig(out, dpi=DPI, format="png", metadata={"Software": None})
        fig.savefig(out.with_suffix(".svg"), format="svg", metadata={"Date": None, "Creator": None})
    if RECORD is not None:
        RECORD.append((out, fig))
    return out


def plot_index_trends(
    panel: pd.DataFrame,
    index_cols: list[str],
    region_col: str,
    out: Path,
    synthetic: bool = False,
    year_col: str = "year",
    labels: dict[str, str] | None = None,
    lang: str = "zh",
) -> Path:
    """Mean of each index by region over the years, one panel per index."""
    lang, labels = _lang(lang), labels or {}
    ncol = min(len(index_cols), 3)
    nrow = -(-len(index_cols) // ncol)
    means = panel.groupby([region_col, year_col])[index_cols].mean().reset_index()
    with _style():
        fig = _new(4.2 * ncol, 3.2 * nrow + 0.5)
        axes = fig.subplots(nrow, ncol, squeeze=False).ravel()
        for ax, col in zip(axes, index_cols, strict=False):
            for region, d in sorted(means.groupby(region_col), key=lambda g: _region_order(g[0], labels)):
                ax.plot(d[year_col], d[col], marker="o", ms=3, label=_text(region, lang, labels))
            ax.set_title(_wrap(_text(col, lang, labels), 40))
            ax.set_xlabel(fixed("year", lang))
            ax.set_ylabel(fixed("index_mean", lang))
            ax.xaxis.get_major_locator().set_params(integer=True)
        for ax in axes[len(index_cols) :]:
            ax.set_visible(False)
        _legend_below(fig, axes[0])
        return _save(fig, out, synthetic)


def plot_indicator_weights(
    weights: pd.DataFrame,
    out_dir: Path,
    synthetic: bool = False,
    labels: dict[str, str] | None = None,
    lang: str = "zh",
) -> list[Path]:
    """Horizontal bars of indicator weights, coloured by dimension; one PNG per index
    (weights_<index_code>.png). Columns: index_code, dimension_code, indicator_code, weight."""
    lang, labels = _lang(lang), labels or {}
    name = lambda k: _wrap(_text(k, lang, labels), 34)  # noqa: E731
    paths = []
    for index, d in weights.groupby("index_code", sort=False):
        d = d.sort_values(["dimension_code", "weight"], ascending=[False, True])
        colors = {k: f"C{i}" for i, k in enumerate(dict.fromkeys(d["dimension_code"][::-1]))}
        with _style():
            extra = sum(name(k).count("\n") for k in d["indicator_code"])  # wrapped labels need room
            fig = _new(6.5, 1.8 + 0.28 * len(d) + 0.3 * extra)
            ax = fig.add_subplot()
            ax.barh([name(i) for i in d["indicator_code"]], d["weight"], color=[colors[k] for k in d["dimension_code"]])
            fig.legend(
                handles=[Patch(color=c, label=name(k)) for k, c in colors.items()],
                fontsize=8,
                loc="outside lower center",
                ncols=min(len(colors), 3),
                frameon=False,
            )
            ax.set_xlabel(fixed("weight", lang))
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.set_title(_wrap(fixed("weights_title", lang).format(index=_text(index, lang, labels)), 50))
            paths.append(_save(fig, Path(out_dir) / f"weights_{index}.png", synthetic))
    return paths


def plot_coefficients(
    rows: pd.DataFrame,
    out: Path,
    synthetic: bool = False,
    title: str | None = None,
    labels: dict[str, str] | None = None,
    lang: str = "zh",
) -> Path:
    """Coefficients with 95% CIs, one line per row, grouped and coloured by `group`.
    Columns: group, label, estimate, lower, upper (`labels` renames groups and labels), and optionally
    few_clusters: such a row is marked † with a footnote, since its CI rests on too few clusters."""
    lang, labels = _lang(lang), labels or {}
    with _style():
        fig = _new(6.5, 1.5 + 0.35 * len(rows))
        ax = fig.add_subplot()
        y, ticks, names = 0.0, [], []
        for i, (group, d) in enumerate(rows.groupby("group", sort=False)):
            pos = y - np.arange(len(d))
            err = [d["estimate"] - d["lower"], d["upper"] - d["estimate"]]
            ax.errorbar(
                d["estimate"], pos, xerr=err, fmt="o", color=f"C{i}", capsize=3, label=_text(group, lang, labels)
            )
            ticks += list(pos)
            few = d["few_clusters"] if "few_clusters" in d else [False] * len(d)
            names += [_wrap(_text(v, lang, labels), 30) + (" †" if f else "") for v, f in zip(d["label"], few)]
            y = pos[-1] - 1.5  # a gap between groups
        ax.axvline(0, color="grey", lw=0.8, ls="--")
        ax.set_yticks(ticks, names)
        ax.set_xlabel(fixed("estimate", lang))
        ax.set_title(_wrap(_text(title, lang, labels) if title else fixed("coef_title", lang), 60))
        if "few_clusters" in rows and rows["few_clusters"].any():  # the CI of a few-cluster column misleads
            ax.annotate(
                fixed("few_clusters_mark", lang),
                xy=(0, 0),
                xycoords="figure fraction",
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                color="#444",
            )
        if rows["group"].astype(str).str.len().gt(0).any() and rows["group"].nunique() > 1:
            _legend_below(fig, ax)  # one group needs no legend: the title says what is plotted
        return _save(fig, out, synthetic)


def plot_index_heatmap(
    scores: pd.DataFrame,
    out: Path,
    synthetic: bool = False,
    title: str = "",
    labels: dict[str, str] | None = None,
    lang: str = "zh",
) -> Path:
    """Unit x year heat map of one index. Columns: unit (code or name), year, score; units are
    labelled from `labels` and keep the order of their first appearance (catalog order)."""
    lang, labels = _lang(lang), labels or {}
    wide = scores.pivot_table(index="unit", columns="year", values="score", sort=False)
    with _style():
        fig = _new(7.0, 1.6 + 0.2 * len(wide))
        ax = fig.add_subplot()
        image = ax.imshow(wide.to_numpy(), aspect="auto", cmap="viridis", interpolation="nearest")
        ax.set_xticks(range(wide.shape[1]), [str(y) for y in wide.columns], fontsize=7, rotation=45)
        ax.set_yticks(range(wide.shape[0]), [_text(u, lang, labels) for u in wide.index], fontsize=7)
        ax.set_xlabel(fixed("year", lang))
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label(fixed("score", lang))
        ax.set_title(_text(title, lang, labels) if title else fixed("heatmap_title", lang))
        return _save(fig, out, synthetic)


def plot_placebo(coefs: np.ndarray, real: float, out: Path, synthetic: bool = False, lang: str = "zh") -> Path:
    """Distribution of placebo coefficients with the real estimate marked (placebo test)."""
    lang = _lang(lang)
    with _style():
        fig = _new(6.0, 3.6)
        ax = fig.add_subplot()
        ax.hist(coefs, bins=40, color="C0", alpha=0.7)
        ax.axvline(real, color="C3", lw=1.5)
        share = float(np.mean(np.abs(coefs) >= abs(real)))
        ax.set_xlabel(fixed("placebo_coef", lang))
        ax.set_ylabel(fixed("frequency", lang))
        ax.set_title(
            f"真实系数 {real:.3f}；|安慰剂| ≥ |真实| 的比例 {share:.3f}"
            if lang == "zh"
            else f"Real coefficient {real:.3f}; share |placebo| >= |real| {share:.3f}"
        )
        return _save(fig, out, synthetic)
