"""Every file format registers itself here once: how to recognise it from its first rows,
how to parse it, and where it goes within one import. Detection, the ``--format`` choices,
the order of files in an import and the README's list all come from these registrations, so a
new format is one new module and one registration.

>>> sorted(FORMATS) == sorted(f.name for f in by_detection())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Sequence

# Where a file goes within one import: registers first (attendance can match their
# organisations and communities), then the files that say most about people, then the
# thinner exports that lean on them, declared ties last (they name people already known).
REGISTERS, DETAILED, THIN, DECLARED = 0, 1, 2, 4


@dataclass(frozen=True)
class SessionDefaults:
    """Session details given outside the file (``--community``, ``--date``, ``--place``)."""

    community: str | None = None
    held_on: date | None = None
    place: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Context:
    """What a parser may need beyond the rows: where the rows came from, the session details
    given outside the file, a column map, and the names already known."""

    source: str = "<rows>"
    defaults: SessionDefaults = SessionDefaults()
    mapping: dict | None = None
    sector_names: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    stream: bool = False
    count: str = "attended"  # or "registered": a registration list counts everyone booked
    people: dict | None = None  # the people already read in this import, by their cells


@dataclass(frozen=True)
class Format:
    name: str
    summary: str
    detect: Callable[[list[str], Sequence[list[str]]], bool]  # (header row, first rows)
    parse: Callable[[Sequence[list[str]], Context], object]
    order: int = THIN
    priority: int = 50  # detection tries lower numbers first (specific layouts before generic)
    streams: bool = False  # parses rows as a stream (a million-row file is never held)
    session_in_name: bool = False  # the file name may carry its session (community, date...)
    meta: dict = field(default_factory=dict)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def by_detection() -> list[Format]:
    return sorted(FORMATS.values(), key=lambda f: (f.priority, f.name))


def detect(header: list[str], rows: Sequence[list[str]]) -> str | None:
    """The first registered format that recognises these rows."""
    return next((f.name for f in by_detection() if f.detect(header, rows)), None)
