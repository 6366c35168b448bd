"""Help-desk data: tickets (data requests, questions, complaints, objections, ...) with their
legal clock, messages, attachments, approvals and the satisfaction survey."""
from sqlalchemy import Index, event, text

from app.core.timeutil import utcnow
from app.extensions import db


class Kind:
    DATA_REQUEST = "data_request"
    QUESTION = "question"
    COMPLAINT = "complaint"
    OBJECTION = "objection"
    ERROR_REPORT = "error_report"
    SUGGESTION = "suggestion"
    ALL = (DATA_REQUEST, QUESTION, COMPLAINT, OBJECTION, ERROR_REPORT, SUGGESTION)
    # Registration number prefixes: PD-2026-000123 is the 123rd data request of 2026.
    PREFIX = {DATA_REQUEST: "PD", QUESTION: "PT", COMPLAINT: "AD", OBJECTION: "KB",
              ERROR_REPORT: "LK", SUGGESTION: "US"}
    # Kinds a citizen files from the form; an objection is filed from an earlier request.
    FILED = (DATA_REQUEST, QUESTION, COMPLAINT, ERROR_REPORT, SUGGESTION)


class Channel:
    WEB = "web"
    TELEGRAM = "telegram"
    API = "api"
    WALK_IN = "walk_in"
    PHONE = "phone"
    EMAIL = "email"
    ALL = (WEB, TELEGRAM, API, WALK_IN, PHONE, EMAIL)
    STAFF_ENTERED = (WALK_IN, PHONE, EMAIL)


class State:
    RECEIVED = "received"
    NEEDS_CLARIFICATION = "needs_clarification"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    AWAITING_APPROVAL = "awaiting_approval"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    REJECTED = "rejected"
    NOT_HELD = "not_held"
    RESOLVED = "resolved"          # a question, complaint, report or suggestion answered
    WITHDRAWN = "withdrawn"
    MERGED = "merged"              # a duplicate, answered in the ticket it was merged into
    OBJECTION = "objection"        # the request is under objection (a linked objection ticket)
    OBJECTION_DECIDED = "objection_decided"

    OPEN = (RECEIVED, NEEDS_CLARIFICATION, IN_PROGRESS, EXTENDED, AWAITING_APPROVAL)
    ANSWERED = (FULFILLED, PARTIALLY_FULFILLED, REJECTED, NOT_HELD, RESOLVED)
    CLOSED = ANSWERED + (WITHDRAWN, MERGED, OBJECTION, OBJECTION_DECIDED)
    ALL = OPEN + CLOSED
    # Outcomes a data request can be answered with; other kinds are simply resolved.
    REQUEST_OUTCOMES = (FULFILLED, PARTIALLY_FULFILLED, REJECTED, NOT_HELD)


class Sla:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    DONE = "done"
    ALL = (ON_TIME, DUE_SOON, OVERDUE, PAUSED, DONE)


class Priority:
    LOW, NORMAL, HIGH, URGENT = "low", "normal", "high", "urgent"
    ALL = (LOW, NORMAL, HIGH, URGENT)


class Format:
    """How the requester wants to get the information (UU KIP: melihat, salinan)."""
    VIEW = "view"
    SOFTCOPY = "softcopy"
    HARDCOPY = "hardcopy"
    ALL = (VIEW, SOFTCOPY, HARDCOPY)


class Delivery:
    DOWNLOAD = "download"      # a link in the portal
    EMAIL = "email"
    TELEGRAM = "telegram"
    PICKUP = "pickup"          # taken in person at the service desk
    POST = "post"
    ALL = (DOWNLOAD, EMAIL, TELEGRAM, PICKUP, POST)


class Exemption:
    """UU 14/2008 Pasal 17: the categories of information exempt from disclosure (a refusal
    must cite one), plus Pasal 6 (information not yet controlled/documented)."""
    ALL = ("17a", "17b", "17c", "17d", "17e", "17f", "17g", "17h", "17i", "17j")


class ObjectionGround:
    """UU 14/2008 Pasal 35 (1)."""
    ALL = ("refused", "not_published", "not_answered", "answered_differently", "not_fulfilled",
           "unreasonable_cost", "late")


