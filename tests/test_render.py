"""The render stage: pages in both languages, safe output, working links, Data Packages."""

from __future__ import annotations

import hashlib
import json
import posixpath
import random
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import frictionless
import pytest

from opendata.models import (
    Agency,
    Catalogue,
    Contact,
    Conversion,
    Dataset,
    DatasetResult,
    License,
    Output,
    Portal,
    Report,
    Resource,
    Text,
)
from opendata.render import render
from opendata.render.links import href
from opendata.render.locale import catalogue_path
from opendata.render.markdown import excerpt, markdown
from opendata.render.numbers import human_size
from opendata.render.quality import Freshness, freshness
from tests.test_pipeline import UNSTABLE

BUILD_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_MARKDOWN = "Lihat [x](javascript:alert(1)) dan <img src=x onerror=alert(1)> **tebal**."

# Normalized as the convert stage writes it: ISO dates, "." decimals.
PUSKESMAS_CSV = "kode,nama,jenis,kode_provinsi,dibuka,bor\nP001,Puskesmas Harapan,rawat inap,91,2020-03-31,71.5\n"
PROVINSI_CSV = "kode,nama\n91,Nusa Harapan\n"

PUSKESMAS_SCHEMA = {
    "fields": [
        {"name": "kode", "type": "string", "title": "Kode", "constraints": {"required": True}},
        {"name": "nama", "type": "string", "description": "Nama *resmi*"},
        {
            "name": "jenis",
            "type": "string",
            "constraints": {"enum": ["rawat inap", "non rawat inap"]},
        },
        {"name": "kode_provinsi", "type": "string", "unit": "kode"},
        {"name": "dibuka", "type": "date", "format": "%d/%m/%Y"},
        {"name": "bor", "type": "number", "decimalChar": ",", "unit": "%"},
    ],
    "missingValues": ["", "-"],
    "primaryKey": ["kode"],
    "foreignKeys": [
        {
            "fields": "kode_provinsi",
            "reference": {"resource": "kemendagri/wilayah/provinsi", "fields": "kode"},
        }
    ],
}
PROVINSI_SCHEMA = {
    "fields": [
        {
            "name": "kode",
            "type": "string",
            "constraints": {"required": True, "pattern": "[0-9]{2}"},
        },
        {"name": "nama", "type": "string"},
    ],
    "primaryKey": "kode",
}


def publish(out: Path, path: str, text: str) -> Output:
    """Write a converted file where the convert stage would, and describe it."""
    data = text.encode("utf-8")
    (out / path).parent.mkdir(parents=True, exist_ok=True)
    (out / path).write_bytes(data)
    return Output("csv", path, len(data), hashlib.sha256(data).hexdigest())


Table = tuple[str, dict[str, Any], str]  # CSV text, Table Schema, resource name


