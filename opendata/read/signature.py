"""Tell what a file is from its first bytes, whatever its name says."""

from __future__ import annotations

import codecs
from pathlib import Path

from opendata.i18n import N_

SAMPLE = 1 << 16  # bytes looked at to tell the kind of file and the delimiter
SIGNATURES = (
    (b"PK\x03\x04", N_("a ZIP archive (an XLSX workbook is one)")),
    (b"\xd0\xcf\x11\xe0", N_("an Excel 97-2003 (.xls) workbook")),
    (b"%PDF", N_("a PDF document")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"PK\x05\x06", N_("an empty ZIP archive")),
    (b"Rar!\x1a\x07", N_("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
)
MARKUP = (b"<!doctype", b"<html", b"<?xml", b"<table", b"<head", b"<body")


def head(path: Path) -> bytes:
    """Return the file's first bytes."""
    with path.open("rb") as file:
        return file.read(SAMPLE)


def kind(start: bytes) -> str:
    """Name what the first bytes look like: a known binary format, a web page or "text".

    The name is English, marked for translation: messages show it through `_()`.

    Portals often serve an HTML page, or an old .xls, under an .xlsx or .csv name.
    """
    for magic, name in SIGNATURES:
        if start.startswith(magic):
            return name
    if start.removeprefix(codecs.BOM_UTF8).lstrip()[:16].lower().startswith(MARKUP):
        return N_("an HTML or XML page")
    return "text"
