"""The staff's queues: which tickets each view lists, with filters, search and paging.

Pure reads on indexed columns (status, sla_state, due_on, assignee_id, organisation_id);
the permission check is in actions.ticket_queue.
"""
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.models import User, UserRole, memberships
from app.catalog.search_analysis import stem_analyzer
from app.extensions import db
from app.tickets.auth import HANDLERS
from app.tickets.models import Kind, Priority, Sla, State, Ticket

QUEUES = ("unassigned", "mine", "team", "due_soon", "overdue", "waiting", "approval", "open",
          "closed", "all")
PAGE_SIZE = 50
COUNT_CAP = 10_000
SORTS = {
    "due": (Ticket.due_on.asc(), Ticket.id.asc()),
    "newest": (Ticket.received_at.desc(), Ticket.id.desc()),
    "oldest": (Ticket.received_at.asc(), Ticket.id.asc()),
}
FILTERS = ("kind", "channel", "priority", "status", "sla", "assignee", "organisation", "tag",
           "q")


@dataclass
class Page:
    items: list
    total: int
    page: int
    pages: int
    counts: dict

    @property
    def capped(self):
        return self.total > COUNT_CAP


def team_members(organisation_id):
    """Active handlers (help desk, PPID) in one organisation, by id."""
    if organisation_id is None:
        return []
    return (User.query.join(memberships, memberships.c.user_id == User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .filter(memberships.c.organisation_id == organisation_id,
                    UserRole.role.in_(HANDLERS[:2]), User.active.is_(True))
            .order_by(User.id).distinct().all())


def next_in_rotation(organisation_id):
    """Round-robin: the member whose last assignment is the oldest (never assigned first)."""
    members = team_members(organisation_id)
    if not members:
        return None
    last = dict(db.session.query(Ticket.assignee_id, func.max(Ticket.assigned_at))
                .filter(Ticket.assignee_id.in_([m.id for m in members]))
                .group_by(Ticket.assignee_id).all())
    return min(members, key=lambda m: (last.get(m.id) is not None, last.get(m.id), m.id))


def _own_id(actor):
    """The actor's user id; 0 (no user has it) for the system, since `assignee_id == None`
    would be rendered IS NULL and list every unassigned ticket as the system's own."""
    return getattr(actor, "id", None) or 0


def _base(actor, queue):
    query = Ticket.query
    open_ = Ticket.status.in_(State.OPEN)
    mine = _own_id(actor)
    by_queue = {
        "unassigned": (open_, Ticket.assignee_id.is_(None)),
        "mine": (open_, Ticket.assignee_id == mine),
        "team": (open_, Ticket.organisation_id.in_(sorted(actor.org_ids()) or [-1])),
        "due_soon": (Ticket.sla_state == Sla.DUE_SOON,),
        "overdue": (Ticket.sla_state == Sla.OVERDUE,),
        "waiting": (Ticket.status == State.NEEDS_CLARIFICATION,),
        "approval": (Ticket.status == State.AWAITING_APPROVAL,),
        "open": (open_,),
        "closed": (Ticket.status.notin_(State.OPEN),),
        "all": (),
    }
    return query.filter(*by_queue[queue])


def _apply_filters(query, filters):
    simple = {"kind": Ticket.kind, "channel": Ticket.channel, "priority": Ticket.priority,
              "status": Ticket.status, "sla": Ticket.sla_state}
    for name, column in simple.items():
        if filters.get(name):
            query = query.filter(column == filters[name])
    if filters.get("assignee"):
        query = query.filter(Ticket.assignee_id == int(filters["assignee"]))
    if filters.get("organisation"):
        query = query.filter(Ticket.organisation_id == int(filters["organisation"]))
    if filters.get("tag"):
        # Tags are a small JSON list; a LIKE on its text works the same on both databases.
        query = query.filter(func.cast(Ticket.tags, db.Text).like(f'%"{filters["tag"]}"%'))
    if filters.get("q"):
        query = query.filter(_text_match(filters["q"]))
    return query


def _text_match(q):
    q = q.strip()
    if q.upper().startswith(tuple(p + "-" for p in Kind.PREFIX.values())):
        return Ticket.number == q.upper()
    words = [t.text for t in stem_analyzer()(q)]
    like = [Ticket.search_text.like(f"%{w}%") for w in words]
    by_name = Ticket.requester_name.ilike(f"%{q}%")
    return or_(by_name, *like) if not words else or_(by_name, db.and_(*like))


def clean_filters(args):
    """Keep only known filters with acceptable values (a bad one is dropped, not an error)."""
    allowed = {"kind": Kind.ALL, "priority": Priority.ALL, "status": State.ALL, "sla": Sla.ALL}
    out = {}
    for name in FILTERS:
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if name in allowed and value not in allowed[name]:
            continue
        if name in ("assignee", "organisation") and not value.isdigit():
            continue
        out[name] = value[:100]
    return out


def listing(actor, queue, filters, page=1, sort="due"):
    queue = queue if queue in QUEUES else "open"
    query = _apply_filters(_base(actor, queue), filters)
    total = _capped_count(query)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    # The queue shows each row's assignee and team: load them in two queries, not per row.
    # The queue shows no datasets: not loading them (and their tags, resources, notes)
    # saves four queries a page.
    items = (query.options(selectinload(Ticket.assignee), selectinload(Ticket.organisation),
                           lazyload(Ticket.datasets))
             .order_by(*SORTS.get(sort, SORTS["due"]))
             .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE).all())
    return Page(items=items, total=total, page=page, pages=pages, counts=queue_counts(actor))


def _capped_count(query):
    """Count up to COUNT_CAP + 1 rows: 'closed' or a broad search over years of tickets would
    otherwise count the whole table on every page; past the cap the page says "10.000+"."""
    ids = query.order_by(None).with_entities(Ticket.id).limit(COUNT_CAP + 1).subquery()
    return db.session.query(func.count()).select_from(ids).scalar()


def queue_counts(actor):
    """How many tickets each open queue holds, in two grouped queries."""
    mine = _own_id(actor)
    teams = sorted(actor.org_ids()) or [-1]
    open_ = Ticket.status.in_(State.OPEN)
    row = db.session.query(
        func.count().filter(Ticket.assignee_id.is_(None)),
        func.count().filter(Ticket.assignee_id == mine),
        func.count().filter(Ticket.organisation_id.in_(teams)),
        func.count().filter(Ticket.status == State.NEEDS_CLARIFICATION),
        func.count().filter(Ticket.status == State.AWAITING_APPROVAL),
        func.count(),
    ).filter(open_).one()
    sla_counts = dict(db.session.query(Ticket.sla_state, func.count())
                      .filter(open_).group_by(Ticket.sla_state).all())
    names = ("unassigned", "mine", "team", "waiting", "approval", "open")
    counts = dict(zip(names, row, strict=True))
    counts["due_soon"] = sla_counts.get(Sla.DUE_SOON, 0)
    counts["overdue"] = sla_counts.get(Sla.OVERDUE, 0)
    return counts


def mine(actor):
    """A requester's own tickets, newest first."""
    return (Ticket.query.filter(Ticket.requester_id == actor.id)
            .order_by(Ticket.received_at.desc(), Ticket.id.desc()).all())
