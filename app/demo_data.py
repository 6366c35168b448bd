"""Content of the Jawa Barat demo: organisations, accounts and dataset specifications.

Pure data and generators; nothing here touches the database (app/demo.py does, through the
actions). Every table comes from random.Random seeded with the dataset's title, so a file is
the same on every machine and every run. The figures are invented but kept in plausible
ranges (kecamatan populations in the tens of thousands, rice yields of 55-65 ku/ha, ...).
"""
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

PASSWORD = "mejadata-demo"
DOMAIN = "demo.mejadata.id"
PROVINCE = "32"
SYNTHETIC = "Data contoh (angka rekaan) untuk demo MejaData."

# name, title, short description, is_custodian
ORGANISATIONS = [
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Walidata Provinsi Jawa Barat: "
     "memeriksa, menyetujui dan menyebarluaskan data sektoral.", True),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Perencanaan pembangunan daerah dan "
     "indikator makro.", False),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Administrasi kependudukan "
     "dan pencatatan sipil.", False),
    ("dinkes", "Dinas Kesehatan", "Pelayanan dan fasilitas kesehatan masyarakat.", False),
    ("disdik", "Dinas Pendidikan", "Pendidikan menengah, pendidikan khusus dan data pokok "
     "pendidikan.", False),
    ("distanhorti", "Dinas Tanaman Pangan dan Hortikultura", "Produksi tanaman pangan dan "
     "hortikultura.", False),
    ("dbmpr", "Dinas Bina Marga dan Penataan Ruang", "Jalan dan jembatan provinsi serta "
     "penataan ruang.", False),
    ("dlh", "Dinas Lingkungan Hidup", "Pengendalian pencemaran dan kualitas lingkungan "
     "hidup.", False),
    ("dinsos", "Dinas Sosial", "Perlindungan, jaminan dan rehabilitasi sosial.", False),
    ("disparbud", "Dinas Pariwisata dan Kebudayaan", "Destinasi wisata, industri pariwisata "
     "dan cagar budaya.", False),
]
ORG_SHORT = {"diskominfo": "Diskominfo", "bappeda": "Bappeda", "disdukcapil": "Disdukcapil",
             "dinkes": "Dinkes", "disdik": "Disdik", "distanhorti": "Distanhorti",
             "dbmpr": "DBMPR", "dlh": "DLH", "dinsos": "Dinsos", "disparbud": "Disparbud"}

# email (local part), name, roles, organisations
USERS = [
    ("admin", "Admin MejaData", ["admin"], []),
    ("walidata", "Rina Marlina (Walidata)", ["walidata"], ["diskominfo"]),
    ("produsen", "Dedi Kurniawan", ["produsen"], ["dinkes", "disdukcapil"]),
    ("produsen.pertanian", "Asep Saepudin", ["produsen"], ["distanhorti"]),
    ("produsen.diskominfo", "Fajar Nugraha", ["produsen"], ["diskominfo"]),
    ("produsen.bappeda", "Lina Herlina", ["produsen"], ["bappeda"]),
    ("produsen.disdik", "Yusuf Hidayat", ["produsen"], ["disdik"]),
    ("produsen.dbmpr", "Hendra Gunawan", ["produsen"], ["dbmpr"]),
    ("produsen.dlh", "Siti Nurjanah", ["produsen"], ["dlh"]),
    ("produsen.dinsos", "Euis Komalasari", ["produsen"], ["dinsos"]),
    ("produsen.disparbud", "Rizal Firmansyah", ["produsen"], ["disparbud"]),
    # The help desk sits with the custodian, whose team receives requests; two officers
    # and the PPID share its round-robin.
    ("helpdesk", "Nina Karlina (Meja Layanan)", ["helpdesk"], ["diskominfo"]),
    ("helpdesk2", "Dimas Prasetyo (Meja Layanan)", ["helpdesk"], ["diskominfo"]),
    ("ppid", "Agus Setiawan (PPID)", ["ppid"], ["diskominfo"]),
    ("atasan.ppid", "Ir. Bambang Suryadi (Atasan PPID)", ["ppid_atasan"], []),
    ("pimpinan", "Dr. Wawan Ridwan (Pimpinan)", ["pimpinan"], []),
    ("warga", "Ujang Sopandi (Warga)", ["pemohon"], []),
    ("warga1", "Siti Maesaroh (Mahasiswa)", ["pemohon"], []),
    ("warga2", "Yayan Suryana (Peneliti)", ["pemohon"], []),
    ("warga3", "Putri Andriani (Jurnalis)", ["pemohon"], []),
]
# Which demo account produces each organisation's datasets.
PRODUCER_OF = {"dinkes": "produsen", "disdukcapil": "produsen", "distanhorti":
               "produsen.pertanian"}


def email(local):
    return f"{local}@{DOMAIN}"


def producer_email(org):
    return email(PRODUCER_OF.get(org, f"produsen.{org}"))


# ---------------------------------------------------------------- regions


class Wilayah:
    """The province's region codes, read once from the Region table: names and children."""

    def __init__(self, rows):
        self.names = {code: name for code, name in rows}
        self.children = defaultdict(list)
        for code in sorted(self.names):
            if "." in code:
                self.children[code.rsplit(".", 1)[0]].append(code)

    def name(self, code):
        return self.names[code]

    def kabkota(self):
        return self.children[PROVINCE]

    def kecamatan(self, kab):
        return self.children[kab]

    def find(self, parent, name):
        """The child of `parent` called `name` (the 2025 list renumbers, names stay)."""
        for code in self.children[parent]:
            if self.names[code].lower() == name.lower():
                return code
        return parent


# pop (thousands, 2023), rice harvest area (ha), poverty (%), IPM, GRDP per capita (million Rp)
_P = {
    "32.01": (5627, 85000, 7.3, 72.0, 52), "32.02": (2762, 120000, 7.4, 68.8, 33),
    "32.03": (2585, 130000, 10.3, 66.9, 27), "32.04": (3721, 60000, 6.4, 73.6, 38),
    "32.05": (2650, 115000, 9.8, 68.0, 30), "32.06": (1906, 115000, 10.7, 67.8, 24),
    "32.07": (1259, 65000, 7.8, 71.5, 29), "32.08": (1201, 55000, 12.1, 70.6, 27),
    "32.09": (2330, 85000, 11.4, 70.1, 27), "32.10": (1334, 95000, 11.0, 69.7, 32),
    "32.11": (1171, 60000, 9.6, 72.6, 36), "32.12": (1890, 220000, 12.1, 69.0, 45),
    "32.13": (1624, 165000, 9.4, 70.1, 33), "32.14": (1011, 35000, 7.9, 72.6, 78),
    "32.15": (2500, 190000, 7.7, 71.8, 110), "32.16": (3237, 95000, 4.9, 74.4, 96),
    "32.17": (1884, 30000, 10.5, 68.9, 30), "32.18": (429, 28000, 9.0, 69.4, 33),
    "32.71": (1064, 500, 6.9, 77.6, 55), "32.72": (358, 2500, 7.9, 75.8, 45),
    "32.73": (2507, 700, 3.9, 82.2, 140), "32.74": (337, 150, 9.1, 76.2, 60),
    "32.75": (2591, 500, 4.0, 82.1, 60), "32.76": (2145, 300, 2.4, 81.9, 40),
    "32.77": (576, 150, 5.0, 79.4, 55), "32.78": (735, 9000, 11.9, 74.9, 35),
    "32.79": (207, 5000, 6.4, 73.8, 30),
}
_FAST_GROWING = {"32.01", "32.15", "32.16", "32.75", "32.76"}


@dataclass(frozen=True)
class Profile:
    code: str
    pop: int
    panen: int
    miskin: float
    ipm: float
    percap: int

    @property
    def city(self):
        return self.code.split(".")[1] >= "71"

    def population(self, year=2023):
        growth = 0.016 if self.code in _FAST_GROWING else 0.005 if self.code == "32.73" else 0.01
        return round(self.pop * 1000 * (1 + growth) ** (year - 2023))


PROFILE = {code: Profile(code, *values) for code, values in _P.items()}


# ---------------------------------------------------------------- tables and files


@dataclass
class Table:
    header: list
    rows: list


@dataclass
class File:
    """One resource: a table written as CSV or XLSX, a PDF document, or an external link."""

    filename: str
    table: Callable[[], Table] | None = None
    pdf: Callable[[], bytes] | None = None
    url: str | None = None
    title: str = ""
    types: dict = field(default_factory=dict)  # column -> type the producer corrects it to


# Column title and unit the producer sets in the schema editor.
COLUMNS = {
    "kode_wilayah": ("Kode Wilayah (Kemendagri)", ""), "kabupaten_kota": ("Kabupaten/Kota", ""),
    "kecamatan": ("Kecamatan", ""), "nama_kecamatan": ("Kecamatan", ""),
    "desa_kelurahan": ("Desa/Kelurahan", ""), "tahun": ("Tahun", ""), "bulan": ("Bulan", ""),
    "laki_laki": ("Laki-laki", "jiwa"), "perempuan": ("Perempuan", "jiwa"),
    "jumlah": ("Jumlah", "jiwa"), "jumlah_kk": ("Jumlah Kartu Keluarga", "KK"),
    "luas_panen_ha": ("Luas Panen", "ha"), "produksi_ton": ("Produksi", "ton"),
    "produktivitas_ku_ha": ("Produktivitas", "ku/ha"), "persen": ("Persentase", "persen"),
    "prevalensi_persen": ("Prevalensi", "persen"), "cakupan_persen": ("Cakupan", "persen"),
    "puskesmas": ("Puskesmas", "unit"), "rumah_sakit": ("Rumah Sakit", "unit"),
    "klinik": ("Klinik", "unit"), "panjang_km": ("Panjang", "km"),
    "baik_km": ("Kondisi Baik", "km"), "sedang_km": ("Kondisi Sedang", "km"),
    "rusak_ringan_km": ("Rusak Ringan", "km"), "rusak_berat_km": ("Rusak Berat", "km"),
    "ph": ("pH", ""), "suhu_c": ("Suhu", "°C"), "do_mg_l": ("Oksigen Terlarut (DO)", "mg/L"),
    "bod_mg_l": ("BOD", "mg/L"), "cod_mg_l": ("COD", "mg/L"), "tss_mg_l": ("TSS", "mg/L"),
    "wisnus": ("Wisatawan Nusantara", "kunjungan"),
    "wisman": ("Wisatawan Mancanegara", "kunjungan"),
    "ton_tahun": ("Timbulan Sampah", "ton/tahun"), "ipm": ("IPM", "indeks"),
    "tpt_persen": ("Tingkat Pengangguran Terbuka", "persen"),
    "pdrb_adhb_miliar": ("PDRB ADHB", "miliar rupiah"),
    "penduduk_miskin_ribu": ("Penduduk Miskin", "ribu jiwa"),
    "persen_miskin": ("Persentase Penduduk Miskin", "persen"),
    "pm10": ("PM10", "µg/m³"), "pm25": ("PM2,5", "µg/m³"), "no2": ("NO2", "µg/m³"),
    "o3": ("O3", "µg/m³"), "ispu_maks": ("ISPU Maksimum", "indeks"),
    "anak_0_18_jiwa": ("Anak Usia 0–18 Tahun", "jiwa"),
    "pbi_jk_ribu_jiwa": ("Penerima PBI-JK", "ribu jiwa"),
    "incidence_rate": ("Incidence Rate", "per 100.000 penduduk"),
    "realisasi_pad_miliar": ("Realisasi PAD", "miliar rupiah"),
    "ika": ("Indeks Kualitas Air", "indeks"), "iku": ("Indeks Kualitas Udara", "indeks"),
    "iktl": ("Indeks Kualitas Tutupan Lahan", "indeks"), "iklh": ("IKLH", "indeks"),
    "bentang_m": ("Bentang", "m"), "tinggi_m": ("Tinggi Menara", "m"),
    "lintang": ("Lintang", "derajat"), "bujur": ("Bujur", "derajat"),
    "pengunjung_2023_orang": ("Pengunjung 2023", "orang"),
}


# Allowed values the producer sets on categorical columns.
ENUMS = {
    "status_mutu": ["Memenuhi", "Cemar Ringan", "Cemar Sedang", "Cemar Berat"],
    "akreditasi": ["Paripurna", "Utama", "Madya", "Dasar"],
    "jenis_layanan": ["Rawat Inap", "Non Rawat Inap"],
    "status_kepegawaian": ["PNS", "PPPK", "BLUD"],
    "kategori": ["Baik", "Sedang", "Tidak Sehat", "Sangat Tidak Sehat", "Berbahaya"],
    "jenis": ["Alam", "Budaya", "Buatan"],
}


def unit_of(column):
    if column in COLUMNS:
        return COLUMNS[column][1]
    for suffix, unit in (("_ha", "ha"), ("_ton", "ton"), ("_persen", "persen"), ("_km", "km"),
                         ("_rp_kg", "Rp/kg"), ("_unit", "unit"), ("_orang", "orang"),
                         ("_kpm", "KPM"), ("_jiwa", "jiwa")):
        if column.endswith(suffix):
            return unit
    return ""


