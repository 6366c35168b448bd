"""The IKM satisfaction index (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017).

Nine elements (unsur), each answered 1–4. Per element the mean score (NRR, nilai rata-rata);
IKM = the mean of the nine means × 25, on a 25–100 scale, graded A–D by the bands in
ikm_bands.json. The regulation writes the mean as Σ(NRR × 0.111); 0.111 is its rounding of
1/9, and using it literally would make a perfect survey score 99.9, so the exact 1/9 is used.

Arithmetic is exact (fractions of integer scores); only the published figures are rounded,
half up, and a grade is read from the rounded figure so the number and the letter shown side
by side always agree.
"""
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError

SCORES = (1, 2, 3, 4)
MULTIPLIER = 25  # 1–4 scale -> 25–100
COMMENT_MAX = 2000
BANDS_FILE = Path(__file__).with_name("ikm_bands.json")


class Element(NamedTuple):
    key: str
    label: object  # lazy string
    question: object
    options: tuple  # the answer labels for scores 1, 2, 3, 4


# The standard questionnaire of PermenPANRB 14/2017 (Lampiran), in the regulation's element
# order: 8 is complaints handling, 9 facilities.
ELEMENTS = [
    Element("e1", _l("Persyaratan"),
            _l("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
               "jenis pelayanannya?"),
            (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Element("e2", _l("Prosedur"),
            _l("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
            (_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah"))),
    Element("e3", _l("Waktu pelayanan"),
            _l("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan "
               "pelayanan?"),
            (_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat"))),
    Element("e4", _l("Biaya/tarif"),
            _l("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
            (_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis"))),
    Element("e5", _l("Produk layanan"),
            _l("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
               "tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
            (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Element("e6", _l("Kompetensi pelaksana"),
            _l("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam "
               "pelayanan?"),
            (_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"),
             _l("Sangat kompeten"))),
    Element("e7", _l("Perilaku pelaksana"),
            _l("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
               "kesopanan dan keramahan?"),
            (_l("Tidak sopan dan ramah"), _l("Kurang sopan dan ramah"), _l("Sopan dan ramah"),
             _l("Sangat sopan dan ramah"))),
    Element("e8", _l("Penanganan pengaduan, saran dan masukan"),
            _l("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
            (_l("Tidak ada"), _l("Ada tetapi tidak berfungsi"), _l("Berfungsi kurang maksimal"),
             _l("Dikelola dengan baik"))),
    Element("e9", _l("Sarana dan prasarana"),
            _l("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
            (_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))),
]
KEYS = tuple(e.key for e in ELEMENTS)

# The band labels of ikm_bands.json, listed here so that pybabel extracts them; a band file
# with other labels still works, its labels are then shown untranslated.
_BAND_LABELS = {"Sangat Baik": _l("Sangat Baik"), "Baik": _l("Baik"),
                "Kurang Baik": _l("Kurang Baik"), "Tidak Baik": _l("Tidak Baik")}


@dataclass(frozen=True)
class Band:
    grade: str
    label: str  # as in the file (Indonesian); grade_label() translates
    ikm_min: Decimal
    ikm_max: Decimal
    nrr_min: Decimal
    nrr_max: Decimal


@dataclass(frozen=True)
class IkmResult:
    """One survey period's figures. With no responses every figure is None."""

    count: int
    element_means: dict  # key -> NRR (1–4), 3 decimals
    element_indexes: dict  # key -> NRR × 25 (25–100), 2 decimals
    element_grades: dict  # key -> grade letter of the element's own index
    ikm: float | None  # 25–100, 2 decimals
    grade: str | None
    grade_label: object | None  # lazy string, e.g. "Sangat Baik"


def load_bands(path=BANDS_FILE):
    """The grade bands, best first. The file keeps decimals as strings so 88.30 stays exact.

    :raises ValueError: bands that overlap, leave a gap at 0.01 or do not span 25–100, or
        whose NRR columns are not the IKM columns / 25 (the file's two tables must agree).
    """
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    bands = sorted((Band(grade=b["grade"], label=b["label"],
                         **{k: Decimal(b[k]) for k in ("ikm_min", "ikm_max", "nrr_min",
                                                       "nrr_max")})
                    for b in raw["bands"]), key=lambda b: b.ikm_min, reverse=True)
    if not bands or bands[0].ikm_max != 100 or bands[-1].ikm_min != MULTIPLIER:
        raise ValueError(f"{path}: the bands must span 25.00–100.00")
    for upper, lower in zip(bands, bands[1:], strict=False):
        if upper.ikm_min - lower.ikm_max != Decimal("0.01"):
            raise ValueError(f"{path}: bands {lower.grade} and {upper.grade} do not meet")
    for band in bands:
        if band.ikm_min > band.ikm_max or (band.nrr_min, band.nrr_max) != (
                band.ikm_min / MULTIPLIER, band.ikm_max / MULTIPLIER):
            raise ValueError(f"{path}: band {band.grade} is inconsistent")
    return bands


BANDS = load_bands()


def band_for(ikm):
    """The band of an index already rounded to 2 decimals (a number or a string)."""
    value = Decimal(str(ikm))
    for band in BANDS:
        if value >= band.ikm_min:
            if value > band.ikm_max:
                break
            return band
    raise ValueError(f"IKM {ikm} is outside 25–100")


def grade_label(band):
    return _BAND_LABELS.get(band.label, band.label)


def compute(rows):
    """The IKM of the answers in ``rows``.

    Each row is a 9-tuple (e1..e9 in order), a mapping with keys e1..e9, or an object with
    those attributes (a stored response). Rows are stored answers, already validated, so
    a bad one is a programming error.

    :raises ValueError: a row with a missing answer or one outside 1–4.
    """
    totals = dict.fromkeys(KEYS, 0)
    count = 0
    for n, row in enumerate(rows, start=1):
        for key, score in zip(KEYS, _scores(row, n), strict=True):
            totals[key] += score
        count += 1
    if count == 0:
        empty = dict.fromkeys(KEYS)
        return IkmResult(count=0, element_means=empty, element_indexes=dict(empty),
                         element_grades=dict(empty), ikm=None, grade=None, grade_label=None)
    means = {key: Fraction(total, count) for key, total in totals.items()}
    indexes = {key: _round(mean * MULTIPLIER, 2) for key, mean in means.items()}
    ikm = _round(sum(means.values()) / len(KEYS) * MULTIPLIER, 2)
    band = band_for(ikm)
    return IkmResult(
        count=count,
        element_means={key: float(_round(mean, 3)) for key, mean in means.items()},
        element_indexes={key: float(value) for key, value in indexes.items()},
        element_grades={key: band_for(value).grade for key, value in indexes.items()},
        ikm=float(ikm), grade=band.grade, grade_label=grade_label(band))


def _scores(row, n):
    if isinstance(row, Mapping):
        values = [row.get(key) for key in KEYS]
    elif isinstance(row, (tuple, list)):
        if len(row) != len(KEYS):
            raise ValueError(f"IKM row {n}: {len(row)} answers, expected {len(KEYS)}")
        values = list(row)
    else:
        values = [getattr(row, key, None) for key in KEYS]
    for key, value in zip(KEYS, values, strict=True):
        if type(value) is not int or value not in SCORES:  # bool is an int; True is not 1 here
            raise ValueError(f"IKM row {n}: {key}={value!r} is not a score 1–4")
    return values


def _round(value, places):
    """Half up, exactly: 88.305 -> 88.31 (float rounding would give 88.30 or 88.31 by luck)."""
    scaled = math.floor(Fraction(value) * 10 ** places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def validate_answers(data):
    """One respondent's form: {"e1": 1–4, ..., "e9": 1–4, "comment": str} ready to store.

    Answers may arrive as ints (API, bot) or digit strings (HTML form). The comment is
    optional (stripped, "" when absent) and at most COMMENT_MAX characters.

    :raises ValidationError: per field: a missing answer, or one that is not 1–4.
    """
    data = data or {}
    errors = {}
    clean = {}
    for element in ELEMENTS:
        value = data.get(element.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[element.key] = [_l("Wajib diisi.")]
            continue
        score = _score(value)
        if score is None:
            errors[element.key] = [_l("Pilih salah satu jawaban dengan nilai 1 sampai 4.")]
        else:
            clean[element.key] = score
    comment = data.get("comment")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = [_l("Harus berupa teks.")]
    else:
        comment = comment.strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = [_l("Saran atau komentar terlalu panjang (maksimal %(n)s "
                                    "karakter).", n=COMMENT_MAX)]
    if errors:
        raise ValidationError(errors)
    clean["comment"] = comment
    return clean


def _score(value):
    if type(value) is int:
        return value if value in SCORES else None
    if isinstance(value, str) and value.strip() in ("1", "2", "3", "4"):
        return int(value.strip())
    return None
