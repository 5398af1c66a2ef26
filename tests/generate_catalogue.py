"""Generate a large, realistic-looking catalogue to measure search at scale.

`python -m tests.generate_catalogue DIR --datasets 10000` writes a catalogue of that many
small datasets across many agencies, with varied bilingual titles, descriptions, keywords
and themes, so the search index has a real vocabulary to chunk.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SUBJECTS = [
    ("padi", "rice"),
    ("jagung", "maize"),
    ("kedelai", "soybean"),
    ("puskesmas", "health centre"),
    ("rumah sakit", "hospital"),
    ("sekolah dasar", "primary school"),
    ("guru", "teacher"),
    ("curah hujan", "rainfall"),
    ("banjir", "flood"),
    ("kualitas udara", "air quality"),
    ("harga beras", "rice price"),
    ("pasar", "market"),
    ("jalan", "road"),
    ("jembatan", "bridge"),
    ("penduduk", "population"),
    ("kelahiran", "birth"),
    ("imunisasi", "immunisation"),
    ("stunting", "stunting"),
    ("nelayan", "fisher"),
    ("ikan tangkap", "fish catch"),
    ("wisatawan", "tourist"),
    ("hotel", "hotel"),
    ("listrik", "electricity"),
    ("air bersih", "clean water"),
    ("sampah", "waste"),
    ("hutan", "forest"),
    ("kebakaran", "fire"),
    ("pajak daerah", "regional tax"),
    ("anggaran", "budget"),
    ("koperasi", "cooperative"),
    ("UMKM", "small business"),
    ("tenaga kerja", "labour force"),
    ("pengangguran", "unemployment"),
    ("kemiskinan", "poverty"),
    ("perpustakaan", "library"),
    ("masjid", "mosque"),
    ("gereja", "church"),
    ("vaksin", "vaccine"),
    ("ternak sapi", "cattle"),
    ("kopi", "coffee"),
    ("kakao", "cocoa"),
    ("cengkeh", "clove"),
]
MEASURES = [
    ("jumlah", "number of"),
    ("produksi", "production of"),
    ("sebaran", "distribution of"),
    ("rekapitulasi", "summary of"),
    ("realisasi", "realisation of"),
    ("indeks", "index of"),
]
THEMES = [
    "Pertanian",
    "Kesehatan",
    "Pendidikan",
    "Kebencanaan",
    "Lingkungan Hidup",
    "Ekonomi",
    "Infrastruktur",
    "Kependudukan",
    "Keuangan Daerah",
    "Pariwisata",
    "Sosial",
    "Energi",
]
PLACES = [
    f"Kabupaten {name}"
    for name in (
        "Harapan Barat",
        "Harapan Timur",
        "Tanjung Pasir",
        "Bukit Tinggi Raya",
        "Sungai Lebar",
        "Teluk Biru",
        "Gunung Sari",
        "Padang Luas",
        "Kota Baru",
        "Pulau Sejuk",
    )
]
SCHEMA = """title: {id: Tabel contoh, en: Sample table}
fields:
  - {name: kode_wilayah, type: string, constraints: {required: true}}
  - {name: tahun, type: year, constraints: {required: true}}
  - {name: nilai, type: number}
primaryKey: [kode_wilayah, tahun]
"""


def generate(root: Path, *, datasets: int, agencies: int = 60, seed: int = 4) -> Path:
    """Write a catalogue of `datasets` datasets spread over `agencies` agencies into `root`."""
    rng = random.Random(seed)
    (root / "schemas").mkdir(parents=True, exist_ok=True)
    (root / "schemas" / "tabel.yaml").write_text(SCHEMA, encoding="utf-8")
    (root / "opendata.yaml").write_text(
        "title: {id: Katalog besar, en: Large catalogue}\n"
        "tagline: {id: Katalog buatan untuk mengukur pencarian, en: A generated catalogue to measure search}\n"
        "base_url: https://data.example.org\npublisher: Dinas Uji\nsample: true\n"
        "license: {name: CC-BY-4.0, path: 'https://creativecommons.org/licenses/by/4.0/'}\n",
        encoding="utf-8",
    )
    for a in range(agencies):
        folder = root / "datasets" / f"dinas-{a:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "agency.yaml").write_text(
            f"title: {{id: Dinas Contoh {a:03d}, en: Sample Agency {a:03d}}}\n"
            f"contact: {{name: Bidang Data, email: data{a}@example.org}}\n",
            encoding="utf-8",
        )
    for n in range(datasets):
        _dataset(root / "datasets" / f"dinas-{n % agencies:03d}" / f"data-{n:05d}", n, rng)
    return root


def _dataset(folder: Path, n: int, rng: random.Random) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    descriptor, rows = metadata(n, rng)
    # JSON is YAML: quoting stays right whatever the texts hold.
    text = json.dumps(descriptor, ensure_ascii=False, indent=1)
    (folder / "datapackage.yaml").write_text(text + "\n", encoding="utf-8")
    lines = [",".join(row) for row in rows]
    (folder / "data" / "tabel.csv").write_text(
        "kode_wilayah,tahun,nilai\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


def metadata(n: int, rng: random.Random) -> tuple[dict, list[tuple[str, ...]]]:
    """Return dataset `n`'s descriptor and its five data rows."""
    (measure_id, measure_en), (subject_id, subject_en) = rng.choice(MEASURES), rng.choice(SUBJECTS)
    place, year = rng.choice(PLACES), 2015 + n % 10
    other_id, other_en = rng.choice(SUBJECTS)
    description_id = (
        f"{measure_id.capitalize()} {subject_id} dan {other_id} di {place} tahun {year}, "
        f"dihimpun dari laporan bulanan unit kerja (nomor {n})."
    )
    description_en = (
        f"The {measure_en} {subject_en} and {other_en} in {place} in {year}, "
        f"compiled from the units' monthly reports (number {n})."
    )
    title_id = f"{measure_id.capitalize()} {subject_id} {place} {year}"
    title_en = f"{measure_en.capitalize()} {subject_en}, {place}, {year}"
    descriptor = {
        "name": f"data-{n:05d}",
        "title": {"id": title_id, "en": title_en},
        "description": {"id": description_id, "en": description_en},
        "version": f"{year}.1",
        "keywords": [subject_id, other_id, place],
        "themes": [rng.choice(THEMES)],
        "frequency": "annual",
        "modified": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "resources": [{"name": "tabel", "path": "data/tabel.csv", "schema": "tabel"}],
    }
    rows = [(f"52{r:02d}", str(year), str(rng.randint(0, 99999) / 10)) for r in range(1, 6)]
    return descriptor, rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--datasets", type=int, default=10_000)
    args = parser.parse_args()
    print(generate(args.root, datasets=args.datasets))
