"""Read a raw file for validation: its labels, then its rows in Arrow batches with their shape.

The fast path lets pyarrow parse the CSV. When a row has more or fewer cells than the
header, or an empty line cannot be told from a row of empty cells, the file is read
again with Python's csv module, which keeps each row's exact cells; the checks over the
batches are the same either way.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from queue import Full, Queue

import pyarrow as pa
import pyarrow.csv as pacsv

from opendata.models import Resource, Source
from opendata.read.encoding import BadByte, Utf8Stream, utf8_chunks
from opendata.read.paced import Paced
from opendata.read.shape import check_shape, ends_open
from opendata.read.signature import head
from opendata.read.workbook import read_xlsx

BLOCK = 1 << 22


class Ragged(Exception):
    """A row whose cells do not match the header: the fast path gives way."""


class Unreadable(Exception):
    """The file cannot be parsed; `note` says why, in frictionless's words where it has them."""

    def __init__(self, kind: str, note: str) -> None:
        super().__init__(note)
        self.kind, self.note = kind, note


@dataclass
class Chunk:
    """Consecutive data rows: their cells as text, absent cells as nulls."""

    batch: pa.RecordBatch  # one string column per label
    first_row: int  # frictionless row number of the first row (the header is row 1)
    extra: dict[int, list[str]] = field(default_factory=dict)  # row index → cells past the header
    short: dict[int, int] = field(default_factory=dict)  # row index → cells it has, when fewer
    _cells: dict[int, list[str]] = field(default_factory=dict)

    def cells(self, at: int) -> list[str]:
        """Return row `at`'s cells as written, as frictionless lists them in an error."""
        if at not in self._cells:
            self.load([at])
        return self._cells[at]

    def load(self, rows: list[int]) -> None:
        """Read the cells of many rows in one go: errors come by the thousand."""
        wanted = sorted(set(rows) - self._cells.keys())
        if not wanted:
            return
        rows = self.batch.take(pa.array(wanted, pa.int64()))  # one call: few GIL hand-overs
        columns = [column.to_pylist() for column in rows.columns]
        for index, row in zip(wanted, zip(*columns, strict=True), strict=True):
            width = self.short.get(index, len(row))
            cells = ["" if c is None else c for c in row[:width]]
            self._cells[index] = cells + self.extra.get(index, [])


@dataclass
class Rows:
    labels: list[str]
    chunks: Iterator[Chunk]

    def close(self) -> None:
        """Stop reading: the threads behind `chunks` end before this returns."""
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def open_rows(
    resource: Resource, source: Source, *, exact: bool, place: str = "", batch_rows: int = 1 << 16
) -> Rows:
    """Return the labels and row chunks; `exact` asks for the Python reader from the start.

    A row too long to parse or a quote never closed raises OpendataError naming `place`.
    """
    place = place or resource.relpath
    if source.format == "xlsx":
        table = read_xlsx(resource.path, source.sheet, resource.relpath, batch_rows)
        return Rows(list(table.labels), _numbered(table.batches))
    labels = _labels(resource, source)
    if labels is None:
        return Rows([], iter(()))
    if exact:
        return Rows(labels, _python_chunks(resource, source, len(labels), batch_rows, place))
    return Rows(labels, ahead(_arrow_chunks(resource, source, labels, place)))


