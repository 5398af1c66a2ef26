"""The typed context of each page: Python computes it, templates only print it.

Every string here is plain text that templates escape, except fields typed `Markup`,
which hold sanitized HTML. Every `href` is already relative to the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from markupsafe import Markup

if TYPE_CHECKING:
    from opendata.render.versions import VersionView

NO_MARKUP = Markup("")


@dataclass(frozen=True)
class Link:
    text: str
    href: str = ""  # empty: the template shows the text unlinked


@dataclass(frozen=True)
class Alternate:
    """The same page in one language."""

    lang: str
    label: str  # the language's own name
    href: str
    current: bool


@dataclass(frozen=True)
class Meta:
    """What every page shows around its content: head, header, banner, footer."""

    lang: str
    path: str  # the page's path from the site root
    title: str  # the <title>
    description: str  # the meta description, plain text
    portal: str  # the portal's title
    home: str  # the home page in this language
    static: str  # the static folder, with a trailing "/"
    alternates: tuple[Alternate, ...]  # every language version, this one included
    switch: tuple[Alternate, ...]  # the other language versions
    crumbs: tuple[Link, ...]  # the pages above this one
    sample: bool  # show the sample-data banner
    publisher: str
    build_date: str  # YYYY-MM-DD, from SOURCE_DATE_EPOCH
    nav: tuple[Link, ...] = ()  # browse, quality; a current page's link has no href
    search: str = ""  # the search page, the search form's action
    scripts: tuple[str, ...] = ()  # hrefs of the page's own scripts
    style: Markup = NO_MARKUP  # inline CSS instead of the stylesheet (the 404 page)


@dataclass(frozen=True)
class Stat:
    """A labelled figure: "Datasets 17"."""

    label: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class ContactView:
    name: str
    email: str
    href: str  # mailto link, or ""


@dataclass(frozen=True)
class DatasetItem:
    """A dataset in a list."""

    title: Link
    agency: Link
    excerpt: str
    modified: str
    freshness: str = ""  # fresh, due, overdue, unknown
    freshness_label: str = ""


@dataclass(frozen=True)
class AgencyItem:
    """An agency in a list, with its number of datasets."""

    link: Link
    count: str


@dataclass(frozen=True)
class FieldRow:
    """One row of a data dictionary."""

    name: str
    title: str
    type: str  # type, and format when not the default
    unit: str
    description: Markup
    constraints: str  # e.g. "required, minimum 0, one of: A, B"
    keys: tuple[Link, ...]  # primary, unique and foreign key notes
    public: str = ""  # why this column's personal data is published, when declared public


@dataclass(frozen=True)
class Download:
    label: str  # "CSV", "Parquet"
    file: str
    href: str
    size: str  # e.g. "12.3 kB"
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Validation:
    valid: bool
    status: str
    rows: str
    schema: str  # the shared schema's name, or a note that the schema is inline
    href: str = ""  # the resource's validation report page


@dataclass(frozen=True)
class Preview:
    """The first rows of a table, every cell as text."""

    labels: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str  # "The first 50 of 1,234 rows"


@dataclass(frozen=True)
class ColumnView:
    """One column's profile: figures, top values and a chart with its text alternative."""

    name: str
    kind: str
    stats: tuple[Stat, ...]
    top: tuple[Stat, ...]
    chart: Markup  # inline SVG, or empty
    chart_text: str  # what the chart shows, in words


@dataclass(frozen=True)
class Code:
    label: str
    code: str


@dataclass(frozen=True)
class ResourceView:
    name: str
    anchor: str  # the id of its section on the dataset page
    title: str
    description: Markup
    fields: tuple[FieldRow, ...]
    downloads: tuple[Download, ...]
    validation: Validation | None
    preview: Preview | None = None
    columns: tuple[ColumnView, ...] = ()
    snippets: tuple[Code, ...] = ()
    no_xlsx: str = ""  # why there is no XLSX download: more rows than an Excel sheet holds


@dataclass(frozen=True)
class Facet:
    """A browse facet and its values, each with a count and its own listing page."""

    key: str  # agency, theme, format, license, freshness, year
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class FacetValue:
    label: str
    slug: str
    count: int
    href: str
    current: bool = False


