"""Printed widths of table text in Times New Roman (Latin, digits) and 宋体 (CJK), so Word columns
are sized from their content.

Latin widths come from the font file of Liberation Serif, which is metric-compatible with Times New
Roman (same advance widths by design), read with fontTools when it is installed (Debian:
fonts-liberation); otherwise from the copy of its ASCII advance widths below (tests check the copy
against the font file). CJK ideographs and full-width punctuation are one em wide in 宋体 as in every
CJK font, so they need no font file. Characters in neither set count as one em (too wide, never too
narrow)."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

UNITS_PER_EM = 2048
LIBERATION_SERIF = (
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
)
# Liberation Serif Regular advance widths (units of 1/2048 em) of ASCII 32..126 and a few symbols
ASCII_WIDTHS: dict[str, int] = dict(
    zip(
        "".join(chr(c) for c in range(32, 127)),
        [
            512,
            682,
            836,
            1024,
            1024,
            1706,
            1593,
            369,
            682,
            682,
            1024,
            1155,
            512,
            682,
            512,
            569,
            1024,
            1024,
            1024,
            1024,
            1024,
            1024,
            1024,
            1024,
            1024,
            1024,
            569,
            569,
            1155,
            1155,
            1155,
            909,
            1886,
            1479,
            1366,
            1366,
            1479,
            1251,
            1139,
            1479,
            1479,
            682,
            797,
            1479,
            1251,
            1821,
            1479,
            1479,
            1139,
            1479,
            1366,
            1139,
            1251,
            1479,
            1479,
            1933,
            1479,
            1479,
            1251,
            682,
            569,
            682,
            961,
            1024,
            682,
            909,
            1024,
            909,
            1024,
            909,
            682,
            1024,
            1024,
            569,
            569,
            1024,
            569,
            1593,
            1024,
            1024,
            1024,
            1024,
            682,
            797,
            569,
            1024,
            1024,
            1479,
            1024,
            1024,
            909,
            983,
            410,
            983,
            1108,
        ],
        strict=True,
    )
)
ASCII_WIDTHS.update({"²": 614, "χ": 909, "–": 1024, "—": 2048, "·": 512, "×": 1155, "±": 1124, "≥": 1124, "≤": 1124})


@functools.cache
def _font_widths() -> dict[int, int] | None:
    """Advance widths by code point from the installed Liberation Serif, or None."""
    path = next((p for p in LIBERATION_SERIF if p.is_file()), None)
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    scale = UNITS_PER_EM / font["head"].unitsPerEm
    hmtx = font["hmtx"]
    return {cp: round(hmtx[name][0] * scale) for cp, name in font.getBestCmap().items()}


def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def char_units(ch: str) -> int:
    if is_cjk(ch):
        return UNITS_PER_EM
    if ch in ASCII_WIDTHS:
        return ASCII_WIDTHS[ch]
    widths = _font_widths()
    if widths and ord(ch) in widths:
        return widths[ord(ch)]
    return UNITS_PER_EM


def text_width(text: str, size_pt: float = 10.5) -> float:
    """Width in points of one line of `text` at `size_pt`."""
    return sum(char_units(ch) for ch in text) * size_pt / UNITS_PER_EM


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: each CJK character, and Latin words with their following
    space (Word breaks Latin text only at spaces, CJK text between any two characters)."""
    out, word = [], ""
    for ch in text:
        if is_cjk(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    # closing CJK punctuation never starts a line (kinsoku): keep it with the previous piece
    merged: list[str] = []
    for tok in out:
        if merged and tok in "，。、；：）》」』】！？":
            merged[-1] += tok
        else:
            merged.append(tok)
    return merged


def line_count(text: str, width_pt: float, size_pt: float = 10.5) -> int:
    """Lines `text` takes in a column `width_pt` wide, breaking greedily as a word processor does;
    a piece wider than the column counts as one line per column width it needs."""
    lines, used = 1, 0.0
    for tok in _tokens(text):
        w = text_width(tok, size_pt)
        w_fit = text_width(tok.rstrip(" "), size_pt)  # trailing spaces may hang in the margin
        if used and used + w_fit > width_pt:
            lines, used = lines + 1, 0.0
        if w_fit > width_pt:
            return 10**6  # an unbreakable piece that cannot fit
        used += w
    return lines


def width_for_lines(text: str, lines: int, size_pt: float = 10.5) -> float:
    """Smallest width (to 0.25 pt) at which `text` takes at most `lines` lines."""
    hi = text_width(text, size_pt)
    lo = max([text_width(t.rstrip(" "), size_pt) for t in _tokens(text)] or [0.0])
    if lines <= 1:
        return hi
    while hi - lo > 0.25:
        mid = (lo + hi) / 2
        if line_count(text, mid, size_pt) <= lines:
            hi = mid
        else:
            lo = mid
    return hi
