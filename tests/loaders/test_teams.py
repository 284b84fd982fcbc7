"""Teams behaviours the real exports in tests/fixtures/real do not show, written from the
platforms' documentation and from tests/fixtures/real/README.md ("What the files show"), with
the expected values worked out by hand from the rows below. The real exports themselves are
checked in test_real_exports.py."""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path

import pytest

from graphsvc.errors import InputError
from loaders import SessionDefaults, parse_file, parse_rows
from loaders.values import surname_first

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
DEFAULTS = SessionDefaults("Peer support")
LIST_HEADER = ["Full Name", "User Action", "Timestamp"]


def parse(rows, **options):
    options.setdefault("defaults", DEFAULTS)
    return parse_rows(rows, source="teams.csv", communities=("Peer support",), **options)


def people(parsed):
    return {r.person.name: r for r in parsed.records}


def summary_report(*rows, end="4/25/2022, 10:00:00 AM"):
    """The 2021-22 layout as tests/fixtures/real/README.md describes it."""
    return [["Meeting Summary"], ["Total Number of Participants", str(len(rows))],
            ["Meeting Title", "Peer support: Spotlight"],
            ["Meeting Start Time", "4/25/2022, 9:00:00 AM"], ["Meeting End Time", end],
            ["Meeting Id", "bf2dbe01-58bd-491d-b4a6-7e9bacabbeb1"], [],
            ["Full Name", "Join Time", "Leave Time", "Duration", "Email", "Role",
             "Participant ID (UPN)"], *rows]


@pytest.mark.parametrize("written, turned", [
    ("Lee, Ann", "Ann Lee"),
    ("Martínez Ruíz, Pablo", "Pablo Martínez Ruíz"),  # the examples
    ("De La Vega, Tomas", "Tomas De La Vega"),
    ("Ashby, Abigail (EXT)", "Abigail Ashby (EXT)"),  # the bracket stays at the end
    ("ASHBY ABIGAIL (EXT)", "ASHBY ABIGAIL (EXT)"),  # no comma: cannot tell which is the surname
    ("Mustermann Max", "Mustermann Max"),
    ("King, Jr.", "King, Jr."),  # a suffix, not a first name
])
def test_surname_first_whatever_the_surname_s_length(written, turned):
    assert surname_first(written) == turned


def test_guest_markers_of_documented_languages_are_dropped():
    """(Guest), (Gast), (Invitado), (Convidado) and Invité are the guest labels Microsoft's
    Teams documentation shows in English, German, Spanish, Portuguese and French;
    (Unverified), sometimes after two spaces, is in the README."""
    rows = [[name, "4/25/2022, 9:00:00 AM", "4/25/2022, 9:30:00 AM", "30m", "", "Attendee", ""]
            for name in ("Anna Schmidt (Gast)", "Élodie Martin (Invité)",
                         "João Silva (Convidado)", "Lee, Ann (Guest)", "Bo  Chen  (Unverified)",
                         "Rhoda (Invitado)")]
    parsed = parse(summary_report(*rows))
    assert parsed.problems == []
    assert set(people(parsed)) == {"Anna Schmidt", "Élodie Martin", "João Silva", "Ann Lee",
                                   "Bo Chen", "Rhoda"}


def test_the_summary_layout_counts_times_not_the_truncated_duration_and_caps_at_the_meeting():
    rows = [  # Ann: 9:00-9:40 and 9:30-9:59:40 overlap: 9:00-9:59:40 = 59m40s -> 60
        ["Lee, Ann", "4/25/2022, 9:00:00 AM", "4/25/2022, 9:40:00 AM", "40m", "ann@x.example",
         "Organizer", "ann@x.example"],
        ["Lee, Ann", "4/25/2022, 9:30:00 AM", "4/25/2022, 9:59:40 AM", "29m 40s",
         "ANN@x.example", "Organizer", "ann_x.example#EXT#@tenant.example"],
        # Bob: 8:50-10:05 is 75 minutes, but the meeting ran 9:00-10:00: 60
        ["Bob Khan", "4/25/2022, 8:50:00 AM", "4/25/2022, 10:05:00 AM", "1h 15m", "", "Presenter",
         ""],
    ]
    parsed = parse(summary_report(*rows))
    ann, bob = people(parsed)["Ann Lee"], people(parsed)["Bob Khan"]
    assert (ann.minutes, ann.session_role, ann.person.email) == (60, "organiser", "ann@x.example")
    assert (bob.minutes, bob.session_role) == (60, "presenter")
    assert ann.session.held_on == date(2022, 4, 25) and ann.session.title == "Spotlight"


def test_a_report_taken_during_the_meeting_runs_to_its_stated_end():
    """No real report with an empty leave time was found (README); the rule is the list's."""
    rows = [["Ann Lee", "4/25/2022, 9:10:00 AM", "", "", "ann@x.example", "Attendee", ""],
            ["Bob Khan", "4/25/2022, 9:00:00 AM", "4/25/2022, 9:20:00 AM", "20m", "", "Attendee",
             ""]]
    parsed = parse(summary_report(*rows, end="4/25/2022, 9:45:00 AM"))
    assert people(parsed)["Ann Lee"].minutes == 35  # 9:10 to the stated end, 9:45
    assert parsed.still_present == 1
    assert any("1 of 2 people were still in the meeting" in n for n in parsed.notes)


