"""The help desk's read side: the public register of answered requests, the legal request
register, the yearly information-service figures and the IKM survey figures.

Pure reads; the permission checks are in the actions (register_public, register_export,
yearly_report, ikm_summary). The public register is built from `PublicEntry` values, never
from tickets, so its templates cannot reach the requester's identity or message.
"""
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as SchemaError
from marshmallow import fields, validate, validates_schema
from sqlalchemy import and_, or_

from app.accounts.models import Organisation
from app.catalog.models import Access, Status
from app.catalog.search_analysis import stem_analyzer
from app.catalog.search_analysis import words as search_words
from app.core.audit import AuditLog
from app.core.schemas import Schema
from app.core.timeutil import JAKARTA, local_today
from app.extensions import db
from app.tickets import ikm
from app.tickets.models import Kind, State, SurveyResponse, Ticket
from app.workdays import calendar as workdays

PAGE_SIZE = 20
# Answered requests, also those under objection or whose objection was decided: their answer
# stands in the register (objection tickets themselves are never public).
PUBLIC_STATES = State.ANSWERED + (State.OBJECTION, State.OBJECTION_DECIDED)
PUBLIC_KINDS = tuple(k for k in Kind.ALL if k != Kind.OBJECTION)
IN_PROCESS = "in_process"  # an open request, in the yearly outcome table
PENDING = "pending"        # an objection not yet decided
YEARS = (2000, 2100)
MAX_IKM_DAYS = 3660        # ten years of quarters is already a long table


# ---------------------------------------------------------------- shared helpers

def utc_bounds(first, last):
    """Naive-UTC [start, end) of the Jakarta days first..last (inclusive), for DateTime
    columns such as SurveyResponse.submitted_at."""
    def utc(day):
        return datetime.combine(day, time.min, JAKARTA).astimezone(UTC).replace(tzinfo=None)
    return utc(first), utc(last + timedelta(days=1))


def local_date(utc_naive):
    return utc_naive.replace(tzinfo=UTC).astimezone(JAKARTA).date()


def days_taken(ticket, cal):
    """Working days the legal clock ran from receipt to answer (the waits for the requester
    left out); None while unanswered."""
    if ticket.answered_on is None or ticket.received_on is None:
        return None
    run = cal.working_days_between(ticket.received_on, ticket.answered_on)
    return max(0, run - (ticket.paused_days or 0))


def original_outcomes(ticket_ids):
    """{ticket id: the outcome it was answered with}, from the audit log, for requests whose
    status has since moved on to an objection."""
    if not ticket_ids:
        return {}
    rows = (AuditLog.query.filter(AuditLog.object_type == "ticket",
                                  AuditLog.action == "ticket.answered",
                                  AuditLog.object_id.in_([str(i) for i in ticket_ids]))
            .order_by(AuditLog.id).all())
    return {int(r.object_id): (r.after or {}).get("status") for r in rows}


def outcome_of(ticket, originals):
    """The outcome a request counts under: its answer, also when it went to objection."""
    if ticket.status in State.OPEN:
        return IN_PROCESS
    if ticket.status in (State.OBJECTION, State.OBJECTION_DECIDED):
        return originals.get(ticket.id) or ticket.status
    return ticket.status


OUTCOME_LABELS = {IN_PROCESS: _l("Masih diproses"), PENDING: _l("Belum diputus")}


def outcome_label(code):
    from app.tickets import labels
    return OUTCOME_LABELS.get(code) or labels.DECISION.get(code) or labels.status_label(code)


def year_range(year):
    return date(year, 1, 1), date(year, 12, 31)


# ---------------------------------------------------------------- the public register

@dataclass
class PublicEntry:
    """What the public may know of one answered request: no name, NIK, contact or message."""

    number: str
    kind: str
    received_on: date
    subject: str
    status: str
    answer: str
    answered_on: date
    days_taken: int | None
    datasets: list  # [(title, name)] of published, publicly listed datasets
    objection: str | None = None  # the objection state, when the answer went to objection


@dataclass
class PublicPage:
    items: list
    total: int
    page: int
    pages: int
    filters: dict
    years: list
    headline: object  # ikm.IkmResult of the last 12 months
    headline_period: tuple


