"""The DCAT-US 1.1 (Project Open Data) catalogue, `data.json`, read by data.gov-style harvesters."""

from __future__ import annotations

from typing import Any

from opendata.models import Catalogue, DatasetResult
from opendata.render.datapackage import licenses_of
from opendata.render.exports.urls import Urls, license_url, media_type, outputs
from opendata.render.markdown import excerpt

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
# ISO 8601 repeating durations, as DCAT-US 1.1 writes frequencies.
PERIODS = {
    "daily": "R/P1D",
    "weekly": "R/P1W",
    "monthly": "R/P1M",
    "quarterly": "R/P3M",
    "semiannual": "R/P6M",
    "annual": "R/P1Y",
    "irregular": "irregular",
}
# Required by the schema for US federal agencies; "000" codes say "not a US agency".
NO_BUREAU, NO_PROGRAM = "000:00", "000:000"


def data_json(
    catalogue: Catalogue, results: tuple[DatasetResult, ...], urls: Urls
) -> dict[str, Any]:
    """Return the catalogue as a DCAT-US 1.1 document."""
    return {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@id": urls.file("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [_dataset(catalogue, result, urls) for result in results],
    }


def _dataset(catalogue: Catalogue, result: DatasetResult, urls: Urls) -> dict[str, Any]:
    dataset = result.dataset
    agency = catalogue.agency(dataset.agency)
    contact = dataset.contact if dataset.contact.email else agency.contact
    licences = [license_url(lic) for lic in licenses_of(dataset, catalogue.portal)]
    themes = [theme.get("id") for theme in dataset.themes]  # data.json is in Bahasa Indonesia
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": urls.dataset(dataset),
        "title": dataset.title.get("id"),
        "description": excerpt(dataset.description.get("id"), limit=5000)
        or dataset.title.get("id"),
        "keyword": list(dataset.keywords or themes or (agency.name,)),
        "modified": dataset.modified or None,
        "publisher": {"@type": "org:Organization", "name": agency.title.get("id")},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": contact.name or contact.email or agency.title.get("id"),
            "hasEmail": f"mailto:{contact.email}",
        },
        "accessLevel": "public",
        "bureauCode": [NO_BUREAU],
        "programCode": [NO_PROGRAM],
        "license": next((url for url in licences if url), None),
        "landingPage": urls.page("id", dataset.agency, dataset.name),
        "language": [lang for lang in ("id", "en") if dataset.title.get(lang)],
        "theme": themes or None,
        "accrualPeriodicity": PERIODS.get(dataset.frequency),
        "spatial": ", ".join(dataset.spatial) or None,
        "temporal": "/".join(dataset.temporal) if all(dataset.temporal) else None,
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": f"{name}.{output.format}",
                "downloadURL": urls.file(output.path),
                "mediaType": media_type(output),
                "format": output.format.upper(),
            }
            for name, output in outputs(result)
        ],
    }
    if not contact.email:
        del entry["contactPoint"]["hasEmail"]  # the schema then reports the missing address
    return {key: value for key, value in entry.items() if value is not None}
