"""The legal clock on the real 2026 calendar (the `holidays` package, no overrides unless a test
sets one): the answer deadline, the pause while waiting for the requester, the extension,
the SLA states the queues filter on, and the objection window.

2026 around Lebaran: 18 March cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama, 21-22 Idul Fitri
(a weekend), 23-24 cuti bersama; 3 April Good Friday. In May: 1 (Labour Day), 14-15
(Ascension and its cuti bersama), 27-28 (Idul Adha and its cuti bersama).
"""
from datetime import date
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import update

from app.core.actor import SYSTEM
from app.core.errors import ValidationError
from app.extensions import db
from app.tickets import actions, sla
from app.tickets.models import Kind, Sla, State, Ticket
from app.workdays import actions as workday_actions
from app.workdays import calendar as workdays
from tests.factories import custodian_org, reload
from tests.tickets.factories import (
    make_helpdesk,
    make_ppid,
    make_request,
    make_requester,
    stop_the_clock,
)

RECEIVED = date(2026, 3, 17)
DUE = date(2026, 4, 8)


@pytest.fixture(autouse=True)
def clock(reference, monkeypatch):
    yield stop_the_clock(monkeypatch, RECEIVED)
    workdays.invalidate()  # the override table is emptied after the test


@pytest.fixture
def staff():
    org = custodian_org()
    return SimpleNamespace(helpdesk=make_helpdesk(org), ppid=make_ppid(org))


def clarify(staff, ticket):
    return actions.ticket_clarify(staff.helpdesk, ticket.id, {"body": "Tahun berapa?"})


def extend(staff, ticket, days):
    return actions.ticket_extend(staff.helpdesk, ticket.id, {"days": days, "reason": "Banyak."})


# ---------------------------------------------------------------- the answer deadline

def test_received_17_march_is_due_8_april():
    ticket = make_request()
    assert (ticket.received_on, ticket.due_on) == (RECEIVED, DUE)
    skipped = {off.day: off.name for off in workdays.calendar().days_off_between(RECEIVED, DUE)}
    assert sorted(skipped) == [date(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)] + [
        date(2026, 4, 3), date(2026, 4, 5)]
    assert "Nyepi" in skipped[date(2026, 3, 19)]
    assert "Idul Fitri" in skipped[date(2026, 3, 21)]
    assert "Cuti Bersama" in skipped[date(2026, 3, 23)]


@pytest.mark.parametrize("received, due", [
    (date(2026, 3, 14), date(2026, 4, 6)),   # a Saturday: counting starts on Monday 16
    (date(2026, 3, 19), DUE),                # on Nyepi: as if received on the 18th
    (date(2026, 3, 24), DUE),                # the last cuti bersama day
    (date(2026, 3, 25), date(2026, 4, 9)),
    (date(2026, 4, 29), date(2026, 5, 18)),  # over 1, 14 and 15 May
])
def test_first_due(clock, received, due):
    clock.day = received
    assert make_request().due_on == due
    assert sla.first_due(Kind.DATA_REQUEST, received) == due


def test_objections_get_thirty_working_days():
    assert sla.first_due(Kind.OBJECTION, date(2026, 5, 25)) == date(2026, 7, 10)


def test_the_law_s_numbers_are_settings(monkeypatch):
    monkeypatch.setitem(current_app.config, "KIP_ANSWER_DAYS", 5)
    assert make_request().due_on == date(2026, 3, 31)


def test_an_admin_s_day_off_moves_the_deadline():
    workday_actions.override_set(SYSTEM, {"day": "2026-03-30", "is_workday": False,
                                          "note": "Libur daerah"})
    assert make_request().due_on == date(2026, 4, 9)


def test_an_admin_s_working_day_moves_it_back():
    workday_actions.override_set(SYSTEM, {"day": "2026-03-24", "is_workday": True,
                                          "note": "Cuti bersama dibatalkan"})
    assert make_request().due_on == date(2026, 4, 7)


# ---------------------------------------------------------------- the pause

@pytest.mark.parametrize("paused, resumed, waited, due", [
    (RECEIVED, RECEIVED, 0, DUE),                          # answered the same day
    (RECEIVED, date(2026, 3, 25), 1, date(2026, 4, 9)),    # a week of holidays is one day
    (date(2026, 3, 26), date(2026, 4, 1), 4, date(2026, 4, 14)),
    (date(2026, 4, 2), date(2026, 4, 6), 1, date(2026, 4, 9)),   # over Good Friday
    (date(2026, 3, 27), date(2026, 3, 29), 0, DUE),        # Friday to Sunday
    (RECEIVED, date(2026, 4, 10), 12, date(2026, 4, 24)),
])
def test_pause_adds_the_working_days_waited(staff, clock, paused, resumed, waited, due):
    ticket = make_request()
    clock.day = paused
    clarify(staff, ticket)
    ticket = reload(ticket)
    assert (ticket.paused_on, ticket.due_on, ticket.sla_state) == (paused, DUE, Sla.PAUSED)
    assert workdays.calendar().working_days_between(paused, resumed) == waited
    clock.day = resumed
    actions.requester_reply(ticket.requester, ticket.id, {"body": "Tahun 2025."})
    ticket = reload(ticket)
    assert (ticket.paused_on, ticket.paused_days, ticket.due_on) == (None, waited, due)


