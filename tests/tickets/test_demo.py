"""The demo's help desk: tickets in every state, kind and SLA state, a graded survey, a
believable (backdated) history, and a second load that changes nothing."""
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import demo, demo_data
from app.accounts.models import User
from app.catalog.models import Access, DatasetAccess
from app.core import outbox
from app.core.audit import AuditLog
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.tickets import demo as ticket_demo
from app.tickets import identity, ikm
from app.tickets.models import (
    CannedReply,
    Channel,
    Kind,
    MessageKind,
    Sla,
    State,
    SurveyResponse,
    Ticket,
    TicketCounter,
    TicketMessage,
)
from app.workdays import calendar as workdays

# Only the datasets the demo tickets link: the rest of the catalogue adds time, not cover.
_LINKED = {value for name, value in vars(ticket_demo).items()
           if name.isupper() and isinstance(value, str) and value.count("-") > 3}


@pytest.fixture
def small_catalogue(monkeypatch):
    """The real loader over the datasets the tickets link, without the usage report."""
    specs = demo_data.specs
    monkeypatch.setattr(demo_data, "specs", lambda wil: [
        s for s in specs(wil) if demo._slug(s.title) in _LINKED])
    monkeypatch.setattr(demo, "_load_usage_report", lambda created: None)


def _counts():
    tables = (Ticket, TicketMessage, AuditLog, outbox.OutboxMessage, SurveyResponse,
              CannedReply, DatasetAccess, TicketCounter, User)
    counts = {t.__name__: db.session.scalar(select(func.count()).select_from(t))
              for t in tables}
    counts["counters"] = sorted((c.prefix, c.year, c.last) for c in TicketCounter.query)
    return counts


def test_the_demo_desk_covers_every_state_and_loads_once(small_catalogue):
    demo.load()
    tickets = Ticket.query.all()

    assert {t.status for t in tickets} == set(State.ALL)
    assert {t.kind for t in tickets} == set(Kind.ALL)
    assert {t.sla_state for t in tickets} == set(Sla.ALL)
    assert {Channel.WEB, Channel.TELEGRAM, Channel.WALK_IN, Channel.PHONE} <= {
        t.channel for t in tickets}
    _assert_telegram_and_staff_entered(tickets)
    _assert_the_clock(tickets)
    _assert_refusals_and_approval(tickets)
    _assert_survey()
    _assert_people_and_content(tickets)

    before = _counts()
    demo.load()
    assert _counts() == before


def _assert_telegram_and_staff_entered(tickets):
    telegram = [t for t in tickets if t.channel == Channel.TELEGRAM]
    assert telegram and all(t.telegram_chat_id and t.requester_id is None for t in telegram)
    by_staff = [t for t in tickets if t.channel in Channel.STAFF_ENTERED]
    assert by_staff and all(t.requester_id is None and t.requester_name for t in by_staff)


def _assert_the_clock(tickets):
    today, cal = local_today(), workdays.calendar()
    now = utcnow()
    for t in tickets:
        assert t.received_on < today and t.received_at < now, t.number
        assert t.number.split("-")[1] == str(t.received_on.year), t.number
        extra = t.paused_days + (t.extension_days or 0)
        assert t.due_on == cal.add_working_days(
            t.received_on, (30 if t.kind == Kind.OBJECTION else 10) + extra), t.number
        if t.answered_on:
            assert t.received_on <= t.answered_on < today
            assert t.closed_at >= t.received_at
    # History a year long, and the numbers each counter gave are exactly the ones in use.
    assert min(t.received_on for t in tickets) <= today - timedelta(days=330)
    used = Counter(t.number.rsplit("-", 1)[0] for t in tickets)
    assert {f"{c.prefix}-{c.year}": c.last for c in TicketCounter.query} == dict(used)
    # Every message is dated in the past, each ticket's in the order they were written.
    for t in tickets:
        stamps = [m.created_at for m in t.messages]
        assert stamps == sorted(stamps) and all(t.received_at <= s < now for s in stamps)
    states = {t.number: t.sla_state for t in tickets}
    paused = [t for t in tickets if t.status == State.NEEDS_CLARIFICATION]
    assert all(states[t.number] == Sla.PAUSED and t.paused_on for t in paused)
    resumed = [t for t in tickets if t.paused_days]
    assert resumed, "a ticket that waited for its requester and went on"
    late = [t for t in tickets if t.answered_on and t.answered_on > t.due_on]
    assert late, "the yearly report has a late answer to count"
    # The history's notifications went out back then: draining the outbox mails nobody.
    assert outbox.OutboxMessage.query.filter_by(topic="tickets.notify").count() > 100
    assert not outbox.OutboxMessage.query.filter_by(topic="tickets.notify",
                                                    status=outbox.PENDING).count()


def _assert_refusals_and_approval(tickets):
    refused = [t for t in tickets if t.exemption]
    assert {t.exemption for t in refused} >= {"17b", "17h", "17i"}
    assert all("Pasal 17" in t.answer for t in refused)
    approved = [a for t in tickets for a in t.approvals if a.decision == "approved"]
    assert approved and approved[0].grant_access
    grant = db.session.get(DatasetAccess, (approved[0].dataset_id,
                                           approved[0].ticket.requester_id))
    assert grant is not None and approved[0].dataset.access == Access.TERBATAS
    waiting = [t for t in tickets if t.status == State.AWAITING_APPROVAL]
    assert waiting[0].approvals[-1].decision is None
    decided = [t for t in tickets if t.kind == Kind.OBJECTION and t.decision]
    assert decided and decided[0].related.status == State.OBJECTION_DECIDED
    pending = [t for t in tickets if t.status == State.OBJECTION]
    assert pending[0].id in {t.related_id for t in tickets if t.kind == Kind.OBJECTION}
    merged = [t for t in tickets if t.status == State.MERGED]
    assert merged[0].merged_into.is_open


def _assert_survey():
    responses = SurveyResponse.query.all()
    assert 25 <= len(responses) <= 40
    result = ikm.compute(responses)
    assert 80 <= result.ikm <= 90 and result.grade in ("A", "B")
    months = {(r.submitted_at.year, r.submitted_at.month) for r in responses}
    assert len(months) >= 10
    assert len({r.organisation_id for r in responses}) >= 5


def _assert_people_and_content(tickets):
    with_nik = [t for t in tickets if t.nik_encrypted]
    assert len(with_nik) > 20
    for t in with_nik:
        assert identity.nik_errors(identity.decrypt(t.nik_encrypted)) == []
    assert sum(1 for t in tickets if t.datasets) > 20
    kinds = Counter(m.kind for t in tickets for m in t.messages)
    assert kinds[MessageKind.NOTE] >= 5 and kinds[MessageKind.REPLY] >= 20
    assert any(t.attachments for t in tickets)
    canned = {c.title: c.body for c in CannedReply.query}
    assert len(canned) >= 3
    assert all(p in "".join(canned.values()) for p in ("{nomor}", "{nama}", "{tenggat}"))
    citizens = User.query.filter(User.email.like("warga%")).all()
    assert len(citizens) == 4 and all(u.has_role("pemohon") for u in citizens)
    helpdesk = ticket_demo.Cast.load()
    assert {o.name for o in helpdesk.helpdesk2.organisations} == {"diskominfo"}
