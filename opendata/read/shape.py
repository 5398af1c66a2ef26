"""Check a CSV file's shape in one streaming pass: record sizes, quotes and header width.

The header is checked before any parser sees the file, so that 20,000 columns get a
clear message. The whole-file pass runs only when a parser fails or ends inside a quoted
value (see `check_shape`): then a 50 MB cell or a quote that is never closed gets a
message naming its line, in bounded memory, instead of the parser's words. Valid files,
nearly all of them, are not read twice.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.read.encoding import BadByte, utf8_chunks

MAX_RECORD = 1 << 22  # bytes in one row; the CSV parser's block must hold a whole row
MAX_COLUMNS = 5_000
HEADER_CHUNK = 1 << 16  # bytes read at a time while looking for the header's end


class _Scanner:
    """Follow records across chunks: quote state, current record size, line numbers."""

    def __init__(self, place: str) -> None:
        self.place = place
        self.inside = False  # within a quoted value
        self.line = 1  # the line being read
        self.record = 0  # bytes of the current record so far
        self.record_line = 1  # the line the current record starts on
        self.quote_line = 0  # the line the open quoted value starts on
        self.header = bytearray()  # the first record, for its width
        self.in_header = True

    def feed(self, chunk: bytes) -> None:
        if self.in_header:
            self._exact(chunk)
        elif b'"' in chunk:
            self._quoted(chunk)
        elif self.inside:
            self.line += chunk.count(b"\n")
            self.record += len(chunk)
            self._check()
        else:
            self._plain(chunk)

    def _quoted(self, chunk: bytes) -> None:
        """Take a chunk with quotes at C speed: sizes are kept to within one chunk."""
        parts = chunk.split(b'"')
        outside = b"".join(parts[1::2] if self.inside else parts[0::2])
        ends_inside = self.inside != (len(parts) % 2 == 0)
        if ends_inside:
            last = chunk.rfind(b'"')
            self.quote_line = self.line + chunk.count(b"\n", 0, last)
            if b"\n" in outside or not self.inside:
                self.record = len(chunk) - last
        elif b"\n" in outside:
            tail = parts[-1]
            self.record = len(tail) - tail.rfind(b"\n") - 1 if b"\n" in tail else len(tail)
            self.record_line = (
                self.line + chunk.count(b"\n") - tail[tail.rfind(b"\n") + 1 :].count(b"\n")
            )
        else:
            self.record += len(chunk)
        self.inside = ends_inside
        self.line += chunk.count(b"\n")
        self._check()

    def _exact(self, chunk: bytes) -> None:
        """Follow every quote: used for the header, whose width must be counted exactly."""
        parts = chunk.split(b'"')
        for index, part in enumerate(parts):
            if index:
                self.inside = not self.inside
                self.quote_line = self.line if self.inside else self.quote_line
                self._keep(b'"')
                self.record += 1
            if self.inside:
                self._keep(part)
                self.line += part.count(b"\n")
                self.record += len(part)
                self._check()
            else:
                self._plain(part)
                if not self.in_header:  # the header ended: the rest of the chunk at C speed
                    if index + 1 < len(parts):
                        self.feed(b'"' + b'"'.join(parts[index + 1 :]))
                    return

    def finish(self) -> None:
        if self.inside:
            self._fail(
                _(
                    'a quote (") opened on line {line} is never closed, '
                    "so the rest of the file would be one value.",
                    line=self.quote_line,
                ),
                _('Close the quote, or write a quote inside a value as two quotes ("").'),
            )

    def _plain(self, part: bytes) -> None:
        """Take text outside quotes: its line ends end records."""
        first = part.find(b"\n")
        if first < 0:
            self._keep(part)
            self.record += len(part)
            self._check()
            return
        self._keep(part[:first])
        self.in_header = False
        self.record += first
        self._check()
        count = part.count(b"\n")
        last = part.rfind(b"\n")
        if count > 1 and last - first > MAX_RECORD:  # only possible in an oversized chunk
            self._longest(part, first)
        self.line += count
        self.record = len(part) - last - 1
        self.record_line = self.line
        self._check()

    def _longest(self, part: bytes, first: int) -> None:
        line = self.line
        for text in part[first + 1 :].split(b"\n")[:-1]:
            line += 1
            if len(text) > MAX_RECORD:
                self.record, self.record_line = len(text), line
                self._check()

    def _keep(self, part: bytes) -> None:
        if self.in_header:
            self.header += part[: MAX_RECORD + 1 - len(self.header)]

    def _check(self) -> None:
        if self.record <= MAX_RECORD:
            return
        if self.inside:
            self._fail(
                _(
                    "a quoted value opened on line {line} runs past {most} MiB: "
                    "most likely its closing quote is missing.",
                    line=self.quote_line,
                    most=MAX_RECORD >> 20,
                ),
                _('Close the quote, or write a quote inside a value as two quotes ("").'),
            )
        self._fail(
            _(
                "the row starting on line {line} is longer than {most} MiB.",
                line=self.record_line,
                most=MAX_RECORD >> 20,
            ),
            _(
                "Split very long values (such as whole documents) into a separate file; "
                "a cell of a table holds a value, not a document."
            ),
        )

    def _fail(self, message: str, hint: str) -> None:
        raise OpendataError(problem("unreadable-file", self.place, message, hint=hint))


def check_shape(path: Path, encoding: str, place: str) -> bytes:
    """Decode the whole file strictly and check its shape; return its first record as UTF-8.

    Raises OpendataError naming the first undecodable byte, the row that is too long or
    the quote that is never closed. Readers call it when their parser fails, to say
    where and why.
    """
    scanner = _Scanner(place)
    try:
        for chunk in utf8_chunks(path, encoding):
            scanner.feed(chunk)
    except BadByte as bad:
        raise OpendataError(bad.problem(place, encoding)) from None
    scanner.finish()
    return bytes(scanner.header)


def ends_open(batch: pa.RecordBatch) -> bool:
    """Tell whether the last row holds a line break: a quote never closed would leave one.

    The parser takes a quote left open near the end as a value running to the end of the
    file; only then is the whole file scanned to tell which it is.
    """
    cells = [column[-1].as_py() for column in batch.columns]
    return any(cell and ("\n" in cell or "\r" in cell) for cell in cells)


def header_record(path: Path, encoding: str, place: str) -> bytes:
    """Return the file's first record as UTF-8, reading no further than it ends."""
    scanner = _Scanner(place)
    try:
        for chunk in utf8_chunks(path, encoding, size=HEADER_CHUNK):
            scanner.feed(chunk)
            if not scanner.in_header:
                return bytes(scanner.header)
    except BadByte as bad:
        raise OpendataError(bad.problem(place, encoding)) from None
    scanner.finish()
    return bytes(scanner.header)


def check_width(header: bytes, delimiter: str, place: str) -> None:
    """Refuse a header with more columns than any table a portal publishes."""
    outside = header.split(b'"')[::2]  # delimiters inside quoted names do not count
    columns = sum(part.count(delimiter.encode()) for part in outside) + 1
    if columns > MAX_COLUMNS:
        message = _(
            "the header on line 1 has {count} columns (at most {most}).",
            count=columns,
            most=MAX_COLUMNS,
        )
        hint = _("Publish such a table in long form: one row per item and a column naming it.")
        raise OpendataError(problem("unreadable-file", place, message, hint=hint))
