"""Lighthouse on the demo site, and what one search query transfers on a 10,000-dataset site.

Run by `make bench-site`, which installs Lighthouse into benchmarks/.lighthouse and points
it at Debian's chromium (CHROME_PATH). Writes benchmarks/results/lighthouse.json and
benchmarks/results/search.json. `--datasets N` sizes the generated catalogue.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opendata.pipeline import build  # noqa: E402
from opendata.render import DEFAULT_THEME  # noqa: E402
from opendata.render.browse import browse_data  # noqa: E402
from opendata.render.frame import Site  # noqa: E402
from opendata.render.locale import translator  # noqa: E402
from tests.generate_catalogue import generate  # noqa: E402
from tests.synthetic_site import searchable_site, synthetic  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LIGHTHOUSE = ROOT / "benchmarks" / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "", "dataset": "dinkes/puskesmas/"}
QUERIES = ("padi", "health centre", "curah hujan", "Tanjung Pasir 2019")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def lighthouse(origin: str) -> dict[str, dict[str, int]]:
    """Return each page's four Lighthouse scores (0–100), mobile settings as Lighthouse defaults."""
    scores = {}
    for name, path in PAGES.items():
        command = [
            str(LIGHTHOUSE),
            f"{origin}/{path}",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={FLAGS}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        report = json.loads(done.stdout)
        scores[name] = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    return scores


def search_transfer(origin: str) -> dict[str, int]:
    """Return the bytes each query fetched once the search page had loaded, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS.split())
        for query in QUERIES:
            page = browser.new_page(viewport={"width": 320, "height": 640})
            page.goto(f"{origin}/en/search/")
            page.wait_for_load_state("networkidle")
            sizes: dict[str, int] = {}
            page.on("requestfinished", lambda r, s=sizes: s.__setitem__(r.url, _size(r)))
            page.fill("main input[name=q]", query)
            page.press("main input[name=q]", "Enter")
            page.locator("#search-results a").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            found[query] = sum(sizes.values())
            page.close()
        browser.close()
    return found


def browse_weight(catalogue: object, results: tuple) -> dict[str, dict[str, int]]:
    """Return the size of browse.js's listing JSON per language, raw and gzip-compressed."""
    sizes = {}
    for lang in ("id", "en"):
        site = Site(
            catalogue, results, lang, ("id", "en"), translator(lang, (DEFAULT_THEME,)), "2024-06-01"
        )
        data = browse_data(site).encode("utf-8")
        sizes[lang] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))}
    return sizes


def _size(request: object) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--full-build", action="store_true", help="run the whole pipeline")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1717200000"
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_lighthouse:
            demo = Path(tmp) / "demo"
            build(ROOT, out=demo)
            with serve(demo) as origin:
                scores = lighthouse(origin)
            record = {
                "command": "make bench-site  (lighthouse@13, CHROME_PATH=/usr/bin/chromium, default mobile emulation and throttling)",
                "chromium_flags": FLAGS,
                "pages": {name: f"/{path}" for name, path in PAGES.items()},
                "scores": scores,
                "all_at_least_95": all(v >= 95 for page in scores.values() for v in page.values()),
            }
            _write("lighthouse.json", record)
        if args.skip_search:
            return
        big, site = Path(tmp) / "big", Path(tmp) / "big-site"
        started = time.perf_counter()
        catalogue, results = synthetic(Path(tmp) / "model", datasets=args.datasets)
        if args.full_build:
            build(generate(big, datasets=args.datasets), out=site)
        else:
            searchable_site(catalogue, results, out=site)
        seconds = round(time.perf_counter() - started, 1)
        index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
        with serve(site) as origin:
            transfer = search_transfer(origin)
        how = "--full-build" if args.full_build else "tests/synthetic_site.py"
        _write(
            "search.json",
            {
                "command": f"make bench-site  (python benchmarks/bench_site.py --datasets {args.datasets}), site: {how}",
                "datasets": args.datasets,
                "build_seconds": seconds,
                "index_bytes_on_disk": index,
                "bytes_fetched_per_query_after_page_load": transfer,
                "all_under_300_kB": all(v < 300_000 for v in transfer.values()),
                "browse_listing_json": browse_weight(catalogue, results),
            },
        )


def _write(name: str, record: dict) -> None:
    path = RESULTS / name
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote {path}:\n{json.dumps(record, indent=2, sort_keys=True)}")


if __name__ == "__main__":
    main()
