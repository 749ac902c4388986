"""The LR-against-threshold figure of panel threshold papers: LR_n(gamma) over the candidate
thresholds with the 95% critical value c = -2 ln(1 - sqrt(0.95)) = 7.35 as a dashed line (what
`_matplot e(LR), yline(7.35)` draws after xthreg); one panel per estimated threshold."""

from __future__ import annotations

from pathlib import Path

from cipanel.estimators.threshold import ThresholdResult
from cipanel.output.figures import _lang, _new, _save, _style

_TITLES = {
    "LR": ("单一门槛", "Single threshold"),
    "LR21": ("双重门槛：第一个门槛", "Double threshold: first"),
    "LR22": ("双重门槛：第二个门槛", "Double threshold: second"),
    "LR3": ("三重门槛：第三个门槛", "Triple threshold: third"),
}


def plot_lr_curves(
    res: ThresholdResult, out: Path, synthetic: bool = False, lang: str = "zh", variable: str | None = None
) -> Path:
    lang = _lang(lang)
    variable = variable or res.threshold_variable or "q"
    # the curves of the thresholds used: LR for one threshold, LR21/LR22 (and LR3) otherwise
    keys = ["LR"] if len(res.lr) == 1 else [k for k in ("LR21", "LR22", "LR3") if k in res.lr]
    crit = res.lr_critical
    with _style():
        fig = _new(6.0, 2.6 * len(keys))
        for i, key in enumerate(keys):
            ax = fig.add_subplot(len(keys), 1, i + 1)
            curve = res.lr[key]
            ax.plot(curve["threshold"], curve["lr"], color="C0", lw=1.2)
            ax.axhline(crit, color="C3", ls="--", lw=1.0)
            zh, en = _TITLES[key]  # LR21 / LR22 as xthreg: refined first threshold, then the second found
            ax.set_title(zh if lang == "zh" else en)
            ax.set_ylabel("LR 统计量" if lang == "zh" else "LR statistic")
            ax.set_xlabel(f"门槛变量 {variable}" if lang == "zh" else f"Threshold variable {variable}")
            ax.text(1.0, crit, f" {crit:.2f}", color="C3", va="bottom", ha="right", transform=ax.get_yaxis_transform())
        return _save(fig, out, synthetic)