def clean_public_filters(args):
    """Known filters with acceptable values; a bad value is dropped, not an error."""
    out = {}
    q = " ".join((args.get("q") or "").split())[:200]
    if q:
        out["q"] = q
    year = str(args.get("year") or args.get("tahun") or "").strip()
    if year.isdigit() and YEARS[0] <= int(year) <= YEARS[1]:
        out["year"] = int(year)
    outcome = (args.get("outcome") or "").strip()
    if outcome in PUBLIC_STATES:
        out["outcome"] = outcome
    kind = (args.get("kind") or "").strip()
    if kind in PUBLIC_KINDS:
        out["kind"] = kind
    return out


def _public_query():
    return Ticket.query.filter(Ticket.public.is_(True), Ticket.kind.in_(PUBLIC_KINDS),
                               Ticket.status.in_(PUBLIC_STATES), Ticket.answered_on.isnot(None))


def _filtered(filters):
    query = _public_query()
    if filters.get("year"):
        first, last = year_range(filters["year"])
        query = query.filter(Ticket.received_on >= first, Ticket.received_on <= last)
    if filters.get("outcome"):
        query = query.filter(Ticket.status == filters["outcome"])
    if filters.get("kind"):
        query = query.filter(Ticket.kind == filters["kind"])
    return query


def _number_like(q):
    return q.upper().startswith(tuple(p + "-" for p in Kind.PREFIX.values()))


def _text_match(q):
    """The condition of a search box query, or None when it has no searchable word.

    Only what the register shows (subject and answer) is searched, never Ticket.search_text:
    that also holds the requester's message, and a match there would tell a stranger what
    someone wrote (a name, a NIK). Each word matches as written or by its stem, so
    "persekolahan" finds "sekolah"; every word must match.
    """
    if _number_like(q):
        return Ticket.number == q.upper()
    analyzer = stem_analyzer()
    conditions = []
    for word in search_words(q):
        forms = {word} | {t.text for t in analyzer(word)}
        conditions.append(or_(*[column.icontains(form, autoescape=True)
                                for form in sorted(forms)
                                for column in (Ticket.subject, Ticket.answer)]))
    return and_(*conditions) if conditions else None


def public_listing(filters, page=1, today=None):
    today = today or local_today()
    query = _filtered(filters)
    match = _text_match(filters["q"]) if filters.get("q") else None
    if match is not None:
        query = query.filter(match)
    total = query.order_by(None).count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    tickets = (query.order_by(Ticket.answered_on.desc(), Ticket.id.desc())
               .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE).all())
    cal = workdays.calendar()
    originals = original_outcomes([t.id for t in tickets
                                   if t.status in (State.OBJECTION, State.OBJECTION_DECIDED)])
    start = _year_ago(today)
    return PublicPage(items=[public_entry(t, cal, originals) for t in tickets], total=total,
                      page=page, pages=pages, filters=filters, years=register_years(),
                      headline=ikm_between(start, today), headline_period=(start, today))


def public_entry(ticket, cal, originals=None):
    shown = [(ds.title, ds.name) for ds in ticket.datasets
             if ds.status == Status.PUBLISHED and ds.access in Access.PUBLIC_LISTED]
    objected = ticket.status in (State.OBJECTION, State.OBJECTION_DECIDED)
    return PublicEntry(number=ticket.number, kind=ticket.kind, received_on=ticket.received_on,
                       subject=ticket.subject, status=outcome_of(ticket, originals or {}),
                       answer=ticket.answer or "", answered_on=ticket.answered_on,
                       days_taken=days_taken(ticket, cal),
                       datasets=shown, objection=ticket.status if objected else None)


def register_years():
    """Years that have public entries, newest first (the year filter's choices)."""
    first, last = _public_query().with_entities(
        db.func.min(Ticket.received_on), db.func.max(Ticket.received_on)).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))


def _year_ago(today):
    """The first day of the 12 months ending today."""
    try:
        return today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + timedelta(days=1)


# ---------------------------------------------------------------- the legal register

@dataclass
class RegisterRow:
    """One line of the request register (DOMAIN.md "Required outputs")."""

    number: str
    received_on: date
    name: str
    contact: str
    information: str
    purpose: str
    decision: str
    reason: str
    answered_on: date | None


class RegisterExportInput(Schema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=YEARS[0], max=YEARS[1], error=_l("Tahun tidak valid.")))
    fmt = fields.String(required=True, validate=validate.OneOf(
        ("csv", "xlsx", "pdf"), error=_l("Format tidak dikenal.")))


