"""Permission rules of the help desk, one per action (same names as in actions.py).

Each returns True or False; only actions enforce them, views may call them to hide buttons.
Requesters see only their own tickets; staff roles split as the public-information law
splits the work: help-desk staff and the PPID answer, the custodian (walidata) decides on
restricted data, the PPID's superior (atasan PPID) decides objections.
"""
from app.core.actor import Role

HANDLERS = (Role.HELPDESK, Role.PPID, Role.ADMIN)
READERS = HANDLERS + (Role.PPID_ATASAN, Role.PIMPINAN)


def _system(actor):
    return getattr(actor, "is_system", False)


def is_handler(actor):
    return _system(actor) or actor.has_role(*HANDLERS)


def is_reader(actor):
    return _system(actor) or actor.has_role(*READERS)


def is_requester(actor, ticket):
    return bool(getattr(actor, "id", None)) and ticket.requester_id == actor.id


def _decides_approval(actor, ticket):
    return actor.has_role(Role.WALIDATA) and any(a.decision is None for a in ticket.approvals)


def request_submit(actor):
    # Citizens file for themselves; staff enter walk-in and phone requests for others.
    return actor.is_authenticated or _system(actor)


def ticket_read(actor, ticket):
    if is_reader(actor) or is_requester(actor, ticket):
        return True
    # The custodian sees the tickets put to it for approval, and those it decided.
    return actor.has_role(Role.WALIDATA) and bool(ticket.approvals)


def ticket_internal_read(actor, ticket):
    """Internal notes, staff files, the requester's identity (masked)."""
    return is_reader(actor) or (actor.has_role(Role.WALIDATA) and bool(ticket.approvals))


def ticket_queue(actor):
    return is_reader(actor) or actor.has_role(Role.WALIDATA)


def ticket_handle(actor, ticket=None):
    return is_handler(actor)


ticket_assign = ticket_update = ticket_note = ticket_reply = ticket_handle
ticket_clarify = ticket_extend = ticket_answer = ticket_merge = ticket_handle
ticket_link_dataset = approval_request = ticket_handle


def ticket_reject(actor, ticket=None):
    """A refusal cites a legal exemption: the information officer's call, not the desk's."""
    return _system(actor) or actor.has_role(Role.PPID, Role.ADMIN)


def approval_decide(actor, ticket):
    return _system(actor) or _decides_approval(actor, ticket)


def requester_act(actor, ticket):
    """Reply, withdraw, object, rate: the requester's own ticket only."""
    return is_requester(actor, ticket)


ticket_withdraw = requester_reply = objection_file = survey_submit = requester_act


def objection_decide(actor, ticket):
    return _system(actor) or actor.has_role(Role.PPID_ATASAN)


def nik_view(actor, ticket):
    """The full NIK: the officers who must verify identity (logged every time)."""
    return _system(actor) or actor.has_role(Role.PPID, Role.PPID_ATASAN, Role.ADMIN)


def canned_manage(actor):
    return is_handler(actor)


def register_public(actor):
    """The public register holds no personal data: anyone may read it."""
    return True


def register_export(actor):
    return is_reader(actor)


def personal_data_purge(actor):
    return _system(actor) or actor.has_role(Role.ADMIN)
