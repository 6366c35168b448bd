"""Indonesian labels of the catalogue's codes, for pages, downloads and printed reports alike."""
from flask_babel import gettext as _

from app.catalog.models import Access


def access_label(access):
    return {Access.TERBUKA: _("Terbuka"), Access.TERBATAS: _("Terbatas"),
            Access.TERTUTUP: _("Tertutup")}.get(access, access)


def frequency_label(freq):
    return {"harian": _("Harian"), "mingguan": _("Mingguan"), "bulanan": _("Bulanan"),
            "triwulanan": _("Triwulanan"), "semesteran": _("Semesteran"),
            "tahunan": _("Tahunan"), "lima_tahunan": _("Lima tahunan"),
            "tidak_tentu": _("Tidak tentu")}.get(freq, freq)
