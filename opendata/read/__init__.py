"""Read a raw CSV or XLSX file as Arrow record batches of strings.

Every cell stays text exactly as written: typing is the schema's job, in validate and
convert. CSV files are streamed, so memory does not grow with the file.
"""

from __future__ import annotations

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Resource, Source, Table
from opendata.read.delimited import delimiter, read_csv
from opendata.read.encoding import declared, detect
from opendata.read.shape import check_width, header_record
from opendata.read.signature import SAMPLE, head, kind
from opendata.read.workbook import read_xlsx, sheet

__all__ = ["Table", "read", "sniff"]


def sniff(resource: Resource, *, place: str) -> Source:
    """Return how to read the file: declared settings first, detected ones otherwise.

    `place` is the file's path relative to the catalogue root, for messages.
    """
    if resource.format not in ("csv", "xlsx"):
        message = _(
            "'{format}' files cannot be read; only CSV and XLSX can.", format=resource.format
        )
        raise OpendataError(problem("unknown-format", place, message))
    start = head(resource.path)
    if resource.format == "xlsx":
        return Source("xlsx", "", "", sheet(resource.path, resource.sheet, start, place))
    what = kind(start)
    if what != "text":
        message = _("the file is {what}, not CSV text.", what=_(what))
        raise OpendataError(problem("unreadable-file", place, message))
    if resource.encoding:
        encoding = declared(resource.encoding, start, place)
    else:
        encoding = detect(resource.path, start)
    header = header_record(resource.path, encoding, place)
    text = start.decode(encoding, errors="replace")
    found = resource.delimiter or delimiter(text, complete=len(start) < SAMPLE)
    check_width(header, found, place)
    return Source("csv", encoding, found, "")


def read(resource: Resource, source: Source, *, place: str = "", batch_rows: int = 65_536) -> Table:
    """Return the file's header and an iterator over its data rows, `batch_rows` at a time.

    A byte the encoding cannot decode or a broken row raises OpendataError, here if it is
    in the first block read, otherwise while iterating; messages name `place` (by default
    the resource's relpath).
    """
    place = place or resource.relpath
    if source.format == "xlsx":
        return read_xlsx(resource.path, source.sheet, place, batch_rows)
    return read_csv(resource.path, source, place, batch_rows)
