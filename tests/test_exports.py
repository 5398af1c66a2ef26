"""Machine-readable exports of the demo site, checked against the official standards."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, SH, XSD
from referencing import Registry, Resource

from tests.conftest import run

ROOT = Path(__file__).parent.parent
STANDARDS = ROOT.parent / "shared" / "standards"
DCAT_AP = STANDARDS / "dcat-ap-3.0.0"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IANA = "http://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    with pytest.MonkeyPatch.context() as patch:  # the autouse clock fixture is per test
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        result = run("build", ROOT, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def shapes(*, corrected: bool) -> rdflib.Graph:
    """Return the DCAT-AP 3.0.0 shapes; `corrected` applies 3.0.1's dcat:byteSize datatype."""
    graph = rdflib.Graph()
    graph.parse(DCAT_AP / "html-shacl/shapes.ttl").parse(DCAT_AP / "html-shacl/range.ttl")
    if corrected:
        for shape in list(graph.subjects(SH.path, DCAT.byteSize)):
            if (shape, SH.datatype, XSD.decimal) in graph:
                graph.remove((shape, SH.datatype, XSD.decimal))
                graph.add((shape, SH.datatype, XSD.nonNegativeInteger))
    return graph


def violations(data: rdflib.Graph, shacl: rdflib.Graph) -> list[tuple[str, str]]:
    """Return (path, message) of every sh:Violation."""
    ontology = rdflib.Graph().parse(DCAT_AP / "background-subclasses.ttl")
    _, report, _ = pyshacl.validate(data, shacl_graph=shacl, ont_graph=ontology)
    return sorted(
        (str(report.value(result, SH.resultPath)), str(report.value(result, SH.resultMessage)))
        for result in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(result, SH.resultSeverity) == SH.Violation
    )


@pytest.mark.parametrize(
    ("name", "fmt"), [("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")]
)
def test_dcat_ap_catalogue_has_no_shacl_violation(site: Path, name: str, fmt: str) -> None:
    graph = rdflib.Graph().parse(site / name, format=fmt)
    assert violations(graph, shapes(corrected=True)) == []
    # Against 3.0.0 exactly, only its since-corrected byteSize datatype (xsd:decimal) complains.
    paths = {path for path, _ in violations(graph, shapes(corrected=False))}
    assert paths == {str(DCAT.byteSize)}


def test_turtle_and_json_ld_are_the_same_graph(site: Path) -> None:
    turtle = rdflib.Graph().parse(site / "catalog.ttl")
    jsonld = rdflib.Graph().parse(site / "catalog.jsonld", format="json-ld")
    assert len(turtle) > 500
    assert isomorphic(turtle, jsonld)


def test_distributions_give_media_type_iris_and_true_checksums(site: Path) -> None:
    graph = rdflib.Graph().parse(site / "catalog.ttl")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(list(site.glob("*/*/datapackage.json")))
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) >= 2 * len(datasets)
    for distribution in distributions:
        url = str(graph.value(distribution, DCAT.downloadURL))
        local = site / url.removeprefix("https://data.nusaharapan.example/")
        data = local.read_bytes()
        checksum = graph.value(distribution, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert int(graph.value(distribution, DCAT.byteSize)) == len(data)
        assert str(graph.value(distribution, DCAT.mediaType)).startswith(IANA)
        assert graph.value(distribution, rdflib.URIRef("http://purl.org/dc/terms/license"))
    csv = [d for d in distributions if str(graph.value(d, DCAT.downloadURL)).endswith(".csv")]
    assert {str(graph.value(d, DCAT.mediaType)) for d in csv} == {IANA + "text/csv"}


def test_data_json_is_valid_dcat_us(site: Path) -> None:
    folder = STANDARDS / "dcat-us-1.1"
    schemas = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema)) for schema in schemas.values()
    )
    validator = jsonschema.Draft4Validator(
        schemas["catalog.json"], registry=registry, format_checker=jsonschema.FormatChecker()
    )
    document = json.loads((site / "data.json").read_text(encoding="utf-8"))
    assert [error.message for error in validator.iter_errors(document)] == []
    required = schemas["dataset.json"]["required"]
    assert len(document["dataset"]) == len(list(site.glob("*/*/datapackage.json")))
    for dataset in document["dataset"]:
        assert all(dataset.get(key) not in (None, "", []) for key in required), dataset["title"]
        for distribution in dataset["distribution"]:
            path = distribution["downloadURL"].removeprefix("https://data.nusaharapan.example/")
            assert (site / path).is_file()


