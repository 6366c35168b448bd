"""Knowledge-base fixtures: editors, readers and articles made through the real actions."""
import itertools

import pytest

from app.core.actor import Role
from app.kb import actions
from tests.factories import make_user

_seq = itertools.count(1)


def article_data(**overrides):
    """A valid article as a form or the bot would send it."""
    n = next(_seq)
    data = {
        "title": f"Cara mengunduh data dari katalog {n}",
        "category": "data",
        "tags": "unduh, katalog",
        "body": "Buka halaman dataset lalu tekan tombol Unduh.\n\n- CSV\n- XLSX",
    }
    data.update(overrides)
    return data


def make_article(actor, published=True, **overrides):
    article = actions.article_create(actor, article_data(**overrides))
    if published:
        actions.article_publish(actor, article.id, True)
    return article


class People:
    def __init__(self):
        self.helpdesk = make_user(roles=[Role.HELPDESK])
        self.ppid = make_user(roles=[Role.PPID])
        self.admin = make_user(roles=[Role.ADMIN])
        self.walidata = make_user(roles=[Role.WALIDATA])
        self.pemohon = make_user(roles=[Role.PEMOHON])


@pytest.fixture
def people():
    return People()
