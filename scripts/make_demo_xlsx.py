"""Generate the demonstration catalogue's XLSX files (fictional sample data).

Run from the repository root:

    .venv/bin/python scripts/make_demo_xlsx.py

The output is byte-for-byte reproducible: every figure comes from a seeded generator,
the workbook properties carry a fixed date and the zip entries a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.datetime(2025, 3, 3, 9, 0, 0)  # workbook created/modified, fixed for reproducibility
ZIP_TIME = (2025, 3, 3, 9, 0, 0)

# Fictional regencies of the fictional Provinsi Nusa Harapan (see referensi/kode-wilayah).
REGENCIES = ["5211", "5212", "5213", "5214", "5215", "5216", "5217", "5218", "5273", "5274"]

# Budget lines (Permendagri 90/2019 chart of accounts), 2023 budget in billions of rupiah.
# Parent lines (levels 1-3 without their own amount) are sums of their children.
ACCOUNTS = [
    ("4", "PENDAPATAN DAERAH", None),
    ("4.1", "Pendapatan Asli Daerah (PAD)", None),
    ("4.1.01", "Pajak Daerah", None),
    ("4.1.01.01", "Pajak Kendaraan Bermotor", 724.5),
    ("4.1.01.02", "Bea Balik Nama Kendaraan Bermotor", 412.8),
    ("4.1.01.03", "Pajak Bahan Bakar Kendaraan Bermotor", 266.3),
    ("4.1.01.04", "Pajak Air Permukaan", 6.4),
    ("4.1.01.05", "Pajak Rokok", 188.7),
    ("4.1.02", "Retribusi Daerah", 42.1),
    ("4.1.03", "Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan", 61.6),
    ("4.1.04", "Lain-lain PAD yang Sah", 236.2),
    ("4.2", "Pendapatan Transfer", None),
    ("4.2.01", "Pendapatan Transfer Pemerintah Pusat", 3184.9),
    ("4.2.02", "Pendapatan Transfer Antardaerah", 14.3),
    ("4.3", "Lain-lain Pendapatan Daerah yang Sah", None),
    ("4.3.01", "Pendapatan Hibah", 12.4),
    ("5", "BELANJA DAERAH", None),
    ("5.1", "Belanja Operasi", None),
    ("5.1.01", "Belanja Pegawai", 1642.7),
    ("5.1.02", "Belanja Barang dan Jasa", None),  # balances the budget, computed below
    ("5.1.05", "Belanja Hibah", 521.3),
    ("5.1.06", "Belanja Bantuan Sosial", 38.6),
    ("5.2", "Belanja Modal", None),
    ("5.2.01", "Belanja Modal Tanah", 24.2),
    ("5.2.02", "Belanja Modal Peralatan dan Mesin", 186.4),
    ("5.2.03", "Belanja Modal Gedung dan Bangunan", 214.9),
    ("5.2.04", "Belanja Modal Jalan, Jaringan, dan Irigasi", 472.5),
    ("5.2.05", "Belanja Modal Aset Tetap Lainnya", 18.3),
    ("5.3", "Belanja Tidak Terduga", None),
    ("5.3.01", "Belanja Tidak Terduga", 25.0),
    ("5.4", "Belanja Transfer", None),
    ("5.4.01", "Belanja Bagi Hasil", 512.6),
    ("5.4.02", "Belanja Bantuan Keuangan", 160.8),
    ("6", "PEMBIAYAAN DAERAH", None),
    ("6.1", "Penerimaan Pembiayaan", None),
    ("6.1.01", "Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya (SiLPA)", 181.4),
    ("6.2", "Pengeluaran Pembiayaan", None),
    ("6.2.02", "Penyertaan Modal Daerah", 40.0),
]
GROUPS = {"4": "Pendapatan", "5": "Belanja", "6": "Pembiayaan"}


def budget_rows(year: int) -> list[tuple]:
    """Return the budget lines of `year` as (year, code, name, group, level, budget,
    realised, percent, position date) tuples, parents summed from their children."""
    rng = random.Random(year)
    growth = 1.0 if year == 2023 else 1.064
    budget: dict[str, int] = {}
    real: dict[str, int] = {}
    for code, _, amount in ACCOUNTS:
        if amount is None:
            continue
        budget[code] = round(amount * growth * rng.uniform(0.985, 1.015) * 1e9, -6)
    income = sum(v for c, v in budget.items() if c.startswith("4."))
    net_financing = budget["6.1.01"] - budget["6.2.02"]
    other = sum(v for c, v in budget.items() if c.startswith("5."))
    budget["5.1.02"] = income + net_financing - other
    for code, amount in budget.items():
        if code.startswith("4."):
            rate = rng.uniform(0.955, 1.055)
        elif code.startswith("5."):
            rate = rng.uniform(0.83, 0.975)
        else:
            rate = 1.0  # financing is realised as budgeted
        real[code] = round(amount * rate)
    leaves = sorted(budget)
    rows = []
    for code, name, _ in ACCOUNTS:
        kids = [c for c in leaves if c == code or c.startswith(code + ".")]
        b = sum(budget[c] for c in kids)
        r = sum(real[c] for c in kids)
        rows.append(
            (
                year,
                code,
                name,
                GROUPS[code[0]],
                code.count(".") + 1,
                int(b),
                int(r),
                round(r / b * 100, 2),
                dt.date(year, 12, 31),
            )
        )
    return rows


def crop_rows(crop: str) -> list[tuple]:
    """Return (year, regency, harvested ha, quintals per ha, tonnes) for 2019-2024."""
    rng = random.Random(crop)
    if crop == "padi":
        area = [38_500, 31_200, 22_800, 18_400, 46_900, 16_700, 6_300, 12_900, 1_240, 610]
        yield_ku = 52.0
    else:
        area = [18_200, 24_600, 9_800, 15_300, 11_200, 28_400, 4_100, 33_700, 160, 95]
        yield_ku = 61.0
    rows = []
    for year in range(2019, 2025):
        for code, base in zip(REGENCIES, area, strict=True):
            ha = round(base * (1 + 0.012 * (year - 2019)) * rng.uniform(0.9, 1.1), 2)
            ku = round(yield_ku * rng.uniform(0.9, 1.08), 2)
            rows.append((year, code, ha, ku, round(ha * ku / 10, 2)))
    return rows


def save(wb: Workbook, path: Path) -> None:
    """Write `wb` to `path` with fixed properties and zip timestamps."""
    wb.properties.creator = "opendata demo (data contoh fiktif)"
    wb.properties.lastModifiedBy = "opendata demo"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


def make_apbd_2024() -> None:
    """Budget realisation 2024: a notes sheet first, the table on sheet `realisasi`."""
    wb = Workbook()
    notes = wb.active
    notes.title = "Catatan"
    for line in (
        ["Realisasi APBD Provinsi Nusa Harapan Tahun Anggaran 2024"],
        ["Data contoh fiktif / Fictional sample data"],
        ["Satuan: rupiah; persentase realisasi dalam persen (%)"],
        ["Posisi: 31 Desember 2024 (unaudited)"],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 70
    ws = wb.create_sheet("realisasi")
    ws.append(
        [
            "tahun_anggaran",
            "kode_rekening",
            "uraian",
            "kelompok",
            "tingkat",
            "anggaran",
            "realisasi",
            "persentase_realisasi",
            "tanggal_posisi",
        ]
    )
    for row in budget_rows(2024):
        ws.append(list(row))
        ws.cell(ws.max_row, 6).number_format = "#,##0"
        ws.cell(ws.max_row, 7).number_format = "#,##0"
        ws.cell(ws.max_row, 8).number_format = "0.00"
        ws.cell(ws.max_row, 9).number_format = "dd/mm/yyyy"
    for col, width in zip("ABCDEFGHI", (15, 14, 58, 12, 8, 20, 20, 20, 15), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    save(wb, ROOT / "datasets/bpkad/apbd-2024/data/realisasi-apbd-2024.xlsx")


def make_produksi_jagung() -> None:
    """Maize production 2019-2024 by regency, one sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "produksi-jagung"
    ws.append(["tahun", "kode_wilayah", "luas_panen_ha", "produktivitas_ku_per_ha", "produksi_ton"])
    for row in crop_rows("jagung"):
        ws.append(list(row))
        for col in (3, 4, 5):
            ws.cell(ws.max_row, col).number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    save(wb, ROOT / "datasets/distan/produksi-jagung/data/produksi-jagung-2019-2024.xlsx")


if __name__ == "__main__":
    make_apbd_2024()
    make_produksi_jagung()
