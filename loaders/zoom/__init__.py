"""Zoom participant reports, in the layouts Zoom has really written (see
``tests/fixtures/real/README.md``):

- the participants report, with a meeting block above it (``Meeting ID,Topic,Start Time,...``,
  its values, an empty or comma-only line) or without one, one row per join
  (``Join Time``, ``Leave Time``) or one per user (``Total Duration (Minutes)``), in English
  or Japanese;
- the 2025 web report (``Topic,ID,Host,...``, the host written ``Name (address)``), whose
  waiting-room rows are not time in the meeting;
- the active hosts report, the meeting's columns repeated on every row, several meetings in
  one file;
- the older meeting report ``User Name,Join time,Leave time,Duration(Minutes),...``.

A person's rows (rejoins, a second device) are merged by :class:`loaders.meetings.Meeting`.
The host (the meeting's e-mail, or a name Zoom marks ``(Host)``) is the organiser. Times are
read month first, as Zoom writes them (:func:`loaders.zoom.cells.zoom_time`).
"""

from __future__ import annotations

from typing import Sequence

from graphsvc.errors import InputError
from loaders.attendance import ParsedAttendance, SessionDefaults
from loaders.formats import THIN, Format, register
from loaders.zoom.layouts import KNOWN, UnknownLayout, find_layout
from loaders.zoom.report import ZoomReader

__all__ = ["is_zoom", "parse_zoom"]


def is_zoom(rows: Sequence[list[str]]) -> bool:
    try:
        find_layout(rows)
    except UnknownLayout:
        return False
    return True


def parse_zoom(rows: Sequence[list[str]], *, source: str = "<rows>",
               defaults: SessionDefaults = SessionDefaults(),
               communities: tuple[str, ...] = ()) -> ParsedAttendance:
    """Attendance records from a Zoom report's rows, one session per meeting in it.

    >>> rows = [["Name (Original Name)", "User Email", "Total Duration (Minutes)", "Guest"],
    ...         ["Ann Lee (Ann L)", "ann@oak.example", "42", "No"]]
    >>> [(r.person.name, r.minutes) for r in parse_zoom(rows, defaults=SessionDefaults(
    ...     "GM peer support", __import__("datetime").date(2021, 3, 4))).records]
    [('Ann Lee', 42)]
    """
    out = ParsedAttendance(source, "zoom")
    try:
        layout = find_layout(rows)
    except UnknownLayout as exc:
        out.problems.append(InputError(f"this is not a Zoom report laid out as this loader "
                                       f"knows: {exc}; known layouts: {KNOWN}", file=source))
        return out
    reader = ZoomReader(rows, layout, source, out.problems)
    for meeting in reader.meetings():
        meeting.into(out, defaults, communities)
    out.notes.extend(reader.notes())
    return out


register(Format(
    "zoom", "a Zoom participants report", order=THIN, priority=10,
    detect=lambda header, rows: is_zoom(rows),
    parse=lambda rows, c: parse_zoom(rows, source=c.source, defaults=c.defaults,
                                     communities=c.communities)))
