"""Zoom behaviours the real exports (tests/fixtures/real) do not cover.

The files here are written by hand from the layouts documented in
tests/fixtures/real/README.md ("What the files show, by platform", Zoom): headers, meeting
lines and time formats as Zoom writes them, with made-up people. Expected values are worked
out by hand from these texts, in the comments next to them.
"""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.cli import main
from loaders import SessionDefaults, detect_format, parse_rows
from loaders.files import read_rows

GIVEN = SessionDefaults("GM peer support", date(2021, 11, 19))
COMMUNITIES = ("GM peer support",)

# 2025 web report, "unique users": the header third-party parsers name (no real file was
# found), under the 2025 meeting line (as in zoom_web_2025_waiting_room.csv)
WEB_UNIQUE_USERS = """\
Topic,ID,Host,Duration (minutes),Start time,End time,Participants
GM peer support: Sharing practice,88554090729,Hana Host (host.person@oaktrust.example),60,"03/14/2025 10:00:00 AM","03/14/2025 11:00:00 AM",3

Name (original name),Email,Total duration (minutes),Guest
Hana Host,host.person@oaktrust.example,60,No
Ann Lee (Ann L),Ann.Lee@carers.example,45,No
Bob Khan,,38,Yes
"""

# participants exported without the meeting block ("Export with meeting data" unticked)
NO_BLOCK = """\
Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Ann Lee (Ann L),ann.lee@carers.example,11/19/2021 10:00:00 AM,11/19/2021 10:30:00 AM,30,No,Y
Ann Lee,ann.lee@carers.example,11/19/2021 10:20:00 AM,11/19/2021 11:00:30 AM,41,No,Y
Bob Khan,,11/19/2021 10:05:00 AM,11/19/2021 10:50:00 AM,45,Yes,NA
"""

CLASSIC = """\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,GM peer support: Sharing practice,03/14/2023 10:00:00 AM,03/14/2023 11:00:00 AM,hana@oaktrust.example,60,3

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Hana Host,hana@oaktrust.example,03/14/2023 10:00:00 AM,03/14/2023 11:00:00 AM,60,No,Y
Ann Lee,{ann},03/14/2023 10:10:00 AM,03/14/2023 10:40:00 AM,30,No,Y
"""


