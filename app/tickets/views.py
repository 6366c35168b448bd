"""Web pages of the help desk for citizens and the public: file a request, the receipt,
the status check, my requests. Staff pages are in views_staff.py, the register and the
reports in views_reports.py; all on this one blueprint."""
import io
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.catalog import actions as catalog_actions
from app.catalog import search as catalog_search
from app.core.actor import ANONYMOUS
from app.core.errors import InvalidTransition, NotAuthorized, NotFound, ValidationError
from app.core.timeutil import utcnow
from app.extensions import limiter
from app.tickets import actions, auth, ikm, labels, sla
from app.tickets.models import Delivery, Format, Kind, MessageKind, State

bp = Blueprint("tickets", __name__, template_folder="templates")


@bp.record_once
def _template_globals(state):
    # Globals, not a context processor: macros imported without context must see them too.
    state.app.jinja_env.globals.update(
        ticket_auth=auth, ticket_labels=labels, ticket_label=labels.label,
        ticket_status_label=labels.status_label, working_days_left=sla.working_days_left)


# ---------------------------------------------------------------- citizen pages
# Routes below are the requester's and the public's; every rule is enforced by the actions
# (get_ticket answers 404 for a ticket that is not the visitor's).

SUGGESTIONS = 5
FORM_FIELDS = ("kind", "requester_name", "identity_kind", "nik", "address", "phone", "email",
               "subject", "body", "purpose", "format", "delivery", "consent",
               "submission_key")
# Steps of the audit trail that a requester, or anyone holding the receipt, may see.
STEP_LABELS = {
    "ticket.submitted": _l("Permohonan diterima dan didaftarkan"),
    "ticket.clarification_requested": _l("Petugas meminta klarifikasi; jangka waktu dijeda"),
    "ticket.requester_replied": _l("Pemohon mengirim tanggapan"),
    "ticket.resumed": _l("Proses dilanjutkan; tenggat disesuaikan"),
    "ticket.extended": _l("Jangka waktu diperpanjang"),
    "ticket.approval_requested": _l("Diajukan kepada walidata untuk persetujuan"),
    "ticket.approval_decided": _l("Walidata memberikan keputusan"),
    "ticket.answered": _l("Dijawab"),
    "ticket.withdrawn": _l("Dibatalkan oleh pemohon"),
    "ticket.objection_filed": _l("Keberatan diajukan"),
    "ticket.objection_decided": _l("Keberatan diputus"),
    "ticket.merged": _l("Digabung dengan permohonan lain"),
}


@bp.record_once
def _public_globals(state):
    state.app.jinja_env.globals.update(
        ticket_date=_date, ticket_sla=sla.state_of, ticket_step_label=_step_label,
        ticket_needs_action=_needs_action)


def _date(value):
    """A date the Indonesian way ("17 Maret 2026"), or in the visitor's language."""
    return format_date(value, "d MMMM y") if value else ""


def _step_label(row):
    label = STEP_LABELS.get(row.action, row.action)
    after = row.after or {}
    if row.action in ("ticket.answered", "ticket.objection_decided") and after.get("status"):
        return f"{label}: {labels.status_label(after['status'])}"
    if row.action == "ticket.merged" and after.get("into"):
        return _("Digabung ke %(number)s; jawabannya diberikan di sana.", number=after["into"])
    return label


def _needs_action(ticket):
    """What the requester should do now, or None: answer a clarification, rate the service."""
    if ticket.status == State.NEEDS_CLARIFICATION:
        return _("Petugas meminta klarifikasi")
    if _survey_open(ticket):
        return _("Isi survei kepuasan")
    return None


def _survey_open(ticket):
    """Whether the survey may be filled now: the action's own checks (survey_check), not a
    copy of them. Staff asking on a requester's page get False (the rule says requester)."""
    try:
        actions.survey_check(current_user, ticket)
    except (InvalidTransition, NotAuthorized, NotFound):
        return False
    return True


def _endpoint(name):
    return name in current_app.view_functions


def _max_mb():
    return int(current_app.config.get("TICKET_ATTACHMENT_MAX_MB", 10))


def _uploads(name):
    return [(f.filename, f.stream) for f in request.files.getlist(name) if f and f.filename]


# ---------------------------------------------------------------- the request form

