"""What changed between two versions of a resource, computed from their Parquet files.

Rows are matched by the schema's primary key: a key only in the new file is a row
added, only in the old one a row removed, in both with any differing value a row
changed. Without a primary key whole rows are compared, so a changed row counts as one
removed and one added. Columns are compared by name and Arrow type.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opendata.models import Change

INDEX = "__opendata_row"


def changelog(old: Path | None, new: Path | None, *, resource: str, key: list[str]) -> Change:
    """Return how the resource at `new` differs from `old` (either may be absent)."""
    if old is None:
        rows = pq.ParquetFile(new).metadata.num_rows if new else 0
        return Change(resource, "added", rows_added=rows)
    if new is None:
        return Change(resource, "removed", rows_removed=pq.ParquetFile(old).metadata.num_rows)
    before, after = pq.read_table(old), pq.read_table(new)
    types_before = {f.name: f.type for f in before.schema}
    types_after = {f.name: f.type for f in after.schema}
    common = [name for name in after.column_names if name in types_before]
    same = [name for name in common if types_before[name] == types_after[name]]
    if not all(name in same for name in key):
        key = []  # a key column was removed or retyped: rows can only be compared whole
    added, removed, changed = (
        _rows_by_key(before, after, key, same) if key else _rows_whole(before, after, same)
    )
    return Change(
        resource,
        "changed",
        rows_added=added,
        rows_removed=removed,
        rows_changed=changed if key else None,
        columns_added=tuple(n for n in after.column_names if n not in types_before),
        columns_removed=tuple(n for n in before.column_names if n not in types_after),
        columns_retyped=tuple(
            (n, str(types_before[n]), str(types_after[n])) for n in common if n not in same
        ),
    )


def _rows_by_key(
    before: pa.Table, after: pa.Table, key: list[str], columns: list[str]
) -> tuple[int, int, int]:
    """Count rows added, removed and changed, matching rows by their primary key."""
    pairs = _indexed(before, key).join(
        _indexed(after, key), keys=key, join_type="inner", left_suffix="_a", right_suffix="_b"
    )
    matched = pairs.num_rows
    left, right = pairs.column(INDEX + "_a"), pairs.column(INDEX + "_b")
    differs = pa.array([False] * matched, pa.bool_())
    for name in columns:
        if name in key:
            continue
        a, b = before.column(name).take(left), after.column(name).take(right)
        unequal = pc.fill_null(pc.not_equal(a, b), False)
        if pa.types.is_floating(a.type):  # NaN is not equal to itself, yet unchanged
            both_nan = pc.fill_null(pc.and_(pc.is_nan(a), pc.is_nan(b)), False)
            unequal = pc.and_not(unequal, both_nan)
        one_missing = pc.xor(pc.is_null(a), pc.is_null(b))
        differs = pc.or_(differs, pc.or_(unequal, one_missing))
    changed = pc.sum(pc.cast(differs, pa.int64())).as_py() or 0
    return after.num_rows - matched, before.num_rows - matched, changed


def _rows_whole(before: pa.Table, after: pa.Table, columns: list[str]) -> tuple[int, int, int]:
    """Count rows added and removed, comparing whole rows (as a multiset)."""
    if not columns:
        return after.num_rows, before.num_rows, 0
    counted = [
        table.select(columns).group_by(columns).aggregate([([], "count_all")])
        for table in (before, after)
    ]
    joined = counted[0].join(
        counted[1], keys=columns, join_type="full outer", left_suffix="_a", right_suffix="_b"
    )
    a = pc.fill_null(joined.column("count_all_a"), 0)
    b = pc.fill_null(joined.column("count_all_b"), 0)
    added = pc.sum(pc.max_element_wise(pc.subtract(b, a), 0)).as_py() or 0
    removed = pc.sum(pc.max_element_wise(pc.subtract(a, b), 0)).as_py() or 0
    return added, removed, 0


def _indexed(table: pa.Table, key: list[str]) -> pa.Table:
    """Return the key columns with each row's position, so values can be fetched after a join."""
    positions = pa.array(range(table.num_rows), pa.int64())
    return table.select(key).append_column(INDEX, positions)
