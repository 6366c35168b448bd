from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.timeutil import utcnow
from app.extensions import db

memberships = db.Table(
    "membership",
    db.Column("user_id", db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    db.Column("organisation_id", db.ForeignKey("organisation.id", ondelete="CASCADE"),
              primary_key=True),
)


class Organisation(db.Model):
    """An agency unit: a producer (Dinas, Badan) or the custodian (walidata) itself."""

    __tablename__ = "organisation"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False, unique=True)  # URL slug
    title = db.Column(db.String(255), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    is_custodian = db.Column(db.Boolean, nullable=False, default=False)
    email = db.Column(db.String(255), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.name}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id = db.Column(db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False, unique=True)
    name = db.Column(db.String(255), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime, nullable=True)

    role_rows = db.relationship("UserRole", cascade="all, delete-orphan", lazy="selectin")
    organisations = db.relationship("Organisation", secondary=memberships, lazy="selectin",
                                    order_by="Organisation.title")

    is_system = False

    @property
    def is_active(self):
        return self.active

    @property
    def roles(self):
        return {r.role for r in self.role_rows}

    def set_roles(self, roles):
        self.role_rows = [UserRole(role=r) for r in sorted(set(roles))]

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    def org_ids(self):
        return {o.id for o in self.organisations}

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.email}>"
