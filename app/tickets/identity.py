"""The requester's NIK: checking it, masking it, and keeping it encrypted at rest.

A NIK (Nomor Induk Kependudukan) is 16 digits: the district where it was issued (province,
regency, district: 2+2+2), the birth date as DDMMYY with 40 added to the day for women, and
a 4-digit serial. It is personal data under UU 27/2022: pages show mask_nik(), the database
holds encrypt(), and only the roles that need it see decrypt() (the caller logs that view).

The NIK keeps the district code it was issued with for life. Regions that were split since
(e.g. the Papua provinces in 2022: Merauke went from 91.01 to 93.01) leave valid NIKs whose
prefix is no longer in the current Kemendagri list; nik_errors() reports those like any
unknown prefix, so staff may need to accept such a request by hand.
"""
import contextlib
import functools
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.models import Region
from app.extensions import db

NIK_LENGTH = 16
# What people type between digit groups ("3273 0112 0590 0001", "32.73.01.120590.0001").
_SEPARATORS = re.compile(r"[\s.\-]+")
_NIK = re.compile(r"[0-9]{16}")  # ASCII only: str.isdigit() also accepts e.g. Arabic digits


class PersonalDataKeyError(RuntimeError):
    """PERSONAL_DATA_KEY is missing or not a list of Fernet keys (an operator's problem)."""


class UndecryptableError(ValueError):
    """A stored token is damaged, or was made with a key that PERSONAL_DATA_KEY no longer has."""


# ---------------------------------------------------------------- checking

def normalise_nik(raw):
    """The NIK as its bare digits: spaces, dots and hyphens between groups are dropped.

    Nothing else is changed, so a letter or a missing digit still fails nik_errors(). Store
    and compare this form.
    """
    if raw is None:
        return ""
    return _SEPARATORS.sub("", str(raw))


def nik_errors(nik, check_region=True):
    """What is wrong with a NIK, as (lazily) translated messages; empty means valid.

    ``nik`` may be typed input: it is normalised first (see normalise_nik). The district
    check queries the region table, so it needs an app context; ``check_region=False``
    skips it (e.g. where staff confirmed an old code of a since-split region).
    """
    nik = normalise_nik(nik)
    if not _NIK.fullmatch(nik):
        return [_l("NIK harus terdiri atas 16 angka.")]
    errors = []
    if check_region and nik_region(nik) is None:
        errors.append(_l("Kode wilayah %(prefix)s (%(code)s) pada 6 digit pertama NIK tidak "
                         "ada dalam daftar kecamatan Kemendagri.",
                         prefix=nik[:6], code=_district_code(nik)))
    if not birth_date_candidates(nik):
        errors.append(_l("Digit 7–12 NIK (tanggal lahir HHBBTT, tanggal ditambah 40 untuk "
                         "perempuan) bukan tanggal yang valid."))
    if nik[12:] == "0000":
        errors.append(_l("Nomor urut pada 4 digit terakhir NIK tidak boleh 0000."))
    return errors


def birth_date_candidates(nik):
    """The birth dates digits 7–12 can stand for: one per century that makes a real date.

    Both centuries are tried because DDMMYY does not say which; they differ only for
    29 February (1900 was not a leap year, 2000 was). Women's days carry +40.
    """
    nik = normalise_nik(nik)
    if not _NIK.fullmatch(nik):
        return []
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    found = []
    for century in (1900, 2000):
        with contextlib.suppress(ValueError):  # e.g. 29 February 1900, 31 April
            found.append(date(century + year, month, day))
    return found


def nik_region(nik):
    """The district (kecamatan) Region named by the NIK's first six digits, or None."""
    nik = normalise_nik(nik)
    if not _NIK.fullmatch(nik):
        return None
    return db.session.get(Region, _district_code(nik))


def nik_place(nik):
    """"Kec. Sukasari, Kota Bandung, Jawa Barat" for authorised staff, or None when unknown."""
    district = nik_region(nik)
    if district is None:
        return None
    parts = [_("Kec. %(name)s", name=district.name)]
    for code in (district.code[:5], district.code[:2]):  # regency, province
        region = db.session.get(Region, code)
        if region is not None:
            parts.append(region.name)
    return ", ".join(parts)


def mask_nik(nik):
    """"3201********0001": the first and last four characters stay, the rest are starred.

    Works on anything (an invalid or short value is starred more, never shown whole).
    """
    nik = normalise_nik(nik)
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def _district_code(nik):
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


# ---------------------------------------------------------------- encryption at rest

def encrypt(text):
    """A Fernet token (str) for ``text``, made with the first key of PERSONAL_DATA_KEY."""
    if not isinstance(text, str):
        raise TypeError("encrypt() takes a str")
    return _fernet(current_app.config.get("PERSONAL_DATA_KEY")).encrypt(
        text.encode("utf-8")).decode("ascii")


def decrypt(token):
    """The text inside a token made by encrypt(), with any key of PERSONAL_DATA_KEY.

    :raises UndecryptableError: a damaged token, or one whose key was removed from the list.
    """
    try:
        data = _fernet(current_app.config.get("PERSONAL_DATA_KEY")).decrypt(_token_bytes(token))
    except InvalidToken:
        raise UndecryptableError(
            "personal data token cannot be decrypted: it is damaged, or its key is no "
            "longer in PERSONAL_DATA_KEY") from None
    return data.decode("utf-8")


def rotate(token):
    """The same text re-encrypted with the first (current) key, for a key-rotation sweep.

    :raises UndecryptableError: as decrypt().
    """
    try:
        new = _fernet(current_app.config.get("PERSONAL_DATA_KEY")).rotate(_token_bytes(token))
    except InvalidToken:
        raise UndecryptableError(
            "personal data token cannot be decrypted: it is damaged, or its key is no "
            "longer in PERSONAL_DATA_KEY") from None
    return new.decode("ascii")


def _token_bytes(token):
    if isinstance(token, bytes):
        return token
    if not isinstance(token, str):
        raise UndecryptableError("personal data token must be a str")
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        raise UndecryptableError("personal data token is not a Fernet token") from None


@functools.lru_cache(maxsize=8)
def _fernet(keys):
    """MultiFernet over the comma-separated keys; cached per configured value."""
    if not keys or not isinstance(keys, str):
        raise PersonalDataKeyError("PERSONAL_DATA_KEY is not configured")
    fernets = []
    for n, key in enumerate((k.strip() for k in keys.split(",")), start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError:
            # The key itself is never echoed: it would end up in logs.
            raise PersonalDataKeyError(f"PERSONAL_DATA_KEY: key {n} is not a Fernet key "
                                       "(32 bytes, url-safe base64)") from None
    return MultiFernet(fernets)
