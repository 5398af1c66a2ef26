"""Read one text cell by its field, as the Table Schema rules say, in plain Python.

These readers decide every value the vectorized fast paths in `types.py` leave open:
unusual forms of common types, and the types with no Arrow form (geopoint, object…).
They run once per distinct value, so a column of a million cells with a few odd values
costs a few calls. A reader returns None when the text is not of the type.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import isodate
import rfc3986
import validators
from dateutil import parser as dateutil_parser

Field = dict[str, Any]
Reader = Callable[[str], Any]
UNITS = re.compile(r"((^[^-\d]*)|(\D*$))")  # frictionless's bareNumber: false stripping
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


def reader(field: Field) -> Reader:
    """Return the reader of the field's type and format."""
    return READERS.get(field.get("type", "string"), _any)(field)


def _string(field: Field) -> Reader:
    fmt = field.get("format", "default")
    return {"email": _email, "uri": _uri, "uuid": _uuid, "binary": _binary}.get(fmt, _text)


def _text(cell: str) -> str:
    return cell


def _email(cell: str) -> str | None:
    return cell if validators.email(cell) is True else None


def _uri(cell: str) -> str | None:
    checker = rfc3986.validators.Validator().require_presence_of("scheme")
    try:
        checker.validate(rfc3986.uri_reference(cell))
    except rfc3986.exceptions.ValidationError:
        return None
    return cell


def _uuid(cell: str) -> str | None:
    return cell if validators.uuid(cell) is True else None


def _binary(cell: str) -> str | None:
    try:
        base64.b64decode(cell)
    except ValueError:
        return None
    return cell


def _integer(field: Field) -> Reader:
    bare = field.get("bareNumber", True)

    def read(cell: str) -> int | None:
        cell = cell.strip() if bare else UNITS.sub("", cell.strip())
        try:
            return int(cell)
        except ValueError:
            return None

    return read


def _number(field: Field) -> Reader:
    bare = field.get("bareNumber", True)
    group, decimal = field.get("groupChar", ""), field.get("decimalChar", ".")
    process = any(k in field for k in ("groupChar", "decimalChar", "bareNumber"))

    def read(cell: str) -> Decimal | None:
        cell = cell.strip()
        if process:
            cell = cell if bare else UNITS.sub("", cell)
            cell = _ungroup(cell, group, decimal)
            if decimal != "." and "." in cell:
                return None
            cell = cell.replace(decimal, ".")
        try:
            return Decimal(cell)
        except (InvalidOperation, ValueError):
            return None

    return read


def _ungroup(cell: str, group: str, decimal: str) -> str:
    """Remove group marks; when they equal the decimal mark, only between groups of three.

    frictionless removes every groupChar, so with groupChar "." "12.34" becomes 1234.
    """
    if not group:
        return cell
    if group != decimal:
        return cell.replace(group, "")
    mark = re.escape(group)
    if re.fullmatch(rf"[+-]?\d{{1,3}}({mark}\d{{3}})+", cell):
        return cell.replace(group, "")
    return cell


def _boolean(field: Field) -> Reader:
    mapping = {str(v): True for v in field.get("trueValues", TRUE_VALUES)}
    mapping.update({str(v): False for v in field.get("falseValues", FALSE_VALUES)})
    return mapping.get


def _date(field: Field) -> Reader:
    fmt = field.get("format", "default")

    def read(cell: str) -> date | None:
        try:
            if fmt == "default":
                return datetime.strptime(cell, "%Y-%m-%d").date()
            if fmt == "any":
                return dateutil_parser.parse(cell, dayfirst=True).date()
            return datetime.strptime(cell, fmt).date()
        except (ValueError, OverflowError):
            return None

    return read


def _datetime(field: Field) -> Reader:
    fmt = field.get("format", "default")

    def read(cell: str) -> datetime | None:
        try:
            if fmt == "default":
                if len(cell) < 19 or cell[16] != ":":
                    return None
                moment = dateutil_parser.isoparse(cell)
            elif fmt == "any":
                moment = dateutil_parser.parse(cell, dayfirst=True)
            else:
                moment = datetime.strptime(cell, fmt)
        except (ValueError, OverflowError):
            return None
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment

    return read


