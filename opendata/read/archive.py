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
from opendata.i18n import _

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
        message = _(
            "the file is a ZIP archive but not a readable XLSX workbook ({error}).", error=error
        )
        raise OpendataError(problem("unreadable-file", place, message)) from None
    try:
        with archive:
            members = archive.infolist()
            _check_sizes(members, place)
            for member in members:
                _check_member(archive, member, place)
    except zipfile.BadZipFile as error:
        message = _(
            "the workbook's ZIP archive is damaged or its sizes are false ({error}).", error=error
        )
        raise OpendataError(problem("unreadable-file", place, message)) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as error:
        message = _("the workbook's ZIP archive cannot be read ({error}).", error=error)
        raise OpendataError(problem("unreadable-file", place, message)) from None


def _check_sizes(members: list[zipfile.ZipInfo], place: str) -> None:
    """Refuse on the sizes the archive declares, before decompressing anything."""
    if len(members) > MAX_MEMBERS:
        message = _(
            "the workbook holds {count} files (at most {most}).",
            count=len(members),
            most=MAX_MEMBERS,
        )
        _refuse(place, message)
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL:
        message = _(
            "the workbook unpacks to {size} (at most {most}).",
            size=_mib(total),
            most=_mib(MAX_TOTAL),
        )
        _refuse(place, message)
    for member in members:
        if member.file_size > MAX_MEMBER:
            size = _mib(member.file_size)
            message = _(
                '"{name}" unpacks to {size} (at most {most}).',
                name=member.filename,
                size=size,
                most=_mib(MAX_MEMBER),
            )
            _refuse(place, message)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            _refuse(
                place,
                _(
                    '"{name}" is compressed {ratio} times (at most {most}): '
                    "a ZIP bomb, not a spreadsheet.",
                    name=member.filename,
                    ratio=f"{ratio:.0f}",
                    most=MAX_RATIO,
                ),
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
                    _(
                        '"{name}" declares XML entities (a DTD): an XML bomb, not a spreadsheet.',
                        name=member.filename,
                    ),
                )
            tail = window[-16:]


def _refuse(place: str, message: str) -> None:
    hint = _(
        "Open the file in a spreadsheet program and save it again as XLSX; "
        "never publish a file you did not make."
    )
    raise OpendataError(problem("unreadable-file", place, message, hint=hint))


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.0f} MiB"
