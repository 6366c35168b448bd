"""Who is acting. Actions take the actor explicitly; the bot, CLI and scheduler have no session."""
from app.core.errors import NotAuthorized


class Role:
    ADMIN = "admin"
    WALIDATA = "walidata"
    PRODUSEN = "produsen"
    HELPDESK = "helpdesk"
    PPID = "ppid"
    PPID_ATASAN = "ppid_atasan"
    PIMPINAN = "pimpinan"
    PEMOHON = "pemohon"

    ALL = (ADMIN, WALIDATA, PRODUSEN, HELPDESK, PPID, PPID_ATASAN, PIMPINAN, PEMOHON)
    STAFF = (ADMIN, WALIDATA, PRODUSEN, HELPDESK, PPID, PPID_ATASAN, PIMPINAN)


class SystemActor:
    """The scheduler and the CLI. It may do what an admin may, and is recorded as 'system'."""

    id = None
    is_authenticated = True
    is_anonymous = False
    is_system = True
    email = "system"
    name = "Sistem"

    def has_role(self, *roles):
        return True

    def org_ids(self):
        return set()

    def __repr__(self):
        return "<SYSTEM>"


class AnonymousActor:
    id = None
    is_authenticated = False
    is_anonymous = True
    is_active = False
    is_system = False
    email = None
    name = "Anonim"

    def has_role(self, *roles):
        return False

    def org_ids(self):
        return set()

    def get_id(self):
        return None


SYSTEM = SystemActor()
ANONYMOUS = AnonymousActor()


def check(allowed, message=None):
    """Raise NotAuthorized unless the permission rule said yes."""
    if not allowed:
        from flask_babel import lazy_gettext as _l

        if message is None:
            message = _l("Anda tidak berwenang melakukan tindakan ini.")
        raise NotAuthorized(message)
