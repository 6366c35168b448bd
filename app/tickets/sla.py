"""The public-information law's clock (UU 14/2008 KIP, Perki 1/2021), in Indonesian working days.

A ticket's `due_on` is the last working day on which its answer is on time. It starts at
10 working days after receipt, moves once by the extension (at most 7), and moves by
every working day the ticket waited for the requester (the clock pauses then).
`sla_state` is stored so queues can filter on it; `recompute_all` keeps it current.
"""
from flask import current_app
from sqlalchemy import and_, update

from app.core.timeutil import local_today
from app.extensions import db
from app.tickets.models import Kind, Sla, State, Ticket
from app.workdays import calendar as workdays

# The numbers of the law; kept in configuration so a changed regulation is a setting.
DEFAULTS = {
    "KIP_ANSWER_DAYS": 10,            # Pasal 22 (7)
    "KIP_EXTENSION_MAX_DAYS": 7,      # Pasal 22 (8)
    "KIP_OBJECTION_WINDOW_DAYS": 30,  # Pasal 36 (1)
    "KIP_OBJECTION_ANSWER_DAYS": 30,  # Pasal 36 (2)
    "TICKET_DUE_SOON_DAYS": 2,        # our own: when the queue starts warning
}


def setting(name):
    return int(current_app.config.get(name, DEFAULTS[name]))


def answer_days(kind):
    if kind == Kind.OBJECTION:
        return setting("KIP_OBJECTION_ANSWER_DAYS")
    return setting("KIP_ANSWER_DAYS")


def first_due(kind, received_on, cal=None):
    cal = cal or workdays.calendar()
    return cal.add_working_days(received_on, answer_days(kind))


def pause(ticket, today):
    ticket.paused_on = today


def resume(ticket, today, cal=None):
    """Give back every working day the ticket waited for the requester."""
    if ticket.paused_on is None:
        return 0
    cal = cal or workdays.calendar()
    waited = cal.working_days_between(ticket.paused_on, today)
    ticket.paused_days += waited
    ticket.due_on = cal.add_working_days(ticket.due_on, waited)
    ticket.paused_on = None
    return waited


def state_of(ticket, today=None, cal=None):
    today = today or local_today()
    if ticket.status not in State.OPEN:
        return Sla.DONE
    if ticket.status == State.NEEDS_CLARIFICATION:
        return Sla.PAUSED
    if today > ticket.due_on:
        return Sla.OVERDUE
    cal = cal or workdays.calendar()
    if ticket.due_on <= cal.add_working_days(today, setting("TICKET_DUE_SOON_DAYS")):
        return Sla.DUE_SOON
    return Sla.ON_TIME


def refresh(ticket, today=None):
    ticket.sla_state = state_of(ticket, today)
    return ticket.sla_state


def working_days_left(ticket, today=None, cal=None):
    """Negative when overdue; None when the clock is not running."""
    if ticket.status not in State.OPEN or ticket.status == State.NEEDS_CLARIFICATION:
        return None
    today = today or local_today()
    cal = cal or workdays.calendar()
    if today > ticket.due_on:
        return -cal.working_days_between(ticket.due_on, today)
    return cal.working_days_between(today, ticket.due_on)


def recompute_all(today=None):
    """Bring the stored SLA state of every open ticket up to date; returns rows changed.

    The state of a running ticket depends only on where due_on falls relative to today and
    the due-soon horizon, so four set-based UPDATEs do the work of a loop over every ticket.
    """
    today = today or local_today()
    horizon = workdays.calendar().add_working_days(today, setting("TICKET_DUE_SOON_DAYS"))
    running = [s for s in State.OPEN if s != State.NEEDS_CLARIFICATION]
    rules = [
        (Sla.DONE, Ticket.status.notin_(State.OPEN)),
        (Sla.PAUSED, Ticket.status == State.NEEDS_CLARIFICATION),
        (Sla.OVERDUE, and_(Ticket.status.in_(running), Ticket.due_on < today)),
        (Sla.DUE_SOON, and_(Ticket.status.in_(running), Ticket.due_on >= today,
                            Ticket.due_on <= horizon)),
        (Sla.ON_TIME, and_(Ticket.status.in_(running), Ticket.due_on > horizon)),
    ]
    changed = 0
    for state, where in rules:
        stmt = (update(Ticket).where(where, Ticket.sla_state != state)
                .values(sla_state=state).execution_options(synchronize_session=False))
        changed += db.session.execute(stmt).rowcount
    db.session.commit()
    return changed


def objection_deadline(request_ticket, cal=None):
    """The last day the requester may object: 30 working days after the grounds arose
    (the answer, or the missed deadline when there was none)."""
    cal = cal or workdays.calendar()
    arose = request_ticket.answered_on or request_ticket.due_on
    return cal.add_working_days(arose, setting("KIP_OBJECTION_WINDOW_DAYS"))
