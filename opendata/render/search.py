"""Index the built pages with Pagefind, so search needs no server.

Pagefind splits the index by each page's `lang` and into small chunks, so a phone
downloads only the fragments that a query needs. Its fragments and word index are
byte-stable; its filter and metadata indexes are written in a random order each run
(a known Pagefind limitation), so the golden site leaves the index out and the tests
compare those files by what they hold.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from opendata.errors import OpendataError, problem
from opendata.publish.swap import link_tree
from opendata.render.datapackage import licenses_of
from opendata.render.facets import FORMAT_LABELS

if TYPE_CHECKING:
    from opendata.render.frame import Site

FOLDER = "pagefind"
COMMAND = (sys.executable, "-m", "pagefind")  # the binary the pagefind package ships
# Pagefind's ready-made interfaces: our search page uses its JavaScript API instead.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def index(site: Path, *, keep: Path | None = None) -> None:
    """Write the search index of the pages in `site` into `site/pagefind/`.

    Pagefind cannot update an index, only write it anew (~10 s for 1,000 datasets), so
    with `keep` the last index is kept there and linked in again while the pages are
    the same bytes.
    """
    key = _pages_hash(site) if keep else ""
    if keep and (keep / key).is_dir():
        link_tree(keep / key, site / FOLDER)
        return
    _pagefind(site)
    if keep:
        _keep(site / FOLDER, keep, key)


def _pagefind(site: Path) -> None:
    # --keep-index-url: result links end in index.html, so they also work from file://.
    command = [*COMMAND, "--site", str(site), "--keep-index-url"]
    try:
        done = subprocess.run(
            [*command, "--output-subdir", FOLDER, "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        done = subprocess.CompletedProcess(command, 1, "", str(exc))
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        message = f"the search index could not be built: {detail[-1] if detail else 'no output'}."
        hint = "Reinstall opendata (pip install opendata) so its pagefind program is present."
        raise OpendataError(problem("search-index", str(site), message, hint=hint))
    for name in UNUSED:
        (site / FOLDER / name).unlink(missing_ok=True)


def _pages_hash(site: Path) -> str:
    """Return the hash of what Pagefind reads: every page's path and bytes, and its version."""
    digest = hashlib.sha256(version("pagefind").encode())
    for path in sorted(site.rglob("*.html")):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _keep(index: Path, keep: Path, key: str) -> None:
    """Keep a linked copy of the new index as the only one; failing only costs a rerun."""
    try:
        shutil.rmtree(keep, ignore_errors=True)
        link_tree(index, keep / f".{key}")
        (keep / f".{key}").rename(keep / key)
    except OSError:
        shutil.rmtree(keep, ignore_errors=True)


def filter_values(site: Site) -> str:
    """Return, as JSON, each search filter's values and page counts, as the pages declare them.

    The search page offers these in its filter menus, so a filtered query fetches only
    the one filter index it uses, never all of them (Pagefind's `filters()` would).
    The values must be the texts `_search_filters.html` writes on each dataset page.
    """
    found: dict[str, Counter[str]] = {key: Counter() for key in ("agency", "theme", "license")}
    found["format"] = Counter()
    portal, lang = site.catalogue.portal, site.lang
    for result in site.results:
        dataset = result.dataset
        found["agency"][site.catalogue.agency(dataset.agency).title.get(lang)] += 1
        found["theme"].update({theme.get(lang) for theme in dataset.themes})
        found["license"].update(
            {lic.title or lic.name or lic.path for lic in licenses_of(dataset, portal)}
        )
        outputs = {o.format for c in result.conversions for o in c.outputs}
        found["format"].update({FORMAT_LABELS.get(f, f.upper()) for f in outputs})
    data = {key: dict(values) for key, values in found.items()}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
