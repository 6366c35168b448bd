"""Permission rules of the chats domain (same names as in actions.py)."""
from app.core.actor import Role


def _system(actor):
    return getattr(actor, "is_system", False)


def chat_manage(actor):
    """Registering chats, consent, language, blocks: the bot itself (the SYSTEM actor)."""
    return _system(actor)


def link_code_create(actor):
    """A citizen with a web account asks for a code to type into the bot."""
    return actor.is_authenticated and not _system(actor) and actor.has_role(Role.PEMOHON)


chat_link = chat_manage
