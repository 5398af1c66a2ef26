"""Check one chunk of rows cell by cell: types, constraints, row shape and blank rows.

Everything is computed over whole columns; Python only builds the Error of a cell found
wrong. Each finding carries a sort key that puts it where frictionless reports it: by
row, then field, then constraint.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opendata.models import Error
from opendata.validate.constraints import active, broken
from opendata.validate.messages import error
from opendata.validate.rows import Chunk
from opendata.validate.types import equal_any, typed

Field = dict[str, Any]
Finding = tuple[tuple[int, int, int, int], Error]  # (row, phase, field, order), error
Wrong = list[tuple[int, int, str, np.ndarray]]  # (field, order, kind, rows) of wrong cells
Column = tuple[pa.Array, np.ndarray | None, Wrong]  # typed values, blank cells, wrong cells
CELL, EXTRA, MISSING, UNIQUE, PRIMARY, FOREIGN = range(6)  # phases of a row's errors
_POOLS: dict[int, ThreadPoolExecutor] = {}  # by process: a forked worker has no threads


def _pool() -> ThreadPoolExecutor:
    """Return this process's pool; pyarrow compute releases the GIL, so columns are
    checked on every core at once."""
    pid = os.getpid()
    if pid not in _POOLS:
        _POOLS[pid] = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="columns")
    return _POOLS[pid]


@dataclass
class Checked:
    """A chunk's cell findings and its typed columns, which the key checks read."""

    findings: list[Finding]
    values: list[pa.Array]  # typed values, null where missing or not of the type
    blank: np.ndarray  # rows whose every cell is missing


def type_ahead(
    chunks: Iterable[Chunk], fields: list[Field], missing: list[list[str]]
) -> Iterator[tuple[Chunk, Iterator[Column]]]:
    """Yield each chunk with its checked columns, the next chunk's already under way.

    The pool types the next chunk's columns while the caller, holding the GIL, builds
    this chunk's errors and keys: the cores stay busy even when errors come by the
    thousand.
    """
    pending = None
    for chunk in chunks:
        batch = chunk.batch
        futures = [
            _pool().submit(_column, batch.column(i), i, fields[i], missing[i])
            for i in range(len(fields))
        ]
        if pending is not None:
            yield pending
        pending = (chunk, (future.result() for future in futures))
    if pending is not None:
        yield pending


def check_cells(
    chunk: Chunk, fields: list[Field], columns: Iterable[Column], budget: int
) -> Checked:
    """Return the findings of one chunk from its columns checked by `_column`.

    Only findings that can be among the report's next `budget` errors are built: a column
    wrong on every row must not cost a million Errors for a report of a thousand.
    """
    batch, first = chunk.batch, chunk.first_row
    wrong: Wrong = []
    values: list[pa.Array] = []
    empty: np.ndarray | None = None  # rows blank so far; None before the first column
    for index, (typed_values, blank, found) in enumerate(columns):
        values.append(typed_values)
        if index == 0 or (empty is not None and empty.any()):
            empty = blank if index == 0 else (empty & blank if blank is not None else None)
        wrong += found
    blank = empty if fields and empty is not None else np.zeros(batch.num_rows, dtype=bool)
    blank_rows = np.flatnonzero(blank)
    ragged = [np.fromiter(chunk.extra, np.int64), np.fromiter(chunk.short, np.int64)]
    last = last_row([*(at for *_, at in wrong), blank_rows, *ragged], budget)
    wrong = [(i, order, kind, at[at <= last]) for i, order, kind, at in wrong]
    chunk.load([index for *_, at in wrong for index in at.tolist()])
    findings = [f for spec in wrong for f in _cell_errors(chunk, fields, *spec)]
    findings += _shape_errors(batch, chunk, fields, last)
    if len(blank_rows):
        skipped = set((blank_rows + first).tolist())
        findings = [f for f in findings if f[0][0] not in skipped]
        for index in blank_rows[blank_rows <= last].tolist():
            row = first + index
            cells = row_cells(batch, chunk, index)
            findings.append(((row, CELL, 0, 0), error("blank-row", row_number=row, cells=cells)))
    return Checked(findings, values, blank)


