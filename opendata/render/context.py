"""The typed context of each page: Python computes it, templates only print it.

Every string here is plain text that templates escape, except fields typed `Markup`,
which hold sanitized HTML. Every `href` is already relative to the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup


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


@dataclass(frozen=True)
class ResourceView:
    name: str
    anchor: str  # the id of its section on the dataset page
    title: str
    description: Markup
    fields: tuple[FieldRow, ...]
    downloads: tuple[Download, ...]
    validation: Validation | None


@dataclass(frozen=True)
class IndexPage:
    template: ClassVar[str] = "index.html"
    meta: Meta
    tagline: str
    datasets: tuple[DatasetItem, ...]
    agencies: tuple[AgencyItem, ...]


@dataclass(frozen=True)
class AgencyPage:
    template: ClassVar[str] = "agency.html"
    meta: Meta
    title: str
    description: Markup
    website: Link | None
    contact: ContactView | None
    datasets: tuple[DatasetItem, ...]


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


Page = IndexPage | AgencyPage | DatasetPage