_ACRONYMS = {"ktp", "kk", "pkh", "bpnt", "pbi", "jk", "sd", "smp", "sma", "smk", "slb", "odgj",
             "idl", "kpm", "rtlh", "apm", "ika", "iku", "iktl", "iklh", "gkp", "gkg", "ispu",
             "pm10", "pm25", "no2", "o3", "nip", "id", "pad", "ppks"}


def title_of(column):
    if column in COLUMNS:
        return COLUMNS[column][0]
    for suffix in ("_ha", "_ton", "_persen", "_km", "_rp_kg", "_unit", "_orang", "_kpm",
                   "_jiwa"):
        column = column.removesuffix(suffix)
    words = [w.upper() if w in _ACRONYMS else w for w in column.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def _rng(seed):
    return random.Random(f"mejadata-demo:{seed}")


def per_kabkota(wil, seed, columns, row, years=None):
    """One row per kabupaten/kota (and year): row(rng, profile, year) gives the values."""
    rng = _rng(seed)
    header = ["kode_wilayah", "kabupaten_kota"] + (["tahun"] if years else []) + columns
    rows = []
    for year in years or [None]:
        for code in wil.kabkota():
            values = row(rng, PROFILE[code], year)
            rows.append([code, wil.name(code)] + ([year] if years else []) + list(values))
    return Table(header, rows)


def _split(rng, total, parts, low=0.5, high=1.6):
    """Split `total` into `parts` integers that add up to it."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    values[0] += total - sum(values)
    return values


def _sexes(rng, total):
    male = round(total * rng.uniform(0.502, 0.512))
    return [male, total - male, total]


# ---------------------------------------------------------------- kependudukan


def penduduk_kecamatan(wil, kab, year):
    rng = _rng(f"penduduk-kec:{kab}:{year}")
    kecs = wil.kecamatan(kab)
    totals = _split(rng, PROFILE[kab].population(year), len(kecs))
    rows = [[code, wil.name(code)] + _sexes(rng, total)
            for code, total in zip(kecs, totals, strict=True)]
    return Table(["kode_wilayah", "nama_kecamatan", "laki_laki", "perempuan", "jumlah"], rows)


def penduduk_desa(wil, kab, year):
    rng = _rng(f"penduduk-desa:{kab}:{year}")
    rows = []
    kecs = wil.kecamatan(kab)
    totals = _split(rng, PROFILE[kab].population(year), len(kecs))
    for kec, total in zip(kecs, totals, strict=True):
        desas = wil.kecamatan(kec)
        counts = _split(rng, total, len(desas), 0.4, 1.8)
        for desa, people in zip(desas, counts, strict=True):
            rows.append([desa, wil.name(kec), wil.name(desa)] + _sexes(rng, people)
                        + [round(people / rng.uniform(3.0, 3.6))])
    return Table(["kode_wilayah", "kecamatan", "desa_kelurahan", "laki_laki", "perempuan",
                  "jumlah", "jumlah_kk"], rows)


def penduduk_kabkota(wil):
    return per_kabkota(wil, "penduduk-kab", ["laki_laki", "perempuan", "jumlah"],
                       lambda rng, p, y: _sexes(rng, p.population(y)), range(2020, 2025))


def kartu_keluarga(wil):
    def row(rng, p, year):
        kk = round(p.population() / rng.uniform(3.1, 3.5))
        return [kk, round(kk * rng.uniform(0.13, 0.19))]
    return per_kabkota(wil, "kk", ["jumlah_kk", "kk_kepala_perempuan"], row)


def ktp_el(wil):
    def row(rng, p, year):
        wajib = round(p.population() * rng.uniform(0.71, 0.75))
        rekam = round(wajib * rng.uniform(0.965, 0.995))
        return [wajib, rekam, wajib - rekam, round(100 * rekam / wajib, 2)]
    return per_kabkota(wil, "ktp-el", ["wajib_ktp_jiwa", "sudah_rekam_jiwa", "belum_rekam_jiwa",
                                       "cakupan_persen"], row)


def akta_kelahiran(wil):
    def row(rng, p, year):
        anak = round(p.population() * rng.uniform(0.28, 0.32))
        punya = round(anak * rng.uniform(0.9, 0.985))
        return [anak, punya, round(100 * punya / anak, 2)]
    return per_kabkota(wil, "akta", ["anak_0_18_jiwa", "memiliki_akta_jiwa", "cakupan_persen"],
                       row)


def kelompok_umur():
    rng = _rng("umur")
    shares = [7.6, 7.8, 8.0, 7.9, 7.7, 7.6, 7.5, 7.4, 7.2, 6.8, 6.2, 5.4, 4.5, 3.4, 2.2, 2.8]
    rows = []
    for i, share in enumerate(shares):
        label = f"{i * 5}-{i * 5 + 4}" if i < 15 else "75+"
        total = round(49_900_000 * share / 100 * rng.uniform(0.98, 1.02))
        male = round(total * (0.507 if i < 12 else 0.47))
        rows.append([label, male, total - male, total])
    return Table(["kelompok_umur", "laki_laki", "perempuan", "jumlah"], rows)


def rentan_adminduk(wil):
    def row(rng, p, year):
        return [rng.randint(40, 900), rng.randint(5, 120), rng.randint(20, 600),
                rng.randint(10, 300)]
    return per_kabkota(wil, "rentan", ["penghuni_panti_orang", "odgj_orang",
                                       "korban_bencana_orang", "masyarakat_adat_orang"], row)


# ---------------------------------------------------------------- kesehatan


def fasilitas_kesehatan(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop / rng.uniform(45000, 65000)) + 3, round(pop / rng.uniform(90000, 140000))
                + 1, round(pop / rng.uniform(12000, 20000)), round(pop / rng.uniform(9000, 15000))]
    return per_kabkota(wil, "faskes", ["puskesmas", "rumah_sakit", "klinik", "apotek_unit"], row)


def tenaga_kesehatan(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop / rng.uniform(3000, 6000)), round(pop / rng.uniform(15000, 30000)),
                round(pop / rng.uniform(700, 1100)), round(pop / rng.uniform(900, 1400)),
                round(pop / rng.uniform(8000, 14000))]
    return per_kabkota(wil, "nakes", ["dokter_umum_orang", "dokter_gigi_orang",
                                      "perawat_orang", "bidan_orang", "apoteker_orang"], row)


def stunting(wil):
    def row(rng, p, year):
        base = 14 + p.miskin * 1.2 + rng.uniform(-2.5, 2.5)
        return [round(base - (year - 2021) * rng.uniform(0.6, 1.8), 1)]
    return per_kabkota(wil, "stunting", ["prevalensi_persen"], row, range(2021, 2024))


def imunisasi(wil):
    def row(rng, p, year):
        bayi = round(p.population() * rng.uniform(0.015, 0.017))
        idl = round(bayi * rng.uniform(0.84, 0.99))
        return [bayi, idl, round(100 * idl / bayi, 2)]
    return per_kabkota(wil, "imunisasi", ["sasaran_bayi_jiwa", "idl_jiwa", "cakupan_persen"],
                       row)


def dbd(wil):
    def row(rng, p, year):
        rate = rng.uniform(40, 130) * (1.5 if year in (2019, 2022) else 1.0)
        cases = round(p.population(year) * rate / 100_000)
        return [cases, round(cases * rng.uniform(0.003, 0.009)),
                round(rate * (1.2 if p.city else 0.9), 1)]
    return per_kabkota(wil, "dbd", ["kasus_orang", "meninggal_orang", "incidence_rate"], row,
                       range(2019, 2024))


def tuberkulosis(wil):
    def row(rng, p, year):
        notified = round(p.population() * rng.uniform(150, 330) / 100_000)
        return [notified, round(notified * rng.uniform(0.82, 0.92)),
                round(rng.uniform(84, 93), 1)]
    return per_kabkota(wil, "tbc", ["kasus_ternotifikasi_orang", "kasus_diobati_orang",
                                    "keberhasilan_pengobatan_persen"], row)


def puskesmas_kota(wil, kab):
    rng = _rng(f"puskesmas:{kab}")
    rows = []
    for kec in wil.kecamatan(kab):
        desas = wil.kecamatan(kec)
        for desa in rng.sample(desas, min(len(desas), rng.randint(1, 3))):
            rows.append([kec, wil.name(kec), f"Puskesmas {wil.name(desa)}",
                         rng.choice(["Rawat Inap"] + ["Non Rawat Inap"] * 4),
                         rng.choice(["Paripurna", "Utama", "Utama", "Madya", "Dasar"])])
    return Table(["kode_wilayah", "kecamatan", "puskesmas", "jenis_layanan", "akreditasi"], rows)


_FIRST = ["Ade", "Agus", "Ai", "Asep", "Cecep", "Dadang", "Dewi", "Dian", "Eka", "Elis",
          "Endang", "Euis", "Fitri", "Hana", "Iis", "Imas", "Indra", "Iwan", "Lilis", "Neneng",
          "Nia", "Nurul", "Rina", "Rudi", "Sri", "Teti", "Tuti", "Ujang", "Wulan", "Yanti"]
_LAST = ["Suryana", "Rahmawati", "Hidayat", "Permana", "Kusnadi", "Nurhayati", "Sopian",
         "Mulyani", "Setiawan", "Rohaeti", "Gunawan", "Lestari", "Saputra", "Komariah",
         "Ramdani", "Kurniasih", "Firmansyah", "Herawati", "Suhendar", "Wahyuni"]


def nakes_puskesmas(wil, kab):
    """A staff list with people's names: the custodian decides on the personal-data column."""
    rng = _rng(f"daftar-nakes:{kab}")
    rows = []
    jobs = ["Dokter Umum", "Dokter Gigi", "Perawat", "Perawat", "Bidan", "Bidan", "Apoteker",
            "Nutrisionis", "Sanitarian", "Pranata Laboratorium Kesehatan"]
    for kec in wil.kecamatan(kab):
        for desa in wil.kecamatan(kec)[:2]:
            for _ in range(rng.randint(9, 14)):
                name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                status = rng.choice(["PNS", "PNS", "PPPK", "BLUD"])
                nip = (f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                       f"20{rng.randint(5, 23):02d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}"
                       f"{rng.randint(1, 999):03d}") if status == "PNS" else ""
                rows.append([kec, f"Puskesmas {wil.name(desa)}", name, nip, rng.choice(jobs),
                             status])
    return Table(["kode_wilayah", "puskesmas", "nama", "nip", "jenis_tenaga",
                  "status_kepegawaian"], rows)


def odgj(wil):
    def row(rng, p, year):
        target = round(p.population() * rng.uniform(0.0012, 0.0018))
        served = round(target * rng.uniform(0.62, 0.97))
        return [target, served, round(100 * served / target, 2)]
    return per_kabkota(wil, "odgj", ["sasaran_odgj_berat_orang", "mendapat_layanan_orang",
                                     "cakupan_persen"], row)


# ---------------------------------------------------------------- pendidikan


def sekolah(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop / rng.uniform(2200, 2800)), round(pop / rng.uniform(7500, 9500)),
                round(pop / rng.uniform(25000, 33000)), round(pop / rng.uniform(15000, 20000)),
                round(pop / rng.uniform(100000, 160000)) + 1]
    return per_kabkota(wil, "sekolah", ["sd_unit", "smp_unit", "sma_unit", "smk_unit",
                                        "slb_unit"], row)


def siswa(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop * rng.uniform(0.09, 0.1)), round(pop * rng.uniform(0.035, 0.04)),
                round(pop * rng.uniform(0.014, 0.019)), round(pop * rng.uniform(0.018, 0.024))]
    return per_kabkota(wil, "siswa", ["sd_orang", "smp_orang", "sma_orang", "smk_orang"], row)


def guru(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop * 0.095 / rng.uniform(18, 23)), round(pop * 0.037 / rng.uniform(15, 19)),
                round(pop * 0.017 / rng.uniform(14, 18)), round(pop * 0.021 / rng.uniform(15, 19))]
    return per_kabkota(wil, "guru", ["sd_orang", "smp_orang", "sma_orang", "smk_orang"], row)


def apm_sma(wil):
    def row(rng, p, year):
        return [round(min(82.0, 48 + (p.ipm - 66) * 1.6 + (year - 2019) * 0.7
                          + rng.uniform(-2, 2)), 2)]
    return per_kabkota(wil, "apm", ["apm_sma_persen"], row, range(2019, 2024))


def sekolah_kecamatan(wil, kab, broken=False):
    """Schools per kecamatan; `broken` plants the two mistakes the validator must catch."""
    rng = _rng(f"sekolah-kec:{kab}")
    rows = []
    for kec in wil.kecamatan(kab):
        pop = PROFILE[kab].population() / len(wil.kecamatan(kab))
        rows.append([kec, wil.name(kec), round(pop / rng.uniform(1800, 3000)),
                     round(pop / rng.uniform(6000, 11000)), rng.randint(0, 4),
                     rng.randint(1, 6)])
    if broken:
        rows[3][2] = "n/a"  # text in a numeric column
        rows.append([kab + ".99", "Kec. Pemekaran Baru", 12, 3, 1, 2])  # not a real code
    return Table(["kode_wilayah", "nama_kecamatan", "sd_unit", "smp_unit", "sma_unit",
                  "smk_unit"], rows)


