"""Messages in the officer's language: the catalogue is complete and the real CLI follows --lang."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from opendata import i18n
from tests.conftest import run

PACKAGE = Path(i18n.__file__).parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "ProblemType": (3,)}
INVALID = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"


def _extracted() -> dict[str, tuple[str, ...]]:
    """Return every msgid the code marks (a plural keyed by its singular), with its forms."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[forms[0]] = forms
    return found


def _catalogue():
    with i18n.catalogue_path("id").open("rb") as file:
        return read_po(file)


def _fields(text: str) -> list[str]:
    """Return the `{placeholders}` of a message (some messages are shown unformatted)."""
    return sorted(re.findall(r"(?<!\{)\{(\w+)\}", text))


def test_every_message_has_an_indonesian_translation() -> None:
    extracted = _extracted()
    assert len(extracted) > 300  # the sweep: load, read, validate, add, build, publish
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in _catalogue() if m.id}
    missing = sorted(set(extracted) - set(translated))
    assert not missing, f"run `make messages` and translate: {missing}"
    for msgid, forms in extracted.items():
        entry = translated[msgid]
        strings = (entry.string,) if isinstance(entry.string, str) else entry.string
        assert not entry.fuzzy, msgid
        assert all(s.strip() for s in strings), f"empty translation: {msgid!r}"
        for text in strings:
            assert _fields(text) == _fields(forms[-1]), f"placeholders differ: {msgid!r}"
    obsolete = sorted(set(translated) - set(extracted))
    assert not obsolete, f"obsolete entries, run `make messages`: {obsolete}"


def test_catalogue_has_no_obsolete_entries() -> None:
    assert not _catalogue().obsolete


# Not yet swept: their messages are still English only (being edited by other work).
PENDING = {"publish"}

# Calls whose text reaches the officer; the index of the message argument, or None for all.
SHOWN = {"problem": (2, "message"), "OpendataError": None, "ClickException": None}
PRINTED = {("click", "echo"), ("console", "print"), ("Console", "print")}


