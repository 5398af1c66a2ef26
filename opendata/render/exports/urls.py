"""Absolute addresses of the published site, for files read away from it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from opendata.models import Dataset, DatasetResult, License, Output
from opendata.render.links import PREFIXES

# IANA media types of the formats the convert stage writes.
MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IANA = "http://www.iana.org/assignments/media-types/"
# The EU file-type vocabulary that DCAT-AP asks `dct:format` to use.
FILE_TYPES = {"csv": "CSV", "parquet": "PARQUET", "json": "JSON", "xlsx": "XLSX"}
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class Urls:
    """Turn site paths into absolute URLs under the portal's `base_url`."""

    base: str  # no trailing slash

    def file(self, path: str) -> str:
        """Return the URL of a file given by its site-root path."""
        return f"{self.base}/{path}"

    def page(self, lang: str, *parts: str) -> str:
        """Return a page's URL as its folder, the form people share."""
        folder = "/".join(parts)
        return (
            f"{self.base}/{PREFIXES[lang]}{folder}/" if folder else f"{self.base}/{PREFIXES[lang]}"
        )

    def dataset(self, dataset: Dataset) -> str:
        """Return the IRI naming the dataset itself, distinct from its page."""
        return self.page("id", dataset.agency, dataset.name) + "#dataset"

    def agency(self, name: str) -> str:
        return self.page("id", name) + "#agency"


def media_type(output: Output) -> str:
    """Return the output's IANA media type, or a generic binary type for an unknown format."""
    return MEDIA_TYPES.get(output.format, "application/octet-stream")


def outputs(result: DatasetResult) -> list[tuple[str, Output]]:
    """Return (resource name, output) pairs of the dataset in a stable order."""
    return [(c.resource, o) for c in result.conversions for o in c.outputs]


def license_url(license: License) -> str:
    """Return the licence's URL, or an SPDX page when only an identifier is given."""
    if license.path.startswith(("http://", "https://")):
        return license.path
    name = quote(license.name, safe="")
    return f"https://spdx.org/licenses/{name}.html" if license.name else ""
