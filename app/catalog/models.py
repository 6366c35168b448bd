"""Catalogue data: datasets with the Satu Data metadata, their resources and reference tables."""
import uuid

from sqlalchemy import JSON, Index, UniqueConstraint

from app.core.timeutil import utcnow
from app.extensions import db


def _uuid():
    return str(uuid.uuid4())


class Status:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVISION = "revision"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    ALL = (DRAFT, SUBMITTED, REVISION, PUBLISHED, WITHDRAWN)
    EDITABLE = (DRAFT, REVISION)


class Access:
    TERBUKA = "terbuka"      # open
    TERBATAS = "terbatas"    # restricted: metadata public, files on request
    TERTUTUP = "tertutup"    # closed: inventory only, for staff
    ALL = (TERBUKA, TERBATAS, TERTUTUP)
    PUBLIC_LISTED = (TERBUKA, TERBATAS)


class Frequency:
    ALL = ("harian", "mingguan", "bulanan", "triwulanan", "semesteran", "tahunan",
           "lima_tahunan", "tidak_tentu")
    # Days until the next update is due; None means no schedule.
    DAYS = {"harian": 1, "mingguan": 7, "bulanan": 31, "triwulanan": 92, "semesteran": 183,
            "tahunan": 366, "lima_tahunan": 1827, "tidak_tentu": None}


class PiiDecisionKind:
    ALL = ("masked", "removed", "justified")


dataset_tags = db.Table(
    "dataset_tag",
    db.Column("dataset_id", db.ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", db.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(db.Model):
    __tablename__ = "topic"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)


class License(db.Model):
    __tablename__ = "license"
    id = db.Column(db.String(40), primary_key=True)  # CKAN-style id, e.g. "cc-by-4.0"
    title = db.Column(db.String(200), nullable=False)
    url = db.Column(db.String(500), nullable=True)
    is_open = db.Column(db.Boolean, nullable=False, default=True)


class Tag(db.Model):
    __tablename__ = "tag"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False, unique=True)