# ---------------------------------------------------------------- pertanian


def padi_kabkota(wil):
    def row(rng, p, year):
        area = round(p.panen * rng.uniform(0.92, 1.06))
        yield_ = round(rng.uniform(55, 65) if not p.city else rng.uniform(52, 60), 2)
        return [area, round(area * yield_ / 10), yield_]
    return per_kabkota(wil, "padi", ["luas_panen_ha", "produksi_ton", "produktivitas_ku_ha"],
                       row, range(2019, 2025))


def padi_kecamatan(wil, kab, year):
    rng = _rng(f"padi-kec:{kab}:{year}")
    kecs = wil.kecamatan(kab)
    rows = []
    areas = _split(rng, PROFILE[kab].panen, len(kecs), 0.2, 1.8)
    for kec, area in zip(kecs, areas, strict=True):
        yield_ = round(rng.uniform(55, 66), 2)
        rows.append([kec, wil.name(kec), area, round(area * yield_ / 10), yield_])
    return Table(["kode_wilayah", "nama_kecamatan", "luas_panen_ha", "produksi_ton",
                  "produktivitas_ku_ha"], rows)


def lahan_sawah(wil):
    def row(rng, p, year):
        total = round(p.panen / rng.uniform(1.6, 2.2))
        irigasi = round(total * rng.uniform(0.45, 0.9))
        return [irigasi, total - irigasi, total]
    return per_kabkota(wil, "sawah", ["irigasi_ha", "non_irigasi_ha", "jumlah_ha"], row)


def _komoditas(wil, seed, big, scale, yield_range):
    def row(rng, p, year):
        base = scale * (rng.uniform(0.6, 1.0) if p.code in big else rng.uniform(0.02, 0.2))
        area = round(base * (0.05 if p.city else 1))
        yield_ = round(rng.uniform(*yield_range), 2)
        return [area, round(area * yield_ / 10), yield_ if area else 0]
    return per_kabkota(wil, seed, ["luas_panen_ha", "produksi_ton", "produktivitas_ku_ha"], row)


def jagung(wil):
    return _komoditas(wil, "jagung", {"32.05", "32.10", "32.11", "32.06", "32.03"}, 45000,
                      (58, 72))


def cabai(wil):
    return _komoditas(wil, "cabai", {"32.05", "32.03", "32.04", "32.06", "32.17"}, 4500,
                      (110, 190))


def bawang_merah(wil):
    return _komoditas(wil, "bawang", {"32.09", "32.10", "32.04", "32.05"}, 3500, (90, 120))


def harga_gabah():
    rng = _rng("gabah")
    rows = []
    for month in range(1, 13):
        gkp = round(6100 + 700 * (month in (1, 2, 9, 10, 11, 12)) + rng.uniform(-150, 250), -1)
        rows.append([f"2024-{month:02d}", gkp, round(gkp * rng.uniform(1.13, 1.18), -1)])
    return Table(["bulan", "harga_gkp_rp_kg", "harga_gkg_rp_kg"], rows)


def stok_beras():
    rng = _rng("stok-beras")
    rows, stock = [], 12000.0
    for month in range(1, 13):
        bought = round(rng.uniform(500, 3500) * (2 if month in (3, 4, 8, 9) else 1), 1)
        given = round(rng.uniform(1200, 3200) * (1.8 if month in (1, 2, 12) else 1), 1)
        end = round(max(1500.0, stock + bought - given), 1)
        rows.append([f"2024-{month:02d}", round(stock, 1), bought, given, end])
        stock = end
    return Table(["bulan", "stok_awal_ton", "pengadaan_ton", "penyaluran_ton",
                  "stok_akhir_ton"], rows)


# ---------------------------------------------------------------- infrastruktur


def jalan_provinsi(wil):
    def row(rng, p, year):
        total = rng.uniform(8, 35) if p.city else rng.uniform(60, 190)
        shares = [rng.uniform(0.6, 0.8), rng.uniform(0.1, 0.2), rng.uniform(0.04, 0.09)]
        parts = [round(total * s, 2) for s in shares]
        parts.append(round(max(0.0, total - sum(parts)), 2))
        return parts + [round(sum(parts), 2)]
    return per_kabkota(wil, "jalan", ["baik_km", "sedang_km", "rusak_ringan_km", "rusak_berat_km",
                                      "panjang_km"], row)


def jembatan(wil):
    def row(rng, p, year):
        total = rng.randint(3, 12) if p.city else rng.randint(25, 90)
        bad = rng.randint(0, total // 6)
        return [total - bad, bad, total]
    return per_kabkota(wil, "jembatan", ["baik_unit", "rusak_unit", "jumlah_unit"], row)


def jembatan_rawan(wil):
    rng = _rng("jembatan-rawan")
    rows = []
    for code in wil.kabkota()[:18]:
        for n in range(rng.randint(1, 3)):
            rows.append([code, wil.name(code), f"{code.replace('.', '')}-{n + 1:03d}",
                         round(rng.uniform(12, 160), 1), rng.choice(["Retak struktur",
                         "Gerusan pilar", "Korosi rangka", "Penurunan abutment"])])
    return Table(["kode_wilayah", "kabupaten_kota", "nomor_jembatan", "bentang_m",
                  "kerusakan"], rows)


# ---------------------------------------------------------------- lingkungan

# Monitoring points along the Citarum, upstream to downstream: (kab, kecamatan, point).
_CITARUM = [
    ("32.04", "Kertasari", "Situ Cisanti (hulu)"), ("32.04", "Majalaya", "Jembatan Majalaya"),
    ("32.04", "Bojongsoang", "Jembatan Sapan"), ("32.04", "Dayeuhkolot", "Dayeuhkolot"),
    ("32.04", "Margaasih", "Nanjung"), ("32.17", "Batujajar", "Outlet Waduk Saguling"),
    ("32.14", "Jatiluhur", "Outlet Waduk Jatiluhur"), ("32.15", "Klari", "Bendung Walahar"),
    ("32.16", "Muaragembong", "Muara Gembong (hilir)"),
]
_MUTU = ENUMS["status_mutu"]


def citarum(wil):
    rng = _rng("citarum")
    rows = []
    for i, (kab, kec, point) in enumerate(_CITARUM):
        load = 0.2 + 0.8 * min(i, 5) / 5 - (0.25 if i >= 5 else 0)
        for month in range(1, 13):
            dry = 1.3 if month in (7, 8, 9) else 1.0
            bod = round((2 + 18 * load) * dry * rng.uniform(0.8, 1.2), 1)
            rows.append([wil.find(kab, kec), point, f"2023-{month:02d}",
                         round(rng.uniform(6.6, 7.8), 2), round(rng.uniform(21, 30), 1),
                         round(max(0.4, 7.5 - 6 * load * dry + rng.uniform(-0.5, 0.5)), 2),
                         bod, round(bod * rng.uniform(2.2, 3.0), 1),
                         round(rng.uniform(20, 60) + 180 * load, 0),
                         _MUTU[min(3, int(bod / 6))]])
    return Table(["kode_wilayah", "titik_pantau", "bulan", "ph", "suhu_c", "do_mg_l",
                  "bod_mg_l", "cod_mg_l", "tss_mg_l", "status_mutu"], rows)


def iklh(wil):
    def row(rng, p, year):
        air, udara = rng.uniform(45, 62), rng.uniform(78, 90) - (5 if p.city else 0)
        lahan = rng.uniform(35, 65) - (15 if p.city else 0)
        return [round(air, 2), round(udara, 2), round(lahan, 2),
                round(0.376 * air + 0.405 * udara + 0.219 * lahan, 2)]
    return per_kabkota(wil, "iklh", ["ika", "iku", "iktl", "iklh"], row, range(2021, 2024))


def sampah(wil):
    def row(rng, p, year):
        per_day = rng.uniform(0.65, 0.8) if p.city else rng.uniform(0.5, 0.65)
        total = round(p.population() * per_day * 365 / 1000)
        return [total, round(total * rng.uniform(0.45, 0.85))]
    return per_kabkota(wil, "sampah", ["ton_tahun", "terkelola_ton"], row)


def ispu_bandung():
    rng = _rng("ispu")
    rows = []
    for month in range(1, 13):
        dry = month in (6, 7, 8, 9)
        pm25 = round(rng.uniform(28, 40) * (1.35 if dry else 1.0), 1)
        ispu = round(pm25 * 2.3 + rng.uniform(-5, 5))
        label = "Baik" if ispu <= 50 else "Sedang" if ispu <= 100 else "Tidak Sehat"
        rows.append([f"2024-{month:02d}", round(pm25 * 1.6, 1), pm25,
                     round(rng.uniform(10, 30), 1), round(rng.uniform(30, 60), 1), ispu, label])
    return Table(["bulan", "pm10", "pm25", "no2", "o3", "ispu_maks", "kategori"], rows)


# ---------------------------------------------------------------- sosial


def bansos(wil):
    def row(rng, p, year):
        families = p.population() / 3.3
        pkh = round(families * p.miskin / 100 * rng.uniform(1.1, 1.5))
        return [pkh, round(pkh * rng.uniform(1.4, 1.9)), round(pkh * rng.uniform(2.0, 2.6))]
    return per_kabkota(wil, "bansos", ["pkh_kpm", "bpnt_kpm", "pbi_jk_ribu_jiwa"], row,
                       range(2022, 2024))


def pkh_desa(wil, kab):
    rng = _rng(f"pkh-desa:{kab}")
    rows = []
    for kec in wil.kecamatan(kab):
        for desa in wil.kecamatan(kec):
            rows.append([desa, wil.name(kec), wil.name(desa), rng.randint(60, 520),
                         rng.randint(5, 60)])
    return Table(["kode_wilayah", "kecamatan", "desa_kelurahan", "pkh_kpm",
                  "lansia_penerima_orang"], rows)


def disabilitas(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop * rng.uniform(0.0012, 0.002)), round(pop * rng.uniform(0.0005, 0.001)),
                round(pop * rng.uniform(0.0004, 0.0008)), round(pop * rng.uniform(0.0003, 0.0006))]
    return per_kabkota(wil, "disabilitas", ["fisik_orang", "intelektual_orang", "mental_orang",
                                            "sensorik_orang"], row)


def kekerasan_anak(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop * rng.uniform(0.5, 2.5) / 100_000),
                round(pop * rng.uniform(0.8, 3.0) / 100_000),
                round(pop * rng.uniform(0.3, 1.2) / 100_000)]
    return per_kabkota(wil, "kekerasan", ["fisik_kasus", "seksual_kasus", "psikis_kasus"], row)


def ppks(wil):
    def row(rng, p, year):
        pop = p.population()
        return [round(pop * rng.uniform(0.0003, 0.0008)), round(pop * rng.uniform(0.002, 0.005)),
                round(pop * rng.uniform(0.0001, 0.0003)), round(pop * rng.uniform(0.004, 0.009))]
    return per_kabkota(wil, "ppks", ["anak_terlantar_orang", "lansia_terlantar_orang",
                                     "gelandangan_pengemis_orang", "fakir_miskin_kk"], row)


def rtlh_desa(wil, kab):
    rng = _rng(f"rtlh:{kab}")
    rows = []
    for kec in wil.kecamatan(kab):
        for desa in wil.kecamatan(kec):
            total = rng.randint(15, 260)
            rows.append([desa, wil.name(kec), wil.name(desa), total,
                         round(total * rng.uniform(0.03, 0.18))])
    return Table(["kode_wilayah", "kecamatan", "desa_kelurahan", "rtlh_unit",
                  "ditangani_unit"], rows)


# ---------------------------------------------------------------- pariwisata

_COVID = {2019: 1.0, 2020: 0.42, 2021: 0.55, 2022: 0.86, 2023: 1.04}


def wisatawan(wil, years=range(2019, 2024), seed="wisata"):
    favourite = {"32.73": 8.5, "32.01": 8.0, "32.04": 6.0, "32.18": 4.2, "32.17": 5.0,
                 "32.03": 3.5, "32.05": 3.0}

    def row(rng, p, year):
        base = favourite.get(p.code, rng.uniform(0.4, 2.2)) * 1e6
        domestic = round(base * _COVID[year] * rng.uniform(0.93, 1.07))
        foreign = round(domestic * (0.025 if p.code in favourite else 0.004) * (
            0.15 if year in (2020, 2021) else 1) * rng.uniform(0.7, 1.3))
        return [domestic, foreign]
    return per_kabkota(wil, seed, ["wisnus", "wisman"], row, years)


def hotel(wil):
    def row(rng, p, year):
        star = rng.randint(20, 140) if p.code in ("32.73", "32.01", "32.75") else rng.randint(0, 25)
        other = rng.randint(40, 300)
        rooms = round(star * rng.uniform(80, 150) + other * rng.uniform(12, 25))
        return [star, other, rooms]
    return per_kabkota(wil, "hotel", ["hotel_bintang_unit", "hotel_non_bintang_unit",
                                      "kamar_unit"], row)


