"""What the help desk's codes are called on screen, in the user's language."""
from flask_babel import lazy_gettext as _l

STATUS = {
    "received": _l("Diterima"),
    "needs_clarification": _l("Menunggu klarifikasi pemohon"),
    "in_progress": _l("Diproses"),
    "extended": _l("Diproses (diperpanjang)"),
    "awaiting_approval": _l("Menunggu persetujuan walidata"),
    "fulfilled": _l("Dipenuhi"),
    "partially_fulfilled": _l("Dipenuhi sebagian"),
    "rejected": _l("Ditolak"),
    "not_held": _l("Informasi tidak dikuasai"),
    "resolved": _l("Selesai dijawab"),
    "withdrawn": _l("Dibatalkan pemohon"),
    "merged": _l("Digabung"),
    "objection": _l("Dalam keberatan"),
    "objection_decided": _l("Keberatan diputus"),
}
KIND = {
    "data_request": _l("Permohonan data"),
    "question": _l("Pertanyaan"),
    "complaint": _l("Pengaduan"),
    "objection": _l("Keberatan"),
    "error_report": _l("Laporan kesalahan data"),
    "suggestion": _l("Usulan dataset baru"),
}
CHANNEL = {
    "web": _l("Situs web"), "telegram": "Telegram", "api": "API",
    "walk_in": _l("Datang langsung"), "phone": _l("Telepon"), "email": _l("E-mail"),
}
SLA = {
    "on_time": _l("Tepat waktu"), "due_soon": _l("Segera jatuh tempo"),
    "overdue": _l("Terlambat"), "paused": _l("Jeda (menunggu pemohon)"), "done": _l("Selesai"),
}
PRIORITY = {"low": _l("Rendah"), "normal": _l("Biasa"), "high": _l("Tinggi"),
            "urgent": _l("Mendesak")}
FORMAT = {"view": _l("Melihat/membaca"), "softcopy": _l("Salinan elektronik (softcopy)"),
          "hardcopy": _l("Salinan cetak (hardcopy)")}
DELIVERY = {"download": _l("Unduh dari portal"), "email": _l("E-mail"),
            "telegram": "Telegram", "pickup": _l("Ambil langsung"), "post": _l("Pos/kurir")}
# UU 14/2008 Pasal 17, in short.
EXEMPTION = {
    "17a": _l("Pasal 17 huruf a: menghambat proses penegakan hukum"),
    "17b": _l("Pasal 17 huruf b: mengganggu perlindungan HKI dan persaingan usaha sehat"),
    "17c": _l("Pasal 17 huruf c: membahayakan pertahanan dan keamanan negara"),
    "17d": _l("Pasal 17 huruf d: mengungkap kekayaan alam Indonesia"),
    "17e": _l("Pasal 17 huruf e: merugikan ketahanan ekonomi nasional"),
    "17f": _l("Pasal 17 huruf f: merugikan kepentingan hubungan luar negeri"),
    "17g": _l("Pasal 17 huruf g: mengungkap isi akta otentik pribadi atau wasiat"),
    "17h": _l("Pasal 17 huruf h: mengungkap rahasia pribadi"),
    "17i": _l("Pasal 17 huruf i: memorandum antar/intra badan publik yang dirahasiakan"),
    "17j": _l("Pasal 17 huruf j: tidak boleh diungkap berdasarkan undang-undang"),
}
OBJECTION_GROUND = {
    "refused": _l("Permohonan ditolak dengan alasan pengecualian"),
    "not_published": _l("Informasi berkala tidak disediakan"),
    "not_answered": _l("Permohonan tidak ditanggapi"),
    "answered_differently": _l("Ditanggapi tidak sebagaimana yang diminta"),
    "not_fulfilled": _l("Permohonan tidak dipenuhi"),
    "unreasonable_cost": _l("Biaya yang dikenakan tidak wajar"),
    "late": _l("Informasi disampaikan melebihi jangka waktu"),
}
DECISION = {"upheld": _l("Keberatan diterima"), "dismissed": _l("Keberatan ditolak"),
            "approved": _l("Disetujui"), "refused": _l("Ditolak")}


def status_label(code):
    return STATUS.get(code, code)


def label(table, code):
    return globals()[table.upper()].get(code, code) if code else ""
