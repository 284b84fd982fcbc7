"""Turning a Zoom report's rows into meetings: the meeting's own line (a block above the
participants, or repeated on every row), then one visit per participant row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from graphsvc.errors import InputError
from graphsvc.model import normalise_name
from loaders import values
from loaders.meetings import Meeting, Visit, checked
from loaders.zoom.cells import host_parts, is_truncated, participant_name, zoom_time
from loaders.zoom.layouts import Layout


@dataclass
class Host:
    """Who hosted a meeting, as far as the file says."""

    name: str = ""
    email: str | None = None

    def is_named(self, name: str) -> bool:
        return bool(self.name) and normalise_name(self.name) == normalise_name(name)


@dataclass
class ZoomReader:
    """Reads one file's rows into meetings, collecting row-numbered problems."""

    rows: Sequence[list[str]]
    layout: Layout
    source: str
    problems: list[InputError] = field(default_factory=list)
    truncated: int = 0  # e-mail cells cut short for display
    nameless_hosts: int = 0  # hosts with no row of their own and no name in the file

    def __post_init__(self) -> None:
        """Problems name columns as the file does (in Japanese, say)."""
        self.said = {("people", f): _header(self.rows[self.layout.table], i)
                     for f, i in self.layout.people.items()}
        self.said.update({("meeting", f): _header(self.rows[0], i)
                          for f, i in self.layout.meeting.items()})

    def meetings(self) -> list[Meeting]:
        if self.layout.flat:
            return self._flat_meetings()
        block = self.layout.block
        if block is not None and block < len(self.rows):
            meeting, host = self.meeting_from(self.rows[block], block + 1)
        else:
            meeting, host = Meeting(self.source, "zoom", "", None), Host()
        for index in range(self.layout.table + 1, len(self.rows)):
            self.add_participant(meeting, host, self.rows[index], index + 1)
        self.add_absent_host(meeting, host, (block or 0) + 1)
        return [meeting]

    def _flat_meetings(self) -> list[Meeting]:
        """The active hosts report: every row starts with its meeting's columns; several
        meetings follow one another."""
        found: dict[tuple[str, ...], tuple[Meeting, Host, int]] = {}
        where = [self.layout.meeting.get(k) for k in ("id", "topic", "starts")]
        for index in range(self.layout.table + 1, len(self.rows)):
            cells = self.rows[index]
            if values.is_blank(cells):
                continue
            key = tuple(_at(cells, i).strip() for i in where)
            if key not in found:
                found[key] = (*self.meeting_from(cells, index + 1), index + 1)
            meeting, host, _ = found[key]
            self.add_participant(meeting, host, cells, index + 1)
        for meeting, host, first in found.values():
            self.add_absent_host(meeting, host, first)
        return [meeting for meeting, _, _ in found.values()]

    def meeting_from(self, cells: list[str], number: int) -> tuple[Meeting, Host]:
        """The meeting a line describes: topic, start and end, stated length, host."""
        columns = self.layout.meeting
        starts = self.time(_at(cells, columns.get("starts")), number, self.said.get(
            ("meeting", "starts"), ""))
        ends = self.time(_at(cells, columns.get("ends")), number, self.said.get(
            ("meeting", "ends"), ""))
        length = _at(cells, columns.get("length")).strip()
        meeting = Meeting(self.source, "zoom", values.clean_text(_at(cells, columns.get("topic"))),
                          starts.date() if starts else None, starts=starts, ends=ends,
                          length=int(length) if length.isdigit() else None)
        name, email = host_parts(_at(cells, columns.get("host")))
        name = name or values.clean_text(_at(cells, columns.get("host_name")))
        email = email or _at(cells, columns.get("host_email"))
        column = self.said.get(("meeting", "host"), self.said.get(("meeting", "host_email"), ""))
        return meeting, Host(name, self.email(email, number, column))

    def add_participant(self, meeting: Meeting, host: Host, cells: list[str], number: int) -> None:
        if values.is_blank(cells):
            return
        columns = self.layout.people
        meeting.rows += 1
        name, marked = participant_name(_at(cells, columns.get("name")))
        if not name:
            self.problems.append(InputError("the name is empty", file=self.source, row=number,
                                            column=self.said["people", "name"]))
            return
        if _at(cells, columns.get("waiting")).strip().lower() == "yes":
            meeting.skip("time in the waiting room")
            return
        email = self.email(_at(cells, columns.get("email")), number,
                           self.said.get(("people", "email"), ""))
        if marked or (email and email == host.email) or (not email and host.is_named(name)):
            meeting.add(self.visit(cells, number, name, email or host.email, "organiser"))
        else:
            meeting.add(self.visit(cells, number, name, email, "attendee"))

    def visit(self, cells: list[str], number: int, name: str, email: str | None,
              role: str) -> Visit:
        """A row's stay: its join and leave times where the report has them, else its
        minutes (the "unique users" report gives each person's total)."""
        columns = self.layout.people
        if "joined" in columns:
            joined = self.time(_at(cells, columns["joined"]), number, self.said["people", "joined"],
                               required=True)
            left = self.time(_at(cells, columns.get("left")), number,
                             self.said.get(("people", "left"), ""))
            return Visit(number, name, email, None, role, joined=joined, left=left)
        field = "total" if "total" in columns else "duration"
        stay = checked(values.parse_duration, _at(cells, columns.get(field)), self.source,
                       number, self.said.get(("people", field), ""), self.problems)
        return Visit(number, name, email, stay, role)

    def add_absent_host(self, meeting: Meeting, host: Host, number: int) -> None:
        """A host the file names but who has no participant row (the list was cut) still
        hosted the meeting: they are its organiser, for minutes the file does not give."""
        if not host.email and not host.name:
            return
        keys = {host.email, "name:" + normalise_name(host.name)}
        if any(meeting.key(v) in keys or v.role == "organiser" for v in meeting.visits):
            return
        if not host.name:
            self.nameless_hosts += 1
            return
        meeting.add(Visit(number, host.name, host.email, None, "organiser"))

    def time(self, text: str, number: int, column: str, required: bool = False):
        if not text.strip() and not required:
            return None
        return checked(zoom_time, text, self.source, number, column, self.problems)

    def email(self, text: str, number: int, column: str) -> str | None:
        """An address, or None; a cell cut short for display (``jiro1…``) is no address
        and is counted; anything else that is not an address is the user's to correct."""
        if is_truncated(text):
            self.truncated += 1
            return None
        return checked(values.parse_email, text, self.source, number, column, self.problems)

    def notes(self) -> list[str]:
        said = []
        if self.truncated:
            said.append(f"{self.truncated} e-mail cells were cut short (ending in '…') and are "
                        "not addresses; those people are told apart by name")
        if self.nameless_hosts:
            said.append(f"{self.nameless_hosts} meeting host(s) have no participant row and "
                        "no name in the file, so they are not counted")
        return said


def _header(row: list[str], index: int) -> str:
    return row[index].replace("\ufeff", "").strip() if index < len(row) else ""


def _at(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""
