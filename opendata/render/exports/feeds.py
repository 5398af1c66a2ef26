"""Atom feeds, the sitemap and robots.txt: how readers and crawlers learn what changed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from opendata.models import DatasetResult
from opendata.render.exports.urls import Urls
from opendata.render.markdown import excerpt

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages that are no content of their own: crawlers should not list them.
UNLISTED = ("404.html",)
SEARCH_INDEX = "pagefind/"


def atom(
    results: Iterable[DatasetResult], urls: Urls, *, lang: str, title: str, path: str, built: str
) -> str:
    """Return an Atom feed of `results`, newest modification first; `path` is the feed's own."""
    entries = sorted(
        results, key=lambda r: (r.dataset.modified or built, r.dataset.id), reverse=True
    )
    updated = max((r.dataset.modified or built for r in entries), default=built)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="{lang}">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(urls.file(path))}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(urls.file(path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(urls.page(lang))}/>',
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(title)}</name></author>",
    ]
    for result in entries:
        lines.extend(_entry(result, urls, lang, built))
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(result: DatasetResult, urls: Urls, lang: str, built: str) -> list[str]:
    dataset = result.dataset
    page = urls.page(lang, dataset.agency, dataset.name)
    summary = excerpt(dataset.description.get(lang), limit=300)
    return [
        "  <entry>",
        f"    <title>{escape(dataset.title.get(lang))}</title>",
        f"    <id>{escape(urls.dataset(dataset))}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(page)}/>',
        f"    <updated>{_stamp(dataset.modified or built)}</updated>",
        f"    <summary>{escape(summary or dataset.title.get(lang))}</summary>",
        "  </entry>",
    ]


def sitemap(site: Path, urls: Urls) -> str:
    """Return a sitemap of every page written into `site`, found on disk so no page is missed."""
    paths = sorted(
        path.relative_to(site).as_posix() for path in site.rglob("*.html") if path.is_file()
    )
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP}">']
    for path in paths:
        if path.rsplit("/", 1)[-1] in UNLISTED or path.startswith(SEARCH_INDEX):
            continue
        folder = path.removesuffix("index.html")
        lines.append(
            f"  <url><loc>{escape(urls.file(folder) if folder else urls.page('id'))}</loc></url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(urls: Urls | None) -> str:
    """Return robots.txt: everything may be crawled; the sitemap is named when URLs are known."""
    text = "User-agent: *\nAllow: /\n"
    return text + f"Sitemap: {urls.file('sitemap.xml')}\n" if urls else text


def _stamp(date: str) -> str:
    """Return an RFC 3339 timestamp for a YYYY-MM-DD date (or a full timestamp as is)."""
    return f"{date}T00:00:00Z" if len(date) == 10 else date
