"""The help desk's permission rules alone, as a table: every rule in app/tickets/auth.py for
every kind of actor. A rule added to auth.py without a row here fails
`test_every_rule_is_in_the_table`.

The ticket is a data request of `owner` put to the custodian for approval (so the walidata
has a decision pending); `other` is another citizen.
"""
import inspect
from types import SimpleNamespace

import pytest

from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.tickets import actions, auth
from tests.factories import custodian_org, make_user, make_walidata
from tests.tickets.factories import make_request, make_requester, request_data

# Y: allowed, .: refused.
TABLE = """
rule                  admin walidata produsen helpdesk ppid atasan pimpinan owner other anon system
is_handler              Y      .        .        Y      Y     .      .       .     .     .     Y
is_reader               Y      .        .        Y      Y     Y      Y       .     .     .     Y
is_requester            .      .        .        .      .     .      .       Y     .     .     .
request_submit          Y      Y        Y        Y      Y     Y      Y       Y     Y     .     Y
ticket_read             Y      Y        .        Y      Y     Y      Y       Y     .     .     Y
ticket_internal_read    Y      Y        .        Y      Y     Y      Y       .     .     .     Y
ticket_queue            Y      Y        .        Y      Y     Y      Y       .     .     .     Y
ticket_handle           Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_assign           Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_update           Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_note             Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_reply            Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_clarify          Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_extend           Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_answer           Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_merge            Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_link_dataset     Y      .        .        Y      Y     .      .       .     .     .     Y
approval_request        Y      .        .        Y      Y     .      .       .     .     .     Y
ticket_reject           Y      .        .        .      Y     .      .       .     .     .     Y
approval_decide         .      Y        .        .      .     .      .       .     .     .     Y
requester_act           .      .        .        .      .     .      .       Y     .     .     .
ticket_withdraw         .      .        .        .      .     .      .       Y     .     .     .
requester_reply         .      .        .        .      .     .      .       Y     .     .     .
objection_file          .      .        .        .      .     .      .       Y     .     .     .
survey_submit           .      .        .        .      .     .      .       Y     .     .     .
objection_decide        .      .        .        .      .     Y      .       .     .     .     Y
nik_view                Y      .        .        .      Y     Y      .       .     .     .     Y
canned_manage           Y      .        .        Y      Y     .      .       .     .     .     Y
register_public         Y      Y        Y        Y      Y     Y      Y       Y     Y     Y     Y
register_export         Y      .        .        Y      Y     Y      Y       .     .     .     Y
personal_data_purge     Y      .        .        .      .     .      .       .     .     .     Y
"""


def _parse(table):
    header, *rows = [line.split() for line in table.strip().splitlines()]
    actors = header[1:]
    parsed = {}
    for rule, *marks in rows:
        assert len(marks) == len(actors), f"row {rule} has {len(marks)} columns"
        assert set(marks) <= {"Y", "."}, rule
        parsed[rule] = {actor: mark == "Y" for actor, mark in zip(actors, marks, strict=True)}
    return actors, parsed


ACTORS, RULES = _parse(TABLE)


def public_rules():
    return sorted(name for name, value in vars(auth).items()
                  if inspect.isfunction(value) and value.__module__ == auth.__name__
                  and not name.startswith("_"))


def ask(rule, actor, ticket):
    fn = getattr(auth, rule)
    params = inspect.signature(fn).parameters
    return bool(fn(actor, ticket) if len(params) > 1 else fn(actor))


@pytest.fixture
def world(reference):
    org = custodian_org()
    owner = make_requester()
    ticket = make_request(owner)
    actions.approval_request(SYSTEM, ticket.id, {})
    actors = {
        "admin": make_user(roles=(Role.ADMIN,)),
        "walidata": make_walidata(),
        "produsen": make_user(roles=(Role.PRODUSEN,)),
        "helpdesk": make_user(roles=(Role.HELPDESK,), orgs=(org,)),
        "ppid": make_user(roles=(Role.PPID,), orgs=(org,)),
        "atasan": make_user(roles=(Role.PPID_ATASAN,), orgs=(org,)),
        "pimpinan": make_user(roles=(Role.PIMPINAN,)),
        "owner": owner,
        "other": make_requester(),
        "anon": ANONYMOUS,
        "system": SYSTEM,
    }
    return SimpleNamespace(ticket=ticket, actors=actors)


def test_every_rule_is_in_the_table():
    assert sorted(RULES) == public_rules()


def test_the_table_has_every_actor():
    assert ACTORS == ["admin", "walidata", "produsen", "helpdesk", "ppid", "atasan", "pimpinan",
                      "owner", "other", "anon", "system"]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule(world, rule):
    got = {name: ask(rule, actor, world.ticket) for name, actor in world.actors.items()}
    assert got == RULES[rule]


# ---------------------------------------------------------------- the custodian's view

@pytest.mark.parametrize("stage, read, decide", [
    ("never asked", False, False),
    ("pending", True, True),
    ("decided", True, False),   # it keeps seeing what it decided, and decides no more
])
def test_custodian_sees_only_what_was_put_to_it(reference, stage, read, decide):
    walidata = make_walidata()
    custodian_org()
    ticket = make_request()
    if stage != "never asked":
        actions.approval_request(SYSTEM, ticket.id, {})
    if stage == "decided":
        actions.approval_decide(walidata, ticket.id, {"decision": "approved"})
    assert auth.ticket_read(walidata, ticket) is read
    assert auth.ticket_internal_read(walidata, ticket) is read
    assert bool(auth.approval_decide(walidata, ticket)) is decide


def test_a_walk_in_ticket_has_no_requester_to_match(reference):
    """Staff-entered tickets have no requester: an actor without an id (the system, anyone
    not logged in) must not count as their requester."""
    helpdesk = make_user(roles=(Role.HELPDESK,), orgs=(custodian_org(),))
    ticket = actions.request_submit(helpdesk, request_data(channel="walk_in"))
    assert ticket.requester_id is None
    for actor in (SYSTEM, ANONYMOUS, helpdesk, make_requester()):
        assert auth.is_requester(actor, ticket) is False
        assert auth.requester_act(actor, ticket) is False
    assert auth.ticket_read(ANONYMOUS, ticket) is False


def test_roles_combine(reference):
    """A person with two roles has what either gives."""
    both = make_user(roles=(Role.HELPDESK, Role.WALIDATA), orgs=(custodian_org(),))
    ticket = make_request()
    assert auth.ticket_handle(both, ticket) and auth.ticket_queue(both)
    assert not auth.approval_decide(both, ticket)  # nothing pending
    actions.approval_request(SYSTEM, ticket.id, {})
    assert auth.approval_decide(both, ticket)
