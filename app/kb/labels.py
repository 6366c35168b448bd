"""Indonesian labels of the knowledge base's codes, for pages and the bot alike."""
from flask_babel import gettext as _

from app.kb.models import Category


def category_label(category):
    return {Category.PERMOHONAN: _("Permohonan informasi"),
            Category.DATA: _("Data dan unduhan"),
            Category.AKUN: _("Akun dan layanan"),
            Category.LAINNYA: _("Lainnya")}.get(category, category)
