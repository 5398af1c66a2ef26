"""Field constraints over a typed column: one mask of broken cells per constraint, vectorized."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc

from opendata.validate.scalar import Field, constraint_value
from opendata.validate.types import arrow_type, equal_any, scalar, to_arrow

DIGITS = re.compile(r"\[0-9\]\{([1-9][0-9]{0,3})(?:,([1-9][0-9]{0,3}))?\}")  # [0-9]{10}, [0-9]{2,5}
BOUNDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
SUPPORTED = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "integer": ["required", *BOUNDS, "enum"],
    "number": ["required", *BOUNDS, "enum"],
    "boolean": ["required", "enum"],
    "date": ["required", *BOUNDS, "enum"],
    "datetime": ["required", *BOUNDS, "enum"],
    "time": ["required", *BOUNDS, "enum"],
    "year": ["required", *BOUNDS, "enum"],
    "yearmonth": ["required", *BOUNDS, "enum"],
    "duration": ["required", "enum"],
    "geopoint": ["required", "enum"],
    "geojson": ["required", "enum"],
    "object": ["required", "minLength", "maxLength", "enum"],
    "array": ["required", "minLength", "maxLength", "enum"],
    "list": ["required", "minLength", "maxLength"],
    "any": ["required", "enum"],
}  # in the order frictionless checks them, which orders its errors
COMPARE = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}


def active(field: Field) -> list[str]:
    """Return the field's constraints that its type supports, in checking order."""
    declared = field.get("constraints") or {}
    return [n for n in SUPPORTED.get(field.get("type", "string"), []) if n in declared]


def broken(name: str, text: pa.Array, values: pa.Array, bad: pa.Array, field: Field) -> pa.Array:
    """Return the mask of cells breaking constraint `name`; cells of the wrong type never do."""
    value = field["constraints"][name]
    if name == "required":
        mask = pc.is_null(text) if value else pa.array([False] * len(text))
    elif name in COMPARE:
        bound = scalar(constraint_value(field, value), field)
        mask = pc.invert(COMPARE[name](values, bound))
    elif name == "enum":
        items = [to_arrow(constraint_value(field, v), arrow_type(field)) for v in value]
        allowed = pa.array(items, arrow_type(field))
        if pa.types.is_string(allowed.type) and None not in items:
            mask = pc.invert(equal_any(values, [str(i) for i in items]))
        else:
            mask = pc.invert(pc.is_in(values, value_set=allowed))
        mask = pc.if_else(pc.is_null(values), False, mask)
    elif name == "pattern":
        mask = _pattern(text, str(value))
    else:
        lengths = _lengths(text, values, field)
        mask = pc.less(lengths, value) if name == "minLength" else pc.greater(lengths, value)
    return pc.and_not(pc.fill_null(mask, False), bad)


def _lengths(text: pa.Array, values: pa.Array, field: Field) -> pa.Array:
    """Return len() of each value: characters for text, items for objects, arrays and lists."""
    kind = field.get("type", "string")
    if kind == "string":
        return pc.utf8_length(text)
    distinct = pc.unique(values.drop_null())
    lengths = pa.array([_json_length(v) for v in distinct.to_pylist()], pa.int64())
    return pc.take(lengths, pc.index_in(values, value_set=distinct))


def _json_length(value: str) -> int:
    return len(json.loads(value))


def _pattern(text: pa.Array, pattern: str) -> pa.Array:
    """Return where cells break the pattern, as Python's re.match("^pattern$") says.

    Codes written as digits, `[0-9]{10}` and the like, are checked by length and digits
    at the cost of two passes; the few cells that fail go through the full matcher, which
    has the last word (Python's `$` also matches before a final line break).
    """
    digits = DIGITS.fullmatch(pattern)
    low, high = (int(digits[1]), int(digits[2] or digits[1])) if digits else (1, 0)
    if low > high:
        return _regex(text, pattern)
    length = pc.binary_length(text)
    ok = pc.and_(
        pc.ascii_is_decimal(text),
        pc.and_(pc.greater_equal(length, low), pc.less_equal(length, high)),
    )
    broken = pc.invert(ok)
    again = pc.fill_null(broken, False)
    if not again.true_count:
        return broken
    return pc.replace_with_mask(broken, again, _regex(text.filter(again), pattern))


def _regex(text: pa.Array, pattern: str) -> pa.Array:
    """Match as Python's re.match("^pattern$"); RE2 where it agrees, Python elsewhere.

    RE2 and Python agree on ASCII text without line breaks for the patterns RE2 compiles;
    other cells are matched by Python, once per distinct value.
    """
    plain = pc.and_(pc.string_is_ascii(text), pc.invert(pc.match_substring(text, "\n")))
    plain = pc.fill_null(plain, False)
    try:
        fast = pc.match_substring_regex(text, f"^(?:^{pattern}$)")
    except pa.ArrowInvalid:
        plain, fast = pa.array([False] * len(text)), pa.nulls(len(text), pa.bool_())
    rest = pc.if_else(plain, pa.scalar(None, pa.string()), text)
    if rest.null_count == len(rest):
        return pc.invert(fast)
    compiled = re.compile(f"^{pattern}$")
    distinct = pc.unique(rest.drop_null())
    ok = pa.array([compiled.match(v) is not None for v in distinct.to_pylist()], pa.bool_())
    slow = pc.take(ok, pc.index_in(rest, value_set=distinct))
    return pc.invert(pc.if_else(plain, fast, slow))
