"""Staff pages of the help desk: the queues, the ticket page with every handling step, the
canned replies and the entry of walk-in and phone requests.

Views load arguments, call an action, render. The actions enforce every rule; a form whose
action refuses the input is shown again with the messages beside its fields and the user's
input kept.
"""
import re
import secrets
from collections import defaultdict

from flask import flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Organisation, User, UserRole
from app.core.actor import check
from app.core.errors import DomainError, InvalidTransition, NotFound, ValidationError
from app.extensions import db
from app.tickets import actions, auth, labels, queues, sla
from app.tickets.models import Channel, Delivery, Format, Kind, Priority, Sla, State, Ticket
from app.tickets.views import bp


@bp.record_once
def _staff_globals(state):
    state.app.jinja_env.globals.update(
        staff_auth=auth, staff_labels=labels, staff_days_left=sla.working_days_left,
        staff_receipt_url=receipt_url)


def _step_labels():
    return {
        "ticket.submitted": _("Diterima"), "ticket.assigned": _("Ditugaskan"),
        "ticket.started": _("Mulai diproses"), "ticket.updated": _("Diubah"),
        "ticket.note_added": _("Catatan internal"), "ticket.replied": _("Dibalas"),
        "ticket.identity_reused": _("Identitas dipakai ulang (bot)"),
        "ticket.clarification_requested": _("Klarifikasi diminta"),
        "ticket.requester_replied": _("Pemohon menjawab"), "ticket.resumed": _("Dilanjutkan"),
        "ticket.extended": _("Diperpanjang"), "ticket.dataset_linked": _("Dataset ditautkan"),
        "ticket.dataset_unlinked": _("Tautan dataset dilepas"), "ticket.merged": _("Digabung"),
        "ticket.approval_requested": _("Diajukan ke walidata"),
        "ticket.approval_decided": _("Diputuskan walidata"), "ticket.answered": _("Dijawab"),
        "ticket.withdrawn": _("Dibatalkan pemohon"),
        "ticket.objection_filed": _("Keberatan diajukan"),
        "ticket.objection_decided": _("Keberatan diputus"),
        "ticket.nik_viewed": _("NIK lengkap dilihat"),
        "ticket.survey_submitted": _("Survei diisi"),
        "ticket.personal_data_purged": _("Data pribadi dihapus"),
    }


def _field_labels():
    return {
        "status": _("Status"), "assignee": _("Petugas"), "priority": _("Prioritas"),
        "tags": _("Tag"), "organisation_id": _("Tim"), "public": _("Register publik"),
        "due_on": _("Tenggat"), "previous_due_on": _("Tenggat sebelumnya"),
        "dataset": _("Dataset"), "decision": _("Keputusan"), "exemption": _("Pengecualian"),
        "into": _("Ke tiket"), "on_time": _("Tepat waktu"), "number": _("Nomor"),
        "kind": _("Jenis"), "channel": _("Saluran"), "access_granted": _("Akses diberikan"),
        "paused_working_days": _("Hari jeda"), "objection": _("Keberatan"),
        "grounds": _("Alasan"), "request": _("Permohonan"), "note": _("Catatan"),
    }


@bp.app_template_filter("staff_step")
def _staff_step(action):
    return _step_labels().get(action, action)


@bp.app_template_filter("staff_field")
def _staff_field(name):
    return _field_labels().get(name, name)


@bp.app_template_filter("staff_value")
def _staff_value(value):
    """A before/after value of the history, in words where it is a code."""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(str(_staff_value(v)) for v in value) or "—"
    if isinstance(value, str):
        for table in ("status", "kind", "channel", "priority", "decision", "exemption"):
            if value in getattr(labels, table.upper()):
                return labels.label(table, value)
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


# ---------------------------------------------------------------- helpers

def _files(name="file"):
    return [(f.filename, f.stream) for f in request.files.getlist(name) if f and f.filename]


def _form():
    """The posted fields without the token: what a form shown again keeps."""
    return {k: v for k, v in request.form.items() if k != "csrf_token"}


