"""schema.org `Dataset` JSON-LD for each dataset page: what Google Dataset Search reads."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from opendata.models import Catalogue, DatasetResult
from opendata.render.datapackage import licenses_of
from opendata.render.exports.urls import Urls, license_url, media_type, outputs
from opendata.render.markdown import excerpt

# Google wants a description of 50 to 5,000 characters.
MIN_DESCRIPTION, MAX_DESCRIPTION = 50, 5000


def dataset_schema(catalogue: Catalogue, result: DatasetResult, lang: str) -> dict[str, Any]:
    """Return the dataset as a schema.org `Dataset`; URLs only when the portal's base_url is set."""
    dataset, portal = result.dataset, catalogue.portal
    agency = catalogue.agency(dataset.agency)
    urls = Urls(portal.base_url) if portal.base_url else None
    creator = {"@type": "Organization", "name": agency.title.get(lang)}
    if agency.website:
        creator["url"] = agency.website
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": dataset.title.get(lang),
        "description": description(catalogue, result, lang),
        "identifier": dataset.id,
        "keywords": [*dataset.keywords, *(theme.get(lang) for theme in dataset.themes)],
        "inLanguage": lang,
        "version": dataset.version,
        "creator": creator,
        "publisher": creator,
        "license": [license_url(lic) for lic in licenses_of(dataset, portal) if license_url(lic)],
        "includedInDataCatalog": {"@type": "DataCatalog", "name": portal.title.get(lang)},
        "isAccessibleForFree": True,
        "dateModified": dataset.modified,
        "temporalCoverage": "/".join(part or ".." for part in dataset.temporal)
        if any(dataset.temporal)
        else "",
        "spatialCoverage": [
            {"@type": "Place", "identifier": code, "name": code} for code in dataset.spatial
        ],
    }
    if urls:
        data["url"] = urls.page(lang, dataset.agency, dataset.name)
        data["includedInDataCatalog"]["url"] = urls.page(lang)
        data["distribution"] = [
            {
                "@type": "DataDownload",
                "name": f"{name}.{output.format}",
                "contentUrl": urls.file(output.path),
                "encodingFormat": media_type(output),
                "contentSize": f"{output.bytes} B",
                "sha256": output.sha256,
            }
            for name, output in outputs(result)
        ]
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def description(catalogue: Catalogue, result: DatasetResult, lang: str) -> str:
    """Return the description as plain text, lengthened with facts when under Google's minimum."""
    dataset = result.dataset
    text = excerpt(dataset.description.get(lang), limit=MAX_DESCRIPTION - 1)
    if len(text) < MIN_DESCRIPTION:
        agency = catalogue.agency(dataset.agency).title.get(lang)
        facts = (
            f"{dataset.title.get(lang)}, published by {agency} in {catalogue.portal.title.get(lang)}."
            if lang == "en"
            else f"{dataset.title.get(lang)}, diterbitkan oleh {agency} di {catalogue.portal.title.get(lang)}."
        )
        text = f"{text} {facts}".strip()
    return text


def script(data: dict[str, Any]) -> Markup:
    """Return JSON safe inside <script>: no "<", ">" or "&" can end the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    # U+2028/2029 are valid in JSON but were line ends for older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
