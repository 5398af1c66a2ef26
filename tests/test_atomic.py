"""All-or-nothing: a publish killed or out of disk at any moment leaves the site as it was.

A killed process is simulated for real: the CLI runs in a subprocess that sends itself
SIGKILL right after a chosen step (a test-only wrapper around that step), or is killed
from outside at moments found by polling for its staging folder.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opendata.publish.swap import clean_stale, exchange
from tests.conftest import run
from tests.test_release import DATASET, bump, edit_rows, tree

DRIVER = r"""
import importlib, os, signal, sys

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def after(module, name):
    mod = importlib.import_module(module)
    real = getattr(mod, name)
    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        die()
    setattr(mod, name, wrapper)

def half_removed(path):
    for child in sorted(path.rglob("*")):
        if child.is_file():
            child.unlink()
            break
    die()

class KillOnSecondReplace:
    calls = 0
    def __getattr__(self, name):
        return getattr(os, name)
    def replace(self, a, b):
        os.replace(a, b)
        KillOnSecondReplace.calls += 1
        if KillOnSecondReplace.calls == 1:
            die()

moment, args = sys.argv[1], sys.argv[2:]
if moment in ("convert", "render", "record"):
    after("opendata.pipeline", moment)
elif moment == "release":
    after("opendata.pipeline", "release")
elif moment == "archive":
    after("opendata.publish.archive", "link_tree")
elif moment == "exchange":
    after("opendata.publish.swap", "exchange")
elif moment == "remove-old":
    importlib.import_module("opendata.publish.swap")._remove = half_removed
elif moment == "between-renames":
    swap = importlib.import_module("opendata.publish.swap")
    swap._renameat2 = lambda: None
    swap.os = KillOnSecondReplace()
