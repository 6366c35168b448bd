"""Knowledge-base use-cases. The help pages, the help desk's replies, the Telegram bot and the
demo loader call these; none of them needs a web request.

Each action: authorize -> validate -> change -> audit -> commit.
"""
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, literal, or_, update

from app.core import audit
from app.core.actor import check
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.schemas import load
from app.extensions import db
from app.kb import auth, schemas, search
from app.kb.models import Article, Category

# What the audit log keeps of an article, and what the edit form shows.
INPUT_FIELDS = ("title", "slug", "category", "tags", "body")
MAX_RESULTS = 50


# ---------------------------------------------------------------- loading

def _find(ref):
    """By id (an int, or digits when no article has them as its address) or by address."""
    if isinstance(ref, int):
        return db.session.get(Article, ref)
    ref = str(ref or "")
    article = Article.query.filter_by(slug=ref).first()
    if article is None and ref.isdigit():
        article = db.session.get(Article, int(ref))
    return article


def _get(actor, ref):
    article = _find(ref)
    if article is None or not auth.article_read(actor, article):
        raise NotFound(_l("Artikel tidak ditemukan."))  # a draft's existence is not told
    return article


def get_for_edit(actor, ref):
    """An article the actor may edit, without counting a view. :raises NotFound, NotAuthorized"""
    article = _get(actor, ref)
    check(auth.article_update(actor, article))
    return article


def snapshot(article):
    """The article's content as plain JSON values, for the audit log and the edit form."""
    data = {f: getattr(article, f) for f in INPUT_FIELDS}
    data["tags"] = list(article.tags or [])
    data["published"] = bool(article.published)
    return data


# ---------------------------------------------------------------- writing

def slugify(text):
    """ASCII address from a title: accents dropped, any other mark a separator."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90].strip("-")
    return slug if len(slug) >= 3 else f"artikel-{slug}".strip("-")


def _slug_taken(slug, article_id=None):
    if slug in schemas.RESERVED_SLUGS:
        return True
    other = Article.query.filter_by(slug=slug).first()
    return other is not None and other.id != article_id


def _unique_slug(title):
    base, n = slugify(title), 1
    slug = base
    while _slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(article, clean):
    article.title = clean["title"]
    article.category = clean["category"]
    article.tags = clean["tags"]
    article.body = clean["body"]
    article.search_text = search.search_text(article.title, article.tags, article.body)


def _clean(data, article_id=None):
    """Validated input; a taken address is reported together with the schema's errors."""
    errors, clean = {}, None
    try:
        clean = load(schemas.ArticleInput, data)
    except ValidationError as exc:
        errors = dict(exc.errors)
    slug = clean["slug"] if clean else str(data.get("slug") or "").strip()
    if slug and "slug" not in errors and _slug_taken(slug, article_id):
        errors["slug"] = [_l("Alamat sudah dipakai artikel lain.")]
    if errors:
        raise ValidationError(errors)
    return clean


def article_create(actor, data):
    """Write a new article as a draft; publishing is a separate step (article_publish).

    `data`: title, body, category, tags (list or comma text), slug (optional: made from the
    title when empty).
    :raises NotAuthorized, ValidationError
    """
    check(auth.article_create(actor))
    clean = _clean(data)
    article = Article(slug=clean["slug"] or _unique_slug(clean["title"]), published=False,
                      views=0, created_by_id=actor.id, updated_by_id=actor.id)
    _apply(article, clean)
    db.session.add(article)
    audit.record(actor, "article.created", article, after=snapshot(article))
    db.session.commit()
    return article


def article_update(actor, article_id, data):
    """Change an article's content. Fields left out of `data` keep their value; an empty
    address keeps the current one (changing it breaks links already sent in replies).

    :raises NotFound, NotAuthorized, ValidationError
    """
    article = _get(actor, article_id)
    check(auth.article_update(actor, article))
    before = snapshot(article)
    given = {k: v for k, v in data.items() if k in INPUT_FIELDS}
    clean = _clean({**{f: before[f] for f in INPUT_FIELDS}, **given}, article.id)
    article.slug = clean["slug"] or article.slug
    _apply(article, clean)
    old, new = audit.diff(before, snapshot(article))
    if new:
        article.updated_by_id = actor.id
        audit.record(actor, "article.updated", article, before=old, after=new)
    db.session.commit()
    return article


