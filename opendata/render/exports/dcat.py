"""The DCAT-AP 3 catalogue, as JSON-LD (`catalog.jsonld`) and Turtle (`catalog.ttl`).

The JSON-LD is written by hand, as a flat `@graph` in which every node has an IRI:
no blank nodes means no random identifiers, so the same catalogue gives the same bytes.
The Turtle is the same graph, parsed and serialized by rdflib.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from opendata.models import Agency, Catalogue, Dataset, DatasetResult, Output, Text
from opendata.render.datapackage import licenses_of
from opendata.render.exports.urls import (
    FILE_TYPE,
    FILE_TYPES,
    IANA,
    Urls,
    license_url,
    media_type,
    outputs,
)
from opendata.render.markdown import excerpt

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
AUTHORITY = "http://publications.europa.eu/resource/authority/"
# Our frequencies in the EU frequency vocabulary.
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
}
LANGUAGES = {"id": "IND", "en": "ENG"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Node = dict[str, Any]


def catalog_jsonld(
    catalogue: Catalogue, results: tuple[DatasetResult, ...], urls: Urls, built: datetime
) -> dict[str, Any]:
    """Return the whole catalogue as one JSON-LD document."""
    portal = catalogue.portal
    graph: dict[str, Node] = {}
    home = urls.page("id")
    publisher = f"{home}#publisher"
    _add(
        graph,
        {
            "@id": publisher,
            "@type": "foaf:Agent",
            "foaf:name": portal.publisher or portal.title.get("id"),
        },
    )
    _add(graph, {"@id": home, "@type": "foaf:Document"})
    catalog: Node = {
        "@id": f"{home}#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts(portal.title),
        "dct:description": _texts(portal.tagline) or _texts(portal.title),
        "dct:publisher": _ref(publisher),
        "foaf:homepage": _ref(home),
        "dct:modified": _date(built.strftime("%Y-%m-%d")),
        "dct:language": [
            _ref(_language(graph, lang)) for lang in portal.languages if lang in LANGUAGES
        ],
        "dcat:dataset": [_ref(urls.dataset(r.dataset)) for r in results],
    }
    if portal.license:
        catalog["dct:license"] = _ref(_license(graph, license_url(portal.license)))
    if any(r.dataset.themes for r in results):
        catalog["dcat:themeTaxonomy"] = _ref(_scheme(graph, urls, portal.title))
    _add(graph, catalog)
    for result in results:
        agency = catalogue.agency(result.dataset.agency)
        _dataset(graph, catalogue, result, agency, urls)
    nodes = [graph[key] for key in sorted(graph)]
    return {"@context": CONTEXT, "@graph": nodes}


def turtle(document: dict[str, Any]) -> str:
    """Return the JSON-LD document's graph in Turtle."""
    from rdflib import Graph  # rdflib is slow to import; only builds that export need it

    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    graph.parse(data=json.dumps(document), format="json-ld")
    return graph.serialize(format="turtle")


def _dataset(
    graph: dict[str, Node], catalogue: Catalogue, result: DatasetResult, agency: Agency, urls: Urls
) -> None:
    dataset = result.dataset
    iri, page = urls.dataset(dataset), urls.page("id", dataset.agency, dataset.name)
    licences = [license_url(lic) for lic in licenses_of(dataset, catalogue.portal)]
    licence = next((url for url in licences if url), "")
    node: Node = {
        "@id": iri,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.id,
        "dct:title": _texts(dataset.title),
        "dct:description": _texts(_plain(dataset.description)) or _texts(dataset.title),
        "dct:publisher": _ref(_agent(graph, urls, agency)),
        "dcat:landingPage": _ref(_document(graph, page)),
        "dcat:keyword": [{"@value": k, "@language": "id"} for k in dataset.keywords],
        "dcat:theme": [_ref(_concept(graph, urls, theme)) for theme in dataset.themes],
        "dcat:distribution": [
            _ref(_distribution(graph, urls, dataset, licence, name, output))
            for name, output in outputs(result)
        ],
    }
    if dataset.version:
        node["dcat:version"] = dataset.version
    if DATE.match(dataset.modified):
        node["dct:modified"] = _date(dataset.modified)
    if dataset.frequency in FREQUENCIES:
        frequency = f"{AUTHORITY}frequency/{FREQUENCIES[dataset.frequency]}"
        _add(graph, {"@id": frequency, "@type": "dct:Frequency"})
        node["dcat:accrualPeriodicity"] = _ref(frequency)
    if any(dataset.temporal):
        node["dct:temporal"] = _ref(_period(graph, iri, dataset.temporal))
    if dataset.spatial:
        node["dct:spatial"] = [_ref(_location(graph, iri, code)) for code in dataset.spatial]
    contact = dataset.contact if (dataset.contact.name or dataset.contact.email) else agency.contact
    if contact.name or contact.email:
        card: Node = {
            "@id": f"{iri}-contact",
            "@type": "vcard:Kind",
            "vcard:fn": contact.name or contact.email,
        }
        if contact.email:
            card["vcard:hasEmail"] = _ref(f"mailto:{contact.email}")
        _add(graph, card)
        node["dcat:contactPoint"] = _ref(card["@id"])
    _add(graph, {key: value for key, value in node.items() if value != []})


