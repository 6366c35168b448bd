"""Permission rules of the catalogue, one per action (same names as in actions.py).

Each returns True or False; only actions enforce them, views may call them to hide buttons.
"""
from app.catalog.models import Access, Status
from app.core.actor import Role


def _member(actor, dataset_or_org_id):
    org_id = getattr(dataset_or_org_id, "organisation_id", dataset_or_org_id)
    return org_id in actor.org_ids()


def _is_producer_of(actor, dataset):
    return actor.has_role(Role.PRODUSEN) and _member(actor, dataset)


def _is_custodian(actor):
    return actor.has_role(Role.WALIDATA)


def is_catalog_staff(actor):
    """Who may see closed (tertutup) metadata and unpublished work in the inventory."""
    return actor.has_role(Role.ADMIN, Role.WALIDATA, Role.PIMPINAN, Role.PRODUSEN)


def dataset_read(actor, dataset):
    if dataset.status == Status.PUBLISHED and dataset.access in Access.PUBLIC_LISTED:
        return True
    if getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN, Role.WALIDATA):
        return True
    if actor.has_role(Role.PIMPINAN):  # management oversees the whole inventory
        return True
    return _member(actor, dataset) and actor.has_role(Role.PRODUSEN)


def dataset_create(actor, organisation_id):
    return actor.has_role(Role.PRODUSEN) and _member(actor, organisation_id)


def dataset_update(actor, dataset):
    return _is_producer_of(actor, dataset) and dataset.status in Status.EDITABLE


def dataset_delete(actor, dataset):
    return _is_producer_of(actor, dataset) and dataset.status == Status.DRAFT


def dataset_submit(actor, dataset):
    # The state is the transition's business (InvalidTransition), not a permission question.
    return _is_producer_of(actor, dataset)


resource_create = dataset_update
resource_update = dataset_update
resource_delete = dataset_update
note_answer = dataset_update


def dataset_review(actor, dataset):
    """Return or approve: a custodian who did not create or submit this dataset."""
    if getattr(actor, "is_system", False):
        return True
    if not _is_custodian(actor):
        return False
    return actor.id not in (dataset.created_by_id, dataset.submitted_by_id)


dataset_return = dataset_review
dataset_approve = dataset_review
pii_decide = dataset_review


def dataset_withdraw(actor, dataset):
    return getattr(actor, "is_system", False) or _is_custodian(actor)


def dataset_reopen(actor, dataset):
    return _is_producer_of(actor, dataset) or _is_custodian(actor)


def review_queue(actor):
    return getattr(actor, "is_system", False) or _is_custodian(actor)


def access_manage(actor, dataset):
    return getattr(actor, "is_system", False) or actor.has_role(Role.WALIDATA, Role.ADMIN)


def resource_download(actor, dataset, user_has_grant):
    """Files of open datasets are public; restricted ones only for the access list and staff."""
    if not dataset_read(actor, dataset):
        return False
    if dataset.status == Status.PUBLISHED and dataset.access == Access.TERBUKA:
        return True
    if user_has_grant:
        return True
    if actor.has_role(Role.ADMIN, Role.WALIDATA):
        return True
    return _member(actor, dataset) and actor.has_role(Role.PRODUSEN)


def resource_raw(actor, dataset):
    """Who sees personal-data columns the custodian masked or removed: the producer and the
    custodian, who need the real file to fix or check it."""
    if getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN, Role.WALIDATA):
        return True
    return _is_producer_of(actor, dataset)


def inventory_read(actor):
    """The Daftar Data is public (SPBE level 2): everyone sees every published dataset's
    metadata, closed (tertutup) ones included; their files stay behind resource_download."""
    return True


def inventory_read_unpublished(actor):
    """Drafts, submissions, returned and withdrawn datasets (with their status) in the
    inventory: catalogue staff, management (pimpinan) among them."""
    return is_catalog_staff(actor)


def region_import(actor):
    return getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN)


def usage_report_generate(actor):
    """The monthly usage report: the scheduler and the CLI, an admin or the custodian."""
    return getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN, Role.WALIDATA)


def usage_report_list(actor):
    """Usage reports are public (SPBE level 1: one-way dissemination of usage statistics)."""
    return True


usage_report_read = usage_report_list


def search_stats_read(actor):
    """What people search for and don't find: the custodian, admins and management."""
    return getattr(actor, "is_system", False) or actor.has_role(Role.ADMIN, Role.WALIDATA,
                                                                  Role.PIMPINAN)