def make_result(
    root: Path, out: Path, dataset_id: str, *, table: Table, schema_ref: str = "", **metadata: Any
) -> DatasetResult:
    """Return a published one-resource dataset, its CSV written into `out`."""
    agency, name = dataset_id.split("/")
    csv, schema, resource_name = table
    folder = root / "datasets" / agency / name
    resource = Resource(
        name=resource_name,
        path=folder / "data" / f"{resource_name}.csv",
        relpath=f"data/{resource_name}.csv",
        format="csv",
        schema=schema,
        schema_ref=schema_ref,
        title=Text(f"Tabel {resource_name}", f"Table {resource_name}"),
    )
    dataset = Dataset(
        agency=agency,
        name=name,
        version="2024.1",
        path=folder,
        descriptor_path=folder / "datapackage.yaml",
        resources=(resource,),
        **metadata,
    )
    output = publish(out, f"{agency}/{name}/2024.1/{resource_name}.csv", csv)
    parquet = Output("parquet", f"{agency}/{name}/2024.1/{resource_name}.parquet", 12345, "ab" * 32)
    (out / parquet.path).write_bytes(b"PAR1")
    rows = csv.count("\n") - 1
    report = Report(f"datasets/{agency}/{name}/data/x.csv", resource_name, "", rows, (), ())
    conversion = Conversion(resource_name, rows, (output, parquet))
    return DatasetResult(dataset, (report,), (conversion,))


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    portal = Portal(
        title=Text("Portal Data Nusa", "Nusa Data Portal"),
        tagline=Text("Data terbuka provinsi", "The province's open data"),
        publisher="Dinas Kominfo",
        license=License(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        sample=True,
    )
    agencies = (
        Agency(
            "dinkes",
            Text("Dinas Kesehatan", "Health Office"),
            description=Text("Urusan **kesehatan**.", "Health *affairs*."),
            website="https://dinkes.example.go.id",
            contact=Contact("Seksi Data", "data@dinkes.example.go.id"),
        ),
        Agency("kemendagri", Text("Kemendagri", "Ministry of Home Affairs")),
        Agency("kosong", Text("Dinas Tanpa Data", "Office Without Data")),
    )
    return Catalogue(root=tmp_path / "catalogue", portal=portal, agencies=agencies, datasets=())


@pytest.fixture
def results(catalogue: Catalogue, tmp_path: Path) -> list[DatasetResult]:
    return make_results(catalogue, tmp_path / "site")


def make_results(catalogue: Catalogue, out: Path) -> list[DatasetResult]:
    root = catalogue.root
    puskesmas = make_result(
        root,
        out,
        "dinkes/fasilitas-kesehatan",
        table=(PUSKESMAS_CSV, PUSKESMAS_SCHEMA, "puskesmas"),
        schema_ref="fasilitas-kesehatan",
        title=Text("Fasilitas Kesehatan " + HOSTILE_TITLE, "Health Facilities " + HOSTILE_TITLE),
        description=Text(HOSTILE_MARKDOWN, "See the *list*."),
        keywords=("kesehatan", "puskesmas"),
        themes=(Text("Kesehatan"),),
        contact=Contact("Seksi Data", "data@dinkes.example.go.id"),
        frequency="annual",
        temporal=("2024-01-01", "2024-12-31"),
        spatial=("91",),
        modified="2024-04-30",
    )
    provinsi = make_result(
        root,
        out,
        "kemendagri/wilayah",
        table=(PROVINSI_CSV, PROVINSI_SCHEMA, "provinsi"),
        title=Text("Kode Wilayah", "Region Codes"),
        frequency="irregular",
    )
    return [puskesmas, provinsi]


class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(out: Path, path: str) -> Page:
    return Page((out / path).read_text(encoding="utf-8"))


def built(catalogue: Catalogue, results: list[DatasetResult], out: Path) -> Path:
    render(catalogue, results, out=out, build_time=BUILD_TIME)
    return out


@pytest.fixture
def site(catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path) -> Path:
    return built(catalogue, results, tmp_path / "site")


PAGES = [
    "index.html",
    "dinkes/index.html",
    "kemendagri/index.html",
    "kosong/index.html",
    "dinkes/fasilitas-kesehatan/index.html",
    "kemendagri/wilayah/index.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_exists_in_both_languages_with_lang_and_hreflang(site: Path, path: str) -> None:
    for lang, prefix, other in (("id", "", "en/"), ("en", "en/", "")):
        page = read(site, prefix + path)
        assert page.find("html") == [{"lang": lang}]
        links = page.find("link", rel="alternate")
        alternates = {a["hreflang"]: a["href"] for a in links if "hreflang" in a}
        assert set(alternates) == {"id", "en"}
        other_lang = "en" if lang == "id" else "id"
        target = (site / (prefix + path)).parent / alternates[other_lang]
        assert target.resolve() == (site / (other + path)).resolve()
        switch = [a for a in page.find("a") if a.get("hreflang") == other_lang]
        assert switch and switch[0]["href"] == alternates[other_lang]
        assert page.find("title") and page.find("meta", name="description")


def test_every_local_link_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert {str(p.relative_to(site)) for p in pages} >= {*PAGES, *("en/" + p for p in PAGES)}
    checked = 0
    for path in pages:
        page = read(site, str(path.relative_to(site)))
        ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
        for _, attrs in page.tags:
            for name in ("href", "src"):
                if name not in attrs:
                    continue
                url = urlsplit(attrs[name])
                if url.scheme in ("http", "https", "mailto", "data"):  # data: the empty favicon
                    continue
                where = f"{path.relative_to(site)}: {attrs[name]}"
                assert not url.scheme and not url.netloc and not url.path.startswith("/"), where
                if not url.path:
                    assert url.fragment in ids, where
                    continue
                target = (path.parent / unquote(url.path)).resolve()
                assert target.is_file() and target.is_relative_to(site.resolve()), where
                if url.fragment:
                    assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), where
                checked += 1
    assert checked > 50


def test_pages_link_home_stylesheet_and_explicit_index(site: Path) -> None:
    page = read(site, "en/dinkes/fasilitas-kesehatan/index.html")
    assert page.find("link", rel="stylesheet") == [
        {"rel": "stylesheet", "href": "../../../static/style.css"}
    ]
    assert page.find("a", **{"class": "site-title"})[0]["href"] == "../../index.html"
    hrefs = [a["href"] for a in page.find("a") if "href" in a]
    assert "../index.html" in hrefs  # the agency, in English
    assert not [h for h in hrefs if h.endswith("/") and not h.startswith("https://")]
    assert (site / "static" / "style.css").is_file()


def test_sample_banner_on_every_page(site: Path) -> None:
    for path in PAGES:
        assert "Data contoh fiktif — bukan data resmi" in read(site, path).plain
        assert "Fictional sample data — not official data" in read(site, "en/" + path).plain


def test_no_banner_for_real_data(
    catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path
) -> None:
    real = Catalogue(catalogue.root, Portal(title=Text("Portal")), catalogue.agencies, ())
    out = built(real, results, tmp_path / "site")
    assert "sample-banner" not in (out / "index.html").read_text(encoding="utf-8")


def test_hostile_strings_are_escaped_or_removed(site: Path) -> None:
    for path in ("dinkes/fasilitas-kesehatan/index.html", "index.html", "dinkes/index.html"):
        html = (site / path).read_text(encoding="utf-8")
        page = Page(html)
        scripts = [s for s in page.find("script") if s.get("type") != "application/ld+json"]
        assert not scripts and not page.find("img")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert all("javascript" not in a.get("href", "") for _, a in page.tags)
        assert all(not name.startswith("on") for _, a in page.tags for name in a)
    page = read(site, "dinkes/fasilitas-kesehatan/index.html")
    assert "<strong>tebal</strong>" in (site / "dinkes/fasilitas-kesehatan/index.html").read_text()
    assert "Fasilitas Kesehatan <script>alert(1)</script>" in page.plain


def test_markdown_is_sanitized() -> None:
    html = markdown("# Judul\n\n[a](https://x.org) [b](javascript:alert(1)) [c](/root) <b>raw</b>")
    assert html.startswith("<h2>Judul</h2>")
    assert '<a href="https://x.org" rel="noopener noreferrer nofollow">a</a>' in html
    assert "javascript:" not in html.replace("[b](javascript:alert(1))", "")
    assert 'href="/root"' not in html
    assert "<b>" not in html and "&lt;b&gt;raw&lt;/b&gt;" in html


def test_excerpt_is_plain_text_cut_on_a_word() -> None:
    assert excerpt("**Tebal** dan [tautan](https://x.org).\n\nParagraf dua.") == (
        "Tebal dan tautan. Paragraf dua."
    )
    long = excerpt("kata " * 100)
    assert long.endswith("kata…") and len(long) <= 161


def test_human_sizes() -> None:
    assert human_size(512, "en") == "512 B"
    assert human_size(12345, "en") == "12.3 kB"
    assert human_size(12345, "id") == "12,3 kB"
    assert human_size(5_500_000, "en") == "5.5 MB"


def test_dataset_page_content(site: Path) -> None:
    page = read(site, "en/dinkes/fasilitas-kesehatan/index.html")
    text = page.plain
    for expected in (
        "Annual",
        "2024.1",
        "2024-04-30",
        "2024-01-01 – 2024-12-31",
        "kesehatan",
        "Creative Commons Attribution 4.0",
        "data@dinkes.example.go.id",
        "required",
        "one of: rawat inap, non rawat inap",
        "primary key",
        "references kemendagri/wilayah/provinsi (kode)",
        "Valid",
        "fasilitas-kesehatan",
    ):
        assert expected in text, expected
    assert "Tahunan" in read(site, "dinkes/fasilitas-kesehatan/index.html").plain
    assert "Tidak tentu" in read(site, "kemendagri/wilayah/index.html").plain
    assert "skema tersendiri" in read(site, "kemendagri/wilayah/index.html").plain
    assert "required, pattern [0-9]{2}" in read(site, "en/kemendagri/wilayah/index.html").plain
    fk = [a for a in page.find("a") if "#resource-provinsi" in a.get("href", "")]
    assert fk[0]["href"] == "../../kemendagri/wilayah/index.html#resource-provinsi"


def test_downloads_show_size_and_sha256(site: Path, results: list[DatasetResult]) -> None:
    csv, parquet = results[0].conversions[0].outputs
    page = read(site, "dinkes/fasilitas-kesehatan/index.html")
    hrefs = [a["href"] for a in page.find("a", download="")]
    assert hrefs == ["2024.1/puskesmas.csv", "2024.1/puskesmas.parquet"]
    assert f"{csv.bytes} B" in page.plain and csv.sha256 in page.plain
    assert "12,3 kB" in page.plain and parquet.sha256 in page.plain
    assert "12.3 kB" in read(site, "en/dinkes/fasilitas-kesehatan/index.html").plain


def test_a_table_too_big_for_excel_says_why_it_has_no_xlsx(
    catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path
) -> None:
    def with_rows(result: DatasetResult, rows: int) -> DatasetResult:
        return replace(result, conversions=(replace(result.conversions[0], rows=rows),))

    big, fits = with_rows(results[0], 1_048_576), with_rows(results[1], 1_048_575)
    site = built(catalogue, [big, fits], tmp_path / "big")
    english = read(site, "en/dinkes/fasilitas-kesehatan/index.html").plain
    assert (
        "No XLSX file: this table has 1,048,576 rows, more than an Excel sheet holds "
        "(1,048,575 rows below the header). Use the CSV or Parquet file."
    ) in english
    indonesian = read(site, "dinkes/fasilitas-kesehatan/index.html").plain
    assert "Tidak ada berkas XLSX: tabel ini memiliki 1.048.576 baris" in indonesian
    # A header and 1,048,575 rows fill a sheet exactly: nothing to explain.
    assert "XLSX" not in read(site, "en/kemendagri/wilayah/index.html").plain


# Built on 2024-05-01 (BUILD_TIME): due one period after `modified`, overdue a day later.
FRESHNESS_CASES = [
    ("monthly", "2024-04-01", "fresh", "2024-05-01"),  # due today
    ("monthly", "2024-03-31", "due", "2024-04-30"),  # the one day of grace
    ("monthly", "2024-03-29", "overdue", "2024-04-29"),
    ("monthly", "2024-01-31", "overdue", "2024-02-29"),  # clamped to February's end
    ("daily", "2024-04-30", "fresh", "2024-05-01"),
    ("daily", "2024-04-29", "due", "2024-04-30"),
    ("daily", "2024-04-28", "overdue", "2024-04-29"),
    ("weekly", "2024-04-23", "due", "2024-04-30"),
    ("quarterly", "2024-02-01", "fresh", "2024-05-01"),
    ("semiannual", "2023-10-30", "due", "2024-04-30"),
    ("annual", "2023-04-30", "due", "2024-04-30"),
    ("annual", "2023-04-29", "overdue", "2024-04-29"),
    ("annual", "2024-04-30T10:00:00+08:00", "fresh", "2025-04-30"),
    ("irregular", "2024-01-01", "unknown", ""),
    ("annual", "", "unknown", ""),
    ("annual", "not a date", "unknown", ""),
]


@pytest.mark.parametrize(("frequency", "modified", "state", "due"), FRESHNESS_CASES)
def test_freshness_has_one_day_of_grace_after_the_period(
    frequency: str, modified: str, state: str, due: str
) -> None:
    dataset = Dataset(
        agency="a",
        name="d",
        version="1",
        path=Path("d"),
        descriptor_path=Path("d/p.yaml"),
        title=Text("D"),
        resources=(),
        frequency=frequency,
        modified=modified,
    )
    assert freshness(dataset, BUILD_TIME.date()) == Freshness(state, due)


def test_freshness_and_open_licence_shown_on_the_pages(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    table = (PROVINSI_CSV, PROVINSI_SCHEMA, "provinsi")
    nc = License("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0", "")
    grace = make_result(
        catalogue.root,
        out,
        "dinkes/harian",
        table=table,
        title=Text("Harian", "Daily"),
        frequency="monthly",
        modified="2024-03-31",
    )
    late = make_result(
        catalogue.root,
        out,
        "dinkes/terlambat",
        table=table,
        title=Text("Lambat", "Late"),
        frequency="monthly",
        modified="2024-03-29",
        licenses=(nc,),
    )
    site = built(catalogue, [grace, late], out)
    page = read(site, "en/dinkes/harian/index.html")
    assert page.find("span", **{"class": "badge due"})
    assert "Due update due 2024-04-30; within the one day of grace" in page.plain
    assert page.find("span", **{"class": "badge open"})  # the portal's CC-BY-4.0
    assert "Open licence" in page.plain
    page = read(site, "dinkes/terlambat/index.html")
    assert page.find("span", **{"class": "badge overdue"}) and "Terlambat" in page.plain
    assert page.find("span", **{"class": "badge closed"})
    assert "Open licence" not in read(site, "en/dinkes/terlambat/index.html").plain
    quality = read(site, "en/quality/index.html").plain
    # valid, fresh (the day of grace counts), a licence: the dataset's own or the portal's
    assert "Whole catalogue 2 100% (2 of 2) 50% (1 of 2) 100% (2 of 2)" in quality


def test_index_lists_datasets_and_agencies(site: Path) -> None:
    page = read(site, "en/index.html")
    text = page.plain
    assert "Nusa Data Portal" in text and "The province's open data" in text
    assert text.index("Health Facilities") < text.index("Region Codes")
    assert "Health Office 1 dataset" in text and "Office Without Data 0 datasets" in text
    assert "See the list." in text
    assert "No datasets published yet." in read(site, "en/kosong/index.html").plain
    agency = read(site, "dinkes/index.html")
    assert "<p>Urusan <strong>kesehatan</strong>.</p>" in (site / "dinkes/index.html").read_text()
    assert "https://dinkes.example.go.id" in agency.plain


def test_datapackage(site: Path) -> None:
    path = site / "dinkes" / "fasilitas-kesehatan" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["name"] == "fasilitas-kesehatan"
    assert package["title"] == "Fasilitas Kesehatan " + HOSTILE_TITLE
    assert package["translations"]["en"]["title"] == "Health Facilities " + HOSTILE_TITLE
    assert package["version"] == "2024.1"
    assert package["keywords"] == ["kesehatan", "puskesmas"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {c["role"] for c in package["contributors"]} == {"publisher", "maintainer"}
    (resource,) = package["resources"]
    assert resource["path"] == "2024.1/puskesmas.csv"
    assert (resource["format"], resource["mediatype"], resource["encoding"]) == (
        "csv",
        "text/csv",
        "utf-8",
    )
    data = PUSKESMAS_CSV.encode()
    assert resource["bytes"] == len(data)
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert "foreignKeys" not in resource["schema"]
    assert resource["schema"]["opendata:foreignKeys"] == PUSKESMAS_SCHEMA["foreignKeys"]
    assert resource["schema"]["primaryKey"] == ["kode"]
    # The raw file's parsing options do not describe the normalized CSV.
    assert resource["schema"]["fields"][4] == {"name": "dibuka", "type": "date"}
    assert resource["schema"]["fields"][5] == {"name": "bor", "type": "number", "unit": "%"}
    assert "missingValues" not in resource["schema"]
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("dataset", ["dinkes/fasilitas-kesehatan", "kemendagri/wilayah"])
def test_datapackage_is_valid_for_frictionless(site: Path, dataset: str) -> None:
    report = frictionless.Package(str(site / dataset / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])


def test_same_package_foreign_keys_stay(catalogue: Catalogue, tmp_path: Path) -> None:
    schema = {
        **PROVINSI_SCHEMA,
        "foreignKeys": [{"fields": "kode", "reference": {"resource": "", "fields": "kode"}}],
    }
    out = tmp_path / "site"
    result = make_result(
        catalogue.root,
        out,
        "kemendagri/wilayah",
        table=(PROVINSI_CSV, schema, "provinsi"),
        title=Text("Wilayah"),
    )
    render(catalogue, [result], out=out, build_time=BUILD_TIME)
    package = json.loads((out / "kemendagri/wilayah/datapackage.json").read_text())
    assert package["resources"][0]["schema"]["foreignKeys"] == schema["foreignKeys"]
    assert frictionless.Package(str(out / "kemendagri/wilayah/datapackage.json")).validate().valid


def test_render_is_deterministic(catalogue: Catalogue, tmp_path: Path) -> None:
    trees = []
    for name in ("one", "two"):
        out = tmp_path / name
        built(catalogue, list(reversed(make_results(catalogue, out))), out)
        trees.append(
            {
                str(p.relative_to(out)): p.read_bytes()
                for p in sorted(out.rglob("*"))
                if p.is_file() and not UNSTABLE.search(p.relative_to(out).as_posix())
            }
        )
    assert trees[0] == trees[1]
    assert "Built on 2024-05-01." in read(tmp_path / "one", "en/index.html").plain


def test_catalogue_overrides_templates_and_static(
    catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path
) -> None:
    theme = catalogue.root / "site_templates"
    (theme / "static").mkdir(parents=True)
    (theme / "_footer.html").write_text(
        '{% extends "default:_footer.html" %}\n'
        "{% block footer_extra %}<p>Portal uji coba</p>{% endblock %}\n",
        encoding="utf-8",
    )
    (theme / "static" / "style.css").write_text("body { color: black; }\n", encoding="utf-8")
    (theme / "static" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    out = built(catalogue, results, tmp_path / "site")
    for path in ("index.html", "en/dinkes/fasilitas-kesehatan/index.html"):
        text = read(out, path).plain
        assert "Portal uji coba" in text
        assert "Dinas Kominfo" in text  # the default footer it extends is still there
    assert (out / "static" / "style.css").read_text() == "body { color: black; }\n"
    assert (out / "static" / "logo.svg").is_file()


def test_catalogue_rewords_ui_strings(
    catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path
) -> None:
    po = catalogue_path(catalogue.root / "site_templates", "en")
    po.parent.mkdir(parents=True)
    po.write_text('msgid "index.agencies"\nmsgstr "Publishers"\n', encoding="utf-8")
    out = built(catalogue, results, tmp_path / "site")
    assert "Publishers" in read(out, "en/index.html").plain
    assert "Recently updated" in read(out, "en/index.html").plain
    assert "Instansi" in read(out, "index.html").plain


def test_indonesian_only_when_english_is_not_a_language(
    catalogue: Catalogue, results: list[DatasetResult], tmp_path: Path
) -> None:
    portal = Portal(title=Text("Portal"), languages=("id",))
    out = built(
        Catalogue(catalogue.root, portal, catalogue.agencies, ()), results, tmp_path / "site"
    )
    assert not (out / "en").exists()
    page = read(out, "index.html")
    assert [a["hreflang"] for a in page.find("link", rel="alternate")] == ["id"]


def test_relative_links_are_what_relpath_gives() -> None:
    # href() skips posixpath.relpath for speed; it must give its answer for every site path.
    rng = random.Random(3)
    names = ["en", "browse", "dinkes", "index.html", "x.csv", "2024.1", "theme", ".hidden"]
    for _ in range(20_000):
        page = "/".join(rng.choice(names) for _ in range(rng.randint(1, 5)))
        target = "/".join(rng.choice(names) for _ in range(rng.randint(1, 5)))
        assert href(page, target) == posixpath.relpath(target, posixpath.dirname(page) or ".")
    assert href("en/dinkes/index.html", "en/dinkes/index.html") == "index.html"
    assert href("en/a/b/index.html", "en/a/b") == "."
