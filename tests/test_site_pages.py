"""The demo site's pages: light, self-contained, fully translated, with every promised part."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import extract_python
from jinja2.ext import babel_extract

from opendata.pipeline import build
from opendata.render import DEFAULT_THEME
from opendata.render.facets import FACETS
from opendata.render.frame import FREQUENCIES, SECTIONS
from opendata.render.locale import catalogue_path, read_catalogue
from opendata.render.quality import FRESHNESS
from tests.conftest import run

ROOT = Path(__file__).parent.parent
PAGE_BUDGET = 60_000  # bytes of a dataset page's own HTML + CSS + JS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        build(ROOT, out=out, use_cache=False)  # never write a cache into the repository
    return out


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def dataset_pages(site: Path) -> list[Path]:
    """Return every dataset page, in both languages: a folder beside a datapackage.json."""
    found = []
    for package in site.glob("*/*/datapackage.json"):
        agency, name = package.parent.parent.name, package.parent.name
        found += [site / agency / name / "index.html", site / "en" / agency / name / "index.html"]
    return sorted(found)


def test_every_dataset_page_weighs_at_most_60_kb(site: Path) -> None:
    pages = dataset_pages(site)
    assert len(pages) == 2 * 17
    for page in pages:
        tags = Tags(page.read_text(encoding="utf-8")).tags
        own = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
        own += [a["src"] for t, a in tags if t == "script" and "src" in a]
        size = page.stat().st_size + sum((page.parent / ref).stat().st_size for ref in own)
        assert size <= PAGE_BUDGET, f"{page.relative_to(site)} weighs {size} bytes"


def test_no_page_requests_anything_outside_the_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        for tag, attrs in Tags(page.read_text(encoding="utf-8")).tags:
            for name in ("src", "srcset", "data") + (("href",) if tag == "link" else ()):
                if name in attrs:
                    url = urlsplit(attrs[name])
                    if tag == "link" and attrs.get("rel") == "alternate" and url.scheme:
                        continue  # a discovery link is never fetched by the page
                    if url.scheme == "data":
                        continue  # inline, such as the empty favicon
                    assert not url.scheme and not url.netloc, f"{page}: <{tag} {name}={url}>"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css
        assert "@import" not in css.read_text(), css


def test_dataset_page_has_every_promised_part(site: Path) -> None:
    html = (site / "en/dinkes/puskesmas/index.html").read_text(encoding="utf-8")
    for part in (
        "Freshness",
        "Open licence",
        "Preview",
        "The first 50 of 56 rows",
        "Column profiles",
        'role="img" aria-label="Distribution of values:',
        "Code to load the data (pandas, R, curl)",
        "pd.read_csv(&#34;https://data.nusaharapan.example/dinkes/puskesmas/2024.1/puskesmas.csv&#34;)",
        "Cite this dataset",
        "@misc{dinkes-puskesmas-2024_1,",
        "[Data set]. Nusa Harapan Province One Data Portal (sample). "
        "https://data.nusaharapan.example/en/dinkes/puskesmas/",
        "validation/puskesmas/index.html",
    ):
        assert part in html, part
    for fmt in ("csv", "parquet", "json", "xlsx"):
        assert f'href="../../../dinkes/puskesmas/2024.1/puskesmas.{fmt}" download' in html
    preview = html[html.index('class="table-wrap preview"') :]
    preview = preview[: preview.index("</table>")]
    assert preview.count("<tr>") == 1 + 50  # the header, then the first 50 rows


def test_validation_report_page(site: Path) -> None:
    text = (site / "en/dinkes/puskesmas/validation/puskesmas/index.html").read_text()
    for part in (
        "Validation report: Community health centres 2024",
        "datasets/dinkes/puskesmas/data/puskesmas-2024.csv",
        "fasilitas-kesehatan",
        "2024-06-01",
        "utf-8-sig",
        "The primary key kode_fasyankes is present and never repeated",
        "No errors: every row matches the schema.",
    ):
        assert part in text, part


def test_browse_pages_exist_per_facet_value_with_counts(site: Path) -> None:
    browse = (site / "en/browse/index.html").read_text()
    for facet in FACETS:
        assert f'data-facet="{facet}"' in browse, facet
    assert 'href="agency/dinkes/index.html" data-facet="agency" data-value="dinkes"' in browse
    health = (site / "en/browse/agency/dinkes/index.html").read_text()
    assert health.count('<h3><a href="../../../dinkes/') == 2  # its two datasets
    assert "Datasets — Agency: Health Office" in health
    assert "browse.js" in browse and "browse.js" not in health
    # The demo's themes have English names; their addresses come from the Indonesian ones.
    theme = (site / "en/browse/theme/kesehatan/index.html").read_text()
    assert "Datasets — Theme: Health" in theme and "Kesehatan" not in plain(site / "en/index.html")


def test_quality_page_and_scorecards(site: Path) -> None:
    quality = (site / "en/quality/index.html").read_text()
    assert "Whole catalogue" in quality and "100% (17 of 17)" in quality
    agency = (site / "en/dinkes/index.html").read_text()
    assert "Scorecard" in agency and "100% (2 of 2)" in agency


def test_static_404_page_stands_alone(site: Path) -> None:
    for path in ("404.html", "en/404.html"):
        tags = Tags((site / path).read_text()).tags
        assert not [a for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
        assert ("style", {}) in tags
        home = [a["href"] for t, a in tags if t == "a" and a.get("class") == "site-title"]
        assert home[0].startswith("https://data.nusaharapan.example/")


def used_keys() -> set[str]:
    """Return the message keys the templates and the render code pass to `t`, literally."""
    keys: set[str] = set()
    for template in DEFAULT_THEME.glob("*.html"):
        with template.open("rb") as file:
            keys |= {m for _, _, m, _ in babel_extract(file, ("t",), [], {}) if m}
    for module in (ROOT / "opendata" / "render").rglob("*.py"):
        with module.open("rb") as file:
            keys |= {m for _, _, m, _ in extract_python(file, {"t": None}, [], {}) if m}
    # Babel joins the two literals of `t("a" if x else "b")`; dynamic_keys() lists both.
    keys.discard("validation.validvalidation.invalid")
    return {key for key in keys if isinstance(key, str)}


def dynamic_keys() -> set[str]:
    """Return the keys the code builds from a value, such as frequency.<name>."""
    keys = {f"frequency.{name}" for name in FREQUENCIES if name}
    keys |= {f"freshness.{state}" for state in FRESHNESS}
    keys |= {f"freshness.note.{state}" for state in FRESHNESS if state != "unknown"}
    keys |= {f"facet.{facet}" for facet in FACETS}
    keys |= {key for _, key in SECTIONS} | {"nav.search", "licence.open", "licence.closed"}
    keys |= {"validation.valid", "validation.invalid"}
    return keys | {"count.datasets.one", "count.datasets.other"}


def test_no_interface_string_is_untranslated() -> None:
    catalogues = {
        lang: read_catalogue(catalogue_path(DEFAULT_THEME, lang)) for lang in ("id", "en")
    }
    ids = {lang: {str(m.id) for m in cat if m.id} for lang, cat in catalogues.items()}
    assert ids["id"] == ids["en"]
    for lang, cat in catalogues.items():
        for message in cat:
            if message.id:
                assert message.string and not message.fuzzy, f"{lang}: {message.id}"
    needed = used_keys() | dynamic_keys()
    assert len(needed) > 100
    assert needed <= ids["id"], sorted(needed - ids["id"])


def test_citations_are_in_the_pages_language_with_version_date_and_url(site: Path) -> None:
    expected = {
        "dinkes/puskesmas/index.html": (
            "Dinas Kesehatan. (2024). Daftar puskesmas 2024 (Versi 2024.1) [Set data]. "
            "Portal Satu Data Provinsi Nusa Harapan (contoh). "
            "https://data.nusaharapan.example/dinkes/puskesmas/"
        ),
        "en/dinkes/puskesmas/index.html": (
            "Health Office. (2024). Community health centres 2024 (Version 2024.1) [Data set]. "
            "Nusa Harapan Province One Data Portal (sample). "
            "https://data.nusaharapan.example/en/dinkes/puskesmas/"
        ),
    }
    for path, apa in expected.items():
        html = (site / path).read_text(encoding="utf-8")
        assert f'<p class="citation">{apa}</p>' in html, path
        bibtex = html[html.index("@misc{") : html.index("}</code></pre>")]
        for line in ("version = {2024.1}", "date = {2024-11-05}", "year = {2024}"):
            assert line in bibtex, (path, line)
        assert "url = {" + apa.rsplit(" ", 1)[1] + "}" in bibtex


def test_report_names_the_column_separator_in_the_pages_language(site: Path) -> None:
    report = "dinkes/puskesmas/validation/puskesmas/index.html"  # a semicolon-separated file
    indonesian = (site / report).read_text(encoding="utf-8")
    english = (site / "en" / report).read_text(encoding="utf-8")
    assert "<dt>Pemisah kolom</dt><dd>titik koma ;</dd>" in indonesian
    assert "semicolon" not in indonesian
    assert "<dt>Column separator</dt><dd>semicolon ;</dd>" in english


def profile(html: str, column: str) -> dict[str, str]:
    """Return one column's profile figures from a dataset page, label → value."""
    card = html[html.index(f"<h5><code>{column}</code></h5>") :]
    card = card[: card.index("</dl>")]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", card))