# Attractions of Pangandaran: (kecamatan, attraction, kind)
_DTW = [
    ("Pangandaran", "Pantai Pangandaran", "Alam"), ("Pangandaran", "Cagar Alam Pananjung",
                                                    "Alam"),
    ("Cijulang", "Green Canyon (Cukang Taneuh)", "Alam"), ("Cijulang", "Pantai Batu Karas",
                                                          "Alam"),
    ("Parigi", "Pantai Batu Hiu", "Alam"), ("Parigi", "Body Rafting Citumang", "Alam"),
    ("Cimerak", "Pantai Madasari", "Alam"), ("Kalipucang", "Pantai Karapyak", "Alam"),
    ("Cigugur", "Curug Bojong", "Alam"), ("Pangandaran", "Monumen Tsunami Pangandaran",
                                          "Budaya"),
    ("Sidamulih", "Pantai Pangandaran Barat", "Alam"), ("Padaherang", "Situs Karangkamulyan "
                                                        "Padaherang", "Budaya"),
]


def daya_tarik_pangandaran(wil):
    rng = _rng("dtw")
    rows = [[wil.find("32.18", kec), kec, name, kind, round(rng.uniform(0.02, 1.0) ** 2 * 2e6)]
            for kec, name, kind in _DTW]
    return Table(["kode_wilayah", "kecamatan", "daya_tarik_wisata", "jenis",
                  "pengunjung_2023_orang"], rows)


def cagar_budaya(wil):
    def row(rng, p, year):
        return [rng.randint(2, 40), rng.randint(0, 6), rng.randint(0, 8), rng.randint(0, 3)]
    return per_kabkota(wil, "cagar", ["benda_unit", "bangunan_unit", "situs_unit",
                                      "kawasan_unit"], row)


# ---------------------------------------------------------------- makro (bappeda)


def ipm(wil):
    def row(rng, p, year):
        return [round(p.ipm - (2023 - year) * rng.uniform(0.35, 0.6), 2)]
    return per_kabkota(wil, "ipm", ["ipm"], row, range(2019, 2024))


def kemiskinan(wil):
    def row(rng, p, year):
        bump = {2019: -0.6, 2020: 0.5, 2021: 0.9, 2022: 0.3, 2023: 0.0, 2024: -0.4}[year]
        pct = round(p.miskin + bump + rng.uniform(-0.2, 0.2), 2)
        return [round(p.population(year) * pct / 100 / 1000, 2), pct]
    return per_kabkota(wil, "miskin", ["penduduk_miskin_ribu", "persen_miskin"], row,
                       range(2019, 2025))


def pdrb(wil):
    def row(rng, p, year):
        growth = {2019: 0.86, 2020: 0.84, 2021: 0.88, 2022: 0.95, 2023: 1.0}[year]
        return [round(p.population(year) * p.percap * growth * rng.uniform(0.98, 1.02) / 1000, 2)]
    return per_kabkota(wil, "pdrb", ["pdrb_adhb_miliar"], row, range(2019, 2024))


def pengangguran(wil):
    industrial = {"32.01", "32.14", "32.15", "32.16", "32.71", "32.75", "32.77"}

    def row(rng, p, year):
        return [round(rng.uniform(7.8, 9.6) if p.code in industrial else rng.uniform(3.5, 7.8),
                      2)]
    return per_kabkota(wil, "tpt", ["tpt_persen"], row)


def pad(wil):
    def row(rng, p, year):
        return [round(p.population() * p.percap * rng.uniform(0.004, 0.008) / 1000, 2)]
    return per_kabkota(wil, "pad", ["realisasi_pad_miliar"], row)


# ---------------------------------------------------------------- diskominfo


def menara(wil):
    def row(rng, p, year):
        return [round(p.population() / rng.uniform(3500, 6000)), rng.randint(2, 5)]
    return per_kabkota(wil, "menara", ["menara_unit", "operator_unit"], row)


def menara_koordinat(wil):
    rng = _rng("menara-koordinat")
    rows = []
    for kab in wil.kabkota()[:6]:
        for kec in wil.kecamatan(kab)[:8]:
            rows.append([kec, wil.name(kec), f"MT-{kec.replace('.', '')}-{rng.randint(1, 99):02d}",
                         round(rng.uniform(-7.6, -6.2), 6), round(rng.uniform(106.4, 108.7), 6),
                         rng.choice([32, 42, 52, 62, 72])])
    return Table(["kode_wilayah", "kecamatan", "id_menara", "lintang", "bujur",
                  "tinggi_m"], rows)


def wifi_publik(wil):
    def row(rng, p, year):
        points = rng.randint(40, 260) if p.city else rng.randint(20, 140)
        return [points, round(points * rng.uniform(0.8, 0.97))]
    return per_kabkota(wil, "wifi", ["titik_wifi_unit", "aktif_unit"], row)


def blank_spot(wil):
    def row(rng, p, year):
        desa = sum(len(wil.kecamatan(k)) for k in wil.kecamatan(p.code))
        spots = 0 if p.city else rng.randint(0, max(1, desa // 12))
        return [desa, spots, round(100 * (desa - spots) / desa, 2)]
    return per_kabkota(wil, "blankspot", ["desa_unit", "desa_blank_spot_unit",
                                          "desa_terlayani_persen"], row)


# ---------------------------------------------------------------- documents


def pdf_document(title, lines):
    """A one-page PDF with a title and lines of text, built by hand (no PDF library needed)."""
    def esc(text):
        text = text.replace("–", "-").encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    body = [f"BT /F1 15 Tf 56 790 Td ({esc(title)}) Tj ET"]
    y = 760
    for line in lines:
        body.append(f"BT /F1 10 Tf 56 {y} Td ({esc(line)}) Tj ET")
        y -= 15
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Title ({esc(title)}) /Producer (MejaData demo) >>".encode("latin-1"),
    ]
    return _pdf_file(objects)


def _pdf_file(objects):
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, len(objects), xref))
    return bytes(out)


def metadata_statistik(title, organisation, rows):
    lines = [f"Produsen data: {organisation}", "Walidata: Diskominfo Provinsi Jawa Barat", ""]
    lines += [f"{key}: {value}" for key, value in rows]
    lines += ["", "Dokumen contoh untuk demo MejaData (Satu Data Indonesia, Perpres 39/2019)."]
    return pdf_document(f"Metadata Statistik - {title}", lines)


# ---------------------------------------------------------------- dataset specifications


@dataclass
class Spec:
    """One demo dataset: its Satu Data metadata, files, and where the demo leaves it."""

    title: str
    org: str
    topic: str
    description: str
    files: list
    tags: list = field(default_factory=list)
    frequency: str = "tahunan"
    period: tuple = (2023, 2023)
    kode_wilayah: str = PROVINCE
    coverage: str = "Provinsi Jawa Barat"
    unit: str = ""
    konsep: str = ""
    definisi: str = ""
    klasifikasi: str = "Kabupaten/kota (Kode Wilayah Kemendagri)"
    ukuran: str = ""
    sdsn: str | None = None
    access: str = "terbuka"
    license: str | None = None
    priority: bool = False
    # draft | invalid | submitted | resubmitted | returned | published | withdrawn
    state: str = "published"
    notes: dict = field(default_factory=dict)  # custodian's field notes when returned
    fix: dict = field(default_factory=dict)  # what the producer changes before resubmitting
    message: str = ""  # the custodian's general note when returned
    withdraw_reason: str = ""
    pii: dict = field(default_factory=dict)  # column -> (decision, reason)
    grant: tuple | None = None  # (email, reason) for a restricted dataset

    def metadata(self, org_id, topic_id):
        """The dataset_create input, in the field names of DatasetInput."""
        closed = self.access != "terbuka"
        return {
            "title": self.title, "description": self.description, "organisation_id": org_id,
            "topic_id": topic_id, "tags": self.tags, "frequency": self.frequency,
            "period_start": self.period[0], "period_end": self.period[1],
            "spatial_coverage": self.coverage, "kode_wilayah": self.kode_wilayah,
            "unit": self.unit, "konsep": self.konsep, "definisi": self.definisi,
            "klasifikasi": self.klasifikasi, "ukuran": self.ukuran, "kode_sdsn": self.sdsn,
            "access": self.access,
            "license_id": self.license or ("other-closed" if closed else "cc-by-4.0"),
            "contact_name": f"Pengelola Data {ORG_SHORT[self.org]} Provinsi Jawa Barat",
            "contact_email": f"data.{self.org}@{DOMAIN}", "priority": self.priority,
        }


def specs(wil):
    """Every demo dataset, in the order the loader creates them."""
    return (_kependudukan(wil) + _kesehatan(wil) + _pendidikan(wil) + _pertanian(wil)
            + _infrastruktur(wil) + _lingkungan(wil) + _sosial(wil) + _pariwisata(wil)
            + _makro(wil) + _diskominfo(wil))


def _csv(name, make, **kw):
    return File(f"{name}.csv", table=make, **kw)


def _xlsx(name, make, **kw):
    return File(f"{name}.xlsx", table=make, **kw)


_KONSEP_PENDUDUK = ("Penduduk adalah warga negara Indonesia dan orang asing yang bertempat "
                    "tinggal di wilayah Indonesia dan tercatat dalam database kependudukan.")
_SHORT_NAMES = {"32.01": "kab-bogor", "32.04": "kab-bandung", "32.05": "kab-garut",
                "32.09": "kab-cirebon", "32.73": "kota-bandung", "32.75": "kota-bekasi",
                "32.12": "kab-indramayu", "32.13": "kab-subang", "32.15": "kab-karawang",
                "32.76": "kota-depok", "32.77": "kota-cimahi", "32.18": "kab-pangandaran"}


def _penduduk_kec_spec(wil, kab, state="published"):
    place = wil.name(kab)
    return Spec(
        title=f"Jumlah Penduduk Menurut Kecamatan di {place} Tahun 2023", org="disdukcapil",
        topic="kependudukan", kode_wilayah=kab, coverage=place, unit="jiwa", state=state,
        description=(f"Jumlah penduduk {place} menurut kecamatan dan jenis kelamin, hasil "
                     "konsolidasi data kependudukan semester II 2023. Data bersumber dari "
                     "Sistem Informasi Administrasi Kependudukan (SIAK) yang dikelola "
                     "Disdukcapil bersama dinas kabupaten/kota."),
        tags=["penduduk", "kependudukan", "kecamatan", "adminduk"], frequency="semesteran",
        konsep=_KONSEP_PENDUDUK, klasifikasi="Kecamatan (Kode Wilayah Kemendagri); jenis kelamin",
        definisi="Jumlah penduduk yang tercatat pada database kependudukan per 31 Desember.",
        ukuran="Jumlah jiwa", sdsn="SP00055.00.00", priority=kab in ("32.04", "32.73"),
        files=[_csv(f"penduduk-kecamatan-{_SHORT_NAMES[kab]}-2023",
                    lambda: penduduk_kecamatan(wil, kab, 2023))])


