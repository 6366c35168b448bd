"""Demo help-desk tickets for the Jawa Barat demo, built through the real actions.

`load_demo_tickets()` files requests, questions, complaints, error reports and suggestions
as citizens, the Telegram bot and the desk staff would, and walks each one through the
actions (assign, clarify, extend, approval, answer, objection, survey, ...), so the demo has
tickets in every state and every kind, and the rules (permissions, validation, audit,
outbox) are exercised on the way.

Demo history is backdated. The actions stamp "now", but a believable desk has a year of
history: requests answered months ago (with their surveys, for the IKM page), tickets due
soon and overdue today. So every step is given a working day in the past; after the step
runs, the rows it wrote (audit log, messages, attachments, outbox) are re-dated to that
day, and when the ticket's story is finished its clock (received_at/received_on, due_on,
pause, extension, answered_at/answered_on, closed_at) is recomputed from those days with the
same working-day calendar the actions use. Notifications of that history are marked sent
(they went out back then), so draining the outbox mails nobody. Registration numbers follow
the receipt year (a request received in December of last year is PD-<last year>-...).
Finally `sla.recompute_all` sets every open ticket's SLA state for today.

Idempotent: each story carries a fixed submission_key; a story whose ticket exists is
skipped, so a second load writes nothing. No real people: names, addresses and contacts are
invented; NIKs are synthetic but valid for the demo's district codes.
"""
import functools
import io
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update

from app.accounts.models import Organisation, User
from app.catalog.models import DatasetAccess, Region
from app.core import outbox
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.core.timeutil import JAKARTA, local_today
from app.demo_data import DOMAIN, pdf_document
from app.extensions import db
from app.tickets import actions, identity, sla
from app.tickets.models import (
    CannedReply,
    Kind,
    State,
    Ticket,
    TicketAttachment,
    TicketCounter,
    TicketMessage,
)
from app.workdays import calendar as workdays

KEY_PREFIX = "demo:"

# ---------------------------------------------------------------- people

# Published demo datasets, by name (see app/demo_data.py; names are the titles slugified).
PENDUDUK_KOTA_BANDUNG = "jumlah-penduduk-menurut-kecamatan-di-kota-bandung-tahun-2023"
PENDUDUK_KAB_BANDUNG = "jumlah-penduduk-menurut-kecamatan-di-kabupaten-bandung-tahun-2023"
PENDUDUK_DESA_BOGOR = "jumlah-penduduk-menurut-desa-kelurahan-di-kabupaten-bogor-tahun-2023"
KTP_EL = "kepemilikan-ktp-elektronik-menurut-kabupaten-kota-di-jawa-barat-2024"
FASKES = "fasilitas-kesehatan-puskesmas-rumah-sakit-klinik-per-kabupaten-kota-2023"
PUSKESMAS_BANDUNG = "daftar-puskesmas-di-kota-bandung-2024"
DBD = "kasus-demam-berdarah-dengue-dbd-menurut-kabupaten-kota-2019-2023"
STUNTING = "angka-stunting-balita-menurut-kabupaten-kota-di-jawa-barat-2021-2023"
NAKES = "jumlah-tenaga-kesehatan-menurut-jenis-dan-kabupaten-kota-2023"
NAKES_CIMAHI = "daftar-tenaga-kesehatan-puskesmas-di-kota-cimahi-2024"  # terbatas
SEKOLAH_KAB_BANDUNG = "jumlah-sekolah-menurut-kecamatan-di-kabupaten-bandung-2023"
SEKOLAH_JENJANG = "jumlah-sekolah-menurut-jenjang-dan-kabupaten-kota-tahun-ajaran-2023-2024"
SISWA = "jumlah-siswa-menurut-jenjang-dan-kabupaten-kota-tahun-ajaran-2023-2024"
GURU = "jumlah-guru-menurut-jenjang-dan-kabupaten-kota-tahun-ajaran-2023-2024"
APM_SMA = "angka-partisipasi-murni-sma-smk-menurut-kabupaten-kota-2019-2023"
PADI = "produksi-padi-menurut-kabupaten-kota-di-jawa-barat-2019-2024"
PADI_KARAWANG = "produksi-padi-menurut-kecamatan-di-kabupaten-karawang-2023"
LAHAN_SAWAH = "luas-lahan-sawah-menurut-kabupaten-kota-di-jawa-barat-2023"
HARGA_GABAH = "harga-gabah-di-tingkat-petani-jawa-barat-bulanan-2024"
JALAN = "panjang-jalan-provinsi-menurut-kondisi-dan-kabupaten-kota-2023"
CITARUM = "kualitas-air-sungai-citarum-per-titik-pantau-2023"
ISPU = "indeks-standar-pencemar-udara-kota-bandung-bulanan-2024"
IKLH = "indeks-kualitas-lingkungan-hidup-menurut-kabupaten-kota-2021-2023"
BANSOS = "penerima-bantuan-sosial-pkh-bpnt-pbi-jk-menurut-kabupaten-kota-2022-2023"
PKH_GARUT = "keluarga-penerima-pkh-menurut-desa-kelurahan-di-kabupaten-garut-2023"  # terbatas
RTLH_CIANJUR = "rumah-tidak-layak-huni-menurut-desa-kelurahan-di-kabupaten-cianjur-2023"  # terbatas
WISATAWAN = "kunjungan-wisatawan-menurut-kabupaten-kota-di-jawa-barat-2019-2023"
IPM = "indeks-pembangunan-manusia-menurut-kabupaten-kota-2019-2023"
MISKIN = "persentase-penduduk-miskin-menurut-kabupaten-kota-2019-2024"
PDRB = "pdrb-atas-dasar-harga-berlaku-menurut-kabupaten-kota-2019-2023"


@dataclass(frozen=True)
class Person:
    """A requester. `account` is the demo account's e-mail local part (None: no account)."""

    name: str
    kab: str            # regency code of the NIK's district
    kecamatan: str      # district name, looked up in the region table
    born: date
    female: bool
    serial: int
    address: str
    phone: str | None = None
    email: str | None = None
    account: str | None = None
    chat_id: int | None = None

    def nik(self):
        code = _district(self.kab, self.kecamatan)
        day = self.born.day + (40 if self.female else 0)
        nik = f"{code.replace('.', '')}{day:02d}{self.born:%m%y}{self.serial:04d}"
        errors = identity.nik_errors(nik)
        if errors:  # the region table lacks the district: the demo's regions were not loaded
            raise RuntimeError(f"demo NIK {nik} of {self.name}: {[str(e) for e in errors]}")
        return nik


def _district(kab, name):
    code = db.session.scalar(select(Region.code).where(
        Region.parent_code == kab, func.lower(Region.name) == name.lower()))
    if code is None:
        raise RuntimeError(f"district {name} of {kab} is not in the region table")
    return code


# Serials in the 9000s: far above what a district issues on one birth date.
UJANG = Person("Ujang Sopandi", "32.04", "Cileunyi", date(1985, 3, 12), False, 9101,
               "Kp. Babakan Sari RT 02 RW 05, Desa Cileunyi Wetan, Kec. Cileunyi, "
               "Kab. Bandung", "0812 0000 4101", f"warga@{DOMAIN}", "warga")
SITI = Person("Siti Maesaroh", "32.73", "Sukasari", date(2001, 8, 23), True, 9102,
              "Jl. Sarijadi Blok 3 No. 21, Kec. Sukasari, Kota Bandung", "0857 0000 4102",
              f"warga1@{DOMAIN}", "warga1")
YAYAN = Person("Yayan Suryana", "32.05", "Karangpawitan", date(1979, 11, 4), False, 9103,
               "Perum Griya Pawitan Blok C-7, Kec. Karangpawitan, Kab. Garut",
               "0813 0000 4103", f"warga2@{DOMAIN}", "warga2")
PUTRI = Person("Putri Andriani", "32.77", "Cimahi Tengah", date(1994, 5, 17), True, 9104,
               "Jl. Kebon Kopi Gg. Melati No. 3, Kec. Cimahi Tengah, Kota Cimahi",
               "0821 0000 4104", f"warga3@{DOMAIN}", "warga3")
