"""Google Meet attendance: Google's own report, and the "Google Meet Attendance" extension's.

Google's report (Workspace editions), as other people's parsers describe it (no real file was
found): ``First name, Last name, Email, Duration, Time joined, Time exited`` (or ``Name`` in
place of the two names); durations like ``1 hr 2 min``; times of day only (``9:58 AM``), so the
date comes from the file name or is given.

The extension (tests/fixtures/real/meet_attendance_extension_2020.csv): a line ``Attendance for:
Class List on 2020-09-09``, an empty line, then each row wrapped whole in quotes, its fields
split by tabs: ``Names``, the class's date and time, ``Arrival time``; then per person their name,
``?`` and one item per stint, ``15:34 (14min) [15:47]`` (arrival, the extension's own minute
count, last seen). A person's minutes are the union of arrival-to-last-seen; the extension's
counts, which do not always agree with its times, are not used. A line with no stints (the
file above ends with ``TestName?``) is not a person.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Sequence

from graphsvc.errors import InputError
from loaders import values
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import THIN, Format, register
from loaders.headers import columns_by_key, first_filled, header_key
from loaders.meetings import Meeting, Visit, email_or_none, minutes

TITLE_LINE = re.compile(r"^Attendance for:\s*(?P<title>.*?)\s+on\s+(?P<date>\d{4}-\d{2}-\d{2})\s*$")
STINT = re.compile(r"^(?P<arrived>\d{1,2}:\d{2})\s*\((?P<minutes>\d+)\s*min\)\s*"
                   r"\[(?P<seen>\d{1,2}:\d{2})\]$")


# -- Google's report --------------------------------------------------------------------------
def is_meet(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return "time joined" in keys and "duration" in keys


def parse_meet(rows: Sequence[list[str]], *, source: str = "<rows>",
               defaults: SessionDefaults = SessionDefaults(),
               communities: tuple[str, ...] = ()) -> ParsedAttendance:
    problems: list[InputError] = []
    columns = columns_by_key(rows[0])
    meeting = Meeting(source, "meet", defaults.title or defaults.community or "", None,
                      dated=False)
    day = defaults.held_on or date(1900, 1, 1)  # the sheet gives times of day only
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        name = first_filled(cells, columns, "name") or " ".join(
            p for p in (first_filled(cells, columns, "first name"), first_filled(cells, columns, "last name")) if p)
        if not name:
            problems.append(InputError("the name is empty", file=source, row=number, column="Name"))
            continue
        email = email_or_none(first_filled(cells, columns, "email"), source, number, "Email", problems)
        joined = clock(first_filled(cells, columns, "time joined"), day, source, number,
                       "Time joined", problems)
        left = clock(first_filled(cells, columns, "time exited"), day, source, number,
                     "Time exited", problems)
        stay = None if joined else minutes(first_filled(cells, columns, "duration"), source, number,
                                           "Duration", problems)
        meeting.add(Visit(number, name, email, stay, "attendee", joined=joined, left=left))
    return meeting.parsed(defaults, communities, problems)


def clock(text: str, day: date, source: str, row: int, column: str,
          problems: list) -> datetime | None:
    """A time of day as Meet writes it (``9:58 AM``, ``14:05``) on the meeting's day."""
    if not text:
        return None
    for fmt in ("%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S"):
        try:
            return datetime.combine(day, datetime.strptime(text.upper(), fmt).time())
        except ValueError:
            continue
    problems.append(InputError("this is not a time of day; expected e.g. 9:58 AM or 14:05",
                               file=source, row=row, column=column, value=text))
    return None


# -- the extension ------------------------------------------------------------------------------
def _fields(cells: list[str]) -> list[str]:
    """A row's fields: the extension quotes each line whole, its fields split by tabs."""
    return cells[0].split("\t") if len(cells) == 1 else cells


def is_extension(rows: Sequence[list[str]]) -> bool:
    filled = [r for r in rows[:6] if any(c.strip() for c in r)]
    return (len(filled) >= 2 and bool(TITLE_LINE.match(",".join(filled[0]).strip()))
            and _fields(filled[1])[0].strip() == "Names")


def parse_extension(rows: Sequence[list[str]], *, source: str = "<rows>",
                    defaults: SessionDefaults = SessionDefaults(),
                    communities: tuple[str, ...] = ()) -> ParsedAttendance:
    problems: list[InputError] = []
    filled = [(n, r) for n, r in enumerate(rows, 1) if any(c.strip() for c in r)]
    heading = TITLE_LINE.match(",".join(filled[0][1]).strip())
    held_on = date.fromisoformat(heading["date"])
    meeting = Meeting(source, "meet", heading["title"], held_on)
    for number, cells in filled[2:]:
        meeting.rows += 1
        name, *rest = [f.strip() for f in _fields(cells)]
        stints = [s for s in rest[1:] if s]
        if not stints:
            meeting.skip("a line with a name but no times (not a person who attended)")
            continue
        for text in stints:
            stint = STINT.match(text)
            if stint is None:
                problems.append(InputError("this is not a stint; expected e.g. 15:34 (14min) "
                                           "[15:47]", file=source, row=number, value=text))
                continue
            joined, left = (datetime.combine(held_on, datetime.strptime(stint[k], "%H:%M").time())
                            for k in ("arrived", "seen"))
            meeting.add(Visit(number, values.clean_text(name), None, None, "attendee",
                              joined=joined, left=left))
    return meeting.parsed(defaults, communities, problems)


register(Format(
    "meet", "a Google Meet attendance sheet", order=THIN, priority=31, session_in_name=True,
    detect=lambda header, rows: is_meet(header),
    parse=lambda rows, c: parse_meet(rows, source=c.source, defaults=c.defaults,
                                     communities=c.communities)))
register(Format(
    "meet-extension", "a Google Meet Attendance extension export", order=THIN, priority=32,
    session_in_name=True,
    detect=lambda header, rows: is_extension(rows),
    parse=lambda rows, c: parse_extension(rows, source=c.source, defaults=c.defaults,
                                          communities=c.communities)))