def write(tmp_path, text: str, name: str = "zoom.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(tmp_path, text: str, **options):
    options.setdefault("communities", COMMUNITIES)
    return parse_rows(read_rows(write(tmp_path, text)), source="zoom.csv", **options)


def by_name(parsed):
    return {r.person.name: r for r in parsed.records}


def test_the_2025_unique_users_report_gives_each_total(tmp_path):
    rows = read_rows(write(tmp_path, WEB_UNIQUE_USERS))
    assert detect_format(rows[0], rows) == "zoom"
    parsed = parse(tmp_path, WEB_UNIQUE_USERS)
    assert parsed.problems == []
    people = by_name(parsed)
    assert set(people) == {"Hana Host", "Ann Lee", "Bob Khan"}  # "(Ann L)" dropped
    assert [people[n].minutes for n in ("Hana Host", "Ann Lee", "Bob Khan")] == [60, 45, 38]
    assert people["Hana Host"].session_role == "organiser"  # the host line's address
    assert people["Ann Lee"].session_role == "attendee"
    assert people["Ann Lee"].person.email == "ann.lee@carers.example"
    assert people["Bob Khan"].person.email is None  # a guest, named by name
    session = people["Ann Lee"].session
    assert (session.held_on, session.title) == (date(2025, 3, 14), "Sharing practice")


def test_without_the_meeting_block_and_with_format_and_date_no_start_time_is_asked(tmp_path):
    rows = read_rows(write(tmp_path, NO_BLOCK))
    assert detect_format(rows[0], rows) == "zoom"  # not a sign-in sheet
    parsed = parse(tmp_path, NO_BLOCK, format="zoom", defaults=GIVEN)
    assert parsed.problems == []
    people = by_name(parsed)
    # Ann on two devices: 10:00:00-10:30:00 and 10:20:00-11:00:30 overlap; their union is
    # 10:00:00-11:00:30 = 60m30s, 61 to the nearest minute (the column adds up to 71); the
    # file spans 10:00:00-11:00:30 too, so the cap (61) does not bite
    assert people["Ann Lee"].minutes == 61 and parsed.merged_rows == 1
    assert people["Bob Khan"].minutes == 45  # 10:05:00-10:50:00
    assert {r.session_role for r in parsed.records} == {"attendee"}  # no host without a block
    assert people["Ann Lee"].session.held_on == date(2021, 11, 19)


def test_an_empty_start_time_in_the_block_is_not_asked_for_when_the_date_is_given(tmp_path):
    text = CLASSIC.format(ann="ann.lee@carers.example").replace(
        "03/14/2023 10:00:00 AM,03/14/2023 11:00:00 AM,hana", ",,hana")
    parsed = parse(tmp_path, text, format="zoom", defaults=GIVEN)
    assert parsed.problems == []
    assert {r.session.held_on for r in parsed.records} == {date(2021, 11, 19)}
    # Ann 10:10:00-10:40:00
    assert by_name(parsed)["Ann Lee"].minutes == 30


def test_a_unique_users_list_without_a_block_asks_for_the_date_and_takes_it(tmp_path):
    text = ("Name (original name),Email,Total duration (minutes),Guest\n"
            "Ann Lee,ann.lee@carers.example,45,No\nBob Khan,,38,Yes\n")
    parsed = parse(tmp_path, text, format="zoom", defaults=SessionDefaults("GM peer support"))
    assert [p.option for p in parsed.problems] == ["date"]
    parsed = parse(tmp_path, text, format="zoom", defaults=GIVEN)
    assert parsed.problems == []
    assert {(r.person.name, r.minutes, r.session.held_on) for r in parsed.records} == {
        ("Ann Lee", 45, date(2021, 11, 19)), ("Bob Khan", 38, date(2021, 11, 19))}


def test_the_command_loads_a_zoom_list_with_format_and_date(runner, tmp_path):
    path = write(tmp_path, NO_BLOCK, "participants.csv")
    result = runner.invoke(main, ["load", str(path), "--format", "zoom", "--date", "2021-11-19",
                                  "--community", "GM peer support", "--db",
                                  str(tmp_path / "z.db")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 sessions, 2 people" in result.output


def test_a_typo_in_an_email_is_reported_by_row_and_column(tmp_path):
    parsed = parse(tmp_path, CLASSIC.format(ann="ann.lee@carers"))
    [problem] = parsed.problems
    # row 1 the block's header, 2 its values, 3 empty, 4 the participants' header, 5 Hana
    assert (problem.row, problem.column, problem.value) == (6, "User Email", "ann.lee@carers")


def test_an_email_cut_short_for_display_is_no_address_and_is_counted(tmp_path):
    parsed = parse(tmp_path, CLASSIC.format(ann="ann.lee@car\u2026"))
    assert parsed.problems == []
    assert by_name(parsed)["Ann Lee"].person.email is None
    assert any(note.startswith("1 e-mail cells were cut short") for note in parsed.notes)


def test_a_host_the_web_report_names_is_one_person_with_their_row(tmp_path):
    """The 2025 meeting line names the host; their own row, without an e-mail, is theirs."""
    text = WEB_UNIQUE_USERS.replace("Hana Host,host.person@oaktrust.example,60,No",
                                    "Hana Host,,60,No")
    parsed = parse(tmp_path, text)
    hana = [r for r in parsed.records if r.person.name == "Hana Host"]
    assert [(r.person.email, r.session_role, r.minutes) for r in hana] == [
        ("host.person@oaktrust.example", "organiser", 60)]


def test_a_host_known_only_by_address_and_without_a_row_is_not_invented(tmp_path):
    text = CLASSIC.format(ann="ann.lee@carers.example").replace(
        "Hana Host,hana@oaktrust.example,03/14/2023 10:00:00 AM,03/14/2023 11:00:00 AM,60,No,Y\n",
        "")
    parsed = parse(tmp_path, text)
    assert parsed.problems == [] and set(by_name(parsed)) == {"Ann Lee"}
    assert any("no name in the file" in note for note in parsed.notes)


@pytest.mark.parametrize("bad", ["28/06/2025 06:41:03 AM", "14 March"])
def test_a_time_not_month_first_is_reported_as_zoom_writes_it(tmp_path, bad):
    text = NO_BLOCK.replace("11/19/2021 10:05:00 AM", bad)
    [problem] = parse(tmp_path, text, defaults=GIVEN).problems
    assert (problem.row, problem.column, problem.value) == (4, "Join Time", bad)
    assert "month first" in problem.reason


def test_problems_name_the_columns_as_the_japanese_interface_does(tmp_path):
    text = ("名前 (元の名前),ユーザーメール,参加時刻,退出時刻,所要時間（分）\n"
            "次郎1,,2020/12/8 8:55,2020/12/8 12:41,226\n"
            "次郎2,,2020/12/8 8:55,12:41,226\n")
    [problem] = parse(tmp_path, text, defaults=GIVEN).problems
    assert (problem.row, problem.column, problem.value) == (3, "退出時刻", "12:41")


def test_24_hour_times_are_read_month_first(tmp_path):
    """The active hosts report writes 24 h MM/DD/YYYY: 09/10/2021 is 10 September."""
    text = ("Topic,Meeting ID,User Name,User Email,Start Time,End Time,Duration (Minutes),"
            "Participants,Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
            "GM peer support: 10D,846 1389 0849,Hana Host,hana@oaktrust.example,"
            "09/10/2021 13:00:00,09/10/2021 13:30:00,30,1,Hana Host (Host),"
            "hana@oaktrust.example,09/10/2021 13:00:00,09/10/2021 13:29:40,30,\n")
    [record] = parse(tmp_path, text).records
    assert record.session.held_on == date(2021, 9, 10)
    assert (record.person.name, record.minutes) == ("Hana Host", 30)  # 29m40s


@pytest.mark.parametrize("text, seen", [
    ("Full Name\tUser Action\tTimestamp\nAnn Lee\tJoined\t3/14/2023, 10:00:00 AM\n",
     "'Full Name, User Action, Timestamp'"),
    ("Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
     "1,GM peer support,03/14/2023 10:00:00 AM,03/14/2023 11:00:00 AM,h@o.example,60,1\n\n"
     "Attendee,Minutes\nAnn Lee,60\n", "'Attendee, Minutes'"),
])
def test_a_layout_not_known_is_refused_naming_what_was_seen(tmp_path, text, seen):
    [problem] = parse(tmp_path, text, format="zoom", defaults=GIVEN).problems
    assert seen in problem.reason and "known layouts" in problem.reason
    assert "Name (Original Name), User Email, Join Time" in problem.reason
