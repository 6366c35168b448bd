"""Personal-data decisions change what the public gets, not what producer and custodian see."""
import csv
import io
import json

import openpyxl
import pytest

from app.catalog import actions, privacy
from app.core.errors import ValidationError
from tests import factories as f

PEOPLE_CSV = (
    "kode_wilayah,puskesmas,nama,nik,jabatan\n"
    "32.73.01,Puskesmas Sukasari,Yanti Firmansyah,3273014501900001,Bidan\n"
    "32.73.02,Puskesmas Coblong,Dadang Mulyani,3273021203850002,Perawat\n"
    "32.73.01,Puskesmas Sukasari,Hana Rohaeti,3273016607920003,Dokter\n"
)


@pytest.fixture
def people(reference):
    producer, walidata = f.make_producer(), f.make_walidata()
    ds = f.make_dataset(producer)
    res = f.upload_csv(producer, ds, PEOPLE_CSV)
    flagged = {p["column"]: p["kind"] for p in res.report["pii"]}
    assert flagged == {"nama": "name", "nik": "nik"}
    actions.dataset_submit(producer, ds.id)
    return producer, walidata, ds, res


def _csv_rows(result):
    with open(result["path"], encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_mask_keeps_the_shape():
    assert privacy.mask("3273014501900001") == "3273********0001"
    assert privacy.mask("Yanti Firmansyah") == "Y**** F*********"
    assert privacy.mask("budi@example.go.id") == "b***@example.go.id"
    assert privacy.mask("081234567890") == "0812****7890"
    assert privacy.mask("") == ""


def test_flagged_columns_block_approval_until_decided(people):
    producer, walidata, ds, res = people
    with pytest.raises(ValidationError) as exc:
        actions.dataset_approve(walidata, ds.id)
    assert "pii" in exc.value.errors
    actions.pii_decide(walidata, res.id, {"column": "nik", "decision": "removed"})
    with pytest.raises(ValidationError):
        actions.dataset_approve(walidata, ds.id)
    actions.pii_decide(walidata, res.id, {"column": "nama", "decision": "masked"})
    assert actions.dataset_approve(walidata, ds.id).status == "published"


def test_justified_needs_a_reason(people):
    _, walidata, _, res = people
    with pytest.raises(ValidationError) as exc:
        actions.pii_decide(walidata, res.id, {"column": "nama", "decision": "justified"})
    assert "reason" in exc.value.errors
    assert actions.pii_decide(walidata, res.id, {
        "column": "nama", "decision": "justified",
        "reason": "Nama pejabat publik wajib diumumkan."}).decision == "justified"
    assert not f.reload(res).redacted


def test_public_gets_the_redacted_table_producer_the_real_one(people, client_for):
    producer, walidata, ds, res = people
    actions.pii_decide(walidata, res.id, {"column": "nik", "decision": "removed"})
    actions.pii_decide(walidata, res.id, {"column": "nama", "decision": "masked"})
    actions.dataset_approve(walidata, ds.id)
    from app.core.actor import ANONYMOUS

    public = _csv_rows(actions.resource_download(ANONYMOUS, res.id, "csv"))
    assert public[0] == ["kode_wilayah", "puskesmas", "nama", "jabatan"]
    assert public[1][2] == "Y**** F*********"
    assert "3273014501900001" not in json.dumps(public)
    # Asking for the original gives the redacted CSV, never the producer's file.
    original = actions.resource_download(ANONYMOUS, res.id, "original")
    assert original["filename"].endswith(".csv")
    with open(original["path"], encoding="utf-8") as fh:
        assert "Yanti Firmansyah" not in fh.read()
    xlsx = actions.resource_download(ANONYMOUS, res.id, "xlsx")
    cells = [c for row in openpyxl.load_workbook(xlsx["path"]).active.values for c in row]
    assert "Yanti Firmansyah" not in cells and "Y**** F*********" in cells
    raw = _csv_rows(actions.resource_download(producer, res.id, "csv"))
    assert raw[1][2] == "Yanti Firmansyah" and "nik" in raw[0]

    page = client_for(None).get(f"/dataset/{ds.name}").get_data(as_text=True)
    assert "Y**** F*********" in page and "Yanti Firmansyah" not in page
    assert "3273014501900001" not in page
    staff_page = client_for(walidata).get(f"/dataset/{ds.name}").get_data(as_text=True)
    assert "Yanti Firmansyah" in staff_page


def test_new_file_forgets_old_decisions(people, storage_dir):
    producer, walidata, ds, res = people
    actions.pii_decide(walidata, res.id, {"column": "nama", "decision": "masked"})
    public_key = f.reload(res).public_key
    assert public_key and (storage_dir / public_key).exists()
    actions.dataset_return(walidata, ds.id, {"message": "Hapus kolom NIK dari berkas."})
    fixed = PEOPLE_CSV.replace(",nik", "").replace(",3273014501900001", "").replace(
        ",3273021203850002", "").replace(",3273016607920003", "")
    res = actions.resource_replace(producer, res.id, "fixed.csv", io.BytesIO(fixed.encode()))
    assert res.pii_decisions == [] and not res.redacted
    assert not (storage_dir / public_key).exists()
    assert res.pii_undecided() == ["nama"]
