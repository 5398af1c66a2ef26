"""Incremental and parallel builds give the same bytes as a fresh build.

Every comparison is over the whole site tree, file by file; only Pagefind's filter and
metadata indexes are left out (`tree()`), because Pagefind writes them in a random
order even for the same pages.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
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


def test_an_unchanged_rebuild_links_pages_and_search_index_from_the_cache(
    demo: Path, tmp_path: Path
) -> None:
    build(demo, out=tmp_path / "site")
    again = build(demo, out=tmp_path / "site")
    assert again.cached == 17
    cache = demo / ".opendata-cache"
    page = tmp_path / "site/bappeda/proyeksi-penduduk/index.html"
    kept = [p for p in (cache / "render").glob("*/bappeda/proyeksi-penduduk/index.html")]
    assert len(kept) == 1 and os.path.samefile(page, kept[0])  # linked, not rendered again
    [index] = (cache / "search").iterdir()
    assert os.path.samefile(
        tmp_path / "site/pagefind/pagefind-entry.json", index / "pagefind-entry.json"
    )
    assert tree(tmp_path / "site") == tree(build(demo, out=tmp_path / "fresh", use_cache=False).out)


def _change_template(root: Path) -> None:
    footer = root / "site_templates/_footer.html"
    footer.write_text(footer.read_text().replace("fiktif", "fiktif, diubah"), encoding="utf-8")


def _change_schema(root: Path) -> None:
    schema = root / "schemas/curah-hujan-bulanan.yaml"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace("Rain gauge code", "Gauge code (changed)"), encoding="utf-8")


def _change_date(root: Path) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = (
        "1735689600"  # 2025-01-01; conftest's autouse fixture restores it
    )


CHANGES: dict[str, tuple[Callable[[Path], None], str, str]] = {  # edit, page, text shown
    "template": (_change_template, "bpbd/curah-hujan-2025/index.html", "fiktif, diubah"),
    "schema": (_change_schema, "en/bpbd/curah-hujan-2025/index.html", "Gauge code (changed)"),
    "build date": (_change_date, "bpbd/curah-hujan-2025/index.html", "2025-01-01"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_every_page_depends_on_gives_a_fresh_site(
    change: str, demo: Path, tmp_path: Path
) -> None:
    build(demo, out=tmp_path / "site")
    edit, page, shown = CHANGES[change]
    edit(demo)
    rebuilt = build(demo, out=tmp_path / "site")
    assert shown in (tmp_path / "site" / page).read_text(encoding="utf-8")
    fresh = build(demo, out=tmp_path / "fresh", use_cache=False)
    assert tree(tmp_path / "site") == tree(fresh.out)
    if change == "schema":  # only the two datasets that use the schema are checked again
        assert sorted(r.dataset.id for r in rebuilt.published if not r.cached) == [
            "bpbd/curah-hujan-2024",
            "bpbd/curah-hujan-2025",
        ]
