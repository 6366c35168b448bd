"""The requester's NIK: its checks, its mask, and its encryption at rest (UU 27/2022)."""
import os
import stat
from datetime import date

import pytest
from cryptography.fernet import Fernet
from flask import current_app

from app import config
from app.tickets import identity

# 32.73.01 is Sukasari, Kota Bandung, in the conftest regions: a man born 12 May 1990.
NIK = "3273011205900001"


def messages(nik, **kwargs):
    return [str(m) for m in identity.nik_errors(nik, **kwargs)]


# ---------------------------------------------------------------- normalise and check

@pytest.mark.parametrize("raw", ["3273011205900001", "3273 0112 0590 0001",
                                 "32.73.01.120590.0001", "3273-0112-0590-0001",
                                 " 3273011205900001\n", "3273\u00a00112\u00a005900001"])
def test_separators_are_dropped(raw):
    assert identity.normalise_nik(raw) == NIK


def test_normalise_leaves_everything_else():
    assert identity.normalise_nik(None) == ""
    assert identity.normalise_nik("3273O11205900001") == "3273O11205900001"


def test_a_valid_nik_has_no_errors(reference):
    assert messages(NIK) == []
    assert messages("3273 0112 0590 0001") == []


def test_women_add_forty_to_the_day(reference):
    assert messages("3273015205900001") == []  # 52 -> 12 May
    assert identity.birth_date_candidates("3273015205900001")[0] == date(1990, 5, 12)


@pytest.mark.parametrize("nik", ["327301120590001", "32730112059000011", "", None,
                                 "327301120590000A", "٣٢٧٣٠١١٢٠٥٩٠٠٠٠١", "3273011205900001x"])
def test_sixteen_ascii_digits(reference, nik):
    assert messages(nik) == ["NIK harus terdiri atas 16 angka."]


def test_unknown_district_is_named(reference):
    errors = messages("3273991205900001")
    assert len(errors) == 1
    assert "327399" in errors[0] and "32.73.99" in errors[0]


def test_regency_or_province_code_alone_is_not_a_district(reference):
    # 32.73.00 does not exist: the first six digits always name a district.
    assert len(messages("3273001205900001")) == 1


def test_region_check_can_be_skipped():
    # No reference fixture: the region table is empty.
    assert len(messages(NIK)) == 1
    assert messages(NIK, check_region=False) == []


@pytest.mark.parametrize("ddmmyy", ["000590", "320590", "400590", "720590", "120090",
                                    "121390", "310490", "300290", "290201", "690201"])
def test_birth_date_must_exist(reference, ddmmyy):
    errors = messages(f"327301{ddmmyy}0001")
    assert len(errors) == 1 and "tanggal lahir" in errors[0]


@pytest.mark.parametrize("ddmmyy,born", [
    ("290200", [date(2000, 2, 29)]),                    # 1900 was not a leap year, 2000 was
    ("690200", [date(2000, 2, 29)]),                    # the same, a woman
    ("290204", [date(1904, 2, 29), date(2004, 2, 29)]),
    ("311299", [date(1999, 12, 31), date(2099, 12, 31)]),
    ("410101", [date(1901, 1, 1), date(2001, 1, 1)]),
])
def test_both_centuries_are_tried(reference, ddmmyy, born):
    assert identity.birth_date_candidates(f"327301{ddmmyy}0001") == born
    assert messages(f"327301{ddmmyy}0001") == []


def test_serial_0000_is_refused(reference):
    errors = messages("3273011205900000")
    assert len(errors) == 1 and "0000" in errors[0]


def test_every_problem_is_reported_at_once(reference):
    assert len(messages("3273993202900000")) == 3


# ---------------------------------------------------------------- mask and region

@pytest.mark.parametrize("raw,masked", [
    ("3201234567890001", "3201********0001"),
    ("3201 2345 6789 0001", "3201********0001"),
    ("32012345", "********"),
    ("", ""),
    (None, ""),
])
def test_mask_nik(raw, masked):
    assert identity.mask_nik(raw) == masked


def test_mask_never_shows_the_birth_date():
    assert "120590" not in identity.mask_nik(NIK)


def test_nik_region_and_place(reference):
    region = identity.nik_region(NIK)
    assert region.code == "32.73.01" and region.name == "Sukasari"
    assert identity.nik_place(NIK) == "Kec. Sukasari, Kota Bandung, Jawa Barat"
    assert identity.nik_region("3273991205900001") is None
    assert identity.nik_place("3273991205900001") is None
    assert identity.nik_region("not a nik") is None


