"""The index follows the catalogue through the outbox, rebuilds without a gap, reports drift."""
import threading

import pytest
from sqlalchemy import update

from app.accounts import actions as account_actions
from app.accounts.models import Organisation
from app.catalog import actions, search_engine, search_index
from app.catalog.models import Dataset
from app.core import outbox
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.errors import NotAuthorized, ValidationError
from app.core.outbox import OutboxMessage
from app.extensions import db
from tests.catalog import test_search
from tests.factories import (
    custodian_org,
    dataset_data,
    make_dataset,
    make_org,
    make_user,
    upload_csv,
)

pytestmark = pytest.mark.usefixtures("reference", "index_dir")
index_dir = test_search.index_dir  # the fixture: an index directory per test
publish = test_search.publish


@pytest.fixture
def people():
    org = make_org(name="bps", title="Badan Pusat Statistik")
    producer = make_user(orgs=[org])
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    return org, producer, walidata


def indexed(q=""):
    """What the index answers, without the catalogue's own catch-up: only what the outbox
    delivered is there."""
    hits = search_engine.engine().search(search_engine.parse(q), {}, per_page=100)
    return set(hits.ids)


def drained():
    result = outbox.drain()
    assert result["failed"] == 0, OutboxMessage.query.filter_by(status="pending").all()
    return result


def test_publish_withdraw_reopen_and_republish(people):
    _org, producer, walidata = people
    ds = publish(producer, walidata, "Indeks Pembangunan Manusia", "IPM per kabupaten.")
    assert indexed("pembangunan") == set()  # not yet delivered
    drained()
    assert indexed("pembangunan") == {ds.id}

    actions.dataset_withdraw(walidata, ds.id, "Angka sedang direvisi BPS.")
    drained()
    assert indexed("pembangunan") == set()

    actions.dataset_reopen(producer, ds.id)
    actions.dataset_update(producer, ds.id, dataset_data(producer, title="Indeks Kualitas Hidup",
                                                         description="Kualitas hidup."))
    actions.dataset_submit(producer, ds.id)
    actions.dataset_approve(walidata, ds.id)
    assert indexed("kualitas") == set()
    drained()
    assert indexed("kualitas") == {ds.id} and indexed("pembangunan") == set()
    assert search_index.drift().ok


def test_messages_out_of_order_or_twice_change_nothing(people):
    _org, producer, walidata = people
    ds = publish(producer, walidata, "Angka Harapan Hidup", "AHH per kabupaten.")
    actions.dataset_withdraw(walidata, ds.id, "Ditarik untuk diperbaiki.")
    # The withdrawal is delivered first, the older publication after it, then once more: each
    # delivery reads the dataset as it is now, so the index ends up right whatever the order.
    for msg in sorted(OutboxMessage.query.all(), key=lambda m: m.topic, reverse=True) * 2:
        outbox._handlers[msg.topic](msg.payload, msg.key)
    assert indexed() == set()


def test_the_catalogue_catches_up_on_its_own(people, client):
    _org, producer, walidata = people
    ds = publish(producer, walidata, "Rasio Gini", "Ketimpangan pengeluaran.")
    html = client.get("/dataset?q=gini").get_data(as_text=True)
    assert "1 dataset ditemukan" in html and ds.title in html
    assert OutboxMessage.query.filter_by(topic="dataset.published").one().status == outbox.SENT


def test_personal_data_decision_on_a_published_dataset_reindexes_it(people):
    _org, producer, walidata = people
    ds = make_dataset(producer, title="Penerima Bantuan", description="Rekap penerima.")
    res = upload_csv(producer, ds, "nik,kecamatan\n3273010101900001,Sukasari\n"
                                   "3273010202910002,Coblong\n")
    actions.dataset_submit(producer, ds.id)
    actions.pii_decide(walidata, res.id, {"column": "nik", "decision": "justified",
                                          "reason": "Sementara dibuka untuk pemeriksaan."})
    actions.dataset_approve(walidata, ds.id)
    drained()
    assert indexed("nik") == {ds.id}
    actions.pii_decide(walidata, res.id, {"column": "nik", "decision": "removed",
                                          "reason": "NIK tidak untuk publik."})
    drained()
    assert indexed("nik") == set() and indexed("kecamatan") == {ds.id}


