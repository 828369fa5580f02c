"""Text measurement with the embedded font's own metrics (Tinos, metric-compatible with Times New
Roman), for the lean PDF table body: the server wraps each cell's text to its column and places the
fragments with fixed-width Unicode spaces, so WeasyPrint lays out one line box per printed line
instead of a table cell per value (see reports/render/pdf.py).

Widths agree with Pango's to within 0.01 pt when kerning and ligatures are off, as the PDF CSS sets."""

import unicodedata
from functools import cache

from django.contrib.staticfiles import finders

FONT_FILES = {False: "fonts/Tinos-Regular.ttf", True: "fonts/Tinos-Bold.ttf"}

# Fixed-width spaces of the font (advance in font units; Tinos has 2048 units per em).
EM_SPACE = "\u2003"
EN_SPACE = "\u2002"
FOUR_PER_EM_SPACE = "\u2005"
HAIR_SPACE = "\u200a"
FIXED_SPACES = {EM_SPACE: 2048, EN_SPACE: 1024, FOUR_PER_EM_SPACE: 512, HAIR_SPACE: 171}
FALLBACK_EM = 0.6  # a character the font lacks: Pango substitutes another font; assume 0.6 em


def font_path(bold: bool = False) -> str:
    path = finders.find(FONT_FILES[bold])
    if not path:
        raise FileNotFoundError(f"Font {FONT_FILES[bold]} is missing from the static files")
    return path


@cache
def _metrics(bold: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(bold), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    units_per_em = font["head"].unitsPerEm
    return {codepoint: hmtx[glyph][0] for codepoint, glyph in cmap.items()}, units_per_em


def units_per_em() -> int:
    return _metrics(False)[1]


def text_units(text: str, bold: bool = False) -> int:
    """Advance width of `text` in font units (no kerning)."""
    advances, upm = _metrics(bold)
    fallback = int(upm * FALLBACK_EM)
    return sum(advances.get(ord(char), fallback) for char in text)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points at `size` points."""
    return text_units(text, bold) * size / _metrics(bold)[1]


def normalise(text: str) -> str:
    """NFC (precomposed Vietnamese letters, as the font's cmap has them), no control characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` to `width` points; words longer than a line are cut by characters.
    Explicit line breaks are kept. Always at least one (possibly empty) line."""
    lines: list[str] = []
    limit = width * _metrics(bold)[1] / size  # in font units
    space = text_units(" ", bold)
    for paragraph in normalise(text).split("\n"):
        words = paragraph.split()
        current, current_units = "", 0
        for word in words:
            units = text_units(word, bold)
            if current and current_units + space + units <= limit:
                current += " " + word
                current_units += space + units
                continue
            if current:
                lines.append(current)
            current, current_units = "", 0
            while units > limit and len(word) > 1:
                cut = _cut(word, limit, bold)
                lines.append(word[:cut])
                word = word[cut:]
                units = text_units(word, bold)
            current, current_units = word, units
        lines.append(current)
    return lines or [""]


def _cut(word: str, limit: float, bold: bool) -> int:
    advances, upm = _metrics(bold)
    fallback = int(upm * FALLBACK_EM)
    total = 0
    for index, char in enumerate(word):
        total += advances.get(ord(char), fallback)
        if total > limit:
            return max(index, 1)
    return len(word)


@cache
def _gap_table() -> list[str]:
    """For every remainder 0…2047 font units, the fixed spaces (below an em) closest to it."""
    combos = []
    for en in range(2):
        for four in range(4):
            for hair in range(12):
                units = en * 1024 + four * 512 + hair * 171
                combos.append((units, EN_SPACE * en + FOUR_PER_EM_SPACE * four + HAIR_SPACE * hair))
    table = []
    for remainder in range(2048):
        best = min(combos, key=lambda combo: (abs(combo[0] - remainder), len(combo[1])))
        table.append(best[1])
    return table


def gap(width_units: float) -> tuple[str, int]:
    """Fixed spaces filling `width_units` (font units at the text's size), and their exact width."""
    if width_units <= 0:
        return "", 0
    ems = int(width_units // 2048)
    remainder = int(round(width_units - ems * 2048))
    if remainder >= 2048:
        ems, remainder = ems + 1, remainder - 2048
    filler = _gap_table()[remainder]
    return EM_SPACE * ems + filler, ems * 2048 + sum(FIXED_SPACES[ch] for ch in filler)