class YearInput(Schema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=YEARS[0], max=YEARS[1], error=_l("Tahun tidak valid.")))


def legal_register(year):
    """Every data request received in `year`, oldest first."""
    from app.tickets import labels

    first, last = year_range(year)
    tickets = (Ticket.query.filter(Ticket.kind == Kind.DATA_REQUEST,
                                   Ticket.received_on >= first, Ticket.received_on <= last)
               .order_by(Ticket.received_on, Ticket.id).all())
    originals = original_outcomes([t.id for t in tickets
                                   if t.status in (State.OBJECTION, State.OBJECTION_DECIDED)])
    rows = []
    for t in tickets:
        outcome = outcome_of(t, originals)
        decision = str(outcome_label(outcome))
        if t.status in (State.OBJECTION, State.OBJECTION_DECIDED):
            decision = f"{decision} ({labels.status_label(t.status)})"
        rows.append(RegisterRow(
            number=t.number, received_on=t.received_on, name=t.requester_name or "",
            contact="; ".join(c for c in (t.email, t.phone) if c),
            information=f"{t.subject}\n{t.body}" if t.body else t.subject,
            purpose=t.purpose or "", decision=decision, reason=_reason(t),
            answered_on=t.answered_on))
    return rows


def _reason(ticket):
    from app.tickets import labels

    if ticket.exemption:
        return str(labels.label("exemption", ticket.exemption))
    if ticket.redirect_agency:
        return str(_l("Informasi dikuasai oleh: %(agency)s", agency=ticket.redirect_agency))
    return ""


# ---------------------------------------------------------------- the yearly report

@dataclass
class YearlyFigures:
    year: int
    total: int                        # every ticket received in the year
    by_kind: list                     # [(kind, n)]
    requests: int                     # data requests received
    by_channel: list                  # [(channel, n)] of data requests
    by_outcome: list                  # [(outcome code, n)] of data requests
    answered: int
    on_time: int
    on_time_rate: float | None        # percent of answered requests, 1 decimal
    median_days: float | None
    mean_days: float | None
    max_days: int | None
    extensions: int
    objections: int
    objection_decisions: list         # [(decision code or PENDING, n)]
    objection_grounds: list           # [(ground, n)]
    objections_on_time: int
    by_month: list                    # [(month 1-12, received, answered)]
    ikm: object                       # ikm.IkmResult of the year's survey


def yearly_figures(year):
    first, last = year_range(year)
    tickets = (Ticket.query.filter(Ticket.received_on >= first, Ticket.received_on <= last)
               .order_by(Ticket.id).all())
    requests = [t for t in tickets if t.kind == Kind.DATA_REQUEST]
    objections = [t for t in tickets if t.kind == Kind.OBJECTION]
    originals = original_outcomes([t.id for t in requests
                                   if t.status in (State.OBJECTION, State.OBJECTION_DECIDED)])
    answered = [t for t in requests if t.answered_on is not None]
    cal = workdays.calendar()
    taken = [days_taken(t, cal) for t in answered]
    on_time = sum(1 for t in answered if t.answered_on <= t.due_on)
    answered_by_month = Counter(t.answered_on.month for t in answered
                                if first <= t.answered_on <= last)
    received_by_month = Counter(t.received_on.month for t in requests)
    return YearlyFigures(
        year=year, total=len(tickets),
        by_kind=_ordered(Counter(t.kind for t in tickets), Kind.ALL),
        requests=len(requests),
        by_channel=_ordered(Counter(t.channel for t in requests), None),
        by_outcome=_ordered(Counter(outcome_of(t, originals) for t in requests),
                            State.REQUEST_OUTCOMES + (State.WITHDRAWN, State.MERGED,
                                                      IN_PROCESS)),
        answered=len(answered), on_time=on_time,
        on_time_rate=round(100 * on_time / len(answered), 1) if answered else None,
        median_days=float(statistics.median(taken)) if taken else None,
        mean_days=round(statistics.fmean(taken), 1) if taken else None,
        max_days=max(taken) if taken else None,
        extensions=sum(1 for t in requests if t.extended_at is not None),
        objections=len(objections),
        objection_decisions=_ordered(Counter(t.decision or PENDING for t in objections),
                                     ("upheld", "dismissed", PENDING)),
        objection_grounds=_ordered(Counter(g for t in objections
                                           for g in (t.objection_grounds or [])), None),
        objections_on_time=sum(1 for t in objections
                               if t.answered_on is not None and t.answered_on <= t.due_on),
        by_month=[(m, received_by_month.get(m, 0), answered_by_month.get(m, 0))
                  for m in range(1, 13)],
        ikm=ikm_between(first, last))


