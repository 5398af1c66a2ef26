"""JSON: an array of one object per row, its text built by vectorized pyarrow operations.

Each column's values become their JSON text at once, and the rows are joined from them,
a batch at a time: the bytes are those `json.dumps(row, ensure_ascii=False)` gives for
each row as a dict, which an earlier writer called row by row, ten times slower.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from opendata.convert.zones import iso_text

# What json.dumps escapes in a string, backslash first: the other escapes contain one.
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
RARE_ESCAPES = {"\b": "\\b", "\f": "\\f"} | {
    chr(code): f"\\u{code:04x}" for code in range(0x20) if chr(code) not in "\b\f\n\r\t"
}
NEEDS_ESCAPE = r'[\x00-\x1f"\\]'
NEEDS_RARE_ESCAPE = r"[\x00-\x08\x0b-\x0c\x0e-\x1f]"


class JsonWriter:
    """JSON: an array of one object per row, keys in column order; NaN and ±INF become null.

    Dates and datetimes are ISO text, with the UTC offset in a zoned column; floats are
    written as Python writes them (1.0, 1e+16, 0.30000000000000004).
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        # A name given twice keeps its first place and its last column, as a dict would.
        last = {name: i for i, name in enumerate(schema.names)}
        self.columns = list(last.values())
        keys = [json.dumps(name, ensure_ascii=False) + ": " for name in last]
        self.pieces = ["{" + key if i == 0 else ", " + key for i, key in enumerate(keys)]
        self.file = path.open("wb")
        self.file.write(b"[")
        self.first = True

    def __enter__(self) -> JsonWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.write(b"]\n" if self.first else b"\n]\n")
        self.file.close()

    def write(self, batch: pa.RecordBatch) -> None:
        if not batch.num_rows or not self.columns:  # a table without columns has no rows
            return
        parts: list[pa.Array | str] = []
        for piece, i in zip(self.pieces, self.columns, strict=True):
            parts += [piece, _value_text(batch.column(i))]
        rows = pc.binary_join_element_wise(*parts, "}", "")
        whole = pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows)
        self.file.write(b"\n" if self.first else b",\n")
        self.file.write(pc.binary_join(whole, ",\n")[0].as_buffer())
        self.first = False


def _value_text(values: pa.Array) -> pa.Array:
    """Return each value's JSON text: "null" for a null and for NaN or ±INF."""
    kind = values.type
    if pa.types.is_boolean(kind):
        text = pc.if_else(values, "true", "false")
    elif pa.types.is_integer(kind):
        text = pc.cast(values, pa.string())
    elif pa.types.is_float32(kind) or pa.types.is_float64(kind):
        text = _float_text(pc.cast(values, pa.float64()))  # exact, as Python reads a float32
    elif pa.types.is_timestamp(kind):  # ISO text: digits and "-:T+", nothing to escape
        text = _quoted(iso_text(values))
    elif pa.types.is_date(kind):
        text = _quoted(pc.cast(values, pa.string()))
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = _string_text(pc.cast(values, pa.string()))
    else:  # no type the converter gives: each value as json.dumps writes it
        dumped = [json.dumps(v, ensure_ascii=False, allow_nan=False) for v in values.to_pylist()]
        text = pa.array(dumped, pa.string())
    return pc.fill_null(text, "null")


def _float_text(values: pa.Array) -> pa.Array:
    """Return finite floats as Python's repr writes them, others as null.

    Arrow writes 1 for 1.0, 1e-7 for 1e-07 and 0.00001 for 1e-05, so each distinct
    value is written by Python once and the texts are taken back to the rows. Values
    are told apart by their bits, which keeps -0.0 apart from 0.0.
    """
    finite = pc.if_else(pc.is_finite(values), values, None)
    codes = pc.dictionary_encode(finite.view(pa.int64()))
    distinct = codes.dictionary.view(pa.float64()).to_pylist()
    texts = pa.array(list(map(float.__repr__, distinct)), pa.string())
    return pc.take(texts, codes.indices)


def _string_text(text: pa.Array) -> pa.Array:
    """Return strings quoted and escaped as json.dumps does; non-ASCII stays as it is."""
    need = pc.fill_null(pc.match_substring_regex(text, NEEDS_ESCAPE), False)
    if pc.any(need).as_py():
        escaped = text.filter(need)
        for char, escape in ESCAPES.items():
            escaped = pc.replace_substring(escaped, char, escape)
        if pc.any(pc.match_substring_regex(escaped, NEEDS_RARE_ESCAPE)).as_py():
            for char, escape in RARE_ESCAPES.items():
                escaped = pc.replace_substring(escaped, char, escape)
        text = pc.replace_with_mask(text, need, escaped)
    return _quoted(text)


def _quoted(text: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise('"', text, '"', "")