def _distribution(
    graph: dict[str, Node],
    urls: Urls,
    dataset: Dataset,
    licence: str,
    resource: str,
    output: Output,
) -> str:
    url = urls.file(output.path)
    iri = f"{urls.dataset(dataset)}-{resource}-{output.format}"
    media = IANA + media_type(output)
    _add(graph, {"@id": media, "@type": "dct:MediaType"})
    node: Node = {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": f"{resource}.{output.format}",
        "dcat:accessURL": _ref(url),
        "dcat:downloadURL": _ref(url),
        "dcat:mediaType": _ref(media),
        "dcat:byteSize": {"@value": str(output.bytes), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": _ref(f"{iri}-sha256"),
    }
    if output.format in FILE_TYPES:
        file_type = FILE_TYPE + FILE_TYPES[output.format]
        _add(graph, {"@id": file_type, "@type": "dct:MediaTypeOrExtent"})
        node["dct:format"] = _ref(file_type)
    if licence:
        node["dct:license"] = _ref(_license(graph, licence))
    _add(
        graph,
        {
            "@id": f"{iri}-sha256",
            "@type": "spdx:Checksum",
            "spdx:algorithm": _ref("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
            "spdx:checksumValue": {"@value": output.sha256, "@type": "xsd:hexBinary"},
        },
    )
    _add(graph, node)
    return iri


def _agent(graph: dict[str, Node], urls: Urls, agency: Agency) -> str:
    iri = urls.agency(agency.name)
    node: Node = {"@id": iri, "@type": "foaf:Agent", "foaf:name": _texts(agency.title)}
    if agency.website.startswith(("http://", "https://")):
        node["foaf:homepage"] = _ref(_document(graph, agency.website))
    _add(graph, node)
    return iri


def _period(graph: dict[str, Node], iri: str, temporal: tuple[str, str]) -> str:
    node: Node = {"@id": f"{iri}-temporal", "@type": "dct:PeriodOfTime"}
    for key, value in zip(("dcat:startDate", "dcat:endDate"), temporal, strict=True):
        if DATE.match(value):
            node[key] = _date(value)
    _add(graph, node)
    return node["@id"]


def _location(graph: dict[str, Node], iri: str, code: str) -> str:
    """Return a place named by its region code (Kemendagri codes in Indonesia)."""
    # A region code is the catalogue's text: encoded, it cannot break the IRI or the Turtle.
    node = {
        "@id": f"{iri}-spatial-{quote(code, safe='')}",
        "@type": "dct:Location",
        "dct:identifier": code,
    }
    _add(graph, node)
    return node["@id"]


def _scheme(graph: dict[str, Node], urls: Urls, title: Text) -> str:
    iri = f"{urls.page('id')}#themes"
    _add(graph, {"@id": iri, "@type": "skos:ConceptScheme", "dct:title": _texts(title)})
    return iri


def _concept(graph: dict[str, Node], urls: Urls, theme: Text) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", theme.get("id").casefold()).strip("-")
    iri = f"{urls.page('id')}#theme-{slug}"
    scheme = f"{urls.page('id')}#themes"
    label = _texts(theme)
    _add(
        graph,
        {
            "@id": iri,
            "@type": "skos:Concept",
            "skos:prefLabel": label,
            "skos:inScheme": _ref(scheme),
        },
    )
    return iri


def _license(graph: dict[str, Node], url: str) -> str:
    _add(graph, {"@id": url, "@type": "dct:LicenseDocument"})
    return url


def _document(graph: dict[str, Node], url: str) -> str:
    _add(graph, {"@id": url, "@type": "foaf:Document"})
    return url


def _language(graph: dict[str, Node], lang: str) -> str:
    iri = f"{AUTHORITY}language/{LANGUAGES[lang]}"
    _add(graph, {"@id": iri, "@type": "dct:LinguisticSystem"})
    return iri


def _add(graph: dict[str, Node], node: Node) -> None:
    """Add a node; a node met twice (a shared licence, a media type) is kept once."""
    graph.setdefault(node["@id"], node)


def _texts(text: Text) -> list[dict[str, str]]:
    """Return the text in each language it has, as language-tagged literals."""
    return [
        {"@value": value, "@language": lang}
        for lang, value in (("id", text.id), ("en", text.en))
        if value
    ]


def _plain(text: Text) -> Text:
    """Return Markdown descriptions as plain text: RDF literals are not rendered."""
    return Text(excerpt(text.id, limit=5000), excerpt(text.en, limit=5000))


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:date"}