def _names(text, separators=r"[,\s]+"):
    """A typed list: dataset names by comma or space, tags (which may hold spaces) by comma."""
    return [n.strip() for n in re.split(separators, text or "") if n.strip()]


def _route_url(rule, **values):
    """The address of another page of this blueprint, found by its URL pattern; None while
    that page is not built (another part of the help desk owns it)."""
    from flask import current_app

    wanted = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule)
    for r in current_app.url_map.iter_rules():
        if re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", r.rule) == wanted:
            return url_for(r.endpoint, **values)
    return None


def receipt_url(ticket):
    return _route_url("/permohonan/<number>/tanda-terima.pdf", number=ticket.number)


def _handlers():
    """Every active help-desk officer and PPID, for the queue's assignee filter and bulk
    assignment."""
    return (User.query.join(UserRole, UserRole.user_id == User.id)
            .filter(UserRole.role.in_(auth.HANDLERS[:2]), User.active.is_(True))
            .order_by(User.name).distinct().all())


def _organisations():
    return Organisation.query.order_by(Organisation.title).all()


# ---------------------------------------------------------------- the queues

@bp.route("/layanan")
@login_required
def staff_queue():
    queue = request.args.get("antrean", "open")
    filters = queues.clean_filters(request.args)
    sort = request.args.get("sort") if request.args.get("sort") in queues.SORTS else "due"
    page = actions.ticket_queue(current_user, queue, filters,
                                page=request.args.get("page", 1, type=int) or 1, sort=sort)
    if not auth.is_reader(current_user):
        queue = "approval"  # what the action showed the custodian
    queue = queue if queue in queues.QUEUES else "open"
    handlers = _handlers()
    return render_template(
        "tickets/staff_queue.html", page=page, queue=queue, filters=filters,
        chosen=dict(filters, sort=sort), args=dict(filters, antrean=queue, sort=sort),
        tabs=queues.QUEUES if auth.is_reader(current_user) else ("approval",),
        handlers=handlers, options=_filter_options(handlers), Priority=Priority)


def _filter_options(handlers):
    def coded(table, codes):
        return [(c, labels.label(table, c)) for c in codes]

    return {"kind": coded("kind", Kind.ALL), "channel": coded("channel", Channel.ALL),
            "priority": coded("priority", Priority.ALL), "status": coded("status", State.ALL),
            "sla": coded("sla", Sla.ALL),
            "assignee": [(u.id, u.name) for u in handlers],
            "organisation": [(o.id, o.title) for o in _organisations()],
            "sort": [("due", _("Tenggat terdekat")), ("newest", _("Terbaru")),
                     ("oldest", _("Terlama"))]}


BULK_OPS = ("assign", "round_robin", "priority", "tag")


@bp.route("/layanan/massal", methods=["POST"])
@login_required
def staff_bulk():
    # Nothing is changed yet when no ticket is ticked: refuse outsiders here as every action
    # below would.
    check(auth.ticket_handle(current_user))
    numbers = [n for n in request.form.getlist("ticket") if n]
    op = request.form.get("op")
    back = redirect(_queue_return(request.form.get("next")))
    if not numbers or op not in BULK_OPS:
        flash(_("Pilih tiket dan tindakannya dulu."), "error")
        return back
    done, failed = 0, []
    for number in numbers:
        try:
            _bulk_one(number, op)
            done += 1
        except (NotFound, ValidationError, InvalidTransition) as exc:
            db.session.rollback()
            failed.append((number, exc.message))
    flash(_("%(done)s dari %(total)s tiket berhasil diproses.", done=done, total=len(numbers)),
          "success" if not failed else "warning")
    for number, message in failed:
        flash(_("%(number)s: %(message)s", number=number, message=message), "error")
    return back


def _queue_return(target):
    """Back to the queue page the form came from, never to another site."""
    if target and target.startswith("/layanan") and "//" not in target and "\\" not in target:
        return target
    return url_for(".staff_queue")


