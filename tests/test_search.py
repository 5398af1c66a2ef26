"""The Pagefind search index written with the site: per language, dataset pages only, stable."""

from __future__ import annotations

import json
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
