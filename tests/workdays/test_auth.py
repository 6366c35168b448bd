"""The calendar's permission rules alone: who may read it and who may change it."""
import pytest

from app.accounts.models import User
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.workdays import auth


def _user(uid, roles):
    user = User(id=uid, email=f"u{uid}@example.go.id", name=f"U{uid}")
    user.set_roles(roles)
    return user


ACTORS = {"system": SYSTEM, "anonymous": ANONYMOUS,
          **{role: _user(n, [role]) for n, role in enumerate(Role.ALL, start=1)}}
STAFF = {"system", *Role.STAFF}
TABLE = {
    "override_list": STAFF,
    "days_off": STAFF,
    "deadline_check": STAFF,
    "override_set": {"system", Role.ADMIN},
    "override_delete": {"system", Role.ADMIN},
}


@pytest.mark.parametrize("rule", sorted(TABLE))
@pytest.mark.parametrize("who", sorted(ACTORS))
def test_rule(rule, who):
    assert getattr(auth, rule)(ACTORS[who]) is (who in TABLE[rule])