def _bulk_one(number, op):
    form = request.form
    if op == "assign":
        if not form.get("assignee_id", "").isdigit():
            raise ValidationError({"assignee_id": [_("Pilih petugas.")]})
        actions.ticket_assign(current_user, number, form["assignee_id"])
    elif op == "round_robin":
        actions.ticket_assign(current_user, number, None)
    elif op == "priority":
        if form.get("priority") not in Priority.ALL:
            raise ValidationError({"priority": [_("Pilih prioritas.")]})
        actions.ticket_update(current_user, number, {"priority": form["priority"]})
    else:
        tag = form.get("tag", "").strip()
        if not tag:
            raise ValidationError({"tag": [_("Tuliskan tagnya.")]})
        ticket = actions.get_ticket(current_user, number)
        actions.ticket_update(current_user, ticket, {"tags": list(ticket.tags or []) + [tag]})


# ---------------------------------------------------------------- the ticket page

def _page(ticket, status=200, errors=None, data=None, **extra):
    """The staff ticket page; `errors` and `data` are per form, to show a refused form again."""
    attachments = actions.visible_attachments(current_user, ticket)
    by_message = defaultdict(list)
    for att in attachments:
        by_message[att.message_id].append(att)
    can_handle = auth.ticket_handle(current_user, ticket)
    outcomes = _outcomes(ticket)
    context = dict(
        ticket=ticket, messages=actions.visible_messages(current_user, ticket),
        by_message=by_message, history=actions.ticket_history(current_user, ticket),
        canned=actions.canned_list(current_user) if auth.canned_manage(current_user) else [],
        objection=actions.objection_of(current_user, ticket),
        pending=next((a for a in ticket.approvals if a.decision is None), None),
        outcomes=outcomes, errors=errors or {}, data=data or {},
        prefill=_prefill(ticket), kb_available=_kb() is not None, kb_hits=_kb_hits(),
        can_handle=can_handle, choices=_choices(ticket, outcomes, can_handle), State=State,
        Kind=Kind, exemptions=labels.EXEMPTION,
        max_extension=sla.setting("KIP_EXTENSION_MAX_DAYS"))
    context.update(extra)
    response = render_template("tickets/staff_ticket.html", **context)
    return response, status, {"Cache-Control": "no-store"}


def _choices(ticket, outcomes, can_handle):
    """(value, label) pairs of the page's select boxes."""
    if not can_handle:
        return {"exemption": list(labels.EXEMPTION.items())}
    handlers = queues.team_members(ticket.organisation_id)
    if ticket.assignee and ticket.assignee not in handlers:
        handlers.append(ticket.assignee)
    days = sla.setting("KIP_EXTENSION_MAX_DAYS")
    return {
        "assignee": [("bergiliran", _("Bergiliran (petugas tim berikutnya)"))]
        + [(u.id, u.name) for u in handlers],
        "outcome": [(o, labels.status_label(o)) for o in outcomes],
        "exemption": list(labels.EXEMPTION.items()),
        "priority": [(p, labels.label("priority", p)) for p in Priority.ALL],
        "organisation": [(o.id, o.title) for o in _organisations()],
        "days": [(n, n) for n in range(1, days + 1)],
    }


def _outcomes(ticket):
    if ticket.kind != Kind.DATA_REQUEST:
        return [State.RESOLVED]
    if auth.ticket_reject(current_user, ticket):
        return list(State.REQUEST_OUTCOMES)
    # Refusing (wholly or partly) is the PPID's call; the desk does not get the option.
    return [State.FULFILLED, State.NOT_HELD]


def _prefill(ticket):
    """Text put into the reply box by the no-JS template and citation pickers."""
    parts = []
    if request.args.get("templat", "").isdigit() and auth.canned_manage(current_user):
        try:
            parts.append(actions.canned_render(current_user, ticket, request.args["templat"]))
        except NotFound:
            flash(_("Templat tidak ditemukan."), "error")
    if request.args.get("kutip", "").isdigit():
        citation = _cite(request.args["kutip"])
        if citation:
            parts.append(citation)
    return "\n\n".join(parts)