def _ordered(counter, order):
    """[(code, n)] in the given order (codes not in it after, by count); zeros left out."""
    order = list(order or ())
    known = [(code, counter[code]) for code in order if counter.get(code)]
    rest = sorted(((c, n) for c, n in counter.items() if c not in order and n),
                  key=lambda row: (-row[1], str(row[0])))
    return known + rest


# ---------------------------------------------------------------- IKM figures

@dataclass
class IkmSummary:
    start: date
    end: date
    organisation: Organisation | None
    overall: object          # ikm.IkmResult
    by_unit: list            # [(organisation or None, IkmResult)]
    by_quarter: list         # [(label, first day, last day, IkmResult)]


class IkmPeriod(Schema):
    dari = fields.Date(required=True)
    sampai = fields.Date(required=True)
    unit = fields.Integer(load_default=None, allow_none=True, strict=False)

    @validates_schema
    def _order(self, data, **kwargs):
        if data["dari"] > data["sampai"]:
            raise SchemaError({"sampai": [_l("Tanggal akhir tidak boleh sebelum tanggal awal.")]})
        if (data["sampai"] - data["dari"]).days > MAX_IKM_DAYS:
            raise SchemaError({"dari": [_l("Periode paling panjang 10 tahun.")]})


def _responses(first, last, organisation_id=None):
    lo, hi = utc_bounds(first, last)
    query = SurveyResponse.query.filter(SurveyResponse.submitted_at >= lo,
                                        SurveyResponse.submitted_at < hi)
    if organisation_id is not None:
        query = query.filter(SurveyResponse.organisation_id == organisation_id)
    return query.order_by(SurveyResponse.id).all()


def ikm_between(first, last, organisation_id=None):
    """IKM of the responses submitted on the Jakarta days first..last (inclusive)."""
    return ikm.compute(_responses(first, last, organisation_id))


QUARTERS = ("I", "II", "III", "IV")


def quarters(first, last):
    """[(label, first day, last day)] of the calendar quarters overlapping first..last,
    clipped to it."""
    out = []
    year, q = first.year, (first.month - 1) // 3
    while True:
        q_first = date(year, 3 * q + 1, 1)
        q_last = (date(year + 1, 1, 1) if q == 3 else date(year, 3 * q + 4, 1)) \
            - timedelta(days=1)
        if q_first > last:
            return out
        out.append((str(_l("Triwulan %(q)s %(year)s", q=QUARTERS[q], year=year)),
                    max(q_first, first), min(q_last, last)))
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)


def ikm_summary(first, last, organisation=None):
    rows = _responses(first, last)
    org_id = organisation.id if organisation else None
    mine = [r for r in rows if org_id is None or r.organisation_id == org_id]
    by_org = defaultdict(list)
    for r in rows:
        by_org[r.organisation_id].append(r)
    orgs = {o.id: o for o in Organisation.query.filter(
        Organisation.id.in_([i for i in by_org if i is not None] or [-1])).all()}
    units = sorted(((orgs.get(i), ikm.compute(rs)) for i, rs in by_org.items()),
                   key=lambda row: (row[0] is None, row[0].title if row[0] else ""))
    by_day = defaultdict(list)
    for r in mine:
        by_day[local_date(r.submitted_at)].append(r)
    per_quarter = []
    for label, q_first, q_last in quarters(first, last):
        q_rows = [r for day, rs in by_day.items() if q_first <= day <= q_last for r in rs]
        per_quarter.append((label, q_first, q_last, ikm.compute(q_rows)))
    return IkmSummary(start=first, end=last, organisation=organisation,
                      overall=ikm.compute(mine), by_unit=units, by_quarter=per_quarter)


def survey_units():
    """Organisations that have survey responses (the unit filter's choices)."""
    ids = db.session.query(SurveyResponse.organisation_id).distinct().all()
    return (Organisation.query.filter(Organisation.id.in_([i for (i,) in ids if i] or [-1]))
            .order_by(Organisation.title).all())
