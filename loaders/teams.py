"""Microsoft Teams attendance reports.

The current report is UTF-16 (with a byte-order mark), tab-separated, in sections:
``1. Summary`` (meeting title, start time, ...), ``2. Participants`` (one row per person:
name, first join, last leave, in-meeting duration such as ``1h 13m 42s``, email, role) and
``3. In-Meeting activities`` (each join and leave). Header capitalisation varies by year; names
may be written ``Surname, First``; times follow the organiser's locale (UK ``14/11/22,
09:29:07`` or US ``7/20/23, 4:16:29 PM``); roles are Organizer/Organiser, Presenter, Attendee.

The older report is three columns, ``Full Name``, ``User Action`` (Joined, Left, Joined
before) and ``Timestamp``; a person's minutes are the sum of their join-to-leave spans.
"""

from __future__ import annotations

from typing import Sequence

from graphsvc.errors import InputError
from graphsvc.model import normalise_name
from loaders import values
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import THIN, Format, register
from loaders.headers import header_key
from loaders.meetings import Meeting, Visit, email_or_none, minutes, when

ROLES = {"organizer": "organiser", "organiser": "organiser", "co-organizer": "facilitator",
         "co-organiser": "facilitator", "presenter": "presenter", "attendee": "attendee"}
OLD_HEADER = ["full name", "user action", "timestamp"]


def is_teams(rows: Sequence[list[str]]) -> bool:
    keys = [header_key(r[0]) for r in rows[:40] if r]
    return "1. summary" in keys or (bool(rows) and [header_key(h) for h in rows[0][:3]] == OLD_HEADER)


def parse_teams(rows: Sequence[list[str]], *, source: str = "<rows>",
                defaults: SessionDefaults = SessionDefaults(),
                communities: tuple[str, ...] = ()) -> ParsedAttendance:
    if rows and [header_key(h) for h in rows[0][:3]] == OLD_HEADER:
        return _parse_old(rows, source, defaults, communities)
    problems: list[InputError] = []
    sections = _sections(rows)
    summary = {header_key(r[0]): r[1] for r in sections.get("1. summary", []) if len(r) > 1}
    title = summary.get("meeting title") or summary.get("title") or ""
    start_text = summary.get("start time") or summary.get("meeting start time") or ""
    started = when(start_text, source, None, "Start time", problems) if start_text else None
    meeting = Meeting(source, "teams", title, started.date() if started else None)
    participants = sections.get("2. participants", [])
    if not participants:
        problems.append(InputError("the report has no '2. Participants' section", file=source))
        return meeting.parsed(defaults, communities, problems)
    header_row, first_line = participants[0], participants[0].line
    columns = {header_key(h): i for i, h in enumerate(header_row)}
    duration_at = next((columns[k] for k in ("in-meeting duration", "duration",
                                             "attendance duration") if k in columns), None)
    for offset, cells in enumerate(participants[1:], 1):
        number = first_line + offset
        meeting.rows += 1
        name = values.surname_first(values.clean_text(_get(cells, columns.get("name"))))
        if not name:
            continue
        email = email_or_none(_get(cells, columns.get("email")), source, number, "Email", problems)
        stay = minutes(_get(cells, duration_at), source, number, "In-Meeting Duration", problems)
        role = ROLES.get(_get(cells, columns.get("role")).strip().lower(), "attendee")
        meeting.add(Visit(number, name, email, stay, role))
    return meeting.parsed(defaults, communities, problems)


class _Row(list):
    line: int = 0


def _sections(rows: Sequence[list[str]]) -> dict[str, list]:
    found: dict[str, list] = {}
    current = None
    for number, cells in enumerate(rows, 1):
        if not any(c.strip() for c in cells):
            continue
        key = header_key(cells[0])
        if key[:2] in ("1.", "2.", "3.") and len([c for c in cells if c.strip()]) == 1:
            current = key
            found[current] = []
            continue
        if current is not None:
            row = _Row(cells)
            row.line = number
            found[current].append(row)
    return found


def _get(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _parse_old(rows, source, defaults, communities) -> ParsedAttendance:
    """The 2020-21 list: each Joined (or Joined before) opens a span that the person's next
    Left closes; a span still open when the list was taken runs to its end."""
    problems: list[InputError] = []
    meeting = Meeting(source, "teams", defaults.title or "", None)
    open_spans: dict[str, Visit] = {}
    for number, cells in enumerate(rows[1:], 2):
        if len(cells) < 3 or not cells[0].strip():
            continue
        meeting.rows += 1
        name = values.surname_first(values.clean_text(cells[0]))
        action = cells[1].strip().lower()
        stamp = when(cells[2], source, number, "Timestamp", problems)
        if stamp is None:
            continue
        key = normalise_name(name)
        if action.startswith("joined"):
            if key in open_spans:  # joined again without leaving: a second device
                meeting.add(open_spans.pop(key))
            open_spans[key] = Visit(number, name, None, None, "attendee", joined=stamp)
        elif action == "left":
            visit = open_spans.pop(key, None)
            if visit is not None:
                visit.left = stamp
                meeting.add(visit)
        else:
            problems.append(InputError("unknown user action; expected Joined, Joined before or Left",
                                       file=source, row=number, column="User Action", value=cells[1]))
    for visit in open_spans.values():
        meeting.add(visit)
    return meeting.parsed(defaults, communities, problems)


register(Format(
    "teams", "a Microsoft Teams attendance report", order=THIN, priority=20,
    detect=lambda header, rows: is_teams(rows),
    parse=lambda rows, c: parse_teams(rows, source=c.source, defaults=c.defaults,
                                      communities=c.communities)))