def test_pauses_add_up(staff, clock):
    ticket = make_request()
    for paused, resumed in ((date(2026, 3, 26), date(2026, 3, 27)),
                            (date(2026, 3, 30), date(2026, 4, 1))):
        clock.day = paused
        clarify(staff, ticket)
        clock.day = resumed
        actions.ticket_resume(staff.helpdesk, ticket.id)
    ticket = reload(ticket)
    assert (ticket.paused_days, ticket.due_on) == (3, date(2026, 4, 13))


def test_withdrawing_while_paused_stops_the_clock(staff):
    ticket = clarify(staff, make_request())
    actions.ticket_withdraw(ticket.requester, ticket.id)
    ticket = reload(ticket)
    assert (ticket.paused_on, ticket.due_on, ticket.sla_state) == (None, DUE, Sla.DONE)


# ---------------------------------------------------------------- the extension

def test_extension_adds_working_days_after_the_due_date(staff):
    ticket = extend(staff, make_request(), 7)
    assert reload(ticket).due_on == date(2026, 4, 17)


def test_extension_over_the_may_holidays(staff, clock):
    clock.day = date(2026, 4, 29)
    ticket = extend(staff, make_request(), 7)  # from 18 May; 27 and 28 May are off
    assert reload(ticket).due_on == date(2026, 5, 29)


def test_extension_after_a_pause_counts_from_the_moved_date(staff, clock):
    ticket = make_request()
    clock.day = date(2026, 3, 26)
    clarify(staff, ticket)
    clock.day = date(2026, 4, 1)
    actions.requester_reply(ticket.requester, ticket.id, {"body": "Tahun 2025."})
    assert reload(ticket).due_on == date(2026, 4, 14)
    extend(staff, ticket, 7)
    assert reload(ticket).due_on == date(2026, 4, 23)


def test_pause_after_an_extension_moves_the_extended_date(staff, clock):
    ticket = extend(staff, make_request(), 3)        # due 13 April
    clock.day = date(2026, 4, 9)
    clarify(staff, ticket)
    clock.day = date(2026, 4, 13)                    # 10 and 13 April waited
    actions.ticket_resume(staff.helpdesk, ticket.id)
    ticket = reload(ticket)
    assert (ticket.status, ticket.due_on) == (State.EXTENDED, date(2026, 4, 15))


def test_extension_limit_is_a_setting(staff, monkeypatch):
    monkeypatch.setitem(current_app.config, "KIP_EXTENSION_MAX_DAYS", 3)
    ticket = make_request()
    with pytest.raises(ValidationError) as info:
        extend(staff, ticket, 4)
    assert list(info.value.errors) == ["days"]
    assert reload(ticket).due_on == DUE


# ---------------------------------------------------------------- SLA states

@pytest.mark.parametrize("today, state", [
    (RECEIVED, Sla.ON_TIME),
    (date(2026, 4, 2), Sla.ON_TIME),    # two working days on is 7 April
    (date(2026, 4, 3), Sla.ON_TIME),    # Good Friday: two working days on is 7 April
    (date(2026, 4, 5), Sla.ON_TIME),    # Easter Sunday
    (date(2026, 4, 6), Sla.DUE_SOON),   # two working days on is the due date
    (date(2026, 4, 7), Sla.DUE_SOON),
    (DUE, Sla.DUE_SOON),                # the due date itself is still on time
    (date(2026, 4, 9), Sla.OVERDUE),
    (date(2026, 12, 31), Sla.OVERDUE),
])
def test_state_of_a_running_ticket(today, state):
    ticket = make_request()
    assert sla.state_of(ticket, today) == state
    assert sla.refresh(ticket, today) == state and ticket.sla_state == state


def test_due_soon_horizon_is_a_setting(monkeypatch):
    ticket = make_request()
    assert sla.state_of(ticket, date(2026, 4, 1)) == Sla.ON_TIME
    monkeypatch.setitem(current_app.config, "TICKET_DUE_SOON_DAYS", 5)
    assert sla.state_of(ticket, date(2026, 4, 1)) == Sla.DUE_SOON
    assert sla.state_of(ticket, date(2026, 3, 30)) == Sla.ON_TIME  # 5 on is 7 April


def test_paused_and_done_whatever_the_date(staff):
    paused = clarify(staff, make_request(subject="Satu"))
    done = actions.ticket_answer(staff.helpdesk, make_request(subject="Dua").id,
                                 {"outcome": "fulfilled", "answer": "Terlampir."})
    for today in (RECEIVED, DUE, date(2026, 6, 1)):
        assert sla.state_of(paused, today) == Sla.PAUSED
        assert sla.state_of(done, today) == Sla.DONE


