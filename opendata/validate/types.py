"""Type a column of text cells by its field, vectorized, exactly as the Table Schema rules read it.

Each type has a fast path over the whole column for its common, unambiguous forms: it
accepts only text the rules accept, with the same value. Whatever it leaves open goes to
the Python readers in `scalar.py`, once per distinct value. So the result is exact and a
million ordinary cells cost a few Arrow calls.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opendata.validate.scalar import Field, reader

ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "time": pa.time64("us"),
    "year": pa.int64(),
    "yearmonth": pa.int64(),
}  # every other type is typed as a canonical text, for keys and enum
INTEGER = r"^[+-]?[0-9]{1,18}$"
NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"
MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0]  # by month; 0 and 13: none
FEW = 0.01  # cells outside the usual form left to Python, at most, as a share
DATE_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9])  # where YYYY-MM-DD has digits
FIRST_DAY = -719162  # 0001-01-01 in days since 1970: Python has no year 0


def arrow_type(field: Field) -> pa.DataType:
    return ARROW_TYPES.get(field.get("type", "string"), pa.string())


def typed(text: pa.Array, field: Field) -> tuple[pa.Array, pa.Array]:
    """Return the typed values and a mask of the cells that are not of the type.

    `text` holds nulls where the cell is missing; those stay null and are not errors.
    """
    fast = FAST.get(field.get("type", "string"))
    values = fast(text, field) if fast else None
    if values is None:
        values = pa.nulls(len(text), arrow_type(field))
    none = pa.nulls(len(text), pa.bool_()).fill_null(False)
    if values.null_count == text.null_count:  # every cell written was read
        return values, none
    open_ = pc.fill_null(pc.and_(pc.is_valid(text), pc.is_null(values)), False)
    read, ok = _slow(text.filter(open_), field)
    return pc.replace_with_mask(values, open_, read), pc.replace_with_mask(
        none, open_, pc.invert(ok)
    )


def equal_any(column: pa.Array, texts: list[str]) -> pa.Array:
    """Return where the column equals one of a few texts.

    The empty text is found from the offsets alone; the others with one hash lookup per
    cell, which beats a comparison per text from two texts on.
    """
    others = sorted(set(texts) - {""})
    if len(others) == 1:
        mask = pc.equal(column, others[0])
    elif others:
        mask = pc.is_in(column, value_set=pa.array(others, pa.string()))
    if "" in texts:
        mask = pc.or_(mask, _empty(column)) if others else _empty(column)
    elif not others:
        return pa.nulls(len(column), pa.bool_()).fill_null(False)
    return pc.fill_null(mask, False)


def _empty(column: pa.Array) -> pa.Array:
    """Tell which cells are empty from their lengths: an Arrow kernel, run without the GIL."""
    return pc.equal(pc.binary_length(column), 0)


def _slow(rest: pa.Array, field: Field) -> tuple[pa.Array, pa.Array]:
    """Read the cells the fast path left open with the Python reader, once per distinct value.

    Return their values and which of them are of the type.
    """
    distinct = pc.unique(rest)
    read = reader(field)
    results = [read(cell) for cell in distinct.to_pylist()]
    kind = arrow_type(field)
    ok = pa.array([r is not None for r in results], pa.bool_())
    converted = pa.array([to_arrow(r, kind) for r in results], kind)
    where = pc.index_in(rest, value_set=distinct)
    return pc.take(converted, where), pc.take(ok, where)


def to_arrow(value: Any, kind: pa.DataType) -> Any:
    """Turn a Python reader's value into one the column's Arrow type holds."""
    if value is None:
        return None
    if pa.types.is_string(kind):
        return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, Decimal):
        return float(value)
    if pa.types.is_int64(kind) and not -(2**63) <= value < 2**63:
        return None  # an integer beyond 64 bits: valid, but not compared
    return value


def _match(text: pa.Array, pattern: str) -> pa.Array:
    return pc.fill_null(pc.match_substring_regex(text, pattern), False)


def _only(text: pa.Array, mask: pa.Array) -> pa.Array:
    return pc.if_else(mask, text, pa.scalar(None, pa.string()))


def _cast(
    text: pa.Array, kind: pa.DataType, guard: str, plain: Callable[[], pa.Array] | None = None
) -> pa.Array:
    """Cast text to `kind`, null where Arrow cannot.

    A clean column costs one cast. Otherwise, when `plain` (a cheap test of the usual
    form) leaves few cells out, only the plain cells are cast and the others are left to
    the Python readers; else the text matching `guard`, a regular expression of the forms
    the type's rules accept, is cast. A cast that still fails (an overflow) is split into
    halves until the culprits are found.
    """
    try:
        return pc.cast(text, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as failure:
        cast = _cast_around(text, kind, failure)
        if cast is not None:
            return cast
    if plain is not None:  # computed only now: a clean column never pays for it
        usual = pc.fill_null(plain(), False)
        if len(text) - text.null_count - usual.true_count <= FEW * len(text):
            return _halving(_only(text, usual), kind)
    return _halving(_only(text, _match(text, guard)), kind)


def _cast_around(text: pa.Array, kind: pa.DataType, failure: Exception) -> pa.Array | None:
    """Cast the column again without the few distinct values that failed; None past a few.

    Arrow names the value it could not read. Bad cells usually repeat one mistake (a
    decimal comma, an impossible day), so leaving that value out costs one comparison
    and one more cast, where finding the bad cells one by one costs several passes.
    The cells left out are read by the Python readers, which have the last word.
    """
    prefix, suffix = "Failed to parse string: '", f"' as a scalar of type {kind}"
    for _ in range(4):
        message = str(failure)
        if not (message.startswith(prefix) and message.endswith(suffix)):
            return None
        culprit = pc.equal(text, message[len(prefix) : -len(suffix)])
        if not pc.any(culprit).as_py():
            return None
        text = pc.if_else(culprit, pa.scalar(None, pa.string()), text)
        try:
            return pc.cast(text, kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as again:
            failure = again
    return None


def _halving(text: pa.Array, kind: pa.DataType) -> pa.Array:
    try:
        return pc.cast(text, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        if len(text) == 1:
            return pa.nulls(1, kind)
    half = len(text) // 2
    return pa.concat_arrays([_halving(text.slice(0, half), kind), _halving(text.slice(half), kind)])


def _integer(text: pa.Array, field: Field) -> pa.Array:
    if field.get("bareNumber", True) is False:
        return pa.nulls(len(text), pa.int64())
    hexadecimal = pc.or_(pc.starts_with(text, "0x"), pc.starts_with(text, "0X"))
    if pc.any(hexadecimal).as_py():  # Arrow reads 0x1F as 31; the rules do not
        text = _only(text, pc.invert(hexadecimal))
    return _cast(text, pa.int64(), INTEGER, lambda: pc.ascii_is_decimal(text))


def _number(text: pa.Array, field: Field) -> pa.Array:
    group, decimal = field.get("groupChar", ""), field.get("decimalChar", ".")
    if field.get("bareNumber", True) is False or (group and group == decimal):
        return pa.nulls(len(text), pa.float64())
    if group:
        text = pc.replace_substring(text, group, "")
    if decimal != ".":
        text = _only(text, pc.invert(pc.match_substring(text, ".")))
        text = pc.replace_substring(text, decimal, ".")

    def plain() -> pa.Array:
        return pc.ascii_is_decimal(pc.replace_substring(text, ".", "", max_replacements=1))

    return _cast(text, pa.float64(), NUMBER, plain)


def _boolean(text: pa.Array, field: Field) -> pa.Array:
    true = [str(v) for v in field.get("trueValues", ["true", "True", "TRUE", "1"])]
    false = [str(v) for v in field.get("falseValues", ["false", "False", "FALSE", "0"])]
    words = list(dict.fromkeys(true + false))  # a text in both lists reads as true
    meaning = pa.array([word in true for word in words], pa.bool_())
    return pc.take(meaning, pc.index_in(text, value_set=pa.array(words, pa.string())))


def _date(text: pa.Array, field: Field) -> pa.Array:
    """Read ISO dates; impossible days such as 2023-02-30 are not dates, as in Python."""
    if field.get("format", "default") != "default":
        return pa.nulls(len(text), pa.date32())
    try:
        dates = pc.cast(text, pa.date32())
    except pa.ArrowInvalid as failure:  # a bad cell, perhaps an impossible day: 2023-02-30
        dates = _cast_around(text, pa.date32(), failure)
        if dates is None:
            return _iso_days(text)
    days = pc.cast(dates, pa.int32())
    earliest = pc.min(days).as_py()
    if earliest is None or earliest >= FIRST_DAY:  # Python has no year 0
        return dates
    year_one = pc.greater_equal(days, FIRST_DAY)
    return pc.if_else(year_one, dates, pa.scalar(None, pa.date32()))


def _iso_days(text: pa.Array) -> pa.Array:
    """Return the dates of the cells written YYYY-MM-DD that name a day of the calendar.

    Read from the bytes of the ten-character cells with numpy, as a matrix of ten bytes a
    row (a plain view of the data when every cell has ten): no regular expression, no new
    strings, no second cast.
    """
    if not pa.types.is_string(text.type) or text.buffers()[2] is None:
        return pa.nulls(len(text), pa.date32())
    offsets = np.frombuffer(text.buffers()[1], np.int32)[text.offset : text.offset + len(text) + 1]
    data = np.frombuffer(text.buffers()[2], np.uint8)
    ten = (offsets[1:] - offsets[:-1]) == 10
    if text.null_count:
        ten &= pc.is_valid(text).to_numpy(zero_copy_only=False)
    if ten.all():
        cells = data[offsets[0] : offsets[-1]].reshape(-1, 10)
    else:
        cells = data[offsets[:-1][ten, None] + np.arange(10)]
    digits = cells[:, DATE_DIGITS] - np.uint8(ord("0"))  # wraps below "0": never <= 9
    shape = (digits <= 9).all(axis=1) & (cells[:, 4] == ord("-")) & (cells[:, 7] == ord("-"))
    at = digits.astype(np.int32)
    year = at[:, 0] * 1000 + at[:, 1] * 100 + at[:, 2] * 10 + at[:, 3]
    month, day = at[:, 4] * 10 + at[:, 5], at[:, 6] * 10 + at[:, 7]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    longest = np.array(MONTH_DAYS)[np.clip(month, 0, 13)] + (leap & (month == 2))
    real = shape & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest)
    days = np.zeros(len(text), dtype=np.int32)
    days[ten] = _month_starts()[year * 16 + np.clip(month, 0, 15)] + day - 1
    valid = np.zeros(len(text), dtype=bool)
    valid[ten] = real
    return pa.array(days, pa.int32(), mask=~valid).cast(pa.date32())


@functools.cache
def _month_starts() -> np.ndarray:
    """Return the day number of the first of each month of years 0-9999, at year * 16 + month.

    One lookup per cell instead of the calendar arithmetic's dozen integer divisions.
    """
    year, month = np.divmod(np.arange(10000 * 16, dtype=np.int32), 16)
    return _days_since_epoch(year, np.clip(month, 1, 12), np.ones_like(year)).astype(np.int32)


def _days_since_epoch(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Count days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's method)."""
    year = year - (month <= 2)
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    return era * 146097 + of_cycle - 719468


