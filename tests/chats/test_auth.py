"""The chats domain's permission rules alone, as a table: every rule in app/chats/auth.py for
every kind of actor. A rule added to auth.py without a row here fails
`test_every_rule_is_in_the_table`. Actors are plain, unsaved users: the rules read roles only.
"""
import inspect

import pytest

from app.accounts.models import User
from app.chats import auth
from app.core.actor import ANONYMOUS, SYSTEM, Role

# Y: allowed, .: refused. "both" holds a citizen's and a staff role.
TABLE = """
rule              system anon pemohon helpdesk ppid atasan pimpinan walidata produsen admin both
chat_manage         Y     .      .       .       .     .      .        .        .       .     .
chat_link           Y     .      .       .       .     .      .        .        .       .     .
link_code_create    .     .      Y       .       .     .      .        .        .       .     Y
"""


def _user(uid, roles):
    user = User(id=uid, email=f"u{uid}@example.go.id", name=f"U{uid}", active=True)
    user.set_roles(roles)
    return user


ACTORS = {
    "system": SYSTEM,
    "anon": ANONYMOUS,
    "pemohon": _user(1, [Role.PEMOHON]),
    "helpdesk": _user(2, [Role.HELPDESK]),
    "ppid": _user(3, [Role.PPID]),
    "atasan": _user(4, [Role.PPID_ATASAN]),
    "pimpinan": _user(5, [Role.PIMPINAN]),
    "walidata": _user(6, [Role.WALIDATA]),
    "produsen": _user(7, [Role.PRODUSEN]),
    "admin": _user(8, [Role.ADMIN]),
    "both": _user(9, [Role.PEMOHON, Role.HELPDESK]),
}


def _parse(table):
    header, *rows = [line.split() for line in table.strip().splitlines()]
    actors = header[1:]
    assert actors == list(ACTORS)
    parsed = {}
    for rule, *marks in rows:
        assert len(marks) == len(actors), f"row {rule} has {len(marks)} columns"
        assert set(marks) <= {"Y", "."}, rule
        parsed[rule] = {actor: mark == "Y" for actor, mark in zip(actors, marks, strict=True)}
    return parsed


RULES = _parse(TABLE)


def public_rules():
    return sorted(name for name, value in vars(auth).items()
                  if inspect.isfunction(value) and not name.startswith("_"))


def test_every_rule_is_in_the_table():
    assert public_rules() == sorted(RULES)


@pytest.mark.parametrize("rule,actor", [(r, a) for r in RULES for a in ACTORS])
def test_rule(rule, actor):
    assert bool(getattr(auth, rule)(ACTORS[actor])) is RULES[rule][actor]