def test_profile_figures_read_as_the_file_writes_them(site: Path) -> None:
    # curah-hujan-2024's tahun is 2024 on every row: a year, never "2,024" or "2.024".
    for path, mean in (
        ("bpbd/curah-hujan-2024/", "2024,00"),
        ("en/bpbd/curah-hujan-2024/", "2024.00"),
    ):
        figures = profile((site / path / "index.html").read_text(encoding="utf-8"), "tahun")
        assert list(figures.values())[3:] == ["2024", "2024", mean], path
    # Extremes keep the file's own digits (35.2, not 35.20); big numbers stay grouped.
    puskesmas = (site / "dinkes/puskesmas/index.html").read_text(encoding="utf-8")
    assert profile(puskesmas, "bor_persen")["Minimum"] == "35,2"
    assert profile(puskesmas, "bor_persen")["Maksimum"] == "70,5"
    population = (site / "en/dukcapil/jumlah-penduduk/index.html").read_text(encoding="utf-8")
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", profile(population, "jumlah_penduduk")["Maximum"])


def plain(path: Path) -> str:
    """Return a page's text, tags removed and spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(text).split())


def test_a_dataset_under_the_portals_default_licence_counts_as_licensed(
    catalogue, tmp_path: Path
) -> None:
    """Its page shows the portal's licence, so the scorecards count it too."""
    root = catalogue("minimal")
    descriptor = root / "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
    own = "licenses:\n  - name: CC-BY-4.0\n    path: https://creativecommons.org/licenses/by/4.0/\n"
    assert own in descriptor.read_text()
    descriptor.write_text(descriptor.read_text().replace(own, ""))
    result = run("build", root, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "Built 1 dataset into" in result.output
    page = plain(tmp_path / "site/en/dinas-uji/jumlah-sekolah/index.html")
    assert "Creative Commons Attribution 4.0" in page and "Open licence" in page
    agency = plain(tmp_path / "site/en/dinas-uji/index.html")
    assert "Licence stated 100% (1 of 1)" in agency
    quality = plain(tmp_path / "site/en/quality/index.html")
    assert "Whole catalogue 1 100% (1 of 1) 100% (1 of 1) 100% (1 of 1)" in quality
    # Without a default licence in opendata.yaml the dataset has none.
    settings = root / "opendata.yaml"
    default = (
        "license:\n  name: CC-BY-4.0\n  title: Creative Commons Attribution 4.0\n"
        "  path: https://creativecommons.org/licenses/by/4.0/\n"
    )
    assert default in settings.read_text()
    settings.write_text(settings.read_text().replace(default, ""))
    result = run("build", root, "--out", tmp_path / "bare")
    assert result.exit_code == 0, result.output
    assert "Licence stated 0% (0 of 1)" in plain(tmp_path / "bare/en/dinas-uji/index.html")
    page = plain(tmp_path / "bare/en/dinas-uji/jumlah-sekolah/index.html")
    assert "Creative Commons" not in page


def test_zoned_times_are_shown_as_the_source_writes_them(site: Path) -> None:
    # The source's times are WITA (+08:00): the page must not show them shifted to UTC.
    raw = ROOT / "datasets/dlh/kualitas-udara/data/ispu-per-jam-2026-09.csv"
    times = [line.split(",")[0] for line in raw.read_text(encoding="utf-8").splitlines()[1:]]
    assert times[0] == "2026-09-14T00:00:00+08:00"
    for path, earliest, latest in (
        ("dlh/kualitas-udara/", "Paling awal", "Paling akhir"),
        ("en/dlh/kualitas-udara/", "Earliest", "Latest"),
    ):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        figures = profile(html, "waktu")
        assert (figures[earliest], figures[latest]) == (min(times), max(times)), path
        preview = html[html.index("<caption>") : html.index("</table>", html.index("<caption>"))]
        rows = re.findall(r"<tr>\s*<td>([^<]*)</td>", preview)
        assert rows == times[: len(rows)] and len(rows) == 50, path
        assert "2026-09-13T16:00:00" not in html


def test_a_theme_is_shown_in_the_pages_language_under_one_slug(catalogue, tmp_path: Path) -> None:
    """`{id, en}` themes show their English name on English pages; plain strings still work."""
    root = catalogue("minimal")
    descriptor = root / "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
    text = descriptor.read_text()
    assert "themes: [pendidikan]\n" in text
    themes = "themes:\n  - {id: Pendidikan Dasar, en: Primary Education}\n  - Kesehatan\n"
    descriptor.write_text(text.replace("themes: [pendidikan]\n", themes))
    out = tmp_path / "site"
    result = run("build", root, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Built 1 dataset into" in result.output
    links = (
        '<a href="../../browse/theme/pendidikan-dasar/index.html">{}</a></li>'
        '<li><a href="../../browse/theme/kesehatan/index.html">Kesehatan</a>'
    )
    page = "dinas-uji/jumlah-sekolah/index.html"
    assert links.format("Primary Education") in (out / "en" / page).read_text(encoding="utf-8")
    assert links.format("Pendidikan Dasar") in (out / page).read_text(encoding="utf-8")
    for prefix, name, heading, title in (
        ("en/", "Primary Education", "Datasets — Theme: Primary Education", "Number of Schools"),
        ("", "Pendidikan Dasar", "Pendidikan Dasar", "Jumlah Sekolah"),
    ):
        home = (out / prefix / "index.html").read_text(encoding="utf-8")
        assert f'<a href="browse/theme/pendidikan-dasar/index.html">{name}</a>' in home
        listing = plain(out / prefix / "browse/theme/pendidikan-dasar/index.html")
        assert heading in listing and title in listing
    package = json.loads((out / "dinas-uji/jumlah-sekolah/datapackage.json").read_text())
    assert package["themes"] == ["Pendidikan Dasar", "Kesehatan"]
    assert package["translations"]["en"]["themes"] == ["Primary Education", "Kesehatan"]
    graph = json.loads((out / "catalog.jsonld").read_text())["@graph"]
    labels = {
        node["@id"].rsplit("#", 1)[1]: node["skos:prefLabel"]
        for node in graph
        if node.get("@type") == "skos:Concept"
    }
    assert labels == {
        "theme-pendidikan-dasar": [
            {"@language": "id", "@value": "Pendidikan Dasar"},
            {"@language": "en", "@value": "Primary Education"},
        ],
        "theme-kesehatan": [{"@language": "id", "@value": "Kesehatan"}],
    }
