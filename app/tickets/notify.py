"""The help desk's notifications, delivered from the outbox.

Actions enqueue one "tickets.notify" message per event (actions.notify). Its handler works out
who must hear of it and enqueues one "tickets.mail" message per recipient, keyed by the event's
key and the recipient: a retried event enqueues nothing twice (the outbox ignores a repeated
key), and each e-mail is retried on its own, so one bad address never re-sends the others.
The recipient is stored as a reference ("requester" or a user id), not an address: the outbox
keeps no personal data, and mail to a requester whose data was purged is simply not sent.

Requesters hear of the steps of their own ticket, in Indonesian, with the number, the status,
the due date, what to do next and the ticket's address, and nothing else about them. Staff
hear of work put to them. Requesters are reached by e-mail and, when they use the bot, in
Telegram (app/chats/notify.py); an overdue ticket's apology goes to Telegram only, since the
e-mail channel already tells them the deadline and a late one is the staff's to fix.

This module must be imported at start-up (its handlers register themselves).
"""
import hashlib

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import Organisation, User, UserRole, memberships
from app.chats import notify as chats_notify
from app.core import mail, outbox
from app.core.actor import Role
from app.extensions import db
from app.tickets import labels, sla
from app.tickets.models import Kind, State, Ticket

TOPIC = "tickets.notify"
MAIL_TOPIC = "tickets.mail"
LOCALE = "id"
REQUESTER_PATH = "/permohonan/{number}"
STAFF_PATH = "/layanan/tiket/{number}"
REQUESTER = "requester"

REQUESTER_EVENTS = ("received", "clarification", "replied", "extended", "answered", "merged",
                    "objection_decided")
# The apology for a missed deadline: a message in the chat the citizen follows.
TELEGRAM_ONLY_EVENTS = ("overdue",)


# ---------------------------------------------------------------- who hears of what

@outbox.handler(TOPIC)
def deliver_event(payload, key):
    """Fan an event out to its recipients, one outbox message each, on every channel."""
    ticket = db.session.get(Ticket, payload.get("ticket_id") or 0)
    if ticket is None:
        return  # deleted since: nobody to tell
    event = payload.get("event")
    if event in REQUESTER_EVENTS:
        for channel in REQUESTER_CHANNELS:
            channel(ticket, event, key)
    elif event in TELEGRAM_ONLY_EVENTS:
        requester_telegram(ticket, event, key)
    for user in staff_recipients(ticket, event, payload):
        _enqueue_mail(ticket, event, key, user.id)


def requester_email(ticket, event, key):
    if ticket.email:
        _enqueue_mail(ticket, event, key, REQUESTER)


def requester_telegram(ticket, event, key):
    """The bot's channel: one "telegram.send" message per chat of the requester (the chat
    the ticket came from, and chats linked to the requester's account), keyed by `key`."""
    return chats_notify.requester_telegram(ticket, event, key)


REQUESTER_CHANNELS = (requester_email, requester_telegram)


def staff_recipients(ticket, event, payload):
    """Active staff with an e-mail address who must hear of `event`, each once."""
    find = STAFF_RECIPIENTS.get(event)
    seen, out = set(), []
    for user in find(ticket, payload) if find else ():
        if user is not None and user.active and user.email and user.id not in seen:
            seen.add(user.id)
            out.append(user)
    return out


def _named(ticket, payload):
    return [db.session.get(User, payload.get("user_id") or 0)]


def _assignee(ticket, payload):
    return [ticket.assignee]


def _custodians(ticket, payload):
    return custodians(ticket)


def _assignee_and_supervisors(ticket, payload):
    return [ticket.assignee, *supervisors(ticket)]


def _with_role(role, organisation_ids=None):
    query = User.query.join(UserRole, UserRole.user_id == User.id).filter(
        UserRole.role == role, User.active.is_(True))
    if organisation_ids is not None:
        query = query.join(memberships, memberships.c.user_id == User.id).filter(
            memberships.c.organisation_id.in_(list(organisation_ids) or [-1]))
    return query.order_by(User.id).distinct().all()


