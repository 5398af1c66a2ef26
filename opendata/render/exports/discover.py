"""What pages announce and embed of the exports: discovery links and schema.org JSON-LD.

Templates call `Discovery.links(meta.path)` and `Discovery.schema_org(meta.path)`; both
are computed here, from the page's site path, so the page contexts need not know them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from markupsafe import Markup

from opendata.models import Catalogue, DatasetResult
from opendata.render.exports.schemaorg import dataset_schema, script
from opendata.render.links import PREFIXES, href

# The site-wide exports, with titles that are names, so they need no translation.
CATALOGUES = (
    ("catalog.jsonld", "application/ld+json", "DCAT-AP 3 (JSON-LD)"),
    ("catalog.ttl", "text/turtle", "DCAT-AP 3 (Turtle)"),
    ("data.json", "application/json", "DCAT-US 1.1"),
)


@dataclass(frozen=True)
class Alternate:
    """A machine-readable form of the site or page: `<link rel="alternate">`."""

    type: str
    title: str
    href: str


@dataclass(frozen=True)
class Discovery:
    """Answer the templates' questions about exports, for the page at a site path."""

    catalogue: Catalogue
    results: dict[str, DatasetResult] = field(default_factory=dict)  # by dataset id

    def links(self, path: str) -> tuple[Alternate, ...]:
        """Return the exports to announce on the page at `path` (e.g. "en/dinkes/index.html")."""
        lang, parts = _parts(path)
        portal = self.catalogue.portal
        found = []
        if portal.base_url:
            found = [Alternate(kind, title, href(path, name)) for name, kind, title in CATALOGUES]
            feed = PREFIXES[lang] + "feed.xml"
            found.append(
                Alternate("application/atom+xml", portal.title.get(lang), href(path, feed))
            )
            agency = next((a for a in self.catalogue.agencies if parts[:1] == [a.name]), None)
            if agency:
                feed = f"{PREFIXES[lang]}{agency.name}/feed.xml"
                title = agency.title.get(lang)
                found.append(Alternate("application/atom+xml", title, href(path, feed)))
        if len(parts) == 2 and "/".join(parts) in self.results:
            package = "/".join([*parts, "datapackage.json"])
            found.append(Alternate("application/json", "Data Package", href(path, package)))
        return tuple(found)

    def absolute(self, path: str, relative: str) -> str:
        """Return a link of the page at `path` as an absolute URL when base_url is known.

        Search engines want `hreflang` alternates absolute; pages keep relative links
        everywhere else, so the site still works from a USB copy.
        """
        base = self.catalogue.portal.base_url
        if not base or "://" in relative:  # the 404 page's links are absolute already
            return relative
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
        return f"{base}/{target.removesuffix('index.html')}"

    def schema_org(self, path: str) -> Markup:
        """Return the dataset page's schema.org JSON-LD, safe inside its <script> element."""
        lang, parts = _parts(path)
        result = self.results["/".join(parts)]
        return script(dataset_schema(self.catalogue, result, lang))


def _parts(path: str) -> tuple[str, list[str]]:
    """Return the page's language and its folders below the language root."""
    lang = next(
        (code for code, prefix in PREFIXES.items() if prefix and path.startswith(prefix)), "id"
    )
    folders = path.removeprefix(PREFIXES[lang]).split("/")[:-1]
    return lang, folders
