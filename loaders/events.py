"""Eventbrite attendee reports and Google Meet attendance sheets.

Eventbrite: one row per attendee (an order can hold several), with US headers (``Order #``,
``First Name``, ``Last Name``, ``Email``, ``Attendee Status``, ``Job Title``, ``Company``) or UK
ones (``Order no.``, ``First name``, ``Surname``, ``Home Postcode``, ...). The rule: only
attendees whose status says they attended or checked in are counted; a booking alone is not
attendance. The others are reported as skipped, by status.

Google Meet: ``First name, Last name, Email, Duration, Time joined, Time exited`` (or ``Name``
in place of the two names); durations like ``1 hr 2 min``. The sheet holds no date or title, so
``--date`` and ``--community`` give them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Sequence

from graphsvc.errors import InputError
from loaders import values
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import DETAILED, THIN, Format, register
from loaders.headers import header_key
from loaders.meetings import Meeting, Visit, email_or_none, minutes

ATTENDED = {"checked in", "attended", "checked-in"}
EVENTBRITE_RULE = "only attendees whose status is Checked In or Attended count"


def is_eventbrite(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return bool(keys & {"order #", "order no.", "order number"}) and "attendee status" in keys


def is_meet(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return "time joined" in keys and "duration" in keys


def _columns(header: list[str]) -> dict[str, int]:
    return {header_key(h): i for i, h in reversed(list(enumerate(header)))}


def _get(cells, columns, *keys) -> str:
    for key in keys:
        i = columns.get(key)
        if i is not None and i < len(cells) and cells[i].strip():
            return values.clean_text(cells[i])
    return ""


def parse_eventbrite(rows: Sequence[list[str]], *, source: str = "<rows>",
                     defaults: SessionDefaults = SessionDefaults(),
                     communities: tuple[str, ...] = ()) -> ParsedAttendance:
    problems: list[InputError] = []
    columns = _columns(rows[0])
    title = next((_get(r, columns, "event name", "event title") for r in rows[1:3]), "")
    date_text = next((_get(r, columns, "event start date", "event date") for r in rows[1:3]), "")
    held_on = None
    if date_text:
        try:
            held_on = values.parse_date(date_text.split(" ")[0])
        except ValueError:
            held_on = values.parse_datetime(date_text).date() if date_text[-2:] in ("AM", "PM") else None
    meeting = Meeting(source, "eventbrite", title, held_on)
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        status = _get(cells, columns, "attendee status").lower()
        if status not in ATTENDED:
            key = f"status {status or 'blank'}: {EVENTBRITE_RULE}"
            meeting.skipped[key] = meeting.skipped.get(key, 0) + 1
            continue
        name = " ".join(p for p in (_get(cells, columns, "first name"),
                                    _get(cells, columns, "last name", "surname")) if p)
        if not name:
            problems.append(InputError("the name is empty", file=source, row=number,
                                       column="First Name"))
            continue
        email = email_or_none(_get(cells, columns, "email", "email address"), source, number,
                              "Email", problems)
        meeting.add(Visit(number, name, email, None, "attendee",
                          organisation=_get(cells, columns, "company", "organisation",
                                            "organization"),
                          job_title=_get(cells, columns, "job title"),
                          postcode=_get(cells, columns, "home postcode", "work postcode",
                                        "postcode")))
    return meeting.parsed(defaults, communities, problems)


def parse_meet(rows: Sequence[list[str]], *, source: str = "<rows>",
               defaults: SessionDefaults = SessionDefaults(),
               communities: tuple[str, ...] = ()) -> ParsedAttendance:
    problems: list[InputError] = []
    columns = _columns(rows[0])
    meeting = Meeting(source, "meet", defaults.title or defaults.community or "", None,
                      dated=False)
    day = defaults.held_on or date(1900, 1, 1)  # the sheet gives times of day only
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        name = _get(cells, columns, "name") or " ".join(
            p for p in (_get(cells, columns, "first name"), _get(cells, columns, "last name")) if p)
        if not name:
            problems.append(InputError("the name is empty", file=source, row=number, column="Name"))
            continue
        email = email_or_none(_get(cells, columns, "email"), source, number, "Email", problems)
        joined = _clock(_get(cells, columns, "time joined"), day, source, number,
                        "Time joined", problems)
        left = _clock(_get(cells, columns, "time exited"), day, source, number,
                      "Time exited", problems)
        stay = None if joined else minutes(_get(cells, columns, "duration"), source, number,
                                           "Duration", problems)
        meeting.add(Visit(number, name, email, stay, "attendee", joined=joined, left=left))
    return meeting.parsed(defaults, communities, problems)


def _clock(text: str, day: date, source: str, row: int, column: str,
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


register(Format(
    "eventbrite", "an Eventbrite attendee report", order=DETAILED, priority=30,
    detect=lambda header, rows: is_eventbrite(header),
    parse=lambda rows, c: parse_eventbrite(rows, source=c.source, defaults=c.defaults,
                                           communities=c.communities)))
register(Format(
    "meet", "a Google Meet attendance sheet", order=THIN, priority=31, session_in_name=True,
    detect=lambda header, rows: is_meet(header),
    parse=lambda rows, c: parse_meet(rows, source=c.source, defaults=c.defaults,
                                     communities=c.communities)))
