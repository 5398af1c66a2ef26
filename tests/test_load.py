"""Descriptor problems: each fixture catalogue is refused with its file, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.errors import OpendataError
from opendata.load import load
from tests.conftest import CATALOGUES, run

DP = "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
FIX_PATH = (
    "Put the file inside the dataset folder (for example data/file.csv) and use that relative path."
)

EXPECTED = {
    "broken-yaml": f"{DP}, line 10: expected ',' or ']', but got ':'. Check the indentation and quoting on that line; a colon inside a value needs quotes.",
    "unknown-key": f'{DP}, line 17: unknown key "frequncy". Did you mean "frequency"? Known keys here: $schema, contact, contributors, created, description, frequency, homepage, id, image, keywords, licenses, modified, name, profile, resources, sources, spatial, temporal, themes, title, version.',
    "missing-field": f'{DP}, line 1: the required key "version" is missing. Add the field; docs/descriptors.md shows an example.',
    "wrong-type": f'{DP}, line 8: version must be text, not a number. Write it in quotes: "2024.1".',
    "schema-not-found": f'{DP}, line 24: the schema "sekolahh" is not in schemas/ (or has problems of its own). Name one of: sekolah; or write the schema inline.',
    "missing-file": f'{DP}, line 23: the file "data/sekolah-2024.csv" does not exist in jumlah-sekolah/. Check the path\'s spelling; paths are relative to the dataset folder.',
    "path-escape": f'{DP}, line 23: path "../../../opendata.yaml": ".." leads out of the dataset folder. {FIX_PATH}',
    "absolute-path": f'{DP}, line 23: path "/etc/passwd": absolute paths are not allowed. {FIX_PATH}',
    "symlink": f'{DP}, line 23: path "data/link.csv": "data/link.csv" is a symbolic link. {FIX_PATH}',
    "invalid-slug": 'datasets/Dinas_Uji: the folder name "Dinas_Uji" is not a valid name. Use lowercase letters a-z, digits and hyphens, starting with a letter or digit.',
    "duplicate-name": f'{DP}, line 25: the resource name "sekolah" is used twice. Give each one its own name.',
    "invalid-schema": 'schemas/sekolah.yaml, line 16: field "jumlah": "interger" is not a Table Schema type. Did you mean "integer"?',
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_descriptor_problem_is_named_with_place_and_fix(name: str) -> None:
    result = run("validate", CATALOGUES / name)
    assert result.exit_code == 2
    assert f"- {EXPECTED[name]}" in result.output.splitlines()


def test_every_problem_is_reported_at_once(tmp_path: Path, catalogue) -> None:
    root = catalogue("minimal")
    dp = root / DP
    text = (
        dp.read_text()
        .replace("frequency: annual", "frequncy: annual")
        .replace('version: "2024.1"\n', "")
    )
    dp.write_text(text.replace("schema: sekolah", "schema: nope"))
    with pytest.raises(OpendataError) as info:
        load(root)
    slugs = [p.slug for p in info.value.problems]
    assert slugs == ["unknown-key", "missing-field", "schema-not-found"]
    assert info.value.describe().startswith("3 problems found:")


def test_broken_schema_is_reported_once(catalogue) -> None:
    root = catalogue("invalid-schema")
    with pytest.raises(OpendataError) as info:
        load(root)
    assert [p.slug for p in info.value.problems] == ["invalid-schema", "invalid-schema"]
    assert (
        info.value.problems[1].message
        == 'the schema "sekolah" cannot be used until its own problems are fixed.'
    )


@pytest.mark.parametrize(
    ("yaml", "slug", "message"),
    [
        (
            "title: !!python/object/apply:os.system ['echo owned']\n",
            "unsafe-yaml",
            "the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed.",
        ),
        (
            "title: !!python/name:os.system\n",
            "unsafe-yaml",
            "could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'.",
        ),
        (
            "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
            "unsafe-yaml",
            "the YAML expands to too many values (aliases nested too deeply).",
        ),
        ("title: x\n" + "# padding\n" * 120_000, "unsafe-yaml", "the file is larger than 1 MiB."),
        ("title:\n\tid: x\n", "broken-yaml", "found character '\\t' that cannot start any token."),
        ("- a\n- b\n", "wrong-type", " must be a mapping of keys to values."),
    ],
)
def test_hostile_or_broken_yaml_is_refused(catalogue, yaml: str, slug: str, message: str) -> None:
    root = catalogue("minimal")
    (root / "opendata.yaml").write_text(yaml)
    with pytest.raises(OpendataError) as info:
        load(root)
    found = info.value.problems[0]
    assert (found.slug, found.file) == (slug, "opendata.yaml")
    assert found.message.endswith(message)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("data\\\\sekolah.csv", 'backslashes are not allowed; use "/" between folders'),
        ("data/%2e%2e/%2e%2e/x.csv", "percent-encoded characters are not allowed in paths"),
        ("C:/data/x.csv", "absolute paths are not allowed"),
        ("data/.hidden.csv", 'hidden names such as ".hidden.csv" are not allowed'),
        ("data/con.csv", '"con.csv" is a reserved name on Windows'),
        ("data/" + "x" * 300 + ".csv", "a name in the path is longer than 255 bytes"),
        (
            "data/x://y.csv",  # a URL is fetched or refused: tests/test_security_remote.py
            "remote resources are not supported; copy the file into the dataset folder",
        ),
    ],
)
def test_unsafe_paths_are_refused_before_opening(catalogue, path: str, reason: str) -> None:
    root = catalogue("minimal")
    dp = root / DP
    dp.write_text(dp.read_text().replace("path: data/sekolah.csv", f'path: "{path}"'))
    with pytest.raises(OpendataError) as info:
        load(root)
    [found] = info.value.problems
    assert found.slug == "unsafe-path"
    assert found.message == f'path "{path.replace(chr(92) * 2, chr(92))}": {reason}.'


def test_minimal_catalogue_loads_with_texts_in_both_languages(catalogue) -> None:
    result = load(catalogue("minimal"))
    [dataset] = result.datasets
    assert dataset.id == "dinas-uji/jumlah-sekolah"
    assert dataset.title.get("id") == "Jumlah Sekolah"
    assert dataset.title.get("en") == "Number of Schools"
    assert dataset.resources[0].schema_ref == "sekolah"
    assert dataset.resources[0].schema["primaryKey"] == ["kode_wilayah", "tahun", "jenjang"]
    assert dataset.modified == "2024-06-30"
    assert result.portal.sample is True


def test_folder_without_catalogue_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no opendata.yaml in this folder or above it." in result.output


def test_a_duplicate_key_is_refused_in_the_officers_language(catalogue) -> None:
    root = catalogue("minimal")
    dp = root / DP
    dp.write_text(
        dp.read_text().replace("frequency: annual\n", "frequency: annual\nfrequency: daily\n")
    )
    result = run("validate", root, "--lang", "id")
    assert result.exit_code == 2
    assert (
        f'- {DP}, baris 18: kunci "frequency" muncul dua kali, di baris 17 dan 18. '
        "Pertahankan salah satu dari kedua baris itu dan hapus yang lain: sebuah kunci hanya "
        "boleh muncul sekali dalam pemetaan yang sama."
    ) in result.output.splitlines()


def test_a_key_merged_in_and_overridden_is_not_a_duplicate(catalogue) -> None:
    """`<<: *base` then the same key is YAML's way of saying "like that one, except"."""
    root = catalogue("minimal")
    schema = root / "schemas/sekolah.yaml"
    text = schema.read_text()
    text = text.replace("  - name: tahun\n", "  - &tahun\n    name: tahun\n")
    text = text.replace(
        "  - name: jenjang\n    type: string\n",
        "  - <<: *tahun\n    name: jenjang\n    type: string\n",
    )
    schema.write_text(text)
    result = run("validate", root)
    assert result.exit_code == 0, result.output
    assert "appears twice" not in result.output


@pytest.mark.parametrize(
    ("themes", "line", "message"),
    [
        ("themes: [[pendidikan]]\n", 10, "themes[1] must be text or {id: …, en: …}."),
        (
            "themes:\n  - {id: Pendidikan, english: Education}\n",
            11,
            'unknown key "english" in themes[1].',
        ),
        ("themes: pendidikan\n", 10, "themes must be a list."),
    ],
)
def test_a_theme_is_text_or_id_and_en(catalogue, themes: str, line: int, message: str) -> None:
    root = catalogue("minimal")
    dp = root / DP
    dp.write_text(dp.read_text().replace("themes: [pendidikan]\n", themes))
    result = run("validate", root)
    assert result.exit_code == 2
    assert any(
        row.startswith(f"- {DP}, line {line}: {message}") for row in result.output.splitlines()
    ), result.output
