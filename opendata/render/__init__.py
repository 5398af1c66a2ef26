"""The render stage: the static site's pages and metadata files, from gathered results.

Rendering is a pure function of the catalogue and the results: the pages' context is
computed first (`pages.py`), then formatted by the theme's templates, so identical
inputs give identical bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

from opendata.models import Catalogue, DatasetResult, Portal
from opendata.render.browse import browse_data, data_path
from opendata.render.context import Page
from opendata.render.datapackage import datapackage, dumps
from opendata.render.exports import export
from opendata.render.exports.discover import Discovery
from opendata.render.frame import Site
from opendata.render.links import PREFIXES
from opendata.render.locale import Translate, translator
from opendata.render.pages import pages
from opendata.render.reuse import Reuse
from opendata.render.search import index

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "site_templates"

__all__ = ["DEFAULT_THEME", "environment", "render"]


def render(
    catalogue: Catalogue,
    results: Sequence[DatasetResult],
    *,
    out: Path,
    build_time: datetime,
    skipped: Sequence[DatasetResult] = (),
    reuse: Reuse | None = None,
) -> None:
    """Write every page, each dataset's datapackage.json and the static files into `out`.

    `skipped` are the datasets validation refused: not published, but counted on the
    quality page and the agencies' scorecards. With `reuse`, the pages of datasets that
    did not change are linked from an earlier build instead of rendered again.
    """
    theme = catalogue.root / "site_templates"
    env = environment(theme)
    ordered = tuple(sorted(results, key=lambda result: result.dataset.id))
    refused = tuple(sorted(skipped, key=lambda result: result.dataset.id))
    env.globals["exports"] = Discovery(catalogue, {r.dataset.id: r for r in ordered})
    languages = site_languages(catalogue.portal)
    style = stylesheet(theme)
    fresh = reuse.fresh(ordered) if reuse else ordered  # datasets whose pages are rendered
    written: list[str] = []
    for lang in languages:
        t = translator(lang, (DEFAULT_THEME, theme))
        date = build_time.strftime("%Y-%m-%d")
        site = Site(catalogue, ordered, lang, languages, t, date, skipped=refused)
        for page in pages(site, style=style, datasets=fresh):
            _write(out / page.meta.path, render_page(env, page, t))
            written.append(page.meta.path)
        _write(out / data_path(lang), browse_data(site))  # what browse.js filters
    for result in fresh:
        dataset = result.dataset
        package = datapackage(result, catalogue.agency(dataset.agency), catalogue.portal)
        _write(out / dataset.agency / dataset.name / "datapackage.json", dumps(package))
        written.append(f"{dataset.agency}/{dataset.name}/datapackage.json")
    if reuse:
        reuse.place(ordered, out)  # before keep(): only the unchanged ones are stored yet
        reuse.keep(fresh, out, written)
    copy_static(theme, out)
    # Machine-readable files, then the search index over the finished pages.
    export(catalogue, ordered, out=out, build_time=build_time)
    index(out, keep=reuse.search if reuse else None)


def stylesheet(theme: Path) -> str:
    """Return the CSS in effect (the catalogue's own, else the default) for inlining."""
    for folder in (theme, DEFAULT_THEME):
        path = folder / "static" / "style.css"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def environment(theme: Path) -> Environment:
    """Return a Jinja2 environment with the catalogue's templates in front of the defaults.

    `default:base.html` always names the default theme's file, so an override can
    extend the template it replaces instead of copying it.
    """
    default = FileSystemLoader(DEFAULT_THEME)
    loader = ChoiceLoader(
        [FileSystemLoader(theme), default, PrefixLoader({"default": default}, delimiter=":")]
    )
    return Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(env: Environment, page: Page, t: Translate) -> str:
    """Format one page's context with its template."""
    return env.get_template(page.template).render(page=page, meta=page.meta, t=t)


def site_languages(portal: Portal) -> tuple[str, ...]:
    """Return the page languages: Indonesian always, as the site root, then English if asked."""
    return tuple(lang for lang in PREFIXES if lang == "id" or lang in portal.languages)


def copy_static(theme: Path, out: Path) -> None:
    """Copy the default static files, then the catalogue's own over them."""
    for folder in (DEFAULT_THEME / "static", theme / "static"):
        if folder.is_dir():
            shutil.copytree(folder, out / "static", dirs_exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
