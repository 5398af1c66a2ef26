"""Infer a Table Schema field from a column's text, with rules for Indonesian files.

frictionless infers types from a sample and reads `012` as 12 and `1.234` as 1.234; an
officer's file needs more care: identifiers keep their leading zeros, `1.234,5` is one
thousand two hundred and thirty-four and a half, and `31/12/2023` is the last day of the
year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Headers of columns that hold codes, whatever their values look like.
IDENTIFIER = re.compile(
    r"(^|_)(nik|nip|npwp|kode|kd|no|nomor|id|kk|telepon|telp|hp|kodepos|rekening|nis|nisn|npsn)(_|$)"
)
YEAR_HEADER = re.compile(r"(^|_)(tahun|year|thn)(_|$)")
INTEGER = re.compile(r"^-?\d+$")
GROUPED_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.234.567
GROUPED_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")  # 1,234,567
DECIMAL_COMMA = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")  # 1.234,5 or 12,5
DECIMAL_DOT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")  # 1,234.5 or 12.5
AMBIGUOUS = re.compile(r"^-?\d{1,3}[.,]\d{3}$")  # one separator, three digits after it
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLASH_DATE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4})$")
BOOLEANS = (
    ({"ya"}, {"tidak"}),
    ({"true"}, {"false"}),
    ({"y"}, {"t", "n"}),
    ({"ada"}, {"tidak ada"}),
)
MISSING = ("", "-")


@dataclass(frozen=True)
class Style:
    """How numbers are written across the whole file."""

    decimal_comma: bool  # "12,5" means twelve and a half


def style_of(columns: Sequence[Sequence[str]]) -> Style:
    """Decide the file's decimal mark from every value: Indonesian files use a comma."""
    comma = dot = 0
    for values in columns:
        for value in values:
            if AMBIGUOUS.match(value):
                continue  # 1.234 is a thousand in Indonesia and a fraction in English
            if DECIMAL_COMMA.match(value) or GROUPED_DOT.match(value):
                comma += 1
            elif DECIMAL_DOT.match(value) or GROUPED_COMMA.match(value):
                dot += 1
    return Style(decimal_comma=comma > dot)


def infer_field(name: str, values: Sequence[str], style: Style) -> dict[str, Any]:
    """Return the Table Schema field that reads every value of the column."""
    present = [v for v in (value.strip() for value in values) if v not in MISSING]
    field: dict[str, Any] = {"name": name}
    if not present:
        return {**field, "type": "string"}
    rule = (
        _identifier(name, present)
        or _year(name, present)
        or _integer(present, style)
        or _number(present, style)
        or _date(present)
        or _boolean(present)
        or {"type": "string"}
    )
    return {**field, **rule}


def _identifier(name: str, values: list[str]) -> dict[str, Any] | None:
    digits = all(v.isdigit() for v in values)
    leading_zero = any(len(v) > 1 and v.startswith("0") for v in values if v.isdigit())
    long_number = digits and max(len(v) for v in values) >= 10
    if not (IDENTIFIER.search(name.lower()) or leading_zero or long_number):
        return None
    if not digits:
        return {"type": "string"} if IDENTIFIER.search(name.lower()) else None
    lengths = sorted({len(v) for v in values})
    size = f"{{{lengths[0]}}}" if len(lengths) == 1 else f"{{{lengths[0]},{lengths[-1]}}}"
    return {"type": "string", "constraints": {"pattern": f"^[0-9]{size}$"}}


def _year(name: str, values: list[str]) -> dict[str, Any] | None:
    years = all(len(v) == 4 and v.isdigit() and 1800 <= int(v) <= 2200 for v in values)
    return {"type": "year"} if years and YEAR_HEADER.search(name.lower()) else None


def _integer(values: list[str], style: Style) -> dict[str, Any] | None:
    if all(INTEGER.match(v) for v in values):
        return {"type": "integer"}
    grouped = GROUPED_DOT if style.decimal_comma else GROUPED_COMMA
    if all(INTEGER.match(v) or grouped.match(v) for v in values):
        # Table Schema integers take no groupChar (frictionless refuses it), numbers do.
        if style.decimal_comma:
            return {"type": "number", "decimalChar": ",", "groupChar": "."}
        return {"type": "number", "groupChar": ","}
    return None


def _number(values: list[str], style: Style) -> dict[str, Any] | None:
    if style.decimal_comma:
        patterns = (INTEGER, GROUPED_DOT, DECIMAL_COMMA)
        options = {"decimalChar": ",", "groupChar": "."}
    else:
        patterns = (INTEGER, GROUPED_COMMA, DECIMAL_DOT)
        options = {"groupChar": ","}
    if not all(any(p.match(v) for p in patterns) for v in values):
        return None
    grouped = (
        any(GROUPED_DOT.match(v) or "." in v for v in values)
        if style.decimal_comma
        else any("," in v for v in values)
    )
    if not grouped:
        options.pop("groupChar")
    return {"type": "number", **options}


def _date(values: list[str]) -> dict[str, Any] | None:
    if all(ISO_DATE.match(v) for v in values):
        return {"type": "date"}
    parts = [SLASH_DATE.match(v) for v in values]
    if not all(parts):
        return None
    separator = parts[0].group(2)
    if any(m.group(2) != separator for m in parts):
        return None
    month_first = any(int(m.group(3)) > 12 for m in parts) and all(
        int(m.group(1)) <= 12 for m in parts
    )
    order = ("%m", "%d") if month_first else ("%d", "%m")  # day first, as Indonesia writes dates
    return {"type": "date", "format": f"{order[0]}{separator}{order[1]}{separator}%Y"}


def _boolean(values: list[str]) -> dict[str, Any] | None:
    seen = {v.lower() for v in values}
    for true, false in BOOLEANS:
        if seen <= true | false and len(seen) == 2:
            trues = sorted({v for v in values if v.lower() in true})
            falses = sorted({v for v in values if v.lower() in false})
            return {"type": "boolean", "trueValues": trues, "falseValues": falses}
    return None