ENCEP = Person("Encep Saepulloh", "32.04", "Cicalengka", date(1968, 1, 30), False, 9105,
               "Kp. Cikuya RT 01 RW 03, Kec. Cicalengka, Kab. Bandung", "0815 0000 4105")
NENDEN = Person("Nenden Kurniasih", "32.11", "Jatinangor", date(1990, 9, 9), True, 9106,
                "Jl. Raya Jatinangor Km 20 No. 8, Kec. Jatinangor, Kab. Sumedang",
                "0819 0000 4106")
DADAN = Person("Dadan Ramdani", "32.01", "Cibinong", date(1975, 6, 2), False, 9107,
               "Jl. Mayor Oking Gg. H. Ali No. 5, Kec. Cibinong, Kab. Bogor", "0811 0000 4107",
               "dadan.ramdani@example.com")
TATI = Person("Tati Rohaeti", "32.04", "Cicalengka", date(1972, 12, 15), True, 9108,
              "Desa Tenjolaya RT 03 RW 02, Kec. Cicalengka, Kab. Bandung", "0822 0000 4108")
GALIH = Person("Galih Permadi", "32.73", "Coblong", date(1998, 2, 27), False, 9109,
               "Kec. Coblong, Kota Bandung", chat_id=700000101)
RIZKY = Person("Rizky Maulana", "32.75", "Bekasi Timur", date(2003, 10, 1), False, 9110,
               "Kec. Bekasi Timur, Kota Bekasi", chat_id=700000102)
BAYU = Person("Bayu Saputra", "32.73", "Coblong", date(1988, 4, 19), False, 9111,
              "Jl. Dago Pojok No. 14, Kec. Coblong, Kota Bandung", email="bayu.saputra@example.com")

CANNED = [
    ("Salam pembuka", "Yth. Bapak/Ibu {nama},\n\nTerima kasih telah menghubungi layanan "
     "informasi publik Pemerintah Daerah Provinsi Jawa Barat. Permohonan Anda tercatat dengan "
     "nomor {nomor} dan akan kami jawab paling lambat {tenggat}.\n\nSalam,\n{petugas}"),
    ("Permintaan klarifikasi", "Yth. Bapak/Ibu {nama},\n\nAgar permohonan {nomor} dapat kami "
     "proses, mohon lengkapi hal berikut: tahun data, wilayah (kabupaten/kota atau "
     "kecamatan), dan rincian yang diperlukan. Selama kami menunggu jawaban Anda, jangka "
     "waktu pelayanan dihentikan sementara.\n\nSalam,\n{petugas}"),
    ("Data tersedia di portal", "Yth. Bapak/Ibu {nama},\n\nData yang Anda minta dalam "
     "permohonan {nomor} sudah tersedia sebagai data terbuka di portal ini dan dapat diunduh "
     "langsung tanpa permohonan (tautan dataset terlampir pada jawaban ini). Mohon cantumkan "
     "sumber data bila digunakan dalam publikasi.\n\nSalam,\n{petugas}"),
    ("Pemberitahuan perpanjangan", "Yth. Bapak/Ibu {nama},\n\nJangka waktu permohonan {nomor} "
     "kami perpanjang sesuai Pasal 22 ayat (8) UU 14/2008 karena data masih dihimpun dari "
     "perangkat daerah pengelola. Jawaban paling lambat {tenggat}.\n\nSalam,\n{petugas}"),
]


# ---------------------------------------------------------------- the stories

STORIES = []


def story(ago):
    """Register a story whose ticket was received `ago` working days before today."""
    def register(fn):
        STORIES.append((ago, fn))
        return fn
    return register


def _request(person, subject, body, purpose, datasets=(), fmt="softcopy", delivery="email",
             channel="web", **extra):
    data = {"kind": Kind.DATA_REQUEST, "channel": channel, "subject": subject, "body": body,
            "purpose": purpose, "format": fmt, "delivery": delivery, "identity_kind": "nik",
            "nik": person.nik(), "dataset_ids": list(datasets)}
    return {**_contact(person), **data, **extra}


def _message(person, kind, subject, body, channel="web", datasets=()):
    return {**_contact(person), "kind": kind, "channel": channel, "subject": subject,
            "body": body, "dataset_ids": list(datasets)}


def _contact(person):
    data = {"requester_name": person.name, "address": person.address, "phone": person.phone,
            "email": person.email, "telegram_chat_id": person.chat_id, "consent": "1"}
    return {k: v for k, v in data.items() if v is not None}


_OPEN_DATA = ("Data tersebut sudah tersedia sebagai data terbuka di portal dan dapat diunduh "
              "langsung (tautan dataset terlampir). Mohon cantumkan sumber: {src}.")


def _fulfilled(src, extra=""):
    return (_OPEN_DATA.format(src=src) + (" " + extra if extra else "")).strip()


# -- a year of answered requests (most rated), oldest first ------------------------------

@story(240)
def penduduk_kota_bandung(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Jumlah penduduk per kecamatan di Kota Bandung 2023",
        "Mohon data jumlah penduduk menurut kecamatan dan jenis kelamin di Kota Bandung tahun "
        "2023.", "Bahan skripsi tentang kepadatan penduduk dan kebutuhan ruang terbuka hijau.",
        [PENDUDUK_KOTA_BANDUNG]))
    s.assign(0, c.helpdesk)
    s.forward(1, c.helpdesk, "disdukcapil", ["kependudukan", "mahasiswa"])
    s.answer(3, c.helpdesk, State.FULFILLED, _fulfilled("Disdukcapil Provinsi Jawa Barat"))
    s.survey(5, c.siti, "puas", "Cepat dan jelas, terima kasih.")


@story(232)
def cara_unduh_excel(s, c):
    s.submit(0, c.ujang, _message(
        UJANG, Kind.QUESTION, "Cara mengunduh data dalam format Excel",
        "Apakah data di portal bisa diunduh dalam bentuk Excel? Saya hanya menemukan CSV."))
    s.assign(0, c.helpdesk2)
    s.answer(2, c.helpdesk2, State.RESOLVED,
             "Berkas CSV dapat dibuka langsung di Excel atau LibreOffice Calc. Sebagian dataset "
             "juga menyediakan XLSX; pilih format pada daftar sumber data di halaman dataset.")
    s.survey(3, c.ujang, "puas")


@story(224)
def kemiskinan(s, c):
    s.submit(0, c.yayan, _request(
        YAYAN, "Persentase penduduk miskin kabupaten/kota 2019-2024",
        "Mohon data persentase dan jumlah penduduk miskin per kabupaten/kota di Jawa Barat "
        "tahun 2019 sampai 2024.", "Kajian dampak bantuan sosial di perdesaan.", [MISKIN]))
    s.assign(0, c.helpdesk)
    s.forward(1, c.helpdesk, "bappeda", ["kemiskinan", "penelitian"])
    s.note(2, c.helpdesk, "Angka 2024 dikonfirmasi Bappeda sudah final (Maret 2024).")
    s.answer(5, c.helpdesk, State.FULFILLED, _fulfilled("Bappeda Provinsi Jawa Barat"))
    s.survey(8, c.yayan, "puas")


@story(216)
def dbd_lima_tahun(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Kasus DBD per kabupaten/kota lima tahun terakhir",
        "Saya membutuhkan jumlah kasus dan kematian akibat demam berdarah per kabupaten/kota "
        "2019-2023.", "Bahan liputan menjelang musim hujan.", [DBD]))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "dinkes", ["kesehatan", "media"])
    s.answer(4, c.helpdesk2, State.FULFILLED, _fulfilled("Dinas Kesehatan Provinsi Jawa Barat"))
    s.survey(6, c.putri, "puas", "Petugas ramah, data lengkap.")


