"""Audit log: who did what to which object, before and after, in the same transaction."""
from sqlalchemy import JSON, Index

from app.core.timeutil import utcnow
from app.extensions import db


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, nullable=True)
    actor_label = db.Column(db.String(255), nullable=False)
    action = db.Column(db.String(80), nullable=False)
    object_type = db.Column(db.String(40), nullable=False)
    object_id = db.Column(db.String(64), nullable=False)
    before = db.Column(JSON, nullable=True)
    after = db.Column(JSON, nullable=True)
    note = db.Column(db.Text, nullable=True)

    __table_args__ = (Index("ix_audit_object", "object_type", "object_id", "at"),)


def _label(actor):
    if getattr(actor, "is_system", False):
        return "system"
    return getattr(actor, "email", None) or "anonymous"


def record(actor, action, obj, before=None, after=None, note=None, object_type=None):
    """Add an audit row to the session; the caller's commit makes it durable with the change.

    `obj` is a model instance (its table name and id are used), or an id when
    object_type is given.
    """
    if object_type is None:
        object_type = obj.__tablename__
        db.session.flush()  # the object needs its id before we can point at it
        object_id = obj.id
    else:
        object_id = obj
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_label=_label(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        note=note,
    )
    db.session.add(entry)
    return entry


def history(object_type, object_id):
    """Audit rows of one object, oldest first."""
    return (
        AuditLog.query.filter_by(object_type=object_type, object_id=str(object_id))
        .order_by(AuditLog.at, AuditLog.id)
        .all()
    )


def diff(before, after):
    """Only the fields that changed, as (before, after) dicts: keeps the log readable."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
