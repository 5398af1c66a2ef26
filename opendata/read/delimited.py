"""CSV: detect the delimiter and stream the rows through pyarrow, every cell as text."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Source, Table
from opendata.read.encoding import BadByte, Utf8Stream
from opendata.read.paced import Paced
from opendata.read.shape import check_shape, ends_open, header_record
from opendata.read.signature import head

BLOCK = 1 << 22  # pyarrow's block size: one CSV record must fit in a block
DELIMITERS = (",", ";", "\t")  # in order of preference when equally likely
ROWS = 50  # rows looked at to detect the delimiter


def delimiter(text: str, *, complete: bool) -> str:
    """Pick the delimiter giving the widest header that the first rows agree with.

    `complete` says the text is the whole file; otherwise its cut last row is ignored.
    """
    best, best_score = ",", (0.0, 1)
    for candidate in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=candidate)
        try:
            rows = list(itertools.islice(reader, ROWS))
        except csv.Error:
            continue
        rows = [row for row in (rows if complete else rows[:-1] or rows) if row]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(row) == width for row in rows) / len(rows), width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(path: Path, source: Source, place: str, batch_rows: int) -> Table:
    """Return the header and the data rows in batches of exactly `batch_rows` rows."""
    if not head(path).removeprefix(codecs.BOM_UTF8).strip():
        return Table((), iter(()))
    invalid: list[pacsv.InvalidRow] = []
    with _reading(path, place, source.encoding, invalid):
        # Names are given, so that the header arrives as a row of text and no column's
        # type is inferred; pyarrow counts them in the header record alone.
        width = _width(header_record(path, source.encoding, place), source)
        reader, stream = _open(path, source, invalid, [f"f{index}" for index in range(width)])
        rows = stream.taken(reader)
        first = next((batch for batch in rows if batch.num_rows), None)
    if first is None:
        return Table((), iter(()))
    labels = tuple(column[0].as_py() for column in first.columns)
    batches = _rebatch(itertools.chain([first.slice(1)], rows), batch_rows, first.schema)
    return Table(labels, _checked(batches, labels, path, place, source.encoding, invalid))


def _width(header: bytes, source: Source) -> int:
    """Count the header's columns as pyarrow parses them."""
    options = pacsv.ParseOptions(
        delimiter=source.delimiter or ",", newlines_in_values=True, escape_char=False
    )
    read = pacsv.ReadOptions(autogenerate_column_names=True)
    return pacsv.read_csv(io.BytesIO(header + b"\n"), read, options).num_columns


def _open(
    path: Path, source: Source, invalid: list[pacsv.InvalidRow], names: list[str]
) -> tuple[pacsv.CSVStreamingReader, Paced]:
    """Open pyarrow's reader over the file as UTF-8; the stream paces its reading."""

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)  # kept to name the row in the message
        return "error"

    stream = Paced(Utf8Stream(path, source.encoding))
    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(block_size=BLOCK, column_names=names),
        parse_options=pacsv.ParseOptions(
            delimiter=source.delimiter or ",",
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            invalid_row_handler=on_invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return reader, stream


@contextmanager
def _reading(
    path: Path, place: str, encoding: str, invalid: list[pacsv.InvalidRow]
) -> Iterator[None]:
    """Turn decoding and parsing failures into problems naming the file and line."""
    try:
        yield
    except BadByte as bad:
        raise OpendataError(bad.problem(place, encoding)) from None
    except pa.ArrowException as error:
        message = str(error).removeprefix("CSV parse error: ")
        if invalid:
            row = invalid[-1]
            values = {
                "cells": row.actual_columns,
                "header": row.expected_columns,
                "text": repr(row.text),
            }
            message = (
                _(
                    "a row (line {line}) has {cells} cells where the header has {header}: {text}.",
                    line=row.number,
                    **values,
                )
                if row.number
                else _("a row has {cells} cells where the header has {header}: {text}.", **values)
            )
        else:
            check_shape(path, encoding, place)  # raises, naming the line, when it finds why
        raise OpendataError(problem("unreadable-file", place, message)) from None


def _checked(
    batches: Iterable[pa.RecordBatch],
    labels: tuple[str, ...],
    path: Path,
    place: str,
    encoding: str,
    invalid: list[pacsv.InvalidRow],
) -> Iterator[pa.RecordBatch]:
    with _reading(path, place, encoding, invalid):
        last = None
        for batch in batches:
            last = batch if batch.num_rows else last
            yield pa.RecordBatch.from_arrays(batch.columns, names=list(labels))
        if last is not None and ends_open(last):
            check_shape(path, encoding, place)


def _rebatch(
    batches: Iterable[pa.RecordBatch], rows: int, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """Yield batches of exactly `rows` rows (the last may be shorter), whatever pyarrow gives.

    Equal batches make equal Parquet row groups, so the output does not depend on blocks.
    """
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pa.Table.from_batches(pending, schema)
            yield table.slice(0, rows).combine_chunks().to_batches()[0]
            pending, count = table.slice(rows).to_batches(), count - rows
    if count:
        yield pa.Table.from_batches(pending, schema).combine_chunks().to_batches()[0]