def _kb():
    try:
        from app.kb import actions as kb_actions
    except ImportError:
        return None
    if hasattr(kb_actions, "article_search") and hasattr(kb_actions, "article_cite"):
        return kb_actions
    return None


def _kb_hits():
    query = request.args.get("kb", "").strip()
    kb = _kb()
    if not query or kb is None:
        return None
    return kb.article_search(current_user, query, limit=5)


def _cite(article_id):
    kb = _kb()
    if kb is None:
        return None
    try:
        return kb.article_cite(current_user, int(article_id)).text
    except DomainError as exc:
        flash(exc.message, "error")
        return None


@bp.route("/layanan/tiket/<number>")
@login_required
def staff_ticket(number):
    return _page(actions.staff_ticket(current_user, number))


def _act(number, form_name, work, success, anchor=None):
    """Run one handling step; on refused input show the page again with that form's errors."""
    ticket = actions.staff_ticket(current_user, number)
    try:
        result = work(ticket)
    except ValidationError as exc:
        db.session.rollback()
        return _page(actions.staff_ticket(current_user, number), status=422,
                     errors={form_name: exc.errors}, data={form_name: _form()})
    except InvalidTransition as exc:
        # The step no longer fits the ticket's state (its form may be gone from the page):
        # say so at the top, keeping what was typed.
        db.session.rollback()
        flash(exc.message, "error")
        return _page(actions.staff_ticket(current_user, number), status=409,
                     data={form_name: _form()})
    flash(success, "success")
    target = result if isinstance(result, Ticket) else ticket
    return redirect(url_for(".staff_ticket", number=target.number, _anchor=anchor))


@bp.route("/layanan/tiket/<number>/tugaskan", methods=["POST"])
@login_required
def staff_assign(number):
    choice = request.form.get("assignee_id", "")
    if choice == "bergiliran":
        choice = None
    elif not choice.isdigit():
        choice = "0"  # nobody (or nonsense) chosen: the action answers "officer not found"
    return _act(number, "assign", lambda t: actions.ticket_assign(current_user, t, choice),
                _("Tiket ditugaskan."))


@bp.route("/layanan/tiket/<number>/mulai", methods=["POST"])
@login_required
def staff_start(number):
    return _act(number, "state", lambda t: actions.ticket_start(current_user, t),
                _("Tiket mulai diproses."))


@bp.route("/layanan/tiket/<number>/lanjutkan", methods=["POST"])
@login_required
def staff_resume(number):
    return _act(number, "state", lambda t: actions.ticket_resume(current_user, t),
                _("Jam layanan berjalan lagi."))


@bp.route("/layanan/tiket/<number>/ubah", methods=["POST"])
@login_required
def staff_update(number):
    form = request.form
    data = {"priority": form.get("priority", ""), "tags": _names(form.get("tags", ""), ","),
            "public": "1" if form.get("public") else "0"}
    if form.get("organisation_id"):
        data["organisation_id"] = form["organisation_id"]
    return _act(number, "update", lambda t: actions.ticket_update(current_user, t, data),
                _("Perubahan disimpan."), "kelola")


@bp.route("/layanan/tiket/<number>/dataset", methods=["POST"])
@login_required
def staff_dataset(number):
    name = request.form.get("dataset", "").strip()
    unlink = request.form.get("op") == "unlink"

    def work(ticket):
        if not name:
            raise ValidationError({"dataset": [_("Tuliskan nama singkat dataset.")]})
        try:
            return actions.ticket_link_dataset(current_user, ticket, name, unlink=unlink)
        except NotFound as exc:
            raise ValidationError({"dataset": [exc.message]}) from exc

    return _act(number, "dataset", work,
                _("Tautan dataset dilepas.") if unlink else _("Dataset ditautkan."), "dataset")


