"""Screening for personal data (UU 27/2022 Pelindungan Data Pribadi).

A flagged column is not an error: the custodian decides, per column, before publication.
The screen reads the header and the sample already held in memory, never the whole file.
"""
import re

_SHARE = 0.5  # a column is flagged when this share of its non-empty sampled values match

_NIK = re.compile(r"^\d{16}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_PHONE = re.compile(r"^(?:\+?62|0)(8\d{8,12})$")
_BARE_PHONE = re.compile(r"^8\d{8,12}$")  # a spreadsheet ate the leading zero
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
_NAME_WORD = r"[A-Z][A-Za-z'’`.\-]*"
_PERSON_NAME = re.compile(rf"^{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}(?:, ?[A-Za-z.]+)*$")

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
# Header words that say the column holds a person's name on their own.
_NAME_WORDS = frozenset({"nama", "name", "namalengkap", "fullname", "firstname", "lastname",
                         "surname"})
# A header that is only one of these is a name column too ("pemilik", "pemohon").
_STRONG_ROLES = frozenset({"pemilik", "pemohon"})
# Header words that suggest people, but need the values to look like names too.
_PEOPLE = frozenset({
    "penerima", "pasien", "pegawai", "karyawan", "siswa", "murid", "mahasiswa", "peserta",
    "pelapor", "responden", "warga", "penduduk", "kepala", "ketua", "ibu", "ayah", "wali",
    "suami", "istri", "anak", "guru", "dokter", "bidan", "petani", "nelayan", "pengguna",
    "pelanggan", "nasabah", "debitur", "tersangka", "korban", "pendaftar", "pelamar",
    "anggota", "pengurus", "pejabat", "penanggung", "pic", "kontak", "contact", "person",
    "owner", "applicant", "pengusaha", "pemegang", "pemilik", "pemohon",
})
# Words that make "nama ..." the name of a place, an organisation or a thing, not a person.
_NOT_PEOPLE = frozenset({
    # places and administrative areas
    "provinsi", "prov", "kabupaten", "kab", "kota", "kecamatan", "kec", "kelurahan", "kel",
    "desa", "dusun", "kampung", "nagari", "gampong", "wilayah", "daerah", "rt", "rw", "jalan",
    "jln", "jl", "alamat", "lokasi", "tempat", "kawasan", "blok", "komplek", "perumahan",
    "negara", "pulau", "sungai", "danau", "gunung", "pantai", "bandara", "pelabuhan",
    "terminal", "stasiun", "dapil", "tps", "region", "district", "village", "city",
    "province", "place", "street",
    # institutions and facilities
    "sekolah", "madrasah", "pesantren", "ponpes", "universitas", "kampus", "fakultas",
    "jurusan", "prodi", "puskesmas", "posyandu", "rs", "rsud", "klinik", "apotek",
    "laboratorium", "kantor", "dinas", "badan", "instansi", "opd", "skpd", "lembaga",
    "organisasi", "perusahaan", "usaha", "umkm", "toko", "pasar", "koperasi", "bank", "hotel",
    "restoran", "gedung", "bangunan", "masjid", "gereja", "pura", "vihara", "klenteng",
    "partai", "kelompok", "komunitas", "tim", "klub", "unit", "school", "hospital",
    "company", "organization", "organisation", "agency",
    # things and concepts
    "produk", "barang", "obat", "komoditas", "komoditi", "kegiatan", "program", "proyek",
    "paket", "aplikasi", "layanan", "sistem", "kendaraan", "merk", "jenis", "kategori",
    "indikator", "variabel", "satuan", "bidang", "jabatan", "pekerjaan", "tanaman", "hewan",
    "ikan", "penyakit", "mapel", "pelajaran", "kelas", "ruang", "wisata", "objek",
    "destinasi", "acara", "event", "lomba", "festival", "dataset", "file", "berkas", "kolom",
    "product", "item", "project", "service", "category", "type",
})
# Long words above also match inside camelCase or joined headers ("namaKecamatan").
_NOT_PEOPLE_LONG = tuple(word for word in _NOT_PEOPLE if len(word) >= 5)
_PHONE_HEADER = frozenset({"telp", "telepon", "tlp", "hp", "phone", "ponsel", "wa", "whatsapp",
                           "handphone", "nohp", "notelp", "mobile", "kontak", "contact"})


def screen_pii(header, sample):
    """Columns of ``sample`` (rows as lists of str) that look like personal data.

    Returns [{"column", "kind", "matches", "sampled"}], kind in nik/phone/email/name, at most
    one entry per column.
    """
    flagged = []
    for index, column in enumerate(header):
        values = [row[index].strip() for row in sample
                  if len(row) > index and row[index].strip()]
        found = classify_column(column, values)
        if found:
            kind, matches = found
            flagged.append({"column": column, "kind": kind, "matches": matches,
                            "sampled": len(values)})
    return flagged


def classify_column(column, values):
    """(kind, matches) for one column, or None when it does not look personal."""
    if not values:
        return None
    tokens, compact = _header_words(column)
    counts = {
        "nik": sum(1 for v in values if _is_nik(v)),
        "phone": sum(1 for v in values if _is_phone(v, bool(tokens & _PHONE_HEADER))),
        "email": sum(1 for v in values if _EMAIL.match(v)),
    }
    kind = max(counts, key=counts.get)
    if counts[kind] >= _SHARE * len(values):
        return kind, counts[kind]
    hint = _name_hint(tokens, compact)
    if hint is None:
        return None
    names = sum(1 for v in values if _PERSON_NAME.match(v))
    if hint == "strong" or names >= _SHARE * len(values):
        return "name", names
    return None


def _header_words(column):
    lowered = column.lower()
    tokens = {token for token in _TOKEN_SPLIT.split(lowered) if token}
    return tokens, _TOKEN_SPLIT.sub("", lowered)


def _name_hint(tokens, compact):
    """'strong', 'weak' or None: what the header alone says about personal names."""
    named = bool(tokens & _NAME_WORDS) or compact.startswith("nama")
    if tokens and tokens <= _STRONG_ROLES:
        return "strong"
    if tokens & _PEOPLE:  # "nama_kepala_desa" is a person even though "desa" is a place
        return "strong" if named else "weak"
    if tokens & _NOT_PEOPLE or any(word in compact for word in _NOT_PEOPLE_LONG):
        return None
    return "strong" if named else None


def _is_nik(value):
    return bool(_NIK.match(value)) and 11 <= int(value[:2]) <= 96


def _is_phone(value, header_says_phone):
    digits = _PHONE_SEPARATORS.sub("", value)
    if _PHONE.match(digits):
        return True
    return header_says_phone and bool(_BARE_PHONE.match(digits))
