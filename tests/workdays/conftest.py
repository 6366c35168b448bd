"""People the calendar tests act as (the root conftest drops the cached calendar)."""
import pytest

from app.core.actor import Role
from tests.factories import make_user


@pytest.fixture
def admin():
    return make_user(roles=(Role.ADMIN,))


@pytest.fixture
def helpdesk():
    return make_user(roles=(Role.HELPDESK,))


@pytest.fixture
def pemohon():
    return make_user(roles=(Role.PEMOHON,))