@story(208)
def sekolah_kab_bandung(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Jumlah sekolah per kecamatan di Kabupaten Bandung",
        "Mohon data jumlah SD, SMP, SMA dan SMK negeri dan swasta menurut kecamatan di "
        "Kabupaten Bandung.", "Tugas mata kuliah perencanaan wilayah.", [SEKOLAH_KAB_BANDUNG]))
    s.assign(1, c.ppid)
    s.forward(1, c.ppid, "disdik", ["pendidikan", "mahasiswa"])
    s.answer(6, c.ppid, State.FULFILLED, _fulfilled(
        "Dinas Pendidikan Provinsi Jawa Barat", "Data SD dan SMP dikelola Dinas Pendidikan "
        "Kabupaten Bandung; angka dalam dataset bersumber dari Dapodik."))
    s.survey(7, c.siti, "biasa")


@story(200)
def usul_umkm(s, c):
    s.submit(0, c.yayan, _message(
        YAYAN, Kind.SUGGESTION, "Usul dataset jumlah UMKM per kecamatan",
        "Mohon portal menyediakan data jumlah usaha mikro dan kecil per kecamatan, termasuk "
        "yang sudah memiliki NIB."))
    s.assign(0, c.helpdesk)
    s.answer(4, c.helpdesk, State.RESOLVED,
             "Terima kasih. Usulan sudah kami teruskan kepada walidata dan Dinas Koperasi dan "
             "Usaha Kecil untuk masuk daftar data prioritas tahun depan.")
    s.survey(6, c.yayan, "biasa")


@story(192)
def produksi_padi(s, c):
    s.submit(0, c.ujang, _request(
        UJANG, "Produksi padi per kabupaten/kota 2019-2024",
        "Mohon data luas panen, produksi dan produktivitas padi per kabupaten/kota.",
        "Perencanaan usaha penggilingan padi kelompok tani.", [PADI], fmt="hardcopy",
        delivery="pickup"))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "distanhorti", ["pertanian"])
    s.answer(3, c.helpdesk2, State.FULFILLED, _fulfilled(
        "Dinas TPH Provinsi Jawa Barat", "Salinan cetak dapat diambil di meja layanan "
        "Diskominfo pada jam kerja dengan menunjukkan nomor registrasi."))
    s.survey(5, c.ujang, "puas")


@story(184)
def pajak_kendaraan(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Penerimaan pajak kendaraan bermotor per kabupaten/kota 2023",
        "Mohon data realisasi penerimaan PKB dan BBNKB per kabupaten/kota tahun 2023.",
        "Liputan tentang pemutihan pajak kendaraan."))
    s.assign(0, c.ppid)
    s.answer(2, c.ppid, State.NOT_HELD,
             "Informasi ini tidak dikuasai Diskominfo. Data pajak kendaraan dikelola Badan "
             "Pendapatan Daerah; silakan ajukan permohonan ke PPID Bapenda Provinsi Jawa Barat.",
             redirect_agency="Badan Pendapatan Daerah (Bapenda) Provinsi Jawa Barat")
    s.survey(3, c.putri, "biasa")


@story(176)
def guru_per_jenjang(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Jumlah guru per jenjang dan status kepegawaian",
        "Mohon data jumlah guru PNS, PPPK dan honorer per jenjang di setiap kabupaten/kota.",
        "Penelitian skripsi tentang kebutuhan guru.", [GURU]))
    s.assign(0, c.helpdesk)
    s.forward(1, c.helpdesk, "disdik", ["pendidikan", "penelitian"])
    s.reply(3, c.helpdesk, "Permohonan sedang kami koordinasikan dengan Dinas Pendidikan.")
    s.extend(8, c.helpdesk, 7, "Rincian status kepegawaian guru masih direkap Dinas "
             "Pendidikan dari cabang dinas wilayah.")
    s.answer(14, c.helpdesk, State.FULFILLED, _fulfilled(
        "Dinas Pendidikan Provinsi Jawa Barat", "Rincian PNS/PPPK/honorer kami kirim sebagai "
        "lampiran e-mail."))
    s.survey(16, c.siti, "biasa", "Agak lama, tapi datanya lengkap.")


@story(168)
def ipm_tertukar(s, c):
    s.submit(0, c.yayan, _message(
        YAYAN, Kind.ERROR_REPORT, "Angka IPM Pangandaran 2022 dan 2023 tertukar",
        "Pada dataset IPM, nilai Kabupaten Pangandaran tahun 2022 dan 2023 tampak tertukar "
        "dibanding publikasi BPS.", datasets=[IPM]))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "bappeda", ["kesalahan data"])
    s.note(1, c.helpdesk2, "Diteruskan ke produsen (Bappeda) untuk diperiksa.")
    s.answer(5, c.helpdesk2, State.RESOLVED,
             "Terima kasih atas laporannya. Produsen data sudah memeriksa dan memperbaiki "
             "berkas; versi baru sudah terbit.")
    s.survey(6, c.yayan, "puas")


@story(160)
def stunting_per_desa(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Data stunting per desa beserta nama balita di Kabupaten Garut",
        "Mohon data balita stunting per desa di Kabupaten Garut tahun 2023, termasuk nama "
        "balita dan nama orang tua.", "Liputan mendalam tentang penanganan stunting.",
        [STUNTING]))
    s.assign(0, c.ppid)
    s.forward(1, c.ppid, "dinkes", ["kesehatan", "data pribadi"])
    s.note(2, c.ppid, "Nama balita dan orang tua adalah data pribadi: berikan agregat saja.")
    s.answer(8, c.ppid, State.PARTIALLY_FULFILLED,
             "Angka prevalensi stunting per kabupaten/kota kami berikan (tautan terlampir). "
             "Nama balita dan orang tua dikecualikan karena mengungkap rahasia pribadi "
             "(UU 14/2008 Pasal 17 huruf h).", exemption="17h")
    s.survey(10, c.putri, "biasa")


@story(152)
def keluhan_email(s, c):
    s.submit(0, c.ujang, _message(
        UJANG, Kind.COMPLAINT, "Permohonan lewat e-mail tidak berbalas",
        "Dua minggu lalu saya mengirim permohonan data lewat e-mail PPID, tetapi belum ada "
        "balasan maupun tanda terima."))
    s.assign(0, c.ppid)
    s.answer(2, c.ppid, State.RESOLVED,
             "Mohon maaf atas ketidaknyamanan ini. E-mail Bapak tersaring sebagai spam dan kini "
             "sudah kami daftarkan. Ke depan, gunakan formulir di portal agar langsung "
             "mendapat nomor registrasi.")
    s.survey(3, c.ujang, "biasa", "Semoga tidak terulang.")


@story(144)
def tenaga_kesehatan(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Jumlah tenaga kesehatan menurut jenis per kabupaten/kota",
        "Mohon data jumlah dokter, perawat, bidan dan tenaga kesehatan lain per "
        "kabupaten/kota tahun 2023.", "Penelitian tentang rasio tenaga kesehatan.", [NAKES]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "dinkes", ["kesehatan", "mahasiswa"])
    s.answer(4, c.helpdesk, State.FULFILLED, _fulfilled("Dinas Kesehatan Provinsi Jawa Barat"))
    s.survey(5, c.siti, "puas")


@story(136)
def rtlh_cianjur_disetujui(s, c):
    """Restricted data: the custodian approves and the requester joins the access list."""
    s.submit(0, c.yayan, _request(
        YAYAN, "Data rumah tidak layak huni per desa di Kabupaten Cianjur",
        "Mohon akses data rumah tidak layak huni menurut desa/kelurahan di Kabupaten Cianjur "
        "tahun 2023.", "Penelitian kemiskinan perdesaan bersama perguruan tinggi; hasilnya "
        "hanya dipublikasikan dalam bentuk agregat.", [RTLH_CIANJUR]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "dinsos", ["perumahan", "penelitian", "data terbatas"])
    s.ask_approval(1, c.helpdesk, RTLH_CIANJUR,
                   "Dataset terbatas; pemohon peneliti dengan surat pengantar kampus.")
    s.decide_approval(3, c.walidata, "approved",
                      "Disetujui untuk penelitian; data tidak memuat identitas perseorangan.",
                      grant=True)
    s.answer(4, c.helpdesk, State.FULFILLED,
             "Permohonan disetujui walidata. Akun Anda sudah ditambahkan ke daftar akses "
             "dataset ini; silakan masuk dan unduh berkasnya dari halaman dataset.")
    s.survey(6, c.yayan, "puas", "Prosesnya jelas dan transparan.")


@story(128)
def wisatawan(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Kunjungan wisatawan per kabupaten/kota 2019-2023",
        "Mohon data jumlah kunjungan wisatawan nusantara dan mancanegara per kabupaten/kota.",
        "Liputan pemulihan pariwisata pascapandemi.", [WISATAWAN]))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "disparbud", ["pariwisata", "media"])
    s.answer(3, c.helpdesk2, State.FULFILLED, _fulfilled("Disparbud Provinsi Jawa Barat"))
    s.survey(4, c.putri, "puas")


