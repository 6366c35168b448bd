"""The catalogue's permission rules alone, as a table: (rule, dataset state) -> who may.

Actors and datasets are plain, unsaved model objects: the rules read roles, organisations and
ids and nothing else, so no database is needed.
"""
import pytest

from app.accounts.models import Organisation, User
from app.catalog import auth
from app.catalog.models import Dataset
from app.core.actor import ANONYMOUS, SYSTEM, Role

OWN, OTHER, CUSTODIAN = 1, 2, 3


def _user(uid, roles, orgs=()):
    user = User(id=uid, email=f"u{uid}@example.go.id", name=f"U{uid}")
    user.set_roles(roles)
    user.organisations = [Organisation(id=o, name=f"org-{o}", title=f"Org {o}") for o in orgs]
    return user


ACTORS = {
    "system": SYSTEM,
    "anonymous": ANONYMOUS,
    "admin": _user(1, [Role.ADMIN]),
    "walidata": _user(2, [Role.WALIDATA], [CUSTODIAN]),
    # Holds both roles in the dataset's organisation and is its creator and submitter.
    "walidata_creator": _user(3, [Role.PRODUSEN, Role.WALIDATA], [OWN]),
    "producer": _user(4, [Role.PRODUSEN], [OWN]),
    "producer_other": _user(5, [Role.PRODUSEN], [OTHER]),
    "member_not_producer": _user(6, [Role.HELPDESK], [OWN]),  # in the org, without the role
    "helpdesk": _user(7, [Role.HELPDESK]),
    "ppid": _user(8, [Role.PPID]),
    "ppid_atasan": _user(9, [Role.PPID_ATASAN]),
    "pimpinan": _user(10, [Role.PIMPINAN]),
    "pemohon": _user(11, [Role.PEMOHON]),
}
ALL = frozenset(ACTORS)


def _dataset(state):
    status, _, access = state.partition("/")
    return Dataset(id="d1", name="d1", title="D1", organisation_id=OWN, status=status,
                   access=access or "terbuka", created_by_id=3, submitted_by_id=3)


STATES = ["draft", "submitted", "revision", "published", "withdrawn",
          "published/terbatas", "published/tertutup", "draft/tertutup"]
# Unpublished work: its producers, the walidata, admin, and management (pimpinan oversees the
# whole inventory).
READERS_OF_WORK = {"system", "admin", "walidata", "walidata_creator", "producer", "pimpinan"}
PRODUCERS = {"walidata_creator", "producer"}
REVIEWERS = {"system", "walidata"}  # a walidata who did not create or submit it

# rule -> {state -> who may}. Every state not named for a rule means "nobody".
TABLE = {
    "dataset_read": {
        "draft": READERS_OF_WORK, "submitted": READERS_OF_WORK, "revision": READERS_OF_WORK,
        "withdrawn": READERS_OF_WORK, "draft/tertutup": READERS_OF_WORK,
        "published": ALL, "published/terbatas": ALL,
        "published/tertutup": READERS_OF_WORK,
    },
    "dataset_update": {"draft": PRODUCERS, "revision": PRODUCERS, "draft/tertutup": PRODUCERS},
    # Who may submit; submitting twice is an InvalidTransition, not a permission question.
    "dataset_submit": {s: PRODUCERS for s in STATES},
    "resource_create": {"draft": PRODUCERS, "revision": PRODUCERS, "draft/tertutup": PRODUCERS},
    "resource_update": {"draft": PRODUCERS, "revision": PRODUCERS, "draft/tertutup": PRODUCERS},
    "resource_delete": {"draft": PRODUCERS, "revision": PRODUCERS, "draft/tertutup": PRODUCERS},
    "note_answer": {"draft": PRODUCERS, "revision": PRODUCERS, "draft/tertutup": PRODUCERS},
    "dataset_delete": {"draft": PRODUCERS, "draft/tertutup": PRODUCERS},
    # The rule is about who; which states allow a review is the transition's business.
    "dataset_review": {s: REVIEWERS for s in STATES},
    "dataset_return": {s: REVIEWERS for s in STATES},
    "dataset_approve": {s: REVIEWERS for s in STATES},
    "pii_decide": {s: REVIEWERS for s in STATES},
    "dataset_withdraw": {s: {"system", "walidata", "walidata_creator"} for s in STATES},
    "dataset_reopen": {s: {"system", "walidata", "walidata_creator", "producer"}
                       for s in STATES},
    "access_manage": {s: {"system", "admin", "walidata", "walidata_creator"} for s in STATES},
    # Who sees the columns the walidata masked or removed: those who fix or check the file.
    "resource_raw": {s: {"system", "admin", "walidata", "walidata_creator", "producer"}
                     for s in STATES},
}

