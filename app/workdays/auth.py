"""Permission rules of the working-day calendar, one per action (same names as in actions.py).

The calendar moves every legal deadline, so only admins (and the system) change it; every
staff member may see it, to explain a deadline to a requester.
"""
from app.core.actor import Role


def _system(actor):
    return getattr(actor, "is_system", False)


def override_list(actor):
    return _system(actor) or actor.has_role(*Role.STAFF)


def override_set(actor):
    return _system(actor) or actor.has_role(Role.ADMIN)


override_delete = override_set


# Reading the calendar is part of explaining a deadline: every staff member.
days_off = override_list
deadline_check = override_list
