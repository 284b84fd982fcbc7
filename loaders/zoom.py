"""Zoom participant reports: the classic export (a meeting block, a blank line, then the
participants) and the flat export (the meeting's columns repeated on every row, so ``User
Email`` and ``Duration (Minutes)`` appear twice: the host's first, the participant's second).

A participant who left and rejoined has a row per visit; their minutes add up. Times are US
``MM/DD/YYYY hh:mm:ss AM/PM``. The host (the meeting's ``User Email``) is the organiser.
"""

from __future__ import annotations

import re
from typing import Sequence

from graphsvc.errors import InputError
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import THIN, Format, register
from loaders.headers import header_key
from loaders.meetings import Meeting, Visit, email_or_none, minutes, when

MEETING_FIELDS = ("meeting id", "topic", "start time")
PARTICIPANT_NAME = "name (original name)"


def is_zoom(rows: Sequence[list[str]]) -> bool:
    if not rows:
        return False
    first = [header_key(h) for h in rows[0]]
    return all(f in first for f in MEETING_FIELDS) and (
        PARTICIPANT_NAME in first or any(r and header_key(r[0]) == PARTICIPANT_NAME for r in rows[1:6]))


def display_name(text: str) -> str:
    """``"Ann Lee (Ann L)"`` -> ``"Ann Lee"``: Zoom puts a renamed person's original name in
    brackets after the name they chose."""
    name = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    return name or text.strip("() ")


def parse_zoom(rows: Sequence[list[str]], *, source: str = "<rows>",
               defaults: SessionDefaults = SessionDefaults(),
               communities: tuple[str, ...] = ()) -> ParsedAttendance:
    problems: list[InputError] = []
    header = [header_key(h) for h in rows[0]]
    if PARTICIPANT_NAME in header:  # flat: meeting columns then participant columns, per row
        meeting_row, people_header, start = rows[1] if len(rows) > 1 else [], header, 0
    else:
        at = next(i for i, r in enumerate(rows[1:], 1) if r and header_key(r[0]) == PARTICIPANT_NAME)
        meeting_row, people_header, start = rows[1], [header_key(h) for h in rows[at]], at
    topic = _cell(meeting_row, header, "topic")
    started = when(_cell(meeting_row, header, "start time"), source, 2, "Start Time", problems)
    host = _cell(meeting_row, header, "user email").lower()
    ended = when(_cell(meeting_row, header, "end time"), source, 2, "End Time", problems) \
        if _cell(meeting_row, header, "end time") else None
    length = _cell(meeting_row, header, "duration (minutes)")
    meeting = Meeting(source, "zoom", topic, started.date() if started else None,
                      starts=started, ends=ended,
                      length=int(length) if length.strip().isdigit() else None)
    columns = _participant_columns(people_header)
    for number, cells in enumerate(rows[start + 1:], start + 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        name = display_name(cells[columns["name"]]) if columns["name"] < len(cells) else ""
        if not name:
            problems.append(InputError("the name is empty", file=source, row=number,
                                       column="Name (Original Name)"))
            continue
        email = email_or_none(_at(cells, columns.get("email")), source, number, "User Email",
                              problems)
        if _at(cells, columns.get("waiting")).strip().lower() == "yes":
            meeting.skip("time in the waiting room")
            continue
        joined = left = None
        if "joined" in columns:
            joined = when(_at(cells, columns["joined"]), source, number, "Join Time", problems)
            left = when(_at(cells, columns.get("left")), source, number, "Leave Time", problems)
        stay = None if joined else minutes(_at(cells, columns.get("duration")), source, number,
                                           "Duration (Minutes)", problems)
        role = "organiser" if email and email == host else "attendee"
        meeting.add(Visit(number, name, email, stay, role, joined=joined, left=left))
    return meeting.parsed(defaults, communities, problems)


def _participant_columns(header: list[str]) -> dict[str, int]:
    """Positions of the participant's columns; where a name repeats, the last one is theirs."""
    found: dict[str, int] = {}
    for i, key in enumerate(header):
        if key == PARTICIPANT_NAME:
            found["name"] = i
        elif key == "user email":
            found["email"] = i
        elif key == "duration (minutes)":
            found["duration"] = i
        elif key == "in waiting room":
            found["waiting"] = i
        elif key == "join time":
            found["joined"] = i
        elif key == "leave time":
            found["left"] = i
    return found


def _cell(row: list[str], header: list[str], key: str) -> str:
    return row[header.index(key)] if key in header and header.index(key) < len(row) else ""


def _at(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


register(Format(
    "zoom", "a Zoom participants report", order=THIN, priority=10,
    detect=lambda header, rows: is_zoom(rows),
    parse=lambda rows, c: parse_zoom(rows, source=c.source, defaults=c.defaults,
                                     communities=c.communities)))
