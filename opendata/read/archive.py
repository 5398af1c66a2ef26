"""Check an XLSX file's ZIP structure before any XML parser sees it.

A workbook is a ZIP of XML files. A ZIP bomb declares or hides gigabytes behind a few
kilobytes; an XML entity bomb (a DTD with nested entities) expands inside the parser.
Both are refused here: the sizes the archive declares are checked first, then every
member is decompressed once in small chunks, which proves the sizes true (Python's
zipfile stops at the declared size and checks the CRC) and finds any DTD. Memory stays
at one chunk whatever the archive holds.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from opendata.errors import OpendataError, problem

MAX_MEMBERS = 10_000
MAX_MEMBER = 256 << 20  # one sheet's XML; about ten million cells
MAX_TOTAL = 512 << 20
MAX_RATIO = 200  # real sheets compress 5 to 50 times; bombs a thousand times
RATIO_FROM = 1 << 20  # small members may compress as they like
CHUNK = 1 << 20
DTD = (b"<!DOCTYPE", b"<!ENTITY")


def check_archive(path: Path, place: str) -> None:
    """Raise OpendataError when the workbook's ZIP is a bomb, carries a DTD or is broken."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        message = f"the file is a ZIP archive but not a readable XLSX workbook ({error})."
        raise OpendataError(problem("unreadable-file", place, message)) from None
    try:
        with archive:
            members = archive.infolist()
            _check_sizes(members, place)
            for member in members:
                _check_member(archive, member, place)
    except zipfile.BadZipFile as error:
        message = f"the workbook's ZIP archive is damaged or its sizes are false ({error})."
        raise OpendataError(problem("unreadable-file", place, message)) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as error:
        message = f"the workbook's ZIP archive cannot be read ({error})."
        raise OpendataError(problem("unreadable-file", place, message)) from None


def _check_sizes(members: list[zipfile.ZipInfo], place: str) -> None:
    """Refuse on the sizes the archive declares, before decompressing anything."""
    if len(members) > MAX_MEMBERS:
        _refuse(place, f"the workbook holds {len(members)} files (at most {MAX_MEMBERS}).")
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL:
        _refuse(place, f"the workbook unpacks to {_mib(total)} (at most {_mib(MAX_TOTAL)}).")
    for member in members:
        if member.file_size > MAX_MEMBER:
            size = _mib(member.file_size)
            _refuse(place, f'"{member.filename}" unpacks to {size} (at most {_mib(MAX_MEMBER)}).')
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            _refuse(
                place,
                f'"{member.filename}" is compressed {ratio:.0f} times (at most {MAX_RATIO}): '
                "a ZIP bomb, not a spreadsheet.",
            )


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, place: str) -> None:
    """Decompress one member in chunks: its true size must be its declared one, with no DTD."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if any(mark in window for mark in DTD):
                _refuse(
                    place,
                    f'"{member.filename}" declares XML entities (a DTD): an XML bomb, '
                    "not a spreadsheet.",
                )
            tail = window[-16:]


def _refuse(place: str, message: str) -> None:
    hint = "Open the file in a spreadsheet program and save it again as XLSX; never publish a file you did not make."
    raise OpendataError(problem("unreadable-file", place, message, hint=hint))


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.0f} MiB"
