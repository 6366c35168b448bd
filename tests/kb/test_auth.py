"""The knowledge base's permission rules alone, as a table: (rule, article state) -> who may.

Actors and articles are plain, unsaved model objects: the rules read roles and the published
flag and nothing else, so no database is needed.
"""
import pytest

from app.accounts.models import User
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.kb import auth
from app.kb.models import Article


def _user(uid, roles):
    user = User(id=uid, email=f"u{uid}@example.go.id", name=f"U{uid}")
    user.set_roles(roles)
    return user


ACTORS = {
    "system": SYSTEM,
    "anonymous": ANONYMOUS,
    "admin": _user(1, [Role.ADMIN]),
    "helpdesk": _user(2, [Role.HELPDESK]),
    "ppid": _user(3, [Role.PPID]),
    "ppid_atasan": _user(4, [Role.PPID_ATASAN]),
    "pimpinan": _user(5, [Role.PIMPINAN]),
    "walidata": _user(6, [Role.WALIDATA]),
    "produsen": _user(7, [Role.PRODUSEN]),
    "pemohon": _user(8, [Role.PEMOHON]),
    "pemohon_helpdesk": _user(9, [Role.PEMOHON, Role.HELPDESK]),  # any editor role counts
}
ALL = frozenset(ACTORS)
EDITORS = {"system", "admin", "helpdesk", "ppid", "pemohon_helpdesk"}

# rule -> {state -> who may}
TABLE = {
    "article_read": {"published": ALL, "draft": EDITORS},
    "article_get": {"published": ALL, "draft": EDITORS},
    "article_cite": {"published": ALL, "draft": EDITORS},  # a draft is refused by the action
    "article_update": {"published": EDITORS, "draft": EDITORS},
    "article_publish": {"published": EDITORS, "draft": EDITORS},
    "article_delete": {"published": EDITORS, "draft": EDITORS},
}
ACTOR_RULES = {
    "is_kb_staff": EDITORS,
    "article_create": EDITORS,
    "article_list": ALL,
    "article_search": ALL,
    "article_list_drafts": EDITORS,
}


def _article(state):
    return Article(id=1, slug="a", title="A", published=state == "published")


@pytest.mark.parametrize("rule,state,kind", [(r, s, k) for r in TABLE for s in TABLE[r]
                                             for k in ACTORS])
def test_article_rule(rule, state, kind):
    assert getattr(auth, rule)(ACTORS[kind], _article(state)) is (kind in TABLE[rule][state])


@pytest.mark.parametrize("rule,kind", [(r, k) for r in ACTOR_RULES for k in ACTORS])
def test_actor_rule(rule, kind):
    assert getattr(auth, rule)(ACTORS[kind]) is (kind in ACTOR_RULES[rule])


def test_every_rule_is_in_a_table():
    """A new rule in auth.py must get its row here."""
    public = {name for name in dir(auth) if not name.startswith("_")
              and callable(getattr(auth, name))
              and getattr(getattr(auth, name), "__module__", None) == auth.__name__}
    assert public - set(TABLE) - set(ACTOR_RULES) == set()