@story(120)
def pdrb_2024(s, c):
    s.submit(0, c.ujang, _message(
        UJANG, Kind.QUESTION, "Apakah data PDRB 2024 sudah tersedia?",
        "Saya melihat data PDRB di portal baru sampai 2023. Kapan angka 2024 terbit?",
        datasets=[PDRB]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "bappeda", ["ekonomi"])
    s.answer(2, c.helpdesk, State.RESOLVED,
             "PDRB 2024 menunggu rilis resmi BPS; dataset akan diperbarui paling lambat satu "
             "bulan sesudahnya. Aktifkan notifikasi pada halaman dataset.")
    s.survey(2, c.ujang, "puas")


@story(112)
def citarum(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Kualitas air Sungai Citarum per titik pantau",
        "Mohon data parameter kualitas air (BOD, COD, DO, TSS) di setiap titik pantau "
        "Sungai Citarum tahun 2023.", "Skripsi tentang pencemaran sungai.", [CITARUM]))
    s.assign(0, c.helpdesk2)
    s.forward(1, c.helpdesk2, "dlh", ["lingkungan", "mahasiswa"])
    s.answer(4, c.helpdesk2, State.FULFILLED, _fulfilled("DLH Provinsi Jawa Barat"))
    s.survey(6, c.siti, "puas")


@story(104)
def pkh_per_nama_ditolak(s, c):
    """Refused by the custodian (personal data), objected to, objection dismissed."""
    s.submit(0, c.yayan, _request(
        YAYAN, "Daftar nama dan NIK penerima PKH di Kecamatan Cikajang, Garut",
        "Mohon daftar keluarga penerima PKH di Kecamatan Cikajang lengkap dengan nama, NIK dan "
        "alamat.", "Pemantauan ketepatan sasaran bantuan sosial oleh LSM.", [PKH_GARUT]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "dinsos", ["bantuan sosial", "data pribadi"])
    s.ask_approval(1, c.helpdesk, PKH_GARUT, "Pemohon meminta data per nama dan NIK.")
    s.decide_approval(4, c.walidata, "refused",
                      "Data per nama, NIK dan alamat penerima bantuan adalah data pribadi yang "
                      "dikecualikan (UU 14/2008 Pasal 17 huruf h). Data agregat per desa dapat "
                      "diminta terpisah.", exemption="17h")
    s.objection(9, c.yayan, ["refused"],
                "Data penerima bantuan dibiayai APBN dan penting untuk pengawasan publik.")
    s.decide_objection(22, c.atasan, "dismissed",
                       "Keberatan tidak diterima. Pengecualian Pasal 17 huruf h berlaku bagi "
                       "nama, NIK dan alamat penerima. PPID menawarkan data agregat per desa "
                       "tanpa identitas. Pemohon dapat mengajukan sengketa ke Komisi Informasi "
                       "Provinsi Jawa Barat dalam 14 hari kerja.")
    s.survey(24, c.yayan, "kecewa", "Kami tetap perlu data untuk pengawasan.")


@story(96)
def apm_sma(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Angka partisipasi murni SMA/SMK per kabupaten/kota",
        "Mohon APM SMA/SMK per kabupaten/kota 2019-2023.", "Liputan akses pendidikan menengah.",
        [APM_SMA]))
    s.assign(0, c.ppid)
    s.forward(0, c.ppid, "disdik", ["pendidikan", "media"])
    s.answer(3, c.ppid, State.FULFILLED, _fulfilled("Dinas Pendidikan Provinsi Jawa Barat"))
    s.survey(4, c.putri, "puas")


@story(88)
def harga_gabah(s, c):
    s.submit(0, c.ujang, _request(
        UJANG, "Harga gabah di tingkat petani per bulan 2024",
        "Mohon data harga GKP dan GKG di tingkat petani setiap bulan tahun 2024.",
        "Bahan musyawarah kelompok tani.", [HARGA_GABAH]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "distanhorti", ["pertanian"])
    s.answer(2, c.helpdesk, State.FULFILLED, _fulfilled("Dinas TPH Provinsi Jawa Barat"))
    s.survey(3, c.ujang, "puas", "Mantap, cepat sekali.")


@story(80)
def koordinat_puskesmas(s, c):
    s.submit(0, c.siti, _message(
        SITI, Kind.ERROR_REPORT, "Koordinat beberapa puskesmas Kota Bandung keliru",
        "Pada daftar puskesmas Kota Bandung, titik koordinat Puskesmas Sukajadi dan "
        "Puskesmas Ledeng jatuh di luar kecamatannya.", datasets=[PUSKESMAS_BANDUNG]))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "dinkes", ["kesalahan data", "kesehatan"])
    s.note(2, c.helpdesk2, "Produsen Dinkes mengonfirmasi: lintang dan bujur tertukar.")
    s.answer(6, c.helpdesk2, State.RESOLVED,
             "Terima kasih. Koordinat sudah diperbaiki produsen pada versi terbaru dataset.")
    s.survey(8, c.siti, "puas")


@story(76)
def penawaran_lelang_ditolak(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Dokumen penawaran harga peserta lelang peningkatan jalan 2024",
        "Mohon salinan dokumen penawaran seluruh peserta tender peningkatan jalan provinsi "
        "ruas Cicalengka-Nagreg 2024.", "Penelitian tentang persaingan pengadaan barang/jasa."))
    s.assign(0, c.ppid)
    s.forward(1, c.ppid, "dbmpr", ["jalan", "pengadaan"])
    s.answer(5, c.ppid, State.REJECTED,
             "Dokumen penawaran peserta memuat rahasia dagang yang bila dibuka dapat "
             "mengganggu persaingan usaha yang sehat, sehingga dikecualikan (UU 14/2008 Pasal 17 "
             "huruf b). Pengumuman pemenang dan nilai kontrak dapat dilihat di LPSE.",
             exemption="17b")
    s.survey(7, c.siti, "kecewa")


@story(72)
def ispu_terlambat(s, c):
    """Answered after the deadline, without an extension: the yearly report counts it late."""
    s.submit(0, c.yayan, _request(
        YAYAN, "Data ISPU harian Kota Bandung 2024",
        "Mohon data indeks standar pencemar udara harian per stasiun di Kota Bandung.",
        "Kajian kualitas udara untuk advokasi transportasi publik.", [ISPU]))
    s.assign(1, c.helpdesk)
    s.forward(1, c.helpdesk, "dlh", ["lingkungan", "udara"])
    s.note(6, c.helpdesk, "DLH baru punya data bulanan di portal; data harian masih diminta.")
    s.answer(12, c.helpdesk, State.FULFILLED, _fulfilled(
        "DLH Provinsi Jawa Barat", "Data harian belum tersedia; yang tersedia rata-rata "
        "bulanan. Mohon maaf atas keterlambatan jawaban."))
    s.survey(13, c.yayan, "kecewa", "Terlambat dari batas 10 hari kerja.")


