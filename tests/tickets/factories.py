"""Help-desk factories: people in each role and tickets in each state, made through actions."""
import io

from app.core.actor import Role
from app.tickets import actions, sla
from tests.factories import custodian_org, make_user

# Valid for the test regions (32.73.01 Sukasari): a woman born 5 June 1990, serial 0001.
NIK = "3273014506900001"


def make_requester(**overrides):
    return make_user(roles=(Role.PEMOHON,), **overrides)


def make_helpdesk(org=None, **overrides):
    return make_user(roles=(Role.HELPDESK,), orgs=(org or custodian_org(),), **overrides)


def make_ppid(org=None, **overrides):
    return make_user(roles=(Role.PPID,), orgs=(org or custodian_org(),), **overrides)


def make_atasan(**overrides):
    return make_user(roles=(Role.PPID_ATASAN,), orgs=(custodian_org(),), **overrides)


def request_data(**overrides):
    """A complete, valid data request as the web form sends it."""
    data = {
        "kind": "data_request", "subject": "Data jumlah sekolah per kecamatan",
        "body": "Mohon data jumlah SD dan SMP per kecamatan di Kota Bandung tahun 2025.",
        "purpose": "Penelitian skripsi", "format": "softcopy", "delivery": "email",
        "requester_name": "Siti Rahmawati", "identity_kind": "nik", "nik": NIK,
        "address": "Jl. Setiabudi No. 10, Bandung", "phone": "081234567890",
        "email": "siti@example.com", "consent": "1",
    }
    data.update(overrides)
    return data


def make_request(requester=None, files=(), **overrides):
    """A received data request filed by `requester` (a new citizen when None)."""
    custodian_org()  # the team that receives requests
    requester = requester or make_requester()
    return actions.request_submit(requester, request_data(**overrides), files=files)


def pdf_file(name="surat.pdf"):
    return (name, io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))


class Clock:
    """The agency's today, as the actions and the SLA module read it; tests move `day`."""

    def __init__(self, day):
        self.day = day

    def __call__(self):
        return self.day


def stop_the_clock(monkeypatch, day):
    """Pin the agency's today to `day` (a Clock the test can move)."""
    from app.workdays import calendar as workdays

    workdays.invalidate()  # no override left cached from another test
    clock = Clock(day)
    monkeypatch.setattr(actions, "_today", clock)
    monkeypatch.setattr(sla, "local_today", clock)
    return clock