@bp.route("/permohonan/baru", methods=["GET", "POST"])
@login_required
def request_form():
    errors = {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in FORM_FIELDS}
        data["dataset_ids"] = [d for d in request.form.getlist("dataset_ids") if d]
        try:
            ticket = actions.request_submit(
                current_user, data, files=_uploads("attachments"),
                identity_files=_uploads("identity_file") if data["identity_kind"] == "badan"
                else ())
        except ValidationError as exc:
            errors = exc.errors
        except NotFound as exc:  # a linked dataset that is gone: keep everything else
            errors = {"dataset_ids": [exc.message]}
        else:
            return redirect(url_for("tickets.request_done", number=ticket.number))
    else:
        data = _blank_form()
    return render_template("tickets/request_form.html", data=data, errors=errors,
                           datasets=_linked_datasets(data.get("dataset_ids") or ()),
                           kinds=Kind.FILED, formats=Format.ALL, deliveries=Delivery.ALL,
                           max_mb=_max_mb(), suggestions=_suggestions_for(data) if errors
                           else None), (422 if errors else 200)


def _blank_form():
    kind = request.args.get("jenis")
    dataset = (request.args.get("dataset") or "").strip()
    return {"kind": kind if kind in Kind.FILED else Kind.DATA_REQUEST,
            "requester_name": current_user.name, "email": current_user.email,
            "identity_kind": "nik", "dataset_ids": [dataset] if dataset else [],
            # A double click or a resent form carries this key: the action answers with the
            # ticket already registered instead of filing a second one.
            "submission_key": secrets.token_urlsafe(24)}


def _linked_datasets(refs):
    found = []
    for ref in refs:
        try:
            found.append(catalog_actions.get_dataset(current_user, ref))
        except NotFound:
            continue  # a wrong ?dataset= link simply prefills nothing
    return found


@bp.route("/permohonan/<number>/terkirim")
@login_required
def request_done(number):
    ticket = actions.get_ticket(current_user, number)
    return render_template("tickets/request_done.html", ticket=ticket)


# ---------------------------------------------------------------- as-you-type suggestions

@bp.route("/permohonan/saran.json")
def request_suggest():
    """Published datasets, answered public requests and help articles matching what the
    requester is typing. Nothing personal: titles, numbers, subjects and links only."""
    q = " ".join((request.args.get("q") or "").split())[:200]
    return jsonify(_suggestions(q))


def _suggestions(q):
    empty = {"q": q, "datasets": [], "requests": [], "articles": []}
    if len(q) < 3:
        return empty
    page = catalog_search.catalogue(current_user, {"q": q}, page=1, record=False)
    empty["datasets"] = [{"title": ds.title, "organisation": ds.organisation.title,
                          "url": url_for("catalog.dataset", name=ds.name)}
                         for ds in page.items[:SUGGESTIONS]]
    empty["requests"] = [{"number": t.number, "subject": t.subject,
                          "status": str(labels.status_label(t.status)),
                          "url": _register_url(t)}
                         for t in actions.similar_answered(current_user, q, SUGGESTIONS)]
    empty["articles"] = _articles(q)
    return empty


def _suggestions_for(data):
    """The same suggestions for a form shown again without JavaScript."""
    return _suggestions(" ".join((data.get("subject") or "").split())[:200])


def _articles(q):
    try:
        from app.kb import actions as kb
    except ImportError:  # the knowledge base is optional
        return []
    if not hasattr(kb, "article_search"):
        return []
    return [{"title": h.article.title, "url": url_for("kb.article", slug=h.article.slug),
             "snippet": h.snippet} for h in kb.article_search(current_user, q, limit=3)]


def _register_url(ticket):
    """The answered request's entry in the public register (while that page exists)."""
    if _endpoint("tickets.register_public"):
        return url_for("tickets.register_public", q=ticket.number, _anchor=ticket.number)
    return None


# ---------------------------------------------------------------- receipt and status check

@bp.route("/permohonan/<number>/tanda-terima.pdf")
@login_required
def request_receipt(number):
    ticket = actions.get_ticket(current_user, number)
    pdf = _receipt_pdf(ticket)
    resp = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"tanda-terima-{ticket.number}.pdf", max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"  # it carries the check code
    return resp


