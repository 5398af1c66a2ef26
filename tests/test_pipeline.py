"""`opendata build`: strict by default, all-or-nothing, deterministic."""

from __future__ import annotations

import errno
import hashlib
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from tests.conftest import run

CSV = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"


# Pagefind writes its filter and metadata indexes in a random order each run (a known
# Pagefind limitation; its fragments and word index are stable): tests/test_search.py
# checks what they hold, and byte comparisons leave them out.
UNSTABLE = re.compile(
    r"(^|/)pagefind/(filter/|pagefind-entry\.json$|pagefind\.[a-z]+_\w+\.pf_meta$)"
)


def tree(folder: Path) -> dict[str, str]:
    """Map every file under `folder` to its sha256, but Pagefind's unstable indexes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not UNSTABLE.search(p.relative_to(folder).as_posix())
    }


def test_build_publishes_pages_and_typed_downloads(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    out = tmp_path / "site"
    result = run("build", root, "--out", out)
    assert result.exit_code == 0, result.output
    assert f"Built 1 dataset into {out}." in result.output
    for page in [
        "index.html",
        "en/index.html",
        "dinas-uji/index.html",
        "dinas-uji/jumlah-sekolah/index.html",
    ]:
        assert (out / page).is_file(), page
    table = pq.read_table(out / "dinas-uji/jumlah-sekolah/2024.1/sekolah.parquet")
    assert table.schema.field("jumlah").type == "int64"
    assert table.column("jumlah").to_pylist() == [412, 118, 415, 37]
    assert table.column("kode_wilayah").to_pylist() == ["5201", "5201", "5201", "5202"]
    source = (root / CSV).read_text()
    assert (out / "dinas-uji/jumlah-sekolah/2024.1/sekolah.csv").read_text() == source
    assert (out / "dinas-uji/jumlah-sekolah/datapackage.json").is_file()


def test_two_builds_are_byte_identical(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    assert run("build", root, "--out", tmp_path / "a").exit_code == 0
    assert run("build", root, "--out", tmp_path / "b").exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_failed_build_leaves_published_site_untouched(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    before = tree(out)
    data = root / CSV
    data.write_text(data.read_text().replace("5201,2023,SD,412", "5201,2023,SD,banyak"))
    result = run("build", root, "--out", out)
    assert result.exit_code == 1
    assert f"- {CSV}: 1 validation error (type-error)." in result.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "site"]


def test_descriptor_problem_fails_before_writing(catalogue, tmp_path: Path) -> None:
    root = catalogue("unknown-key")
    out = tmp_path / "site"
    result = run("build", root, "--out", out)
    assert result.exit_code == 2
    assert 'unknown key "frequncy"' in result.output
    assert not out.exists()


def test_keep_going_publishes_the_valid_datasets(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    agency = root / "datasets/dinas-uji"
    shutil.copytree(agency / "jumlah-sekolah", agency / "sekolah-rusak")
    broken = agency / "sekolah-rusak/data/sekolah.csv"
    broken.write_text(broken.read_text() + "5203,2024,SD,-1\n")
    dp = agency / "sekolah-rusak/datapackage.yaml"
    dp.write_text(dp.read_text().replace("name: jumlah-sekolah", "name: sekolah-rusak"))
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 1
    assert not out.exists()
    result = run("build", root, "--out", out, "--keep-going")
    assert result.exit_code == 1
    assert "1 invalid dataset was not published" in result.output
    assert (
        "datasets/dinas-uji/sekolah-rusak/data/sekolah.csv: 1 validation error (constraint-error)."
        in result.output
    )
    assert (out / "dinas-uji/jumlah-sekolah/index.html").is_file()
    assert not (out / "dinas-uji/sekolah-rusak").exists()


def test_refuses_to_replace_a_folder_it_did_not_build(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run("build", root, "--out", precious)
    assert result.exit_code == 2
    assert (
        "the output folder exists and was not built by opendata, so it is not replaced."
        in result.output
    )
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_leftovers_of_a_killed_build_are_cleaned(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    before = tree(out)
    # A build killed between the two renames of the swap: the old site is aside, the new half-done.
    (tmp_path / ".site.tmp-999").mkdir()
    out.rename(tmp_path / ".site.old-999")
    assert run("build", root, "--out", out).exit_code == 0
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "site"]


def test_full_disk_is_a_clear_error_and_keeps_the_site(
    catalogue, tmp_path: Path, monkeypatch
) -> None:
    root = catalogue("minimal")
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    before = tree(out)

    def full_disk(*args, **kwargs):
        raise OSError(
            errno.ENOSPC, "No space left on device", str(tmp_path / ".site.tmp-1/index.html")
        )

    monkeypatch.setattr("opendata.pipeline.render", full_disk)
    result = run("build", root, "--out", out)
    assert result.exit_code == 2
    assert "cannot write the site (No space left on device)." in result.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "site"]
