"""Staff queues without HTTP: which tickets each queue holds and how many, filters, text search,
paging, the round-robin rotation and who counts as a team member.

One desk (`desk` fixture) holds a ticket for every queue, with "today" at Monday 30 March
2026: due soon means due by 1 April (two working days on).
"""
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.errors import NotAuthorized, ValidationError
from app.extensions import db
from app.tickets import actions, queues, sla
from app.tickets.models import Kind, Sla, State, Ticket
from app.workdays import calendar as workdays
from tests.factories import custodian_org, make_org, make_user, make_walidata, reload
from tests.tickets.factories import make_helpdesk, make_ppid, make_request, make_requester

TODAY = date(2026, 3, 30)


@pytest.fixture(autouse=True)
def clock(reference, monkeypatch):
    workdays.invalidate()
    monkeypatch.setattr(actions, "_today", lambda: date(2026, 3, 17))
    monkeypatch.setattr(sla, "local_today", lambda: TODAY)


def _request(subject, body=None, **overrides):
    return make_request(subject=subject, body=body or f"Mohon {subject.lower()}.", **overrides)


def _due(ticket, day):
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(due_on=day))
    db.session.commit()


@pytest.fixture
def desk():
    team_a, team_b = custodian_org(), make_org(title="Dinas Pendidikan")
    h1, h2, h3 = make_helpdesk(team_a), make_helpdesk(team_a), make_helpdesk(team_b)
    admin = make_user(roles=(Role.ADMIN,))
    t = SimpleNamespace(
        a=_request("Data jumlah sekolah dasar"),
        b=_request("Data curah hujan bulanan"),
        c=_request("Data penduduk miskin"),
        d=_request("Data guru honorer"),
        e=_request("Data jalan rusak"),
        f=_request("Data rumah sakit terbatas"),
        g=_request("Data pasar tradisional"),
        q=_request("Pertanyaan tentang persekolahan", kind=Kind.QUESTION, channel="telegram",
                   requester_name="Budi Santoso"),
    )
    actions.ticket_assign(admin, t.b.id, h1.id)
    actions.ticket_assign(admin, t.c.id, h2.id)
    actions.ticket_update(admin, t.d.id, {"organisation_id": team_b.id})
    actions.ticket_clarify(h1, t.e.id, {"body": "Ruas jalan yang mana?"})
    actions.approval_request(h1, t.f.id, {})
    actions.ticket_answer(h1, t.g.id, {"outcome": "fulfilled", "answer": "Terlampir."})
    actions.ticket_update(admin, t.q.id, {"priority": "high", "tags": ["Sekolah", "bot"]})
    _due(t.b, date(2026, 3, 27))   # overdue
    _due(t.c, date(2026, 4, 1))    # due soon
    sla.recompute_all(TODAY)
    return SimpleNamespace(t=t, h1=reload(h1), h2=h2, h3=reload(h3), admin=admin,
                           team_a=team_a, team_b=team_b)


def names(desk, items):
    ids = {v.id: k for k, v in vars(desk.t).items()}
    return sorted(ids[i.id] for i in items)


def listed(desk, actor, queue, **filters):
    return names(desk, queues.listing(actor, queue, filters).items)


# ---------------------------------------------------------------- membership and counts

@pytest.mark.parametrize("queue, expected", [
    ("unassigned", "a d e f q"),
    ("mine", "b"),
    ("team", "a b c e f q"),
    ("due_soon", "c"),
    ("overdue", "b"),
    ("waiting", "e"),
    ("approval", "f"),
    ("open", "a b c d e f q"),
    ("closed", "g"),
    ("all", "a b c d e f g q"),
    ("no-such-queue", "a b c d e f q"),  # an unknown queue is the open one
])
def test_queue_membership(desk, queue, expected):
    assert listed(desk, desk.h1, queue) == expected.split()


def test_states_behind_the_queues(desk):
    t = {k: reload(v) for k, v in vars(desk.t).items()}
    assert (t["b"].sla_state, t["c"].sla_state, t["e"].sla_state, t["g"].sla_state) == (
        Sla.OVERDUE, Sla.DUE_SOON, Sla.PAUSED, Sla.DONE)
    assert t["a"].sla_state == Sla.ON_TIME