def _receipt_pdf(ticket):
    from reports.render import html_to_pdf, render_html, site_url

    # An official paper of the agency: in Indonesian whatever the screen's language.
    with force_locale("id"):
        html = render_html(
            "ticket_receipt.html", ticket=ticket, received=_date(ticket.received_on),
            due=_date(ticket.due_on), kind=labels.label("kind", ticket.kind),
            generated=format_datetime(utcnow(), "d MMMM y, HH.mm") + " WIB",
            status_url=site_url() + url_for("tickets.status_check", nomor=ticket.number))
    return html_to_pdf(html)


def _status_limit():
    # Check codes are short: throttled like logins so they cannot be guessed by trying.
    return (current_app.config.get("TICKET_STATUS_RATE_LIMIT")
            or current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/cek-status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def status_check():
    """Anyone with the receipt's number and check code sees the status, without logging in.
    The code travels in a POST body, not in a URL that logs and browser history keep."""
    number = (request.values.get("nomor") or "").strip().upper()[:20]
    ticket, error = None, None
    if request.method == "POST":
        try:
            ticket = actions.ticket_status_public(number, request.form.get("kode", "")[:20])
        except NotFound as exc:
            error = exc.message
    steps = actions.ticket_history(ANONYMOUS, ticket) if ticket else []
    return render_template("tickets/status.html", number=number, ticket=ticket,
                           steps=steps, error=error), (404 if error else 200)


# ---------------------------------------------------------------- the requester's tickets

@bp.route("/permohonan-saya")
@login_required
def my_requests():
    return render_template("tickets/mine.html", tickets=actions.my_tickets(current_user))


@bp.route("/permohonan/<number>")
@login_required
def my_ticket(number):
    ticket = actions.get_ticket(current_user, number)
    if not auth.is_requester(current_user, ticket) and _endpoint("tickets.staff_ticket"):
        return redirect(url_for("tickets.staff_ticket", number=ticket.number))
    return _ticket_page(ticket)


def _ticket_page(ticket, reply_errors=None, reply_body="", status=200):
    messages = actions.visible_messages(current_user, ticket)
    steps = actions.ticket_history(current_user, ticket)
    timeline = sorted([("step", row.at, row) for row in steps]
                      + [("message", m.created_at, m) for m in messages],
                      key=lambda item: (item[1], item[0] == "message"))
    files = actions.visible_attachments(current_user, ticket)
    may_object, last_day = actions.objection_window(ticket)
    is_requester = auth.is_requester(current_user, ticket)
    objection = actions.objection_of(current_user, ticket)
    return render_template(
        "tickets/ticket.html", ticket=ticket, timeline=timeline,
        files_by_message=_group_files(files), request_files=[f for f in files
                                                             if f.message_id is None],
        may_object=is_requester and may_object and objection is None,
        objection_last_day=last_day, objection=objection, is_requester=is_requester,
        survey_open=is_requester and _survey_open(ticket), reply_errors=reply_errors or {},
        reply_body=reply_body, max_mb=_max_mb(), sla_state=sla.state_of(ticket),
        clarification=_last_clarification(messages, ticket),
        # Staff may link a closed dataset for the record: the requester sees only those
        # the catalogue would show them.
        datasets=_linked_datasets([ds.name for ds in ticket.datasets]),
        staff_url=url_for("tickets.staff_ticket", number=ticket.number)
        if _endpoint("tickets.staff_ticket") and auth.is_reader(current_user) else None,
    ), status


def _group_files(files):
    grouped = {}
    for f in files:
        if f.message_id is not None:
            grouped.setdefault(f.message_id, []).append(f)
    return grouped


def _last_clarification(messages, ticket):
    if ticket.status != State.NEEDS_CLARIFICATION:
        return None
    replies = [m for m in messages if m.kind == MessageKind.REPLY]
    return replies[-1] if replies else None


@bp.route("/permohonan/<number>/lampiran/<int:attachment_id>")
@login_required
def my_ticket_attachment(number, attachment_id):
    att, fh = actions.attachment_open(current_user, attachment_id)
    if att.ticket.number != number.strip().upper():
        fh.close()
        raise NotFound(_("Lampiran tidak ditemukan."))
    resp = send_file(fh, mimetype=att.media_type, as_attachment=True,
                     download_name=att.filename, max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/permohonan/<number>/balas", methods=["POST"])
@login_required
def my_ticket_reply(number):
    try:
        ticket = actions.requester_reply(current_user, number,
                                         {"body": request.form.get("body", "")},
                                         files=_uploads("attachments"))
    except ValidationError as exc:
        ticket = actions.get_ticket(current_user, number)
        return _ticket_page(ticket, reply_errors=exc.errors,
                            reply_body=request.form.get("body", ""), status=422)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return redirect(url_for("tickets.my_ticket", number=number))
    flash(_("Tanggapan Anda terkirim."), "success")
    return redirect(url_for("tickets.my_ticket", number=ticket.number, _anchor="riwayat"))


@bp.route("/permohonan/<number>/batalkan", methods=["POST"])
@login_required
def my_ticket_withdraw(number):
    ticket = actions.get_ticket(current_user, number)
    if request.form.get("confirm") != "1":
        flash(_("Centang konfirmasi untuk membatalkan permohonan."), "error")
        return redirect(url_for("tickets.my_ticket", number=ticket.number, _anchor="batalkan"))
    try:
        actions.ticket_withdraw(current_user, ticket.number,
                                (request.form.get("reason") or "").strip()[:2000])
    except InvalidTransition as exc:
        flash(exc.message, "error")
    else:
        flash(_("Permohonan %(number)s dibatalkan.", number=ticket.number), "success")
    return redirect(url_for("tickets.my_ticket", number=ticket.number))


@bp.route("/permohonan/<number>/keberatan", methods=["GET", "POST"])
@login_required
def my_ticket_objection(number):
    ticket = actions.get_ticket(current_user, number)
    if not auth.objection_file(current_user, ticket):
        raise NotAuthorized(_("Keberatan diajukan oleh pemohon sendiri."))
    allowed, last_day = actions.objection_window(ticket)
    errors, data = {}, {"grounds": [], "body": ""}
    if request.method == "POST":
        data = {"grounds": request.form.getlist("grounds"), "body": request.form.get("body", "")}
        try:
            objection = actions.objection_file(current_user, ticket.number, data)
        except ValidationError as exc:
            errors = exc.errors
        except InvalidTransition as exc:
            flash(exc.message, "error")
            return redirect(url_for("tickets.my_ticket", number=ticket.number))
        else:
            return redirect(url_for("tickets.request_done", number=objection.number))
    elif not allowed:
        flash(_("Keberatan atas permohonan ini tidak dapat diajukan sekarang."), "warning")
        return redirect(url_for("tickets.my_ticket", number=ticket.number))
    return render_template("tickets/objection_form.html", ticket=ticket, data=data,
                           errors=errors, last_day=last_day,
                           grounds=labels.OBJECTION_GROUND), (422 if errors else 200)


@bp.route("/permohonan/<number>/survei", methods=["GET", "POST"])
@login_required
def my_ticket_survey(number):
    ticket = actions.get_ticket(current_user, number)
    if not auth.survey_submit(current_user, ticket):
        raise NotAuthorized(_("Survei diisi oleh pemohon sendiri."))
    errors, data = {}, {}
    if request.method == "POST":
        data = {key: request.form.get(key) for key in ikm.KEYS}
        data["comment"] = request.form.get("comment", "")
        try:
            actions.survey_submit(current_user, ticket.number, data)
        except ValidationError as exc:
            errors = exc.errors
        except InvalidTransition as exc:
            flash(exc.message, "warning")
            return redirect(url_for("tickets.my_ticket", number=ticket.number))
        else:
            flash(_("Terima kasih. Penilaian Anda membantu kami memperbaiki layanan."),
                  "success")
            return redirect(url_for("tickets.my_ticket", number=ticket.number))
    elif not _survey_open(ticket):
        flash(_("Survei untuk tiket ini sudah diisi atau belum dibuka."), "info")
        return redirect(url_for("tickets.my_ticket", number=ticket.number))
    return render_template("tickets/survey.html", ticket=ticket, elements=ikm.ELEMENTS,
                           data=data, errors=errors), (422 if errors else 200)


# The other pages register themselves on `bp` when imported.
from app.tickets import views_reports, views_staff  # noqa: E402, F401
