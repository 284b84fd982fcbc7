"""What online-meeting exports share: one meeting, people who joined (maybe several times).

The exports' own layouts are read in :mod:`loaders.zoom`, :mod:`loaders.teams` and
:mod:`loaders.events`; each hands its rows to a :class:`Meeting`, which merges a person's
rejoins and second devices (the union of their spans, capped at the meeting's length) and
makes the attendance records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from graphsvc.errors import InputError
from graphsvc.model import normalise_name
from loaders import values
from loaders.attendance import AttendanceRecord, ParsedAttendance, PersonPart, SessionDefaults, SessionPart

_ROLE_RANK = {"organiser": 3, "facilitator": 2, "presenter": 1, "attendee": 0,
              "registered": -1}


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
    parts = [p.strip() for p in stem.split(" - ")]
    community = defaults.community or max(
        (c for c in communities if f" {normalise_name(c)} " in words),
        key=lambda c: len(normalise_name(c)), default=None)
    if community is None and len(parts) >= 2 and _ISO_DATE.fullmatch(parts[1]) and parts[0]:
        community = parts[0]  # "Community - date - ...": a new community, named by the file
    place = defaults.place
    if place is None:
        place = next((n for n in borough_names() if not n.startswith("e0") and " " not in n
                      and f" {n} " in words), None)
        place = place.title() if place else ("online" if " online " in words else None)
    title = defaults.title or (parts[-1] if len(parts) >= 4 else None)
    return SessionDefaults(community, held_on, place, title)


@dataclass
class Visit:
    """One row of an export: who, and how long. Exports with times give ``joined`` and
    ``left`` (``left`` None: still there when the list was taken); those with a total only
    give ``minutes``."""

    row: int
    name: str
    email: str | None
    minutes: int | None
    role: str
    organisation: str = ""
    job_title: str = ""
    postcode: str = ""
    joined: datetime | None = None
    left: datetime | None = None

    def copy(self) -> Visit:
        """A copy to merge later rows into (``dataclasses.replace`` costs five times as much,
        which tells by the ten thousand)."""
        return Visit(**self.__dict__)


@dataclass
class Presence:
    """A person's visits to one meeting, merged: their spans (a rejoin, a second device),
    or, where the export gives totals only, the largest total."""

    first: Visit
    spans: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    total: int | None = None
    merged: int = 0  # rows beyond the first
    open: bool = False  # a span has no end: still there when the list was taken


def union_seconds(spans: list[tuple[datetime, datetime]]) -> int:
    """The length of the union of the spans, in seconds: overlapping spans (two devices at
    once) count once.

    >>> t = lambda m, s=0: datetime(2021, 1, 1, 10, m, s)
    >>> union_seconds([(t(0), t(30)), (t(10), t(20)), (t(40), t(50)), (t(50), t(55))])
    2700
    """
    if len(spans) == 1:  # (most people: one span)
        [(start, end)] = spans
        return int((end - start).total_seconds()) if end > start else 0
    total, reach = 0, None
    for start, end in sorted(spans):
        if reach is None or start > reach:
            total += (end - start).total_seconds() if end > start else 0
            reach = max(start, end)
        elif end > reach:
            total += (end - reach).total_seconds()
            reach = end
    return int(total)


def whole_minutes(seconds: float) -> int:
    """Seconds to the nearest minute, half a minute rounding up.

    >>> whole_minutes(29), whole_minutes(30), whole_minutes(7664)
    (0, 1, 128)
    """
    return int((seconds + 30) // 60)


@dataclass
class Meeting:
    """One meeting's visits, merged per person (by email, else by normalised name).

    A person's minutes are the length of the union of their spans (a person on two devices
    is not there twice), never more than the meeting's length: as stated (``starts`` and
    ``ends``, or ``length`` in minutes), else the span of the times in the file. Someone with
    no leave time was still there when the list was taken: present until the meeting's stated
    end, else the latest time in the file. A row with a problem is never part of a person."""

    source: str
    format: str
    title: str
    held_on: date | None
    starts: datetime | None = None
    ends: datetime | None = None
    length: int | None = None  # minutes, as the file states it
    dated: bool = True  # the file's times carry their date (Meet's are times of day only)
    visits: list[Visit] = field(default_factory=list)
    rows: int = 0  # input rows read (the parser counts them)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def key(visit: Visit) -> str:
        """Who a visit is: the person's email, else their name (folded)."""
        return visit.email or "name:" + normalise_name(visit.name)

    def add(self, visit: Visit) -> None:
        self.visits.append(visit)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def count_people(self) -> int:
        """How many people the rows name."""
        return len({self.key(v) for v in self.visits})

    @property
    def people(self) -> dict[str, Presence]:
        """Everyone the rows name, their visits merged."""
        return self.merge()

    def merge(self, leaving: frozenset[int] = frozenset()) -> dict[str, Presence]:
        """The visits merged per person, leaving out the rows numbered in ``leaving``."""
        people: dict[str, Presence] = {}
        key_of = self.key
        for visit in self.visits:
            if leaving and visit.row in leaving:
                continue
            key = key_of(visit)
            presence = people.get(key)
            if presence is None:
                presence = people[key] = Presence(visit)  # copied only if a later row adds to it
            else:
                if not presence.merged:
                    presence.first = presence.first.copy()
                presence.merged += 1
                earlier = presence.first
                if _ROLE_RANK[visit.role] > _ROLE_RANK[earlier.role]:
                    earlier.role = visit.role
                for attr in ("email", "organisation", "job_title", "postcode"):
                    if not getattr(earlier, attr) and getattr(visit, attr):
                        setattr(earlier, attr, getattr(visit, attr))
            if visit.joined is not None:
                presence.spans.append((visit.joined, visit.left))
                presence.open = presence.open or visit.left is None
            elif visit.minutes is not None:
                presence.total = max(presence.total or 0, visit.minutes)
        return people

    def _times(self) -> list[datetime]:
        return [t for v in self.visits for t in (v.joined, v.left) if t]

    def _cap_and_end(self) -> tuple[int | None, datetime | None]:
        """The most minutes anyone can have, and when the still-present are counted to."""
        times = self._times()
        latest = max(times, default=None)
        end = self.ends or latest
        if self.length is not None:
            return self.length, end
        if self.starts and self.ends:
            return whole_minutes((self.ends - self.starts).total_seconds()), end
        if times:
            return whole_minutes((latest - min(times)).total_seconds()), end
        return None, end

    def minutes_of(self, presence: Presence, cap: int | None, end: datetime | None) -> int | None:
        if presence.open:
            spans = [(start, stop if stop is not None else max(end or start, start))
                     for start, stop in presence.spans]
            minutes = whole_minutes(union_seconds(spans))
        elif presence.spans:
            minutes = whole_minutes(union_seconds(presence.spans))
        else:
            minutes = presence.total
        return minutes if minutes is None or cap is None else min(minutes, cap)

    def held(self) -> date | None:
        """The meeting's date: as the file states it, else the day of its earliest time."""
        if self.held_on is not None:
            return self.held_on
        if self.starts is not None:
            return self.starts.date()
        earliest = min(self._times(), default=None) if self.dated else None
        return earliest.date() if earliest else None

    def parsed(self, defaults: SessionDefaults, communities: tuple[str, ...],
               problems: list[InputError]) -> ParsedAttendance:
        out = ParsedAttendance(self.source, self.format, problems=problems)
        self.into(out, defaults, communities)
        return out

    def into(self, out: ParsedAttendance, defaults: SessionDefaults,
             communities: tuple[str, ...]) -> None:
        """Add this meeting's records to ``out`` (a file may hold several meetings): none if
        the file has a problem of its own (no row), and none from a row with a problem."""
        problems = out.problems
        out.rows_read += self.rows
        for reason, count in self.skipped.items():
            out.skipped[reason] = out.skipped.get(reason, 0) + count
        held_on = defaults.held_on or self.held()
        community = community_for(self.title, defaults, communities)
        if held_on is None:
            problems.append(InputError("the meeting's date is not in the file; give the date",
                                       file=self.source, option="date"))
        if community is None:
            problems.append(InputError(
                f"cannot tell which community the meeting {self.title!r} belongs to; give "
                "the community, or start the meeting title with the community's name",
                file=self.source, option="community"))
        if not all(p.of_a_row for p in problems):
            return
        people = self.merge(frozenset(p.row for p in problems))
        out.merged_rows += sum(p.merged for p in people.values())
        session = SessionPart(community, held_on, defaults.title or session_title(self.title, community)
                              or f"{community} {held_on:%d %b %Y}", defaults.place or "online")
        cap, end = self._cap_and_end()
        still = 0
        record, minutes_of = out.records.append, self.minutes_of
        for presence in people.values():
            visit = presence.first
            still += presence.open
            person = PersonPart(visit.name, visit.email, visit.organisation, visit.job_title,
                                visit.postcode, "", "none", None, ())
            record(AttendanceRecord(visit.row, person, session, minutes_of(presence, cap, end),
                                    visit.role))
        out.still_present += still
        if still:
            out.notes.append(f"{still} of {len(people)} people were still in the meeting "
                             f"when the list was taken; their minutes run to "
                             f"{end:%H:%M:%S}, the {'meeting end' if self.ends else 'last time in the file'}")
        out.notes.extend(self.notes)


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