def _kependudukan(wil):
    tahunan = dict(org="disdukcapil", topic="kependudukan", frequency="semesteran")
    out = [_penduduk_kec_spec(wil, kab) for kab in ("32.04", "32.73", "32.01", "32.05",
                                                    "32.09")]
    out.append(_penduduk_kec_spec(wil, "32.75", state="draft"))
    out += [
        Spec(title="Jumlah Penduduk Menurut Kabupaten/Kota di Jawa Barat 2020–2024",
             description=("Jumlah penduduk per kabupaten/kota di Jawa Barat menurut jenis "
                          "kelamin untuk tahun 2020 sampai 2024. Angka merupakan data "
                          "konsolidasi bersih (DKB) semester II setiap tahun."),
             tags=["penduduk", "kependudukan", "jenis kelamin"], period=(2020, 2024),
             unit="jiwa", konsep=_KONSEP_PENDUDUK, ukuran="Jumlah jiwa", sdsn="SP00056.00.00",
             priority=True, definisi="Penduduk terdaftar per 31 Desember tahun berjalan.",
             files=[_csv("penduduk-kabkota-jabar-2020-2024", lambda: penduduk_kabkota(wil)),
                    _xlsx("penduduk-kabkota-jabar-2020-2024", lambda: penduduk_kabkota(wil))],
             **tahunan),
        Spec(title="Jumlah Penduduk Menurut Desa/Kelurahan di Kabupaten Bogor Tahun 2023",
             description=("Jumlah penduduk dan kartu keluarga di setiap desa/kelurahan "
                          "Kabupaten Bogor menurut jenis kelamin. Data dipakai sebagai dasar "
                          "perencanaan pembangunan desa dan alokasi dana desa."),
             tags=["penduduk", "desa", "kartu keluarga"], kode_wilayah="32.01",
             coverage="Kabupaten Bogor", unit="jiwa", konsep=_KONSEP_PENDUDUK,
             klasifikasi="Desa/kelurahan (Kode Wilayah Kemendagri)", ukuran="Jumlah jiwa; KK",
             definisi="Penduduk terdaftar per 31 Desember 2023 menurut desa/kelurahan domisili.",
             files=[_csv("penduduk-desa-kab-bogor-2023", lambda: penduduk_desa(wil, "32.01",
                                                                                2023))],
             **tahunan),
        Spec(title="Jumlah Kartu Keluarga Menurut Kabupaten/Kota di Jawa Barat 2023",
             definisi="Jumlah KK yang tercatat pada database kependudukan per 31 Desember 2023.",
             description=("Jumlah kartu keluarga (KK) per kabupaten/kota, termasuk KK dengan "
                          "kepala keluarga perempuan. Data berasal dari SIAK dan dimutakhirkan "
                          "setiap semester."),
             tags=["kartu keluarga", "kependudukan"], unit="KK", ukuran="Jumlah KK",
             konsep="Kartu keluarga adalah kartu identitas keluarga yang memuat susunan dan "
                    "hubungan dalam keluarga.", files=[_csv("kartu-keluarga-jabar-2023",
                                                            lambda: kartu_keluarga(wil))],
             **tahunan),
        Spec(title="Kepemilikan KTP Elektronik Menurut Kabupaten/Kota di Jawa Barat 2024",
             definisi="Persentase penduduk wajib KTP yang telah merekam data biometrik KTP-el.",
             description=("Jumlah penduduk wajib KTP, yang sudah dan belum merekam KTP "
                          "elektronik, serta persentase cakupannya per kabupaten/kota. Data "
                          "dipakai untuk memantau target perekaman KTP-el."),
             tags=["ktp-el", "adminduk"], period=(2024, 2024), unit="jiwa",
             ukuran="Jumlah jiwa; persen", priority=True,
             konsep="Wajib KTP adalah WNI berumur 17 tahun atau lebih, atau sudah/pernah kawin.",
             files=[_xlsx("ktp-el-jabar-2024", lambda: ktp_el(wil))], **tahunan),
        Spec(title="Kepemilikan Akta Kelahiran Anak 0–18 Tahun Menurut Kabupaten/Kota 2023",
             konsep="Akta kelahiran adalah bukti sah status dan peristiwa kelahiran seseorang.",
             definisi="Persentase anak 0–18 tahun yang memiliki akta kelahiran terhadap jumlah "
                      "anak 0–18 tahun.",
             description=("Jumlah anak usia 0 sampai 18 tahun dan yang telah memiliki akta "
                          "kelahiran per kabupaten/kota. Indikator ini mendukung pemenuhan hak "
                          "identitas anak."),
             tags=["akta kelahiran", "anak", "adminduk"], unit="jiwa",
             ukuran="Jumlah jiwa; persen",
             files=[_csv("akta-kelahiran-anak-jabar-2023", lambda: akta_kelahiran(wil))],
             **tahunan),
        Spec(title="Penduduk Jawa Barat Menurut Kelompok Umur dan Jenis Kelamin 2023",
             konsep=_KONSEP_PENDUDUK,
             definisi="Umur dihitung dalam tahun penuh per 31 Desember 2023.",
             description=("Jumlah penduduk Jawa Barat menurut kelompok umur lima tahunan dan "
                          "jenis kelamin. Data dipakai untuk menyusun piramida penduduk dan "
                          "proyeksi kebutuhan layanan dasar."),
             tags=["penduduk", "kelompok umur", "piramida penduduk"], unit="jiwa",
             klasifikasi="Kelompok umur lima tahunan; jenis kelamin", ukuran="Jumlah jiwa",
             files=[_csv("penduduk-kelompok-umur-jabar-2023", kelompok_umur)], **tahunan),
        Spec(title="Penduduk Rentan Administrasi Kependudukan Menurut Kabupaten/Kota 2023",
             konsep="Penduduk rentan administrasi kependudukan adalah penduduk yang mengalami "
                    "hambatan memperoleh dokumen kependudukan.",
             definisi="Penduduk rentan yang dilayani perekaman dan penerbitan dokumen selama "
                      "2023.",
             description=("Rekapitulasi penduduk rentan administrasi kependudukan (penghuni "
                          "panti, ODGJ, korban bencana, masyarakat adat) yang dilayani "
                          "perekaman. Data ini hanya untuk penggunaan internal pemerintah."),
             tags=["penduduk rentan", "adminduk"], unit="orang", access="tertutup",
             ukuran="Jumlah orang", files=[_csv("penduduk-rentan-adminduk-2023",
                                                lambda: rentan_adminduk(wil))], **tahunan),
    ]
    return out


def _kesehatan(wil):
    base = dict(org="dinkes", topic="kesehatan")
    return [
        Spec(title="Fasilitas Kesehatan (Puskesmas, Rumah Sakit, Klinik) per Kabupaten/Kota "
                   "2023",
             definisi="Fasilitas kesehatan yang memiliki izin operasional aktif per 31 Desember "
                      "2023.",
             description=("Jumlah fasilitas pelayanan kesehatan menurut jenis di setiap "
                          "kabupaten/kota: puskesmas, rumah sakit, klinik dan apotek. Data "
                          "bersumber dari registrasi fasyankes Kementerian Kesehatan yang "
                          "diverifikasi Dinas Kesehatan."),
             tags=["fasilitas kesehatan", "puskesmas", "rumah sakit"], unit="unit",
             ukuran="Jumlah unit", sdsn="SP00101.00.00", priority=True,
             konsep="Fasilitas pelayanan kesehatan adalah tempat penyelenggaraan upaya "
                    "pelayanan kesehatan.",
             files=[_csv("fasilitas-kesehatan-jabar-2023", lambda: fasilitas_kesehatan(wil))],
             **base),
        Spec(title="Jumlah Tenaga Kesehatan Menurut Jenis dan Kabupaten/Kota 2023",
             konsep="Tenaga kesehatan adalah setiap orang yang mengabdikan diri di bidang "
                    "kesehatan dan memiliki kompetensi melalui pendidikan di bidang kesehatan.",
             definisi="Tenaga kesehatan terdaftar di SISDMK yang bertugas di fasilitas kesehatan "
                      "per Desember 2023.",
             description=("Jumlah tenaga kesehatan yang bekerja di fasilitas kesehatan menurut "
                          "jenis tenaga. Data diambil dari Sistem Informasi SDM Kesehatan "
                          "(SISDMK) per Desember 2023."),
             tags=["tenaga kesehatan", "sdm kesehatan", "dokter", "bidan"], unit="orang",
             ukuran="Jumlah orang", klasifikasi="Kabupaten/kota; jenis tenaga kesehatan",
             files=[_xlsx("tenaga-kesehatan-jabar-2023", lambda: tenaga_kesehatan(wil))],
             **base),
        Spec(title="Angka Stunting Balita Menurut Kabupaten/Kota di Jawa Barat 2021–2023",
             description=("Prevalensi balita pendek dan sangat pendek (stunting) per "
                          "kabupaten/kota. Angka berasal dari pengukuran e-PPGBM di posyandu "
                          "dan menjadi indikator prioritas percepatan penurunan stunting."),
             tags=["stunting", "gizi", "balita"], period=(2021, 2023), unit="persen",
             konsep="Stunting adalah kondisi gagal tumbuh akibat kekurangan gizi kronis.",
             definisi="Balita dengan z-skor tinggi badan menurut umur kurang dari -2 SD.",
             ukuran="Persentase balita", sdsn="SP00117.00.00", priority=True,
             files=[_csv("stunting-balita-jabar-2021-2023", lambda: stunting(wil))], **base),
        Spec(title="Cakupan Imunisasi Dasar Lengkap Menurut Kabupaten/Kota 2023",
             konsep="Imunisasi dasar lengkap adalah imunisasi wajib yang diberikan kepada bayi "
                    "sebelum berusia satu tahun.",
             description=("Jumlah sasaran bayi dan bayi yang mendapat imunisasi dasar lengkap "
                          "(IDL) per kabupaten/kota. Cakupan dihitung terhadap sasaran bayi "
                          "proyeksi."),
             tags=["imunisasi", "bayi"], unit="persen", ukuran="Jumlah jiwa; persen",
             state="resubmitted", notes={"definisi": "Tuliskan definisi imunisasi dasar "
                                         "lengkap sesuai Permenkes."},
             message="Lengkapi definisi operasional sebelum diterbitkan.",
             fix={"definisi": "Bayi usia 0–11 bulan yang telah mendapat HB-0, BCG, polio 4 "
                              "kali, DPT-HB-Hib 3 kali, IPV dan campak-rubela."},
             files=[_csv("imunisasi-dasar-lengkap-2023", lambda: imunisasi(wil))], **base),
        Spec(title="Kasus Demam Berdarah Dengue (DBD) Menurut Kabupaten/Kota 2019–2023",
             konsep="Demam berdarah dengue adalah penyakit infeksi virus dengue yang ditularkan "
                    "nyamuk Aedes.",
             definisi="Incidence rate adalah jumlah kasus per 100.000 penduduk dalam satu tahun.",
             description=("Jumlah kasus dan kematian akibat demam berdarah dengue serta "
                          "angka kesakitan (incidence rate) per 100.000 penduduk. Data berasal "
                          "dari surveilans penyakit menular Dinas Kesehatan."),
             tags=["dbd", "penyakit menular", "surveilans"], period=(2019, 2023),
             unit="kasus", ukuran="Jumlah kasus; IR per 100.000 penduduk",
             files=[_csv("kasus-dbd-jabar-2019-2023", lambda: dbd(wil))], **base),
        Spec(title="Kasus Tuberkulosis Menurut Kabupaten/Kota di Jawa Barat 2023",
             konsep="Tuberkulosis adalah penyakit menular yang disebabkan Mycobacterium "
                    "tuberculosis.",
             definisi="Kasus ternotifikasi adalah kasus TBC yang ditemukan dan dilaporkan ke "
                      "Sistem Informasi Tuberkulosis (SITB).",
             ukuran="Jumlah orang; persen",
             description=("Jumlah kasus tuberkulosis yang ternotifikasi dan diobati serta "
                          "angka keberhasilan pengobatan per kabupaten/kota."),
             tags=["tbc", "penyakit menular"], unit="orang", state="draft", access="terbatas",
             files=[_csv("kasus-tbc-jabar-2023", lambda: tuberkulosis(wil))], **base),
        Spec(title="Daftar Puskesmas di Kota Bandung 2024",
             konsep="Puskesmas adalah fasilitas pelayanan kesehatan tingkat pertama yang "
                    "bertanggung jawab atas wilayah kerjanya.",
             definisi="Puskesmas dengan kode fasyankes aktif; akreditasi menurut hasil survei "
                      "lembaga penyelenggara akreditasi.",
             ukuran="Jumlah unit",
             description=("Daftar puskesmas di Kota Bandung beserta kecamatan, jenis layanan "
                          "(rawat inap atau non rawat inap) dan status akreditasinya. Data "
                          "dimutakhirkan setiap tahun setelah survei akreditasi."),
             tags=["puskesmas", "akreditasi", "kota bandung"], period=(2024, 2024),
             kode_wilayah="32.73", coverage="Kota Bandung", unit="unit",
             klasifikasi="Kecamatan; jenis layanan; status akreditasi",
             files=[_csv("daftar-puskesmas-kota-bandung-2024",
                         lambda: puskesmas_kota(wil, "32.73"))], **base),
        Spec(title="Daftar Tenaga Kesehatan Puskesmas di Kota Cimahi 2024",
             konsep="Tenaga kesehatan adalah setiap orang yang mengabdikan diri di bidang "
                    "kesehatan dan memiliki kompetensi melalui pendidikan di bidang kesehatan (UU"
                    " 17/2023).",
             definisi="Tenaga kesehatan yang tercatat aktif bertugas di puskesmas per 1 Januari "
                      "2024.",
             ukuran="Orang",
             description=("Daftar tenaga kesehatan pada puskesmas di Kota Cimahi menurut jenis "
                          "tenaga dan status kepegawaian. Berkas memuat nama orang sehingga "
                          "walidata memutuskan penanganan data pribadi sebelum terbit."),
             tags=["tenaga kesehatan", "puskesmas", "kota cimahi"], period=(2024, 2024),
             kode_wilayah="32.77", coverage="Kota Cimahi", unit="orang", access="terbatas",
             klasifikasi="Puskesmas; jenis tenaga; status kepegawaian",
             pii={"nama": ("masked", "Nama disamarkan pada berkas publik; data lengkap hanya "
                           "melalui permohonan ke PPID.")},
             files=[_csv("daftar-nakes-puskesmas-kota-cimahi-2024",
                         lambda: nakes_puskesmas(wil, "32.77"))], **base),
        Spec(title="Pelayanan Kesehatan Orang dengan Gangguan Jiwa Berat Menurut "
                   "Kabupaten/Kota 2023",
             konsep="Orang dengan gangguan jiwa berat adalah penderita psikotik dan skizofrenia.",
             definisi="Persentase ODGJ berat yang mendapat pelayanan kesehatan jiwa sesuai "
                      "standar pelayanan minimal.",
             description=("Jumlah sasaran orang dengan gangguan jiwa berat (ODGJ berat) dan yang "
                          "mendapat pelayanan kesehatan sesuai standar. Angka per kabupaten/kota "
                          "dibagikan atas permohonan karena menyangkut kelompok rentan."),
             tags=["kesehatan jiwa", "odgj", "spm kesehatan"], unit="orang", access="terbatas",
             ukuran="Jumlah orang; persen",
             files=[_csv("pelayanan-odgj-berat-jabar-2023", lambda: odgj(wil))], **base),
    ]