from opendata.cli import cli
cli.main(args, prog_name="opendata")
"""

BEFORE_SWAP = ["convert", "release", "render", "record", "archive"]
AFTER_SWAP = ["exchange", "remove-old"]


def killed(moment: str, *args: str | Path) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess that kills itself with SIGKILL at `moment`."""
    command = [sys.executable, "-c", DRIVER, moment, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def beside(site: Path) -> list[str]:
    """Return what is next to the site, and the release archive's entries."""
    names = sorted(p.name for p in site.parent.iterdir())
    archive = site.parent / ".site.releases"
    kept = sorted(p.name for p in archive.iterdir()) if archive.is_dir() else []
    return names + [f".site.releases/{name}" for name in kept]


def release_number(site: Path) -> int:
    return json.loads((site / "releases.json").read_text())["release"]


@pytest.fixture
def second(catalogue, tmp_path: Path) -> tuple[Path, Path, dict[str, str], list[str]]:
    """Publish release 1, then prepare a changed and bumped catalogue for release 2."""
    root = catalogue("minimal")
    site = tmp_path / "site"
    assert run("publish", root, "--to", site).exit_code == 0
    before = tree(site)
    edit_rows(root)
    bump(root, "2024.2")
    return root, site, before, beside(site)


def assert_recovers(root: Path, site: Path) -> None:
    """The next publish cleans every leftover and publishes release 2."""
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert run("verify", site).exit_code == 0
    assert beside(site) == [".site.releases", "minimal", "site", ".site.releases/1"] + [
        f".site.releases/{n}" for n in range(2, release_number(site) + 1)
    ]


@pytest.mark.parametrize("moment", BEFORE_SWAP)
def test_killed_before_the_swap_leaves_the_site_as_it_was(second, moment: str) -> None:
    root, site, before, _ = second
    process = killed(moment, "publish", root, "--to", site)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert tree(site) == before
    assert run("verify", site).exit_code == 0  # nothing temporary inside the site
    assert_recovers(root, site)


@pytest.mark.parametrize("moment", AFTER_SWAP)
def test_killed_after_the_swap_leaves_the_new_site_whole(second, moment: str) -> None:
    root, site, _, _ = second
    process = killed(moment, "publish", root, "--to", site)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert release_number(site) == 2
    assert (site / "dinas-uji/jumlah-sekolah/2024.2/sekolah.parquet").is_file()
    assert run("verify", site).exit_code == 0
    assert any(name.startswith(".site.tmp-") for name in beside(site))  # the old site, aside
    assert_recovers(root, site)


def test_killed_between_the_two_renames_of_the_fallback_is_repaired(second) -> None:
    """Without renameat2 the site is briefly missing; the next run puts the old one back."""
    root, site, before, _ = second
    process = killed("between-renames", "publish", root, "--to", site)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert not site.exists()
    clean_stale(site)  # what every publish and rollback does first
    assert tree(site) == before
    assert run("verify", site).exit_code == 0
    assert_recovers(root, site)


def test_publish_repairs_before_reading_the_history(second) -> None:
    root, site, before, _ = second
    assert killed("between-renames", "publish", root, "--to", site).returncode == -9
    result = run("publish", root, "--to", site)
    assert result.exit_code == 0, result.output
    assert "Published release 2" in result.output
    after = tree(site)
    assert {p: d for p, d in before.items() if "/2024.1/" in p} == {
        p: d for p, d in after.items() if "/2024.1/" in p
    }


def test_killed_rollback_leaves_either_release(second) -> None:
    root, site, before, _ = second
    assert run("publish", root, "--to", site).exit_code == 0
    process = killed("exchange", "rollback", site)
    assert process.returncode == -signal.SIGKILL, process.stderr
    manifest = ("releases.json", "SHA256SUMS")  # release 1's, plus the withdrawn version
    assert {k: v for k, v in tree(site).items() if k not in manifest} == {
        k: v for k, v in before.items() if k not in manifest
    }
    assert release_number(site) == 1
    assert run("verify", site).exit_code == 0


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5, 1.0])
def test_killed_from_outside_at_any_moment(second, delay: float) -> None:
    root, site, before, _ = second
    opendata = Path(sys.executable).parent / "opendata"
    process = subprocess.Popen(
        [opendata, "publish", root, "--to", site],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(site.parent.glob(".site.tmp-*")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert release_number(site) in (1, 2)
    if release_number(site) == 1:
        assert tree(site) == before
    assert run("verify", site).exit_code == 0
    assert_recovers(root, site)


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "somewhere")


@pytest.mark.parametrize(
    "step",
    [
        "opendata.pipeline:convert",
        "opendata.pipeline:render",
        "opendata.publish.record:link_file",
        "opendata.publish.record:write_history",
        "opendata.publish.archive:link_tree",
    ],
)
def test_full_disk_at_any_step_keeps_the_site(second, monkeypatch, step: str) -> None:
    root, site, before, around = second
    module, name = step.split(":")
    monkeypatch.setattr(importlib.import_module(module), name, full_disk)
    result = run("publish", root, "--to", site)
    assert result.exit_code == 2
    assert "cannot write the site (No space left on device)." in result.output
    assert "the published site was not changed." in result.output
    assert tree(site) == before
    assert beside(site) == around


def test_really_full_disk_keeps_the_site(catalogue, tmp_path: Path) -> None:
    """A small tmpfs fills up for real (needs root to mount; skipped otherwise)."""
    root = catalogue("minimal")
    probe = tmp_path / "probe"
    assert run("publish", root, "--to", probe).exit_code == 0
    size = sum(p.stat().st_size for p in probe.rglob("*") if p.is_file())
    disk = tmp_path / "disk"
    disk.mkdir()
    options = f"size={2 * size // 1024 + 512}k"  # room for the site and one staging copy
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        site = disk / "site"
        assert run("publish", root, "--to", site).exit_code == 0
        before, around = tree(site), sorted(p.name for p in disk.iterdir())
        data = root / DATASET / "data/sekolah.csv"
        levels = ("SD", "SMP", "SMA")
        count = 3 * size // 16  # rows of about 16 bytes: more than the disk holds
        rows = (
            f"{1000 + i % 9000},{1900 + i // 27000},{levels[i // 9000 % 3]},{i}\n"
            for i in range(count)
        )
        data.write_text(data.read_text() + "".join(rows))
        bump(root, "2024.2")
        result = run("publish", root, "--to", site)
        assert result.exit_code == 2, result.output
        assert "No space left on device" in result.output
        assert tree(site) == before
        assert sorted(p.name for p in disk.iterdir()) == around
        assert run("verify", site).exit_code == 0
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from-a").write_text("a")
    (b / "from-b").write_text("b")
    if not exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert [p.name for p in a.iterdir()] == ["from-b"]
    assert [p.name for p in b.iterdir()] == ["from-a"]


def test_publish_without_renameat2_uses_two_renames(second, monkeypatch) -> None:
    root, site, _, _ = second
    swap = importlib.import_module("opendata.publish.swap")
    monkeypatch.setattr(swap, "_renameat2", lambda: None)
    calls = []
    real = os.replace
    monkeypatch.setattr(swap.os, "replace", lambda a, b: calls.append(1) or real(a, b))
    assert run("publish", root, "--to", site).exit_code == 0
    assert len(calls) >= 2  # the site aside, the new one in
    assert release_number(site) == 2
    assert run("verify", site).exit_code == 0
    assert not [p for p in site.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def traced(site: Path, *args: str | Path, driver: str = "") -> list[str]:
    """Run the CLI under strace; return its sync and rename calls, in order."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed")
    log = site.parent / "strace.log"
    code = driver + "from opendata.cli import cli\ncli.main(sys.argv[1:], prog_name='opendata')"
    calls = "trace=fsync,fdatasync,syncfs,sync,rename,renameat,renameat2"
    command = ["strace", "-f", "-qq", "-o", log, "-e", calls, sys.executable, "-c"]
    process = subprocess.run(
        [*map(str, command), f"import sys\n{code}", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if "ptrace" in process.stderr or "Operation not permitted" in process.stderr:
        pytest.skip("strace cannot trace here")
    assert process.returncode == 0, process.stderr
    lines = [line.split(None, 1)[1] for line in log.read_text().splitlines() if " " in line]
    log.unlink()
    return [line for line in lines if not line.startswith(("+++", "---", "<..."))]


def swapped_at(calls: list[str], site: Path) -> int:
    """Return the index of the rename that put the new site in place."""
    target = f'"{site}"'
    return next(i for i, c in enumerate(calls) if c.startswith("rename") and target in c)


@pytest.mark.parametrize("command", ["publish", "rollback"])
def test_the_new_site_is_on_disk_before_the_swap_and_the_swap_after(second, command) -> None:
    """Without a flush, a power cut right after the swap could leave empty files published."""
    root, site, _, _ = second
    if command == "rollback":
        assert run("publish", root, "--to", site).exit_code == 0
    args = ("rollback", site) if command == "rollback" else ("publish", root, "--to", site)
    calls = traced(site, *args)
    at = swapped_at(calls, site)
    assert any(c.startswith(("syncfs(", "sync(")) for c in calls[:at]), calls
    assert any(c.startswith("fsync(") for c in calls[at + 1 :]), calls  # the rename itself
    assert run("verify", site).exit_code == 0


def test_without_syncfs_every_file_and_folder_is_flushed(second) -> None:
    """Where syncfs() is missing (macOS, Windows), each file and folder gets an fsync()."""
    root, site, _, _ = second
    driver = "import importlib\n"
    driver += "importlib.import_module('opendata.publish.swap')._syncfs = lambda path: False\n"
    calls = traced(site, "publish", root, "--to", site, driver=driver)
    at = swapped_at(calls, site)
    before = sum(1 for c in calls[:at] if c.startswith("fsync("))
    published = sum(1 for _ in site.rglob("*"))  # files and folders of the new site
    assert before >= published
    assert run("verify", site).exit_code == 0
