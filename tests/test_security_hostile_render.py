"""Script in metadata, Markdown, column names and cells: inert on every published file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from opendata.load import load
from opendata.pipeline import check
from tests.conftest import run

DP = "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
SCRIPT = "<script>alert(1)</script>"
TITLE = "Sekolah </script><script>alert(1)</script> & co"
DESCRIPTION = (
    "Awal <img src=x onerror=alert(1)> [klik](javascript:alert(1)) "
    "[data](data:text/html,<script>alert(1)</script>) [ok](https://example.org) "
    "<svg onload=alert(1)>"
)
FORMULA = '=HYPERLINK("http://evil.example","klik")'


class _Page(HTMLParser):
    """Collect what could run: script elements, on* attributes, javascript:/data: links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.handlers: list[str] = []
        self.links: list[str] = []
        self._in: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.links += [v or "" for n, v in attrs if n in ("href", "src", "action")]
        if tag == "script":
            self._in = attributes
            self.scripts.append((attributes, ""))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None


def _hostile(root: Path) -> None:
    dp = root / DP
    text = dp.read_text()
    text = text.replace("id: Jumlah Sekolah", f"id: {json.dumps(TITLE)}")
    text = text.replace(
        "id: Jumlah sekolah per jenjang. *Data contoh.*", f"id: {json.dumps(DESCRIPTION)}"
    )
    text = text.replace(
        "keywords: [sekolah, pendidikan]", f"keywords: [sekolah, {json.dumps(SCRIPT)}]"
    )
    dp.write_text(text)
    data = root / "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
    data.write_text(
        data.read_text()
        .replace("5201,2023,SD,412", f'5201,2023,"{SCRIPT}",412')
        .replace(
            "5201,2023,SMP,118", '5201,2023,"=HYPERLINK(""http://evil.example"",""klik"")",118'
        )
    )
    schema = root / "schemas/sekolah.yaml"  # the level is free text here, so cells may be anything
    schema.write_text(schema.read_text().replace("    constraints: {enum: [SD, SMP, SMA]}\n", ""))


def test_script_is_inert_on_every_page_feed_and_export(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    _hostile(root)
    out = tmp_path / "site"
    result = run("build", root, "--out", out)
    assert result.exit_code == 0, result.output
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.handlers == [], page
        assert not [
            link
            for link in parser.links
            if link.strip().lower().startswith(("javascript:", "data:"))
            and link != "data:,"  # "data:," is the empty favicon
        ], page
        for attributes, body in parser.scripts:
            assert "alert(1)" not in body or attributes.get("type") == "application/ld+json", page
            if attributes.get("type") == "application/ld+json":
                json.loads(body)  # a </script> in a title cannot break out of the block
    dataset = out / "dinas-uji/jumlah-sekolah/index.html"
    html = dataset.read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html or "\\u003c/script" in html
    assert 'href="https://example.org"' in html
    for name in ("feed.xml", "sitemap.xml"):
        if (out / name).exists():
            ET.parse(out / name)  # well-formed: nothing broke out of an element
    for name in ("data.json", "catalog.jsonld", "dinas-uji/jumlah-sekolah/datapackage.json"):
        if (out / name).exists():
            assert TITLE in json.dumps(json.loads((out / name).read_text()), ensure_ascii=False)


def test_formula_cells_are_a_warning_and_kept_exactly(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    _hostile(root)
    catalogue_ = load(root)
    findings = [f for r in check(catalogue_, catalogue_.datasets) for f in r.findings]
    assert [(f.rule, f.column, f.rows, f.warning) for f in findings] == [
        ("formula", "jenjang", (3,), True)
    ]
    result = run("validate", root)
    assert (
        'warning: datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv, column "jenjang", row 3'
        in result.output
    )
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    published = next(out.glob("dinas-uji/jumlah-sekolah/*/sekolah.csv")).read_text()
    assert '"=HYPERLINK(""http://evil.example"",""klik"")"' in published
    assert "412" in published and "-" not in published.split("\n")[1]


def test_formula_cells_are_text_in_the_xlsx_download(catalogue, tmp_path) -> None:
    root = catalogue("minimal")
    _hostile(root)
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    workbooks = list(out.glob("dinas-uji/jumlah-sekolah/*/sekolah.xlsx"))
    if not workbooks:
        pytest.skip("no XLSX download is published yet")
    import openpyxl

    sheet = openpyxl.load_workbook(workbooks[0]).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert cells[FORMULA] == "s"  # text, never a formula ("f")
    assert cells[412] == "n" and cells[118] == "n"  # numeric columns untouched


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_addresses_that_are_not_web_or_mail_addresses_are_refused(catalogue, tmp_path) -> None:
    """They go as is into JSON-LD, Turtle and data.json, where no page escapes them."""
    root = catalogue("minimal")
    _edit(root / "opendata.yaml", "https://data.example.org", "javascript:alert(1)//")
    agency = root / "datasets/dinas-uji/agency.yaml"
    _edit(agency, "website: https://uji.example.org", 'website: "https://x.org/> <x:y"')
    _edit(agency, "data@uji.example.org", "'a@b.co\"><script>alert(1)</script>'")
    _edit(root / DP, "path: https://creativecommons.org/licenses/by/4.0/", "path: javascript:x")
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 2
    web = "Write the whole address, starting with https:// (or http://)."
    assert result.output.splitlines()[1:] == [
        f'- opendata.yaml, line 7: base_url "javascript:alert(1)//" is not a web address. {web}',
        f'- datasets/dinas-uji/agency.yaml, line 7: website "https://x.org/> <x:y" is not a web '
        f"address. {web}",
        '- datasets/dinas-uji/agency.yaml, line 10: contact.email "a@b.co"><script>alert(1)'
        '</script>" is not an e-mail address. Write it as name@domain, for example '
        "data@dinas.go.id.",
        f'- {DP}, line 16: licenses[1].path "javascript:x" is not a web address. {web}',
    ]
    assert not (tmp_path / "site").exists()


def test_region_codes_and_licence_names_cannot_break_the_turtle(catalogue, tmp_path) -> None:
    from rdflib import Graph

    root = catalogue("minimal")
    _edit(root / DP, 'spatial: ["5201"]', 'spatial: ["52 01> <x:y", "</script>"]')
    _edit(
        root / DP,
        "  - name: CC-BY-4.0\n    path: https://creativecommons.org/licenses/by/4.0/",
        '  - name: "CC BY> <x:y"',
    )
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "site/catalog.ttl", format="turtle")
    spatial = sorted(str(o) for _, p, o in graph if str(p).endswith("/identifier") and "5" in o)
    assert "52 01> <x:y" in spatial
    assert (
        "https://spdx.org/licenses/CC%20BY%3E%20%3Cx%3Ay.html"
        in (tmp_path / "site/catalog.ttl").read_text()
    )