def _pendidikan(wil):
    base = dict(org="disdik", topic="pendidikan", klasifikasi="Kabupaten/kota; jenjang "
                "pendidikan", period=(2023, 2023))
    return [
        Spec(title="Jumlah Sekolah Menurut Jenjang dan Kabupaten/Kota Tahun Ajaran 2023/2024",
             konsep="Satuan pendidikan adalah kelompok layanan pendidikan yang menyelenggarakan "
                    "pendidikan formal.",
             definisi="Satuan pendidikan aktif di Dapodik per semester ganjil 2023/2024.",
             description=("Jumlah satuan pendidikan negeri dan swasta menurut jenjang (SD, SMP, "
                          "SMA, SMK, SLB) di setiap kabupaten/kota. Data bersumber dari Data "
                          "Pokok Pendidikan (Dapodik) semester ganjil 2023/2024."),
             tags=["sekolah", "dapodik", "satuan pendidikan"], unit="unit", ukuran="Jumlah unit",
             sdsn="SP00071.00.00", priority=True,
             files=[_csv("jumlah-sekolah-jabar-2023", lambda: sekolah(wil)),
                    _xlsx("jumlah-sekolah-jabar-2023", lambda: sekolah(wil))], **base),
        Spec(title="Jumlah Siswa Menurut Jenjang dan Kabupaten/Kota Tahun Ajaran 2023/2024",
             konsep="Peserta didik adalah anggota masyarakat yang mengembangkan potensi diri "
                    "melalui proses pembelajaran.",
             definisi="Peserta didik terdaftar di Dapodik pada tanggal cut-off semester ganjil.",
             description=("Jumlah peserta didik menurut jenjang pendidikan di setiap "
                          "kabupaten/kota. Angka diambil dari Dapodik pada tanggal cut-off "
                          "semester ganjil."),
             tags=["siswa", "peserta didik", "dapodik"], unit="orang", ukuran="Jumlah orang",
             files=[_csv("jumlah-siswa-jabar-2023", lambda: siswa(wil))], **base),
        Spec(title="Jumlah Guru Menurut Jenjang dan Kabupaten/Kota Tahun Ajaran 2023/2024",
             konsep="Guru adalah pendidik profesional yang mendidik, mengajar dan menilai peserta"
                    " didik.",
             definisi="Guru yang tercatat aktif mengajar di Dapodik pada semester ganjil "
                      "2023/2024.",
             description=("Jumlah guru menurut jenjang pendidikan di setiap kabupaten/kota, "
                          "mencakup guru ASN dan non-ASN. Data dipakai untuk menghitung rasio "
                          "guru dan murid."),
             tags=["guru", "pendidik", "dapodik"], unit="orang", ukuran="Jumlah orang",
             files=[_csv("jumlah-guru-jabar-2023", lambda: guru(wil))], **base),
        Spec(title="Angka Partisipasi Murni SMA/SMK Menurut Kabupaten/Kota 2019–2023",
             konsep="Angka partisipasi murni mengukur daya serap sistem pendidikan terhadap "
                    "penduduk usia sekolah.",
             description=("Angka partisipasi murni (APM) jenjang SMA/SMK sederajat per "
                          "kabupaten/kota. APM menunjukkan proporsi penduduk usia 16–18 tahun "
                          "yang bersekolah di jenjang yang sesuai."),
             tags=["apm", "partisipasi sekolah"], unit="persen",
             ukuran="Persen", sdsn="SP00073.00.00",
             definisi="Jumlah siswa usia 16–18 tahun di SMA/SMK dibagi penduduk usia 16–18 "
                       "tahun, dikali 100.",
             files=[_csv("apm-sma-smk-jabar-2019-2023", lambda: apm_sma(wil))],
             **{**base, "period": (2019, 2023)}),
        Spec(title="Jumlah Sekolah Menurut Kecamatan di Kabupaten Bandung 2023",
             konsep="Satuan pendidikan adalah kelompok layanan pendidikan yang menyelenggarakan "
                    "pendidikan formal.",
             definisi="Satuan pendidikan negeri dan swasta yang aktif di Dapodik menurut "
                      "kecamatan letak sekolah.",
             ukuran="Jumlah unit",
             description=("Jumlah SD, SMP, SMA dan SMK per kecamatan di Kabupaten Bandung. "
                          "Data dipakai untuk pemetaan daya tampung sekolah dalam PPDB."),
             tags=["sekolah", "kecamatan", "ppdb"], kode_wilayah="32.04",
             coverage="Kabupaten Bandung", unit="unit",
             files=[_csv("sekolah-kecamatan-kab-bandung-2023",
                         lambda: sekolah_kecamatan(wil, "32.04"))], **base),
        Spec(title="Jumlah Sekolah Menurut Kecamatan di Kabupaten Garut 2023",
             konsep="Satuan pendidikan adalah kelompok layanan pendidikan yang menyelenggarakan "
                    "pendidikan formal.",
             definisi="Satuan pendidikan negeri dan swasta yang aktif di Dapodik menurut "
                      "kecamatan letak sekolah.",
             ukuran="Jumlah unit",
             description=("Jumlah SD, SMP, SMA dan SMK per kecamatan di Kabupaten Garut. "
                          "Berkas ini masih memuat kesalahan isian sehingga belum lolos "
                          "validasi."),
             tags=["sekolah", "kecamatan"], kode_wilayah="32.05", coverage="Kabupaten Garut",
             unit="unit", state="invalid",
             files=[_csv("sekolah-kecamatan-kab-garut-2023",
                         lambda: sekolah_kecamatan(wil, "32.05", broken=True),
                         types={"sd_unit": "integer"})], **base),
    ]


_KONSEP_PRODUKSI = ("Produksi adalah hasil panen suatu komoditas dari luas panen dalam "
                    "periode tertentu.")
_DEFINISI_PRODUKTIVITAS = "Produktivitas adalah produksi dibagi luas panen (kuintal per hektare)."


def _pertanian(wil):
    base = dict(org="distanhorti", topic="pertanian", ukuran="Hektare; ton; kuintal/hektare",
                klasifikasi="Kabupaten/kota; komoditas")
    komoditas = [("Jagung", jagung, "jagung", "published"),
                 ("Cabai Besar", cabai, "cabai", "published"),
                 ("Bawang Merah", bawang_merah, "bawang-merah", "submitted")]
    out = [
        Spec(title="Produksi Padi Menurut Kabupaten/Kota di Jawa Barat 2019–2024",
             description=("Luas panen, produksi dan produktivitas padi sawah dan ladang per "
                          "kabupaten/kota. Data berasal dari survei Kerangka Sampel Area (KSA) "
                          "dan ubinan yang dihimpun bersama BPS."),
             tags=["padi", "tanaman pangan", "ketahanan pangan"], period=(2019, 2024),
             unit="ton", sdsn="SP00201.00.00", priority=True,
             konsep="Produksi padi adalah hasil gabah kering giling dari luas panen.",
             definisi="Produktivitas = produksi dibagi luas panen, dalam kuintal per hektare.",
             files=[_csv("produksi-padi-jabar-2019-2024", lambda: padi_kabkota(wil)),
                    _xlsx("produksi-padi-jabar-2019-2024", lambda: padi_kabkota(wil))], **base),
        Spec(title="Luas Lahan Sawah Menurut Kabupaten/Kota di Jawa Barat 2023",
             konsep="Lahan baku sawah adalah luas sawah yang ditetapkan Kementerian ATR/BPN.",
             definisi="Sawah irigasi adalah sawah yang memperoleh air dari jaringan irigasi.",
             description=("Luas baku lahan sawah irigasi dan non-irigasi per kabupaten/kota. "
                          "Data merupakan hasil verifikasi lahan baku sawah bersama ATR/BPN."),
             tags=["lahan sawah", "irigasi", "lp2b"], unit="ha", priority=True,
             files=[_csv("luas-lahan-sawah-jabar-2023", lambda: lahan_sawah(wil))], **base),
        Spec(title="Harga Gabah di Tingkat Petani Jawa Barat Bulanan 2024",
             konsep="Gabah kering panen (GKP) berkadar air paling tinggi 25 persen; gabah kering "
                    "giling (GKG) paling tinggi 14 persen.",
             definisi="Rata-rata harga transaksi gabah di tingkat petani hasil survei harga "
                      "produsen gabah.",
             description=("Rata-rata harga gabah kering panen (GKP) dan gabah kering giling "
                          "(GKG) di tingkat petani per bulan. Data dipakai untuk memantau "
                          "harga pembelian pemerintah."),
             tags=["harga gabah", "gkp", "gkg"], frequency="bulanan", period=(2024, 2024),
             unit="Rp/kg", klasifikasi="Bulan; kualitas gabah",
             files=[_csv("harga-gabah-jabar-2024", harga_gabah)],
             **{k: v for k, v in base.items() if k != "klasifikasi"}),
        Spec(title="Stok Cadangan Beras Pemerintah Provinsi Jawa Barat Bulanan 2024",
             konsep="Cadangan pangan pemerintah provinsi adalah persediaan pangan yang dikuasai "
                    "dan dikelola pemerintah provinsi.",
             definisi="Stok akhir = stok awal + pengadaan - penyaluran.",
             description=("Posisi stok cadangan beras pemerintah provinsi di gudang mitra, "
                          "pengadaan dan penyaluran setiap bulan. Data dibagikan terbatas "
                          "kepada instansi dan peneliti atas permohonan."),
             tags=["cadangan pangan", "beras", "stok"], frequency="bulanan",
             period=(2024, 2024), unit="ton", access="terbatas", klasifikasi="Bulan",
             files=[_xlsx("stok-cadangan-beras-jabar-2024", stok_beras)],
             **{k: v for k, v in base.items() if k != "klasifikasi"}),
    ]
    for kab in ("32.12", "32.15", "32.13"):
        out.append(Spec(
            title=f"Produksi Padi Menurut Kecamatan di {wil.name(kab)} 2023",
            description=(f"Luas panen, produksi dan produktivitas padi per kecamatan di "
                         f"{wil.name(kab)}, salah satu lumbung padi Jawa Barat. Data dihimpun "
                         "penyuluh pertanian lapangan dan diverifikasi dinas kabupaten."),
            tags=["padi", "kecamatan", "lumbung padi"], kode_wilayah=kab,
            konsep=_KONSEP_PRODUKSI, definisi=_DEFINISI_PRODUKTIVITAS,
            coverage=wil.name(kab), unit="ton",
            files=[_csv(f"produksi-padi-kecamatan-{_SHORT_NAMES[kab]}-2023",
                        lambda kab=kab: padi_kecamatan(wil, kab, 2023))], **base))
    for label, make, slug, state in komoditas:
        out.append(Spec(
            title=f"Produksi {label} Menurut Kabupaten/Kota di Jawa Barat 2023",
            description=(f"Luas panen, produksi dan produktivitas {label.lower()} per "
                         "kabupaten/kota. Data bersumber dari Statistik Pertanian (SP) "
                         "laporan bulanan yang direkap tahunan."),
            tags=[label.lower(), "hortikultura" if slug != "jagung" else "palawija"],
            unit="ton", state=state, konsep=_KONSEP_PRODUKSI,
            definisi=_DEFINISI_PRODUKTIVITAS,
            files=[_csv(f"produksi-{slug}-jabar-2023", lambda make=make: make(wil))], **base))
    return out


