"""Eventbrite attendee reports.

One row per attendee (an order can hold several), with US headers (``Order #``, ``First Name``,
``Last Name``, ``Email``, ``Attendee Status``, ``Job Title``, ``Company``) or UK ones (``Order no.``,
``First name``, ``Surname``, ``Home Postcode``, ...); the real report has no event name or date
column, so the session comes from the command line or the form.

The rule: only attendees whose status says they attended or checked in are counted; a booking
alone is not attendance. Before the event nobody is checked in, and the file is a list of
registrations: loaded with ``count="registered"``, everyone booked is kept with the role
``registered`` (left out of ties and analyses unless the projection rule counts them), and those
checked in as attendees. Cancelled, refunded, deleted or transferred bookings never count.
"""

from __future__ import annotations

from typing import Sequence

from graphsvc.errors import InputError
from loaders import values
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import DETAILED, Format, register
from loaders.headers import columns_by_key, first_filled, header_key
from loaders.meetings import Meeting, Visit, email_or_none

ATTENDED = {"checked in", "attended", "checked-in"}
BOOKED = {"attending", "registered", ""}  # some exports leave the status empty
EVENTBRITE_RULE = "only attendees whose status is Checked In or Attended count"
COUNTS = ("attended", "registered")


def is_eventbrite(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return bool(keys & {"order #", "order no.", "order number"}) and "attendee status" in keys


def parse_eventbrite(rows: Sequence[list[str]], *, source: str = "<rows>",
                     defaults: SessionDefaults = SessionDefaults(),
                     communities: tuple[str, ...] = (), count: str = "attended") -> ParsedAttendance:
    problems: list[InputError] = []
    columns = columns_by_key(rows[0])
    if "attendee status" not in columns:
        seen = ", ".join(h.strip() for h in rows[0][:6] if h.strip())
        return ParsedAttendance(source, "eventbrite", problems=[InputError(
            f"this is not an Eventbrite attendee report: it has no Attendee Status column "
            f"(its header begins {seen})", file=source, row=1, option="format")])
    meeting = Meeting(source, "eventbrite", _title(rows, columns), _date(rows, columns))
    booked = 0
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        meeting.rows += 1
        status = first_filled(cells, columns, "attendee status").lower()
        if status in ATTENDED:
            role = "attendee"
        elif status in BOOKED and count == "registered":
            role = "registered"
        else:
            booked += status in BOOKED
            meeting.skip(f"status {status or 'blank'}: {EVENTBRITE_RULE}")
            continue
        name = " ".join(p for p in (first_filled(cells, columns, "first name"),
                                    first_filled(cells, columns, "last name", "surname")) if p)
        if not name:
            problems.append(InputError("the name is empty", file=source, row=number,
                                       column="First Name"))
            continue
        email = email_or_none(first_filled(cells, columns, "email", "email address"), source, number,
                              "Email", problems)
        meeting.add(Visit(number, name, email, None, role,
                          organisation=first_filled(cells, columns, "company", "organisation",
                                            "organization"),
                          job_title=first_filled(cells, columns, "job title"),
                          postcode=first_filled(cells, columns, "home postcode", "work postcode",
                                        "postcode")))
    parsed = meeting.parsed(defaults, communities, problems)
    if booked and not meeting.visits:
        parsed.nothing_because = (
            f"nobody is checked in yet: all {booked} are booked, so this is a list of "
            "registrations, not of attendance; load it after the event, or count everyone "
            "registered (they are kept as registered, apart from attendance)")
        parsed.nothing_option = "count"
    return parsed


def _title(rows, columns) -> str:
    return next((first_filled(r, columns, "event name", "event title") for r in rows[1:3]), "")


def _date(rows, columns):
    text = next((first_filled(r, columns, "event start date", "event date") for r in rows[1:3]), "")
    if not text:
        return None
    try:
        return values.parse_date(text.split(" ")[0])
    except ValueError:
        return values.parse_datetime(text).date() if text[-2:] in ("AM", "PM") else None


register(Format(
    "eventbrite", "an Eventbrite attendee report", order=DETAILED, priority=30,
    detect=lambda header, rows: is_eventbrite(header),
    parse=lambda rows, c: parse_eventbrite(rows, source=c.source, defaults=c.defaults,
                                           communities=c.communities, count=c.count)))