def test_queue_counts(desk):
    counts = queues.queue_counts(desk.h1)
    assert counts == {"unassigned": 5, "mine": 1, "team": 6, "waiting": 1, "approval": 1,
                      "open": 7, "due_soon": 1, "overdue": 1}
    # Each count matches its list.
    for queue, n in counts.items():
        assert queues.listing(desk.h1, queue, {}).total == n, queue


def test_mine_and_team_depend_on_who_asks(desk):
    assert listed(desk, desk.h2, "mine") == ["c"]
    assert listed(desk, desk.h3, "mine") == []
    assert listed(desk, desk.h3, "team") == ["d"]
    assert queues.queue_counts(desk.h3)["team"] == 1
    # The system belongs to no team and has no tickets of its own.
    assert listed(desk, SYSTEM, "team") == [] and listed(desk, SYSTEM, "mine") == []
    assert queues.queue_counts(SYSTEM)["mine"] == 0


def test_a_closed_ticket_leaves_the_open_queues(desk):
    actions.ticket_withdraw(desk.t.b.requester, desk.t.b.id)
    assert listed(desk, desk.h1, "mine") == [] and "b" in listed(desk, desk.h1, "closed")
    assert listed(desk, desk.h1, "overdue") == []
    assert queues.queue_counts(desk.h1)["overdue"] == 0


# ---------------------------------------------------------------- filters

@pytest.mark.parametrize("filters, expected", [
    ({"kind": "question"}, "q"),
    ({"channel": "telegram"}, "q"),
    ({"priority": "high"}, "q"),
    ({"status": "needs_clarification"}, "e"),
    ({"status": "awaiting_approval"}, "f"),
    ({"sla": "overdue"}, "b"),
    ({"sla": "paused"}, "e"),
    ({"tag": "sekolah"}, "q"),
    ({"tag": "sekol"}, ""),                      # a tag matches whole
    ({"kind": "data_request", "sla": "due_soon"}, "c"),
])
def test_filters(desk, filters, expected):
    assert listed(desk, desk.h1, "all", **filters) == expected.split()


def test_filter_by_assignee_and_team(desk):
    assert listed(desk, desk.h1, "all", assignee=str(desk.h2.id)) == ["c"]
    assert listed(desk, desk.h1, "open", organisation=str(desk.team_b.id)) == ["d"]


@pytest.mark.parametrize("q, expected", [
    ("sekolah", "a q"),
    ("persekolahan", "a q"),        # stemmed like the search text
    ("curah hujan", "b"),
    ("hujan sekolah", ""),          # every word must match
    ("budi", "q"),                  # the requester's name
    ("BUDI SANTOSO", "q"),
    ("kemiskinan", "c"),
])
def test_text_search(desk, q, expected):
    assert listed(desk, desk.h1, "all", q=q) == expected.split()


def test_search_by_registration_number(desk):
    number = reload(desk.t.e).number
    assert listed(desk, desk.h1, "all", q=number.lower()) == ["e"]
    assert listed(desk, desk.h1, "all", q="PD-2026-999999") == []


def test_clean_filters_drops_what_it_does_not_know():
    args = {"kind": "bogus", "status": "received", "sla": "late", "assignee": "abc",
            "organisation": "12", "q": "  sekolah  ", "tag": "", "order": "x"}
    assert queues.clean_filters(args) == {"status": "received", "organisation": "12",
                                          "q": "sekolah"}


# ---------------------------------------------------------------- order and paging

def test_sort_orders(desk):
    due = queues.listing(desk.h1, "open", {}).items
    assert [t.due_on for t in due] == sorted(t.due_on for t in due)
    assert names(desk, due[:2]) == ["b", "c"]  # most urgent first
    newest = queues.listing(desk.h1, "open", {}, sort="newest").items
    oldest = queues.listing(desk.h1, "open", {}, sort="oldest").items
    assert [t.id for t in newest] == [t.id for t in reversed(oldest)]


