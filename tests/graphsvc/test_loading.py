"""Loading as a user meets it: a file that would load nothing is refused (and recorded
nowhere), a registration list loads only when asked, messy sign-in sheets are read as people
write them, rows with problems are left out only when asked (and listed), and the attendance
comes back out as loaded. Real files from tests/fixtures/real where one exists; sign-in sheets
are our own (no real one was found), written as the README of that corpus describes them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from graphsvc.cli import main
from graphsvc.errors import ImportProblems
from loaders import SessionDefaults
from tests.conftest import ADMIN

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))["files"]
EVENTBRITE = REAL / "eventbrite_us_attending.csv"
DEFAULTS = SessionDefaults("Peer support", date(2024, 12, 5), "Bolton", "Launch")


def refused(service, paths, **options) -> ImportProblems:
    before = (service.store.revision(), len(service.store.imports()))
    with pytest.raises(ImportProblems) as caught:
        service.imports.load(ADMIN, paths, **options)
    assert (service.store.revision(), len(service.store.imports())) == before
    return caught.value


def test_a_registration_list_is_refused_as_attendance_and_says_what_to_do(service):
    problem = refused(service, [EVENTBRITE], defaults=DEFAULTS).problems[0]
    assert "nobody is checked in" in problem.reason and "3 are booked" in problem.reason
    assert problem.option == "count"
    # and the right load is not then blocked as "already loaded"
    plan = service.imports.load(ADMIN, [EVENTBRITE], defaults=DEFAULTS, count="registered")
    assert plan.record is not None and not plan.reports[0].already_loaded


def test_registrations_load_as_registered_and_stay_out_of_ties(service, tmp_path):
    service.imports.load(ADMIN, [EVENTBRITE], defaults=DEFAULTS, count="registered")
    rows = list(service.store.attendance())
    names = {p.name for p in service.store.people()}
    assert {r.role for r in rows} == {"registered"} and len(rows) == 3
    assert {p["name"] for p in EXPECTED[EVENTBRITE.name]["people"]} <= names
    assert service.data.attendance_table().person_ids == []  # not counted as attendance
    assert service.data.ties("people").weight.size == 0


def test_registered_people_count_when_the_rule_says_so(tmp_path):
    from tests.conftest import build

    service = build(tmp_path / "graphsvc.db", count_registered=1)
    service.imports.load(ADMIN, [EVENTBRITE], defaults=DEFAULTS, count="registered")
    assert len(service.data.attendance_table().person_ids) == 3
    assert service.data.ties("people").weight.size == 3  # three people, three pairs
    assert "registered count" in service.data.rule.describe()
    service.close()


def test_the_wrong_format_forced_on_a_file_is_refused_naming_its_header(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email\nAnn Lee,ann@x.example\n")
    problem = refused(service, [sheet], format="eventbrite", defaults=DEFAULTS).problems[0]
    assert "not an Eventbrite" in problem.reason and "Name, Email" in problem.reason


def test_a_file_with_no_rows_is_refused(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email\n")
    problem = refused(service, [sheet], defaults=DEFAULTS).problems[0]
    assert problem.reason.startswith("nothing to load")


def test_the_command_line_refuses_with_a_non_zero_exit(runner, tmp_path):
    result = runner.invoke(main, ["load", str(EVENTBRITE), "--community", "Peer support",
                                  "--date", "2024-12-05", "--db", str(tmp_path / "g.db")])
    assert result.exit_code != 0 and "--count" in result.output
    assert "Reading" not in result.output  # no progress bar outside a terminal
    again = runner.invoke(main, ["load", str(EVENTBRITE), "--community", "Peer support",
                                 "--date", "2024-12-05", "--count", "registered",
                                 "--db", str(tmp_path / "g.db")])
    assert again.exit_code == 0, again.output
    assert "loaded as import" in again.output


MESSY = ("Name,Email,Organisation\n"
         "  Ann   Lee ,n/a,Bolton Carers\n"
         "Bob Khan,-,unknown\n"
         "Cat Ng,cat@elm.example,Elm Trust, Bolton\n"  # an unquoted comma: four fields
         "Dee Patel,NONE,Elm Trust\n"
         "Eve Moss,eve@elm,Elm Trust\n")


def test_placeholders_are_blanks_and_names_are_trimmed(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email,Organisation\n  Ann   Lee ,n/a,Bolton Carers\n"
                     "Bob Khan,-,unknown\nDee Patel,NONE,Elm Trust\n")
    plan = service.imports.load(ADMIN, [sheet], defaults=DEFAULTS)
    people = {p.name: p for p in service.store.people()}
    assert set(people) == {"Ann Lee", "Bob Khan", "Dee Patel"}
    assert all(p.email is None for p in people.values())
    assert {o.name for o in service.store.organisations()} == {"Bolton Carers", "Elm Trust"}
    assert any("4 placeholder values read as blank" in n for n in plan.reports[0].notes)


def test_a_row_with_more_fields_than_the_header_is_a_problem_not_a_shift(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(MESSY)
    problems = refused(service, [sheet], defaults=DEFAULTS).problems
    assert [(p.row, p.column) for p in problems] == [(4, None), (6, "Email")]
    assert "4 fields but the header has 3" in problems[0].reason


def test_skipping_invalid_rows_loads_exactly_the_valid_ones_and_lists_the_rest(service,
                                                                               tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(MESSY)
    plan = service.imports.load(ADMIN, [sheet], defaults=DEFAULTS, skip_invalid=True)
    assert {p.name for p in service.store.people()} == {"Ann Lee", "Bob Khan", "Dee Patel"}
    assert [p.row for p in plan.reports[0].invalid_rows] == [4, 6]
    [record] = service.store.imports()
    assert record.counts["invalid_rows_skipped"] == 2
    assert [r["row"] for r in record.counts["invalid_rows"]] == [4, 6]
    assert "eve@elm" not in json.dumps(record.counts)  # the reason and place, not the value


def test_skipping_invalid_rows_still_refuses_a_file_that_is_wrong_as_a_whole(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email\nAnn Lee,ann@x.example\n")
    problem = refused(service, [sheet], skip_invalid=True).problems[0]
    assert problem.row == 1 and problem.option == "community"


def test_a_sheet_named_for_a_new_community_loads_on_a_fresh_database(service, tmp_path):
    sheet = tmp_path / "GM peer support - 2019-03-04 - Bolton.csv"
    sheet.write_text("Name,Email\nAnn Lee,ann@x.example\n")
    service.imports.load(ADMIN, [sheet])
    [session] = service.store.sessions()
    assert session.held_on == date(2019, 3, 4)
    assert [c.name for c in service.store.communities()] == ["GM peer support"]


def test_attendance_without_a_register_warns_that_sectors_stay_empty(service, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Email,Organisation\nAnn Lee,ann@x.example,Elm Trust\n")
    plan = service.imports.load(ADMIN, [sheet], defaults=DEFAULTS)
    assert "no organisations register" in plan.reports[0].notes[0]


@pytest.mark.parametrize("name", ["teams_2022_summary_us_invitado.csv",
                                  "zoom_classic_two_devices.csv", "teams_2021_log_uk_still_present.csv"])
def test_the_attendance_export_gives_back_what_the_file_says(service, name):
    """Checked from outside: the export's rows against the hand-worked expected.json."""
    service.imports.load(ADMIN, [REAL / name], defaults=SessionDefaults("Corpus"))
    rows = list(csv.DictReader(io.StringIO(service.views.export_attendance(ADMIN))))
    assert list(rows[0]) == ["date", "session", "community", "place", "person_id", "name",
                             "email", "organisation", "minutes", "role"]
    spec = EXPECTED[name]
    assert len(rows) == spec.get("people_total", len(spec["people"]))
    by_person = {(r["email"] or r["name"]): r for r in rows}
    for person in spec["people"]:
        row = by_person[person["email"] or person["name"]]
        assert row["name"] == person["name"]
        assert row["date"] == spec["sessions"][0]["date"]
        assert int(row["minutes"]) == person["minutes"]
        assert row["role"] == (person["role"] or "attendee")
    entries = service.access.accounts.audit_entries() if service.access else []
    assert all("attendance.csv" != e["target"] or e["actor"] == ADMIN.username for e in entries)


def test_the_preview_counts_input_rows(service):
    """27 people in 31 rows (rejoins and a second device): the preview's rows are rows."""
    name = "zoom_classic_two_devices.csv"
    plan = service.imports.preview(ADMIN, [REAL / name], defaults=SessionDefaults("Corpus"))
    spec = EXPECTED[name]
    assert plan.reports[0].rows == sum(p["rows"] for p in spec["people"])
    assert plan.reports[0].people == len(spec["people"])
    plan.close()