def _infrastruktur(wil):
    base = dict(org="dbmpr", topic="infrastruktur")
    return [
        Spec(title="Panjang Jalan Provinsi Menurut Kondisi dan Kabupaten/Kota 2023",
             definisi="Kondisi mantap adalah kondisi baik ditambah sedang menurut nilai IRI.",
             description=("Panjang jalan provinsi menurut kondisi permukaan (baik, sedang, rusak "
                          "ringan, rusak berat) di setiap kabupaten/kota. Data berasal dari "
                          "survei kondisi jalan (IRI) semester II 2023."),
             tags=["jalan", "kondisi jalan", "jalan provinsi"], unit="km", priority=True,
             ukuran="Kilometer", sdsn="SP00301.00.00", klasifikasi="Kabupaten/kota; kondisi",
             konsep="Jalan provinsi menghubungkan ibu kota provinsi dengan ibu kota "
                    "kabupaten/kota.",
             files=[_csv("panjang-jalan-provinsi-kondisi-2023", lambda: jalan_provinsi(wil))],
             **base),
        Spec(title="Jumlah Jembatan Provinsi Menurut Kondisi dan Kabupaten/Kota 2023",
             description="Jumlah jembatan provinsi per kabupaten/kota.",
             tags=["jembatan"], state="returned",
             notes={"description": "Jelaskan sumber data dan metode pengumpulan.",
                    "unit": "Satuan belum diisi."},
             message="Lengkapi deskripsi dan satuan, lalu ajukan kembali.",
             files=[_csv("jembatan-provinsi-2023", lambda: jembatan(wil))], **base),
        Spec(title="Jembatan Provinsi dengan Kerusakan Struktural 2023",
             konsep="Jembatan provinsi adalah jembatan pada ruas jalan provinsi.",
             definisi="Jembatan dengan nilai kondisi 4 atau 5 menurut sistem manajemen jembatan.",
             ukuran="Jumlah unit; meter",
             description=("Daftar jembatan provinsi yang tercatat mengalami kerusakan "
                          "struktural beserta jenis kerusakannya. Data untuk perencanaan "
                          "penanganan darurat dan tidak dibuka untuk umum."),
             tags=["jembatan", "kerusakan"], unit="unit", access="tertutup",
             files=[_csv("jembatan-rusak-struktural-2023", lambda: jembatan_rawan(wil))],
             **base),
        Spec(title="Peta Rencana Tata Ruang Wilayah Provinsi Jawa Barat 2022–2042",
             konsep="Rencana tata ruang wilayah adalah hasil perencanaan tata ruang wilayah "
                    "provinsi.",
             definisi="Peta struktur dan pola ruang sesuai Perda RTRW Provinsi Jawa Barat "
                      "2022–2042.",
             ukuran="Peta skala 1:250.000",
             description=("Peta rencana struktur dan pola ruang RTRW Provinsi Jawa Barat "
                          "2022–2042. Layanan peta tersedia di Geoportal Nasional; dataset ini "
                          "menautkannya."),
             tags=["rtrw", "tata ruang", "peta"], frequency="tidak_tentu", period=(2022, 2042),
             klasifikasi="Struktur ruang; pola ruang",
             files=[File("tautan-geoportal", url="https://tanahair.indonesia.go.id/",
                         title="Layanan peta RTRW (Geoportal Nasional)")], **base),
    ]


def _lingkungan(wil):
    base = dict(org="dlh", topic="lingkungan")
    return [
        Spec(title="Kualitas Air Sungai Citarum per Titik Pantau 2023",
             konsep="Kualitas air adalah kondisi air yang diukur dengan parameter fisika, kimia "
                    "dan biologi (PP 22/2021).",
             definisi="Status mutu dihitung dengan metode Indeks Pencemaran terhadap baku mutu "
                      "air kelas II.",
             description=("Hasil pemantauan bulanan kualitas air Sungai Citarum di sembilan "
                          "titik dari hulu Situ Cisanti sampai Muara Gembong. Parameter meliputi "
                          "pH, suhu, oksigen terlarut, BOD, COD dan TSS dengan status mutu "
                          "menurut metode Indeks Pencemaran."),
             tags=["citarum", "kualitas air", "sungai"], frequency="bulanan",
             coverage="Daerah Aliran Sungai Citarum", unit="mg/L", priority=True,
             klasifikasi="Titik pantau; bulan; parameter",
             ukuran="mg/L; status mutu (Indeks Pencemaran)",
             files=[_csv("kualitas-air-citarum-2023", lambda: citarum(wil)),
                    File("metadata-statistik-kualitas-air-citarum.pdf", pdf=lambda: (
                        metadata_statistik("Kualitas Air Sungai Citarum", "Dinas Lingkungan "
                                           "Hidup", [("Jenis kegiatan", "Pemantauan rutin"),
                                                     ("Frekuensi", "Bulanan"),
                                                     ("Titik pantau", "9 titik"),
                                                     ("Metode", "Indeks Pencemaran")])))],
             **base),
        Spec(title="Indeks Kualitas Lingkungan Hidup Menurut Kabupaten/Kota 2021–2023",
             konsep="IKLH menggambarkan kualitas lingkungan hidup dari kualitas air, udara dan "
                    "tutupan lahan.",
             definisi="IKLH = 0,376 IKA + 0,405 IKU + 0,219 IKTL.",
             description=("Indeks kualitas air (IKA), udara (IKU), tutupan lahan (IKTL) dan "
                          "indeks gabungan IKLH per kabupaten/kota. Metode mengikuti pedoman "
                          "KLHK."), tags=["iklh", "indeks lingkungan"], period=(2021, 2023),
             unit="indeks", ukuran="Indeks 0–100", sdsn="SP00401.00.00",
             files=[_xlsx("iklh-jabar-2021-2023", lambda: iklh(wil))], **base),
        Spec(title="Timbulan Sampah Menurut Kabupaten/Kota di Jawa Barat 2023",
             konsep="Timbulan sampah adalah volume sampah dari kegiatan rumah tangga dan sampah "
                    "sejenis.",
             definisi="Jumlah penduduk dikali rerata timbulan per kapita per hari dikali 365.",
             ukuran="Ton per tahun",
             description=("Perkiraan timbulan sampah rumah tangga dan sampah sejenis per "
                          "kabupaten/kota serta jumlah yang terkelola. Data berasal dari SIPSN."),
             tags=["sampah", "persampahan"], unit="ton/tahun", state="submitted",
             files=[_csv("timbulan-sampah-jabar-2023", lambda: sampah(wil))], **base),
        Spec(title="Indeks Standar Pencemar Udara Kota Bandung Bulanan 2024",
             konsep="ISPU adalah angka tanpa satuan yang menggambarkan kondisi mutu udara ambien.",
             definisi="Nilai ISPU maksimum bulanan dari rata-rata harian parameter pencemar "
                      "(PermenLHK 14/2020).",
             ukuran="µg/m³; indeks",
             description=("Rata-rata bulanan konsentrasi PM10, PM2,5, NO2, O3 dan nilai ISPU "
                          "maksimum dari stasiun pemantau kualitas udara Kota Bandung."),
             tags=["udara", "ispu", "kota bandung"], frequency="bulanan", period=(2024, 2024),
             kode_wilayah="32.73", coverage="Kota Bandung", unit="µg/m³",
             files=[_csv("ispu-kota-bandung-2024", ispu_bandung)], **base),
        Spec(title="Luas Ruang Terbuka Hijau Menurut Kabupaten/Kota 2023",
             description=("Luas ruang terbuka hijau publik dan privat per kabupaten/kota. "
                          "Rekap sedang dikumpulkan dari dinas kabupaten/kota."),
             tags=["rth", "ruang terbuka hijau"], unit="ha", state="draft", files=[],
             konsep="Ruang terbuka hijau adalah area memanjang atau mengelompok yang "
                    "penggunaannya lebih bersifat terbuka, tempat tumbuh tanaman.",
             definisi="Luas RTH publik dan privat menurut rencana tata ruang kabupaten/kota.",
             ukuran="Hektare", **base),
    ]


def _sosial(wil):
    base = dict(org="dinsos", topic="sosial")
    return [
        Spec(title="Penerima Bantuan Sosial (PKH, BPNT, PBI-JK) Menurut Kabupaten/Kota "
                   "2022–2023",
             konsep="Bantuan sosial adalah bantuan berupa uang atau barang kepada keluarga miskin"
                    " dan rentan.",
             definisi="KPM yang menerima penyaluran sekurangnya satu tahap dalam tahun berjalan.",
             description=("Jumlah keluarga penerima manfaat Program Keluarga Harapan dan "
                          "Bantuan Pangan Non Tunai serta penerima bantuan iuran JKN per "
                          "kabupaten/kota. Data bersumber dari DTKS yang ditetapkan Kemensos."),
             tags=["bansos", "pkh", "bpnt", "dtks"], period=(2022, 2023), unit="KPM",
             priority=True, ukuran="Keluarga penerima manfaat; ribu jiwa",
             files=[_csv("penerima-bansos-jabar-2022-2023", lambda: bansos(wil))], **base),
        Spec(title="Keluarga Penerima PKH Menurut Desa/Kelurahan di Kabupaten Garut 2023",
             konsep="Program Keluarga Harapan adalah bantuan sosial bersyarat bagi keluarga "
                    "miskin dan rentan yang terdaftar di DTKS.",
             definisi="Keluarga penerima manfaat (KPM) PKH yang menerima penyaluran tahap IV "
                      "2023.",
             ukuran="Jumlah KPM; orang",
             description=("Jumlah keluarga penerima Program Keluarga Harapan per desa/kelurahan "
                          "di Kabupaten Garut. Data tingkat desa dibagikan atas permohonan "
                          "untuk keperluan penelitian dan perencanaan."),
             tags=["pkh", "desa", "bansos"], kode_wilayah="32.05", coverage="Kabupaten Garut",
             unit="KPM", access="terbatas", klasifikasi="Desa/kelurahan",
             grant=(email("warga"), "Permohonan informasi untuk penelitian skripsi, disetujui "
                    "PPID."),
             files=[_csv("pkh-desa-kab-garut-2023", lambda: pkh_desa(wil, "32.05"))], **base),
        Spec(title="Jumlah Penyandang Disabilitas Menurut Jenis dan Kabupaten/Kota 2023",
             description="Data penyandang disabilitas.",
             tags=["disabilitas"], state="returned",
             notes={"description": "Jelaskan sumber data dan metode pengumpulan.",
                    "klasifikasi": "Gunakan ragam disabilitas sesuai UU 8/2016."},
             message="Deskripsi terlalu singkat; lengkapi sebelum diajukan kembali.",
             files=[_csv("penyandang-disabilitas-jabar-2023", lambda: disabilitas(wil))],
             **base),
        Spec(title="Kasus Kekerasan terhadap Anak Menurut Kabupaten/Kota 2023",
             konsep="Kekerasan terhadap anak adalah perbuatan yang berakibat kesengsaraan fisik, "
                    "psikis, seksual atau penelantaran (UU 35/2014).",
             definisi="Kasus yang dilaporkan dan ditangani unit layanan perlindungan anak.",
             ukuran="Jumlah kasus",
             description=("Jumlah kasus kekerasan terhadap anak yang ditangani menurut jenis "
                          "kekerasan. Data dikecualikan dari publik untuk melindungi korban."),
             tags=["perlindungan anak", "kekerasan"], unit="kasus", access="tertutup",
             files=[_csv("kekerasan-anak-jabar-2023", lambda: kekerasan_anak(wil))], **base),
        Spec(title="Pemerlu Pelayanan Kesejahteraan Sosial Menurut Kabupaten/Kota 2023",
             konsep="PPKS adalah perseorangan, keluarga atau kelompok yang karena hambatan "
                    "tertentu tidak dapat melaksanakan fungsi sosialnya.",
             definisi="PPKS yang tercatat di DTKS dan hasil pendataan pekerja sosial masyarakat.",
             ukuran="Jumlah orang; KK",
             description=("Jumlah pemerlu pelayanan kesejahteraan sosial (PPKS) menurut jenis, "
                          "antara lain anak dan lansia terlantar serta fakir miskin. Data "
                          "dipakai untuk perencanaan rehabilitasi sosial."),
             tags=["ppks", "kesejahteraan sosial"], unit="orang", access="terbatas",
             files=[_xlsx("ppks-jabar-2023", lambda: ppks(wil))], **base),
        Spec(title="Rumah Tidak Layak Huni Menurut Desa/Kelurahan di Kabupaten Cianjur 2023",
             konsep="Rumah tidak layak huni adalah rumah yang tidak memenuhi persyaratan "
                    "keselamatan bangunan, kecukupan luas dan kesehatan penghuni.",
             definisi="RTLH hasil verifikasi lapangan; ditangani berarti menerima bantuan "
                      "rehabilitasi pada 2023.",
             ukuran="Jumlah unit",
             description=("Jumlah rumah tidak layak huni (RTLH) per desa/kelurahan di Kabupaten "
                          "Cianjur dan yang telah ditangani melalui bantuan rehabilitasi 2023. "
                          "Data tingkat desa dibagikan atas permohonan."),
             tags=["rtlh", "rumah tidak layak huni", "desa"], kode_wilayah="32.03",
             coverage="Kabupaten Cianjur", unit="unit", access="terbatas",
             klasifikasi="Desa/kelurahan (Kode Wilayah Kemendagri)",
             files=[_csv("rtlh-desa-kab-cianjur-2023", lambda: rtlh_desa(wil, "32.03"))],
             **base),
    ]