@bp.route("/layanan/tiket/<number>/pesan", methods=["POST"])
@login_required
def staff_message(number):
    mode = request.form.get("mode", "reply")
    data, files = {"body": request.form.get("body", "")}, _files()

    def work(ticket):
        if mode == "note":
            return actions.ticket_note(current_user, ticket, data, files)
        if mode == "clarify":
            if files:
                raise ValidationError({"file": [_(
                    "Permintaan klarifikasi dikirim tanpa lampiran; kirim berkasnya sebagai "
                    "balasan.")]})
            return actions.ticket_clarify(current_user, ticket, data)
        return actions.ticket_reply(current_user, ticket, data, files)

    success = {"note": _("Catatan internal disimpan."),
               "clarify": _("Permintaan klarifikasi dikirim; jam layanan berhenti.")}
    return _act(number, "message", work, success.get(mode, _("Balasan dikirim.")), "percakapan")


@bp.route("/layanan/tiket/<number>/perpanjang", methods=["POST"])
@login_required
def staff_extend(number):
    data = {"days": request.form.get("days", ""), "reason": request.form.get("reason", "")}
    return _act(number, "extend", lambda t: actions.ticket_extend(current_user, t, data),
                _("Jangka waktu diperpanjang."))


@bp.route("/layanan/tiket/<number>/walidata", methods=["POST"])
@login_required
def staff_approval_ask(number):
    data = {"dataset_id": request.form.get("dataset_id", ""),
            "note": request.form.get("note", "")}

    def work(ticket):
        try:
            return actions.approval_request(current_user, ticket, data)
        except NotFound as exc:
            raise ValidationError({"dataset_id": [exc.message]}) from exc

    return _act(number, "approval_ask", work, _("Diajukan ke walidata untuk persetujuan."))


@bp.route("/layanan/tiket/<number>/keputusan-walidata", methods=["POST"])
@login_required
def staff_approval_decide(number):
    form = request.form
    data = {"decision": form.get("decision", ""), "reason": form.get("reason", ""),
            "exemption": form.get("exemption", ""),
            "grant_access": "1" if form.get("grant_access") else "0"}
    return _act(number, "approval_decide",
                lambda t: actions.approval_decide(current_user, t, data),
                _("Keputusan walidata disimpan."))


@bp.route("/layanan/tiket/<number>/jawab", methods=["POST"])
@login_required
def staff_answer(number):
    form = request.form
    data = {"outcome": form.get("outcome", ""), "answer": form.get("answer", ""),
            "dataset_ids": _names(form.get("datasets", ""))}
    # Only the fields of the chosen outcome: an exemption left selected from an earlier try
    # must not end up on a fulfilled answer.
    if data["outcome"] in (State.REJECTED, State.PARTIALLY_FULFILLED):
        data["exemption"] = form.get("exemption", "")
    if data["outcome"] == State.NOT_HELD:
        data["redirect_agency"] = form.get("redirect_agency", "")
    files = _files()

    def work(ticket):
        try:
            return actions.ticket_answer(current_user, ticket, data, files)
        except NotFound as exc:
            raise ValidationError({"datasets": [exc.message]}) from exc

    return _act(number, "answer", work, _("Jawaban dikirim dan tiket ditutup."))


@bp.route("/layanan/tiket/<number>/gabung", methods=["POST"])
@login_required
def staff_merge(number):
    into = request.form.get("into", "").strip()

    def work(ticket):
        if not into:
            raise ValidationError({"into": [_("Tuliskan nomor tiket tujuan.")]})
        try:
            return actions.ticket_merge(current_user, ticket, into)
        except NotFound as exc:
            raise ValidationError({"into": [exc.message]}) from exc

    return _act(number, "merge", work, _("Tiket digabung."))


@bp.route("/layanan/tiket/<number>/keberatan", methods=["POST"])
@login_required
def staff_objection_decide(number):
    data = {"decision": request.form.get("decision", ""),
            "answer": request.form.get("answer", "")}
    return _act(number, "objection", lambda t: actions.objection_decide(current_user, t, data),
                _("Putusan keberatan disimpan."))


