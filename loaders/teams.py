"""Microsoft Teams attendance exports, in the three layouts Teams has written.

* The attendance list (2020-21, still offered in 2025): ``Full Name``, ``User Action``
  (``Joined``, ``Joined before``, ``Left``) and ``Timestamp``. It can only be taken while the
  meeting runs, so someone with no ``Left`` after their last join was still there;
  ``Joined before`` rows carry the time the list was started. A person's rows are grouped
  (a rejoin may start a new group further down), not in time order.
* The "Meeting Summary" report (2021-22): a block (``Meeting Title``, ``Meeting Start Time``,
  ``Meeting End Time``, ...), an empty line, then ``Full Name, Join Time, Leave Time,
  Duration, Email, Role, Participant ID (UPN)``, one row per join.
* The sectioned report (2022+): ``1. Summary`` (``Meeting title``, ``Start time``, ``End
  time``, ...), ``2. Participants`` (a row per person: ``First join``, ``Last leave``,
  ``In-meeting duration``, ...) and ``3. In-Meeting activities`` (a row per join); header
  capitalisation varies.

In both reports a person's minutes come from their join and leave times (the Duration column
is truncated: ``1h 54m``), else from the participant's in-meeting duration, never beyond the
meeting's stated start and end. A person is their Email, never the UPN (which can be a second
address), or else their name. Teams writes UTF-16, tab-separated; times follow the
downloader's locale (see :func:`loaders.values.day_first`); names lose Teams' guest and
``(Unverified)`` markers and ``Surname, First`` is turned round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import chain
from typing import Callable, Sequence

from graphsvc.errors import InputError
from loaders import values
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import THIN, Format, register
from loaders.headers import header_key
from loaders.meetings import Meeting, Visit, checked, email_or_none, minutes

ROLES = {"organizer": "organiser", "organiser": "organiser", "co-organizer": "facilitator",
         "co-organiser": "facilitator", "presenter": "presenter", "attendee": "attendee"}
LIST_HEADER = ["full name", "user action", "timestamp"]
# Section titles as Teams writes them (header_key: lower case, single spaces)
SECTIONS = {"meeting summary": "summary", "1. summary": "summary",
            "2. participants": "participants", "3. in-meeting activities": "joins"}
KNOWN_LAYOUTS = ("the attendance list (Full Name, User Action, Timestamp); the 2021-22 report "
                 "(Meeting Summary, then Full Name, Join Time, Leave Time, Duration, Email, "
                 "Role); the 2022 report (1. Summary, 2. Participants with Name, First join, "
                 "Last leave, In-meeting duration, Email, Role, 3. In-Meeting activities with "
                 "Name, Join time, Leave time, Email, Role)")

# Teams' label after a guest's name in the interface languages whose documentation shows it:
# (Guest), (Gast), (Invitado), (Convidado) in learn.microsoft.com's "Guest experience in
# Teams" (en, de-de, es-es) and "Guest access" (pt-pt) pages, « Invité » in support.microsoft.com
# "Travailler avec des invités externes" (fr-fr); and (Unverified), for someone who joined
# without signing in.
MARKERS = ("guest", "gast", "invitado", "invité", "convidado", "unverified")
_MARKER = re.compile(r"\s*\((?:" + "|".join(MARKERS) + r")\)$", re.IGNORECASE)


def person_name(text: str) -> str:
    """A Teams display name as the person's name: spaces collapsed, guest and
    ``(Unverified)`` markers dropped, ``Surname, First`` turned round.

    >>> person_name("Lee,  Ann  (Unverified)"), person_name("Rhoda (Guest)")
    ('Ann Lee', 'Rhoda')
    """
    text = values.clean_text(text)
    return values.surname_first(_MARKER.sub("", text) if "(" in text else text)


def role_of(text: str) -> str:
    return ROLES.get(text.strip().lower(), "attendee")


def is_teams(rows: Sequence[list[str]]) -> bool:
    if rows and [header_key(h) for h in rows[0][:3]] == LIST_HEADER:
        return True
    return any(r and header_key(r[0]) in SECTIONS for r in rows[:40])


Clock = Callable[[str, int | None, str], datetime | None]


def file_clock(rows: Sequence[list[str]], source: str, problems: list) -> Clock:
    """A reader of this file's timestamps, in the date order all of them agree on."""
    try:
        day_first = values.day_first(chain.from_iterable(rows))
    except ValueError as exc:
        problems.append(InputError(str(exc), file=source))
        day_first = True
    reader = partial(values.parse_numeric_datetime, day_first=day_first)

    def when(text: str, row: int | None, column: str):
        return checked(reader, text, source, row, column, problems)
    return when