@story(64)
def mengutip_dataset(s, c):
    s.submit(0, c.putri, _message(
        PUTRI, Kind.QUESTION, "Cara mengutip dataset dalam artikel berita",
        "Bagaimana format sumber yang benar bila saya memakai data portal dalam berita?"))
    s.assign(0, c.helpdesk2)
    s.answer(1, c.helpdesk2, State.RESOLVED,
             "Sebutkan nama produsen data, judul dataset, tahun, dan tautan halaman dataset, "
             "misalnya: \"Dinas Kesehatan Provinsi Jawa Barat, Kasus DBD 2019-2023, Portal Data "
             "Jawa Barat\". Lisensi tiap dataset tertera di halamannya.")
    s.survey(1, c.putri, "puas")


@story(60)
def penduduk_desa_bogor_walk_in(s, c):
    """A walk-in request entered by the desk, answered with a file picked up in person."""
    s.submit(0, c.helpdesk, _request(
        DADAN, "Jumlah penduduk per desa di Kabupaten Bogor 2023",
        "Pemohon datang langsung meminta jumlah penduduk dan KK per desa di Kecamatan "
        "Cibinong.", "Penyusunan profil desa untuk musyawarah perencanaan.",
        [PENDUDUK_DESA_BOGOR], fmt="hardcopy", delivery="pickup", channel="walk_in"))
    s.assign(0, c.helpdesk, c.helpdesk)
    s.forward(0, c.helpdesk, "disdukcapil", ["kependudukan", "desa"])
    s.answer(3, c.helpdesk, State.FULFILLED,
             "Data jumlah penduduk per desa Kecamatan Cibinong terlampir dan sudah dicetak; "
             "salinan dapat diambil di meja layanan.",
             files=[("penduduk-desa-cibinong-2023.csv", _cibinong_csv())])


@story(56)
def ktp_el(s, c):
    s.submit(0, c.ujang, _request(
        UJANG, "Cakupan perekaman KTP-el per kabupaten/kota 2024",
        "Mohon data jumlah wajib KTP dan yang sudah merekam KTP-el per kabupaten/kota.",
        "Bahan diskusi karang taruna tentang pemilih pemula.", [KTP_EL]))
    s.assign(0, c.ppid)
    s.forward(0, c.ppid, "disdukcapil", ["kependudukan"])
    s.answer(3, c.ppid, State.FULFILLED, _fulfilled("Disdukcapil Provinsi Jawa Barat"))
    s.survey(4, c.ujang, "puas")


@story(48)
def usul_perpustakaan_desa(s, c):
    s.submit(0, c.siti, _message(
        SITI, Kind.SUGGESTION, "Usul dataset perpustakaan desa",
        "Mohon ditambahkan data jumlah perpustakaan desa dan taman bacaan masyarakat per "
        "kecamatan."))
    s.assign(0, c.helpdesk)
    s.answer(5, c.helpdesk, State.RESOLVED,
             "Terima kasih. Usulan kami sampaikan ke Dinas Perpustakaan dan Kearsipan; data "
             "akan dimuat bila sudah tersedia dan diperiksa walidata.")
    s.survey(6, c.siti, "biasa")


@story(45)
def jam_layanan_telegram(s, c):
    s.submit(0, SYSTEM, _message(
        GALIH, Kind.QUESTION, "Jam layanan PPID", "Jam berapa meja layanan PPID buka untuk "
        "datang langsung?", channel="telegram"))
    s.assign(0, c.helpdesk2)
    s.answer(1, c.helpdesk2, State.RESOLVED,
             "Meja layanan informasi buka Senin-Kamis 08.00-15.00 dan Jumat 08.00-11.00 WIB, "
             "di lobi Diskominfo. Permohonan lewat portal dan Telegram diterima kapan saja.")


@story(40)
def jalan_provinsi_klarifikasi(s, c):
    """Paused for a clarification, answered after the requester replied with a letter."""
    s.submit(0, c.yayan, _request(
        YAYAN, "Kondisi jalan provinsi",
        "Mohon data kondisi jalan.", "Advokasi perbaikan jalan di Garut selatan.", [JALAN]))
    s.assign(0, c.helpdesk2)
    s.clarify(1, c.helpdesk2, "Mohon jelaskan tahun data dan ruas atau kabupaten yang "
              "dimaksud, serta apakah yang diperlukan panjang jalan menurut kondisi.")
    s.requester_reply(3, c.yayan, "Tahun 2023, seluruh ruas jalan provinsi di Kabupaten Garut, "
                      "panjang menurut kondisi baik/sedang/rusak. Surat pengantar terlampir.",
                      files=[("surat-pengantar.pdf", _letter(YAYAN))])
    s.forward(3, c.helpdesk2, "dbmpr", ["jalan", "infrastruktur"])
    s.answer(6, c.helpdesk2, State.FULFILLED, _fulfilled("DBMPR Provinsi Jawa Barat"))
    s.survey(7, c.yayan, "puas")


@story(35)
def jalan_desa_telepon(s, c):
    s.submit(0, c.helpdesk2, _request(
        TATI, "Jalan desa rusak di Kecamatan Cicalengka",
        "Penelepon menanyakan data panjang jalan desa yang rusak di Kecamatan Cicalengka.",
        "Usulan perbaikan jalan lewat musrenbang desa.", fmt="view", delivery="pickup",
        channel="phone"))
    s.assign(0, c.helpdesk2, c.helpdesk2)
    s.answer(2, c.helpdesk2, State.NOT_HELD,
             "Jalan desa bukan kewenangan provinsi. Data dikuasai Dinas PUTR Kabupaten "
             "Bandung; pemohon sudah kami beri nomor layanan PPID Kabupaten Bandung.",
             redirect_agency="Dinas Pekerjaan Umum dan Tata Ruang Kabupaten Bandung")


@story(32)
def notulen_tapd_keberatan(s, c):
    """Refused by the PPID (inter-agency memorandum); the objection is still pending."""
    s.submit(0, c.putri, _request(
        PUTRI, "Notulen rapat TAPD pembahasan KUA-PPAS 2025",
        "Mohon salinan notulen rapat Tim Anggaran Pemerintah Daerah saat membahas KUA-PPAS "
        "2025.", "Liputan tentang penyusunan anggaran daerah."))
    s.assign(0, c.ppid)
    s.forward(0, c.ppid, "bappeda", ["anggaran"])
    s.note(2, c.ppid, "Konsultasi dengan Bappeda: notulen TAPD adalah memorandum antarbadan "
           "yang belum final.")
    s.answer(6, c.ppid, State.REJECTED,
             "Notulen rapat TAPD merupakan memorandum antarbadan publik yang menurut sifatnya "
             "dirahasiakan (UU 14/2008 Pasal 17 huruf i). Dokumen KUA-PPAS yang telah "
             "disepakati bersama DPRD dapat diunduh di portal.", exemption="17i")
    s.objection(11, c.putri, ["refused", "answered_differently"],
                "Notulen rapat anggaran menyangkut kepentingan publik; mohon atasan PPID "
                "menguji kembali penolakan ini.")


@story(30)
def jumlah_siswa(s, c):
    s.submit(0, c.ujang, _request(
        UJANG, "Jumlah siswa per jenjang tahun ajaran 2023/2024",
        "Mohon data jumlah siswa SMA, SMK dan SLB per kabupaten/kota.",
        "Perencanaan beasiswa desa.", [SISWA]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "disdik", ["pendidikan"])
    s.answer(2, c.helpdesk, State.FULFILLED, _fulfilled("Dinas Pendidikan Provinsi Jawa Barat"))
    s.survey(3, c.ujang, "puas")


@story(26)
def lahan_sawah_dibatalkan(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Luas lahan sawah per kabupaten/kota 2023",
        "Mohon data luas lahan sawah irigasi dan tadah hujan per kabupaten/kota.",
        "Skripsi tentang alih fungsi lahan.", [LAHAN_SAWAH]))
    s.withdraw(1, c.siti, "Sudah saya temukan di katalog, terima kasih.")


