"""Column headers that say a column holds personal data, and counts small enough to identify.

A header is split into words (`nama_pasien`, `namaPasien`, `Nama Pasien` → nama, pasien).
It signals personal data when it contains a personal word (nama, nik, alamat, …), unless
another of its words names something that is not a person: `nama_fasyankes`,
`alamat_kantor` and `kode_rekening` pass, `nama_pasien` and `no_rekening` do not. A header
that is only a word things have too (`nama`, `alamat`, `email`, `telepon`) takes those
qualifiers from the field's title or the resource's name, so `nama` in a resource
`kecamatan` is a district's name; not from one that also names people (`siswa-sekolah`),
and never for a word only people have (`nik`, `agama`, `diagnosa`, `tgl_lahir`). Counting
words (`jumlah_penduduk`) mark an aggregate, never a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Personal words: one word, or words that must follow each other.
PERSONAL: tuple[tuple[str, ...], ...] = (
    *(("nama",), ("name",), ("fullname",), ("surname",)),
    *(("nik",), ("ktp",), ("nip",), ("npwp",), ("kk",), ("kartu", "keluarga")),
    *(("family", "card"), ("national", "id"), ("id", "number"), ("passport",), ("ssn",)),
    *(("alamat",), ("address",), ("domisili",)),
    *(("lahir",), ("birth",), ("dob",), ("birthdate",), ("birthday",), ("birthplace",)),
    *(("hp",), ("handphone",), ("telepon",), ("telp",), ("tlp",), ("telpon",), ("phone",)),
    *(("telephone",), ("mobile",), ("whatsapp",), ("wa",), ("ponsel",)),
    *(("email",), ("e", "mail"), ("surel",), ("agama",), ("religion",)),
    *(("diagnosa",), ("diagnosis",), ("icd",), ("penghasilan",), ("income",), ("salary",)),
    *(("gaji",), ("no", "rekening"), ("nomor", "rekening"), ("norek",), ("bank", "account")),
    *(("iban",), ("account", "holder")),
)
# Words that say the thing named is not a person.
NOT_PERSON = frozenset(
    (
        *("provinsi", "province", "kabupaten", "kota", "regency", "city", "kecamatan"),
        *("district", "desa", "kelurahan", "village", "wilayah", "region", "daerah"),
        *("fasyankes", "puskesmas", "rs", "sakit", "hospital", "klinik", "clinic"),
        *("sekolah", "school", "kampus", "universitas", "instansi", "kantor", "office"),
        *("dinas", "opd", "skpd", "badan", "lembaga", "agency", "perusahaan", "company"),
        *("usaha", "business", "toko", "pasar", "market", "koperasi", "bank", "stasiun"),
        *("station", "pos", "komoditas", "commodity", "produk", "product", "barang"),
        *("program", "kegiatan", "proyek", "project", "jalan", "road", "sungai", "river"),
        *("gedung", "building", "lokasi", "location", "tempat", "satuan", "unit", "jenis"),
        *("kategori", "category", "file", "dataset", "variabel", "indikator", "indicator"),
        *("server", "host", "domain", "situs", "website", "web", "negara", "country"),
    )
)
# ("rumah" is not one: alamat_rumah is a home address; rumah_sakit has "sakit".)
# Personal words an office, a school or a place has too: only these take their qualifier
# from the field's title or the resource's name.
SHARED = frozenset(
    (
        *(("nama",), ("name",), ("alamat",), ("address",), ("email",), ("e", "mail")),
        *(("surel",), ("hp",), ("handphone",), ("telepon",), ("telp",), ("tlp",), ("telpon",)),
        *(("phone",), ("telephone",), ("mobile",), ("whatsapp",), ("wa",), ("ponsel",)),
        *(("npwp",), ("no", "rekening"), ("nomor", "rekening"), ("norek",), ("bank", "account")),
        *(("iban",), ("penghasilan",), ("income",)),
    )
)
# ...except "tempat" in tempat_lahir: birth words win over the place qualifier.
BIRTH = frozenset(("lahir", "birth", "dob", "birthdate", "birthday", "birthplace"))
# Words of an aggregate: a count or a statistic of many people, never one person's value.
# ("total" is not one: total_gaji may be one employee's pay; nor "number": phone_number.)
COUNTING = frozenset(("jumlah", "banyak", "count", "rata", "median", "persen", "rasio", "average"))
PEOPLE = frozenset(
    (
        *("penduduk", "jiwa", "orang", "warga", "pasien", "kasus", "korban", "pegawai"),
        *("peserta", "didik", "siswa", "murid", "mahasiswa", "guru", "penerima", "keluarga"),
        *("kematian", "kelahiran", "bayi", "balita", "ibu", "lansia", "pengangguran"),
        *("people", "persons", "population", "patients", "cases", "deaths", "births"),
        *("students", "pupils", "teachers", "recipients", "households", "residents"),
    )
)


def words(text: str) -> tuple[str, ...]:
    """Split a header into lowercase words: snake_case, kebab-case, camelCase, spaces."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return tuple(w for w in re.split(r"[^a-z0-9]+", text.lower()) if w)


def personal(header: str, context: Iterable[str] = ()) -> str:
    """Return the personal word a header signals, or "" when it does not signal one.

    `context` is the field's titles and the resource's name, used only for a header
    that is nothing but the personal word.
    """
    found = words(header)
    if COUNTING.intersection(found):
        return ""
    for phrase in PERSONAL:
        at = _find(found, phrase)
        if at < 0:
            continue
        others = found[:at] + found[at + len(phrase) :]
        if BIRTH.intersection(phrase):
            return "_".join(phrase)
        if others and NOT_PERSON.intersection(others):
            continue
        if others or phrase not in SHARED or not any(map(_names_a_thing, context)):
            return "_".join(phrase)
    return ""


def _names_a_thing(text: str) -> bool:
    """Say whether a title or resource name names a thing and no people (`nama sekolah`)."""
    found = set(words(text))
    return bool(NOT_PERSON & found) and not PEOPLE & found


def counts_people(header: str, kind: str) -> bool:
    """Say whether a column counts people: an integer column named jumlah_penduduk and so on."""
    found = set(words(header))
    return kind == "integer" and bool((COUNTING | {"total"}) & found) and bool(PEOPLE & found)


def _find(found: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    size = len(phrase)
    for start in range(len(found) - size + 1):
        if found[start : start + size] == phrase:
            return start
    return -1