def test_paging(desk, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    pages = [queues.listing(desk.h1, "open", {}, page=n) for n in (1, 2, 3)]
    assert [(p.page, p.pages, p.total, len(p.items)) for p in pages] == [
        (1, 3, 7, 3), (2, 3, 7, 3), (3, 3, 7, 1)]
    assert len({t.id for p in pages for t in p.items}) == 7
    assert queues.listing(desk.h1, "open", {}, page=99).page == 3
    assert queues.listing(desk.h1, "open", {}, page=-5).page == 1
    assert queues.listing(desk.h1, "waiting", {"kind": "complaint"}).pages == 1


def test_a_count_past_the_cap_stops_counting(desk, monkeypatch):
    """Seven open tickets with a cap of five: the page says 'more than', not a full count."""
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    page = queues.listing(desk.h1, "open", {})
    assert (page.total, page.capped, page.pages) == (6, True, 3)
    monkeypatch.setattr(queues, "COUNT_CAP", 7)
    page = queues.listing(desk.h1, "open", {})
    assert (page.total, page.capped) == (7, False)


# ---------------------------------------------------------------- through the action

def test_ticket_queue_action(desk):
    page = actions.ticket_queue(desk.h1, "mine")
    assert names(desk, page.items) == ["b"] and page.counts["mine"] == 1
    pimpinan = make_user(roles=(Role.PIMPINAN,))
    assert names(desk, actions.ticket_queue(pimpinan, "closed").items) == ["g"]


def test_the_custodian_only_gets_the_approval_queue(desk):
    walidata = make_walidata()
    assert names(desk, actions.ticket_queue(walidata, "all").items) == ["f"]


@pytest.mark.parametrize("who", ["requester", "produsen", "anonymous"])
def test_no_queue_for_citizens_and_producers(desk, who):
    actor = {"requester": desk.t.a.requester, "anonymous": ANONYMOUS,
             "produsen": make_user(roles=(Role.PRODUSEN,))}[who]
    with pytest.raises(NotAuthorized):
        actions.ticket_queue(actor, "open")


def test_my_tickets(reference):
    custodian_org()
    requester = make_requester()
    first = make_request(requester, subject="Pertama")
    second = make_request(requester, subject="Kedua")
    make_request(subject="Orang lain")
    assert [t.id for t in actions.my_tickets(requester)] == [second.id, first.id]
    for actor in (ANONYMOUS, SYSTEM):
        with pytest.raises(NotAuthorized):
            actions.my_tickets(actor)


# ---------------------------------------------------------------- teams and rotation

def test_team_members_are_active_handlers_of_the_team(reference):
    team, other = custodian_org(), make_org()
    h1, ppid, h2 = make_helpdesk(team), make_ppid(team), make_helpdesk(team)
    make_helpdesk(team, active=False)
    make_helpdesk(other)
    make_user(roles=(Role.ADMIN,), orgs=(team,))
    make_user(roles=(Role.WALIDATA,), orgs=(team,))
    make_user(roles=(Role.PPID_ATASAN,), orgs=(team,))
    both = make_user(roles=(Role.HELPDESK, Role.PPID), orgs=(team,))  # listed once
    assert [u.id for u in queues.team_members(team.id)] == [h1.id, ppid.id, h2.id, both.id]
    assert queues.team_members(None) == []
    assert queues.team_members(make_org().id) == []


def test_round_robin_takes_the_least_recently_assigned(reference):
    team = custodian_org()
    admin = make_user(roles=(Role.ADMIN,))
    h1, h2, h3 = make_helpdesk(team), make_helpdesk(team), make_ppid(team)
    tickets = [make_request(subject=f"Permohonan {n}") for n in range(5)]
    assert queues.next_in_rotation(team.id).id == h1.id  # nobody assigned yet: lowest id
    got = [actions.ticket_assign(admin, t.id).assignee_id for t in tickets[:4]]
    assert got == [h1.id, h2.id, h3.id, h1.id]
    # Assigning by hand counts too: h2 just got one, so h3 is next.
    actions.ticket_assign(admin, tickets[4].id, h2.id)
    assert queues.next_in_rotation(team.id).id == h3.id
    assert queues.next_in_rotation(None) is None


def test_round_robin_needs_a_team_with_handlers(reference):
    custodian_org()
    empty = make_org()
    admin = make_user(roles=(Role.ADMIN,))
    ticket = make_request()
    actions.ticket_update(admin, ticket.id, {"organisation_id": empty.id})
    with pytest.raises(ValidationError) as info:
        actions.ticket_assign(admin, ticket.id)
    assert list(info.value.errors) == ["assignee_id"]
    assert reload(ticket).assignee_id is None and reload(ticket).status == State.RECEIVED