@story(22)
def keluhan_lambat(s, c):
    s.submit(0, c.yayan, _message(
        YAYAN, Kind.COMPLAINT, "Jawaban permohonan ISPU terlambat",
        "Permohonan saya tentang data ISPU baru dijawab setelah lewat 10 hari kerja."))
    s.assign(0, c.ppid)
    s.answer(3, c.ppid, State.RESOLVED,
             "Mohon maaf atas keterlambatan. Kami sudah menambah petugas dan mengaktifkan "
             "peringatan tenggat otomatis agar hal serupa tidak terulang.")
    s.survey(4, c.yayan, "biasa")


@story(18)
def faskes(s, c):
    s.submit(0, c.putri, _request(
        PUTRI, "Jumlah fasilitas kesehatan per kabupaten/kota 2023",
        "Mohon data jumlah puskesmas, rumah sakit dan klinik per kabupaten/kota.",
        "Liputan pemerataan layanan kesehatan.", [FASKES]))
    s.assign(0, c.helpdesk2)
    s.forward(0, c.helpdesk2, "dinkes", ["kesehatan", "media"])
    s.answer(4, c.helpdesk2, State.FULFILLED, _fulfilled("Dinas Kesehatan Provinsi Jawa Barat"))
    s.survey(5, c.putri, "puas")


@story(14)
def curah_hujan(s, c):
    s.submit(0, c.ujang, _message(
        UJANG, Kind.QUESTION, "Data curah hujan per kecamatan",
        "Apakah portal punya data curah hujan bulanan per kecamatan?"))
    s.assign(0, c.helpdesk)
    s.answer(1, c.helpdesk, State.RESOLVED,
             "Data curah hujan dikelola BMKG (Stasiun Klimatologi Jawa Barat) dan belum ada di "
             "portal; silakan mengajukan ke BMKG melalui layanan data onlinenya.")


@story(12)
def inflasi_bandung(s, c):
    s.submit(0, c.siti, _request(
        SITI, "Inflasi bulanan Kota Bandung 2024",
        "Mohon data inflasi bulanan Kota Bandung menurut kelompok pengeluaran.",
        "Tugas mata kuliah ekonomi regional."))
    s.assign(0, c.helpdesk2)
    s.answer(2, c.helpdesk2, State.NOT_HELD,
             "Angka inflasi dihitung dan dirilis BPS. Silakan ajukan ke BPS Provinsi Jawa "
             "Barat atau unduh dari situs BPS.",
             redirect_agency="Badan Pusat Statistik (BPS) Provinsi Jawa Barat")


@story(10)
def iklh(s, c):
    s.submit(0, c.yayan, _request(
        YAYAN, "Indeks kualitas lingkungan hidup 2021-2023",
        "Mohon IKLH per kabupaten/kota beserta komponen indeks kualitas air, udara dan "
        "tutupan lahan.", "Kajian lingkungan untuk advokasi.", [IKLH]))
    s.assign(0, c.ppid)
    s.forward(0, c.ppid, "dlh", ["lingkungan"])
    s.answer(3, c.ppid, State.FULFILLED, _fulfilled("DLH Provinsi Jawa Barat"))


# -- the desk today: open tickets in every state and SLA state ---------------------------

@story(13)
def bpnt_sumedang_terlambat(s, c):
    """Overdue: received 13 working days ago, still in progress."""
    s.submit(0, c.helpdesk2, _request(
        NENDEN, "Penerima BPNT per kecamatan di Kabupaten Sumedang 2024",
        "Penelepon meminta jumlah keluarga penerima BPNT per kecamatan di Kabupaten Sumedang.",
        "Pendataan kader PKK untuk pendampingan keluarga.", [BANSOS], delivery="post",
        fmt="hardcopy", channel="phone"))
    s.assign(0, c.helpdesk2)
    s.update(1, c.helpdesk2, "dinsos", ["bantuan sosial"], priority="high")
    s.reply(4, c.helpdesk2, "Data per kecamatan sedang kami mintakan kepada Dinas Sosial.")
    s.note(9, c.helpdesk2, "Belum ada balasan Dinsos; sudah diingatkan lewat telepon.")


@story(12)
def padi_karawang_diperpanjang(s, c):
    """Extended by the full 7 working days."""
    s.submit(0, c.siti, _request(
        SITI, "Produksi padi per desa di Kabupaten Karawang 2023",
        "Mohon data produksi padi per desa di Kabupaten Karawang tahun 2023; di portal baru "
        "tersedia per kecamatan.", "Skripsi tentang ketahanan pangan desa.", [PADI_KARAWANG]))
    s.assign(0, c.ppid)
    s.forward(1, c.ppid, "distanhorti", ["pertanian", "mahasiswa"])
    s.extend(4, c.ppid, 7, "Data per desa sedang direkap Dinas TPH dari laporan penyuluh "
             "pertanian di 30 kecamatan.")


@story(9)
def jalan_rusak_walk_in(s, c):
    """Due soon: received 9 working days ago at the counter."""
    s.submit(0, c.helpdesk, _request(
        ENCEP, "Ruas jalan provinsi rusak berat di Kabupaten Bandung",
        "Pemohon datang langsung meminta daftar ruas jalan provinsi berkondisi rusak berat di "
        "Kabupaten Bandung dan rencana perbaikannya.", "Usulan warga kepada DPRD.", [JALAN],
        fmt="hardcopy", delivery="pickup", channel="walk_in"))
    s.assign(0, c.helpdesk)
    s.update(0, c.helpdesk, "dbmpr", ["jalan", "infrastruktur"])
    s.note(2, c.helpdesk, "Sudah dikoordinasikan dengan DBMPR; rencana perbaikan 2025 "
           "menunggu DPA final.")


@story(6)
def kemiskinan_desa_klarifikasi(s, c):
    """Waiting for the requester: the clock is paused."""
    s.submit(0, c.putri, _request(
        PUTRI, "Data kemiskinan per desa di Kabupaten Tasikmalaya",
        "Mohon data kemiskinan per desa di Kabupaten Tasikmalaya.",
        "Liputan tentang desa tertinggal."))
    s.assign(0, c.helpdesk2)
    s.clarify(1, c.helpdesk2, "Mohon jelaskan indikator yang dimaksud (jumlah keluarga miskin "
              "DTKS, penerima bantuan, atau persentase penduduk miskin) dan tahunnya. Angka "
              "kemiskinan resmi BPS tersedia sampai tingkat kabupaten.")


@story(4)
def nakes_cimahi_persetujuan(s, c):
    """Restricted data waiting for the custodian's decision."""
    s.submit(0, c.ujang, _request(
        UJANG, "Daftar tenaga kesehatan puskesmas di Kota Cimahi 2024",
        "Mohon daftar tenaga kesehatan per puskesmas di Kota Cimahi menurut jenis tenaga.",
        "Pendataan relawan kesehatan RW.", [NAKES_CIMAHI]))
    s.assign(0, c.helpdesk)
    s.forward(0, c.helpdesk, "dinkes", ["kesehatan", "data terbatas"])
    s.ask_approval(1, c.helpdesk, NAKES_CIMAHI, "Dataset terbatas (memuat nama tenaga "
                   "kesehatan). Mohon keputusan walidata.")


@story(3)
def cileunyi_beda_bps(s, c):
    s.submit(0, c.ujang, _message(
        UJANG, Kind.ERROR_REPORT, "Jumlah penduduk Kecamatan Cileunyi berbeda dengan BPS",
        "Jumlah penduduk Kecamatan Cileunyi 2023 di dataset berbeda sekitar 4.000 jiwa "
        "dengan publikasi Kecamatan Dalam Angka.", datasets=[PENDUDUK_KAB_BANDUNG]))
    s.assign(0, c.ppid)
    s.forward(0, c.ppid, "disdukcapil", ["kependudukan", "kesalahan data"])
    s.note(1, c.ppid, "Kemungkinan beda sumber: SIAK (Disdukcapil) vs proyeksi BPS. Minta "
           "penjelasan produsen.")


