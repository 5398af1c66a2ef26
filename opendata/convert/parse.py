"""Parse text cells by their Table Schema field, as frictionless reads them, vectorized.

Missing values become nulls; integer, number, boolean, date, datetime and year become typed
Arrow columns; every other type stays the text written. Datetimes keep the UTC offset they
were written with (see convert/zones.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

from opendata.convert.zones import ZONED, moments, offset_seconds
from opendata.errors import OpendataError, problem
from opendata.i18n import _

TRUE_VALUES = ["true", "True", "TRUE", "1"]  # the Table Schema defaults
FALSE_VALUES = ["false", "False", "FALSE", "0"]
ISO_DATE = "%Y-%m-%d"
CANONICAL_NUMBER = r"^-?\d+(\.\d+)?(e[+-]\d+)?$"  # how read writes a numeric XLSX cell
ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s"),  # with the column's zone when its cells have offsets
    "year": pa.int64(),
}  # every other type is published as the text written
NULL = pa.scalar(None, pa.string())

Field = dict[str, Any]


def typed(
    batch: pa.RecordBatch,
    descriptor: dict[str, Any],
    schema: pa.Schema,
    *,
    first_row: int,
    place: str,
    cells: bool = False,
) -> pa.RecordBatch:
    """Return the batch typed by the schema; `first_row` numbers its first row as frictionless.

    `cells` says the text came from typed spreadsheet cells, written canonically by read.
    A datetime field is read into its schema field's zone (see `_datetime`).
    """
    missing = descriptor.get("missingValues", [""])
    arrays = []
    for values, field, target in zip(batch.columns, descriptor["fields"], schema, strict=True):
        values = _nulled(values, field.get("missingValues", missing))
        kind = field.get("type", "string")
        parse = (cells and CELL_PARSERS.get(kind)) or PARSERS.get(kind)
        if kind == "datetime":
            parse = partial(_datetime, zone=target.type.tz)
        arrays.append(_parsed(values, field, parse, first_row, place) if parse else values)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def offsets_in(values: pa.Array, field: Field, missing: list[str]) -> set[int]:
    """Return the UTC offsets (seconds east) that a datetime column's cells are written with.

    A column with a value that cannot be read gives none: typing it fails the conversion.
    """
    values = _nulled(values, field.get("missingValues", missing))
    if field.get("format", "default") == "default":  # only ISO times with an offset count
        values = values.filter(pc.fill_null(pc.match_substring_regex(values, ZONED), False))
    try:
        _, offset = moments(values, field)
    except (pa.ArrowInvalid, ValueError, OverflowError):
        return set()
    return set(pc.unique(offset.drop_null()).to_pylist())


def _nulled(values: pa.Array, missing: list[str]) -> pa.Array:
    if not missing:
        return values
    return pc.if_else(pc.is_in(values, value_set=_texts(missing)), NULL, values)


def _parsed(
    values: pa.Array, field: Field, parse: Callable, first_row: int, place: str
) -> pa.Array:
    """Parse a column; on a value the parser rejects, name its row."""
    try:
        typed = parse(values, field)
        if not pc.any(pc.and_(pc.is_null(typed), pc.is_valid(values))).as_py():
            return typed
    except (pa.ArrowInvalid, ValueError, OverflowError):
        pass
    kind = field.get("type")
    if field.get("format", "default") != "default":
        kind = _('{type} in the format "{format}"', type=kind, format=field["format"])
    bad = (i for i in range(len(values)) if not _parses(values.slice(i, 1), field, parse))
    index = next(bad, None)  # a Python loop, but only on the way to an error
    if index is None:  # only the column as a whole failed
        message = _(
            'column "{name}" holds a value that is not a valid {kind}.',
            name=field["name"],
            kind=kind,
        )
    else:
        message = _(
            'row {row}, column "{name}": "{value}" is not a valid {kind}.',
            row=first_row + index,
            name=field["name"],
            value=values[index].as_py(),
            kind=kind,
        )
    raise OpendataError(problem("invalid-data", place, message))


def _parses(value: pa.Array, field: Field, parse: Callable) -> bool:
    if value.null_count:
        return True
    try:
        return parse(value, field)[0].is_valid
    except (pa.ArrowInvalid, ValueError, OverflowError):
        return False


def _number_text(values: pa.Array, field: Field) -> pa.Array:
    """Strip what frictionless strips: spaces, a leading "+", group marks and, if not bare, units."""
    text = pc.utf8_trim_whitespace(values)
    if field.get("bareNumber", True) is False:
        text = pc.replace_substring_regex(text, r"^[^-\d]*|\D*$", "")
    if group := field.get("groupChar", ""):
        text = pc.replace_substring(text, group, "")
    return pc.replace_substring_regex(text, r"^\+", "")


def _integer(values: pa.Array, field: Field) -> pa.Array:
    return pc.cast(_number_text(values, field), pa.int64())


def _number(values: pa.Array, field: Field) -> pa.Array:
    text = _number_text(values, field)
    decimal = field.get("decimalChar", ".")
    if decimal != ".":
        text = pc.if_else(pc.match_substring(text, "."), NULL, text)  # as frictionless: invalid
        text = pc.replace_substring(text, decimal, ".")
    return pc.cast(text, pa.float64())


def _number_cells(values: pa.Array, field: Field) -> pa.Array:
    """Read numeric cells as written by read ("12.5"), and text cells by the field's marks.

    frictionless ignores decimalChar for a numeric cell; a text cell such as "1.234" is
    taken as numeric here, since read leaves no way to tell them apart.
    """
    canonical = pc.fill_null(pc.match_substring_regex(values, CANONICAL_NUMBER), False)
    numeric = pc.cast(pc.if_else(canonical, values, NULL), pa.float64())
    return pc.coalesce(numeric, _number(pc.if_else(canonical, NULL, values), field))


def _boolean_cells(values: pa.Array, field: Field) -> pa.Array:
    """Read boolean cells ("true", "false") as well as the field's own values."""
    true = [*field.get("trueValues", TRUE_VALUES), "true"]
    false = [*field.get("falseValues", FALSE_VALUES), "false"]
    return _boolean(values, {**field, "trueValues": true, "falseValues": false})