def _has_words(node: ast.AST) -> bool:
    """Say whether a literal or f-string carries words (not only punctuation or spaces)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    return False


def _name(func: ast.AST) -> tuple[str, str]:
    if isinstance(func, ast.Name):
        return ("", func.id)
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Call):
            owner = owner.func
        return (getattr(owner, "id", getattr(owner, "attr", "")), func.attr)
    return ("", "")


def _shown_arguments(call: ast.Call) -> list[ast.AST]:
    owner, name = _name(call.func)
    keywords = {k.arg: k.value for k in call.keywords}
    if name == "problem":
        return [a for a in (call.args[2:3] or [keywords.get("message")]) if a] + [
            keywords[k] for k in ("hint",) if k in keywords
        ]
    if name in SHOWN or (owner, name) in PRINTED:
        return list(call.args)
    return []


def _assigned_messages(tree: ast.AST) -> list[ast.AST]:
    """Return values assigned to names that hold messages: message, hint, reason, what."""
    values = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            names = {getattr(t, "id", "") for t in node.targets}
            if names & {"message", "hint", "reason", "what"}:
                values.append(node.value)
    return values


def test_no_user_facing_literal_bypasses_translation() -> None:
    untranslated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "render" in path.parts:  # the site's words come from the theme's own catalogue
            continue
        if path.relative_to(PACKAGE).parts[0] in PENDING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        shown = [
            a
            for call in ast.walk(tree)
            if isinstance(call, ast.Call)
            for a in _shown_arguments(call)
        ]
        for node in [*shown, *_assigned_messages(tree)]:
            candidates = [node]
            if isinstance(node, ast.IfExp):
                candidates = [node.body, node.orelse]
            elif isinstance(node, ast.BoolOp):
                candidates = node.values
            for candidate in candidates:
                if _has_words(candidate):
                    where = f"{path.relative_to(PACKAGE.parent)}:{candidate.lineno}"
                    untranslated.append(f"{where}: {ast.unparse(candidate)[:70]}")
    assert not untranslated, "wrap these in _():\n" + "\n".join(untranslated)


def test_the_check_catches_an_untranslated_message(tmp_path: Path) -> None:
    tree = ast.parse('problem("missing-file", place, f"the file {name} is missing.")')
    [call] = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [_has_words(a) for a in _shown_arguments(call)] == [True]
    tree = ast.parse('problem("missing-file", place, _("the file {name} is missing.", name=n))')
    [call, _inner] = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [_has_words(a) for a in _shown_arguments(call)] == [False]


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LC_MESSAGES": "id_ID"}, "id"),
        ({"LANGUAGE": "id:en"}, "id"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_from_env(environ: dict[str, str], lang: str) -> None:
    assert i18n.language_from_env(environ) == lang


def test_validate_speaks_indonesian_or_english(catalogue) -> None:
    root = catalogue("invalid-data")
    indonesian = run("validate", root, "--lang", "id")
    assert indonesian.exit_code == 1
    assert f"TIDAK SAH  {INVALID} (sumber data" in indonesian.output
    assert 'type-error, kolom "jumlah": Jenis nilai salah (1×)' in indonesian.output
    assert 'baris 3, "12.5": jenis kolomnya "integer/default"' in indonesian.output
    assert "Cara memperbaiki: Tulis nilai sesuai jenis kolomnya" in indonesian.output
    assert "1 dari 1 sumber data tidak sah." in indonesian.output
    english = run("validate", root, "--lang", "en")
    assert english.exit_code == 1
    assert 'type-error, column "jumlah": Wrong type of value (1×)' in english.output
    assert "Fix: Write the value as the field's type asks" in english.output
    assert "1 of 1 resources are invalid." in english.output
    assert "Cara memperbaiki" not in english.output


def test_descriptor_problem_in_indonesian_before_or_after_the_command(catalogue) -> None:
    root = catalogue("unknown-key")
    for args in (("--lang", "id", "validate", root), ("validate", root, "--lang", "id")):
        result = run(*args)
        assert result.exit_code == 2
        assert "Ditemukan 1 masalah:" in result.output
        assert 'kunci "frequncy" tidak dikenal.' in result.output
        assert 'Mungkin maksud Anda "frequency"?' in result.output
    english = run("--lang", "en", "validate", root)
    assert 'unknown key "frequncy".' in english.output


def test_lang_environment_gives_indonesian_without_the_flag(catalogue, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    result = run("validate", catalogue("invalid-data"))
    assert "Cara memperbaiki:" in result.output
    assert "1 dari 1 sumber data tidak sah." in result.output


def _two_datasets(root: Path) -> Path:
    """Add a second dataset whose file is a web page, so a worker reports a read problem."""
    first = root / "datasets/dinas-uji/jumlah-sekolah"
    second = first.parent / "halaman-web"
    shutil.copytree(first, second)
    descriptor = second / "datapackage.yaml"
    descriptor.write_text(
        descriptor.read_text().replace("name: jumlah-sekolah", "name: halaman-web")
    )
    (second / "data/sekolah.csv").write_text("<!doctype html><html><body>404</body></html>\n")
    return root


def test_parallel_build_workers_speak_the_language(catalogue, tmp_path: Path) -> None:
    root = _two_datasets(catalogue("invalid-data"))
    result = run("build", root, "--out", tmp_path / "site", "--jobs", "2", "--lang", "id")
    assert result.exit_code == 1
    assert "Ditemukan 2 masalah:" in result.output
    assert "berkas ini halaman HTML atau XML, bukan teks CSV." in result.output  # from a worker
    assert "1 galat validasi (type-error)." in result.output
    assert "Jalankan: opendata validate datasets/dinas-uji/jumlah-sekolah" in result.output


def test_cached_rebuild_follows_the_new_language(catalogue, tmp_path: Path) -> None:
    root = _two_datasets(catalogue("invalid-data"))
    english = run("build", root, "--out", tmp_path / "site", "--lang", "en")
    assert "the file is an HTML or XML page, not CSV text." in english.output
    indonesian = run("build", root, "--out", tmp_path / "site", "--lang", "id")
    assert "berkas ini halaman HTML atau XML, bukan teks CSV." in indonesian.output
    assert "not CSV text" not in indonesian.output
    again = run("build", root, "--out", tmp_path / "site", "--lang", "en")
    assert "the file is an HTML or XML page, not CSV text." in again.output


def test_add_prints_its_next_steps_in_indonesian(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    created = run("init", root, "--agency", "dukcapil", "--lang", "id")
    assert created.exit_code == 0
    assert "dibuat     opendata.yaml" in created.output
    assert "Berikutnya: isi semua tanda TODO" in created.output
    source = tmp_path / "penduduk.csv"
    source.write_text("Kecamatan;Jumlah\nPraya;41234\nJonggat;38112\n\nCatatan: data contoh\n")
    result = run("add", source, "--agency", "dukcapil", "--root", root, "--lang", "id")
    assert result.exit_code == 0, result.output
    assert "Draf ditulis: datasets/dukcapil/penduduk/datapackage.yaml" in result.output
    assert "ditemukan  pemisah: titik koma" in result.output
    assert "dilewati   baris 5 (catatan:" in result.output
    assert "2 kolom, dijelaskan oleh skema yang disimpulkan dari data" in result.output
    assert "Berikutnya: isi baris-baris TODO di datasets/dukcapil/penduduk" in result.output
