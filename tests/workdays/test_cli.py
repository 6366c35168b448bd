"""`flask calendar workdays` and `flask calendar holidays`."""
from app.core.actor import SYSTEM
from app.workdays import actions


def test_workdays_prints_the_deadline_and_the_days_off_it_skipped(runner):
    result = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-17", "--add", "10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2026-04-08 Rabu"
    assert "6 hari Sabtu/Minggu dilewati" in lines[1]
    skipped = [line.split()[0] for line in lines[3:]]
    assert skipped == ["2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24",
                       "2026-04-03"]
    assert "Kamis  Hari Suci Nyepi [libur nasional]" in result.output
    assert "Cuti Bersama Hari Raya Idul Fitri [cuti bersama]" in result.output


def test_workdays_across_the_year_and_from_a_saturday(runner):
    result = runner.invoke(args=["calendar", "workdays", "--from", "2026-12-23", "--add", "5"])
    assert result.output.startswith("2027-01-04 Senin\n")
    assert "2027-01-01" in result.output and "2026-12-25" in result.output
    result = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-14", "--add", "1"])
    assert result.output.startswith("2026-03-16 Senin\n")
    assert "Hari libur yang dilewati" not in result.output


def test_workdays_follows_the_overrides(runner):
    actions.override_set(SYSTEM, {"day": "2026-03-25", "is_workday": False,
                                  "note": "Cuti bersama tambahan"})
    result = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-17", "--add", "10"])
    assert result.output.startswith("2026-04-09 Kamis\n")
    assert "Cuti bersama tambahan [ditetapkan admin]" in result.output


def test_workdays_refuses_bad_input(runner):
    bad_date = runner.invoke(args=["calendar", "workdays", "--from", "17-03-2026", "--add", "1"])
    assert bad_date.exit_code == 2 and "17-03-2026" in bad_date.output
    negative = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-17", "--add", "-1"])
    assert negative.exit_code == 2 and "--add" in negative.output
    missing = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-17"])
    assert missing.exit_code == 2
    too_many = runner.invoke(args=["calendar", "workdays", "--from", "2026-03-17",
                                   "--add", "5000"])
    assert too_many.exit_code == 1
    assert "Jumlah hari kerja harus antara 0 dan 1000." in too_many.output


def test_holidays_lists_the_year(runner):
    actions.override_set(SYSTEM, {"day": "2026-03-18", "is_workday": True,
                                  "note": "Cuti bersama dibatalkan"})
    result = runner.invoke(args=["calendar", "holidays", "--year", "2026"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Hari libur 2026: 24"
    assert "  2026-03-19 Kamis  Hari Suci Nyepi [libur nasional]" in lines
    assert "  2026-03-22 Minggu Hari kedua dari Hari Raya Idul Fitri (akhir pekan) " \
           "[libur nasional]" in lines
    assert "Cuti Bersama Hari Suci Nyepi" not in result.output  # the cancelled one
    assert lines[-2:] == ["Ditetapkan admin sebagai hari kerja:",
                          "  2026-03-18 Rabu   Cuti bersama dibatalkan"]


def test_holidays_refuses_a_bad_year(runner):
    assert runner.invoke(args=["calendar", "holidays", "--year", "dua"]).exit_code == 2
    assert runner.invoke(args=["calendar", "holidays", "--year", "1800"]).exit_code == 2