def _pariwisata(wil):
    base = dict(org="disparbud", topic="pariwisata")
    return [
        Spec(title="Kunjungan Wisatawan Menurut Kabupaten/Kota di Jawa Barat 2019–2023",
             konsep="Wisatawan adalah orang yang bepergian ke luar lingkungan kesehariannya "
                    "kurang dari 12 bulan, bukan untuk bekerja.",
             definisi="Kunjungan ke daya tarik wisata dan akomodasi yang tercatat di "
                      "kabupaten/kota.",
             description=("Jumlah kunjungan wisatawan nusantara dan mancanegara ke objek wisata "
                          "per kabupaten/kota. Penurunan 2020–2021 mencerminkan pembatasan "
                          "selama pandemi COVID-19."),
             tags=["wisatawan", "kunjungan wisata"], period=(2019, 2023), unit="kunjungan",
             priority=True, sdsn="SP00501.00.00", ukuran="Jumlah kunjungan",
             files=[_csv("kunjungan-wisatawan-jabar-2019-2023", lambda: wisatawan(wil))],
             **base),
        Spec(title="Kunjungan Wisatawan Menurut Kabupaten/Kota 2022 (Angka Sementara)",
             konsep="Wisatawan adalah orang yang bepergian ke luar lingkungan kesehariannya "
                    "kurang dari 12 bulan, bukan untuk bekerja.",
             definisi="Kunjungan ke daya tarik wisata dan akomodasi yang tercatat di "
                      "kabupaten/kota.",
             ukuran="Jumlah kunjungan",
             description=("Angka sementara kunjungan wisatawan 2022 per kabupaten/kota. Angka "
                          "ini telah diganti angka tetap."), tags=["wisatawan"],
             period=(2022, 2022), unit="kunjungan", state="withdrawn",
             withdraw_reason=("Angka sementara diganti angka tetap pada dataset Kunjungan "
                              "Wisatawan 2019–2023."),
             files=[_csv("kunjungan-wisatawan-2022-sementara",
                         lambda: wisatawan(wil, [2022], "wisata-2022"))], **base),
        Spec(title="Jumlah Hotel dan Kamar Menurut Kabupaten/Kota 2023",
             konsep="Usaha penyediaan akomodasi berupa hotel bintang dan non-bintang.",
             definisi="Hotel yang memiliki izin usaha aktif per 31 Desember 2023.",
             ukuran="Jumlah unit",
             description=("Jumlah hotel bintang, hotel non-bintang dan kamar per kabupaten/kota. "
                          "Data bersumber dari perizinan usaha pariwisata (OSS) dan pendataan "
                          "dinas kabupaten/kota."),
             tags=["hotel", "akomodasi"], unit="unit", state="submitted",
             files=[_csv("hotel-kamar-jabar-2023", lambda: hotel(wil))], **base),
        Spec(title="Daya Tarik Wisata dan Jumlah Pengunjung di Kabupaten Pangandaran 2023",
             konsep="Daya tarik wisata adalah segala sesuatu yang memiliki keunikan, kemudahan "
                    "dan nilai yang menjadi sasaran kunjungan wisatawan.",
             definisi="Pengunjung adalah jumlah tiket masuk yang terjual selama 2023.",
             ukuran="Jumlah orang",
             description=("Daftar daya tarik wisata utama di Kabupaten Pangandaran menurut "
                          "kecamatan dan jenis, beserta jumlah pengunjung 2023 dari penjualan "
                          "tiket."), tags=["pangandaran", "destinasi wisata", "pantai"],
             kode_wilayah="32.18", coverage="Kabupaten Pangandaran", unit="orang",
             klasifikasi="Kecamatan; jenis daya tarik",
             files=[_csv("daya-tarik-wisata-pangandaran-2023",
                         lambda: daya_tarik_pangandaran(wil))], **base),
        Spec(title="Jumlah Cagar Budaya Menurut Kabupaten/Kota 2023",
             konsep="Cagar budaya adalah warisan budaya bersifat kebendaan yang keberadaannya "
                    "perlu dilestarikan (UU 11/2010).",
             definisi="Jumlah cagar budaya yang telah ditetapkan dengan keputusan kepala daerah "
                      "menurut kategori.",
             ukuran="Jumlah unit",
             description=("Jumlah cagar budaya yang telah ditetapkan menurut kategori benda, "
                          "bangunan, situs dan kawasan per kabupaten/kota."),
             tags=["cagar budaya", "kebudayaan"], unit="unit", state="draft",
             files=[_csv("cagar-budaya-jabar-2023", lambda: cagar_budaya(wil))], **base),
    ]


def _makro(wil):
    base = dict(org="bappeda", topic="ekonomi")
    return [
        Spec(title="Indeks Pembangunan Manusia Menurut Kabupaten/Kota 2019–2023",
             konsep="IPM mengukur capaian pembangunan manusia berbasis sejumlah komponen dasar "
                    "kualitas hidup.",
             definisi="Rata-rata geometrik indeks kesehatan, indeks pendidikan dan indeks "
                      "pengeluaran.",
             description=("Indeks Pembangunan Manusia (IPM) per kabupaten/kota di Jawa Barat. "
                          "IPM disusun dari dimensi umur panjang dan hidup sehat, pengetahuan, "
                          "serta standar hidup layak mengikuti metode BPS."),
             tags=["ipm", "pembangunan manusia"], period=(2019, 2023), unit="indeks",
             sdsn="SP00601.00.00", priority=True, ukuran="Indeks 0–100",
             files=[_csv("ipm-jabar-2019-2023", lambda: ipm(wil)),
                    File("metadata-statistik-ipm.pdf", pdf=lambda: metadata_statistik(
                        "Indeks Pembangunan Manusia", "Bappeda",
                        [("Sumber", "BPS Provinsi Jawa Barat"), ("Frekuensi", "Tahunan"),
                         ("Metode", "IPM metode baru (2010)"),
                         ("Dimensi", "Kesehatan, pendidikan, standar hidup layak")]))],
             **base),
        Spec(title="Persentase Penduduk Miskin Menurut Kabupaten/Kota 2019–2024",
             konsep="Penduduk miskin adalah penduduk dengan rata-rata pengeluaran per kapita per "
                    "bulan di bawah garis kemiskinan.",
             definisi="Persentase penduduk miskin terhadap jumlah penduduk hasil Susenas Maret.",
             ukuran="Ribu jiwa; persen",
             description=("Jumlah dan persentase penduduk miskin per kabupaten/kota hasil "
                          "Susenas Maret. Data menjadi dasar penetapan sasaran penanggulangan "
                          "kemiskinan daerah."), tags=["kemiskinan", "susenas"],
             period=(2019, 2024), unit="persen", priority=True, sdsn="SP00602.00.00",
             files=[_csv("penduduk-miskin-jabar-2019-2024", lambda: kemiskinan(wil))], **base),
        Spec(title="PDRB Atas Dasar Harga Berlaku Menurut Kabupaten/Kota 2019–2023",
             konsep="PDRB adalah jumlah nilai tambah bruto seluruh unit usaha di suatu wilayah.",
             definisi="PDRB atas dasar harga berlaku dihitung dengan harga tahun berjalan.",
             ukuran="Miliar rupiah",
             description=("Produk Domestik Regional Bruto atas dasar harga berlaku per "
                          "kabupaten/kota dalam miliar rupiah. Angka 2023 merupakan angka "
                          "sangat sementara."), tags=["pdrb", "ekonomi regional"],
             period=(2019, 2023), unit="miliar rupiah",
             files=[_xlsx("pdrb-adhb-jabar-2019-2023", lambda: pdrb(wil))], **base),
        Spec(title="Tingkat Pengangguran Terbuka Menurut Kabupaten/Kota 2023",
             description="Tingkat pengangguran terbuka kabupaten/kota.",
             tags=["pengangguran", "ketenagakerjaan"], state="returned",
             notes={"description": "Sebutkan sumber data (Sakernas Agustus) dan definisinya.",
                    "unit": "Satuan belum diisi."},
             message="Metadata belum lengkap.",
             files=[_csv("tpt-jabar-2023", lambda: pengangguran(wil))], **base),
        Spec(title="Realisasi Pendapatan Asli Daerah Kabupaten/Kota 2023",
             konsep="Pendapatan asli daerah adalah pendapatan dari pajak daerah, retribusi "
                    "daerah, hasil pengelolaan kekayaan daerah yang dipisahkan dan lain-lain PAD "
                    "yang sah.",
             definisi="Realisasi PAD menurut laporan realisasi anggaran tahun anggaran 2023 "
                      "(belum diaudit).",
             ukuran="Miliar rupiah",
             description=("Realisasi pendapatan asli daerah (PAD) kabupaten/kota tahun "
                          "anggaran 2023 dalam miliar rupiah."), tags=["pad", "keuangan daerah"],
             unit="miliar rupiah", state="draft",
             files=[_csv("realisasi-pad-jabar-2023", lambda: pad(wil))], **base),
        Spec(title="Dokumen RPJMD Provinsi Jawa Barat 2018–2023: Ringkasan Indikator",
             konsep="RPJMD adalah dokumen perencanaan pembangunan daerah untuk periode lima "
                    "tahun.",
             definisi="Indikator kinerja utama yang ditetapkan dalam Perda RPJMD 2018–2023.",
             ukuran="Sesuai satuan tiap indikator",
             description=("Ringkasan indikator kinerja utama Rencana Pembangunan Jangka "
                          "Menengah Daerah Provinsi Jawa Barat 2018–2023. Dokumen PDF untuk "
                          "rujukan capaian pembangunan."), tags=["rpjmd", "perencanaan"],
             org="bappeda", topic="pemerintahan", frequency="lima_tahunan",
             period=(2018, 2023), klasifikasi="Misi; indikator kinerja utama",
             files=[File("ringkasan-indikator-rpjmd-2018-2023.pdf", pdf=lambda: pdf_document(
                 "Ringkasan Indikator RPJMD Jawa Barat 2018-2023",
                 ["Misi 1: Membentuk manusia pancasila yang bertaqwa",
                  "Misi 2: Melahirkan manusia yang berbudaya, berkualitas dan berdaya saing",
                  "Misi 3: Mempercepat pertumbuhan dan pemerataan pembangunan",
                  "Misi 4: Meningkatkan produktivitas dan daya saing ekonomi umat",
                  "Misi 5: Mewujudkan tata kelola pemerintahan yang inovatif", "",
                  "Indikator: IPM, persentase penduduk miskin, TPT, laju pertumbuhan ekonomi,",
                  "indeks reformasi birokrasi, indeks kualitas lingkungan hidup.",
                  "", "Dokumen contoh untuk demo MejaData."]))]),
    ]


def _diskominfo(wil):
    base = dict(org="diskominfo", topic="infrastruktur")
    return [
        Spec(title="Jumlah Menara Telekomunikasi Menurut Kabupaten/Kota 2023",
             konsep="Menara telekomunikasi adalah bangun-bangunan untuk penempatan perangkat "
                    "telekomunikasi.",
             definisi="Menara yang memiliki persetujuan bangunan gedung dan tercatat dalam "
                      "perizinan per 31 Desember 2023.",
             ukuran="Jumlah unit",
             description=("Jumlah menara telekomunikasi (BTS) yang berizin per kabupaten/kota "
                          "dan jumlah operator yang memanfaatkannya. Data untuk perencanaan "
                          "penataan menara bersama."), tags=["menara", "bts", "telekomunikasi"],
             unit="unit", files=[_csv("menara-telekomunikasi-jabar-2023", lambda: menara(wil))],
             **base),
        Spec(title="Lokasi Menara Telekomunikasi (Koordinat) 2023",
             konsep="Menara telekomunikasi adalah bangun-bangunan untuk penempatan perangkat "
                    "telekomunikasi.",
             definisi="Koordinat titik pusat menara dalam sistem WGS 84.",
             ukuran="Derajat desimal; meter",
             description=("Identitas dan koordinat menara telekomunikasi di sebagian kecamatan. "
                          "Koordinat infrastruktur vital tidak dibuka untuk umum."),
             tags=["menara", "koordinat"], unit="unit", access="tertutup",
             files=[_csv("lokasi-menara-telekomunikasi-2023", lambda: menara_koordinat(wil))],
             **base),
        Spec(title="Titik Akses Wi-Fi Publik Menurut Kabupaten/Kota 2023",
             konsep="Titik akses Wi-Fi publik adalah layanan internet gratis yang disediakan "
                    "pemerintah di ruang publik.",
             definisi="Titik akses terpasang yang tercatat dalam pemantauan jaringan per 31 "
                      "Desember 2023.",
             ukuran="Jumlah unit",
             description=("Jumlah titik akses internet publik gratis di ruang publik, kantor "
                          "desa dan sekolah per kabupaten/kota, serta yang aktif pada akhir "
                          "tahun."), tags=["wifi publik", "internet", "desa digital"],
             unit="unit", files=[_csv("wifi-publik-jabar-2023", lambda: wifi_publik(wil))],
             **base),
        Spec(title="Desa Tanpa Sinyal Seluler (Blank Spot) Menurut Kabupaten/Kota 2023",
             konsep="Blank spot adalah wilayah yang belum terjangkau sinyal telekomunikasi "
                    "seluler.",
             definisi="Desa blank spot adalah desa yang pusat permukimannya tidak menerima sinyal"
                      " 4G.",
             ukuran="Jumlah desa; persen",
             description=("Jumlah desa/kelurahan dan desa yang belum terlayani sinyal seluler "
                          "4G per kabupaten/kota. Data hasil verifikasi lapangan bersama "
                          "operator."), tags=["blank spot", "sinyal", "desa digital"],
             unit="desa", access="terbatas",
             files=[_csv("desa-blank-spot-jabar-2023", lambda: blank_spot(wil))], **base),
    ]