CASES = [(rule, state, kind) for rule in TABLE for state in STATES for kind in ACTORS]


@pytest.mark.parametrize("rule,state,kind", CASES)
def test_dataset_rule(rule, state, kind):
    expected = kind in TABLE[rule].get(state, ())
    assert getattr(auth, rule)(ACTORS[kind], _dataset(state)) is expected


# resource_download(actor, dataset, has_grant): state -> (who without a grant, who with one)
STAFF_FILES = {"system", "admin", "walidata", "walidata_creator", "producer"}
DOWNLOAD = {
    "published": (ALL, ALL),
    "published/terbatas": (STAFF_FILES, ALL),
    # Closed: not even a grant opens the files to someone who may not read the dataset.
    "published/tertutup": (STAFF_FILES, STAFF_FILES | {"pimpinan"}),
    "draft": (STAFF_FILES, STAFF_FILES | {"pimpinan"}),
    "submitted": (STAFF_FILES, STAFF_FILES | {"pimpinan"}),
    "withdrawn": (STAFF_FILES, STAFF_FILES | {"pimpinan"}),
}


@pytest.mark.parametrize("state,kind,grant", [(s, k, g) for s in DOWNLOAD for k in ACTORS
                                              for g in (False, True)])
def test_resource_download_rule(state, kind, grant):
    without, with_grant = DOWNLOAD[state]
    expected = kind in (with_grant if grant else without)
    assert auth.resource_download(ACTORS[kind], _dataset(state), grant) is expected


def test_pimpinan_sees_closed_metadata_but_not_its_files():
    closed = _dataset("published/tertutup")
    assert auth.dataset_read(ACTORS["pimpinan"], closed)
    assert not auth.resource_download(ACTORS["pimpinan"], closed, False)


# Rules that depend on the actor alone.
ACTOR_RULES = {
    "review_queue": {"system", "walidata", "walidata_creator"},
    "inventory_read": ALL,  # the Daftar Data is public; closed files are not
    "inventory_read_unpublished": {"system", "admin", "walidata", "walidata_creator",
                                   "producer", "producer_other", "pimpinan"},
    "is_catalog_staff": {"system", "admin", "walidata", "walidata_creator", "producer",
                         "producer_other", "pimpinan"},
    "region_import": {"system", "admin"},
    # Monthly usage reports: public to read (SPBE level 1), made by the custodian or an admin.
    "usage_report_generate": {"system", "admin", "walidata", "walidata_creator"},
    "usage_report_list": ALL,
    "usage_report_read": ALL,
    # What people search for and don't find: the custodian, admins and management.
    "search_stats_read": {"system", "admin", "walidata", "walidata_creator", "pimpinan"},
}


@pytest.mark.parametrize("rule,kind", [(r, k) for r in ACTOR_RULES for k in ACTORS])
def test_actor_rule(rule, kind):
    assert getattr(auth, rule)(ACTORS[kind]) is (kind in ACTOR_RULES[rule])


@pytest.mark.parametrize("kind,org,expected", [
    ("producer", OWN, True), ("producer", OTHER, False), ("producer_other", OTHER, True),
    ("walidata_creator", OWN, True), ("walidata", CUSTODIAN, False),
    ("member_not_producer", OWN, False), ("admin", OWN, False), ("system", OWN, False),
    ("anonymous", OWN, False), ("pemohon", OWN, False),
])
def test_dataset_create_rule(kind, org, expected):
    assert auth.dataset_create(ACTORS[kind], org) is expected


def test_a_reviewer_who_only_submitted_may_not_review():
    ds = _dataset("submitted")
    ds.created_by_id, ds.submitted_by_id = 4, 2  # the walidata submitted someone's draft
    assert not auth.dataset_approve(ACTORS["walidata"], ds)
    ds.submitted_by_id = 4
    assert auth.dataset_approve(ACTORS["walidata"], ds)


def test_every_rule_is_in_a_table():
    """A new rule in auth.py must get its row here."""
    public = {name for name in dir(auth) if not name.startswith("_")
              and getattr(getattr(auth, name), "__module__", None) == auth.__name__}
    covered = set(TABLE) | set(ACTOR_RULES) | {"resource_download", "dataset_create"}
    assert public - covered == set()