class Region(db.Model):
    """Kemendagri region codes (kode wilayah): 32, 32.73, 32.73.01, 32.73.01.1001."""

    __tablename__ = "region"
    code = db.Column(db.String(13), primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    level = db.Column(db.String(20), nullable=False)
    parent_code = db.Column(db.String(13), nullable=True, index=True)


class Dataset(db.Model):
    __tablename__ = "dataset"

    id = db.Column(db.String(36), primary_key=True, default=_uuid)
    name = db.Column(db.String(100), nullable=False, unique=True)
    title = db.Column(db.String(255), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    organisation_id = db.Column(db.ForeignKey("organisation.id"), nullable=False, index=True)
    custodian_id = db.Column(db.ForeignKey("organisation.id"), nullable=True)
    topic_id = db.Column(db.ForeignKey("topic.id"), nullable=True, index=True)
    frequency = db.Column(db.String(20), nullable=False, default="tahunan")
    next_update_due = db.Column(db.Date, nullable=True)
    period_start = db.Column(db.Integer, nullable=True)
    period_end = db.Column(db.Integer, nullable=True)
    spatial_coverage = db.Column(db.String(255), nullable=False, default="")
    kode_wilayah = db.Column(db.ForeignKey("region.code"), nullable=True)
    unit = db.Column(db.String(100), nullable=False, default="")
    konsep = db.Column(db.Text, nullable=False, default="")
    definisi = db.Column(db.Text, nullable=False, default="")
    klasifikasi = db.Column(db.Text, nullable=False, default="")
    ukuran = db.Column(db.Text, nullable=False, default="")
    kode_sdsn = db.Column(db.String(40), nullable=True)
    access = db.Column(db.String(10), nullable=False, default=Access.TERBUKA, index=True)
    license_id = db.Column(db.ForeignKey("license.id"), nullable=True)
    contact_name = db.Column(db.String(200), nullable=False, default="")
    contact_email = db.Column(db.String(255), nullable=False, default="")
    priority = db.Column(db.Boolean, nullable=False, default=False)
    status = db.Column(db.String(12), nullable=False, default=Status.DRAFT, index=True)
    created_by_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    submitted_by_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    submitted_at = db.Column(db.DateTime, nullable=True)
    published_at = db.Column(db.DateTime, nullable=True)

    organisation = db.relationship("Organisation", foreign_keys=[organisation_id],
                                   lazy="joined")
    custodian = db.relationship("Organisation", foreign_keys=[custodian_id])
    topic = db.relationship("Topic", lazy="joined")
    license = db.relationship("License", lazy="joined")
    region = db.relationship("Region")
    tags = db.relationship("Tag", secondary=dataset_tags, lazy="selectin", order_by="Tag.name")
    resources = db.relationship("Resource", back_populates="dataset", lazy="selectin",
                                cascade="all, delete-orphan", order_by="Resource.position")
    notes = db.relationship("ReviewNote", back_populates="dataset", lazy="selectin",
                            cascade="all, delete-orphan", order_by="ReviewNote.id")
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (Index("ix_dataset_status_access", "status", "access"),)

    def open_notes(self):
        return [n for n in self.notes if not n.resolved]

    def notes_for(self, field):
        return [n for n in self.open_notes() if n.field == field]

    def years(self):
        if self.period_start is None:
            return []
        return list(range(self.period_start, (self.period_end or self.period_start) + 1))

    def formats(self):
        return sorted({r.format for r in self.resources if r.format})


class Resource(db.Model):
    __tablename__ = "resource"

    id = db.Column(db.String(36), primary_key=True, default=_uuid)
    dataset_id = db.Column(db.ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    name = db.Column(db.String(255), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    kind = db.Column(db.String(10), nullable=False, default="upload")  # upload | link
    format = db.Column(db.String(10), nullable=False)
    url = db.Column(db.String(2000), nullable=True)
    original_filename = db.Column(db.String(255), nullable=True)
    mimetype = db.Column(db.String(100), nullable=True)
    storage_key = db.Column(db.String(200), nullable=True)
    normalized_key = db.Column(db.String(200), nullable=True)  # UTF-8 CSV of tabular data
    size = db.Column(db.BigInteger, nullable=True)
    sha256 = db.Column(db.String(64), nullable=True)
    table_schema = db.Column(JSON, nullable=True)
    report = db.Column(JSON, nullable=True)
    preview = db.Column(JSON, nullable=True)
    row_count = db.Column(db.Integer, nullable=True)
    # The copy the public gets when the custodian masked or removed personal-data columns.
    public_key = db.Column(db.String(200), nullable=True)
    public_schema = db.Column(JSON, nullable=True)
    public_preview = db.Column(JSON, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    dataset = db.relationship("Dataset", back_populates="resources")
    pii_decisions = db.relationship("PiiDecision", lazy="selectin",
                                    cascade="all, delete-orphan")

    @property
    def is_tabular(self):
        return self.normalized_key is not None

    @property
    def valid(self):
        return not self.report or bool(self.report.get("valid", True))

    def pii_columns(self):
        return [p["column"] for p in (self.report or {}).get("pii", [])]

    @property
    def redacted(self):
        return self.public_key is not None

    def pii_undecided(self):
        decided = {d.column for d in self.pii_decisions}
        return [c for c in self.pii_columns() if c not in decided]


class PiiDecision(db.Model):
    """The custodian's decision on a column flagged as personal data (UU 27/2022)."""

    __tablename__ = "pii_decision"
    id = db.Column(db.Integer, primary_key=True)
    resource_id = db.Column(db.ForeignKey("resource.id", ondelete="CASCADE"), nullable=False)
    column = db.Column(db.String(200), nullable=False)
    decision = db.Column(db.String(12), nullable=False)
    reason = db.Column(db.Text, nullable=False, default="")
    decided_by_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("resource_id", "column", name="uq_pii_resource_column"),)


class ReviewNote(db.Model):
    """A custodian's note on a returned dataset, on one field ("_" for the whole dataset)."""

    __tablename__ = "review_note"
    id = db.Column(db.Integer, primary_key=True)
    dataset_id = db.Column(db.ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    field = db.Column(db.String(60), nullable=False, default="_")
    note = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    answer = db.Column(db.Text, nullable=True)
    answered_by_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    answered_at = db.Column(db.DateTime, nullable=True)
    resolved = db.Column(db.Boolean, nullable=False, default=False)

    dataset = db.relationship("Dataset", back_populates="notes")
    author = db.relationship("User", foreign_keys=[author_id])


class DatasetAccess(db.Model):
    """Users allowed to download a restricted (terbatas) dataset's files."""

    __tablename__ = "dataset_access"
    dataset_id = db.Column(db.ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    reason = db.Column(db.Text, nullable=False, default="")
    granted_by_id = db.Column(db.ForeignKey("user.id"), nullable=True)
    granted_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", foreign_keys=[user_id], lazy="joined")


class DownloadCount(db.Model):
    __tablename__ = "download_count"
    resource_id = db.Column(db.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    day = db.Column(db.Date, primary_key=True)
    count = db.Column(db.Integer, nullable=False, default=0)


class UsageReport(db.Model):
    """A month's usage report (SPBE level 1 evidence), generated as PDF and HTML into storage.

    One per month: generating a month again replaces its files, so every past month keeps
    exactly one report.
    """

    __tablename__ = "usage_report"
    id = db.Column(db.Integer, primary_key=True)
    year = db.Column(db.Integer, nullable=False)
    month = db.Column(db.Integer, nullable=False)
    generated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    pdf_key = db.Column(db.String(200), nullable=False)
    html_key = db.Column(db.String(200), nullable=False)

    __table_args__ = (UniqueConstraint("year", "month", name="uq_usage_report_month"),)

    @property
    def key(self):
        return f"{self.year:04d}-{self.month:02d}"


class SearchQuery(db.Model):
    """One catalogue search, without personal data: no user, no address, the text normalised
    (lowercase, spaces collapsed, long digit runs and e-mail addresses masked)."""

    __tablename__ = "search_query"
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False, index=True)
    hits = db.Column(db.Integer, nullable=False, default=0)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