# ---------------------------------------------------------------- encryption at rest

@pytest.fixture
def keys(monkeypatch):
    """Set PERSONAL_DATA_KEY on the running app (restored after the test)."""
    def use(*values):
        monkeypatch.setitem(current_app.config, "PERSONAL_DATA_KEY", ",".join(values))
    return use


def test_round_trip_without_the_plain_text():
    token = identity.encrypt(NIK)
    assert NIK not in token and identity.decrypt(token) == NIK
    assert identity.encrypt(NIK) != token  # a fresh IV each time: equal NIKs do not show
    assert identity.decrypt(identity.encrypt("Jl. Cipaganti No. 7, Bandung")) == \
        "Jl. Cipaganti No. 7, Bandung"


def test_the_first_key_encrypts_and_every_key_decrypts(keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    old_token = identity.encrypt(NIK)
    keys(new, old)  # rotation: the new key goes first, the old one stays to read old data
    new_token = identity.encrypt(NIK)
    assert identity.decrypt(old_token) == NIK == identity.decrypt(new_token)
    rotated = identity.rotate(old_token)
    keys(new)  # the old key retired
    assert identity.decrypt(new_token) == NIK == identity.decrypt(rotated)
    with pytest.raises(identity.UndecryptableError, match="PERSONAL_DATA_KEY"):
        identity.decrypt(old_token)


@pytest.mark.parametrize("token", ["", "rubbish", "gAAAAAB" + "x" * 80, "ñ", None, 42])
def test_a_bad_token_raises_a_clear_error(token):
    with pytest.raises(identity.UndecryptableError):
        identity.decrypt(token)


def test_a_tampered_token_is_refused():
    token = identity.encrypt(NIK)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(identity.UndecryptableError):
        identity.decrypt(tampered)


@pytest.mark.parametrize("value", ["", "not-a-key", "c2hvcnQ="])
def test_a_bad_key_is_an_operator_error_that_does_not_echo_it(keys, value):
    keys(value)
    with pytest.raises(identity.PersonalDataKeyError) as info:
        identity.encrypt(NIK)
    assert value == "" or value not in str(info.value)


def test_encrypt_takes_text():
    with pytest.raises(TypeError):
        identity.encrypt(3273011205900001)


# ---------------------------------------------------------------- the key in config

@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("MEJADATA_ENV", "SECRET_KEY", "PERSONAL_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    return monkeypatch


def test_production_needs_a_personal_data_key(env):
    env.setenv("MEJADATA_ENV", "production")
    env.setenv("SECRET_KEY", "s" * 64)
    with pytest.raises(RuntimeError, match="PERSONAL_DATA_KEY must be set"):
        config.load()
    env.setenv("PERSONAL_DATA_KEY", Fernet.generate_key().decode())
    assert config.load()["PERSONAL_DATA_KEY"]


def test_the_demo_generates_one_private_key_and_keeps_it(env):
    first = config.load({"SECRET_KEY": "x"})["PERSONAL_DATA_KEY"]
    path = config.INSTANCE / "personal_data_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert Fernet(first)  # a usable key
    assert config.load({"SECRET_KEY": "x"})["PERSONAL_DATA_KEY"] == first
    assert [p.name for p in config.INSTANCE.iterdir()] == ["personal_data_key"]


def test_several_keys_from_the_environment(env):
    both = f"{Fernet.generate_key().decode()}, {Fernet.generate_key().decode()}"
    env.setenv("PERSONAL_DATA_KEY", both)
    assert config.load({"SECRET_KEY": "x"})["PERSONAL_DATA_KEY"] == both
    assert not config.INSTANCE.exists()


@pytest.mark.parametrize("bad", ["secret", "c2hvcnQ=", "{good},", "{good},nope"])
def test_a_malformed_key_stops_start_up_without_echoing_it(env, bad):
    bad = bad.format(good=Fernet.generate_key().decode())
    env.setenv("PERSONAL_DATA_KEY", bad)
    with pytest.raises(RuntimeError, match="not a Fernet key") as info:
        config.load({"SECRET_KEY": "x"})
    assert "nope" not in str(info.value) and "secret" not in str(info.value)