def _boolean(values: pa.Array, field: Field) -> pa.Array:
    true = pc.is_in(values, value_set=_texts(field.get("trueValues", TRUE_VALUES)))
    false = pc.is_in(values, value_set=_texts(field.get("falseValues", FALSE_VALUES)))
    return pc.if_else(true, True, pc.if_else(false, False, pa.scalar(None, pa.bool_())))


def _texts(values: list[Any]) -> pa.Array:
    """Return listed values as text: YAML may have read 1 or 0 as numbers."""
    return pa.array([str(value) for value in values], pa.string())


def _date(values: pa.Array, field: Field) -> pa.Array:
    """Read dates in the field's format, or ISO, as XLSX date cells arrive."""
    fmt = field.get("format", "default")
    if fmt == "any":
        return _any_date(values)
    patterns = [ISO_DATE] if fmt == "default" else [fmt, ISO_DATE]
    parsed = [_naive(pc.strptime(values, p, unit="s", error_is_null=True)) for p in patterns]
    return pc.cast(pc.coalesce(*parsed), pa.date32())


def _datetime(values: pa.Array, field: Field, *, zone: str | None = None) -> pa.Array:
    """Read datetimes in the field's format, or ISO 8601, as instants in the column's `zone`.

    `zone` is what `zones.zone_of` found for the whole column: None (no cell has an offset,
    the times stay naive), a fixed offset such as "+08:00" (naive cells are local times
    in it) or "UTC" (several offsets; naive cells are taken as UTC).
    """
    wall, offset = moments(values, field)
    if zone is None:
        return wall
    default = 0 if zone == "UTC" else offset_seconds(zone)
    seconds = pc.subtract(pc.cast(wall, pa.int64()), pc.fill_null(offset, default))
    return pc.cast(seconds, pa.timestamp("s", zone))


def _naive(moments: pa.Array) -> pa.Array:
    """Drop the time zone of UTC moments, keeping the instant."""
    return moments.cast(pa.timestamp("s")) if moments.type.tz else moments


def _any_date(values: pa.Array) -> pa.Array:
    """Read dates in any format, row by row, as frictionless's "any" does with dateutil."""
    out = []
    for text in values.to_pylist():
        try:
            moment = dateutil_parser.parse(text) if text is not None else None
        except (ValueError, OverflowError):
            moment = None
        out.append(moment.date() if moment is not None else None)
    return pa.array(out, pa.date32())


def _year(values: pa.Array, field: Field) -> pa.Array:
    return pc.cast(pc.utf8_trim_whitespace(values), pa.int64())


PARSERS: dict[str, Callable[[pa.Array, Field], pa.Array]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "year": _year,
}
CELL_PARSERS: dict[str, Callable[[pa.Array, Field], pa.Array]] = {
    "number": _number_cells,
    "boolean": _boolean_cells,
}
