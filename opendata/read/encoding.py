"""Text encodings: take the declared one or detect it, and decode strictly as UTF-8 bytes."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer

from opendata.errors import OpendataError, problem
from opendata.models import Problem

WINDOW = 1 << 19  # bytes from the first non-UTF-8 byte on given to charset-normalizer
CHUNK = 1 << 20  # bytes decoded at a time


class BadByte(Exception):
    """A byte the encoding cannot decode, located in the file."""

    def __init__(self, byte: int, offset: int, line: int, after_non_ascii: bool) -> None:
        super().__init__(byte, offset, line)
        self.byte, self.offset, self.line = byte, offset, line
        self.after_non_ascii = after_non_ascii  # valid non-ASCII text came before it

    def problem(self, place: str, encoding: str) -> Problem:
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        message = (
            f"byte 0x{self.byte:02X} at byte offset {self.offset} (line {self.line}) "
            f"is not valid {name}."
        )
        return problem("encoding-error", place, message)


def declared(name: str, start: bytes, place: str) -> str:
    """Return the Python codec for a declared encoding, such as cp1252 for windows-1252."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        message = f"'{name}' is not a known text encoding."
        hint = "Declare utf-8 or windows-1252, or leave encoding out to detect it."
        raise OpendataError(problem("encoding-error", place, message, hint=hint)) from None
    if codec in ("utf-8", "utf-8-sig"):  # a BOM is a signature, never part of the first label
        return "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
    return codec


def detect(path: Path, start: bytes) -> str:
    """Guess the encoding; Indonesian files are in practice UTF-8 or Windows-1252.

    The whole file is checked as UTF-8, since one é on the last line decides it.
    """
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    try:
        for _ in utf8_chunks(path, "utf-8"):
            pass
        return "utf-8"
    except BadByte as bad:
        if bad.after_non_ascii:
            return "utf-8"  # UTF-8 with a damaged byte: reading reports exactly where
        with path.open("rb") as file:
            file.seek(bad.offset)
            sample = start + file.read(WINDOW)
    match = charset_normalizer.from_bytes(sample, cp_isolation=["cp1252", "utf_8"]).best()
    # No match means neither fits: UTF-8 then names the first bad byte when reading.
    return "cp1252" if match is not None and match.encoding == "cp1252" else "utf-8"


def check_decodes(path: Path, encoding: str, place: str) -> None:
    """Raise an encoding-error naming the first undecodable byte's offset and line.

    Done before validation so the officer learns where the bad byte is, not only that
    one exists somewhere.
    """
    try:
        for _ in utf8_chunks(path, encoding):
            pass
    except BadByte as bad:
        raise OpendataError(bad.problem(place, encoding)) from None


def utf8_chunks(path: Path, encoding: str) -> Iterator[bytes]:
    """Yield the file as UTF-8, decoded strictly so that a bad byte is found where it is.

    Raises BadByte. A missing final line end is added: pyarrow cannot read a lone header.
    """
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    decoder = codecs.getincrementaldecoder(codec)("strict")
    lines, non_ascii, last = 0, False, b"\n"
    with path.open("rb") as file:
        bom = encoding == "utf-8-sig" and file.read(3) == codecs.BOM_UTF8
        offset = file.seek(3 if bom else 0)
        while chunk := file.read(CHUNK):
            held = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                before = codecs.decode(error.object[: error.start], codec, "replace")
                line = lines + before.count("\n") + 1
                non_ascii = non_ascii or not before.isascii()
                byte = error.object[error.start]
                raise BadByte(byte, offset - held + error.start, line, non_ascii) from None
            offset, lines = offset + len(chunk), lines + text.count("\n")
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
