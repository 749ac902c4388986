"""Printing options of a table (decimals, star thresholds, t or SE in parentheses, which rows) and
the number rules every format shares.

Numbers: a coefficient and its standard error are printed with the same number of decimals, at
least `decimals`; a coefficient below 0.1 gets more so it keeps 3 significant digits, and its SE
at least 2. Only when that needs more than MAX_DECIMALS decimals are both printed in scientific
notation, so a pair is never `0.00000845` over `(9.85e-07)`. p-values below 0.001 print `<0.001`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cipanel.study.tables import Stat

MAX_DECIMALS = 8
ROW_KINDS = ("controls", "year_fe", "unit_fe", "N", "r2", "extra")


@dataclass(frozen=True)
class TableFormat:
    decimals: int = 3
    stars: tuple[float, ...] = (0.10, 0.05, 0.01)  # *, **, *** thresholds (p below)
    stat: str | None = None  # "t" or "se" in parentheses; None keeps the table's own (default t)
    rows: tuple[str, ...] = ROW_KINDS  # bottom rows to print, in this order of kinds

    def __post_init__(self) -> None:
        if not isinstance(self.decimals, int) or isinstance(self.decimals, bool) or not 0 <= self.decimals <= 6:
            raise ValueError(f"decimals must be an integer 0-6, not {self.decimals!r}")
        levels = list(self.stars)
        if (
            not 1 <= len(levels) <= 3
            or any(not 0 < p < 1 for p in levels)
            or levels != sorted(levels, reverse=True)
            or len(set(levels)) != len(levels)
        ):
            raise ValueError(
                f"stars must be 1-3 decreasing p-value thresholds in (0, 1), e.g. [0.10, 0.05, 0.01], "
                f"not {list(self.stars)!r}"
            )
        if self.stat not in (None, "t", "se"):
            raise ValueError(f"stat must be t or se, not {self.stat!r}")
        unknown = [r for r in self.rows if r not in ROW_KINDS]
        if unknown:
            raise ValueError(f"rows: {unknown[0]!r} is not a row kind; use some of {', '.join(ROW_KINDS)}")


OPTION_KEYS = {"decimals", "stars", "stat", "rows"}


def table_format(options: dict[str, Any] | None, where: str = "output") -> TableFormat:
    """TableFormat from a spec's `output:` block or CLI options; errors name the key."""
    options = options or {}
    if not isinstance(options, dict):
        raise ValueError(f"{where}: expected a mapping with keys {', '.join(sorted(OPTION_KEYS))}")
    unknown = sorted(set(options) - OPTION_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(OPTION_KEYS))}")
    kwargs = {k: v for k, v in options.items() if v is not None}
    for key in ("stars", "rows"):
        if key in kwargs:
            if isinstance(kwargs[key], str):
                kwargs[key] = [x.strip() for x in kwargs[key].split(",") if x.strip()]
            if key == "stars":
                try:
                    kwargs[key] = tuple(float(x) for x in kwargs[key])
                except (TypeError, ValueError):
                    raise ValueError(f"{where}.stars: expected numbers, e.g. [0.10, 0.05, 0.01]") from None
            else:
                kwargs[key] = tuple(str(x) for x in kwargs[key])
    try:
        return TableFormat(**kwargs)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def stars(p: float | None, thresholds: tuple[float, ...] = (0.10, 0.05, 0.01)) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return "*" * sum(p < t for t in thresholds)


def _needed(x: float, digits: int) -> int:
    """Decimals that show `digits` significant digits of |x| < 1."""
    return digits - 1 - math.floor(math.log10(abs(x))) if 0 < abs(x) else 0


def _fixed(x: float, dec: int) -> str:
    s = f"{x:.{dec}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def pair_decimals(coef: float, se: float | None, decimals: int = 3) -> int | None:
    """Shared decimals of a coefficient and its SE; None means scientific for both."""
    dec = max(decimals, _needed(coef, 3) if abs(coef) < 0.1 else 0)
    if se is not None and math.isfinite(se) and abs(se) < 0.1:
        dec = max(dec, _needed(se, 2))
    return dec if dec <= MAX_DECIMALS else None


def fmt_pair(coef: float, se: float | None, decimals: int = 3) -> tuple[str, str]:
    """(coefficient, standard error) in one notation and one number of decimals."""
    dec = pair_decimals(coef, se, decimals)
    has_se = se is not None and math.isfinite(se)
    if dec is None:
        mant = max(decimals - 1, 2)
        return f"{coef:.{mant}e}", f"{se:.{mant}e}" if has_se else ""
    return _fixed(coef, dec), _fixed(se, dec) if has_se else ""


def fmt_p(p: float | None, decimals: int = 3) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return "<0.001" if p < 0.001 else f"{p:.{max(decimals, 3)}f}"


def format_stat(stat: Stat | str, thresholds: tuple[float, ...] | None = None) -> str:
    """A study's Stat (cipanel.study.tables) as printed text; a string passes through."""
    if isinstance(stat, str):
        return stat
    parts = []

    def num(x: float) -> str:
        return f"{x:.{stat.decimals}f}" if stat.decimals else f"{int(round(x))}"

    if stat.value is not None and math.isfinite(stat.value):
        parts.append(num(stat.value))
    if stat.se is not None and math.isfinite(stat.se):
        parts.append(f"({num(stat.se)})")
    if stat.interval is not None:
        parts.append(f"[{num(stat.interval[0])}, {num(stat.interval[1])}]")
    if stat.p is not None and math.isfinite(stat.p):
        parts.append(f"[{fmt_p(stat.p)}]")
    if not parts:
        return "—"
    text = " ".join(parts)
    if stat.stars_p is not None:
        text += stars(stat.stars_p, thresholds) if thresholds is not None else stars(stat.stars_p)
    return text


def stars_note(thresholds: tuple[float, ...], lang: str) -> str:
    """The stars line of the notes, from the thresholds actually used."""
    levels = sorted(thresholds, reverse=True)
    marks = ["*" * (i + 1) for i in range(len(levels))]
    pct = [f"{100 * p:g}%" for p in levels]
    ps = [f"{p:.2f}" if p >= 0.01 else f"{p:g}" for p in levels]
    if lang == "zh":
        return (
            f"{'、'.join(marks)} 分别表示在 {'、'.join(pct)} 的水平上显著（"
            + "，".join(f"{m} p<{p}" for m, p in zip(marks, ps))
            + "）。"
        )
    return ", ".join(f"{m} p<{p}" for m, p in zip(marks, ps)) + "."
