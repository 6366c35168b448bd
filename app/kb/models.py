"""Knowledge-base data: FAQ articles in Indonesian."""
from sqlalchemy import JSON

from app.core.timeutil import utcnow
from app.extensions import db


class Category:
    PERMOHONAN = "permohonan"   # requests for information, deadlines, objections
    DATA = "data"               # finding, downloading, citing and using data
    AKUN = "akun"               # accounts, the bot, the survey
    LAINNYA = "lainnya"
    ALL = (PERMOHONAN, DATA, AKUN, LAINNYA)


class Article(db.Model):
    __tablename__ = "kb_article"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(100), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    # Plain text: paragraphs separated by a blank line, "- " list items. Never HTML.
    body = db.Column(db.Text, nullable=False, default="")
    tags = db.Column(JSON, nullable=False, default=list)
    category = db.Column(db.String(20), nullable=False, default=Category.LAINNYA, index=True)
    published = db.Column(db.Boolean, nullable=False, default=False, index=True)
    views = db.Column(db.Integer, nullable=False, default=0)
    # Stemmed words of title, tags and body (see app/kb/search.py); rebuilt on every save.
    search_text = db.Column(db.Text, nullable=False, default="")
    created_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    updated_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    created_by = db.relationship("User", foreign_keys=[created_by_id])
    updated_by = db.relationship("User", foreign_keys=[updated_by_id])

    def __repr__(self):
        return f"<Article {self.slug}>"
