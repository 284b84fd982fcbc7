"""Meeting and event exports, from files laid out as Zoom, Teams, Eventbrite and Meet write them."""

from datetime import date
from pathlib import Path

import pytest

from graphsvc.errors import ImportProblems
from loaders import SessionDefaults, detect_format, parse_rows
from loaders.files import read_rows
from tests.conftest import ADMIN

FILES = Path(__file__).parent / "files"
COMMUNITIES = ("GM peer support", "GM supported self-management", "Peer support")


def parse(name: str, **options):
    rows = read_rows(FILES / name)
    options.setdefault("communities", COMMUNITIES)
    return parse_rows(rows, source=name, **options)


def by_name(parsed):
    return {r.person.name: r for r in parsed.records}


@pytest.mark.parametrize("name, expected", [
    ("zoom_classic.csv", "zoom"), ("zoom_flat.csv", "zoom"), ("teams_uk_utf16le.csv", "teams"),
    ("teams_us_utf16be.csv", "teams"), ("teams_old.csv", "teams"),
    ("eventbrite_us.csv", "eventbrite"), ("eventbrite_uk.csv", "eventbrite"), ("meet.csv", "meet"),
    ("declared_ties.csv", "declared-ties"),
])
def test_formats_are_detected_from_content(name, expected):
    rows = read_rows(FILES / name)
    assert detect_format(rows[0], rows) == expected


@pytest.mark.parametrize("name", ["zoom_classic.csv", "zoom_flat.csv"])
def test_zoom_rejoins_merge_and_the_host_organises(name):
    parsed = parse(name)
    assert parsed.problems == []
    people = by_name(parsed)
    # 10:00:03-10:41:10 and 10:45:19-11:30:02: 41m07s + 44m43s = 85m50s, to the nearest
    # minute (Zoom's own column, rounded up per row, says 42 + 45)
    assert people["Ann Lee"].minutes == 86 and parsed.merged_rows == 1
    assert people["Hana Host"].session_role == "organiser"
    assert people["Bob Khan"].person.email is None
    session = people["Ann Lee"].session
    assert (session.community, session.title, session.held_on, session.place) == (
        "GM peer support", "Sharing practice", date(2023, 3, 14), "online")
    if name == "zoom_classic.csv":
        assert "Cat Ng" not in people  # still in the waiting room
        assert sum(parsed.skipped.values()) == 1


def test_teams_uk_report_in_utf16_le():
    parsed = parse("teams_uk_utf16le.csv")
    assert parsed.problems == []
    people = by_name(parsed)
    assert set(people) == {"Ann Lee", "Bob Khan", "Dee Patel"}  # "Lee, Ann" turned round
    assert people["Ann Lee"].minutes == 93 and people["Ann Lee"].session_role == "organiser"
    assert people["Bob Khan"].minutes == 68 and people["Bob Khan"].session_role == "presenter"
    assert people["Ann Lee"].session.held_on == date(2022, 11, 14)  # 14/11/22 read the UK way
    assert people["Ann Lee"].session.community == "GM supported self-management"


def test_teams_us_report_in_utf16_be():
    parsed = parse("teams_us_utf16be.csv")
    people = by_name(parsed)
    assert people["Cat Ng"].session.held_on == date(2023, 7, 20)  # 7/20/23 read the US way
    assert people["Cat Ng"].session_role == "organiser" and people["Eve Evans"].minutes == 40
    assert people["Cat Ng"].session.community == "Peer support"


def test_teams_older_join_and_leave_log():
    parsed = parse("teams_old.csv", defaults=SessionDefaults("Peer support"))
    people = by_name(parsed)
    assert people["Ann Lee"].minutes == 30 + 20 and people["Bob Khan"].minutes == 62
    assert people["Ann Lee"].session.held_on == date(2020, 3, 14)


