"""The built demo site in real headless Chromium: accessibility, keyboard, search, isolation.

The site is served from 127.0.0.1 by a thread; every request leaving that address fails
the test. axe-core (tests/assets/axe.min.js) checks WCAG 2.1 A and AA on each page, in both
languages, at a desktop and a small phone's width.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opendata.pipeline import build

sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).parent.parent
AXE = Path(__file__).parent / "assets" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": (1280, 800), "phone": (320, 640)}
# The page kinds, by path below the language root; a report path is found in the built site.
PAGES = {
    "home": "",
    "browse": "browse/",
    "search": "search/",
    "dataset": "dinkes/puskesmas/",
    "agency": "dinkes/",
    "report": None,
    "not-found": "404.html",
}

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (see .ci/run)")
    pytest.skip(
        "Debian's chromium is not installed: apt-get install chromium", allow_module_level=True
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        build(ROOT, out=out, use_cache=False)  # never write a cache into the repository
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the site on 127.0.0.1 at a free port; return its origin."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did: console errors, uncaught exceptions, requests and their sizes."""

    origin: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    def attach(self, page: object) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfinished", self._finished)

    def _finished(self, request: object) -> None:
        sizes = request.sizes()
        self.sizes[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def outside(self) -> list[str]:
        local = (self.origin + "/", "data:", "blob:")
        return [url for url in self.requests if not url.startswith(local)]


@pytest.fixture
def open_page(browser: object, server: str) -> Iterator[object]:
    """Return a function opening a path in a fresh context; checks isolation after the test."""
    watches: list[Watch] = []
    contexts = []

    def open_(path: str, *, size: tuple[int, int] = (1280, 800), javascript: bool = True):
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, java_script_enabled=javascript
        )
        # Anything not served by our server is refused, and recorded by the watch.
        context.route("**/*", _only_local(server))
        contexts.append(context)
        page = context.new_page()
        watch = Watch(server)
        watch.attach(page)
        watches.append(watch)
        page.goto(f"{server}/{path}")
        return page, watch

    yield open_
    for context in contexts:
        context.close()
    for watch in watches:
        assert watch.outside() == []
        assert watch.errors == []


def _only_local(server: str):
    def route(route: object) -> None:
        if route.request.url.startswith((server + "/", "data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    return route


def report_path(site: Path) -> str:
    """Return the path of a validation report page, found in the built site."""
    dataset = site / "dinkes/puskesmas/index.html"
    found = sorted(p for p in site.glob("dinkes/puskesmas/**/index.html") if p != dataset)
    reports = [p for p in found if "latest" not in p.parts]
    if not reports:
        pytest.skip("the site has no validation report page yet")
    return reports[0].parent.relative_to(site).as_posix() + "/"


def resolve(site: Path, kind: str, lang: str) -> str:
    path = PAGES[kind] if PAGES[kind] is not None else report_path(site)
    prefix = "en/" if lang == "en" else ""
    target = prefix + path
    file = site / (target + "index.html" if target.endswith("/") or not target else target)
    if not file.is_file():
        pytest.skip(f"the site has no {kind} page ({target}) yet")
    return target


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("kind", PAGES)
def test_page_has_no_wcag_violation(
    site: Path, open_page, kind: str, lang: str, viewport: str
) -> None:
    page, _ = open_page(resolve(site, kind, lang), size=VIEWPORTS[viewport])
    if kind != "not-found":  # one 404 page serves both languages
        assert page.evaluate("document.documentElement.lang") == lang
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG,
    )
    problems = [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
        for v in result["violations"]
    ]
    assert problems == []
    # No page-level horizontal scroll, down to a 320 px wide phone.
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]


def test_keyboard_alone_reaches_a_download(site: Path, open_page) -> None:
    page, _ = open_page("")
    # Home, then the browse page's full listing, then the dataset: Tab and Enter only.
    _tab_to(page, "header a[href*='browse/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/browse/**")
    dataset = _tab_to(page, "main a[href$='dinkes/puskesmas/index.html']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dinkes/puskesmas/**")
    download = _tab_to(page, "a[download]", limit=400)
    assert download["href"].endswith(".csv") or download["href"].endswith(
        (".parquet", ".json", ".xlsx")
    )
    assert download["outline"] != "none" or download["shadow"] != "none"  # focus is visible
    assert dataset["href"]


