"""Demo help articles for a provincial open-data portal (Jawa Barat), made through the actions.

`load_demo_articles(actor)` is idempotent: an article whose address already exists is left
exactly as it is (an editor may have changed it), so a second run writes nothing.
"""
import re

from app.kb import actions
from app.kb.models import Article

_ITEM = re.compile(r"(?:[-*]|\d+[.)])\s")


def _prose(text):
    """Text wrapped to the code's line length, unwrapped again: a line that does not start a
    list item continues the line before it; blank lines still separate paragraphs."""
    lines = []
    for line in text.strip().splitlines():
        line = line.strip()
        if lines and lines[-1] and line and not _ITEM.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


# (address, category, published, title, tags, body)
ARTICLES = [
    ("cara-meminta-data", "permohonan", True,
     "Bagaimana cara meminta data atau mengajukan permohonan informasi?",
     ["permintaan data", "permohonan informasi", "uu kip", "ppid", "formulir"],
     _prose("""\
Setiap orang dan badan hukum Indonesia berhak meminta informasi publik kepada badan publik
(UU Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik). Sebelum meminta, cari dulu di
Katalog: banyak data sudah terbuka dan dapat langsung diunduh tanpa permohonan.

Bila data yang Anda perlukan belum ada di Katalog, ajukan permohonan melalui salah satu cara
berikut:
- formulir permohonan informasi di portal ini,
- e-mail atau surat kepada PPID Pemerintah Daerah Provinsi Jawa Barat,
- datang langsung ke meja layanan informasi pada jam kerja.

Siapkan isian berikut:
1. Nama lengkap dan NIK (perorangan) atau akta pendirian yang disahkan (badan hukum).
2. Alamat, nomor telepon, dan alamat e-mail yang dapat dihubungi.
3. Rincian informasi atau data yang diminta: judul, wilayah, dan tahun.
4. Tujuan penggunaan informasi.
5. Cara memperoleh informasi (melihat, salinan elektronik, atau salinan cetak) dan cara
   pengirimannya.

Setiap permohonan langsung mendapat nomor registrasi. Simpan nomor itu untuk memantau status
permohonan Anda. Permohonan tidak dipungut biaya; bila Anda meminta salinan cetak, biaya
penggandaan atau pengiriman yang wajar dapat dikenakan dan diberitahukan lebih dahulu.""")),
    ("jangka-waktu-jawaban", "permohonan", True,
     "Berapa lama permohonan informasi dijawab?",
     ["jangka waktu", "hari kerja", "perpanjangan", "uu kip"],
     _prose("""\
PPID wajib memberikan jawaban tertulis paling lambat 10 hari kerja sejak permohonan Anda
diterima. Jawaban dapat berupa pemberian informasi, penolakan dengan alasan pengecualian
yang disebut dalam UU 14/2008 Pasal 17, atau pemberitahuan bahwa informasi tidak dikuasai
beserta arahan ke badan publik yang menguasainya.

Bila informasi perlu dihimpun lebih dulu, PPID dapat memperpanjang waktu satu kali, paling
lama 7 hari kerja, dengan pemberitahuan tertulis beserta alasannya. Jadi paling lama 17 hari
kerja sejak permohonan diterima.

Yang dihitung hanya hari kerja:
- Senin sampai Jumat,
- tidak termasuk hari libur nasional dan cuti bersama yang ditetapkan pemerintah.

Bila petugas meminta Anda melengkapi atau menjelaskan permohonan, hitungan waktu berhenti
sampai jawaban Anda kami terima. Tanggal batas jawaban selalu tampil pada halaman status
permohonan Anda.""")),
    ("cara-mengajukan-keberatan", "permohonan", True,
     "Bagaimana cara mengajukan keberatan atas jawaban permohonan?",
     ["keberatan", "atasan ppid", "komisi informasi", "sengketa informasi"],
     _prose("""\
Anda dapat mengajukan keberatan secara tertulis kepada atasan PPID bila:
- permohonan Anda ditolak dengan alasan pengecualian,
- informasi berkala tidak disediakan,
- permohonan tidak ditanggapi,
- permohonan ditanggapi tidak sebagaimana yang diminta,
- permohonan tidak dipenuhi,
- biaya yang dikenakan tidak wajar, atau
- informasi disampaikan melebihi jangka waktu.

Keberatan diajukan paling lambat 30 hari kerja sejak alasan keberatan itu muncul, misalnya
sejak Anda menerima surat penolakan. Ajukan melalui halaman status permohonan Anda di portal
ini, atau secara tertulis kepada PPID, dengan menyebut nomor registrasi permohonan dan
alasannya.

Atasan PPID wajib memberikan tanggapan tertulis paling lambat 30 hari kerja sejak keberatan
diterima. Bila Anda tidak puas dengan tanggapan itu, Anda dapat mengajukan penyelesaian
sengketa informasi kepada Komisi Informasi Provinsi Jawa Barat paling lambat 14 hari kerja
sejak menerima tanggapan atasan PPID.""")),
    ("arti-klasifikasi-akses", "data", True,
     "Apa arti data terbuka, terbatas, dan tertutup?",
     ["klasifikasi akses", "terbuka", "terbatas", "tertutup"],
     _prose("""\
Setiap dataset di Katalog memiliki klasifikasi akses:
- Terbuka: metadata dan berkasnya dapat dilihat dan diunduh siapa saja tanpa mendaftar.
- Terbatas: metadatanya terbuka, tetapi berkasnya hanya diberikan kepada pengguna yang
  permohonannya disetujui, misalnya karena memuat data yang rinci sampai tingkat desa.
- Tertutup: hanya keberadaannya yang diumumkan dalam Daftar Data; isinya dikecualikan
  menurut UU 14/2008 Pasal 17 atau memuat data pribadi.

Untuk data terbatas, ajukan permohonan informasi dan sebutkan nama dataset beserta tujuan
penggunaannya. Bila disetujui, akun Anda diberi akses dan berkas dapat diunduh dari halaman
dataset.""")),
    ("cara-mengunduh-data", "data", True,
     "Bagaimana cara mengunduh data dari Katalog?",
     ["unduh", "katalog", "csv", "xlsx"],
     _prose("""\
1. Buka menu Katalog dan ketik kata kunci, misalnya "penduduk" atau "puskesmas". Persempit
   hasil dengan saringan organisasi, topik, tahun, atau wilayah.
2. Pilih dataset untuk membuka halamannya. Baca deskripsi, periode data, satuan, dan
   definisinya agar tidak salah menafsirkan angka.
3. Pada bagian Berkas dan tautan, tekan Unduh berkas asli, atau pilih format CSV, XLSX, atau
   JSON untuk data tabel.

Data terbuka dapat diunduh tanpa akun. Setiap unduhan dihitung tanpa mencatat identitas
Anda; jumlahnya tampil di halaman Statistik. Bila berkas tidak dapat dibuka atau angkanya
janggal, sampaikan melalui formulir pertanyaan agar produsen data dapat memeriksanya.""")),
    ("cara-mengutip-dataset", "data", True,
     "Bagaimana cara mengutip dataset dari portal ini?",
     ["kutip", "sitasi", "lisensi", "cc-by"],
     _prose("""\
Sebagian besar data terbuka di portal ini berlisensi Creative Commons Atribusi (CC BY 4.0):
Anda bebas memakai, mengolah, dan menyebarkan data asalkan menyebut sumbernya.

Sebutkan unsur berikut:
- nama produsen data (organisasi perangkat daerah),
- tahun data atau tahun terbit,
- judul dataset,
- nama portal dan alamat halaman dataset,
- tanggal Anda mengakses data.

Contoh: Dinas Kesehatan Provinsi Jawa Barat (2024). Jumlah Puskesmas per Kabupaten/Kota.
Portal Data Jawa Barat. Diakses 5 Maret 2025.

Bila Anda mengolah data (menggabungkan, menghitung ulang, atau memotong), tuliskan bahwa
data telah diolah agar pembaca dapat membedakan angka asli dan hasil olahan.""")),
    ("menggunakan-api", "data", True,
     "Bagaimana cara mengambil data lewat API?",
     ["api", "ckan", "json", "pengembang"],
     _prose("""\
Portal ini menyediakan API yang kompatibel dengan CKAN Action API, sehingga aplikasi dan
pustaka yang biasa dipakai untuk portal data pemerintah dapat langsung digunakan. Membaca
data terbuka tidak memerlukan akun atau token.

Permintaan yang sering dipakai:
- /api/3/action/package_search?q=penduduk untuk mencari dataset,
- /api/3/action/package_show?id=<nama-dataset> untuk metadata satu dataset beserta alamat
  berkasnya,
- /api/3/action/package_list untuk daftar nama semua dataset terbit.

Jawaban berupa JSON dengan kolom "success" dan "result". Untuk mengambil banyak dataset,
gunakan parameter rows dan start untuk membagi hasil per halaman. Mohon batasi frekuensi
permintaan otomatis dan simpan salinan lokal bila data jarang berubah.""")),
    ("privasi-nik", "akun", True,
     "Mengapa NIK saya diperlukan, dan bagaimana data pribadi saya dilindungi?",
     ["nik", "data pribadi", "privasi", "uu pdp"],
     _prose("""\
NIK diminta karena UU 14/2008 dan Standar Layanan Informasi Publik mewajibkan identitas
pemohon informasi dicatat dalam register permohonan. NIK dan dokumen identitas Anda adalah
data pribadi yang dilindungi UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.

Cara kami melindunginya:
- NIK hanya ditampilkan tersamar (misalnya 3201********0001) di layar petugas,
- hanya petugas PPID yang memerlukannya yang dapat melihat NIK lengkap, dan setiap kali itu
  terjadi dicatat,
- identitas pemohon tidak pernah tampil di halaman publik, statistik, atau laporan,
- data identitas disimpan hanya selama masa retensi yang ditetapkan, lalu dihapus.

Anda berhak menanyakan data pribadi apa yang kami simpan tentang Anda dan meminta
perbaikannya melalui formulir pertanyaan.""")),
    ("survei-kepuasan-ikm", "akun", True,
     "Bagaimana cara menilai layanan kami (survei IKM)?",
     ["survei", "ikm", "kepuasan", "penilaian layanan"],
     _prose("""\
Setelah permohonan atau pertanyaan Anda selesai, kami mengirim tautan survei kepuasan
masyarakat (IKM) sesuai PermenPANRB Nomor 14 Tahun 2017. Survei berisi sembilan unsur:
1. persyaratan,
2. prosedur,
3. waktu penyelesaian,
4. biaya atau tarif,
5. produk layanan,
6. kompetensi petugas,
7. perilaku petugas,
8. penanganan pengaduan, saran, dan masukan,
9. sarana dan prasarana.

Setiap unsur dinilai 1 (tidak baik) sampai 4 (sangat baik). Nilai IKM dihitung dari
rata-rata sembilan unsur dan dikonversi ke skala 25 sampai 100, lalu diumumkan secara
berkala. Pengisian survei tidak memengaruhi permohonan Anda, dan jawaban Anda tidak
ditampilkan bersama nama Anda.""")),
    ("bot-telegram", "akun", False,
     "Bagaimana cara memakai bot Telegram layanan data?",
     ["telegram", "bot", "notifikasi"],
     _prose("""\
Bot Telegram resmi kami membantu Anda tanpa membuka portal:
- mencari dataset di Katalog dan menerima berkas data terbuka,
- mengajukan permohonan informasi dan memantau statusnya,
- menerima pemberitahuan saat permohonan dijawab atau diperpanjang,
- mengisi survei kepuasan setelah layanan selesai.

Buka tautan bot dari halaman beranda portal, lalu tekan Mulai. Pesan pertama bot menjelaskan
data pribadi apa yang dikumpulkan dan untuk apa; baca sebelum melanjutkan. Bot tidak pernah
meminta kata sandi akun portal Anda.""")),
]


def load_demo_articles(actor):
    """Create the demo articles that do not exist yet; returns how many were created."""
    created = 0
    for slug, category, published, title, tags, body in ARTICLES:
        if Article.query.filter_by(slug=slug).first() is not None:
            continue
        article = actions.article_create(actor, {"slug": slug, "category": category,
                                                 "title": title, "tags": tags, "body": body})
        if published:
            actions.article_publish(actor, article.id, True)
        created += 1
    return created
