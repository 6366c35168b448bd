"""The admin's corrections to the national calendar: they win over the `holidays` package."""
from app.core.timeutil import utcnow
from app.extensions import db


class CalendarOverride(db.Model):
    """One day the government decreed differently from what the package knows.

    is_workday=False: a day off (a newly decreed cuti bersama); True: a working day (a leave
    day that was cancelled or moved).
    """

    __tablename__ = "calendar_override"

    day = db.Column(db.Date, primary_key=True)
    is_workday = db.Column(db.Boolean, nullable=False)
    note = db.Column(db.String(255), nullable=False)
    created_by_id = db.Column(db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    created_by = db.relationship("User", foreign_keys=[created_by_id])

    def __repr__(self):
        return f"<CalendarOverride {self.day} {'kerja' if self.is_workday else 'libur'}>"
