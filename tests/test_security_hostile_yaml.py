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
