"""`opendata publish`, `verify` and `rollback`: versions never change, none is lost."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import run

DATASET = "datasets/dinas-uji/jumlah-sekolah"
CSV = f"{DATASET}/data/sekolah.csv"
FOLDER = "dinas-uji/jumlah-sekolah"


def tree(folder: Path) -> dict[str, str]:
    """Map every file under `folder` to its sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def bump(root: Path, version: str) -> None:
    """Set the dataset's declared version."""
    path = root / DATASET / "datapackage.yaml"
    text = path.read_text()
    old = next(line for line in text.splitlines() if line.startswith("version:"))
    path.write_text(text.replace(old, f'version: "{version}"'))


def edit_rows(root: Path) -> None:
    """Change one row, remove one and add one (by the primary key)."""
    path = root / CSV
    text = path.read_text()
    text = text.replace("5201,2023,SD,412", "5201,2023,SD,420")  # changed
    text = text.replace("5202,2024,SMA,37\n", "")  # removed
    path.write_text(text + "5203,2024,SMP,9\n")  # added


class Page(HTMLParser):
    """An HTML page's ids, links and the text inside each element with an id."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.refresh = ""
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "meta" and found.get("http-equiv") == "refresh":
            self.refresh = found.get("content") or ""

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(" ".join(data.split()))

    @property
    def plain(self) -> str:
        return " ".join(self.text)


@pytest.fixture
def published(catalogue, tmp_path: Path) -> tuple[Path, Path]:
    """Return a catalogue and the site its first release was published into."""
    root = catalogue("minimal")
    site = tmp_path / "site"
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert f"Published release 1 of {site}: 1 dataset." in result.output
    assert "new version dinas-uji/jumlah-sekolah 2024.1" in result.output
    return root, site


def test_first_release_records_every_file(published) -> None:
    _, site = published
    history = json.loads((site / "releases.json").read_text())
    assert history["release"] == 1
    assert history["releases"][0]["datasets"] == {"dinas-uji/jumlah-sekolah": "2024.1"}
    files = tree(site)
    recorded = {path: entry["sha256"] for path, entry in history["files"].items()}
    assert recorded == {p: d for p, d in files.items() if p not in ("releases.json", "SHA256SUMS")}
    for path, entry in history["files"].items():
        assert (site / path).stat().st_size == entry["bytes"]
    version = history["versions"]["dinas-uji/jumlah-sekolah"][0]
    assert version["version"] == "2024.1" and version["changes"] is None
    assert {o["path"] for o in version["outputs"]} >= {
        f"{FOLDER}/2024.1/sekolah.csv",
        f"{FOLDER}/2024.1/sekolah.parquet",
    }
    raw = hashlib.sha256((site.parent / "minimal" / CSV).read_bytes()).hexdigest()
    assert version["inputs"] == {"data/sekolah.csv": raw}
    assert (site.parent / ".site.releases" / "1" / "releases.json").is_file()


def test_sha256sums_is_checked_by_sha256sum(published) -> None:
    _, site = published
    lines = (site / "SHA256SUMS").read_text().splitlines()
    assert any(line.endswith(f"  {FOLDER}/2024.1/sekolah.parquet") for line in lines)
    assert any(line.endswith("  releases.json") for line in lines)
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum program")
    check = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=site, capture_output=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    (site / FOLDER / "2024.1/sekolah.csv").write_text("tampered\n")
    check = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=site, capture_output=True)
    assert check.returncode == 1
    assert b"sekolah.csv: FAILED" in check.stdout


def test_latest_page_redirects_to_the_newest_version(published) -> None:
    _, site = published
    latest = Page(site / FOLDER / "latest/index.html")
    assert latest.refresh == "0; url=../index.html#version-2024.1"
    assert "../2024.1/sekolah.csv" in latest.links
    for link in latest.links:
        assert (site / FOLDER / "latest" / link.split("#")[0]).resolve().is_file(), link
    dataset = Page(site / FOLDER / "index.html")
    assert "version-2024.1" in dataset.ids
    english = Page(site / "en" / FOLDER / "index.html")
    assert "First published version." in english.plain


def test_changed_data_under_the_same_version_is_refused(published) -> None:
    root, site = published
    before, beside = tree(site), sorted(p.name for p in site.parent.iterdir())
    edit_rows(root)
    result = run("publish", root, "--to", site)
    assert result.exit_code == 2
    assert (
        f'{DATASET}/datapackage.yaml: version "2024.1" is already published, but the raw files '
        "changed (data/sekolah.csv). Published files never change under their link: set a new "
        "version in datapackage.yaml (for example 2024.2), then publish again."
    ) in result.output
    assert tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == beside


def test_schema_change_under_the_same_version_is_refused(published) -> None:
    root, site = published
    before = tree(site)
    schema = root / "schemas/sekolah.yaml"
    schema.write_text(schema.read_text().replace("type: integer", "type: number"))
    result = run("publish", root, "--to", site)
    assert result.exit_code == 2
    assert "its published files would change (" in result.output
    assert "sekolah.parquet" in result.output.split("would change (")[1].split(")")[0]
    assert tree(site) == before


def test_unchanged_republish_keeps_the_version(published) -> None:
    root, site = published
    before = tree(site)
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert "Published release 2" in result.output and "new version" not in result.output
    after = tree(site)
    for path, digest in before.items():
        if "/2024.1/" in path:
            assert after[path] == digest
    history = json.loads((site / "releases.json").read_text())
    assert [v["version"] for v in history["versions"]["dinas-uji/jumlah-sekolah"]] == ["2024.1"]
    assert run("verify", site).exit_code == 0


def test_new_version_keeps_the_old_one_and_lists_changes(published) -> None:
    root, site = published
    before = tree(site)
    edit_rows(root)
    bump(root, "2024.2")
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert "new version dinas-uji/jumlah-sekolah 2024.2" in result.output
    after = tree(site)
    for path, digest in before.items():
        if "/2024.1/" in path:
            assert after[path] == digest, path
    table = pq.read_table(site / FOLDER / "2024.2/sekolah.parquet")
    assert table.column("jumlah").to_pylist() == [420, 118, 415, 9]
    history = json.loads((site / "releases.json").read_text())
    newest = history["versions"]["dinas-uji/jumlah-sekolah"][1]
    assert newest["release"] == 2
    assert newest["changes"] == [
        {
            "resource": "sekolah",
            "status": "changed",
            "rows_added": 1,
            "rows_removed": 1,
            "rows_changed": 1,
            "columns_added": [],
            "columns_removed": [],
            "columns_retyped": [],
        }
    ]
    page = Page(site / "en" / FOLDER / "index.html")
    assert {"version-2024.1", "version-2024.2"} <= page.ids
    assert "sekolah: 1 rows added, 1 removed, 1 changed." in page.plain
    assert "../../../dinas-uji/jumlah-sekolah/2024.1/sekolah.csv" in page.links
    latest = Page(site / FOLDER / "latest/index.html")
    assert latest.refresh == "0; url=../index.html#version-2024.2"
    assert run("verify", site).exit_code == 0


def test_changelog_reports_columns_added_removed_and_retyped(published) -> None:
    root, site = published
    schema = root / "schemas/sekolah.yaml"
    text = schema.read_text().replace("type: integer", "type: number")
    text = text.replace("  - name: tahun\n    type: year", "  - name: tahun\n    type: string")
    schema.write_text(
        text.replace("primaryKey:", "  - name: catatan\n    type: string\nprimaryKey:")
    )
    data = root / CSV
    lines = data.read_text().splitlines()
    data.write_text("\n".join([lines[0] + ",catatan", *(f"{line}," for line in lines[1:])]) + "\n")
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    page = Page(site / "en" / FOLDER / "index.html").plain
    assert "sekolah: columns added: catatan." in page
    assert "sekolah: column jumlah changed type from int64 to double." in page
    assert "sekolah: column tahun changed type from int64 to string." in page
    # The key column tahun was retyped, so rows cannot be matched by the whole key.
    indonesian = Page(site / FOLDER / "index.html").plain
    assert "sekolah: kolom baru: catatan." in indonesian


def test_verify_reports_changed_missing_and_unknown_files(published) -> None:
    _, site = published
    assert run("verify", site).exit_code == 0
    (site / FOLDER / "2024.1/sekolah.csv").write_text("kode_wilayah\n9999\n")
    (site / FOLDER / "2024.1/sekolah.parquet").unlink()
    (site / "evil.html").write_text("<script>alert(1)</script>")
    result = run("verify", site)
    assert result.exit_code == 1
    out = result.output
    assert "3 problems found:" in out
    assert f"{site}/{FOLDER}/2024.1/sekolah.csv: the file has sha256 " in out
    assert f"{site}/{FOLDER}/2024.1/sekolah.parquet: the file is missing." in out
    assert f"{site}/evil.html: the file is not part of the release." in out


def test_verify_of_a_plain_folder_says_what_is_missing(tmp_path: Path) -> None:
    result = run("verify", tmp_path)
    assert result.exit_code == 2
    assert "this folder has no release manifest (releases.json)." in result.output


def test_publish_refuses_to_carry_a_tampered_earlier_version(published) -> None:
    root, site = published
    (site / FOLDER / "2024.1/sekolah.csv").write_text("tampered\n")
    before = tree(site)
    edit_rows(root)
    bump(root, "2024.2")
    result = run("publish", root, "--to", site)
    assert result.exit_code == 2
    assert (
        f"{FOLDER}/2024.1/sekolah.csv: version 2024.1's file no longer matches its recorded sha256."
        in result.output
    )
    assert tree(site) == before


def test_rollback_restores_the_previous_release_exactly(published) -> None:
    root, site = published
    first = tree(site)
    edit_rows(root)
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    assert tree(site) != first
    result = run("rollback", site)
    assert result.exit_code == 0, result.output
    assert f"Rolled {site} back to release 1." in result.output
    manifest = ("releases.json", "SHA256SUMS")  # they also record the withdrawn version
    assert {k: v for k, v in tree(site).items() if k not in manifest} == {
        k: v for k, v in first.items() if k not in manifest
    }
    first = tree(site)
    assert run("verify", site).exit_code == 0
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.releases", "minimal", "site"]
    assert sorted(p.name for p in (site.parent / ".site.releases").iterdir()) == ["1"]
    again = run("rollback", site)
    assert again.exit_code == 2
    assert "there is no earlier release to go back to (current release: 1)." in again.output
    assert tree(site) == first


def test_a_refused_rollback_names_the_site_not_its_staging_folder(published) -> None:
    """The kept copy of release 1 is hard linked to the site: changed in place, both change."""
    root, site = published
    edit_rows(root)
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    changed = site / FOLDER / "2024.1/sekolah.csv"
    with changed.open("a") as file:
        file.write("5209,2024,SD,1\n")
    before = tree(site)
    result = run("rollback", site)
    assert result.exit_code == 2
    digest = hashlib.sha256(changed.read_bytes()).hexdigest()
    assert f"- {changed.as_posix()}: the file has sha256 {digest}, recorded " in result.output
    assert (
        f"Release 1 as kept in {site.parent / '.site.releases/1'} no longer matches its manifest"
    ) in result.output
    assert ".tmp-" not in result.output
    assert tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.releases", "minimal", "site"]


def test_rollback_then_publish_again(published) -> None:
    root, site = published
    edit_rows(root)
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    assert run("rollback", site).exit_code == 0
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert "Published release 2" in result.output
    assert run("verify", site).exit_code == 0


def test_a_withdrawn_version_never_comes_back_with_other_data(published) -> None:
    root, site = published
    edit_rows(root)
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    published_csv = (site / FOLDER / "2024.2/sekolah.csv").read_bytes()
    assert run("rollback", site).exit_code == 0
    history = json.loads((site / "releases.json").read_text())
    withdrawn = history["withdrawn"]["dinas-uji/jumlah-sekolah"]
    assert [(v["version"], v["release"]) for v in withdrawn] == [("2024.2", 2)]
    assert run("verify", site).exit_code == 0
    before = tree(site)
    csv = root / CSV
    csv.write_text(csv.read_text().replace("5201,2023,SD,420", "5201,2023,SD,421"))
    result = run("publish", root, "--to", site)
    assert result.exit_code == 2
    assert (
        'version "2024.2" is already published, but it was withdrawn by a rollback after '
        "release 2, and the raw files changed (data/sekolah.csv)."
    ) in result.output
    assert "set a new version in datapackage.yaml (for example 2024.3)" in result.output
    assert tree(site) == before
    # The same data may come back under its name, with the same bytes as before.
    csv.write_text(csv.read_text().replace("5201,2023,SD,421", "5201,2023,SD,420"))
    assert run("publish", root, "--to", site).exit_code == 0
    assert (site / FOLDER / "2024.2/sekolah.csv").read_bytes() == published_csv
    # A second rollback keeps the record of the first.
    bump(root, "2024.3")
    assert run("publish", root, "--to", site).exit_code == 0
    assert run("rollback", site).exit_code == 0
    history = json.loads((site / "releases.json").read_text())
    withdrawn = history["withdrawn"]["dinas-uji/jumlah-sekolah"]
    assert sorted(v["version"] for v in withdrawn) == ["2024.2", "2024.3"]


def test_withdrawn_dataset_keeps_its_files_and_pages(published) -> None:
    root, site = published
    before = tree(site)
    agency = root / "datasets/dinas-uji"
    shutil.copytree(agency / "jumlah-sekolah", agency / "sekolah-baru")
    descriptor = agency / "sekolah-baru/datapackage.yaml"
    descriptor.write_text(
        descriptor.read_text().replace("name: jumlah-sekolah", "name: sekolah-baru")
    )
    shutil.rmtree(agency / "jumlah-sekolah")
    assert run("publish", root, "--to", site).exit_code == 0
    after = tree(site)
    for path in before:
        if path.startswith((f"{FOLDER}/", f"en/{FOLDER}/")):
            assert after[path] == before[path], path
    assert (site / "dinas-uji/sekolah-baru/2024.1/sekolah.csv").is_file()
    assert run("verify", site).exit_code == 0


def test_build_refuses_to_overwrite_a_published_site(published) -> None:
    root, site = published
    before = tree(site)
    result = run("build", root, "--out", site)
    assert result.exit_code == 2
    assert "the output folder is a published site with earlier releases" in result.output
    assert f"opendata publish --to {site.resolve()}" in result.output
    assert tree(site) == before


@pytest.mark.parametrize("version", ["latest", "../2024", "2024/1", ".hidden"])
def test_version_must_be_a_plain_folder_name(catalogue, tmp_path: Path, version: str) -> None:
    root = catalogue("minimal")
    bump(root, version)
    result = run("publish", root, "--to", tmp_path / "site")
    assert result.exit_code == 2
    assert f'version "{version}"' in result.output  # refused when loading, or here
    assert not (tmp_path / "site").exists()


def test_first_publish_over_a_plain_build(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    site = tmp_path / "site"
    assert run("build", root, "--out", site).exit_code == 0
    assert run("publish", root, "--to", site).exit_code == 0
    assert run("verify", site).exit_code == 0


HOLD_LOCK = """
import sys
from pathlib import Path
from opendata.publish import site_lock
with site_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.parametrize("command", ["publish", "build", "rollback"])
def test_a_second_run_into_the_same_site_is_refused(published, command: str) -> None:
    """Another process holds the site's lock: a second run is refused and changes nothing."""
    root, site = published
    edit_rows(root)
    bump(root, "2024.2")
    assert run("publish", root, "--to", site).exit_code == 0
    before = tree(site)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(site)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        args = {"publish": ("--to", site), "build": ("--out", site), "rollback": ()}[command]
        result = run(command, *([root] if command != "rollback" else [site]), *args)
        assert result.exit_code == 2
        assert (
            f"{site}: another opendata build or publish is writing this site right now. "
            "Wait until the other run has finished, then run again."
        ) in result.output
        assert tree(site) == before
        assert not any(p.name.endswith(".lock") for p in site.rglob("*"))
    finally:
        holder.communicate("")
    assert holder.returncode == 0
    assert not (site.parent / ".site.lock").exists()  # removed by its holder
    assert run("rollback", site).exit_code == 0  # free again


def test_a_crashed_run_does_not_leave_the_site_locked(published) -> None:
    root, site = published
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(site)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    holder.kill()  # the kernel drops the lock with the process; the file stays behind
    holder.wait()
    assert (site.parent / ".site.lock").exists()
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert not (site.parent / ".site.lock").exists()