def test_deleting_an_organisation_moves_its_datasets_and_the_index_follows(people):
    org, producer, walidata = people
    ds = publish(producer, walidata, "Inflasi Bulanan", "Inflasi kota.")
    successor = make_org(name="bappeda", title="Bappeda")
    admin = make_user(roles=[Role.ADMIN])
    drained()
    hits = search_engine.engine().search(search_engine.parse(""), {"organisation": "bps"})
    assert hits.ids == [ds.id]

    with pytest.raises(NotAuthorized):
        account_actions.organisation_delete(walidata, org.id, successor.id)
    with pytest.raises(ValidationError) as refused:  # datasets, and no one to take them
        account_actions.organisation_delete(admin, org.id)
    assert "successor" in refused.value.errors
    account_actions.organisation_delete(admin, org.id, successor.id)
    assert db.session.get(Organisation, org.id) is None
    assert db.session.get(Dataset, ds.id).organisation.name == "bappeda"
    assert producer.id and not db.session.get(type(producer), producer.id).organisations
    drained()
    engine = search_engine.engine()
    assert engine.search(search_engine.parse(""), {"organisation": "bps"}).ids == []
    hits = engine.search(search_engine.parse("bappeda"), {"organisation": "bappeda"})
    assert hits.ids == [ds.id] and hits.facets["organisation"] == {"bappeda": 1}
    assert search_index.drift().ok

    empty = make_org(name="kosong", title="Kantor Kosong")
    account_actions.organisation_delete(SYSTEM, empty.id)
    assert db.session.get(Organisation, empty.id) is None


def test_check_reports_drift_and_repair_fixes_it(people, runner):
    _org, producer, walidata = people
    a = publish(producer, walidata, "Produk Domestik Regional Bruto", "PDRB.")
    b = publish(producer, walidata, "Ekspor Impor", "Nilai ekspor.")
    drained()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    # Changes behind the outbox's back: a title edited in SQL, a dataset withdrawn in SQL.
    db.session.execute(update(Dataset).where(Dataset.id == a.id).values(title="PDRB Kota"))
    db.session.execute(update(Dataset).where(Dataset.id == b.id).values(status="withdrawn"))
    db.session.commit()
    found = search_index.drift()
    assert (found.missing, found.stale, found.extra) == ([], [a.id], [b.id])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "usang: 1" in result.output
    assert runner.invoke(args=["search", "check", "--repair"]).exit_code == 0
    assert search_index.drift().ok
    assert indexed("kota") == {a.id}


def test_reindex_swaps_a_new_generation_while_queries_keep_answering(people, runner,
                                                                     index_dir, app):
    _org, producer, walidata = people
    made = [publish(producer, walidata, f"Statistik Daerah {n}", "Ringkasan statistik.")
            for n in range(4)]
    drained()
    first = search_index.store().current()
    expected = {d.id for d in made}
    errors, answers = [], []
    stop = threading.Event()

    def ask():
        with app.app_context():
            while not stop.is_set():
                try:
                    answers.append(indexed("statistik") == expected)
                except Exception as exc:  # noqa: BLE001 - the test reports any failure
                    errors.append(exc)
                    return

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(3):
            result = runner.invoke(args=["search", "reindex"])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors and answers and all(answers)
    current = search_index.store().current()
    generations = search_index.store().generations()
    assert current != first and current in generations and len(generations) <= 2
    assert indexed("statistik") == expected and search_index.drift().ok


def test_reindex_takes_in_what_changed_during_the_build(people, monkeypatch):
    _org, producer, walidata = people
    a = publish(producer, walidata, "Tingkat Pengangguran Terbuka", "TPT.")
    drained()
    real_build = search_index.build

    def build_then_withdraw(ix, **kwargs):
        count = real_build(ix, **kwargs)
        # Meanwhile a custodian withdraws it; its handler writes to the old generation.
        actions.dataset_withdraw(walidata, a.id, "Angka keliru.")
        drained()
        return count

    monkeypatch.setattr(search_index, "build", build_then_withdraw)
    result = search_index.reindex()
    assert result["caught_up"] == 1
    assert indexed("pengangguran") == set() and search_index.drift().ok


def test_broken_index_falls_back_to_the_database(people, index_dir, client):
    _org, producer, walidata = people
    publish(producer, walidata, "Jumlah Wisatawan", "Kunjungan wisata.")
    search_engine.engine().close()
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / "CURRENT").write_text("gen-broken\n")
    (index_dir / "gen-broken").mkdir()
    html = client.get("/dataset?q=wisatawan").get_data(as_text=True)
    assert "1 dataset ditemukan" in html


def test_searching_needs_no_account(people):
    _org, producer, walidata = people
    publish(producer, walidata, "Jumlah Hotel", "Hotel berbintang.")
    from app.catalog import search

    assert search.catalogue(ANONYMOUS, {"q": "hotel"}).total == 1