def custodians(ticket):
    """The walidata of the organisation that keeps the dataset put to approval (the custodian
    organisations when the dataset names none)."""
    pending = [a for a in ticket.approvals if a.decision is None] or ticket.approvals
    dataset = pending[-1].dataset if pending else None
    if dataset is not None and dataset.custodian_id:
        org_ids = [dataset.custodian_id]
    else:
        org_ids = [o.id for o in Organisation.query.filter_by(is_custodian=True)]
    return _with_role(Role.WALIDATA, org_ids)


def supervisors(ticket):
    """The PPID of the ticket's team and every PPID superior."""
    team = _with_role(Role.PPID, [ticket.organisation_id]) if ticket.organisation_id else []
    return team + _with_role(Role.PPID_ATASAN)


def _objection_deciders(ticket, payload):
    # A new request waits in the unassigned queue; a new objection goes straight to the
    # superior who must decide it within 30 working days.
    return _with_role(Role.PPID_ATASAN) if ticket.kind == Kind.OBJECTION else []


STAFF_RECIPIENTS = {
    "received": _objection_deciders,
    "assigned": _named,                          # payload user_id: the new assignee
    "requester_replied": _assignee,
    "approval_requested": _custodians,
    "approved": _assignee,                       # the custodian said yes: fulfil it now
    "due_soon": _assignee_and_supervisors,
    "overdue": _assignee_and_supervisors,
}


def _enqueue_mail(ticket, event, key, recipient):
    mail_key = f"{MAIL_TOPIC}:{key}>{recipient}"
    if len(mail_key) > 120:  # the outbox key column's size
        mail_key = f"{MAIL_TOPIC}:{hashlib.sha256(mail_key.encode()).hexdigest()}"
    outbox.enqueue(MAIL_TOPIC, key=mail_key, ticket_id=ticket.id, event=event,
                   recipient=recipient)


# ---------------------------------------------------------------- one e-mail

@outbox.handler(MAIL_TOPIC)
def deliver_mail(payload, key):
    """Compose and send one e-mail; the outbox key is its Message-ID (see app.core.mail)."""
    ticket = db.session.get(Ticket, payload.get("ticket_id") or 0)
    if ticket is None:
        return
    recipient, event = payload.get("recipient"), payload.get("event")
    with force_locale(LOCALE):
        if recipient == REQUESTER:
            if not ticket.email:  # purged since the event
                return
            to, (subject, body) = ticket.email, requester_message(ticket, event)
        else:
            user = db.session.get(User, int(recipient or 0))
            if user is None or not user.active or not user.email or _stale(ticket, event):
                return
            to, (subject, body) = user.email, staff_message(ticket, event, user)
        mail.send(to, subject, body, key)


def _stale(ticket, event):
    """Work that is no longer there by the time the e-mail goes out (the worker was down, or
    the ticket moved on at once) is not announced to staff."""
    if event == "approval_requested":
        return ticket.status != State.AWAITING_APPROVAL
    return not ticket.is_open


def site_url(path):
    return current_app.config["SITE_URL"].rstrip("/") + path


def _date(day):
    return format_date(day, "d MMMM yyyy") if day else "–"


def _next_step(ticket, event):
    due = _date(ticket.due_on)
    if event == "received":
        return _("Simpan nomor registrasi dan kode cek pada tanda terima Anda. Kami menjawab "
                 "paling lambat %(due)s (hari kerja, sesuai UU 14/2008).", due=due)
    if event == "clarification":
        return _("Petugas meminta keterangan tambahan. Buka tautan di bawah, baca pesan "
                 "petugas, lalu kirim jawaban Anda. Jangka waktu layanan berhenti sementara "
                 "sampai Anda menjawab.")
    if event == "replied":
        return _("Petugas mengirim pesan baru. Buka tautan di bawah untuk membacanya.")
    if event == "extended":
        return _("Jangka waktu jawaban diperpanjang sampai %(due)s. Alasannya dapat dibaca "
                 "pada tautan di bawah.", due=due)
    if event == "merged":
        target = ticket.merged_into.number if ticket.merged_into else "–"
        return _("Permohonan ini digabung dengan permohonan %(number)s; jawabannya diberikan "
                 "di sana.", number=target)
    if event == "objection_decided":
        return _("Atasan PPID telah memutus keberatan Anda: %(decision)s. Jika Anda tidak puas, "
                 "Anda dapat mengajukan sengketa informasi ke Komisi Informasi paling lambat "
                 "14 hari kerja sejak menerima putusan ini.",
                 decision=labels.label("decision", ticket.decision))
    return _answered_step(ticket)