def last_row(rows: list[np.ndarray], budget: int) -> int:
    """Return the last row index whose findings can be among the first `budget` errors.

    Every row in `rows` brings at least one finding, so past the budget-th distinct row
    there are already `budget` findings before it.
    """
    if sum(len(r) for r in rows) <= budget:
        return 1 << 62
    distinct = np.unique(np.concatenate(rows))
    return int(distinct[budget - 1]) if len(distinct) >= budget else 1 << 62


def _column(column: pa.Array, index: int, field: Field, missing: list[str]) -> Column:
    """Type and check one column: its typed values, blank cells and wrong cells."""
    text = _without_missing(column, missing)
    typed_values, bad = typed(text, field)
    found = _wrong_cells(index, field, text, typed_values, bad)
    blank = _numpy(pc.is_null(text)) if text.null_count else None
    return typed_values, blank, found


def _without_missing(column: pa.Array, missing: list[str]) -> pa.Array:
    """Return the column with its missing values (and absent cells) as nulls."""
    if not missing:
        return column
    gone = equal_any(column, missing)
    if not gone.true_count:
        return column
    return pc.if_else(gone, pa.scalar(None, pa.string()), column)


def _numpy(mask: pa.Array) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False)


def _wrong_cells(
    index: int, field: Field, text: pa.Array, typed_values: pa.Array, bad: pa.Array
) -> Wrong:
    """Return the rows of the column's type errors and of each broken constraint."""
    masks = [("type", bad)] if bad.true_count else []
    for constraint in active(field):
        mask = broken(constraint, text, typed_values, bad, field)
        if mask.true_count:
            masks.append((constraint, mask))
    return [
        (index, order, kind, np.flatnonzero(_numpy(mask)))
        for order, (kind, mask) in enumerate(masks)
    ]


def _cell_errors(
    chunk: Chunk, fields: list[Field], index: int, order: int, kind: str, rows: np.ndarray
) -> list[Finding]:
    found: list[Finding] = []
    field = fields[index]
    number, name = index + 1, field["name"]
    if kind == "type":
        kind_, note = (
            "type-error",
            f'type is "{field.get("type", "string")}/{field.get("format", "default")}"',
        )
    else:
        kind_, note = "constraint-error", f'constraint "{kind}" is "{field["constraints"][kind]}"'
    for at in rows.tolist():
        row = chunk.first_row + at
        cells = chunk.cells(at)
        absent = index >= chunk.short.get(at, len(fields))
        cell = "None" if absent else cells[index]
        err = error(kind_, note, row_number=row, cell=cell, cells=cells,
                    field_name=name, field_number=number)  # fmt: skip
        found.append(((row, CELL, index, order), err))
    return found


def _shape_errors(
    batch: pa.RecordBatch, chunk: Chunk, fields: list[Field], last: int
) -> list[Finding]:
    """Return extra-cell and missing-cell errors of the rows whose length differs."""
    found: list[Finding] = []
    for at, extra in chunk.extra.items():
        if at > last:
            continue
        row, cells = chunk.first_row + at, row_cells(batch, chunk, at)
        for offset, cell in enumerate(extra):
            number = len(fields) + offset + 1
            err = error("extra-cell", row_number=row, field_number=number, field_name="",
                        cell=cell, cells=cells)  # fmt: skip
            found.append(((row, EXTRA, number, 0), err))
    for at, length in chunk.short.items():
        if at > last:
            continue
        row, cells = chunk.first_row + at, row_cells(batch, chunk, at)
        for index in range(length, len(fields)):
            err = error("missing-cell", row_number=row, field_number=index + 1,
                        field_name=fields[index]["name"], cell="", cells=cells)  # fmt: skip
            found.append(((row, MISSING, index, 0), err))
    return found


def row_cells(batch: pa.RecordBatch, chunk: Chunk, at: int) -> list[str]:
    """Return the row's cells as written, as frictionless lists them in an error."""
    return chunk.cells(at)