def ahead(chunks: Iterator[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """Parse the next chunks in a thread while the current one is checked.

    pyarrow parses without holding the GIL, so the two cores work at once.
    """
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        queue.put((chunk, None), timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put((None, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            queue.put((None, exc))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # in this thread, which the generator runs in

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while True:
            chunk, exc = queue.get()
            if exc is not None:
                raise exc
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()
        worker.join()


def _numbered(batches: Iterator[pa.RecordBatch]) -> Iterator[Chunk]:
    row = 2
    for batch in batches:
        yield Chunk(batch, row)
        row += batch.num_rows


def _text_stream(resource: Resource, source: Source) -> io.TextIOBase:
    codec = "utf-8-sig" if source.encoding in ("utf-8", "utf-8-sig") else source.encoding
    return open(resource.path, encoding=codec or "utf-8-sig", newline="", errors="strict")


def _reader(text: io.TextIOBase, source: Source):
    return csv.reader(text, delimiter=source.delimiter or ",", quotechar='"', doublequote=True)


def _labels(resource: Resource, source: Source) -> list[str] | None:
    """Read the header row as csv does; None for a file without any row."""
    try:
        with _text_stream(resource, source) as text:
            row = next(_reader(text, source), None)
    except UnicodeDecodeError:
        _bad_encoding(resource, source)
    except csv.Error as error:
        raise Unreadable("source-error", str(error)) from None
    return row


def _bad_encoding(resource: Resource, source: Source) -> None:
    """Raise an encoding-error naming the first undecodable byte."""
    try:
        for _ in utf8_chunks(resource.path, source.encoding or "utf-8"):
            pass
    except BadByte as bad:
        name = "utf-8" if source.encoding in ("", "utf-8-sig") else source.encoding
        note = (
            f"byte 0x{bad.byte:02X} at byte offset {bad.offset} (line {bad.line}) "
            f"is not valid {name}"
        )
        raise Unreadable("encoding-error", note) from None
    raise Unreadable("encoding-error", f"the file is not valid {source.encoding}")


def _arrow_chunks(
    resource: Resource, source: Source, labels: list[str], place: str
) -> Iterator[Chunk]:
    """Parse with pyarrow; raise Ragged at the first row that does not fit the header."""
    names = [f"f{i}" for i in range(len(labels))]

    ragged: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        ragged.append(row)  # exceptions raised here are lost: pyarrow's own error follows
        return "error"

    utf8 = source.encoding in ("utf-8", "utf-8-sig", "")
    raw = resource.path.open("rb") if utf8 else Utf8Stream(resource.path, source.encoding)
    stream = Paced(raw)
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                block_size=BLOCK, column_names=names, skip_rows=1, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=source.delimiter or ",",
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        row, last = 2, None
        for batch in stream.taken(reader):
            yield Chunk(batch, row)
            row += batch.num_rows
            last = batch if batch.num_rows else last
        if last is not None and ends_open(last):
            check_shape(resource.path, source.encoding or "utf-8", place)
    except BadByte:
        _bad_encoding(resource, source)
    except pa.ArrowInvalid as error:
        if ragged:
            raise Ragged() from None
        if "Empty CSV" in str(error):
            return
        if "UTF8" in str(error) or "UTF-8" in str(error):
            _bad_encoding(resource, source)
        check_shape(resource.path, source.encoding or "utf-8", place)  # raises, saying where
        raise Unreadable("source-error", str(error).removeprefix("CSV parse error: ")) from None


def _python_chunks(
    resource: Resource, source: Source, width: int, batch_rows: int, place: str
) -> Iterator[Chunk]:
    """Read every row with csv, keeping rows' own lengths; absent cells become nulls."""
    try:
        with _text_stream(resource, source) as text:
            rows = _reader(text, source)
            next(rows, None)
            first, last = 2, None
            while block := list(itertools.islice(rows, batch_rows)):
                last = _chunk(block, width, first)
                yield last
                first += len(block)
        if last is not None and ends_open(last.batch):
            check_shape(resource.path, source.encoding or "utf-8", place)
    except UnicodeDecodeError:
        _bad_encoding(resource, source)
    except csv.Error as error:
        check_shape(resource.path, source.encoding or "utf-8", place)  # raises, saying where
        raise Unreadable("source-error", str(error)) from None


def _chunk(block: list[list[str]], width: int, first: int) -> Chunk:
    extra: dict[int, list[str]] = {}
    short: dict[int, int] = {}
    for index, row in enumerate(block):
        if len(row) > width:
            extra[index] = row[width:]
        elif len(row) < width:
            short[index] = len(row)
    columns = [
        pa.array([row[i] if i < len(row) else None for row in block], pa.string())
        for i in range(width)
    ]
    batch = pa.RecordBatch.from_arrays(columns, names=[f"f{i}" for i in range(width)])
    return Chunk(batch, first, extra, short)


def needs_exact(resource: Resource, source: Source) -> bool:
    """Tell whether the header spans lines, which pyarrow's skip_rows would miscount."""
    if source.format == "xlsx":
        return False
    start = head(resource.path)
    codec = "utf-8" if source.encoding in ("", "utf-8-sig") else source.encoding
    text = codecs.decode(start.removeprefix(codecs.BOM_UTF8), codec, "replace")
    first = next(iter(text.splitlines(keepends=True)), "")
    return first.count('"') % 2 == 1
