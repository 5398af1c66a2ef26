"""The site built from the `minimal` fixture equals the committed golden output, byte for byte."""

from __future__ import annotations

from pathlib import Path

from tests.make_golden import GOLDEN, build_golden
from tests.test_pipeline import tree


def test_site_equals_golden(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_golden(out)
    built, golden = tree(out), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; run `make golden` and review the diff"
    changed = [name for name in built if built[name] != golden[name]]
    assert changed == [], "contents differ; run `make golden` and review the diff"
