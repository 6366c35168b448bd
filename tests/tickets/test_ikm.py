"""The IKM satisfaction index (PermenPANRB 14/2017): a worked example, the bands, bad input."""
import json
from types import SimpleNamespace

import pytest

from app.core.errors import ValidationError
from app.tickets import ikm

# Five respondents, e1..e9 each.
ANSWERS = [
    (4, 4, 3, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 4, 2, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 4, 3, 3, 3, 3),
    (4, 4, 3, 4, 3, 4, 4, 2, 3),
]
# Worked by hand. Column sums: 18 17 14 20 16 18 19 13 16 (151 in all), so the element means
# (NRR) are the sums / 5. IKM = mean of the nine means x 25 = (151 / 45) x 25 = 755 / 9
# = 83.888... -> 83.89, band B (76.61-88.30) "Baik". Element indexes are NRR x 25; e8 sits
# exactly on the lower edge of C (65.00).
MEANS = {"e1": 3.6, "e2": 3.4, "e3": 2.8, "e4": 4.0, "e5": 3.2, "e6": 3.6, "e7": 3.8,
         "e8": 2.6, "e9": 3.2}
INDEXES = {"e1": 90.0, "e2": 85.0, "e3": 70.0, "e4": 100.0, "e5": 80.0, "e6": 90.0,
           "e7": 95.0, "e8": 65.0, "e9": 80.0}
GRADES = {"e1": "A", "e2": "B", "e3": "C", "e4": "A", "e5": "B", "e6": "A", "e7": "A",
          "e8": "C", "e9": "B"}


def test_worked_example():
    result = ikm.compute(ANSWERS)
    assert result.count == 5
    assert result.element_means == MEANS
    assert result.element_indexes == INDEXES
    assert result.element_grades == GRADES
    assert result.ikm == 83.89
    assert (result.grade, str(result.grade_label)) == ("B", "Baik")


def test_rows_may_be_mappings_or_stored_responses():
    as_dicts = [dict(zip(ikm.KEYS, row, strict=True)) for row in ANSWERS]
    as_objects = [SimpleNamespace(**d, comment="") for d in as_dicts]
    assert ikm.compute(as_dicts) == ikm.compute(ANSWERS) == ikm.compute(iter(as_objects))


def test_means_keep_full_precision_until_shown():
    # 2, 2, 3 -> 2.333...: shown to 3 decimals; the IKM comes from the exact fraction.
    rows = [(2,) * 9, (2,) * 9, (3,) * 9]
    result = ikm.compute(rows)
    assert result.element_means["e1"] == 2.333
    assert result.ikm == 58.33 and result.grade == "D"


def _rows_with_column_sums(sums, n):
    """n rows whose columns add up to ``sums``: fours first, then one partial, then ones."""
    columns = []
    for total in sums:
        extra, column = total - n, []
        for _ in range(n):
            step = min(3, extra)
            column.append(1 + step)
            extra -= step
        columns.append(column)
    return list(zip(*columns, strict=True))


def test_half_up_from_the_exact_value():
    # 5000 respondents whose column sums total 158,949: IKM = 158949 / 45000 x 25 = 88.305
    # exactly, which rounds half up to 88.31, band A. The same sums through binary floats
    # (nine float means, averaged) land a hair under 88.305 and round down to B.
    sums = [18774, 17341, 20000, 19653, 20000, 10170, 20000, 13011, 20000]
    rows = _rows_with_column_sums(sums, 5000)
    assert [sum(col) for col in zip(*rows, strict=True)] == sums
    assert round(sum(s / 5000 for s in sums) / 9 * 25, 2) == 88.3  # the float pitfall
    result = ikm.compute(rows)
    assert result.ikm == 88.31 and result.grade == "A"


def test_the_extremes():
    assert ikm.compute([(4,) * 9]).ikm == 100.0
    assert ikm.compute([(4,) * 9]).grade == "A"
    lowest = ikm.compute([(1,) * 9])
    assert (lowest.ikm, lowest.grade, str(lowest.grade_label)) == (25.0, "D", "Tidak Baik")


@pytest.mark.parametrize("value,grade,label", [
    (100, "A", "Sangat Baik"), (88.31, "A", "Sangat Baik"), (88.30, "B", "Baik"),
    (76.61, "B", "Baik"), (76.60, "C", "Kurang Baik"), (65.00, "C", "Kurang Baik"),
    (64.99, "D", "Tidak Baik"), (25, "D", "Tidak Baik"), ("88.30", "B", "Baik"),
])
def test_band_edges(value, grade, label):
    band = ikm.band_for(value)
    assert band.grade == grade and str(ikm.grade_label(band)) == label


@pytest.mark.parametrize("value", [24.99, 100.01, 0, -5])
def test_outside_the_scale(value):
    with pytest.raises(ValueError):
        ikm.band_for(value)


