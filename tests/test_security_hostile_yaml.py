"""Hostile YAML: python tags, alias bombs and huge files are refused, never run or expanded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run

DP = "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
BOMB = """title: bom
version: "1"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'title: !!python/object/apply:os.system ["touch PWNED"]\n',
            "line 1: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed.",
        ),
        (
            "title: !!python/name:os.system\n",
            "line 1: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'.",
        ),
        (
            "title: !include /etc/passwd\n",
            "line 1: could not determine a constructor for the tag '!include'.",
        ),
        (BOMB, "the YAML expands to too many values (aliases nested too deeply)."),
        (
            "title: x\n" + "# padding\n" * 120_000,
            "the file is larger than 1 MiB. A descriptor holds metadata only: keep long texts "
            "and tables in data files.",
        ),
    ],
)
def test_unsafe_yaml_is_refused(catalogue, tmp_path: Path, text: str, expected: str) -> None:
    root = catalogue("minimal")
    (root / DP).write_text(text)
    result = run("validate", root)
    assert result.exit_code == 2
    problem = next(line for line in result.output.splitlines() if line.startswith(f"- {DP}"))
    assert problem.startswith(f"- {DP}")
    assert expected in problem
    assert ("Remove tags such as !!python" in problem) != ("1 MiB" in expected)
    assert not (Path.cwd() / "PWNED").exists() and not (root / "PWNED").exists()
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 2
    assert not out.exists()


DUPLICATE_FIX = "Keep one of the two lines and delete the other: a key may appear only once in the same mapping."


@pytest.mark.parametrize(
    ("place", "old", "new", "key", "lines"),
    [
        ("opendata.yaml", "publisher: Dinas Uji\n", "title: x\ntitle: y\n", "title", (1, 8)),
        (
            "datasets/dinas-uji/agency.yaml",
            "website: https://uji.example.org\n",
            "website: https://uji.example.org\nwebsite: https://evil.example.org\n",
            "website",
            (7, 8),
        ),
        (DP, "  en: Number of Schools\n", "  en: Number of Schools\n  id: Lain\n", "id", (3, 5)),
        (
            "schemas/sekolah.yaml",
            "    type: year\n",
            "    type: year\n    type: string\n",
            "type",
            (10, 11),
        ),
    ],
)
def test_duplicate_keys_are_refused(
    catalogue, tmp_path: Path, place: str, old: str, new: str, key: str, lines: tuple
) -> None:
    """PyYAML keeps the last of two equal keys without a word: a descriptor must not."""
    root = catalogue("minimal")
    descriptor = root / place
    text = descriptor.read_text()
    assert old in text
    descriptor.write_text(text.replace(old, new, 1))
    result = run("validate", root)
    assert result.exit_code == 2
    first, second = lines
    expected = (
        f'- {place}, line {second}: the key "{key}" appears twice, on lines {first} and {second}. '
        f"{DUPLICATE_FIX}"
    )
    assert expected in result.output.splitlines()
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 2
    assert not out.exists()