@story(2)
def antrean_email(s, c):
    s.submit(0, c.helpdesk, _message(
        BAYU, Kind.COMPLAINT, "Antrean meja layanan informasi terlalu lama",
        "Keluhan lewat e-mail: pemohon menunggu lebih dari satu jam di meja layanan "
        "Diskominfo dan loket tutup sebelum jam layanan berakhir.", channel="email"))
    s.assign(0, c.helpdesk, c.ppid)


@story(2)
def usul_bank_sampah(s, c):
    s.submit(0, c.siti, _message(
        SITI, Kind.SUGGESTION, "Usul dataset bank sampah per kecamatan",
        "Mohon ditambahkan data jumlah bank sampah dan nasabahnya per kecamatan."))


@story(1)
def sma_garut(s, c):
    s.submit(0, c.yayan, _request(
        YAYAN, "Jumlah SMA/SMK per kecamatan di Kabupaten Garut 2024",
        "Mohon data jumlah SMA dan SMK negeri dan swasta per kecamatan di Kabupaten Garut "
        "tahun ajaran 2024/2025.", "Pemetaan akses pendidikan menengah di Garut selatan.",
        [SEKOLAH_JENJANG]))


@story(1)
def sma_garut_ganda(s, c):
    """Filed twice by mistake; the desk merges it into the first."""
    s.submit(0, c.yayan, _request(
        YAYAN, "Data SMA SMK Garut per kecamatan",
        "Jumlah SMA/SMK per kecamatan di Garut, mohon segera.",
        "Pemetaan akses pendidikan menengah.", [SEKOLAH_JENJANG]))
    s.merge(0, c.helpdesk, "sma_garut")


@story(1)
def penduduk_rw_telegram(s, c):
    s.submit(0, SYSTEM, _message(
        RIZKY, Kind.QUESTION, "Data penduduk per RW di Kota Bekasi",
        "Halo, apakah ada data jumlah penduduk per RW di Kota Bekasi?", channel="telegram"))


# ---------------------------------------------------------------- files

def _letter(person):
    return io.BytesIO(pdf_document("Surat Pengantar Permohonan Informasi", [
        f"Yang bertanda tangan di bawah ini, {person.name},",
        "mengajukan permohonan data kondisi jalan provinsi di Kabupaten Garut tahun 2023",
        "untuk keperluan advokasi perbaikan jalan. Data tidak akan diperjualbelikan.",
        "", "Garut, (demo MejaData)"]))


