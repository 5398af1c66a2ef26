"""Agency scorecards and the catalogue's quality page: which agencies keep their promises."""

from __future__ import annotations

from opendata.models import DatasetResult
from opendata.render.context import DatasetItem, Link, QualityPage, ScoreRow, Stat
from opendata.render.frame import Site, agency_link, dataset_item, meta
from opendata.render.links import page_path
from opendata.render.numbers import number
from opendata.render.quality import Score, freshness, score, share

COLUMNS = ("score.datasets", "score.valid", "score.fresh", "score.licensed")


def scorecard(site: Site, found: Score) -> tuple[Stat, ...]:
    """Return the four figures of a scorecard: datasets, share valid, fresh, with a licence."""
    t = site.t
    return (
        Stat(t("score.datasets"), number(found.datasets, site.lang)),
        Stat(t("score.valid"), percent(site, found.valid, found.datasets)),
        Stat(t("score.fresh"), percent(site, found.fresh, found.scheduled)),
        Stat(t("score.licensed"), percent(site, found.licensed, found.datasets)),
    )


def percent(site: Site, part: int, whole: int) -> str:
    """Return "94% (16 of 17)", or a dash when there is nothing to count."""
    value = share(part, whole)
    if value is None:
        return "–"
    return site.t(
        "score.share", percent=value, part=number(part, site.lang), whole=number(whole, site.lang)
    )


def quality_page(site: Site) -> QualityPage:
    t, lang = site.t, site.lang
    path = page_path(lang, "quality")
    everything = [*site.results, *site.skipped]
    portal = site.catalogue.portal
    rows = []
    for agency in site.agencies():
        mine = [r for r in everything if r.dataset.agency == agency.name]
        rows.append(
            ScoreRow(
                agency_link(site, path, agency),
                scorecard(site, score(mine, site.today, portal=portal)),
            )
        )
    title = t("quality.title")
    return QualityPage(
        meta=meta(site, ("quality",), title, t("quality.meta"), section="quality"),
        headers=tuple(t(key) for key in COLUMNS),
        rows=tuple(rows),
        total=ScoreRow(
            Link(t("quality.total")), scorecard(site, score(everything, site.today, portal=portal))
        ),
        late=late(site, path),
        refused=tuple(Link(r.dataset.title.get(lang)) for r in site.skipped),
    )


def late(site: Site, path: str) -> tuple[DatasetItem, ...]:
    """Return the overdue datasets, the longest overdue first."""
    overdue: list[tuple[str, DatasetResult]] = []
    for result in site.results:
        fresh = freshness(result.dataset, site.today)
        if fresh.state == "overdue":
            overdue.append((fresh.due, result))
    overdue.sort(key=lambda item: (item[0], item[1].dataset.id))
    return tuple(dataset_item(site, path, result) for _, result in overdue)
