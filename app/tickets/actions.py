"""Help-desk use-cases. Every front end (web, API, bot, CLI, scheduler) calls these.

Each action: load the ticket, check its rule in auth.py, validate the input, change state,
write the audit row and the outbox messages in the same transaction, commit.
The ticket lifecycle (ARCHITECTURE.md) is enforced here: an illegal transition raises
InvalidTransition and changes nothing.
"""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.accounts.models import Organisation, User
from app.catalog import actions as catalog
from app.catalog.models import Access
from app.catalog.search_analysis import stem_analyzer
from app.core import audit, outbox
from app.core.actor import SYSTEM, check
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.schemas import load
from app.core.storage import TooLarge
from app.core.storage import from_app as storage
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.tickets import attachments, auth, identity, sla
from app.tickets.models import (
    Approval,
    CannedReply,
    Channel,
    Kind,
    MessageKind,
    Sla,
    State,
    SurveyResponse,
    Ticket,
    TicketAttachment,
    TicketCounter,
    TicketMessage,
)
from app.tickets.schemas import (
    Answer,
    ApprovalAsk,
    ApprovalDecide,
    CannedReplyInput,
    Clarify,
    Extend,
    MessageBody,
    ObjectionDecide,
    ObjectionFile,
    RequestSubmit,
    TicketUpdate,
)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
DUPLICATE_WINDOW = timedelta(days=1)
MIN_RETENTION_DAYS = 90
_analyzer = None


# ---------------------------------------------------------------- loading

def get_ticket(actor, ref):
    """A ticket by number or id that the actor may see. Raises NotFound for anyone else, so
    a guessed number says nothing about whose it is."""
    ticket = _find(ref)
    if ticket is None or not auth.ticket_read(actor, ticket):
        raise NotFound(_l("Tiket tidak ditemukan."))
    return ticket


def _find(ref):
    if isinstance(ref, Ticket):
        return ref
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return db.session.get(Ticket, int(ref))
    return Ticket.query.filter_by(number=str(ref or "").strip().upper()).first()


def ticket_status_public(number, check_code):
    """What anyone holding the receipt (number and check code) may see, without logging in.

    :raises NotFound (also for a wrong code: the two are told apart by no one)
    """
    ticket = _find(str(number or ""))
    code = str(check_code or "").strip().upper()
    if ticket is None or not secrets.compare_digest(ticket.check_code.encode(), code.encode()):
        raise NotFound(_l("Nomor registrasi atau kode cek tidak cocok."))
    return ticket


def visible_messages(actor, ticket):
    if auth.ticket_internal_read(actor, ticket):
        return list(ticket.messages)
    return [m for m in ticket.messages if m.kind in MessageKind.PUBLIC]


def visible_attachments(actor, ticket):
    """Public files for the requester and staff; internal ones for staff; identity documents
    only for the requester and the help desk's readers (not the custodian deciding on data)."""
    def allowed(att):
        if att.visibility == "public":
            return True
        if att.visibility == "identity":
            return auth.is_requester(actor, ticket) or auth.is_reader(actor)
        return auth.ticket_internal_read(actor, ticket)
    return [a for a in ticket.attachments if allowed(a)]


def attachment_open(actor, attachment_id):
    """The file of an attachment the actor may see. :raises NotFound"""
    att = db.session.get(TicketAttachment, int(attachment_id))
    if att is None or att.id not in {a.id for a in visible_attachments(
            actor, get_ticket(actor, att.ticket_id))}:
        raise NotFound(_l("Lampiran tidak ditemukan."))
    return att, storage().open(att.storage_key)


def ticket_history(actor, ticket):
    """The audit trail of a ticket; requesters see the public steps only."""
    rows = audit.history("ticket", ticket.id)
    if auth.ticket_internal_read(actor, ticket):
        return rows
    return [r for r in rows if r.action in PUBLIC_STEPS]


PUBLIC_STEPS = {
    "ticket.submitted", "ticket.clarification_requested", "ticket.requester_replied",
    "ticket.extended", "ticket.approval_requested", "ticket.approval_decided",
    "ticket.answered", "ticket.withdrawn", "ticket.objection_filed", "ticket.objection_decided",
    "ticket.merged", "ticket.resumed",
}


def ticket_queue(actor, queue="open", filters=None, page=1, sort="due"):
    """One page of a staff queue with the counts of every queue. :raises NotAuthorized"""
    from app.tickets import queues
    check(auth.ticket_queue(actor))
    if not auth.is_reader(actor):  # the custodian works only its approvals queue
        queue = "approval"
    return queues.listing(actor, queue, filters or {}, page=page, sort=sort)


def my_tickets(actor):
    """The requester's own tickets. :raises NotAuthorized"""
    from app.tickets import queues
    check(actor.is_authenticated and not getattr(actor, "is_system", False))
    return queues.mine(actor)


# ---------------------------------------------------------------- helpers

def _today():
    return local_today()


def _search_text(*parts):
    global _analyzer
    _analyzer = _analyzer or stem_analyzer()
    words = {t.text for part in parts if part for t in _analyzer(part)}
    return " ".join(sorted(words))


def _next_number(kind, year):
    prefix = Kind.PREFIX[kind]
    counter = db.session.get(TicketCounter, (prefix, year), with_for_update=True)
    if counter is None:
        counter = TicketCounter(prefix=prefix, year=year, last=0)
        db.session.add(counter)
    counter.last += 1
    return f"{prefix}-{year}-{counter.last:06d}"


def _check_code():
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def _require(ticket, allowed, action_label):
    if ticket.status not in allowed:
        raise InvalidTransition(_l("Tiket berstatus %(status)s tidak dapat %(action)s.",
                                   status=status_label(ticket.status), action=action_label))


