"""The output formats: normalized CSV, typed Parquet, JSON and XLSX (convert/json_text.py, xlsx.py), batch by batch."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opendata.convert.json_text import JsonWriter
from opendata.convert.xlsx import XlsxWriter
from opendata.convert.zones import iso_text


class _CsvWriter:
    """Normalized CSV: UTF-8, commas, "\\n" line ends, quotes only where needed (RFC 4180).

    pyarrow's own writer quotes every string, so the text is assembled here, vectorized.
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.file = path.open("wb")
        self.file.write((",".join(map(_quoted, schema.names)) + "\n").encode("utf-8"))

    def __enter__(self) -> _CsvWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def write(self, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        lines = pc.binary_join_element_wise(*map(_csv_text, batch.columns), ",")
        whole = pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines)
        self.file.write(pc.binary_join(whole, "\n")[0].as_buffer())
        self.file.write(b"\n")


def _quoted(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def _csv_text(values: pa.Array) -> pa.Array:
    """Return the column as CSV cells: ISO dates, "." decimals, true/false, null as empty.

    A datetime in a zoned column ends with its offset: 2026-09-14T00:00:00+08:00.
    """
    if pa.types.is_timestamp(values.type):
        text = iso_text(values)
    elif pa.types.is_floating(values.type):
        text = _float_text(values)
    else:
        text = pc.cast(values, pa.string())
    text = pc.fill_null(text, "")
    need = pc.match_substring_regex(text, r'[",\r\n]')
    if not pc.any(need).as_py():
        return text
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(need, quoted, text)


def _float_text(values: pa.Array) -> pa.Array:
    """Write floats in their shortest round-trip form, whole ones without an exponent.

    pyarrow writes 1.25e+12 from 1e10 up: budgets in rupiah would all read so.
    """
    whole = pc.and_(pc.is_finite(values), pc.equal(values, pc.floor(values)))
    whole = pc.and_(whole, pc.less(pc.abs(values), 2.0**63))
    integers = pc.cast(pc.cast(pc.if_else(whole, values, None), pa.int64()), pa.string())
    text = pc.if_else(whole, integers, pc.cast(values, pa.string()))
    text = pc.replace_substring_regex(text, r"^(-?)inf$", r"\1INF")  # Table Schema's spelling
    return pc.replace_substring_regex(text, r"^-?nan$", "NaN")


class _ParquetWriter:
    """Typed Parquet, zstd, one row group per batch."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")

    def __enter__(self) -> _ParquetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.writer.close()

    def write(self, batch: pa.RecordBatch) -> None:
        self.writer.write_batch(batch)


Writer = _CsvWriter | _ParquetWriter | JsonWriter | XlsxWriter

WRITERS: dict[str, type[Writer]] = {
    "csv": _CsvWriter,
    "parquet": _ParquetWriter,
    "json": JsonWriter,
    "xlsx": XlsxWriter,
}
