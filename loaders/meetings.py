"""What online-meeting exports share: one meeting, people who joined (maybe several times).

The exports' own layouts are read in :mod:`loaders.zoom`, :mod:`loaders.teams` and
:mod:`loaders.events`; each hands its rows to a :class:`Meeting`, which merges a person's
rejoins (minutes summed) and makes the attendance records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from graphsvc.errors import InputError
from graphsvc.model import normalise_name
from loaders import values
from loaders.attendance import AttendanceRecord, ParsedAttendance, PersonPart, SessionDefaults, SessionPart

_ROLE_RANK = {"organiser": 3, "facilitator": 2, "presenter": 1, "attendee": 0}


def community_for(title: str, defaults: SessionDefaults, communities: tuple[str, ...]) -> str | None:
    """The community a meeting belongs to: ``--community``, else the known community whose
    name begins the meeting's title (``"GM peer support: March"``)."""
    if defaults.community:
        return defaults.community
    key = normalise_name(title)
    best = None
    for name in communities:
        norm = normalise_name(name)
        if norm and (key == norm or key.startswith(norm + " ")) and (
                best is None or len(norm) > len(normalise_name(best))):
            best = name
    return best


def session_title(title: str, community: str) -> str:
    """The meeting title without the community name it starts with."""
    rest = title[len(community):].lstrip(" :-\u2013|") if title.lower().startswith(
        community.lower()) else title
    return rest or title


_ISO_DATE = __import__("re").compile(r"(\d{4}-\d{2}-\d{2})")


def defaults_from_name(file_name: str, defaults: SessionDefaults,
                       communities: tuple[str, ...]) -> SessionDefaults:
    """Fill what the command line left out from a file's name, as people name files:
    ``GM peer support - 2019-03-04 - Bolton.xlsx`` (community, ISO date, place)."""
    from loaders.places import borough_names

    stem = file_name.rsplit(".", 1)[0]
    held_on = defaults.held_on
    if held_on is None and (found := _ISO_DATE.search(stem)):
        try:
            held_on = date.fromisoformat(found.group(1))
        except ValueError:
            held_on = None
    words = " " + normalise_name(stem) + " "
    community = defaults.community or max(
        (c for c in communities if f" {normalise_name(c)} " in words),
        key=lambda c: len(normalise_name(c)), default=None)
    place = defaults.place
    if place is None:
        place = next((n for n in borough_names() if not n.startswith("e0") and " " not in n
                      and f" {n} " in words), None)
        place = place.title() if place else ("online" if " online " in words else None)
    parts = [p.strip() for p in stem.split(" - ")]
    title = defaults.title or (parts[-1] if len(parts) >= 4 else None)
    return SessionDefaults(community, held_on, place, title)


@dataclass
class Visit:
    row: int
    name: str
    email: str | None
    minutes: int
    role: str
    organisation: str = ""
    job_title: str = ""
    postcode: str = ""


@dataclass
class Meeting:
    """One meeting's visits, merged per person (by email, else by normalised name)."""

    source: str
    format: str
    title: str
    held_on: date | None
    visits: dict[str, Visit] = field(default_factory=dict)
    merged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def add(self, visit: Visit) -> None:
        key = visit.email or "name:" + normalise_name(visit.name)
        earlier = self.visits.get(key)
        if earlier is None:
            self.visits[key] = visit
            return
        self.merged += 1
        earlier.minutes += visit.minutes
        if _ROLE_RANK[visit.role] > _ROLE_RANK[earlier.role]:
            earlier.role = visit.role
        for attr in ("email", "organisation", "job_title", "postcode"):
            if not getattr(earlier, attr) and getattr(visit, attr):
                setattr(earlier, attr, getattr(visit, attr))

    def parsed(self, defaults: SessionDefaults, communities: tuple[str, ...],
               problems: list[InputError]) -> ParsedAttendance:
        out = ParsedAttendance(self.source, self.format, problems=problems)
        out.merged_rows = self.merged
        out.skipped = dict(self.skipped)
        held_on = defaults.held_on or self.held_on
        community = community_for(self.title, defaults, communities)
        if held_on is None:
            problems.append(InputError("the meeting's date is not in the file; give --date",
                                       file=self.source))
        if community is None:
            problems.append(InputError(
                f"cannot tell which community the meeting {self.title!r} belongs to; give "
                "--community, or start the meeting title with the community's name",
                file=self.source))
        if problems:
            return out
        session = SessionPart(community, held_on, defaults.title or session_title(self.title, community)
                              or f"{community} {held_on:%d %b %Y}", defaults.place or "online")
        for visit in self.visits.values():
            person = PersonPart(visit.name, visit.email, visit.organisation, visit.job_title,
                                visit.postcode, "", "none", None, ())
            out.records.append(AttendanceRecord(visit.row, person, session, visit.minutes,
                                                visit.role))
        return out


def checked(reader, text: str, source: str, row: int | None, column: str, problems: list,
            default=None):
    """``reader(text)``, or ``default`` with the problem recorded by file, row and column."""
    try:
        return reader(text)
    except ValueError as exc:
        problems.append(InputError(str(exc), file=source, row=row, column=column, value=text))
        return default


def email_or_none(text: str, source: str, row: int, column: str, problems: list) -> str | None:
    return checked(values.parse_email, text, source, row, column, problems)


def when(text: str, source: str, row: int | None, column: str, problems: list) -> datetime | None:
    return checked(values.parse_datetime, text, source, row, column, problems)


def minutes(text: str, source: str, row: int, column: str, problems: list) -> int:
    return checked(values.parse_duration, text, source, row, column, problems) or 0
