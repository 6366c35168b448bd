"""Permission rules for accounts: only admins manage users and organisations."""
from app.core.actor import Role


def _admin(actor):
    return getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN)


user_create = _admin
user_update = _admin
organisation_create = _admin
organisation_update = _admin
organisation_delete = _admin
user_list = _admin


def user_register(actor):
    """Anyone not logged in opens their own citizen account; the system does it for the bot."""
    return not actor.is_authenticated or getattr(actor, "is_system", False)
