"""Search on a 10,000-dataset site, in headless Chromium: found, and under 300 kB per query.

The site comes from tests/synthetic_site.py (real templates and real Pagefind indexing over
generated metadata; one dataset really built). Every byte the browser receives after the
search page has loaded counts: Pagefind's script, WebAssembly, metadata, index chunks,
filter indexes and result fragments.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opendata.render import DEFAULT_THEME, environment, render_page, site_languages
from opendata.render.browse import browse_data, facet_index, listing
from opendata.render.exports.discover import Discovery
from opendata.render.frame import Site
from opendata.render.locale import translator
from opendata.render.pager import PER_PAGE
from tests.synthetic_site import searchable_site, synthetic
from tests.test_browser import ARGS, CHROMIUM, sync_api
from tests.test_site_pages import PAGE_BUDGET

DATASETS = 10_000
LIMIT = 300_000  # bytes one query may transfer (issue 4)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple]:
    """Return the generated site and its (catalogue, results)."""
    root = tmp_path_factory.mktemp("scale")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        catalogue, results = synthetic(root / "catalogue", datasets=DATASETS)
        site = searchable_site(catalogue, results, out=root / "site")
    return site, (catalogue, results)


@pytest.fixture(scope="module")
def origin(big: tuple[Path, tuple]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(big[0])))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _search_page(browser: object, origin: str, prefix: str) -> tuple[object, dict[str, int], list]:
    """Open the search page at a phone's size; return it and the bytes received from now on."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{origin}/{prefix}search/")
    page.wait_for_load_state("networkidle")
    sizes: dict[str, int] = {}

    def finished(request: object) -> None:
        got = request.sizes()
        sizes[request.url] = got["responseBodySize"] + got["responseHeadersSize"]

    page.on("requestfinished", finished)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(origin) else None)
    return page, sizes, outside


def _received(page: object, sizes: dict[str, int], outside: list[str]) -> int:
    page.wait_for_load_state("networkidle")
    assert outside == []
    return sum(sizes.values())


@pytest.mark.parametrize(
    ("lang", "dataset"),
    [("id", 4321), ("en", 777)],
)
def test_a_query_finds_its_dataset_under_300_kb(
    big: tuple[Path, tuple], origin: str, browser: object, lang: str, dataset: int, record_property
) -> None:
    target = big[1][1][dataset].dataset
    title, path = target.title.get(lang), f"/{target.agency}/{target.name}/"
    page, sizes, outside = _search_page(browser, origin, "en/" if lang == "en" else "")
    page.fill("main input[name=q]", title)
    page.press("main input[name=q]", "Enter")
    page.locator(f"#search-results a[href*='{path}']").first.wait_for(timeout=60_000)
    transferred = _received(page, sizes, outside)
    record_property(f"search_bytes_{lang}", transferred)
    print(f"\n{DATASETS} datasets, query {title!r} ({lang}): {transferred} bytes")
    assert any("/pagefind/fragment/" in url for url in sizes)  # results came from the index
    assert 0 < transferred < LIMIT
    page.context.close()


def test_a_filtered_query_stays_under_300_kb(
    big: tuple[Path, tuple], origin: str, browser: object, record_property
) -> None:
    """An Indonesian word, then the agency filter: the filter index counts too."""
    results = big[1][1]
    agency = "dinas-007"
    target = next(
        r.dataset
        for r in results
        if r.dataset.agency == agency and "curah hujan" in r.dataset.title.id
    )
    page, sizes, outside = _search_page(browser, origin, "")
    page.fill("main input[name=q]", "curah hujan")
    page.press("main input[name=q]", "Enter")
    page.locator("#search-results a").first.wait_for(timeout=60_000)
    page.click("button.refine")
    page.select_option("#filter-agency", "Dinas Contoh 007")
    link = f"#search-results a[href*='/{agency}/{target.name}/']"
    page.locator(link).first.wait_for(timeout=60_000)
    shown = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
    assert shown and all(f"/{agency}/" in href for href in shown)
    transferred = _received(page, sizes, outside)
    record_property("search_bytes_filtered", transferred)
    print(f"\n{DATASETS} datasets, 'curah hujan' + agency filter: {transferred} bytes")
    assert any("/pagefind/filter/" in url for url in sizes)
    assert 0 < transferred < LIMIT
    page.context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_listing_pages_stay_light_at_10000_datasets(
    big: tuple[Path, tuple], lang: str, record_property
) -> None:
    """Browse's first and last pages: at most 60 kB with their CSS and JS; its JSON, recorded."""
    catalogue, results = big[1]
    t = translator(lang, (DEFAULT_THEME,))
    site = Site(catalogue, results, lang, site_languages(catalogue.portal), t, "2024-06-01")
    env = environment(catalogue.root / "site_templates")
    env.globals["exports"] = Discovery(catalogue, {r.dataset.id: r for r in results})
    pages = listing(site, facet_index(site), None)
    assert len(pages) == DATASETS // PER_PAGE
    own = sum(
        (DEFAULT_THEME / "static" / name).stat().st_size for name in ("style.css", "browse.js")
    )
    for page in (pages[0], pages[-1]):
        weight = len(render_page(env, page, t).encode("utf-8")) + own
        assert weight <= PAGE_BUDGET, f"{page.meta.path} weighs {weight} bytes"
    data = browse_data(site).encode("utf-8")
    record_property(f"browse_json_bytes_{lang}", len(data))
    print(f"\n{DATASETS} datasets: {lang} browse/datasets.json {len(data)} bytes")
    assert len(json.loads(data)["datasets"]) == DATASETS