def article_publish(actor, article_id, published=True):
    """Publish an article (published=True) or take it back to draft (False).

    :raises NotFound, NotAuthorized, InvalidTransition
    """
    article = _get(actor, article_id)
    check(auth.article_publish(actor, article))
    published = bool(published)
    if article.published == published:
        raise InvalidTransition(_l("Artikel sudah terbit.") if published
                                else _l("Artikel sudah berupa draf."))
    article.published = published
    article.updated_by_id = actor.id
    audit.record(actor, "article.published" if published else "article.unpublished", article,
                 before={"published": not published}, after={"published": published})
    db.session.commit()
    return article


def article_delete(actor, article_id):
    """Delete an article; the audit log keeps its last content.

    :raises NotFound, NotAuthorized
    """
    article = _get(actor, article_id)
    check(auth.article_delete(actor, article))
    audit.record(actor, "article.deleted", article, before=snapshot(article))
    db.session.delete(article)
    db.session.commit()


# ---------------------------------------------------------------- reading

def article_get(actor, slug_or_id):
    """One article to read. A published article read by someone other than an editor counts
    one view (editors checking their own work would inflate what the public reads).

    :raises NotFound (also for a draft the actor may not see)
    """
    article = _get(actor, slug_or_id)
    check(auth.article_get(actor, article))
    if article.published and not auth.is_kb_staff(actor):
        # In SQL, so two readers at once both count; updated_at is about content, not views.
        db.session.execute(update(Article).where(Article.id == article.id).values(
            views=Article.views + 1, updated_at=Article.updated_at))
        db.session.commit()
    return article


def article_list(actor, category=None, include_drafts=False):
    """Articles by title, published ones only unless an editor asks for drafts too.

    :raises NotAuthorized (drafts), ValidationError (unknown category)
    """
    check(auth.article_list(actor))
    if include_drafts:
        check(auth.article_list_drafts(actor))
    query = Article.query
    if not include_drafts:
        query = query.filter(Article.published.is_(True))
    if category is not None:
        if category not in Category.ALL:
            raise ValidationError({"category": [_l("Kategori tidak dikenal.")]})
        query = query.filter(Article.category == category)
    return query.order_by(Article.title, Article.id).all()


def article_search(actor, query, limit=10, include_drafts=False, category=None):
    """Published articles that answer `query`, best first, as search.Hit (article, matched,
    score, snippet). Indonesian words meet at their stem ("permintaan" finds "meminta"); the
    last word also matches as a prefix. Editors may ask for drafts too.

    :raises NotAuthorized (drafts), ValidationError (unknown category)
    """
    check(auth.article_search(actor))
    if include_drafts:
        check(auth.article_list_drafts(actor))
    if category is not None and category not in Category.ALL:
        raise ValidationError({"category": [_l("Kategori tidak dikenal.")]})
    parsed = search.parse(query)
    if not parsed:
        return []
    scope = Article.query
    if not include_drafts:
        scope = scope.filter(Article.published.is_(True))
    if category is not None:
        scope = scope.filter(Article.category == category)
    padded = literal(" ", String) + Article.search_text + literal(" ", String)
    candidates = scope.filter(or_(*[padded.like(p) for p in parsed.like_patterns()])).all()
    return search.rank(parsed, candidates, max(1, min(int(limit), MAX_RESULTS)),
                       total=scope.count())


# ---------------------------------------------------------------- citing

@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    text: str  # one line for a reply: "Lihat juga: <title> — <url>"


def article_url(slug):
    """The article page's absolute address: the request's host when there is a request, else
    SITE_URL (the bot, the scheduler and the CLI have no request)."""
    if has_request_context():
        return url_for("kb.article", slug=slug, _external=True)
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/",
                                       url_scheme=site.scheme or "https")
    return adapter.build("kb.article", {"slug": slug}, force_external=True)


def article_cite(actor, article_id):
    """A short citation of a published article for a help-desk reply or a bot message.

    The text is in the site's default language: it is written to the citizen, whatever
    language the staff member's screen is in.
    :raises NotFound, NotAuthorized, InvalidTransition (a draft has no public page to cite)
    """
    article = _get(actor, article_id)
    check(auth.article_cite(actor, article))
    if not article.published:
        raise InvalidTransition(_l("Artikel draf belum dapat dikutip. Terbitkan dulu."))
    url = article_url(article.slug)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = _("Lihat juga: %(title)s — %(url)s", title=article.title, url=url)
    return Citation(title=article.title, url=url, text=text)
