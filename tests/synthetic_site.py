"""A large site built cheaply but honestly, to measure search at scale in `make test`.

The full pipeline needs about 100 ms per dataset (reading, validating, converting,
rendering every export), so a 10,000-dataset catalogue takes a quarter of an hour. Search
only sees the dataset pages, so here one generated dataset goes through the real
pipeline, and its results (report, conversions, profile) are reused for every other
generated dataset, with that dataset's own metadata, paths and preview rows. The real
templates render the real dataset and search pages in every language, and the real
`render.search.index` indexes them with Pagefind.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from opendata.load import load, theme
from opendata.models import Agency, Catalogue, Contact, DatasetResult, Output, Text
from opendata.pipeline import build, build_time
from opendata.render import (
    DEFAULT_THEME,
    copy_static,
    environment,
    render_page,
    site_languages,
)
from opendata.render.dataset import dataset_page
from opendata.render.exports.discover import Discovery
from opendata.render.frame import Site
from opendata.render.locale import translator
from opendata.render.pages import search_page
from opendata.render.search import index
from tests.generate_catalogue import generate, metadata

Results = tuple[DatasetResult, ...]


def synthetic(
    root: Path, *, datasets: int, agencies: int = 60, seed: int = 4
) -> tuple[Catalogue, Results]:
    """Return a catalogue of `datasets` generated datasets and their results (see the module)."""
    generate(root, datasets=1, agencies=1, seed=seed)
    model = build(root, out=root / "_model", use_cache=False).published[0]
    catalogue = load(root)
    rng = random.Random(seed)
    results = tuple(_result(root, model, n, agencies, rng) for n in range(datasets))
    owners = tuple(
        Agency(
            name=f"dinas-{a:03d}",
            title=Text(id=f"Dinas Contoh {a:03d}", en=f"Sample Agency {a:03d}"),
            contact=Contact(name="Bidang Data", email=f"data{a}@example.org"),
        )
        for a in range(agencies)
    )
    datasets_ = tuple(r.dataset for r in results)
    return replace(catalogue, agencies=owners, datasets=datasets_), results


def _result(
    root: Path, model: DatasetResult, n: int, agencies: int, rng: random.Random
) -> DatasetResult:
    """Return the model's results, moved to generated dataset `n` with its own metadata."""
    descriptor, rows = metadata(n, rng)
    agency, name, version = f"dinas-{n % agencies:03d}", descriptor["name"], descriptor["version"]
    folder = root / "datasets" / agency / name
    old = f"{model.dataset.agency}/{model.dataset.name}/{model.dataset.version}/"
    new = f"{agency}/{name}/{version}/"
    dataset = replace(
        model.dataset,
        agency=agency,
        name=name,
        title=Text(**descriptor["title"]),
        description=Text(**descriptor["description"]),
        version=version,
        keywords=tuple(descriptor["keywords"]),
        themes=tuple(theme(t) for t in descriptor["themes"]),
        modified=descriptor["modified"],
        path=folder,
        descriptor_path=folder / "datapackage.yaml",
        resources=tuple(replace(r, path=folder / r.relpath) for r in model.dataset.resources),
        descriptor={**model.dataset.descriptor, **descriptor},
    )
    place = f"datasets/{agency}/{name}/data/tabel.csv"
    return replace(
        model,
        dataset=dataset,
        reports=tuple(replace(r, place=place) for r in model.reports),
        conversions=tuple(
            replace(c, outputs=tuple(_moved(o, old, new) for o in c.outputs))
            for c in model.conversions
        ),
        profiles=tuple(replace(p, preview=tuple(rows)) for p in model.profiles),
        files="",
    )


def _moved(output: Output, old: str, new: str) -> Output:
    return replace(output, path=output.path.replace(old, new, 1))


def searchable_site(catalogue: Catalogue, results: Results, *, out: Path) -> Path:
    """Write every dataset page and the search page in every language, then index them."""
    when: datetime = build_time(catalogue)
    theme = catalogue.root / "site_templates"
    env = environment(theme)
    env.globals["exports"] = Discovery(catalogue, {r.dataset.id: r for r in results})
    languages = site_languages(catalogue.portal)
    for lang in languages:
        t = translator(lang, (DEFAULT_THEME, theme))
        site = Site(catalogue, results, lang, languages, t, when.strftime("%Y-%m-%d"))
        for page in [search_page(site), *(dataset_page(site, r) for r in results)]:
            path = out / page.meta.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_page(env, page, t), encoding="utf-8", newline="\n")
    copy_static(theme, out)
    index(out)
    return out