def _time(field: Field) -> Reader:
    fmt = field.get("format", "default")

    def read(cell: str) -> time | None:
        try:
            if fmt == "default":
                if len(cell) < 8 or cell[5] != ":":
                    return None
                return dateutil_parser.isoparse(f"2000-01-01T{cell}").time()
            if fmt == "any":
                return dateutil_parser.parse(cell).time()
            return datetime.strptime(cell, fmt).time()
        except (ValueError, OverflowError):
            return None

    return read


def _year(field: Field) -> Reader:
    def read(cell: str) -> int | None:
        if len(cell) != 4:
            return None
        try:
            value = int(cell)
        except ValueError:
            return None
        return value if 0 <= value <= 9999 else None

    return read


def _yearmonth(field: Field) -> Reader:
    def read(cell: str) -> int | None:
        """Return months since year 0, so that values order as (year, month)."""
        try:
            year, month = (int(part) for part in cell.split("-"))
        except ValueError:
            return None
        return year * 12 + month - 1 if 1 <= month <= 12 else None

    return read


def _duration(field: Field) -> Reader:
    def read(cell: str) -> str | None:
        try:
            return str(isodate.parse_duration(cell))
        except (isodate.ISO8601Error, ValueError, TypeError):
            return None

    return read


def _geopoint(field: Field) -> Reader:
    fmt = field.get("format", "default")

    def read(cell: str) -> str | None:
        try:
            if fmt == "array":
                lon, lat = json.loads(cell)
            elif fmt == "object":
                point = json.loads(cell)
                if len(point) != 2:
                    return None
                lon, lat = point["lon"], point["lat"]
            else:
                lon, lat = (part.strip() for part in cell.split(","))
            lon, lat = Decimal(lon), Decimal(lat)
        except (ValueError, TypeError, KeyError, InvalidOperation):
            return None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        return f"{lon},{lat}"

    return read


def _json(kind: type) -> Callable[[Field], Reader]:
    def make(field: Field) -> Reader:
        def read(cell: str) -> Any:
            try:
                value = json.loads(cell)
            except ValueError:
                return None
            return value if isinstance(value, kind) else None

        return read

    return make


def _geojson(field: Field) -> Reader:
    check = _geojson_validator() if field.get("format", "default") == "default" else None

    def read(cell: str) -> dict | None:
        try:
            value = json.loads(cell)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        if check is not None and not check.is_valid(value):
            return None
        return value

    return read


@cache
def _geojson_validator() -> Any:
    """The GeoJSON JSON Schema frictionless checks against, from its package data."""
    import jsonschema

    path = resources.files("frictionless") / "assets" / "profiles" / "geojson.json"
    profile = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(profile)(profile)


def _list(field: Field) -> Reader:
    item = reader({"name": field["name"], "type": field.get("itemType", "string")})
    delimiter = field.get("delimiter", ",")

    def read(cell: str) -> list | None:
        items = [item(part) for part in cell.split(delimiter)]
        return None if any(i is None for i in items) else items

    return read


def _any(field: Field) -> Reader:
    return _text


READERS: dict[str, Callable[[Field], Reader]] = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "year": _year,
    "yearmonth": _yearmonth,
    "duration": _duration,
    "geopoint": _geopoint,
    "geojson": _geojson,
    "object": _json(dict),
    "array": _json(list),
    "list": _list,
    "any": _any,
}


def constraint_value(field: Field, value: Any) -> Any:
    """Read a constraint's value (minimum, enum item) as the field reads a cell."""
    if isinstance(value, str):
        return reader(field)(value)
    kind = field.get("type", "string")
    if kind in ("object", "array", "geojson") and isinstance(value, dict | list):
        return value
    if isinstance(value, bool):
        return value if kind == "boolean" else None
    if kind == "number" and isinstance(value, int | float):
        return Decimal(str(value))
    if kind in ("integer", "year") and isinstance(value, int):
        return value
    if kind in ("date", "datetime", "time") and isinstance(value, date | time):
        return value
    return reader(field)(str(value))