def test_state_of_reads_the_agency_s_today(clock):
    ticket = make_request()
    clock.day = date(2026, 4, 9)
    assert sla.state_of(ticket) == Sla.OVERDUE
    clock.day = date(2026, 4, 6)
    assert sla.state_of(ticket) == Sla.DUE_SOON


def test_actions_store_the_state_of_their_day(staff, clock):
    ticket = make_request()
    clock.day = date(2026, 4, 9)
    actions.ticket_start(staff.helpdesk, ticket.id)
    assert reload(ticket).sla_state == Sla.OVERDUE


def _mix(staff):
    """Tickets in every kind of state; due dates set directly to spread them out."""
    requester = make_requester()
    tickets = [make_request(requester, subject=f"Permohonan {n}") for n in range(8)]
    dues = [date(2026, 4, d) for d in (1, 6, 7, 8, 9, 10, 15, 30)]
    for ticket, due in zip(tickets, dues, strict=True):
        db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(due_on=due))
    db.session.commit()
    clarify(staff, tickets[0])
    actions.ticket_answer(staff.helpdesk, tickets[1].id, {"outcome": "fulfilled",
                                                          "answer": "Terlampir."})
    extend(staff, tickets[2], 2)
    actions.approval_request(staff.helpdesk, tickets[3].id, {})
    # Every stored state wrong, as after a long weekend without the scheduler.
    db.session.execute(update(Ticket).values(sla_state=Sla.ON_TIME))
    db.session.execute(update(Ticket).where(Ticket.status == State.RECEIVED)
                       .values(sla_state=Sla.DONE))
    db.session.commit()
    return tickets


@pytest.mark.parametrize("today", [date(2026, 4, 1), date(2026, 4, 3), date(2026, 4, 6),
                                   date(2026, 4, 8), date(2026, 4, 13), date(2026, 5, 4)])
def test_recompute_all_agrees_with_state_of(staff, today):
    tickets = _mix(staff)
    wrong = {t.id: t.sla_state for t in Ticket.query}
    changed = sla.recompute_all(today)
    db.session.expire_all()
    stored = {t.id: t.sla_state for t in Ticket.query}
    expected = {t.id: sla.state_of(reload(t), today) for t in tickets}
    assert stored == expected
    assert changed == sum(1 for i, s in expected.items() if s != wrong[i])
    assert sla.recompute_all(today) == 0  # nothing left to change


def test_recompute_all_covers_every_state(staff):
    _mix(staff)
    sla.recompute_all(date(2026, 4, 9))
    assert {t.sla_state for t in Ticket.query} == set(Sla.ALL)


def test_recompute_all_reads_the_agency_s_today(staff, clock):
    ticket = make_request()
    clock.day = date(2026, 4, 9)
    sla.recompute_all()
    assert reload(ticket).sla_state == Sla.OVERDUE


# ---------------------------------------------------------------- working days left

@pytest.mark.parametrize("today, left", [
    (RECEIVED, 10), (date(2026, 3, 20), 10), (date(2026, 3, 25), 9), (date(2026, 4, 4), 3),
    (date(2026, 4, 7), 1), (DUE, 0), (date(2026, 4, 9), -1), (date(2026, 4, 13), -3),
])
def test_working_days_left(today, left):
    assert sla.working_days_left(make_request(), today) == left


def test_no_days_left_when_the_clock_is_not_running(staff):
    paused = clarify(staff, make_request(subject="Satu"))
    done = make_request(subject="Dua")
    done = actions.ticket_withdraw(done.requester, done.id)
    assert sla.working_days_left(paused, RECEIVED) is None
    assert sla.working_days_left(done, RECEIVED) is None


# ---------------------------------------------------------------- the objection window

def test_objection_deadline_after_an_answer(staff, clock):
    ticket = make_request()
    clock.day = date(2026, 4, 6)
    actions.ticket_answer(staff.helpdesk, ticket.id, {"outcome": "fulfilled", "answer": "Ini."})
    ticket = reload(ticket)
    assert sla.objection_deadline(ticket) == date(2026, 5, 21)
    assert actions.objection_window(ticket, date(2026, 5, 21)) == (True, date(2026, 5, 21))
    assert actions.objection_window(ticket, date(2026, 5, 22)) == (False, date(2026, 5, 21))


def test_objection_deadline_without_an_answer_runs_from_the_due_date():
    ticket = make_request()
    assert sla.objection_deadline(ticket) == date(2026, 5, 25)
    assert actions.objection_window(ticket, DUE) == (False, date(2026, 5, 25))
    assert actions.objection_window(ticket, date(2026, 4, 9)) == (True, date(2026, 5, 25))
    assert actions.objection_window(ticket, date(2026, 5, 26)) == (False, date(2026, 5, 25))