def _answered_step(ticket):
    text = _("Permohonan Anda telah dijawab. Buka tautan di bawah untuk membaca jawaban dan "
             "mengunduh berkasnya. Mohon luangkan waktu mengisi survei kepuasan di sana.")
    if ticket.kind == Kind.DATA_REQUEST and ticket.status in State.REQUEST_OUTCOMES:
        text += " " + _("Jika Anda tidak puas dengan jawaban ini, Anda dapat mengajukan "
                        "keberatan paling lambat %(last)s.",
                        last=_date(sla.objection_deadline(ticket)))
    return text


def _field(label, value):
    # Not an f-string around _(): Babel would not extract the label.
    return f"{label}: {value}"


def requester_message(ticket, event):
    """(subject, body) for the requester: no name, NIK, contact or message text."""
    kind = labels.label("kind", ticket.kind)
    lines = [
        _("Yth. Pemohon,"), "",
        _next_step(ticket, event), "",
        _field(_("Nomor registrasi"), ticket.number),
        _field(_("Jenis"), kind),
        _field(_("Status saat ini"), labels.status_label(ticket.status)),
    ]
    if ticket.is_open:
        lines.append(_field(_("Tenggat jawaban"), _date(ticket.due_on)))
    lines += [
        _field(_("Tautan"), site_url(REQUESTER_PATH.format(number=ticket.number))), "",
        _("Untuk membuka tiket tanpa masuk akun, gunakan nomor registrasi dan kode cek pada "
          "tanda terima Anda."), "",
        _("Salam,"), current_app.config["SITE_NAME"], "",
        _("E-mail ini dikirim otomatis; mohon tidak membalas e-mail ini."),
    ]
    if event == "received":
        headline = _("%(kind)s Anda telah kami terima", kind=kind)
    else:
        headline = REQUESTER_SUBJECTS.get(event, labels.status_label(ticket.status))
    subject = f"[{ticket.number}] {headline}"
    return str(subject), "\n".join(str(line) for line in lines)


def staff_message(ticket, event, user):
    """(subject, body) for staff: the work, the deadline and the link to the staff page."""
    lines = [
        _("Yth. %(name)s,", name=user.name), "",
        str(STAFF_SUBJECTS[event]) + ".", "",
        _field(_("Nomor registrasi"), ticket.number),
        _field(_("Jenis"), labels.label('kind', ticket.kind)),
        _field(_("Perihal"), ticket.subject),
        _field(_("Status"), labels.status_label(ticket.status)),
        _field(_("Tenggat jawaban"),
               f"{_date(ticket.due_on)} ({labels.label('sla', ticket.sla_state)})"),
        _field(_("Tautan"), site_url(STAFF_PATH.format(number=ticket.number))), "",
        current_app.config["SITE_NAME"],
    ]
    subject = f"[{ticket.number}] {STAFF_SUBJECTS[event]}"
    return str(subject), "\n".join(str(line) for line in lines)


REQUESTER_SUBJECTS = {
    "clarification": _l("Petugas meminta klarifikasi"),
    "replied": _l("Pesan baru dari petugas"),
    "extended": _l("Jangka waktu jawaban diperpanjang"),
    "answered": _l("Permohonan Anda telah dijawab"),
    "merged": _l("Permohonan Anda digabung"),
    "objection_decided": _l("Keberatan Anda telah diputus"),
}
STAFF_SUBJECTS = {
    "received": _l("Keberatan baru menunggu keputusan atasan PPID"),
    "assigned": _l("Tiket ditugaskan kepada Anda"),
    "requester_replied": _l("Pemohon mengirim balasan"),
    "approval_requested": _l("Permohonan data terbatas menunggu persetujuan walidata"),
    "approved": _l("Walidata menyetujui; lanjutkan pemenuhan permohonan"),
    "due_soon": _l("Tenggat jawaban segera tiba"),
    "overdue": _l("Tiket melewati tenggat jawaban"),
}
