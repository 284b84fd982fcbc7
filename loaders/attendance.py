"""Sign-in sheets and attendance logs: a header row, then one row per person per session.

A sign-in sheet is one session's list of names; the session (community, date, place) comes from
the command line. An attendance log carries the session's columns on every row, so one file
can hold a whole programme's history. Both are parsed here into :class:`AttendanceRecord`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Iterable, Iterator

from graphsvc.errors import InputError
from loaders import values
from loaders.formats import DETAILED, Format, SessionDefaults, register
from loaders.headers import map_columns


@dataclass(frozen=True, eq=False, slots=True)
class PersonPart:
    """Who a row is about. Rows repeat people, so each distinct person's cells are read once
    per file and the rows share one object (compared by identity)."""

    name: str
    email: str | None
    organisation: str
    job_title: str
    postcode: str
    borough: str
    lived_experience: str
    consent: str | None
    expertise: tuple[str, ...]


@dataclass(frozen=True, eq=False, slots=True)
class SessionPart:
    """Which session a row is about; shared by the rows of one session."""

    community: str
    held_on: date
    title: str
    place: str


@dataclass(slots=True)  # not frozen: a frozen dataclass is made three times slower, by the million
class AttendanceRecord:
    row: int
    person: PersonPart
    session: SessionPart
    minutes: int | None
    session_role: str


@dataclass
class ParsedAttendance:
    source: str
    format: str
    records: list[AttendanceRecord] | Iterator[AttendanceRecord] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    merged_rows: int = 0  # repeated rows for one person at one session (rejoins)
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by the rule why
    rows_read: int = 0  # input rows (for exports with rejoins, more than records)
    still_present: int = 0  # people with no leave time (the list was taken mid-meeting)
    notes: list[str] = field(default_factory=list)  # for the preview
    nothing_because: str | None = None  # why a file that loads nothing does (its parser knows)
    nothing_option: str | None = None  # the option that would make it load something


def parse_attendance(
    rows: Iterable[list[str]],
    *,
    source: str = "<rows>",
    defaults: SessionDefaults = SessionDefaults(),
    mapping: dict[str, str] | None = None,
    stream: bool = False,
    people: dict | None = None,
) -> ParsedAttendance:
    """Parse a header row and data rows into attendance records and row-numbered problems.

    Rows are numbered as a spreadsheet shows them: the header is row 1. With ``stream``, the
    header is read now and ``records`` is an iterator that reads the rest as it is consumed
    (once), adding to ``problems`` as it goes: a million-row file is never held whole.
    ``people`` is shared by the files of one import: a person whose cells another file
    already read is that file's :class:`PersonPart` (the same object).

    >>> parsed = parse_attendance([["Name", "Organisation"], ["Ann Lee", "Bolton CVS"]],
    ...     defaults=SessionDefaults("GM peer support", date(2019, 5, 1)))
    >>> parsed.records[0].person.name, parsed.records[0].person.organisation, parsed.problems
    ('Ann Lee', 'Bolton CVS', [])
    """
    rows = iter(rows)
    header = next(rows, None)
    if header is None or not any(c.strip() for c in header):
        return ParsedAttendance(source, "attendance", problems=[
            InputError("the file is empty; expected a header row such as Name,Email,Organisation",
                       file=source)])
    columns = map_columns(header, mapping)
    fmt = "attendance-log" if "date" in columns else "sign-in"
    parsed = ParsedAttendance(source, fmt)
    missing = _missing_columns(columns, defaults)
    if missing:
        parsed.problems.append(InputError(missing[0], file=source, row=1, option=missing[1]))
        return parsed
    reader = _RowReader(header, columns, defaults, source, parsed.problems, people)
    records = _records(reader, rows, parsed)
    parsed.records = records if stream else list(records)
    return parsed


def _records(reader: "_RowReader", rows: Iterator[list[str]],
             parsed: ParsedAttendance) -> Iterator[AttendanceRecord]:
    for number, cells in enumerate(rows, start=2):
        record = reader.read(number, cells)
        parsed.rows_read += reader.last_row_counted
        if record is not None:
            yield record
    if reader.placeholders:
        seen = ", ".join(f"{n} \u00d7 {text!r}" for text, n in reader.placeholders.most_common(5))
        parsed.notes.append(f"{sum(reader.placeholders.values())} placeholder values read as "
                            f"blank ({seen})")


def _missing_columns(columns: dict[str, int],
                     defaults: SessionDefaults) -> tuple[str, str | None] | None:
    """What the header lacks, and the option that would supply it."""
    if "name" not in columns and "first_name" not in columns and "email" not in columns:
        return ("no name column; expected a header such as Name, or First name and Last name",
                "map")
    if "community" not in columns and not defaults.community:
        return "no Community column; add one, or give the community", "community"
    if "date" not in columns and not defaults.held_on:
        return "no Date column; add one, or give the session date", "date"
    return None


PLACEHOLDERS = frozenset({"n/a", "na", "n.a.", "none", "-", "--", "unknown", "not known",
                          "nil", "tbc", "?", "no email", "no e-mail"})
_PERSON_FIELDS = ("name", "first_name", "last_name", "email", "organisation", "job_title",
                  "postcode", "borough", "attending_as", "consent", "expertise")
_SESSION_FIELDS = ("community", "date", "session", "place")
_CHOICES = {
    "attending_as": (values.ATTENDING_AS, "'attending as' value"),
    "session_role": (values.SESSION_ROLES, "session role"),
    "consent": (values.CONSENT, "consent answer"),
}


def _placeholder(cell: str) -> bool:
    """``n/a``, ``none``, ``-``, ``unknown`` and their kind, written where nothing was known,
    are blanks (counted for the preview)."""
    return bool(cell) and cell.strip().lower() in PLACEHOLDERS


def _picker(columns: dict[str, int], names: tuple[str, ...], width: int):
    """A function giving the cells of the named fields as a tuple, from a row of ``width``
    cells with one blank cell added at its end (that blank stands for the absent fields)."""
    return itemgetter(*(columns.get(name, width) for name in names))


_PAD = [""]


class _RowReader:
    """Reads the data rows of one file.

    Each distinct person and session is read (and checked) once; the rows that repeat it
    share the result. Cells that do not parse are reported for every row they occur on.
    """

    def __init__(self, header, columns, defaults: SessionDefaults, source, problems,
                 known: dict | None = None):
        self.header, self.columns, self.defaults = header, columns, defaults
        self.source, self.problems = source, problems
        self.width = len(header)
        self.person_cells = _picker(columns, _PERSON_FIELDS, self.width)
        self.session_cells = _picker(columns, _SESSION_FIELDS, self.width)
        self.people: dict[tuple, PersonPart] = {}  # this file's, by their cells
        # every file's of the import: (the part, the placeholders its cells held)
        self.known: dict[tuple, tuple[PersonPart, tuple[str, ...]]] = (
            {} if known is None else known)
        self.sessions: dict[tuple, SessionPart] = {}
        self.tail_cells = _picker(columns, ("minutes", "session_role"), self.width)
        self.tails: dict[tuple[str, str], tuple[int | None, str]] = {}  # read without a problem
        self.placeholders: Counter = Counter()
        self.last_row_counted = 0

    def problem(self, number: int, field: str, reason: str, value: str | None) -> None:
        index = self.columns.get(field)
        self.problems.append(InputError(reason, file=self.source, row=number,
                                        column=None if index is None
                                        else self.header[index].replace("\ufeff", "").strip(),
                                        value=value))

    def read(self, number: int, cells: list[str]) -> AttendanceRecord | None:
        self.last_row_counted = 0
        if values.is_blank(cells):
            return None
        self.last_row_counted = 1
        before = len(self.problems)
        if len(cells) == self.width:
            cells = cells + _PAD
        else:
            extra = [c for c in cells[self.width:] if c.strip()]
            if extra:  # an unquoted comma shifts every later cell: never guess which
                self.problems.append(InputError(
                    f"this row has {len(cells)} fields but the header has {self.width} (a "
                    "comma inside a value that is not in quotes?)", file=self.source,
                    row=number, value=extra[0]))
                return None
            cells = cells[:self.width] + [""] * (self.width + 1 - min(len(cells), self.width))
        key = self.person_cells(cells)
        person = self.people.get(key) or self._person(number, key)
        key = self.session_cells(cells)
        session = self.sessions.get(key) or self._session(number, key)
        key = self.tail_cells(cells)
        minutes, role = self.tails.get(key) or self._tail(number, key)
        if len(self.problems) > before or person is None or session is None:
            return None
        return AttendanceRecord(number, person, session, minutes, role)

    def _tail(self, number: int, cells: tuple[str, str]) -> tuple[int | None, str]:
        """The minutes and the session role (kept for the rows that repeat them, if read
        without a problem)."""
        before = len(self.problems)
        minutes = None
        try:
            minutes = values.parse_minutes(cells[0])
        except ValueError as exc:
            self.problem(number, "minutes", str(exc), cells[0])
        tail = (minutes, self._choice(number, cells, 1, "session_role") or "attendee")
        if len(self.problems) == before:
            self.tails[cells] = tail
        return tail

    def _choice(self, number: int, cells, index: int | None, field: str) -> str | None:
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        if not value:
            return None
        choices, what = _CHOICES[field]
        try:
            return values.parse_choice(value, choices, what)
        except ValueError as exc:
            self.problem(number, field, str(exc), value)
            return None

    def _person(self, number: int, key: tuple) -> PersonPart | None:
        known = self.known.get(key)
        if known is not None:  # read in an earlier file of the import
            self.people[key], blanked = known
            self.placeholders.update(blanked)
            return known[0]
        blanked = tuple(c.strip() for c in key if _placeholder(c))
        self.placeholders.update(blanked)
        name, first, last, email, org, job, postcode, borough, attending_as, consent, skills = (
            "" if _placeholder(cell) else cell for cell in key)
        before = len(self.problems)
        try:
            email = values.parse_email(email)
        except ValueError as exc:
            self.problem(number, "email", str(exc), email)
        choice = {f: self._choice(number, list(key), _PERSON_FIELDS.index(f), f)
                  for f in ("attending_as", "consent")}
        name = values.clean_text(name) or " ".join(
            p for p in (values.clean_text(first), values.clean_text(last)) if p) or (email or "")
        if not name:
            self.problem(number, "name" if "name" in self.columns else "first_name",
                         "the name is empty", None)
        if len(self.problems) > before:
            return None
        part = PersonPart(
            name=name, email=email, organisation=values.clean_text(org),
            job_title=values.clean_text(job), postcode=values.clean_text(postcode),
            borough=values.clean_text(borough),
            lived_experience=choice["attending_as"] or "none", consent=choice["consent"],
            expertise=tuple(x.strip() for x in skills.split(";") if x.strip()),
        )
        self.people[key] = part
        self.known[key] = (part, blanked)
        return part

    def _session(self, number: int, key: tuple) -> SessionPart | None:
        community, text_date, title, place = key
        community = values.clean_text(community) or self.defaults.community or ""
        if not community:
            self.problem(number, "community", "the community is empty", "")
            return None
        if "date" not in self.columns or (not text_date.strip() and self.defaults.held_on):
            held_on = self.defaults.held_on
        else:
            try:
                held_on = values.parse_date(text_date)
            except ValueError as exc:
                self.problem(number, "date", str(exc), text_date)
                return None
        part = SessionPart(
            community=community, held_on=held_on,
            title=values.clean_text(title) or self.defaults.title
            or f"{community} {held_on:%d %b %Y}",
            place=values.clean_text(place) or self.defaults.place or "",
        )
        self.sessions[key] = part
        return part


def _names_people(header: list[str]) -> bool:
    columns = map_columns(header)
    return "name" in columns or "first_name" in columns or "email" in columns


register(Format(
    "attendance-log", "an attendance log (a session's columns on every row)", order=DETAILED,
    priority=90, streams=True,
    detect=lambda header, rows: _names_people(header) and "date" in map_columns(header),
    parse=lambda rows, c: parse_attendance(rows, source=c.source, defaults=c.defaults,
                                           mapping=c.mapping, stream=c.stream,
                                           people=c.people)))
register(Format(
    "sign-in", "a sign-in sheet (one session)", order=DETAILED, priority=91, streams=True,
    session_in_name=True, detect=lambda header, rows: _names_people(header),
    parse=lambda rows, c: parse_attendance(rows, source=c.source, defaults=c.defaults,
                                           mapping=c.mapping, stream=c.stream,
                                           people=c.people)))
