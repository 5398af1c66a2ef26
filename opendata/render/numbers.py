"""Numbers and sizes written the way each page language writes them."""

from __future__ import annotations

# Bahasa Indonesia writes 1.234,5 where English writes 1,234.5.
_SEPARATORS = {"id": (".", ","), "en": (",", ".")}
_UNITS = ("kB", "MB", "GB", "TB")


def number(value: float, lang: str, *, decimals: int = 0, grouped: bool = True) -> str:
    """Return `value` with the language's thousands (unless not `grouped`) and decimal separators."""
    thousands, decimal = _SEPARATORS.get(lang, _SEPARATORS["en"])
    text = f"{value:{',' if grouped else ''}.{decimals}f}"
    return text.translate(str.maketrans({",": thousands, ".": decimal}))


def human_size(size: int, lang: str) -> str:
    """Return a byte count in decimal units, e.g. "12.3 kB" (en) or "12,3 kB" (id)."""
    if size < 1000:
        return f"{number(size, lang)} B"
    value = size / 1000
    unit = _UNITS[0]
    for bigger in _UNITS[1:]:
        if round(value, 1) < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{number(value, lang, decimals=1)} {unit}"