@dataclass(frozen=True)
class PageLink:
    """One numbered link of a pager; a gap has the number "…" and no href."""

    number: str
    href: str
    current: bool
    label: str  # "Page", read before the number by screen readers


@dataclass(frozen=True)
class Pager:
    """The links between the pages of a long listing."""

    label: str  # the navigation's accessible name
    status: str  # "Page 2 of 200"
    previous: str  # href, "" on the first page
    next: str  # href, "" on the last page
    previous_text: str
    next_text: str
    pages: tuple[PageLink, ...]


@dataclass(frozen=True)
class IndexPage:
    template: ClassVar[str] = "index.html"
    meta: Meta
    tagline: str
    stats: tuple[Stat, ...]
    recent: tuple[DatasetItem, ...]
    agencies: tuple[AgencyItem, ...]
    themes: tuple[FacetValue, ...]
    browse: str  # href of the browse page


@dataclass(frozen=True)
class BrowsePage:
    template: ClassVar[str] = "browse.html"
    meta: Meta
    heading: str
    facets: tuple[Facet, ...]
    datasets: tuple[DatasetItem, ...]
    total: str  # "17 datasets"
    clear: str  # href of the unfiltered listing, "" on it
    pager: Pager | None = None  # None when the listing fits on one page
    data: str = ""  # href of the listing's JSON for the filtering script, on the full listing


@dataclass(frozen=True)
class SearchPage:
    template: ClassVar[str] = "search.html"
    meta: Meta
    datasets: tuple[DatasetItem, ...]  # the listing shown without JavaScript
    filters: str = "{}"  # JSON: each search filter's values and page counts, for the script
    pager: Pager | None = None  # the full listing's further pages, for browsers without JS


@dataclass(frozen=True)
class AgencyPage:
    template: ClassVar[str] = "agency.html"
    meta: Meta
    title: str
    description: Markup
    website: Link | None
    contact: ContactView | None
    datasets: tuple[DatasetItem, ...]
    scorecard: tuple[Stat, ...] = ()


@dataclass(frozen=True)
class ScoreRow:
    agency: Link
    cells: tuple[Stat, ...]  # datasets, valid, fresh, licensed


@dataclass(frozen=True)
class QualityPage:
    template: ClassVar[str] = "quality.html"
    meta: Meta
    headers: tuple[str, ...]
    rows: tuple[ScoreRow, ...]
    total: ScoreRow
    late: tuple[DatasetItem, ...]  # overdue datasets
    refused: tuple[Link, ...]  # datasets left out of the site because they failed validation


@dataclass(frozen=True)
class DatasetPage:
    template: ClassVar[str] = "dataset.html"
    meta: Meta
    title: str
    description: Markup
    agency: Link
    contact: ContactView | None
    licenses: tuple[Link, ...]
    frequency: str
    version: str
    modified: str
    temporal: str
    spatial: tuple[str, ...]
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    resources: tuple[ResourceView, ...]
    datapackage: str  # href of datapackage.json
    theme_links: tuple[Link, ...] = ()  # each theme's browse listing
    open_licence: str = ""  # "Open licence" / "Not an open licence", "" without a licence
    licence_state: str = ""  # "open", "closed", or "" without a licence
    freshness: str = ""
    freshness_label: str = ""
    freshness_note: str = ""  # "next update due by 2025-11-05"
    apa: str = ""
    bibtex: str = ""
    versions: tuple[VersionView, ...] = ()  # newest first; only a published site has them


@dataclass(frozen=True)
class ErrorRow:
    row: str
    field: str
    type: str
    message: str


@dataclass(frozen=True)
class ReportPage:
    template: ClassVar[str] = "report.html"
    meta: Meta
    title: str
    dataset: Link
    valid: bool
    status: str
    facts: tuple[Stat, ...]  # file, schema, checked on, rows, encoding, delimiter
    checks: tuple[str, ...]  # what was checked, in words
    errors: tuple[ErrorRow, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class NotFoundPage:
    template: ClassVar[str] = "404.html"
    meta: Meta
    links: tuple[Link, ...]


Page = (
    IndexPage
    | BrowsePage
    | SearchPage
    | AgencyPage
    | QualityPage
    | DatasetPage
    | ReportPage
    | NotFoundPage
)
