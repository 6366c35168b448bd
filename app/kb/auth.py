"""Permission rules of the knowledge base, one per action (same names as in actions.py).

Each returns True or False; only actions enforce them, views may call them to hide buttons.
"""
from app.core.actor import Role

# Who writes the knowledge base: the help desk, the information officer and admins.
EDITORS = (Role.HELPDESK, Role.PPID, Role.ADMIN)


def is_kb_staff(actor):
    """Editors (and the system): they see drafts, and their reads are not counted as views."""
    return getattr(actor, "is_system", False) or actor.has_role(*EDITORS)


def article_read(actor, article):
    return article.published or is_kb_staff(actor)


def article_create(actor):
    return is_kb_staff(actor)


def article_update(actor, article):
    return is_kb_staff(actor)


article_publish = article_update
article_delete = article_update


def article_list(actor):
    """Published articles are public: the help pages, the bot and the request form use them."""
    return True


article_search = article_list


def article_list_drafts(actor):
    return is_kb_staff(actor)


def article_cite(actor, article):
    """A citation is a public link, so anyone who may read the article may have it."""
    return article_read(actor, article)


# Reading one article: published ones for everyone, drafts for the editors.
article_get = article_read
