"""Paginated listings on a generated 120-dataset catalogue, built with the real CLI.

Browse, every facet value's listing and the search page's no-JS fallback show at most
50 datasets a page, with numbered, translated page links; browse.js combines facets over
the whole listing from browse/datasets.json (checked in headless Chromium).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opendata.render.pager import PER_PAGE
from tests.conftest import run
from tests.generate_catalogue import generate
from tests.test_site_pages import PAGE_BUDGET, Tags

DATASETS = 120  # three pages: 50, 50, 20


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(tmp_path_factory.mktemp("listing") / "catalogue", datasets=DATASETS, agencies=4)
    out = root.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        result = run("build", root, "--out", out, "--no-cache")
    assert result.exit_code == 0, result.output
    return out


def pages_of(site: Path, folder: str) -> list[Path]:
    """Return a listing's pages in order: the folder's own page, then page/2/, page/3/…"""
    found = [site / folder / "index.html"]
    while (site / folder / "page" / str(len(found) + 1) / "index.html").is_file():
        found.append(site / folder / "page" / str(len(found) + 1) / "index.html")
    return found


def listed(site: Path, page: Path, css: str = "dataset-list") -> list[str]:
    """Return the datasets a listing page links to, as agency/name."""
    html = page.read_text(encoding="utf-8")
    block = html.split(f'<ul class="{css}">', 1)[1].split("</ul>", 1)[0]
    hrefs = re.findall(r'<h3><a href="([^"]+)"', block)
    targets = [posixpath.normpath(posixpath.join(page.parent.as_posix(), h)) for h in hrefs]
    assert all(Path(t).is_file() for t in targets), targets
    return [Path(t).relative_to(site).parent.as_posix().removeprefix("en/") for t in targets]


def links(page: Path) -> dict[str, list[dict[str, str]]]:
    tags = Tags(page.read_text(encoding="utf-8")).tags
    found: dict[str, list[dict[str, str]]] = {}
    for tag, attrs in tags:
        found.setdefault(tag, []).append(attrs)
    return found


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_dataset_is_listed_once_across_the_pages(site: Path, prefix: str) -> None:
    pages = pages_of(site, prefix + "browse")
    assert len(pages) == 3
    assert not (site / prefix / "browse/page/1").exists()  # page 1 is browse/ itself
    counts = [len(listed(site, page)) for page in pages]
    assert counts == [PER_PAGE, PER_PAGE, DATASETS - 2 * PER_PAGE]
    everything = [d for page in pages for d in listed(site, page)]
    assert sorted(everything) == sorted(f"dinas-{n % 4:03d}/data-{n:05d}" for n in range(DATASETS))


@pytest.mark.parametrize(("prefix", "label"), [("", "Halaman daftar"), ("en/", "Listing pages")])
def test_pager_links_resolve_and_mark_the_current_page(site: Path, prefix: str, label: str) -> None:
    pages = pages_of(site, prefix + "browse")
    for number, page in enumerate(pages, 1):
        html = page.read_text(encoding="utf-8")
        nav = html.split(f'<nav class="pager" aria-label="{label}">', 1)[1].split("</nav>", 1)[0]
        hrefs = re.findall(r'href="([^"]+)"', nav)
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), (page, href)
        current = re.findall(r'href="([^"]+)" aria-current="page"', nav)
        assert [(page.parent / h).resolve() for h in current] == [page.resolve()]
        head = {a.get("rel"): a.get("href") for a in links(page)["link"]}
        if number > 1:
            assert (page.parent / head["prev"]).resolve() == pages[number - 2].resolve()
        else:
            assert "prev" not in head
        if number < len(pages):
            assert (page.parent / head["next"]).resolve() == pages[number].resolve()
        else:
            assert "next" not in head
    # Each page has its own title, so a reader (and a crawler) can tell them apart.
    titles = {p.read_text().split("<title>")[1].split("</title>")[0] for p in pages}
    assert len(titles) == len(pages)


def test_facet_listings_are_paginated_too(site: Path) -> None:
    licence = next((site / "browse/license").iterdir())  # every dataset: one licence
    pages = pages_of(site, licence.relative_to(site).as_posix())
    assert [len(listed(site, p)) for p in pages] == [50, 50, 20]
    agency = pages_of(site, "browse/agency/dinas-001")
    assert [len(listed(site, p)) for p in agency] == [30]
    assert "pager" not in agency[0].read_text()


def test_listing_pages_weigh_at_most_60_kb(site: Path) -> None:
    pages = sorted(site.glob("**/browse/**/index.html")) + sorted(site.glob("**/search/index.html"))
    assert len(pages) > 20
    for page in pages:
        tags = Tags(page.read_text(encoding="utf-8")).tags
        own = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
        own += [a["src"] for t, a in tags if t == "script" and "src" in a]
        size = page.stat().st_size + sum((page.parent / ref).stat().st_size for ref in own)
        assert size <= PAGE_BUDGET, f"{page.relative_to(site)} weighs {size} bytes"


def test_sitemap_has_every_listing_page(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in [*pages_of(site, "browse"), *pages_of(site, "en/browse")]:
        path = page.parent.relative_to(site).as_posix() + "/"
        assert f"/{path}</loc>" in sitemap, path


def test_search_fallback_lists_the_first_page_and_links_the_rest(site: Path) -> None:
    page = site / "en/search/index.html"
    assert len(listed(site, page)) == PER_PAGE
    html = page.read_text(encoding="utf-8")
    assert 'href="../browse/page/2/index.html" rel="next"' in html


def test_browse_data_holds_every_dataset_with_its_facets(site: Path) -> None:
    data = json.loads((site / "en/browse/datasets.json").read_text(encoding="utf-8"))
    assert len(data["datasets"]) == DATASETS
    assert len({d[1] for d in data["datasets"]}) == DATASETS
    agencies = data["facets"]["agency"]
    for title, dataset_id, modified, agency, *_ in data["datasets"]:
        assert [agencies[n] for n in agency] == [dataset_id.split("/")[0]]
        assert modified and title
    years = data["facets"]["year"]
    assert sorted(years) == [str(y) for y in range(2015, 2025)]


# In headless Chromium: choosing facets filters every dataset, not only the page's 50.


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_facets_filter_the_whole_listing_in_the_browser(site: Path, origin: str) -> None:
    from tests.test_browser import ARGS, CHROMIUM, sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{origin}/en/browse/")
        items = ".results .dataset-list > li"
        assert page.locator(items).count() == PER_PAGE
        # 2019 holds datasets 4, 14, … 114: 12, most of them beyond the first page.
        page.click("a[data-facet=year][data-value='2019']")
        page.wait_for_function(f"document.querySelectorAll('{items}').length === 12")
        assert page.locator(".total").inner_text() == "12 datasets"
        assert page.locator(".results .pager").is_hidden()
        hrefs = page.eval_on_selector_all(f"{items} h3 a", "as => as.map(a => a.href)")
        assert sorted(h.split("/")[-2] for h in hrefs) == [
            f"data-{n:05d}" for n in range(4, DATASETS, 10)
        ]
        # A second facet combines with the first; the counts follow.
        page.click("a[data-facet=agency][data-value='dinas-000']")
        page.wait_for_function(f"document.querySelectorAll('{items}').length === 6")
        assert "/en/browse/#" in page.url
        # Clearing brings back the served first page and its pager.
        page.click("button.clear")
        page.wait_for_function(f"document.querySelectorAll('{items}').length === {PER_PAGE}")
        assert page.locator(".results .pager").is_visible()
        browser.close()
    assert errors == []
