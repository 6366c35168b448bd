"""The audit log is written in the caller's transaction: it lives and dies with the change."""
from app.accounts.models import Organisation
from app.core import audit
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.extensions import db
from tests.factories import make_user


def test_rollback_removes_the_change_and_its_audit_row():
    org = Organisation(name="dinkes", title="Dinas Kesehatan")
    db.session.add(org)
    audit.record(SYSTEM, "organisation.created", org, after={"name": "dinkes"})
    db.session.rollback()
    assert Organisation.query.count() == 0
    assert AuditLog.query.count() == 0


def test_commit_keeps_both_with_who_what_and_before_after():
    user = make_user(roles=["admin"])
    org = Organisation(name="dinkes", title="Dinas Kesehatan")
    db.session.add(org)
    audit.record(user, "organisation.renamed", org, before={"title": "Dinkes"},
                 after={"title": "Dinas Kesehatan"}, note="ejaan resmi")
    db.session.commit()
    [row] = audit.history("organisation", org.id)
    assert (row.actor_id, row.actor_label, row.action) == (user.id, user.email,
                                                           "organisation.renamed")
    assert (row.before, row.after, row.note) == ({"title": "Dinkes"},
                                                 {"title": "Dinas Kesehatan"}, "ejaan resmi")
    assert row.object_id == str(org.id) and row.at is not None


def test_system_actor_is_recorded_as_system():
    audit.record(SYSTEM, "regions.imported", "region", object_type="region",
                 after={"written": 3})
    db.session.commit()
    [row] = audit.history("region", "region")
    assert row.actor_id is None and row.actor_label == "system"


def test_history_is_oldest_first_and_per_object():
    for n in range(3):
        audit.record(SYSTEM, f"step.{n}", "x1", object_type="thing")
    audit.record(SYSTEM, "other", "x2", object_type="thing")
    db.session.commit()
    assert [r.action for r in audit.history("thing", "x1")] == ["step.0", "step.1", "step.2"]


def test_an_action_that_fails_leaves_no_audit_row():
    """A real action: region_import records its audit row only when everything is valid."""
    import pytest

    from app.catalog import actions
    from app.catalog.models import Region
    from app.core.errors import ValidationError

    with pytest.raises(ValidationError):
        actions.region_import(SYSTEM, [{"kode": "32", "nama": "Jawa Barat", "tingkat": "provinsi"},
                                       {"kode": "xx", "nama": "Rusak", "tingkat": "provinsi"}])
    db.session.rollback()
    assert Region.query.count() == 0 and AuditLog.query.count() == 0


def test_diff_keeps_only_changed_fields():
    before = {"a": 1, "b": 2, "c": 3}
    after = {"a": 1, "b": 5, "c": 3, "d": 4}
    assert audit.diff(before, after) == ({"b": 2, "d": None}, {"b": 5, "d": 4})