def test_a_second_device_s_left_closes_only_its_own_span():
    """Two Joined and two Left rows for one name: nobody is left in the meeting; a Left
    with no Joined is not silently dropped."""
    rows = [LIST_HEADER,
            ["Ann Lee", "Joined", "3/14/2020, 10:00:00 AM"],
            ["Ann Lee", "Joined", "3/14/2020, 10:05:00 AM"],
            ["Ann Lee", "Left", "3/14/2020, 10:20:00 AM"],
            ["Ann Lee", "Left", "3/14/2020, 10:30:00 AM"],
            ["Bob Khan", "Joined", "3/14/2020, 10:00:00 AM"],
            ["Cat Ng", "Left", "3/14/2020, 10:25:00 AM"]]
    parsed = parse(rows)
    assert people(parsed)["Ann Lee"].minutes == 30  # 10:00-10:30, the spans overlap
    assert parsed.still_present == 1  # Bob only, to 10:30, the last time
    assert people(parsed)["Bob Khan"].minutes == 30
    assert sum(parsed.skipped.values()) == 1 and "Cat Ng" not in people(parsed)


def test_the_same_name_unverified_or_in_another_case_is_one_person():
    rows = [LIST_HEADER,
            ["Joan Fielden (Unverified)", "Joined", "2/1/25, 9:00:00 pm"],
            ["Joan Fielden (Unverified)", "Left", "2/1/25, 9:10:00 pm"],
            ["joan fielden  (Unverified)", "Joined", "2/1/25, 9:20:00 pm"],
            ["joan fielden  (Unverified)", "Left", "2/1/25, 9:25:00 pm"]]
    parsed = parse(rows)
    assert [(r.person.name, r.minutes) for r in parsed.records] == [("Joan Fielden", 15)]
    assert parsed.records[0].session.held_on == date(2025, 2, 1)  # month first, with pm


@pytest.mark.parametrize("stamps, held_on", [
    # 24 hours without AM/PM: day first...
    (["11/12/2020, 12:27:24", "11/12/2020, 12:45:18"], date(2020, 12, 11)),
    # ...unless a row can only be month-first (13 cannot be a month)
    (["1/2/2021, 10:00:00", "1/13/2021, 10:30:00"], date(2021, 1, 2)),
    # AM/PM: month first, unless a row can only be day-first
    (["9/3/2020, 2:41:55 PM", "9/3/2020, 2:47:05 PM"], date(2020, 9, 3)),
    (["3/9/2020, 2:41:55 PM", "27/9/2020, 2:47:05 PM"], date(2020, 9, 3)),
])
def test_the_date_order_is_the_file_s(stamps, held_on):
    rows = [LIST_HEADER, ["Ann Lee", "Joined", stamps[0]], ["Ann Lee", "Left", stamps[1]]]
    parsed = parse(rows, defaults=SessionDefaults("Peer support"))
    assert parsed.problems == []
    assert parsed.records[0].session.held_on == held_on


def test_dates_that_disagree_are_a_problem_naming_them():
    rows = [LIST_HEADER, ["Ann Lee", "Joined", "13/01/2021, 10:00:00"],
            ["Ann Lee", "Left", "01/13/2021, 10:30:00"]]
    problems = [str(p) for p in parse(rows).problems]
    assert any("13/01/2021" in p and "01/13/2021" in p for p in problems)


def test_joined_before_rows_are_said_to_start_at_the_list_s_start():
    parsed = parse_file(REAL / "teams_2021_log_uk_still_present.csv", defaults=DEFAULTS,
                        communities=("Peer support",))
    # Dora Netherton, Edwin Vickers, Fern Entwistle, Gordon Lumb: Joined before, 12:56:45
    assert "4 people had joined before the list was started; their minutes count from then, " \
           "12:56:45" in parsed.notes


@pytest.mark.parametrize("rows, seen", [
    ([["Name", "Date", "Minutes"], ["Ann Lee", "2022-11-14", "30"]], "Name, Date, Minutes"),
    ([["1. Summary"], ["Meeting title", "x"], [], ["2. Teilnehmer"], ["Name", "E-Mail"]],
     "1. Summary"),
    ([["Meeting Summary"], ["Meeting Title", "x"], [],  # a join table's headers not known
      ["Nom complet", "Heure d'arrivée", "Heure de départ", "E-mail"]],
     "Nom complet, Heure d'arrivée, Heure de départ, E-mail"),
])
def test_a_layout_not_known_is_refused_naming_the_header_and_the_layouts(rows, seen):
    with pytest.raises(InputError) as refused:
        parse(rows, format="teams")
    message = str(refused.value)
    assert f"({seen})" in message
    assert "Full Name, User Action, Timestamp" in message and "1. Summary" in message


def _resaved(name: str, tmp_path: Path, encoding: str, pad: bool) -> Path:
    """A report as README says spreadsheets re-save it: padded with tabs and CRLF (UTF-16), or
    "CSV UTF-8" (comma-separated, quoted where needed, with a BOM)."""
    import csv
    import io

    text = (REAL / name).read_bytes().decode("utf-16")
    rows = [line.split("\t") for line in text.split("\n")]
    out = io.StringIO()
    if pad:
        width = max(map(len, rows))
        out.write("".join("\t".join(r + [""] * (width - len(r))) + "\r\n" for r in rows))
    else:
        csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
    path = tmp_path / name
    path.write_bytes((codecs.BOM_UTF8 if encoding == "utf-8" else b"")
                     + out.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding, pad", [("utf-16", True), ("utf-8", False)])
def test_a_re_saved_report_reads_as_the_original(tmp_path, encoding, pad):
    name = "teams_2022_summary_us_invitado.csv"
    expected = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))["files"][name]
    parsed = parse_file(_resaved(name, tmp_path, encoding, pad), defaults=DEFAULTS,
                        communities=("Peer support",))
    assert parsed.problems == []
    got = {(r.person.email, r.person.name): r.minutes for r in parsed.records}
    assert got == {(p["email"], p["name"]): p["minutes"] for p in expected["people"]}
