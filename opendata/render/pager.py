"""Long listings split into pages, so no page a phone opens lists thousands of datasets.

Page 1 keeps the listing's own address (`browse/`); page k lives in `browse/page/k/`.
The pager shows the first and last pages and two either side of the current one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from opendata.render.context import PageLink, Pager
from opendata.render.links import href, page_path
from opendata.render.locale import Translate

PER_PAGE = 50  # datasets on one listing page
AROUND = 2  # page numbers shown either side of the current one
GAP = "…"

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = PER_PAGE) -> list[Sequence[T]]:
    """Return the items split into pages of `size`; an empty listing is one empty page."""
    return [items[at : at + size] for at in range(0, len(items), size)] or [items[:0]]


def listing_path(lang: str, parts: tuple[str, ...], number: int) -> str:
    """Return the site-root path of page `number` of the listing in folder `parts`."""
    return page_path(lang, *parts) if number == 1 else page_path(lang, *parts, "page", str(number))


def listing_parts(parts: tuple[str, ...], number: int) -> tuple[str, ...]:
    """Return the folders of page `number` of the listing in folder `parts`."""
    return parts if number == 1 else (*parts, "page", str(number))


def pager(
    t: Translate, lang: str, path: str, parts: tuple[str, ...], number: int, count: int
) -> Pager | None:
    """Return the links of a listing's pages as seen from `path`, or None for one page."""
    if count <= 1:
        return None

    def link(n: int) -> str:
        return href(path, listing_path(lang, parts, n))

    shown = sorted({1, count, *range(max(1, number - AROUND), min(count, number + AROUND) + 1)})
    word = t("pager.page")
    pages: list[PageLink] = []
    for n in shown:
        if pages and int(pages[-1].number if pages[-1].number != GAP else 0) < n - 1:
            pages.append(PageLink(GAP, "", False, ""))
        pages.append(PageLink(str(n), link(n), n == number, word))
    return Pager(
        label=t("pager.label"),
        status=t("pager.status", page=number, pages=count),
        previous=link(number - 1) if number > 1 else "",
        next=link(number + 1) if number < count else "",
        previous_text=t("pager.previous"),
        next_text=t("pager.next"),
        pages=tuple(pages),
    )
