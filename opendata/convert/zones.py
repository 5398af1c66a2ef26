"""Datetimes with their UTC offsets: read as written, a zone per column, written back.

A column whose cells all carry one offset keeps it (Arrow's fixed-offset zone "+08:00"),
so every download shows the clock time the agency wrote; several offsets make it UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

ZONED = r"\d:\d\d(:\d\d(\.\d*)?)?(Z|[+-]\d\d(:?\d\d)?)$"  # an ISO time with a UTC offset
OFFSET = r"(Z|[+-]\d\d(:?\d\d)?)$"  # that offset, once ZONED has matched
DAY = 86_400
NULL = pa.scalar(None, pa.string())


def moments(values: pa.Array, field: dict[str, Any]) -> tuple[pa.Array, pa.Array]:
    """Return each datetime's wall-clock time as written and its UTC offset in seconds.

    The offset is null for a time written without one; both are null for a missing cell.
    """
    fmt = field.get("format", "default")
    if fmt == "any":
        return _python_moments(values, dateutil_parser.parse)
    if fmt == "default":
        return _iso_moments(values)
    if "%z" in fmt:  # as frictionless reads patterns, with Python's strptime
        wall, offset = _python_moments(values, lambda text: datetime.strptime(text, fmt))
    else:
        wall = pc.strptime(values, fmt, unit="s", error_is_null=True)
        offset = pa.nulls(len(values), pa.int64())
    iso_wall, iso_offset = _iso_moments(pc.if_else(pc.is_null(wall), values, NULL))
    return pc.coalesce(wall, iso_wall), pc.coalesce(offset, iso_offset)


def _iso_moments(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    zoned = pc.fill_null(pc.match_substring_regex(values, ZONED), False)
    naive = pc.cast(pc.if_else(zoned, NULL, values), pa.timestamp("s"))
    text = pc.if_else(zoned, values, NULL)
    instant = pc.cast(pc.cast(text, pa.timestamp("s", "UTC")), pa.int64())
    local = pc.cast(pc.replace_substring_regex(text, OFFSET, ""), pa.timestamp("s"))
    offset = pc.subtract(pc.cast(local, pa.int64()), instant)
    return pc.coalesce(naive, local), offset


def _python_moments(
    values: pa.Array, read_one: Callable[[str], datetime]
) -> tuple[pa.Array, pa.Array]:
    """Read datetimes row by row in Python, for the formats Arrow cannot read."""
    walls, offsets = [], []
    for text in values.to_pylist():
        try:
            moment = read_one(text) if text is not None else None
        except (ValueError, OverflowError):
            moment = None
        offset = moment.utcoffset() if moment is not None else None
        walls.append(moment.replace(tzinfo=None) if moment is not None else None)
        offsets.append(int(offset.total_seconds()) if offset is not None else None)
    return pa.array(walls, pa.timestamp("s")), pa.array(offsets, pa.int64())


def zone_of(offsets: set[int]) -> str | None:
    """Return the zone of a column whose cells carry these offsets (seconds east of UTC).

    None when no cell has an offset; the offset itself ("+08:00") when all share one
    that Arrow can name (whole minutes, under a day); otherwise "UTC".
    """
    if not offsets:
        return None
    if len(offsets) > 1:
        return "UTC"
    [seconds] = offsets
    if seconds % 60 or abs(seconds) >= DAY:
        return "UTC"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{'-' if seconds < 0 else '+'}{hours:02d}:{minutes:02d}"


def iso_text(moments: pa.Array) -> pa.Array:
    """Return datetimes as ISO 8601 text; with their offset ("+08:00") in a zoned column.

    A column has one fixed offset (UTC's is "+00:00"), so the clock time is formatted
    without a zone and the offset appended: the same text as "%Ez", a quarter faster.
    """
    zone = moments.type.tz
    if not zone:
        return pc.strftime(moments, format="%Y-%m-%dT%H:%M:%S")
    clock = pc.strftime(pc.local_timestamp(moments), format="%Y-%m-%dT%H:%M:%S")
    return pc.binary_join_element_wise(clock, offset_text(zone), "")


def offset_text(zone: str) -> str:
    """Return a column's zone as its values' offset: "+08:00", and "+00:00" for UTC."""
    return "+00:00" if zone == "UTC" else zone


def offset_seconds(zone: str) -> int:
    """Return a fixed-offset zone's ("+08:00", "-02:30") seconds east of UTC."""
    sign = -1 if zone.startswith("-") else 1
    hours, minutes = zone[1:].split(":")
    return sign * (int(hours) * 3600 + int(minutes) * 60)
