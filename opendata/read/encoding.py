"""Text encodings: take the declared one or detect it, and decode strictly as UTF-8 bytes."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Problem

WINDOW = 1 << 19  # bytes from the first non-UTF-8 byte on given to charset-normalizer
CHUNK = 1 << 20  # bytes decoded at a time
NON_ASCII = re.compile(rb"[\x80-\xff]")


class BadByte(Exception):
    """A byte the encoding cannot decode, located in the file."""

    def __init__(self, byte: int, offset: int, line: int, after_non_ascii: bool) -> None:
        super().__init__(byte, offset, line)
        self.byte, self.offset, self.line = byte, offset, line
        self.after_non_ascii = after_non_ascii  # valid non-ASCII text came before it

    def problem(self, place: str, encoding: str) -> Problem:
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        message = _(
            "byte 0x{byte} at byte offset {offset} (line {line}) is not valid {encoding}.",
            byte=f"{self.byte:02X}",
            offset=self.offset,
            line=self.line,
            encoding=name,
        )
        return problem("encoding-error", place, message)


def declared(name: str, start: bytes, place: str) -> str:
    """Return the Python codec for a declared encoding, such as cp1252 for windows-1252."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        message = _("'{name}' is not a known text encoding.", name=name)
        hint = _("Declare utf-8 or windows-1252, or leave encoding out to detect it.")
        raise OpendataError(problem("encoding-error", place, message, hint=hint)) from None
    if codec in ("utf-8", "utf-8-sig"):  # a BOM is a signature, never part of the first label
        return "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
    return codec


def detect(path: Path, start: bytes) -> str:
    """Guess the encoding; Indonesian files are in practice UTF-8 or Windows-1252.

    The first non-ASCII character decides, wherever it is: one é on the last line can.
    Valid UTF-8 there means UTF-8 (a damaged byte later is then named by the reader);
    otherwise charset-normalizer chooses from the text around it.
    """
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    first = _first_non_ascii(path)
    if first is None:
        return "utf-8"
    with path.open("rb") as file:
        file.seek(first)
        sample = file.read(WINDOW)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample[:4])
        return "utf-8"  # a later damaged byte is named exactly when the file is read
    except UnicodeDecodeError as error:
        if error.start > 0:
            return "utf-8"
    sample = start + sample
    match = charset_normalizer.from_bytes(sample, cp_isolation=["cp1252", "utf_8"]).best()
    # No match means neither fits: UTF-8 then names the first bad byte when reading.
    return "cp1252" if match is not None and match.encoding == "cp1252" else "utf-8"


def _first_non_ascii(path: Path) -> int | None:
    """Return the offset of the file's first byte above 127, looking at C speed."""
    offset, chunk = 0, bytearray(CHUNK)
    with path.open("rb", buffering=0) as file:
        while size := file.readinto(chunk):
            read = chunk if size == CHUNK else chunk[:size]  # a slice would copy
            if not read.isascii():
                return offset + NON_ASCII.search(read).start()  # type: ignore[union-attr]
            offset += size
    return None


def utf8_chunks(path: Path, encoding: str, size: int = CHUNK) -> Iterator[bytes]:
    """Yield the file as UTF-8, `size` bytes read at a time, decoded strictly so that a bad
    byte is found where it is.

    Raises BadByte. A missing final line end is added: pyarrow cannot read a lone header.
    """
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    decoder = codecs.getincrementaldecoder(codec)("strict")
    lines, non_ascii, last = 0, False, b"\n"
    with path.open("rb") as file:
        bom = encoding == "utf-8-sig" and file.read(3) == codecs.BOM_UTF8
        offset = file.seek(3 if bom else 0)
        while chunk := file.read(size):
            held = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                before = codecs.decode(error.object[: error.start], codec, "replace")
                line = lines + before.count("\n") + 1
                non_ascii = non_ascii or not before.isascii()
                byte = error.object[error.start]
                raise BadByte(byte, offset - held + error.start, line, non_ascii) from None
            counted = chunk.count(b"\n") if codec == "utf-8" else text.count("\n")
            offset, lines = offset + len(chunk), lines + counted
            non_ascii = non_ascii or not chunk.isascii()
            out = chunk if codec == "utf-8" else text.encode("utf-8")
            last = out[-1:] or last
            yield out
    _finish(decoder, offset, lines, non_ascii)
    if last not in (b"\n", b"\r"):
        yield b"\n"


def _finish(decoder: codecs.IncrementalDecoder, offset: int, lines: int, non_ascii: bool) -> None:
    """Raise BadByte when the file ends inside a character."""
    held = decoder.getstate()[0]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise BadByte(held[0], offset - len(held), lines + 1, non_ascii) from None


class Utf8Stream(io.RawIOBase):
    """The file as a readable stream of UTF-8 bytes, for pyarrow."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._chunks = utf8_chunks(path, encoding)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill the whole buffer unless the file ends: pyarrow takes a short read as a block."""
        filled = 0
        while filled < len(buffer):
            if not self._pending:
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._pending = memoryview(chunk)
            size = min(len(buffer) - filled, len(self._pending))
            buffer[filled : filled + size] = self._pending[:size]
            self._pending = self._pending[size:]
            filled += size
        return filled
