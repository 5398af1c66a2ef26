"""Key sets for primaryKey, unique, uniqueKeys and foreignKeys: compact, streaming, exact.

Keys seen so far are kept as a few sorted NumPy runs of values (8 bytes for a number or
date, the text's bytes for text) with the row each was first seen in; runs merge as they
grow, like a log-structured tree. Memory grows with the number of distinct keys only, and
each batch costs a sort of the batch and a binary search per run.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NUMERIC = (pa.types.is_integer, pa.types.is_floating, pa.types.is_temporal, pa.types.is_boolean)
SEPARATOR = "\x1f"  # joins the parts of a composite key; a unit separator never typed in data
NULL = "\x00"  # stands for a missing part of a composite key
LARGEST_RUN = 1 << 21  # keys; larger runs are not merged, so a merge never doubles memory


def as_text(types: list[pa.DataType]) -> bool:
    """Tell whether keys of these Arrow types are compared as text rather than as numbers."""
    return len(types) != 1 or not any(test(types[0]) for test in NUMERIC)


def encode(columns: list[pa.Array], text: bool) -> np.ndarray:
    """Return one comparable NumPy value per row for the key made of `columns`."""
    if not text:
        column = columns[0]
        if pa.types.is_floating(column.type):
            return column.to_numpy(zero_copy_only=False)
        if pa.types.is_date32(column.type):
            column = pc.cast(column, pa.int32())
        column = pc.cast(column, pa.int64())
        return pc.fill_null(column, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    parts = [pc.fill_null(pc.cast(c, pa.string()), NULL) for c in columns]
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, SEPARATOR)
    return np.array([s.encode("utf-8") for s in joined.to_pylist()], dtype=np.bytes_)


class KeySet:
    """The distinct keys seen so far, each with the row it was first seen in."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.runs)

    def add(self, keys: np.ndarray, rows: np.ndarray) -> list[tuple[int, int]]:
        """Add the keys of consecutive rows; return (row, earlier row) for each repeated key."""
        if not len(keys):
            return []
        if len(keys) == 1 or bool(np.all(keys[1:] > keys[:-1])):
            ordered, ordered_rows = keys, rows  # already sorted and distinct, as ids usually are
        else:
            order = np.argsort(keys, kind="stable")
            ordered, ordered_rows = keys[order], rows[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        earlier = self.find(ordered[first])
        group = np.cumsum(first) - 1
        seen = np.where(earlier >= 0, earlier, ordered_rows[first])[group]
        repeated = ~first | (earlier >= 0)[group]
        fresh = first.copy()
        fresh[first] = earlier < 0
        self._push(ordered[fresh], ordered_rows[fresh].astype(np.uint32))
        return sorted(zip(ordered_rows[repeated].tolist(), seen[repeated].tolist(), strict=True))

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """Return a mask of the keys already in the set."""
        return self.find(keys) >= 0

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Return the row each key was first seen in, or -1."""
        rows = np.full(len(keys), -1, dtype=np.int64)
        if not len(keys):
            return rows
        numeric = keys.dtype.kind in "iuf"
        low, high = (keys.min(), keys.max()) if numeric else (None, None)
        for run, run_rows in self.runs:
            if numeric and (high < run[0] or low > run[-1]):
                continue  # ids in increasing order rarely meet earlier runs
            at = np.minimum(np.searchsorted(run, keys), len(run) - 1)
            hit = (run[at] == keys) & (rows < 0)
            rows[hit] = run_rows[at[hit]]
        return rows

    def _push(self, keys: np.ndarray, rows: np.ndarray) -> None:
        if len(keys):
            self.runs.append((keys, rows))
        while (
            len(self.runs) > 1
            and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0])
            and len(self.runs[-2][0]) + len(self.runs[-1][0]) <= LARGEST_RUN
        ):
            (a, a_rows), (b, b_rows) = self.runs.pop(), self.runs.pop()
            self.runs.append(_merge(b, b_rows, a, a_rows))


def _merge(
    a: np.ndarray, a_rows: np.ndarray, b: np.ndarray, b_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted runs in linear time (no key is in both)."""
    if a[-1] < b[0]:  # ids in increasing order: the runs follow each other
        return np.concatenate([a, b]), np.concatenate([a_rows, b_rows])
    at = np.searchsorted(a, b) + np.arange(len(b))
    keys = np.empty(len(a) + len(b), dtype=np.result_type(a, b))
    rows = np.empty(len(keys), dtype=np.uint32)
    others = np.ones(len(keys), dtype=bool)
    others[at] = False
    keys[at], rows[at] = b, b_rows
    keys[others], rows[others] = a, a_rows
    return keys, rows
