"""The loaders on exports other people published (tests/fixtures/real, provenance in its
README): each file's sessions, people, minutes, roles and who was still present, against
expected.json, which was worked out by hand from the files (its ``rounding`` entry states the
rules). Nothing here is copied from the loaders' output."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from loaders import SessionDefaults, parse_file

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))["files"]
COMMUNITY = "Corpus"
NO_DATE = date(2024, 1, 15)  # given on the command line for files that hold no date


def expected_attendance() -> list[str]:
    """The files whose people attended (the Eventbrite booking list has its own tests)."""
    return [name for name, spec in EXPECTED.items()
            if any(p.get("attended", True) for p in spec["people"])]


def load(name: str):
    spec = EXPECTED[name]
    held_on = None if spec["sessions"] else NO_DATE
    parsed = parse_file(REAL / name, defaults=SessionDefaults(COMMUNITY, held_on),
                        communities=(COMMUNITY,))
    records = list(parsed.records)
    return parsed, records


def find(records, person: dict):
    """The record of an expected person: by e-mail where the file gives one, else by name."""
    if person["email"]:
        found = [r for r in records if r.person.email == person["email"]]
    else:
        found = [r for r in records if r.person.email is None
                 and r.person.name == person["name"]]
    if "session" in person:
        found = [r for r in found if r.session.title == person["session"]]
    assert len(found) == 1, (person["name"], [r.person.name for r in found])
    return found[0]


@pytest.mark.parametrize("name", expected_attendance())
def test_sessions_are_as_the_file_says(name):
    parsed, records = load(name)
    assert parsed.problems == []
    spec = EXPECTED[name]
    sessions = {(r.session.held_on, r.session.title) for r in records}
    if not spec["sessions"]:
        assert {held for held, _ in sessions} == {NO_DATE}
        return
    assert len(sessions) == len(spec["sessions"])
    for session in spec["sessions"]:
        held = date.fromisoformat(session["date"])
        if session["title"]:
            assert (held, session["title"]) in sessions
        else:
            assert held in {h for h, _ in sessions}


@pytest.mark.parametrize("name", expected_attendance())
def test_people_are_who_the_file_names(name):
    parsed, records = load(name)
    spec = EXPECTED[name]
    distinct = {(r.session.title, r.person.email or r.person.name) for r in records}
    assert len(distinct) == spec.get("people_total", len(spec["people"]))
    for person in spec["people"]:
        record = find(records, person)
        assert record.person.name == person["name"]


@pytest.mark.parametrize("name", expected_attendance())
def test_minutes_are_the_union_of_spans_within_the_meeting(name):
    parsed, records = load(name)
    for person in EXPECTED[name]["people"]:
        record = find(records, person)
        if person["minutes"] is not None:
            assert record.minutes == person["minutes"], person["name"]


@pytest.mark.parametrize("name", expected_attendance())
def test_roles_are_only_what_the_file_states(name):
    parsed, records = load(name)
    for person in EXPECTED[name]["people"]:
        assert find(records, person).session_role == (person["role"] or "attendee"), \
            person["name"]


@pytest.mark.parametrize("name", [n for n in expected_attendance()
                                  if "people_total" not in EXPECTED[n]])
def test_people_still_in_the_meeting_are_counted(name):
    parsed, _ = load(name)
    still = Counter(p["still_present"] for p in EXPECTED[name]["people"])[True]
    assert parsed.still_present == still
    assert bool(still) == any("still in the meeting" in n for n in parsed.notes)


def test_a_unique_users_report_never_gives_more_than_one_stay():
    """Its 21 rows all carry one placeholder address (one person, keyed on e-mail), each with
    its own total; no single figure is honest, but none may exceed the longest stay (42, row
    5; the notes list every row's figure)."""
    _, records = load("zoom_unique_users_no_meeting_block.csv")
    [record] = records
    assert record.minutes is not None and record.minutes <= 42
