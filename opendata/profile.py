"""The profile stage: per-column statistics and the first rows of a published resource.

Computed over the typed Parquet output with pyarrow.compute, batch by batch, in two
passes (the histogram's range needs the extremes first), so memory grows with the number
of distinct values counted (capped), never with the number of rows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opendata.models import Bin, ColumnProfile, Profile, Resource

DISTINCT_CAP = 100_000  # beyond this many distinct values a column is reported as "more"
EPOCH = date(1970, 1, 1)
NUMBERS = ("integer", "number")
NUMERIC = (*NUMBERS, "date", "datetime")  # profiled by extremes and histogram


def profile(
    resource: Resource,
    *,
    path: Path,
    preview_rows: int = 50,
    bins: int = 10,
    top: int = 5,
    batch_rows: int = 65_536,
) -> Profile:
    """Return the statistics of each column of the Parquet file at `path` and its first rows."""
    file = pq.ParquetFile(path)
    tallies = [_Tally(f.name, _kind(f.type), _zone(f.type)) for f in file.schema_arrow]
    preview: list[tuple[str, ...]] = []
    rows = 0
    for batch in file.iter_batches(batch_size=batch_rows):
        if len(preview) < preview_rows:
            preview.extend(_preview(batch.slice(0, preview_rows - len(preview))))
        for tally, column in zip(tallies, batch.columns, strict=True):
            tally.add(column)
        rows += batch.num_rows
    for tally in tallies:
        tally.start_bins(bins)
    if any(tally.edges for tally in tallies):
        for batch in file.iter_batches(batch_size=batch_rows):
            for tally, column in zip(tallies, batch.columns, strict=True):
                tally.bin(column)
    columns = tuple(tally.result(rows, top) for tally in tallies)
    return Profile(resource=resource.name, rows=rows, columns=columns, preview=tuple(preview))


def cell_text(value: Any) -> str:
    """Return a typed value as the normalized CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, datetime):
        offset = value.strftime("%z")  # "+0800" in a zoned column, "" for a naive time
        return value.strftime("%Y-%m-%dT%H:%M:%S") + (offset and f"{offset[:3]}:{offset[3:5]}")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def day_text(days: float) -> str:
    """Return days since 1970-01-01 as an ISO date."""
    return date.fromordinal(EPOCH.toordinal() + math.floor(days)).isoformat()


def _preview(batch: pa.RecordBatch) -> Iterator[tuple[str, ...]]:
    for row in batch.to_pylist():
        yield tuple(cell_text(value) for value in row.values())


def _kind(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    return "boolean" if pa.types.is_boolean(arrow_type) else "text"


def _zone(arrow_type: pa.DataType) -> str | None:
    return arrow_type.tz if pa.types.is_timestamp(arrow_type) else None


def _as_numbers(column: pa.Array, kind: str) -> pa.Array:
    """Return the column as float64: dates as days and datetimes as seconds since 1970."""
    if kind == "date":
        return pc.cast(pc.cast(column, pa.int32()), pa.float64())
    if kind == "datetime":  # Parquet stores seconds as milliseconds
        seconds = pc.cast(column, pa.timestamp("s"), safe=False)
        return pc.cast(pc.cast(seconds, pa.int64()), pa.float64())
    return pc.cast(column, pa.float64())


@dataclass
class _Tally:
    """The running statistics of one column."""

    name: str
    kind: str
    zone: str | None = None  # a datetime column's time zone, as its extremes are written
    present: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None
    counts: Counter[Any] = field(default_factory=Counter)
    overflow: bool = False  # more distinct values than DISTINCT_CAP
    edges: list[float] = field(default_factory=list)
    bins: list[int] = field(default_factory=list)

    def add(self, column: pa.Array) -> None:
        """Count a batch's values: present, distinct, extremes and sum."""
        self.present += len(column) - column.null_count
        if not self.overflow:
            for value, n in _pairs(pc.value_counts(column.drop_null())):
                self.counts[value] += n
            if len(self.counts) > DISTINCT_CAP:
                self.overflow, self.counts = True, Counter()
        if self.kind in NUMERIC:
            values = _finite(_as_numbers(column, self.kind))
            extremes = pc.min_max(values).as_py()
            if extremes["min"] is not None:
                self.low = min(extremes["min"], self.low if self.low is not None else math.inf)
                self.high = max(extremes["max"], self.high if self.high is not None else -math.inf)
                self.total += pc.sum(values).as_py() or 0.0

    def start_bins(self, bins: int) -> None:
        """Choose the histogram's edges once the extremes are known."""
        if self.low is None or self.high is None or self.kind == "datetime":
            return
        span = self.high - self.low
        if self.kind in ("integer", "date"):  # whole-number bars: 2019, 2020, … or 1–2, 3–4, …
            width = math.ceil((span + 1) / bins)
            count = math.ceil((span + 1) / width)
        else:
            count = bins if span else 1
            width = (span / count) or 1.0
        self.edges = [self.low + width * i for i in range(count + 1)]
        self.bins = [0] * count

    def bin(self, column: pa.Array) -> None:
        """Add a batch's values to the histogram."""
        if not self.edges:
            return
        values = _finite(_as_numbers(column, self.kind))
        width = self.edges[1] - self.edges[0]
        index = pc.floor(pc.divide(pc.subtract(values, self.low), width))
        index = pc.min_element_wise(pc.cast(index, pa.int64()), len(self.bins) - 1)
        for i, n in _pairs(pc.value_counts(index)):
            self.bins[i] += n

    def result(self, rows: int, top: int) -> ColumnProfile:
        """Return the column's profile."""
        numeric = self.kind in NUMERIC
        return ColumnProfile(
            name=self.name,
            kind=self.kind,
            count=self.present,
            missing=rows - self.present,
            distinct=None if self.overflow else len(self.counts),
            minimum=self._extreme(self.low),
            maximum=self._extreme(self.high),
            mean=self.total / self.present if self.kind in NUMBERS and self.present else None,
            top=() if numeric or self.overflow else self._top(top),
            bins=tuple(Bin(self.edges[i], self.edges[i + 1], n) for i, n in enumerate(self.bins)),
        )

    def _extreme(self, value: float | None) -> float | str | None:
        if value is None:
            return None
        if self.kind == "date":
            return day_text(value)
        if self.kind == "datetime":
            return cell_text(pa.scalar(int(value), pa.timestamp("s", self.zone)).as_py())
        return value

    def _top(self, top: int) -> tuple[tuple[str, int], ...]:
        ordered = sorted(self.counts.items(), key=lambda item: (-item[1], cell_text(item[0])))
        return tuple((cell_text(value), n) for value, n in ordered[:top])


def _pairs(counts: pa.StructArray) -> Iterator[tuple[Any, int]]:
    """Return (value, count) pairs of a pc.value_counts result."""
    return zip(counts.field(0).to_pylist(), counts.field(1).to_pylist(), strict=True)


def _finite(values: pa.Array) -> pa.Array:
    """Drop missing, NaN and infinite values: they have no place on an axis."""
    values = values.drop_null()
    return values.filter(pc.is_finite(values)) if len(values) else values