def _year(text: pa.Array, field: Field) -> pa.Array:
    years = _cast(text, pa.int64(), INTEGER, lambda: pc.ascii_is_decimal(text))
    lengths = pc.binary_length(text)  # a cell Arrow read as a number is ASCII: bytes are chars
    extremes = pc.min_max(lengths)
    four = {extremes["min"].as_py(), extremes["max"].as_py()} <= {4, None}
    if four and (pc.min(years).as_py() or 0) >= 0:
        return years  # the usual column: every cell written with four digits
    fits = pc.and_(pc.equal(lengths, 4), pc.greater_equal(years, 0))
    return pc.if_else(fits, years, pa.scalar(None, pa.int64()))


FAST: dict[str, Callable[[pa.Array, Field], pa.Array]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "year": _year,
    "string": lambda text, field: text if field.get("format", "default") == "default" else None,
    "any": lambda text, field: text,
}


def scalar(value: Any, field: Field) -> pa.Scalar:
    """Return a constraint's value, read as the field reads cells, as an Arrow scalar."""
    kind = arrow_type(field)
    if isinstance(value, datetime) and kind == pa.date32():
        value = value.date()
    if isinstance(value, date | time | datetime) and pa.types.is_string(kind):
        value = value.isoformat()
    return pa.scalar(to_arrow(value, kind), kind)
