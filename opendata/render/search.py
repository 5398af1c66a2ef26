"""Index the built pages with Pagefind, so search needs no server.

Pagefind splits the index by each page's `lang` and into small chunks, so a phone
downloads only the fragments that a query needs. Its fragments and word index are
byte-stable; its filter and metadata indexes are written in a random order each run
(a known Pagefind limitation), so the golden site leaves the index out and the tests
compare those files by what they hold.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from opendata.errors import OpendataError, problem

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


def index(site: Path) -> None:
    """Write the search index of the pages in `site` into `site/pagefind/`."""
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