def refuse(header: Sequence[str], source: str, row: int | None, why: str = "") -> InputError:
    """The error for a Teams file laid out in a way this loader does not know."""
    seen = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
    return InputError(f"this is not a Teams layout the loader knows{why}; the header seen is "
                      f"({seen}); the layouts known are {KNOWN_LAYOUTS}", file=source, row=row)


@dataclass
class Table:
    """A table inside a report: its columns by header_key, and its rows with line numbers."""

    header: list[str]
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    line: int = 0  # where its header is
    _found: dict = field(default_factory=dict, repr=False)  # keys -> column, as cell finds it

    @classmethod
    def of(cls, lines: list[tuple[int, list[str]]]) -> Table | None:
        if not lines:
            return None
        (line, header), rows = lines[0], lines[1:]
        return cls(header, {header_key(h): i for i, h in enumerate(header) if h.strip()},
                   rows, line)

    def has(self, *keys: str) -> bool:
        return all(k in self.columns for k in keys)

    def cell(self, cells: list[str], *keys: str) -> str:
        """The first of ``keys`` this table has, in this row ('' if absent)."""
        at = self._found.get(keys, -1)
        if at == -1:
            at = self._found[keys] = next((self.columns[k] for k in keys if k in self.columns),
                                          None)
        return cells[at] if at is not None and at < len(cells) else ""


def report_parts(rows: Sequence[list[str]]) -> dict[str, list[tuple[int, list[str]]]]:
    """A report's parts: ``summary`` (key-value lines), ``participants`` and ``joins``
    (tables, header first), with their line numbers. A section title is a line with one
    filled cell; in the 2021-22 layout the join table follows the summary block's empty line."""
    parts: dict[str, list] = {}
    current = None
    for number, cells in enumerate(rows, 1):
        if values.is_blank(cells):
            if current == "summary":  # the 2021-22 layout's join table comes next
                current, parts["joins"] = "joins", []
            continue
        if cells[0].strip() and values.is_blank(cells[1:]) and (
                (key := header_key(cells[0])) in SECTIONS or re.match(r"\d+\.\s", key)):
            current = SECTIONS.get(key)  # a section not known (video consent, ...) is passed over
            parts.setdefault(current, [])
            continue
        if current:
            parts[current].append((number, cells))
    return {name: lines for name, lines in parts.items() if name and lines}


def parse_teams(rows: Sequence[list[str]], *, source: str = "<rows>",
                defaults: SessionDefaults = SessionDefaults(),
                communities: tuple[str, ...] = ()) -> ParsedAttendance:
    """Any of the three Teams layouts (see the module's docstring); another is refused."""
    if rows and [header_key(h) for h in rows[0][:3]] == LIST_HEADER:
        return parse_list(rows, source, defaults, communities)
    parts = report_parts(rows)
    joins, people = Table.of(parts.get("joins", [])), Table.of(parts.get("participants", []))
    if "summary" not in parts or (joins is None and people is None):
        first = next((r for r in rows if any(c.strip() for c in r)), [])
        raise refuse(first, source, 1, " (no summary followed by a table of participants)")
    for table, needed in ((joins, ("join time",)), (people, ())):
        if table is not None and not (_names(table) and table.has("email", *needed)):
            raise refuse(table.header, source, table.line)
    return parse_report(rows, parts, joins, people, source, defaults, communities)


def _names(table: Table) -> bool:
    return table.has("full name") or table.has("name")


def parse_report(rows, parts, joins: Table | None, people: Table | None, source: str,
                 defaults: SessionDefaults, communities: tuple[str, ...]) -> ParsedAttendance:
    """Either report: the meeting from its summary, minutes from the join table, and from
    the participants table for anyone the join table leaves out."""
    problems: list[InputError] = []
    when = file_clock(rows, source, problems)
    summary = {header_key(cells[0]): (number, cells[1] if len(cells) > 1 else "")
               for number, cells in parts["summary"]}
    title = _summary(summary, "meeting title", "title")[1]
    starts = _summary_time(summary, when, "Start time", "meeting start time", "start time")
    ends = _summary_time(summary, when, "End time", "meeting end time", "end time")
    meeting = Meeting(source, "teams", title, starts.date() if starts else None,
                      starts=starts, ends=ends)
    for number, cells in joins.rows if joins else ():
        meeting.rows += 1
        if visit := _join(joins, number, cells, when, source, problems):
            meeting.add(visit)
    joined = {Meeting.key(v) for v in meeting.visits}
    for number, cells in people.rows if people else ():
        visit = _stay(people, number, cells, source, problems)
        if visit and (key := Meeting.key(visit)) not in joined:  # no join rows: the total
            joined.add(key)
            meeting.add(visit)
            meeting.rows += 1
    _compare_count(meeting, summary)
    return meeting.parsed(defaults, communities, problems)