class Scripts(HTMLParser):
    """Collect the text of each <script type="application/ld+json"> and each <link>."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._inside = True
            self.jsonld.append("")
        if tag == "link":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.jsonld[-1] += data


def parse(page: Path) -> Scripts:
    parser = Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def dataset_pages(site: Path) -> list[Path]:
    return sorted(
        page
        for package in site.glob("*/*/datapackage.json")
        for page in (
            package.parent / "index.html",
            site / "en" / package.parent.relative_to(site) / "index.html",
        )
    )


def test_every_dataset_page_has_schema_org_dataset(site: Path) -> None:
    google = json.loads(
        (STANDARDS / "schema-org-dataset/google-dataset-requirements.json").read_text()
    )
    pages = dataset_pages(site)
    assert len(pages) >= 24
    for page in pages:
        [text] = parse(page).jsonld
        data = json.loads(text)
        assert data["@context"] in google["context_accepted"]
        assert data["@type"] in google["dataset_types"]
        for key in [*google["required"], *google["recommended"]]:
            assert data.get(key), f"{page}: no {key}"
        assert 50 <= len(data["description"]) <= 5000
        assert data["url"].startswith("https://data.nusaharapan.example/")
        for download in data["distribution"]:
            assert download["contentUrl"] and download["encodingFormat"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["dateModified"])


def test_csvw_metadata_describes_each_csv(site: Path) -> None:
    csvs = sorted(site.glob("*/*/*/*.csv"))
    assert csvs
    for path in csvs:
        metadata = json.loads(Path(f"{path}-metadata.json").read_text(encoding="utf-8"))
        assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
        assert metadata["url"] == path.name
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        names = [column["name"] for column in metadata["tableSchema"]["columns"]]
        assert names == [label.strip('"') for label in header]


def test_sitemap_lists_every_page_and_only_pages(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    pages = {p for p in site.rglob("index.html") if "pagefind" not in p.parts}
    assert len(locations) == len(pages)
    for location in locations:
        path = location.removeprefix("https://data.nusaharapan.example/")
        assert (site / path / "index.html").is_file(), location
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://data.nusaharapan.example/sitemap.xml" in robots


def test_atom_feeds_site_wide_and_per_agency(site: Path) -> None:
    packages = list(site.glob("*/*/datapackage.json"))
    for lang, prefix in (("id", ""), ("en", "en/")):
        feed = ET.parse(site / prefix / "feed.xml").getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == len(packages)
        updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
        assert updated == sorted(updated, reverse=True)
        for entry in entries:
            assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}id")
    for agency in {package.parent.parent.name for package in packages}:
        feed = ET.parse(site / agency / "feed.xml").getroot()
        mine = [p for p in packages if p.parent.parent.name == agency]
        assert len(feed.findall(f"{ATOM}entry")) == len(mine)


def test_title_with_script_end_tag_cannot_break_the_json_ld(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    descriptor = root / "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
    hostile = "Sekolah </script><script>alert(1)</script> & <!-- x"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("id: Jumlah Sekolah", f"id: '{hostile}'"), encoding="utf-8")
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    html = (out / "dinas-uji/jumlah-sekolah/index.html").read_text(encoding="utf-8")
    [text] = parse(out / "dinas-uji/jumlah-sekolah/index.html").jsonld
    assert json.loads(text)["name"] == hostile
    assert "alert(1)</script>" not in html


def test_without_base_url_only_relative_exports_are_written(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    settings = root / "opendata.yaml"
    settings.write_text(settings.read_text().replace("base_url: https://data.example.org\n", ""))
    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    for name in ("catalog.jsonld", "catalog.ttl", "data.json", "sitemap.xml", "feed.xml"):
        assert not (out / name).exists()
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert list(out.glob("*/*/*/*.csv-metadata.json"))
    [text] = parse(out / "dinas-uji/jumlah-sekolah/index.html").jsonld
    assert "url" not in json.loads(text)


def test_pages_announce_the_machine_readable_files(site: Path) -> None:
    def announced(page: str) -> dict[str, dict[str, str | None]]:
        links = parse(site / page).links
        found = {str(link["href"]): link for link in links if link.get("type")}
        for href in found:  # every announced file exists, relative to the page
            assert (site / page).parent.joinpath(href).resolve().is_file(), (page, href)
        return found

    home = announced("index.html")
    for name, kind in (
        ("catalog.jsonld", "application/ld+json"),
        ("catalog.ttl", "text/turtle"),
        ("data.json", "application/json"),
        ("feed.xml", "application/atom+xml"),
    ):
        assert home[name]["rel"] == "alternate" and home[name]["type"] == kind
    agency = announced("en/dinkes/index.html")
    assert {"feed.xml", "../feed.xml", "../../catalog.jsonld"} <= set(agency)
    dataset = announced("dinkes/puskesmas/index.html")
    assert {"datapackage.json", "../feed.xml", "../../feed.xml"} <= set(dataset)


def test_hreflang_alternates_are_absolute_for_search_engines(site: Path) -> None:
    links = parse(site / "en/dinkes/puskesmas/index.html").links
    alternates = {link["hreflang"]: link["href"] for link in links if link.get("hreflang")}
    assert alternates == {
        "id": "https://data.nusaharapan.example/dinkes/puskesmas/",
        "en": "https://data.nusaharapan.example/en/dinkes/puskesmas/",
    }
    links = parse(site / "en/404.html").links
    alternates = {link["hreflang"]: link["href"] for link in links if link.get("hreflang")}
    assert alternates["id"] == "https://data.nusaharapan.example/404.html"