ticket_datasets = db.Table(
    "ticket_dataset",
    db.Column("ticket_id", db.ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True),
    db.Column("dataset_id", db.ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
)


class TicketCounter(db.Model):
    """The last registration number given per prefix and year (numbers restart each year)."""

    __tablename__ = "ticket_counter"
    prefix = db.Column(db.String(4), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    last = db.Column(db.Integer, nullable=False, default=0)


class Ticket(db.Model):
    __tablename__ = "ticket"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), nullable=False, unique=True)
    check_code = db.Column(db.String(12), nullable=False)
    kind = db.Column(db.String(20), nullable=False)
    channel = db.Column(db.String(10), nullable=False)
    status = db.Column(db.String(24), nullable=False, default=State.RECEIVED)
    priority = db.Column(db.String(8), nullable=False, default=Priority.NORMAL)

    subject = db.Column(db.String(255), nullable=False)
    body = db.Column(db.Text, nullable=False)          # the information wanted / the message
    purpose = db.Column(db.Text, nullable=True)        # purpose of use (data requests)
    format = db.Column(db.String(10), nullable=True)
    delivery = db.Column(db.String(10), nullable=True)

    # Who asked. requester_id is empty for walk-in, phone and unlinked Telegram requests.
    requester_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True,
                             index=True)
    requester_name = db.Column(db.String(255), nullable=True)
    identity_kind = db.Column(db.String(10), nullable=True)     # "nik" or "badan" (legal entity)
    nik_encrypted = db.Column(db.Text, nullable=True)
    nik_masked = db.Column(db.String(16), nullable=True)
    address = db.Column(db.Text, nullable=True)
    phone = db.Column(db.String(40), nullable=True)
    email = db.Column(db.String(255), nullable=True)
    telegram_chat_id = db.Column(db.BigInteger, nullable=True, index=True)
    consent_at = db.Column(db.DateTime, nullable=True)
    personal_data_purged_at = db.Column(db.DateTime, nullable=True)

    organisation_id = db.Column(db.ForeignKey("organisation.id", ondelete="SET NULL"),
                                nullable=True, index=True)       # the team handling it
    assignee_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True,
                            index=True)
    assigned_at = db.Column(db.DateTime, nullable=True)
    related_id = db.Column(db.ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True,
                           index=True)   # an objection's request
    merged_into_id = db.Column(db.ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True)
    tags = db.Column(db.JSON, nullable=False, default=list)

    # The legal clock, in Asia/Jakarta dates.
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    received_on = db.Column(db.Date, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    paused_on = db.Column(db.Date, nullable=True)
    paused_days = db.Column(db.Integer, nullable=False, default=0)
    extended_at = db.Column(db.DateTime, nullable=True)
    extension_days = db.Column(db.Integer, nullable=True)
    extension_reason = db.Column(db.Text, nullable=True)
    sla_state = db.Column(db.String(10), nullable=False, default=Sla.ON_TIME)
    warned_due_soon_on = db.Column(db.Date, nullable=True)
    warned_overdue_on = db.Column(db.Date, nullable=True)

    # The answer.
    answered_at = db.Column(db.DateTime, nullable=True)
    answered_on = db.Column(db.Date, nullable=True)
    answer = db.Column(db.Text, nullable=True)
    exemption = db.Column(db.String(4), nullable=True)
    redirect_agency = db.Column(db.String(255), nullable=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    # Objection tickets: the grounds and the superior's decision.
    objection_grounds = db.Column(db.JSON, nullable=True)
    decision = db.Column(db.String(10), nullable=True)    # "upheld" or "dismissed"
    public = db.Column(db.Boolean, nullable=False, default=True)  # may appear in the register
    search_text = db.Column(db.Text, nullable=False, default="")
    # A double submit (two clicks, a retried bot update) carries the same key: one ticket.
    submission_key = db.Column(db.String(80), nullable=True, unique=True)

    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    requester = db.relationship("User", foreign_keys=[requester_id])
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    organisation = db.relationship("Organisation")
    related = db.relationship("Ticket", remote_side=[id], foreign_keys=[related_id])
    merged_into = db.relationship("Ticket", remote_side=[id], foreign_keys=[merged_into_id])
    datasets = db.relationship("Dataset", secondary=ticket_datasets, lazy="selectin",
                               order_by="Dataset.title")
    messages = db.relationship("TicketMessage", back_populates="ticket",
                               cascade="all, delete-orphan", order_by="TicketMessage.id")
    attachments = db.relationship("TicketAttachment", back_populates="ticket",
                                  cascade="all, delete-orphan", order_by="TicketAttachment.id")
    approvals = db.relationship("Approval", back_populates="ticket",
                                cascade="all, delete-orphan", order_by="Approval.id")
    survey = db.relationship("SurveyResponse", back_populates="ticket", uselist=False,
                             cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_ticket_queue", "status", "sla_state", "due_on"),
        Index("ix_ticket_sla", "sla_state", "due_on"),
        Index("ix_ticket_received", "received_on"),
        # The queues' sort orders, so a page of 'closed' or 'all' needs no sort of the table.
        Index("ix_ticket_due", "due_on", "id"),
        Index("ix_ticket_received_at", "received_at", "id"),
        # Word and name search in the staff queue: LIKE '%...%' served by trigrams.
        Index("ix_ticket_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
        Index("ix_ticket_requester_trgm", "requester_name", postgresql_using="gin",
              postgresql_ops={"requester_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    @property
    def is_open(self):
        return self.status in State.OPEN

    def __repr__(self):
        return f"<Ticket {self.number} {self.status}>"


class MessageKind:
    REPLY = "reply"            # staff to requester, public
    NOTE = "note"              # staff only
    REQUESTER = "requester"    # from the requester
    SYSTEM = "system"          # state changes worth showing on the timeline
    ALL = (REPLY, NOTE, REQUESTER, SYSTEM)
    PUBLIC = (REPLY, REQUESTER, SYSTEM)


class TicketMessage(db.Model):
    __tablename__ = "ticket_message"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    kind = db.Column(db.String(10), nullable=False)
    author_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    author_label = db.Column(db.String(255), nullable=False)
    body = db.Column(db.Text, nullable=False)
    channel = db.Column(db.String(10), nullable=True)
    external_id = db.Column(db.String(64), nullable=True, unique=True)  # e.g. a Telegram update
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ticket = db.relationship("Ticket", back_populates="messages")
    author = db.relationship("User")
    attachments = db.relationship("TicketAttachment", back_populates="message")


class TicketAttachment(db.Model):
    __tablename__ = "ticket_attachment"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    message_id = db.Column(db.ForeignKey("ticket_message.id", ondelete="SET NULL"),
                           nullable=True)
    storage_key = db.Column(db.String(120), nullable=False)
    filename = db.Column(db.String(255), nullable=False)
    media_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    # Internal files (a note's attachment) are for staff; identity documents are personal data.
    visibility = db.Column(db.String(10), nullable=False, default="public")
    uploaded_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ticket = db.relationship("Ticket", back_populates="attachments")
    message = db.relationship("TicketMessage", back_populates="attachments")


class Approval(db.Model):
    """A request for restricted data put to the custodian (walidata), and the decision."""

    __tablename__ = "ticket_approval"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    dataset_id = db.Column(db.ForeignKey("dataset.id", ondelete="SET NULL"), nullable=True)
    asked_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    asked_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    note = db.Column(db.Text, nullable=True)
    decision = db.Column(db.String(10), nullable=True)   # "approved" / "refused"
    decided_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    decided_at = db.Column(db.DateTime, nullable=True)
    reason = db.Column(db.Text, nullable=True)
    exemption = db.Column(db.String(4), nullable=True)
    grant_access = db.Column(db.Boolean, nullable=False, default=False)

    ticket = db.relationship("Ticket", back_populates="approvals")
    dataset = db.relationship("Dataset")
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])


class SurveyResponse(db.Model):
    """The nine IKM elements (1-4 each) answered after a ticket closed; one per ticket."""

    __tablename__ = "survey_response"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True,
                          unique=True)
    organisation_id = db.Column(db.ForeignKey("organisation.id", ondelete="SET NULL"),
                                nullable=True, index=True)
    channel = db.Column(db.String(10), nullable=True)
    e1 = db.Column(db.SmallInteger, nullable=False)
    e2 = db.Column(db.SmallInteger, nullable=False)
    e3 = db.Column(db.SmallInteger, nullable=False)
    e4 = db.Column(db.SmallInteger, nullable=False)
    e5 = db.Column(db.SmallInteger, nullable=False)
    e6 = db.Column(db.SmallInteger, nullable=False)
    e7 = db.Column(db.SmallInteger, nullable=False)
    e8 = db.Column(db.SmallInteger, nullable=False)
    e9 = db.Column(db.SmallInteger, nullable=False)
    comment = db.Column(db.Text, nullable=True)
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    ticket = db.relationship("Ticket", back_populates="survey")

    ELEMENTS = ("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9")


class CannedReply(db.Model):
    """A reply template with placeholders such as {nomor}, {nama}, {tenggat}."""

    __tablename__ = "canned_reply"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False, unique=True)
    body = db.Column(db.Text, nullable=False)
    created_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)



@event.listens_for(db.metadata, "before_create")
def _trigram_extension(target, connection, **kw):
    """The trigram indexes above need pg_trgm (a trusted extension since PostgreSQL 13)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