def _tab_to(page: object, selector: str, *, limit: int = 200) -> dict[str, str]:
    """Press Tab until the focused element matches `selector`; return what it is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """selector => {
                const el = document.activeElement;
                if (!el || !el.matches(selector)) return null;
                const style = getComputedStyle(el);
                return {href: el.getAttribute('href'), outline: style.outlineStyle, shadow: style.boxShadow};
            }""",
            selector,
        )
        if found:
            return found
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize(("lang", "query"), [("id", "puskesmas"), ("en", "health centres")])
def test_search_finds_the_dataset(site: Path, open_page, lang: str, query: str) -> None:
    prefix = "en/" if lang == "en" else ""
    resolve(site, "search", lang)
    page, watch = open_page(f"{prefix}search/?q={query.replace(' ', '+')}")
    first = page.locator("#search-results a").first
    first.wait_for(timeout=15_000)
    hrefs = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
    assert any(href.endswith("/dinkes/puskesmas/index.html") for href in hrefs), hrefs
    assert all(href.startswith(watch.origin + "/" + prefix) for href in hrefs)
    # The query fetched only part of the index, a small fraction of a phone's budget.
    fetched = sum(size for url, size in watch.sizes.items() if "/pagefind/" in url)
    assert 0 < fetched < 300_000
    # The facets load on demand, and a chosen agency narrows the results to its datasets.
    page.click("button.refine")
    page.wait_for_selector("#filter-agency option:nth-child(2)", state="attached")
    agencies = page.eval_on_selector_all(
        "#filter-agency option", "options => options.map(o => o.value)"
    )
    health = next(value for value in agencies if "Kesehatan" in value or "Health" in value)
    page.select_option("#filter-agency", health)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results a')].length > 0 && [...document.querySelectorAll('#search-results a')].every(a => a.href.includes('/dinkes/'))",
        timeout=15_000,
    )
    page.select_option("#filter-agency", "")
    # Typing a new query replaces the results, without reloading the page.
    page.fill("main input[name=q]", "padi" if lang == "id" else "rice")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results a')].some(a => a.href.includes('/distan/produksi-padi/'))",
        timeout=15_000,
    )


def test_search_without_javascript_lists_every_dataset(site: Path, open_page) -> None:
    resolve(site, "search", "id")
    page, _ = open_page("search/?q=puskesmas", javascript=False)
    assert page.locator('main form[role="search"] input[name="q"]').count() == 1
    links = page.eval_on_selector_all("#search-fallback a", "links => links.map(a => a.href)")
    assert any(href.endswith("/dinkes/puskesmas/index.html") for href in links)


def test_one_search_result_is_counted_in_the_singular(site: Path, open_page) -> None:
    resolve(site, "search", "en")
    page, _ = open_page("en/search/?q=ISPU")
    status = page.locator("#search-results [role=status]")
    status.wait_for(timeout=15_000)
    assert status.inner_text() == "1 dataset matches “ISPU”."


@pytest.mark.parametrize(
    ("lang", "query", "found"),
    [
        ("id", "puskesmas", ["../dinkes/puskesmas/index.html"]),
        (
            "en",
            "monthly RAINFALL",
            [f"../bpbd/curah-hujan-{y}/index.html" for y in (2024, 2025)],
        ),
    ],
)
def test_search_opened_from_a_file_filters_the_listing(
    site: Path, browser: object, lang: str, query: str, found: list[str]
) -> None:
    """From file:// (a USB copy) Pagefind cannot load: the query filters the page's list."""
    prefix = "en/" if lang == "en" else ""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto((site / prefix / "search/index.html").as_uri() + "?q=" + query.replace(" ", "+"))
        assert page.input_value('main form[role="search"] input[name="q"]') == query
        status = page.locator("#search-results [role=status]").inner_text()
        assert f"“{query}”" in status and status.endswith(f": {len(found)}.")
        shown = page.eval_on_selector_all(
            "#search-fallback .dataset-list > li:not([hidden]) h3 a",
            "links => links.map(a => a.getAttribute('href'))",
        )
        assert shown == found
        assert errors == []
    finally:
        context.close()