@bp.route("/layanan/tiket/<number>/nik", methods=["POST"])
@login_required
def staff_nik(number):
    """The full NIK, once, on this response only (never in a redirect or the session)."""
    ticket = actions.staff_ticket(current_user, number)
    full = actions.nik_view(current_user, ticket)
    return _page(ticket, full_nik=full)


@bp.route("/layanan/tiket/<number>/lampiran/<int:attachment_id>")
@login_required
def staff_attachment(number, attachment_id):
    ticket = actions.staff_ticket(current_user, number)
    att, fh = actions.attachment_open(current_user, attachment_id)
    if att.ticket_id != ticket.id:
        fh.close()
        raise NotFound(_("Lampiran tidak ditemukan."))
    resp = send_file(fh, mimetype=att.media_type or "application/octet-stream",
                     as_attachment=True, download_name=att.filename, max_age=0)
    # Identity documents too: no cache on a shared office computer, no type sniffing.
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/layanan/tiket/<number>/templat/<int:reply_id>")
@login_required
def staff_canned_text(number, reply_id):
    ticket = actions.staff_ticket(current_user, number)
    return jsonify(text=actions.canned_render(current_user, ticket, reply_id))


# ---------------------------------------------------------------- canned replies

@bp.route("/layanan/templat", methods=["GET", "POST"])
@login_required
def staff_canned():
    return _canned_page(None)


@bp.route("/layanan/templat/<int:reply_id>", methods=["GET", "POST"])
@login_required
def staff_canned_edit(reply_id):
    return _canned_page(reply_id)


def _canned_page(reply_id):
    replies = actions.canned_list(current_user)
    editing = next((r for r in replies if r.id == reply_id), None)
    if reply_id is not None and editing is None:
        raise NotFound(_("Templat tidak ditemukan."))
    data = {"title": editing.title, "body": editing.body} if editing else {}
    errors = {}
    if request.method == "POST":
        data = _form()
        try:
            actions.canned_save(current_user, data, reply_id)
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            flash(_("Templat disimpan."), "success")
            return redirect(url_for(".staff_canned"))
    return render_template("tickets/staff_canned.html", replies=replies, editing=editing,
                           data=data, errors=errors), (422 if errors else 200)


@bp.route("/layanan/templat/<int:reply_id>/hapus", methods=["POST"])
@login_required
def staff_canned_delete(reply_id):
    actions.canned_delete(current_user, reply_id)
    flash(_("Templat dihapus."), "success")
    return redirect(url_for(".staff_canned"))


# ---------------------------------------------------------------- walk-in, phone, e-mail

@bp.route("/layanan/baru", methods=["GET", "POST"])
@login_required
def staff_new():
    # The form is for officers; the action refuses a staff channel to anyone else.
    check(auth.ticket_handle(current_user))
    errors = {}
    data = {"channel": Channel.WALK_IN, "kind": Kind.DATA_REQUEST,
            "submission_key": secrets.token_urlsafe(16)}
    if request.method == "POST":
        data = _form()
        try:
            ticket = actions.request_submit(
                current_user, dict(data, dataset_ids=_names(data.get("datasets", ""))),
                files=_files(), identity_files=_files("identity_file"))
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
        except NotFound as exc:  # a dataset name that does not exist
            db.session.rollback()
            errors = {"datasets": [exc.message]}
        else:
            flash(_("Permohonan dicatat dengan nomor %(number)s.", number=ticket.number),
                  "success")
            return redirect(url_for(".staff_ticket", number=ticket.number))
    return render_template(
        "tickets/staff_new.html", data=data, errors=errors,
        channels=[(c, labels.label("channel", c)) for c in Channel.STAFF_ENTERED],
        kinds=[(k, labels.label("kind", k)) for k in Kind.FILED],
        formats=[(f, labels.label("format", f)) for f in Format.ALL],
        deliveries=[(d, labels.label("delivery", d)) for d in Delivery.ALL],
    ), (422 if errors else 200)
