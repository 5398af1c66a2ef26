"""Incremental and parallel builds give the same bytes as a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opendata.pipeline import build
from tests.test_pipeline import tree

ROOT = Path(__file__).parent.parent


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demonstration catalogue, so its cache lands in tmp_path."""
    root = tmp_path / "demo"
    root.mkdir()
    for name in ("opendata.yaml", "datasets", "schemas", "site_templates"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


def test_cached_and_parallel_builds_equal_a_fresh_build(demo: Path, tmp_path: Path) -> None:
    fresh = build(demo, out=tmp_path / "fresh", use_cache=False)
    assert fresh.cached == 0
    assert not (demo / ".opendata-cache").exists()
    first = build(demo, out=tmp_path / "first", jobs=2)
    assert first.cached == 0
    again = build(demo, out=tmp_path / "again")
    assert again.cached == len(again.published) == 17
    expected = tree(tmp_path / "fresh")
    assert tree(tmp_path / "first") == expected
    assert tree(tmp_path / "again") == expected


def test_only_the_changed_dataset_is_reprocessed(demo: Path, tmp_path: Path) -> None:
    build(demo, out=tmp_path / "site")
    data = demo / "datasets/disdik/statistik-sekolah-2023-2024/data"
    [raw] = [p for p in data.iterdir() if p.suffix == ".csv"]
    lines = raw.read_text(encoding="utf-8").splitlines(keepends=True)
    raw.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    rebuilt = build(demo, out=tmp_path / "site")
    assert rebuilt.cached == 16
    changed = next(r for r in rebuilt.published if r.dataset.name == "statistik-sekolah-2023-2024")
    assert not changed.cached
    assert changed.reports[0].rows == len(lines) - 2
    fresh = build(demo, out=tmp_path / "fresh", use_cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "fresh")
    assert fresh.cached == 0


def test_a_broken_cache_entry_is_a_miss(demo: Path, tmp_path: Path) -> None:
    build(demo, out=tmp_path / "site")
    for pickle in (demo / ".opendata-cache").glob("*/result.pickle"):
        pickle.write_bytes(b"not a pickle")
    rebuilt = build(demo, out=tmp_path / "site")
    assert rebuilt.cached == 0
    assert tree(tmp_path / "site") == tree(build(demo, out=tmp_path / "fresh", use_cache=False).out)