def _set_status(actor, ticket, to, action, note=None, **after):
    before = {"status": ticket.status}
    ticket.status = to
    if to in State.CLOSED and ticket.closed_at is None:
        ticket.closed_at = utcnow()
    sla.refresh(ticket, _today())
    audit.record(actor, action, ticket, before=before, after={"status": to, **after}, note=note)


def _author(actor):
    return getattr(actor, "name", None) or getattr(actor, "email", None) or "Sistem"


def _message(actor, ticket, kind, body, channel=None, external_id=None):
    msg = TicketMessage(ticket=ticket, kind=kind, body=body, channel=channel,
                        author_id=getattr(actor, "id", None), author_label=_author(actor),
                        external_id=external_id)
    db.session.add(msg)
    return msg


def notify(ticket, event, **extra):
    """Tell the requester (and staff, for some events) through the outbox."""
    key = f"tickets.notify:{ticket.id}:{event}:{secrets.token_hex(6)}"
    outbox.enqueue("tickets.notify", key=key, ticket_id=ticket.id, event=event, **extra)


def _max_attachment_bytes():
    return int(current_app.config.get("TICKET_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def _store_files(files, visibility="public"):
    """Store uploads atomically and check each one's real type; all or nothing.

    `files` is a list of (filename, binary stream). Returns unsaved TicketAttachment rows.
    """
    store, rows = storage(), []
    limit = _max_attachment_bytes()
    try:
        for filename, stream in files or ():
            if not filename:
                continue
            try:
                stored = store.save(stream, max_bytes=limit)
            except TooLarge as exc:
                raise ValidationError({"file": [_l(
                    "Berkas %(name)s terlalu besar (maksimal %(mb)s MB).",
                    name=attachments.safe_filename(filename), mb=limit // (1024 * 1024))]}) from exc
            rows.append(TicketAttachment(storage_key=stored.key, sha256=stored.sha256,
                                         size=stored.size, filename=filename,
                                         media_type="", visibility=visibility))
            with store.open(stored.key) as fh:
                head = fh.read(65536)
            media_type, _ext = attachments.check_upload(filename, head, stored.size, limit)
            rows[-1].media_type = media_type
            rows[-1].filename = attachments.safe_filename(filename)
    except Exception:
        for row in rows:
            store.delete(row.storage_key)
        raise
    return rows


def _attach(actor, ticket, rows, message=None):
    for row in rows:
        row.ticket, row.message = ticket, message
        row.uploaded_by_id = getattr(actor, "id", None)
        db.session.add(row)


def _commit_or_discard(rows):
    """Commit; if the database refuses, the stored files of this change go too."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for row in rows:
            storage().delete(row.storage_key)
        raise


# ---------------------------------------------------------------- filing

def request_submit(actor, data, files=(), identity_files=()):
    """Register a request (or question, complaint, report, suggestion) and start its clock.

    Returns the ticket; the same submission_key (a double click, a retried bot update)
    returns the ticket already registered instead of a second one.

    :raises NotAuthorized, ValidationError
    """
    check(auth.request_submit(actor))
    clean = load(RequestSubmit, data)
    if clean["submission_key"]:
        existing = Ticket.query.filter_by(submission_key=clean["submission_key"]).first()
        if existing is not None and auth.ticket_read(actor, existing):
            return existing
        if existing is not None:  # someone else's key: never theirs to see, never a 500
            raise ValidationError({"_": [_l("Formulir ini kedaluwarsa. Muat ulang halaman "
                                            "dan kirim sekali lagi.")]})
    staff_entered = clean["channel"] in Channel.STAFF_ENTERED
    if staff_entered and not auth.is_handler(actor):
        raise ValidationError({"channel": [_l("Saluran ini hanya untuk petugas.")]})
    requester = None if staff_entered or actor.is_anonymous or getattr(actor, "is_system",
                                                                        False) else actor
    nik = _identity(clean, identity_files)
    _refuse_duplicate(requester, clean)
    datasets = _datasets(actor, clean["dataset_ids"])
    rows = _store_files(files)
    try:
        rows += _store_files(identity_files, visibility="identity")
    except Exception:
        # A refused identity document must not leave the attachments stored before it.
        for row in rows:
            storage().delete(row.storage_key)
        raise
    ticket = _new_ticket(clean, requester, nik, datasets)
    db.session.add(ticket)
    _attach(actor, ticket, rows)
    audit.record(actor, "ticket.submitted", ticket,
                 after={"number": ticket.number, "kind": ticket.kind, "channel": ticket.channel,
                        "due_on": ticket.due_on.isoformat()})
    notify(ticket, "received")
    _commit_or_discard(rows)
    return ticket


def _identity(clean, identity_files):
    if clean["kind"] != Kind.DATA_REQUEST and not clean.get("nik"):
        return None
    if clean["identity_kind"] == "badan":
        if not identity_files:
            raise ValidationError({"identity_file": [_l(
                "Lampirkan dokumen badan hukum (akta pendirian atau SK pengesahan).")]})
        return None
    nik = identity.normalise_nik(clean["nik"] or "")
    errors = identity.nik_errors(nik)
    if errors:
        raise ValidationError({"nik": errors})
    return nik


def _refuse_duplicate(requester, clean):
    """The same person asking the same thing again while the first is open is a mistake."""
    if requester is None:
        return
    same = (Ticket.query.filter(
        Ticket.requester_id == requester.id, Ticket.status.in_(State.OPEN),
        Ticket.subject == clean["subject"], Ticket.body == clean["body"],
        Ticket.received_at >= utcnow() - DUPLICATE_WINDOW).first())
    if same is not None:
        raise ValidationError({"_": [_l(
            "Permohonan yang sama sudah terdaftar dengan nomor %(number)s. Pantau statusnya "
            "di halaman Permohonan saya.", number=same.number)]})


def _datasets(actor, ids):
    found = []
    for ref in ids or ():
        found.append(catalog.get_dataset(actor, ref))
    return found


def _new_ticket(clean, requester, nik, datasets):
    today = _today()
    ticket = Ticket(
        number=_next_number(clean["kind"], today.year), check_code=_check_code(),
        kind=clean["kind"], channel=clean["channel"], subject=clean["subject"],
        body=clean["body"], purpose=clean["purpose"], format=clean["format"],
        delivery=clean["delivery"], requester=requester,
        requester_name=clean["requester_name"], identity_kind=clean["identity_kind"],
        address=clean["address"], phone=clean["phone"], email=clean["email"],
        telegram_chat_id=clean["telegram_chat_id"], consent_at=utcnow(),
        submission_key=clean["submission_key"], received_at=utcnow(), received_on=today,
        due_on=sla.first_due(clean["kind"], today), status=State.RECEIVED, tags=[],
        search_text=_search_text(clean["subject"], clean["body"]),
        # Complaints are about people and conduct: kept out of the public register unless
        # staff decide otherwise.
        public=clean["kind"] != Kind.COMPLAINT,
        organisation_id=_team_for(datasets), datasets=datasets)
    if nik:
        ticket.nik_encrypted = identity.encrypt(nik)
        ticket.nik_masked = identity.mask_nik(nik)
    sla.refresh(ticket, today)
    return ticket


def _team_for(datasets):
    """The producer's team when it staffs a help desk, else the custodian's."""
    from app.tickets import queues
    for ds in datasets:
        if queues.team_members(ds.organisation_id):
            return ds.organisation_id
    custodian = Organisation.query.filter_by(is_custodian=True).order_by(Organisation.id).first()
    return custodian.id if custodian else None


# ---------------------------------------------------------------- the requester's side

def requester_reply(actor, ref, data, files=(), external_id=None, channel=Channel.WEB):
    """The requester writes to their ticket; an answer to a clarification restarts the clock.

    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    ticket = get_ticket(actor, ref)
    check(auth.requester_reply(actor, ticket))
    if external_id and TicketMessage.query.filter_by(external_id=external_id).first():
        return ticket  # the same bot update delivered twice
    _require(ticket, State.OPEN, _l("dibalas"))
    clean = load(MessageBody, data)
    rows = _store_files(files)
    msg = _message(actor, ticket, MessageKind.REQUESTER, clean["body"], channel, external_id)
    _attach(actor, ticket, rows, msg)
    audit.record(actor, "ticket.requester_replied", ticket)
    if ticket.status == State.NEEDS_CLARIFICATION:
        _resume(actor, ticket)
    notify(ticket, "requester_replied")
    _commit_or_discard(rows)
    return ticket


def _resume(actor, ticket):
    waited = sla.resume(ticket, _today())
    back = State.EXTENDED if ticket.extended_at else State.IN_PROGRESS
    _set_status(actor, ticket, back, "ticket.resumed", due_on=ticket.due_on.isoformat(),
                paused_working_days=waited)


def ticket_withdraw(actor, ref, reason=""):
    """:raises NotFound, NotAuthorized, InvalidTransition"""
    ticket = get_ticket(actor, ref)
    check(auth.ticket_withdraw(actor, ticket))
    _require(ticket, State.OPEN, _l("dibatalkan"))
    ticket.paused_on = None
    _set_status(actor, ticket, State.WITHDRAWN, "ticket.withdrawn", note=reason or None)
    db.session.commit()
    return ticket


def objection_window(ticket, today=None):
    """(may object now?, last day) for a data request."""
    if ticket.kind != Kind.DATA_REQUEST:
        return False, None
    today = today or _today()
    last = sla.objection_deadline(ticket)
    answered = ticket.status in State.REQUEST_OUTCOMES
    # Not answered in time: overdue, not merely past a due date frozen while it waits for
    # the requester (the clock is paused then).
    late = sla.state_of(ticket, today) == Sla.OVERDUE
    return (answered or late) and today <= last, last


def objection_file(actor, ref, data):
    """Object to the PPID's superior (UU KIP Pasal 35-36). Creates a linked objection ticket.

    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    request = get_ticket(actor, ref)
    check(auth.objection_file(actor, request))
    allowed, last = objection_window(request)
    if not allowed:
        raise InvalidTransition(_l(
            "Keberatan hanya dapat diajukan atas permohonan yang sudah dijawab atau melewati "
            "tenggat, paling lambat 30 hari kerja sesudahnya."))
    if Ticket.query.filter_by(related_id=request.id, kind=Kind.OBJECTION).first():
        raise InvalidTransition(_l("Keberatan atas permohonan ini sudah diajukan."))
    clean = load(ObjectionFile, data)
    today = _today()
    objection = Ticket(
        number=_next_number(Kind.OBJECTION, today.year), check_code=_check_code(),
        kind=Kind.OBJECTION, channel=request.channel, status=State.RECEIVED,
        subject=str(_l("Keberatan atas %(number)s", number=request.number)),
        body=clean["body"], objection_grounds=clean["grounds"], related=request,
        requester_id=request.requester_id, requester_name=request.requester_name,
        email=request.email, phone=request.phone, telegram_chat_id=request.telegram_chat_id,
        consent_at=request.consent_at, received_at=utcnow(), received_on=today,
        due_on=sla.first_due(Kind.OBJECTION, today), tags=[], public=False,
        organisation_id=request.organisation_id, search_text="")
    sla.refresh(objection, today)
    db.session.add(objection)
    _set_status(actor, request, State.OBJECTION, "ticket.objection_filed",
                objection=objection.number, grounds=clean["grounds"])
    audit.record(actor, "ticket.submitted", objection,
                 after={"number": objection.number, "kind": Kind.OBJECTION,
                        "request": request.number, "due_on": objection.due_on.isoformat()})
    notify(objection, "received")
    db.session.commit()
    return objection


def survey_check(actor, ref):
    """The ticket, when the actor may rate it now: survey_submit's checks without the answers,
    so a front end asking the nine questions one at a time refuses before the first.

    :raises NotFound, NotAuthorized, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.survey_submit(actor, ticket))
    if ticket.status not in State.ANSWERED + (State.OBJECTION_DECIDED,):
        raise InvalidTransition(_l("Survei dapat diisi setelah permohonan dijawab."))
    if ticket.survey is not None:
        raise InvalidTransition(_l("Survei untuk tiket ini sudah diisi. Terima kasih."))
    return ticket


def survey_submit(actor, ref, data, channel=Channel.WEB):
    """The nine-element IKM survey, once per closed ticket.

    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    from app.tickets import ikm
    ticket = survey_check(actor, ref)
    clean = ikm.validate_answers(data)
    ticket.survey = SurveyResponse(organisation_id=ticket.organisation_id, channel=channel,
                                   **clean)
    audit.record(actor, "ticket.survey_submitted", ticket)
    db.session.commit()
    return ticket.survey


# ---------------------------------------------------------------- staff: handling

def ticket_assign(actor, ref, assignee_id=None):
    """Assign to a handler (None: the next one of the ticket's team, round-robin).
    A received ticket that gets an assignee is in progress.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    from app.tickets import queues
    ticket = get_ticket(actor, ref)
    check(auth.ticket_assign(actor, ticket))
    _require(ticket, State.OPEN, _l("ditugaskan"))
    if assignee_id in (None, ""):
        assignee = queues.next_in_rotation(ticket.organisation_id)
        if assignee is None:
            raise ValidationError({"assignee_id": [_l(
                "Tim ini belum punya petugas layanan untuk dibagi bergiliran.")]})
    else:
        assignee = (db.session.get(User, int(assignee_id))
                    if str(assignee_id).isdigit() else None)  # a tampered form field
        if assignee is None or not assignee.active or not auth.is_handler(assignee):
            raise ValidationError({"assignee_id": [_l("Petugas tidak ditemukan.")]})
    before = {"assignee": ticket.assignee.email if ticket.assignee else None}
    ticket.assignee, ticket.assigned_at = assignee, utcnow()
    audit.record(actor, "ticket.assigned", ticket, before=before,
                 after={"assignee": assignee.email})
    if ticket.status == State.RECEIVED:
        _set_status(actor, ticket, State.IN_PROGRESS, "ticket.started")
    if assignee.id != getattr(actor, "id", None):
        notify(ticket, "assigned", user_id=assignee.id)
    db.session.commit()
    return ticket


def ticket_start(actor, ref):
    """:raises NotFound, NotAuthorized, InvalidTransition"""
    ticket = get_ticket(actor, ref)
    check(auth.ticket_handle(actor, ticket))
    _require(ticket, (State.RECEIVED,), _l("mulai diproses"))
    _set_status(actor, ticket, State.IN_PROGRESS, "ticket.started")
    db.session.commit()
    return ticket


def ticket_update(actor, ref, data):
    """Priority, tags, team, and whether the answer may appear in the public register.

    :raises NotFound, NotAuthorized, ValidationError
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_update(actor, ticket))
    clean = load(TicketUpdate, data)
    if clean.get("organisation_id") is not None and \
            db.session.get(Organisation, clean["organisation_id"]) is None:
        raise ValidationError({"organisation_id": [_l("Organisasi tidak ditemukan.")]})
    if "tags" in clean:
        clean["tags"] = sorted({t.strip().lower() for t in clean["tags"] if t.strip()})
    before = {k: getattr(ticket, k) for k in clean}
    for key, value in clean.items():
        setattr(ticket, key, value)
    old, new = audit.diff(before, clean)
    if new:
        audit.record(actor, "ticket.updated", ticket, before=old, after=new)
    db.session.commit()
    return ticket


def ticket_note(actor, ref, data, files=()):
    """An internal note, never shown to the requester. :raises NotFound, NotAuthorized,
    ValidationError"""
    ticket = get_ticket(actor, ref)
    check(auth.ticket_note(actor, ticket))
    clean = load(MessageBody, data)
    rows = _store_files(files, visibility="internal")
    msg = _message(actor, ticket, MessageKind.NOTE, clean["body"])
    _attach(actor, ticket, rows, msg)
    audit.record(actor, "ticket.note_added", ticket)
    _commit_or_discard(rows)
    return msg


def ticket_reply(actor, ref, data, files=()):
    """A public reply that does not change the state (e.g. 'we are working on it').

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_reply(actor, ticket))
    _require(ticket, State.OPEN, _l("dibalas"))
    clean = load(MessageBody, data)
    rows = _store_files(files)
    msg = _message(actor, ticket, MessageKind.REPLY, clean["body"])
    _attach(actor, ticket, rows, msg)
    audit.record(actor, "ticket.replied", ticket)
    notify(ticket, "replied", message_id=None)
    _commit_or_discard(rows)
    return msg


def ticket_clarify(actor, ref, data):
    """Ask the requester for clarification; the legal clock pauses until they answer.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_clarify(actor, ticket))
    _require(ticket, (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED),
             _l("meminta klarifikasi"))
    clean = load(Clarify, data)
    _message(actor, ticket, MessageKind.REPLY, clean["body"])
    sla.pause(ticket, _today())
    _set_status(actor, ticket, State.NEEDS_CLARIFICATION, "ticket.clarification_requested",
                note=clean["body"])
    notify(ticket, "clarification")
    db.session.commit()
    return ticket


def ticket_resume(actor, ref):
    """Staff restart the clock themselves (e.g. the requester answered by phone).

    :raises NotFound, NotAuthorized, InvalidTransition"""
    ticket = get_ticket(actor, ref)
    check(auth.ticket_handle(actor, ticket))
    _require(ticket, (State.NEEDS_CLARIFICATION,), _l("dilanjutkan"))
    _resume(actor, ticket)
    db.session.commit()
    return ticket


def ticket_extend(actor, ref, data):
    """The one extension the law allows (at most 7 working days), with a written reason.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_extend(actor, ticket))
    _require(ticket, (State.RECEIVED, State.IN_PROGRESS, State.AWAITING_APPROVAL),
             _l("diperpanjang"))
    if ticket.extended_at is not None:
        raise InvalidTransition(_l("Jangka waktu hanya dapat diperpanjang satu kali."))
    if ticket.kind == Kind.OBJECTION:  # Pasal 36 (2): 30 working days, no extension
        raise InvalidTransition(_l("Jangka waktu keberatan tidak dapat diperpanjang."))
    clean = load(Extend, data)
    limit = sla.setting("KIP_EXTENSION_MAX_DAYS")
    if clean["days"] > limit:
        raise ValidationError({"days": [_l("Perpanjangan paling lama %(n)s hari kerja.",
                                           n=limit)]})
    from app.workdays import calendar as workdays
    old_due = ticket.due_on
    ticket.due_on = workdays.calendar().add_working_days(ticket.due_on, clean["days"])
    ticket.extended_at, ticket.extension_days = utcnow(), clean["days"]
    ticket.extension_reason = clean["reason"]
    _message(actor, ticket, MessageKind.REPLY, clean["reason"])
    status = State.EXTENDED if ticket.status != State.AWAITING_APPROVAL else ticket.status
    _set_status(actor, ticket, status, "ticket.extended", note=clean["reason"],
                due_on=ticket.due_on.isoformat(), previous_due_on=old_due.isoformat())
    notify(ticket, "extended")
    db.session.commit()
    return ticket


def ticket_link_dataset(actor, ref, dataset_ref, unlink=False):
    """:raises NotFound, NotAuthorized"""
    ticket = get_ticket(actor, ref)
    check(auth.ticket_link_dataset(actor, ticket))
    dataset = catalog.get_dataset(actor, dataset_ref)
    if unlink and dataset in ticket.datasets:
        ticket.datasets.remove(dataset)
    elif not unlink and dataset not in ticket.datasets:
        ticket.datasets.append(dataset)
    audit.record(actor, "ticket.dataset_unlinked" if unlink else "ticket.dataset_linked",
                 ticket, after={"dataset": dataset.name})
    db.session.commit()
    return ticket


def ticket_merge(actor, ref, into_ref):
    """Close a duplicate into another open ticket of the same requester's matter.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_merge(actor, ticket))
    target = get_ticket(actor, into_ref)
    if target.id == ticket.id:
        raise ValidationError({"into": [_l("Tiket tidak dapat digabung ke dirinya sendiri.")]})
    _require(ticket, State.OPEN, _l("digabung"))
    _require(target, State.OPEN, _l("menerima gabungan"))
    if ticket.requester_id != target.requester_id:
        # The requester must be able to follow the ticket that will hold their answer.
        raise ValidationError({"into": [_l(
            "Hanya tiket dari pemohon yang sama yang dapat digabung.")]})
    ticket.merged_into = target
    for ds in ticket.datasets:
        if ds not in target.datasets:
            target.datasets.append(ds)
    _message(actor, ticket, MessageKind.SYSTEM,
             str(_l("Digabung ke tiket %(number)s; jawabannya diberikan di sana.",
                    number=target.number)))
    _set_status(actor, ticket, State.MERGED, "ticket.merged", into=target.number)
    notify(ticket, "merged")
    db.session.commit()
    return target


# ---------------------------------------------------------------- approval of restricted data

def approval_request(actor, ref, data):
    """Put a request for restricted (terbatas) data to the custodian.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.approval_request(actor, ticket))
    _require(ticket, (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED),
             _l("diajukan ke walidata"))
    clean = load(ApprovalAsk, data)
    dataset = None
    if clean["dataset_id"]:
        dataset = catalog.get_dataset(actor, clean["dataset_id"])
        if dataset not in ticket.datasets:
            ticket.datasets.append(dataset)
    db.session.add(Approval(ticket=ticket, dataset=dataset, note=clean["note"],
                            asked_by_id=getattr(actor, "id", None)))
    _set_status(actor, ticket, State.AWAITING_APPROVAL, "ticket.approval_requested",
                dataset=dataset.name if dataset else None)
    notify(ticket, "approval_requested")
    db.session.commit()
    return ticket


def approval_decide(actor, ref, data):
    """The custodian approves (the requester may be put on the dataset's access list) or
    refuses citing a UU KIP Pasal 17 exemption, which answers the request as refused.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.approval_decide(actor, ticket))
    _require(ticket, (State.AWAITING_APPROVAL,), _l("diputuskan walidata"))
    clean = load(ApprovalDecide, data)
    approval = next(a for a in ticket.approvals if a.decision is None)
    approval.decision, approval.reason = clean["decision"], clean["reason"]
    approval.exemption = clean["exemption"]
    approval.decided_by_id, approval.decided_at = getattr(actor, "id", None), utcnow()
    if clean["decision"] == "refused":
        # The custodian's decision is a step of its own in the history, before the answer.
        audit.record(actor, "ticket.approval_decided", ticket,
                     after={"decision": "refused", "exemption": clean["exemption"]})
        _close_answered(actor, ticket, State.REJECTED, clean["reason"],
                        exemption=clean["exemption"])
    else:
        approval.grant_access = bool(clean["grant_access"])
        if approval.grant_access:
            _grant(actor, ticket, approval.dataset)
        back = State.EXTENDED if ticket.extended_at else State.IN_PROGRESS
        _set_status(actor, ticket, back, "ticket.approval_decided", decision="approved",
                    access_granted=approval.grant_access)
        notify(ticket, "approved")
    db.session.commit()
    return ticket


def _grant(actor, ticket, dataset):
    if dataset is None or dataset.access != Access.TERBATAS:
        raise ValidationError({"grant_access": [_l(
            "Akses hanya dapat diberikan untuk dataset terbatas yang ditautkan.")]})
    if ticket.requester is None:
        raise ValidationError({"grant_access": [_l(
            "Pemohon tidak punya akun; kirimkan berkasnya sebagai lampiran jawaban.")]})
    catalog.grant_access(actor, dataset, ticket.requester,
                         str(_l("Permohonan %(number)s", number=ticket.number)))


# ---------------------------------------------------------------- answering

def ticket_answer(actor, ref, data, files=()):
    """Answer and close: fulfilled, partially fulfilled, refused (citing an exemption), not
    held (naming the agency that holds it), or resolved for non-request tickets.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    ticket = get_ticket(actor, ref)
    check(auth.ticket_answer(actor, ticket))
    _require(ticket, (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED), _l("dijawab"))
    if ticket.kind == Kind.OBJECTION:  # the PPID's superior decides it: objection_decide
        raise InvalidTransition(_l("Keberatan diputuskan oleh atasan PPID."))
    clean = load(Answer, data)
    outcome = clean["outcome"]
    if (ticket.kind == Kind.DATA_REQUEST) != (outcome in State.REQUEST_OUTCOMES):
        raise ValidationError({"outcome": [_l("Hasil ini tidak berlaku untuk jenis tiket ini.")]})
    if outcome in (State.REJECTED, State.PARTIALLY_FULFILLED):
        check(auth.ticket_reject(actor, ticket), _l(
            "Penolakan (seluruh atau sebagian) diputuskan oleh PPID."))
    for ref_ in clean["dataset_ids"]:
        ds = catalog.get_dataset(actor, ref_)
        if ds not in ticket.datasets:
            ticket.datasets.append(ds)
    rows = _store_files(files)
    msg = _message(actor, ticket, MessageKind.REPLY, clean["answer"])
    _attach(actor, ticket, rows, msg)
    _close_answered(actor, ticket, outcome, clean["answer"], exemption=clean["exemption"],
                    redirect_agency=clean["redirect_agency"])
    _commit_or_discard(rows)
    return ticket


def _close_answered(actor, ticket, outcome, answer, exemption=None, redirect_agency=None):
    ticket.answer, ticket.exemption = answer, exemption
    ticket.redirect_agency = redirect_agency
    ticket.answered_at, ticket.answered_on = utcnow(), _today()
    ticket.paused_on = None
    _set_status(actor, ticket, outcome, "ticket.answered", note=answer, exemption=exemption,
                on_time=ticket.answered_on <= ticket.due_on)
    notify(ticket, "answered")


def objection_decide(actor, ref, data):
    """The PPID's superior decides an objection within 30 working days.

    :raises NotFound, NotAuthorized, ValidationError, InvalidTransition
    """
    objection = get_ticket(actor, ref)
    check(auth.objection_decide(actor, objection))
    if objection.kind != Kind.OBJECTION:
        raise InvalidTransition(_l("Hanya tiket keberatan yang diputuskan atasan PPID."))
    _require(objection, (State.RECEIVED, State.IN_PROGRESS), _l("diputuskan"))
    clean = load(ObjectionDecide, data)
    objection.decision = clean["decision"]
    objection.answer = clean["answer"]
    objection.answered_at, objection.answered_on = utcnow(), _today()
    _message(actor, objection, MessageKind.REPLY, clean["answer"])
    _set_status(actor, objection, State.OBJECTION_DECIDED, "ticket.objection_decided",
                decision=clean["decision"], note=clean["answer"])
    request = objection.related
    if request is not None and request.status == State.OBJECTION:
        _set_status(actor, request, State.OBJECTION_DECIDED, "ticket.objection_decided",
                    decision=clean["decision"], objection=objection.number)
    notify(objection, "objection_decided")
    db.session.commit()
    return objection


# ---------------------------------------------------------------- personal data

def nik_view(actor, ref):
    """The full NIK, for the officers who verify identity; every view is in the audit log.

    :raises NotFound, NotAuthorized
    """
    ticket = get_ticket(actor, ref)
    check(auth.nik_view(actor, ticket))
    if not ticket.nik_encrypted:
        raise NotFound(_l("Tiket ini tidak menyimpan NIK."))
    audit.record(actor, "ticket.nik_viewed", ticket)
    db.session.commit()
    return identity.decrypt(ticket.nik_encrypted)


def personal_data_purge(actor, older_than_days):
    """Remove identity data of tickets closed more than N days ago; the tickets, their
    dates and outcomes stay for the statistics. Returns the number of tickets purged.

    :raises NotAuthorized, ValidationError
    """
    check(auth.personal_data_purge(actor))
    # Not before the objection window (30 working days, about eight weeks around Lebaran)
    # and the Information Commission's dispute window have surely passed.
    if older_than_days is None or int(older_than_days) < MIN_RETENTION_DAYS:
        raise ValidationError({"older_than": [_l("Masa retensi minimal %(n)s hari.",
                                                 n=MIN_RETENTION_DAYS)]})
    cutoff = utcnow() - timedelta(days=int(older_than_days))
    tickets = Ticket.query.filter(Ticket.closed_at < cutoff,
                                  Ticket.personal_data_purged_at.is_(None),
                                  Ticket.status.in_(State.CLOSED)).all()
    store = storage()
    for ticket in tickets:
        _purge_one(actor, ticket, store)
    db.session.commit()
    return len(tickets)


def _purge_one(actor, ticket, store):
    ticket.requester_name = str(_l("(dihapus)"))
    ticket.nik_encrypted = ticket.nik_masked = None
    ticket.address = ticket.phone = ticket.email = None
    ticket.telegram_chat_id = None  # a chat id points at a person as a phone number does
    ticket.personal_data_purged_at = utcnow()
    for att in [a for a in ticket.attachments if a.visibility == "identity"]:
        store.delete(att.storage_key)
        db.session.delete(att)
    audit.record(actor, "ticket.personal_data_purged", ticket)


# ---------------------------------------------------------------- canned replies

def canned_list(actor):
    check(auth.canned_manage(actor))
    return CannedReply.query.order_by(CannedReply.title).all()


def canned_save(actor, data, reply_id=None):
    """:raises NotAuthorized, ValidationError, NotFound"""
    check(auth.canned_manage(actor))
    clean = load(CannedReplyInput, data)
    reply = db.session.get(CannedReply, int(reply_id)) if reply_id else CannedReply(
        created_by_id=getattr(actor, "id", None))
    if reply is None:
        raise NotFound(_l("Templat tidak ditemukan."))
    clash = CannedReply.query.filter(func.lower(CannedReply.title) == clean["title"].lower(),
                                     CannedReply.id != (reply.id or 0)).first()
    if clash:
        raise ValidationError({"title": [_l("Judul templat sudah dipakai.")]})
    reply.title, reply.body = clean["title"], clean["body"]
    db.session.add(reply)
    audit.record(actor, "canned_reply.saved", reply, after=clean)
    db.session.commit()
    return reply


def canned_delete(actor, reply_id):
    check(auth.canned_manage(actor))
    reply = db.session.get(CannedReply, int(reply_id))
    if reply is None:
        raise NotFound(_l("Templat tidak ditemukan."))
    audit.record(actor, "canned_reply.deleted", reply, before={"title": reply.title})
    db.session.delete(reply)
    db.session.commit()


def canned_render(actor, ref, reply_id):
    """The template with this ticket's values filled in: {nomor}, {nama}, {tenggat},
    {judul}, {petugas}. Unknown placeholders are left as written.

    :raises NotFound, NotAuthorized
    """
    ticket = get_ticket(actor, ref)
    check(auth.canned_manage(actor))
    reply = db.session.get(CannedReply, int(reply_id))
    if reply is None:
        raise NotFound(_l("Templat tidak ditemukan."))
    values = {"nomor": ticket.number, "nama": ticket.requester_name or "",
              "tenggat": ticket.due_on.strftime("%d-%m-%Y"), "judul": ticket.subject,
              "petugas": _author(actor)}
    return reply.body.format_map(_Keep(values))


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


# ---------------------------------------------------------------- scheduler and CLI

def escalate(actor=SYSTEM, today=None):
    """Recompute every open ticket's SLA state and warn, once a day per ticket, the assignee
    and the supervisors about tickets due soon or overdue. Returns counts."""
    today = today or _today()
    sla.recompute_all(today)
    counts = {"due_soon": 0, "overdue": 0}
    for state, column, event in ((Sla.DUE_SOON, "warned_due_soon_on", "due_soon"),
                                 (Sla.OVERDUE, "warned_overdue_on", "overdue")):
        warned = getattr(Ticket, column)
        for ticket in Ticket.query.filter(Ticket.sla_state == state,
                                          (warned.is_(None)) | (warned < today)).all():
            setattr(ticket, column, today)
            notify(ticket, event)
            counts[event] += 1
    if any(counts.values()):
        audit.record(actor, "tickets.escalated", "sla", object_type="job", after=counts)
    db.session.commit()
    return counts


def status_label(status):
    from app.tickets.labels import status_label as label
    return label(status)



# ---- added by staff pages

def staff_ticket(actor, ref):
    """A ticket opened on the staff pages: staff who work the queues only (a requester has
    their own page of their ticket, without the staff's tools).

    :raises NotAuthorized, NotFound
    """
    check(auth.ticket_queue(actor))
    return get_ticket(actor, ref)


# ---- added by citizen web pages

def similar_answered(actor, text, limit=5):
    """Requests in the public register whose subject or answer meet the words of `text`
    (stemmed, as the queues search): the request form shows them so people find an answer
    before filing.

    search_text also holds the requester's own message, which is not public: it only picks
    candidates, and a ticket counts only for words in its subject and answer, so a
    suggestion never tells a stranger what someone wrote. Returns tickets, best match first;
    callers show only what the register shows (number, subject, status).
    """
    from sqlalchemy import or_

    analyzer = stem_analyzer()
    words = list(dict.fromkeys(t.text for t in analyzer(text or "")))[:8]
    if not words:
        return []
    padded = " " + Ticket.search_text + " "  # whole stemmed words, not fragments of longer ones
    likes = [padded.contains(f" {w} ", autoescape=True) for w in words]
    candidates = (Ticket.query.filter(
        Ticket.public.is_(True), Ticket.kind != Kind.OBJECTION,
        Ticket.status.in_(State.ANSWERED + (State.OBJECTION, State.OBJECTION_DECIDED)),
        Ticket.answered_on.isnot(None), or_(*likes))
        .order_by(Ticket.answered_on.desc(), Ticket.id.desc()).limit(200).all())
    needed = (len(words) + 1) // 2  # most of the words, so a long text still finds something
    scored = []
    for ticket in candidates:
        shown = {t.text for t in analyzer(f"{ticket.subject} {ticket.answer or ''}")}
        found = len(set(words) & shown)
        if found >= needed:
            scored.append((-found, ticket))
    scored.sort(key=lambda pair: pair[0])  # stable: newest answer first among equals
    return [ticket for _score, ticket in scored[:limit]]


def objection_of(actor, ref):
    """The objection filed against a data request, when the actor may see it, else None."""
    request = get_ticket(actor, ref)
    if request.kind != Kind.DATA_REQUEST:
        return None
    objection = Ticket.query.filter_by(related_id=request.id, kind=Kind.OBJECTION).first()
    return objection if objection is not None and auth.ticket_read(actor, objection) else None


# ---- added by register, reports and notifications

def register_public(actor, filters, page=1):
    """The public register of answered requests, without any personal data.

    Returns a register.PublicPage (entries, paging, the last 12 months' IKM)."""
    from app.tickets import register
    check(auth.register_public(actor))
    return register.public_listing(register.clean_public_filters(filters or {}), page=page)


class Export:
    """A built file: its bytes, download name and media type."""

    def __init__(self, data, filename, mimetype, rows):
        self.data, self.filename, self.mimetype, self.rows = data, filename, mimetype, rows


def register_export(actor, year, fmt):
    """The legal request register of one year (names and contacts, so readers only, and every
    export is in the audit log) as csv, xlsx or pdf.

    :raises NotAuthorized, ValidationError (bad year or format, or too many rows for a PDF)
    """
    from app.tickets import register
    from reports import tickets as papers
    check(auth.register_export(actor))
    clean = load(register.RegisterExportInput, {"year": year, "fmt": fmt})
    rows = register.legal_register(clean["year"])
    if clean["fmt"] == "pdf" and len(rows) > papers.PDF_MAX_ROWS:
        raise ValidationError({"fmt": [_l(
            "PDF memuat paling banyak %(max)s permohonan; unduh CSV atau XLSX yang memuat "
            "semuanya.", max=papers.PDF_MAX_ROWS)]})
    data = papers.register_file(rows, clean["year"], clean["fmt"])
    audit.record(actor, "tickets.register_exported", clean["year"], object_type="register",
                 after={"format": clean["fmt"], "rows": len(rows)})
    db.session.commit()
    return Export(data, papers.register_filename(clean["year"], clean["fmt"]),
                  papers.MIMETYPES[clean["fmt"]], len(rows))


def yearly_report(actor, year):
    """The yearly information-service figures (register.YearlyFigures).

    :raises NotAuthorized, ValidationError"""
    from app.tickets import register
    check(auth.register_export(actor))
    clean = load(register.YearInput, {"year": year})
    return register.yearly_figures(clean["year"])


def ikm_summary(actor, period_start, period_end, organisation_id=None):
    """IKM of the survey answers submitted in a period (Jakarta dates, both inclusive),
    optionally of one unit, with the per-unit and per-quarter tables (register.IkmSummary).

    :raises NotAuthorized, ValidationError"""
    from app.tickets import register

    def text(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    check(auth.register_export(actor))
    clean = load(register.IkmPeriod, {"dari": text(period_start), "sampai": text(period_end),
                                      "unit": organisation_id})
    organisation = None
    if clean["unit"] is not None:
        organisation = db.session.get(Organisation, clean["unit"])
        if organisation is None:
            raise ValidationError({"unit": [_l("Unit tidak ditemukan.")]})
    return register.ikm_summary(clean["dari"], clean["sampai"], organisation)


# ---- added by the bot

class RequesterIdentity:
    """Who the requester said they were on an earlier request (requester_identity_latest)."""

    def __init__(self, number, name, nik, address):
        self.number, self.name, self.nik, self.address = number, name, nik, address


def requester_identity_latest(actor):
    """The name, NIK (normalised, decrypted) and address of the actor's latest own request
    that holds a NIK, or None: the bot asks a citizen with a linked web account only for what
    it cannot take from there. Reading a NIK back is logged in the audit like nik_view.

    :raises NotAuthorized
    """
    check(actor.is_authenticated and not getattr(actor, "is_system", False))
    ticket = (Ticket.query.filter(Ticket.requester_id == actor.id,
                                  Ticket.identity_kind == "nik",
                                  Ticket.nik_encrypted.isnot(None))
              .order_by(Ticket.received_at.desc(), Ticket.id.desc()).first())
    if ticket is None:
        return None
    try:
        nik = identity.normalise_nik(identity.decrypt(ticket.nik_encrypted))
    except identity.UndecryptableError:  # its key was retired: ask again rather than fail
        return None
    audit.record(actor, "ticket.identity_reused", ticket)
    db.session.commit()
    return RequesterIdentity(ticket.number, ticket.requester_name, nik, ticket.address)
