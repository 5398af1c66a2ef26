"""The Pagefind search index written with the site: per language, dataset pages only, stable."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from opendata.render import search
from tests.conftest import run
from tests.test_pipeline import tree


def test_index_has_each_language_and_only_dataset_pages(catalogue, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("build", catalogue("minimal"), "--out", out).exit_code == 0
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    pages = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert pages == {"id": 1, "en": 1}  # the one dataset, not home, browse or agency pages
    assert (out / "pagefind/pagefind.js").is_file()
    assert not (out / "pagefind/pagefind-ui.js").exists()  # unused interface, not shipped
    filters = list((out / "pagefind/filter").glob("*.pf_filter"))
    assert {f.name[:2] for f in filters} == {"id", "en"}  # agency, theme, format, licence
    html = (out / "dinas-uji/jumlah-sekolah/index.html").read_text(encoding="utf-8")
    for facet in ("agency", "theme", "format", "license"):
        assert f'data-pagefind-filter="{facet}"' in html


def test_index_holds_the_description_not_data_hashes_or_code(catalogue, tmp_path: Path) -> None:
    # Preview cells, download checksums and code snippets are not what people search for:
    # indexed, they made the index four times larger and slower to build and to fetch.
    out = tmp_path / "site"
    assert run("build", catalogue("minimal"), "--out", out).exit_code == 0
    text = "".join(
        gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in (out / "pagefind/fragment").glob("*.pf_fragment")
    )
    assert "Number of schools by level" in text and "kode_wilayah" in text
    page = (out / "dinas-uji/jumlah-sekolah/index.html").read_text(encoding="utf-8")
    checksums = re.findall(r'<code class="hash">([0-9a-f]{64})</code>', page)
    assert checksums and not any(checksum in text for checksum in checksums)
    assert "412" in page and "412" not in text  # a count seen only in the preview
    assert "read_parquet" in page and "read_parquet" not in text  # a snippet's code


def test_index_fragments_are_byte_identical_across_builds(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    assert run("build", root, "--out", tmp_path / "a").exit_code == 0
    assert run("build", root, "--out", tmp_path / "b").exit_code == 0
    first, second = (
        {k: v for k, v in tree(tmp_path / d).items() if "pagefind/" in k} for d in "ab"
    )
    assert any(name.startswith("pagefind/fragment/") for name in first)
    assert any(name.startswith("pagefind/index/") for name in first)
    assert first == second  # all but the filter and metadata indexes (see tests.test_pipeline)
    filters = [
        sorted(p.name[:2] for p in (tmp_path / d / "pagefind/filter").iterdir()) for d in "ab"
    ]
    assert filters[0] == filters[1]


def test_missing_pagefind_is_a_clear_error_and_keeps_the_site(
    catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = catalogue("minimal"), tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    before = tree(out)
    monkeypatch.setattr(search, "COMMAND", ("/nonexistent/pagefind",))
    result = run("build", root, "--out", out, "--no-cache")  # the cached index is not reused
    assert result.exit_code == 2
    assert "the search index could not be built" in result.output
    assert "pip install opendata" in result.output
    assert tree(out) == before