def _summary(summary: dict, *keys: str) -> tuple[int | None, str]:
    return next((summary[k] for k in keys if k in summary), (None, ""))


def _summary_time(summary: dict, when: Clock, column: str, *keys: str):
    number, text = _summary(summary, *keys)
    return when(text, number, column) if text.strip() else None


def _person(table: Table, number: int, cells: list[str], source: str,
            problems: list) -> tuple[str, str | None] | None:
    name = person_name(table.cell(cells, "full name", "name"))
    if not name:
        problems.append(InputError("the name is empty", file=source, row=number, column="Name"))
        return None
    return name, email_or_none(table.cell(cells, "email"), source, number, "Email", problems)


def _join(table: Table, number: int, cells: list[str], when: Clock, source: str,
          problems: list) -> Visit | None:
    """One join: its times (no leave time: still there when the report was taken)."""
    person = _person(table, number, cells, source, problems)
    joined = when(table.cell(cells, "join time"), number, "Join time")
    if person is None or joined is None:
        return None
    leave = table.cell(cells, "leave time")
    left = when(leave, number, "Leave time") if leave.strip() else None
    return Visit(number, *person, None, role_of(table.cell(cells, "role")),
                 joined=joined, left=left)


def _stay(table: Table, number: int, cells: list[str], source: str,
          problems: list) -> Visit | None:
    """A participant's row: their in-meeting duration, for someone without join rows."""
    person = _person(table, number, cells, source, problems)
    if person is None:
        return None
    stay = minutes(table.cell(cells, "in-meeting duration", "duration", "attendance duration"),
                   source, number, "In-meeting duration", problems)
    return Visit(number, *person, stay, role_of(table.cell(cells, "role")))


def _compare_count(meeting: Meeting, summary: dict) -> None:
    """Say so in the preview when the summary's count is not the people listed (a cut file)."""
    _, stated = _summary(summary, "total number of participants", "attended participants")
    if stated.strip().isdigit() and int(stated) != (named := meeting.count_people()):
        meeting.notes.append(f"the report's summary counts {int(stated)} participants; its "
                             f"rows name {named}")


ACTIONS = ("joined", "joined before", "left")


def parse_list(rows: Sequence[list[str]], source: str, defaults: SessionDefaults,
               communities: tuple[str, ...]) -> ParsedAttendance:
    """The attendance list: each Joined opens a span, which the next Left of the name written
    the same way closes (a second device, or someone's ``(Unverified)`` self, has its own);
    spans never closed run to the end of the list: their people were still in the meeting."""
    problems: list[InputError] = []
    when = file_clock(rows[1:], source, problems)
    meeting = Meeting(source, "teams", defaults.title or "", None)
    spans = _Spans()
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        written, action = values.clean_text(_cell(cells, 0)), _cell(cells, 1).strip()
        stamp = when(_cell(cells, 2), number, "Timestamp")
        if not person_name(written):
            problems.append(InputError("the name is empty", file=source, row=number,
                                       column="Full Name"))
        elif action.lower() not in ACTIONS:
            problems.append(InputError("unknown user action; expected Joined, Joined before "
                                       "or Left", file=source, row=number,
                                       column="User Action", value=action))
        elif stamp is not None:
            spans.record(number, written, action.lower(), stamp, meeting)
    for visit in spans.visits:
        meeting.add(visit)
    if spans.before:
        meeting.notes.append(f"{len(spans.before)} people had joined before the list was "
                             f"started; their minutes count from then, {spans.started:%H:%M:%S}")
    return meeting.parsed(defaults, communities, problems)


@dataclass
class _Spans:
    """The list's spans as its rows are read."""

    visits: list[Visit] = field(default_factory=list)  # in the order of their Joined rows
    open: dict[str, list[Visit]] = field(default_factory=dict)  # by the name as written
    before: set[str] = field(default_factory=set)  # people whose arrival the list missed
    started: datetime | None = None  # the time Joined before rows carry

    def record(self, number: int, written: str, action: str, stamp: datetime,
               meeting: Meeting) -> None:
        if action == "left":
            if self.open.get(written):
                self.open[written].pop().left = stamp
            else:
                meeting.skip("a Left row with no earlier Joined row for the same name")
            return
        visit = Visit(number, person_name(written), None, None, "attendee", joined=stamp)
        self.visits.append(visit)
        self.open.setdefault(written, []).append(visit)
        if action == "joined before":
            self.before.add(Meeting.key(visit))
            self.started = min(self.started or stamp, stamp)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


register(Format(
    "teams", "a Microsoft Teams attendance report", order=THIN, priority=20,
    detect=lambda header, rows: is_teams(rows),
    parse=lambda rows, c: parse_teams(rows, source=c.source, defaults=c.defaults,
                                      communities=c.communities)))
