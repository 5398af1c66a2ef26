"""Hostile paths and names: refused with file, line and fix before any file is opened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import run

DP = "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
FIX = (
    "Put the file inside the dataset folder (for example data/file.csv) and use that relative path."
)


def _with_path(root: Path, path: str) -> None:
    dp = root / DP
    dp.write_text(dp.read_text().replace("path: data/sekolah.csv", f"path: {path}"))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../../../opendata.yaml", '".." leads out of the dataset folder'),
        ("data/../../jumlah-sekolah/data/sekolah.csv", '".." leads out of the dataset folder'),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("C:/Windows/win.ini", "absolute paths are not allowed"),
        ('"data\\\\..\\\\..\\\\x.csv"', 'backslashes are not allowed; use "/" between folders'),
        ("'%2e%2e/%2e%2e/opendata.yaml'", "percent-encoded characters are not allowed in paths"),
        ("data/%2E%2E/sekolah.csv", "percent-encoded characters are not allowed in paths"),
        (".git/config", 'hidden names such as ".git" are not allowed'),
        ("data/.env", 'hidden names such as ".env" are not allowed'),
        ("data/CON.csv", '"CON.csv" is a reserved name on Windows'),
        ("data/nul", '"nul" is a reserved name on Windows'),
        ("data/com1.txt", '"com1.txt" is a reserved name on Windows'),
        ("data/" + "a" * 300 + ".csv", "a name in the path is longer than 255 bytes"),
        ('"data/\\0.csv"', "the path is empty or has a NUL character"),
    ],
)
def test_unsafe_path_is_refused_by_its_text(catalogue, tmp_path, path: str, reason: str) -> None:
    root = catalogue("minimal")
    _with_path(root, path)
    shown = yaml.safe_load(path)  # the path as the descriptor's YAML means it
    result = run("validate", root)
    assert result.exit_code == 2
    assert f'- {DP}, line 23: path "{shown}": {reason}. {FIX}' in result.output.splitlines()
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 2
    assert not out.exists()


def test_symlinked_data_folder_is_refused(catalogue) -> None:
    root = catalogue("minimal")
    data = root / "datasets/dinas-uji/jumlah-sekolah/data"
    outside = root.parent / "outside"
    data.rename(outside)
    data.symlink_to(outside, target_is_directory=True)
    result = run("validate", root)
    assert result.exit_code == 2
    assert f'path "data/sekolah.csv": "data" is a symbolic link. {FIX}' in result.output


@pytest.mark.parametrize(
    "descriptor",
    ["opendata.yaml", "schemas/sekolah.yaml", "datasets/dinas-uji/agency.yaml", DP],
)
def test_symlinked_descriptor_is_refused(catalogue, descriptor: str) -> None:
    """A linked descriptor could name any file of the machine, and its text be published."""
    root = catalogue("minimal")
    path = root / descriptor
    outside = root.parent / "outside.yaml"
    path.rename(outside)
    path.symlink_to(outside)
    result = run("validate", root)
    assert result.exit_code == 2
    assert (
        f"- {descriptor}: the file is a symbolic link; a descriptor must be a real file here. "
        "Replace the link with a copy of the file it points to."
    ) in result.output.splitlines()


def test_symlinked_dataset_folder_is_named_as_a_link(catalogue) -> None:
    root = catalogue("minimal")
    agency = root / "datasets/dinas-uji"
    (agency / "salinan").symlink_to(agency / "jumlah-sekolah", target_is_directory=True)
    result = run("build", root, "--out", root.parent / "site")
    assert result.exit_code == 2
    assert (
        "- datasets/dinas-uji/salinan: the folder is a symbolic link; a catalogue's folders "
        "must be real ones. Replace the link with a copy of the folder it points to."
    ) in result.output.splitlines()
    assert not (root.parent / "site").exists()


def test_hidden_or_unslugged_folders_are_refused(catalogue) -> None:
    root = catalogue("minimal")
    agency = root / "datasets/dinas-uji"
    (agency / "Jumlah Sekolah").mkdir()  # would slugify into the existing jumlah-sekolah
    (agency / ".rahasia").mkdir()
    result = run("validate", root)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert (
        '- datasets/dinas-uji/.rahasia: the folder name ".rahasia" is not a valid name. Use '
        "lowercase letters a-z, digits and hyphens, starting with a letter or digit."
    ) in lines
    assert any(
        line.startswith('- datasets/dinas-uji/Jumlah Sekolah: the folder name "Jumlah Sekolah"')
        for line in lines
    )


@pytest.mark.parametrize("name", ["en", "static", "search", "pagefind"])
def test_agency_named_like_a_site_folder_is_refused(catalogue, tmp_path, name: str) -> None:
    root = catalogue("minimal")
    (root / "datasets/dinas-uji").rename(root / f"datasets/{name}")
    result = run("validate", root)
    assert result.exit_code == 2
    assert (
        f'- datasets/{name}: the agency folder "{name}" cannot be used: "{name}" is a folder of '
        "the site itself (the English pages, assets, search). Give each one its own name."
    ) in result.output.splitlines()
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 2
    assert not out.exists()


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        (
            "../../../evil",
            "use letters, digits, dots and hyphens only (for example 2024.1 or 1.2.0)",
        ),
        ("1..2", "use letters, digits, dots and hyphens only (for example 2024.1 or 1.2.0)"),
        ("2024/1", "use letters, digits, dots and hyphens only (for example 2024.1 or 1.2.0)"),
        ("validation", '"validation" is a name the site itself uses'),
        ("latest", '"latest" is a name the site itself uses'),
    ],
)
def test_version_that_is_not_a_safe_folder_is_refused(catalogue, tmp_path, version, reason) -> None:
    root = catalogue("minimal")
    dp = root / DP
    dp.write_text(dp.read_text().replace('version: "2024.1"', f'version: "{version}"'))
    result = run("validate", root)
    assert result.exit_code == 2
    assert f'- {DP}, line 8: version "{version}": {reason}.' in result.output
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 2
    assert not out.exists()
    assert not (root.parent / "evil").exists()


AUDIT = """
import sys
from pathlib import Path
root = Path(sys.argv[1]).resolve()
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, Path)):
        path = Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).resolve()
        if path.is_relative_to(root) and "jumlah-sekolah" in path.parts:
            opened.append(path.relative_to(root).as_posix())
sys.addaudithook(hook)
from opendata.errors import OpendataError
from opendata.load import load
try:
    load(root)
except OpendataError as error:
    print(sorted(set(opened)), [p.slug for p in error.problems])
"""


def test_refused_paths_are_never_opened(catalogue) -> None:
    """An audit hook records every file opened: only the descriptor, never the target."""
    root = catalogue("minimal")
    _with_path(root, "'%2e%2e/%2e%2e/%2e%2e/opendata.yaml'")
    (root / "datasets/dinas-uji/jumlah-sekolah/data/CON.csv").write_text("x\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", AUDIT, str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.strip() == (
        "['datasets/dinas-uji/jumlah-sekolah/datapackage.yaml'] ['unsafe-path']"
    )