def test_eventbrite_counts_only_who_checked_in_and_says_why():
    parsed = parse("eventbrite_us.csv")
    assert set(by_name(parsed)) == {"Ann Lee", "Cat Ng"}
    assert sum(parsed.skipped.values()) == 2
    assert all("Checked In or Attended" in why for why in parsed.skipped)
    ann = by_name(parsed)["Ann Lee"]
    assert (ann.person.organisation, ann.person.job_title, ann.minutes) == (
        "Bolton Carers Network", "Chief Executive", None)
    assert ann.session.held_on == date(2019, 3, 5)


def test_eventbrite_uk_headers_with_the_session_given():
    parsed = parse("eventbrite_uk.csv", defaults=SessionDefaults("Peer support", date(2019, 2, 20)))
    people = by_name(parsed)
    assert set(people) == {"Eve Evans", "Fay Green"}
    assert people["Eve Evans"].person.postcode == "M3 4AB"


def test_google_meet_durations_and_rejoins():
    parsed = parse("meet.csv", defaults=SessionDefaults("Peer support", date(2021, 5, 4)))
    people = by_name(parsed)
    assert people["Ann Lee"].minutes == 62 + 10 and people["Bob Khan"].minutes == 45


def test_a_meeting_without_a_known_community_asks_for_one():
    parsed = parse("zoom_classic.csv", communities=())
    assert parsed.problems[0].option == "community"
    parsed = parse("meet.csv")
    assert any(p.option == "date" for p in parsed.problems)


@pytest.mark.parametrize("bad, column", [
    ("03/14/2023 25:99:00 AM", "Join Time"),
    ("14 March", "Join Time"),
])
def test_a_bad_zoom_time_is_named_by_row_and_column(tmp_path, bad, column):
    text = (FILES / "zoom_classic.csv").read_text().replace("03/14/2023 09:58:12 AM,03/14/2023 "
                                                           "11:31:40 AM,94,No", f"{bad},03/14/"
                                                           "2023 11:31:40 AM,94,No")
    path = tmp_path / "zoom.csv"
    path.write_text(text)
    parsed = parse_rows(read_rows(path), source="zoom.csv", communities=COMMUNITIES)
    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.value) == (5, column, bad)


def test_one_import_of_many_formats_resolves_people_across_files(service, tmp_path):
    register = tmp_path / "communities.csv"
    register.write_text("Community,Domain,Scope,Place\nGM peer support,peer support,place,"
                        "Greater Manchester\nGM supported self-management,self-management,place,"
                        "Greater Manchester\n")
    plan = service.imports.load(ADMIN, [FILES / "zoom_classic.csv", FILES / "teams_uk_utf16le.csv",
                         FILES / "eventbrite_us.csv", register])
    assert plan.reports[0].format == "communities"  # registers are read first
    counts = service.store.counts()
    assert counts["sessions"] == 3
    # Ann Lee is in all three files under one email: one person
    ann = [p for p in service.store.people() if p.email == "ann.lee@carers.example"]
    assert len(ann) == 1
    assert sum(1 for a in service.store.attendance() if a.person_id == ann[0].id) == 3
    with pytest.raises(ImportProblems):
        service.imports.load(ADMIN, [FILES / "meet.csv"])  # no date or community: nothing loaded
    assert service.store.counts() == counts


def test_a_meet_extension_file_named_for_a_community_belongs_to_it(service, tmp_path):
    """The extension titles the class ("Class List"), never the community; as with Google's own
    report, the file's name can say which community the meeting was for."""
    real = Path(__file__).parents[1] / "fixtures" / "real" / "meet_attendance_extension_2020.csv"
    named = tmp_path / "Peer support - 2020-09-09 - online - Class List.csv"
    named.write_bytes(real.read_bytes())
    service.imports.load(ADMIN, [named])
    [session] = service.store.sessions()
    communities = {c.id: c.name for c in service.store.communities()}
    assert communities[session.community_id] == "Peer support"
