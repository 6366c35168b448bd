"""Account use-cases: users, roles, organisations, login."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.accounts import auth, schemas
from app.accounts.models import Organisation, User
from app.core import audit
from app.core.actor import check
from app.core.errors import NotFound, ValidationError
from app.core.schemas import load
from app.core.timeutil import utcnow
from app.extensions import db


def _find_user(email):
    return User.query.filter(func.lower(User.email) == email.strip().lower()).first()


def _organisations(names):
    orgs = []
    for name in names:
        org = Organisation.query.filter_by(name=name).first()
        if org is None:
            raise ValidationError({"organisations": [_l("Organisasi %(n)s tidak ada.", n=name)]})
        orgs.append(org)
    return orgs


def _user_snapshot(user):
    return {"email": user.email, "name": user.name, "roles": sorted(user.roles),
            "organisations": [o.name for o in user.organisations], "active": user.active}


def user_create(actor, data):
    """Create a user with roles and organisations.

    :raises NotAuthorized, ValidationError
    """
    check(auth.user_create(actor))
    clean = load(schemas.UserInput, data)
    if not clean.get("password"):
        raise ValidationError({"password": [_l("Kata sandi minimal 10 karakter.")]})
    if _find_user(clean["email"]):
        raise ValidationError({"email": [_l("E-mail ini sudah terdaftar.")]})
    user = User(email=clean["email"].strip().lower(), name=clean["name"], active=clean["active"])
    user.set_password(clean["password"])
    user.set_roles(clean["roles"])
    user.organisations = _organisations(clean["organisations"])
    db.session.add(user)
    audit.record(actor, "user.created", user, after=_user_snapshot(user))
    db.session.commit()
    return user


def user_update(actor, user_id, data):
    """Change a user's name, roles, organisations, active flag or password.

    :raises NotAuthorized, NotFound, ValidationError
    """
    check(auth.user_update(actor))
    user = db.session.get(User, int(user_id))
    if user is None:
        raise NotFound(_l("Pengguna tidak ditemukan."))
    clean = load(schemas.UserInput, {"email": user.email, **data})
    before = _user_snapshot(user)
    user.name, user.active = clean["name"], clean["active"]
    user.set_roles(clean["roles"])
    user.organisations = _organisations(clean["organisations"])
    if clean.get("password"):
        user.set_password(clean["password"])
    old, new = audit.diff(before, _user_snapshot(user))
    audit.record(actor, "user.updated", user, before=old, after=new)
    db.session.commit()
    return user


def user_list(actor):
    check(auth.user_list(actor))
    return User.query.order_by(User.email).all()


def organisation_create(actor, data):
    """:raises NotAuthorized, ValidationError"""
    check(auth.organisation_create(actor))
    clean = load(schemas.OrganisationInput, data)
    if Organisation.query.filter_by(name=clean["name"]).first():
        raise ValidationError({"name": [_l("Nama singkat sudah dipakai.")]})
    org = Organisation(**clean)
    db.session.add(org)
    audit.record(actor, "organisation.created", org, after=clean)
    db.session.commit()
    return org


def organisation_delete(actor, org_id, successor_id=None):
    """Delete an organisation (agencies are merged and dissolved).

    Its datasets, whatever their status, move to `successor_id`, which then produces them (or,
    for the custodian, keeps them); published ones are re-indexed through the outbox. Without a
    successor, an organisation that still holds datasets is refused: a dataset never loses its
    producer, and withdrawing published data because an office was renamed would hurt the
    public. Members lose only this membership.

    :raises NotAuthorized, NotFound, ValidationError
    """
    # Catalogue rows point at organisations; imported here, as the catalogue imports accounts.
    from app.catalog.models import Dataset, Status
    from app.core import outbox

    check(auth.organisation_delete(actor))
    org = db.session.get(Organisation, int(org_id)) if str(org_id).isdigit() else None
    if org is None:
        raise NotFound(_l("Organisasi tidak ditemukan."))
    successor = None
    if successor_id not in (None, ""):
        successor = (db.session.get(Organisation, int(successor_id))
                     if str(successor_id).isdigit() else None)
        if successor is None or successor.id == org.id:
            raise ValidationError({"successor": [_l("Pilih organisasi pengganti yang lain.")]})
    produced = Dataset.query.filter_by(organisation_id=org.id).all()
    kept = Dataset.query.filter_by(custodian_id=org.id).all()
    if (produced or kept) and successor is None:
        raise ValidationError({"successor": [_l(
            "Organisasi ini masih memiliki %(n)s dataset. Pilih organisasi pengganti yang "
            "akan menerimanya.", n=len({d.id for d in produced + kept}))]})
    now = utcnow().isoformat()
    for ds in produced:
        ds.organisation_id = successor.id
    for ds in kept:
        ds.custodian_id = successor.id
    for ds in {d.id: d for d in produced + kept}.values():
        audit.record(actor, "dataset.transferred", ds, before={"organisation": org.name},
                     after={"organisation": successor.name})
        if ds.status == Status.PUBLISHED:
            outbox.enqueue("dataset.updated", key=f"dataset.updated:{ds.id}:{now}",
                           dataset_id=ds.id)
    for user in User.query.filter(User.organisations.any(Organisation.id == org.id)):
        user.organisations = [o for o in user.organisations if o.id != org.id]
    audit.record(actor, "organisation.deleted", org,
                 before={"name": org.name, "title": org.title},
                 after={"successor": successor.name if successor else None,
                        "datasets": len(produced)})
    db.session.delete(org)
    db.session.commit()


def organisation_list():
    return Organisation.query.order_by(Organisation.title).all()


def login(email, password):
    """Check credentials. Returns the user or raises ValidationError (one message for both
    wrong e-mail and wrong password, so the form does not reveal which accounts exist)."""
    user = _find_user(email or "")
    if user is None or not user.active or not user.check_password(password or ""):
        raise ValidationError({"_": [_l("E-mail atau kata sandi salah.")]})
    user.last_login_at = utcnow()
    audit.record(user, "user.login", user)
    db.session.commit()
    return user



def user_register(actor, data):
    """A citizen opens their own account (role pemohon) to file and follow requests.

    :raises NotAuthorized (already logged in), ValidationError
    """
    from sqlalchemy.exc import IntegrityError

    from app.core.actor import Role

    check(auth.user_register(actor), _l("Anda sudah masuk dengan akun lain."))
    clean = load(schemas.RegisterInput, data)
    if _find_user(clean["email"]):
        raise ValidationError({"email": [_l("E-mail ini sudah terdaftar. Silakan masuk.")]})
    user = User(email=clean["email"].lower(), name=clean["name"], active=True)
    user.set_password(clean["password"])
    user.set_roles([Role.PEMOHON])
    db.session.add(user)
    try:
        # The new user is the one acting (an anonymous visitor has no name to record).
        audit.record(user, "user.registered", user, after=_user_snapshot(user))
        db.session.commit()
    except IntegrityError:  # the same address registered a moment ago by a second click
        db.session.rollback()
        raise ValidationError({"email": [_l("E-mail ini sudah terdaftar. Silakan masuk.")]}) \
            from None
    return user