def test_the_bands_file_matches_the_regulation_table():
    table = {b.grade: (str(b.ikm_min), str(b.ikm_max), str(b.nrr_min), str(b.nrr_max))
             for b in ikm.BANDS}
    assert table == {"A": ("88.31", "100.00", "3.5324", "4.00"),
                     "B": ("76.61", "88.30", "3.0644", "3.532"),
                     "C": ("65.00", "76.60", "2.60", "3.064"),
                     "D": ("25.00", "64.99", "1.00", "2.5996")}


def _bands_file(tmp_path, change):
    data = json.loads(ikm.BANDS_FILE.read_text(encoding="utf-8"))
    change(data["bands"])
    path = tmp_path / "bands.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("change", [
    lambda b: b[1].update(ikm_min="76.70"),                      # a gap between B and C
    lambda b: b[0].update(ikm_min="88.30"),                      # A overlaps B
    lambda b: b[3].update(ikm_min="20.00", nrr_min="0.80"),      # below the scale
    lambda b: b[2].update(nrr_max="3.07"),                       # the two tables disagree
    lambda b: b.clear(),
])
def test_a_broken_bands_file_is_refused(tmp_path, change):
    with pytest.raises(ValueError):
        ikm.load_bands(_bands_file(tmp_path, change))


def test_no_responses():
    result = ikm.compute([])
    assert result.count == 0
    assert result.ikm is None and result.grade is None and result.grade_label is None
    assert result.element_means == dict.fromkeys(ikm.KEYS)


@pytest.mark.parametrize("row", [(4,) * 8, (4,) * 10, (0,) + (4,) * 8, (5,) + (4,) * 8,
                                 ("3",) + (4,) * 8, (True,) + (4,) * 8, (3.0,) + (4,) * 8,
                                 {"e1": 4}, SimpleNamespace(e1=4)])
def test_compute_refuses_a_bad_stored_row(row):
    with pytest.raises(ValueError, match="row 2"):
        ikm.compute([(4,) * 9, row])


# ---------------------------------------------------------------- the questionnaire

def test_nine_elements_in_the_regulation_order():
    assert [f"e{i}" for i in range(1, 10)] == list(ikm.KEYS)
    labels = [str(e.label) for e in ikm.ELEMENTS]
    assert labels[0] == "Persyaratan" and labels[3] == "Biaya/tarif"
    assert labels[7].startswith("Penanganan pengaduan") and labels[8] == "Sarana dan prasarana"
    assert all(len(e.options) == 4 and str(e.question).endswith("?") for e in ikm.ELEMENTS)
    first = ikm.ELEMENTS[0]
    assert str(first.question) == ("Bagaimana pendapat Saudara tentang kesesuaian persyaratan "
                                   "pelayanan dengan jenis pelayanannya?")
    assert [str(o) for o in first.options] == ["Tidak sesuai", "Kurang sesuai", "Sesuai",
                                               "Sangat sesuai"]
    assert str(ikm.ELEMENTS[3].options[3]) == "Gratis"  # cost: the best answer is free


# ---------------------------------------------------------------- one respondent's form

def form(**changes):
    data = {f"e{i}": "3" for i in range(1, 10)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def test_valid_answers_become_ints():
    clean = ikm.validate_answers(form(e1=4, e2=" 1 ", comment="  Cepat dan ramah.  "))
    assert clean == {"e1": 4, "e2": 1, "e3": 3, "e4": 3, "e5": 3, "e6": 3, "e7": 3, "e8": 3,
                     "e9": 3, "comment": "Cepat dan ramah."}


def test_the_comment_is_optional():
    assert ikm.validate_answers(form())["comment"] == ""
    assert ikm.validate_answers(form(comment=None))["comment"] == ""
    assert ikm.validate_answers(form(comment="x" * 2000))["comment"] == "x" * 2000


def errors_of(data):
    with pytest.raises(ValidationError) as info:
        ikm.validate_answers(data)
    return {k: [str(m) for m in v] for k, v in info.value.errors.items()}


def test_missing_answers_are_named():
    errors = errors_of(form(e3=..., e9=""))
    assert errors == {"e3": ["Wajib diisi."], "e9": ["Wajib diisi."]}
    assert set(errors_of({})) == set(ikm.KEYS)
    assert set(errors_of(None)) == set(ikm.KEYS)


@pytest.mark.parametrize("value", ["0", "5", 0, 5, "tiga", "3.0", 2.5, True, "٣", [3]])
def test_answers_outside_1_to_4(value):
    errors = errors_of(form(e5=value))
    assert list(errors) == ["e5"] and "1 sampai 4" in errors["e5"][0]


def test_a_long_or_non_text_comment():
    assert "2000" in errors_of(form(comment="x" * 2001))["comment"][0]
    assert errors_of(form(comment=123)) == {"comment": ["Harus berupa teks."]}


def test_every_field_error_at_once():
    assert set(errors_of(form(e1="9", e2=..., comment="x" * 2001))) == {"e1", "e2", "comment"}