def _cibinong_csv():
    rows = [("kode_wilayah", "desa_kelurahan", "jumlah_penduduk", "jumlah_kk")]
    rng = random.Random("cibinong")
    for n, name in enumerate(("Pakansari", "Tengah", "Sukahati", "Ciriung", "Cirimekar",
                              "Pabuaran", "Cibinong", "Nanggewer"), start=1):
        people = rng.randint(18000, 42000)
        rows.append((f"32.01.01.{1000 + n}", name, people, people // 3))
    return io.BytesIO("\n".join(",".join(map(str, r)) for r in rows).encode() + b"\n")


# ---------------------------------------------------------------- running a story

_MOODS = {  # weights of the scores 1-4 per element; cost (e4) is free of charge: mostly 4
    "puas": (0, 1, 9, 12),
    "biasa": (0, 3, 14, 5),
    "kecewa": (2, 9, 9, 2),
}


@dataclass
class Cast:
    """The demo accounts the stories act as."""

    helpdesk: User
    helpdesk2: User
    ppid: User
    atasan: User
    walidata: User
    ujang: User
    siti: User
    yayan: User
    putri: User

    @classmethod
    def load(cls):
        locals_ = {"helpdesk": "helpdesk", "helpdesk2": "helpdesk2", "ppid": "ppid",
                   "atasan": "atasan.ppid", "walidata": "walidata", "ujang": "warga",
                   "siti": "warga1", "yayan": "warga2", "putri": "warga3"}
        found = {}
        for attr, local in locals_.items():
            user = User.query.filter(func.lower(User.email) == f"{local}@{DOMAIN}").first()
            if user is None:
                raise RuntimeError(f"demo account {local}@{DOMAIN} is missing")
            found[attr] = user
        return cls(**found)


class Story:
    """One ticket's history: each step runs an action, then is dated `d` working days after
    the receipt (see the module docstring: demo history is backdated)."""

    def __init__(self, key, received_on, today, cal):
        self.key, self.received_on, self.today, self.cal = key, received_on, today, cal
        self.rng = random.Random(key)
        self.ticket = self.objection_ticket = None
        self.events = {}        # (ticket id, event) -> [(day, at), ...]
        self.last_at = None

    # -- dating

    def _day(self, d):
        day = self.cal.add_working_days(self.received_on, d) if d else self.received_on
        if day >= self.today:
            raise ValueError(f"{self.key}: step {d} falls on {day}, not before today")
        return day

    def _run(self, d, ticket, event, fn, *args, **kwargs):
        day = self._day(d)
        at = self._time(day)
        mark = _mark()
        result = fn(*args, **kwargs)
        _stamp(mark, at)
        if ticket is not None:
            self.events.setdefault((ticket.id, event), []).append((day, at))
        return result

    def _time(self, day):
        """Office hours in Jakarta, later than the previous step, as naive UTC."""
        if self.last_at is not None and _local_day(self.last_at) == day:
            at = self.last_at + timedelta(minutes=self.rng.randint(15, 90))
        else:
            local = datetime.combine(day, time(8, 0), JAKARTA) + timedelta(
                minutes=self.rng.randint(0, 360))
            at = local.astimezone(UTC).replace(tzinfo=None)
        self.last_at = at
        return at

    # -- the steps, one per action

    def submit(self, d, actor, data, files=()):
        data = {**data, "submission_key": self.key}
        self.ticket = self._run(d, None, None, actions.request_submit, actor, data, files=files)
        self._record(self.ticket, "received", d)
        _renumber(self.ticket, self.received_on.year)
        return self.ticket

    def _record(self, ticket, event, d):
        self.events.setdefault((ticket.id, event), []).append((self._day(d), self.last_at))

    def assign(self, d, actor, assignee=None):
        self._run(d, self.ticket, "assigned", actions.ticket_assign, actor, self.ticket.id,
                  assignee.id if assignee else None)

    def update(self, d, actor, org_name, tags, priority=None):
        data = {"organisation_id": _org_id(org_name), "tags": tags}
        if priority:
            data["priority"] = priority
        self._run(d, None, None, actions.ticket_update, actor, self.ticket.id, data)

    def forward(self, d, actor, org_name, tags):
        """To the producer's PPID team (so the survey counts for that unit)."""
        self.update(d, actor, org_name, tags)

    def note(self, d, actor, body):
        self._run(d, None, None, actions.ticket_note, actor, self.ticket.id, {"body": body})

    def reply(self, d, actor, body):
        self._run(d, None, None, actions.ticket_reply, actor, self.ticket.id, {"body": body})

    def clarify(self, d, actor, body):
        self._run(d, self.ticket, "paused", actions.ticket_clarify, actor, self.ticket.id,
                  {"body": body})

    def requester_reply(self, d, actor, body, files=()):
        self._run(d, self.ticket, "resumed", actions.requester_reply, actor, self.ticket.id,
                  {"body": body}, files=files)

    def extend(self, d, actor, days, reason):
        self._run(d, self.ticket, "extended", actions.ticket_extend, actor, self.ticket.id,
                  {"days": days, "reason": reason})

    def ask_approval(self, d, actor, dataset, note):
        self._run(d, self.ticket, "asked", actions.approval_request, actor, self.ticket.id,
                  {"dataset_id": dataset, "note": note})

    def decide_approval(self, d, actor, decision, reason, exemption=None, grant=False):
        data = {"decision": decision, "reason": reason, "exemption": exemption,
                "grant_access": "1" if grant else ""}
        event = "answered" if decision == "refused" else "decided"
        self._run(d, self.ticket, event, actions.approval_decide, actor, self.ticket.id, data)
        if decision == "refused":
            self._record(self.ticket, "decided", d)

    def answer(self, d, actor, outcome, answer, exemption=None, redirect_agency=None,
               files=()):
        data = {"outcome": outcome, "answer": answer, "exemption": exemption,
                "redirect_agency": redirect_agency}
        self._run(d, self.ticket, "answered", actions.ticket_answer, actor, self.ticket.id,
                  data, files=files)

    def withdraw(self, d, actor, reason):
        self._run(d, self.ticket, "closed", actions.ticket_withdraw, actor, self.ticket.id,
                  reason)

    def merge(self, d, actor, into_story):
        target = Ticket.query.filter_by(submission_key=KEY_PREFIX + into_story).one()
        self._run(d, self.ticket, "closed", actions.ticket_merge, actor, self.ticket.id,
                  target.id)

    def objection(self, d, actor, grounds, body):
        self.objection_ticket = self._run(d, None, None, actions.objection_file, actor,
                                          self.ticket.id, {"grounds": grounds, "body": body})
        self._record(self.objection_ticket, "received", d)
        _renumber(self.objection_ticket, self._day(d).year)

    def decide_objection(self, d, actor, decision, answer):
        self._run(d, self.objection_ticket, "answered", actions.objection_decide, actor,
                  self.objection_ticket.id, {"decision": decision, "answer": answer})

    def survey(self, d, actor, mood, comment=""):
        weights = _MOODS[mood]
        answers = {key: self.rng.choices((1, 2, 3, 4), weights)[0]
                   for key in ("e1", "e2", "e3", "e5", "e6", "e7", "e8", "e9")}
        answers["e4"] = 4 if mood != "kecewa" else self.rng.choice((3, 4))
        self._run(d, self.ticket, "survey", actions.survey_submit, actor, self.ticket.id,
                  {**answers, "comment": comment})

    # -- the clock, recomputed from the steps' days

    def finish(self):
        for ticket in (self.ticket, self.objection_ticket):
            if ticket is not None:
                self._date(ticket)
        db.session.commit()

    def _first(self, ticket, event):
        found = self.events.get((ticket.id, event))
        return found[0] if found else (None, None)

    def _date(self, ticket):
        received_on, received_at = self._first(ticket, "received")
        ticket.received_on, ticket.received_at, ticket.created_at = (
            received_on, received_at, received_at)
        paused = [day for day, _at in self.events.get((ticket.id, "paused"), [])]
        resumed = [day for day, _at in self.events.get((ticket.id, "resumed"), [])]
        ticket.paused_days = sum(self.cal.working_days_between(p, r)
                                 for p, r in zip(paused, resumed, strict=False))
        ticket.paused_on = paused[-1] if len(paused) > len(resumed) else None
        days = sla.answer_days(ticket.kind)
        ticket.due_on = self.cal.add_working_days(
            received_on, days + ticket.paused_days + (ticket.extension_days or 0))
        ticket.extended_at = self._first(ticket, "extended")[1]
        assigned = self.events.get((ticket.id, "assigned"))
        ticket.assigned_at = assigned[-1][1] if assigned else None
        answered_on, answered_at = self._first(ticket, "answered")
        if answered_on is not None:
            ticket.answered_on, ticket.answered_at = answered_on, answered_at
        closed_at = answered_at or self._first(ticket, "closed")[1]
        if ticket.closed_at is not None:
            ticket.closed_at = closed_at
        for approval in ticket.approvals:
            approval.asked_at = self._first(ticket, "asked")[1]
            if approval.decided_at is not None:
                approval.decided_at = self._first(ticket, "decided")[1]
                if approval.grant_access and ticket.requester_id:
                    _date_grant(approval, ticket.requester_id)
        if ticket.survey is not None:
            ticket.survey.submitted_at = self._first(ticket, "survey")[1]
        ticket.updated_at = self.last_at
        self._date_audit(ticket, days)

    def _date_audit(self, ticket, days):
        """The deadlines the audit rows quote, as they were on the backdated days (the
        actions computed them from today). A story pauses or extends, never both."""
        due = functools.partial(self.cal.add_working_days, ticket.received_on)
        running = due(days + ticket.paused_days)
        fixes = {
            "ticket.submitted": {"due_on": due(days).isoformat()},
            "ticket.resumed": {"due_on": running.isoformat()},
            "ticket.extended": {"previous_due_on": running.isoformat(),
                                "due_on": ticket.due_on.isoformat()},
            "ticket.answered": {"on_time": bool(ticket.answered_on
                                                and ticket.answered_on <= ticket.due_on)},
        }
        for row in AuditLog.query.filter_by(object_type="ticket", object_id=str(ticket.id)):
            if row.action in fixes and row.after:
                row.after = {**row.after, **{k: v for k, v in fixes[row.action].items()
                                             if k in row.after}}


def _date_grant(approval, user_id):
    grant = db.session.get(DatasetAccess, (approval.dataset_id, user_id))
    if grant is not None:
        grant.granted_at = approval.decided_at


# ---------------------------------------------------------------- backdating helpers

_STAMPED = ((AuditLog, ("at",)), (TicketMessage, ("created_at",)),
            (TicketAttachment, ("created_at",)))


def _mark():
    """The highest id of every table a step may write to, before the step."""
    tables = [model for model, _cols in _STAMPED] + [outbox.OutboxMessage]
    return {model: db.session.scalar(select(func.max(model.id))) or 0 for model in tables}


def _stamp(mark, at):
    """Date the rows a step wrote; its notifications count as delivered back then."""
    for model, columns in _STAMPED:
        db.session.execute(update(model).where(model.id > mark[model])
                           .values(dict.fromkeys(columns, at)))
    msg = outbox.OutboxMessage
    db.session.execute(update(msg).where(msg.id > mark[msg]).values(
        created_at=at, next_attempt_at=at, sent_at=at, status=outbox.SENT))


def _renumber(ticket, year):
    """A ticket received in another year gets that year's next number, and this year's
    counter gives back the number it took (nothing else was filed in between)."""
    prefix, this_year, seq = ticket.number.split("-")
    if int(this_year) == year:
        return
    current = db.session.get(TicketCounter, (prefix, int(this_year)))
    if current is not None and current.last == int(seq):
        current.last -= 1
    counter = db.session.get(TicketCounter, (prefix, year))
    if counter is None:
        counter = TicketCounter(prefix=prefix, year=year, last=0)
        db.session.add(counter)
    counter.last += 1
    old, ticket.number = ticket.number, f"{prefix}-{year}-{counter.last:06d}"
    for row in AuditLog.query.filter_by(object_type="ticket", object_id=str(ticket.id)):
        if row.after and row.after.get("number") == old:
            row.after = {**row.after, "number": ticket.number}


def _org_id(name):
    org = Organisation.query.filter_by(name=name).first()
    if org is None:
        raise RuntimeError(f"demo organisation {name} is missing")
    return org.id


def _local_day(naive_utc):
    return naive_utc.replace(tzinfo=UTC).astimezone(JAKARTA).date()


def working_days_before(today, n, cal):
    """The n-th working day before `today` (the calendar only counts forwards)."""
    day = today
    while n > 0:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


# ---------------------------------------------------------------- loading

def load_demo_tickets():
    """Build the demo tickets not built yet and the canned replies; returns how many
    tickets were made (0 on a second load)."""
    today = local_today()  # the actions' own "today": numbers and clocks agree with it
    cal = workdays.calendar()
    cast = Cast.load()
    before = Ticket.query.count()
    # Oldest first, so registration numbers follow the receipt dates.
    for ago, fn in sorted(STORIES, key=lambda item: -item[0]):
        key = KEY_PREFIX + fn.__name__
        if Ticket.query.filter_by(submission_key=key).first() is not None:
            continue
        received_on = working_days_before(today, ago, cal)
        run = Story(key, received_on, today, cal)
        fn(run, cast)
        run.finish()
    _load_canned(cast.helpdesk)
    sla.recompute_all(today)
    return Ticket.query.count() - before


def _load_canned(actor):
    for title, body in CANNED:
        if CannedReply.query.filter_by(title=title).first() is None:
            actions.canned_save(actor, {"title": title, "body": body})
