"""Reading real files into the model.

``parse_*`` functions are pure (rows in, records and row-numbered problems out); ``read_rows``
is the only place that opens files; :func:`parse_file` detects the format and dispatches.
"""

from __future__ import annotations

from pathlib import Path

from graphsvc.errors import InputError
from loaders.attendance import ParsedAttendance, SessionDefaults, parse_attendance
from loaders.declared import is_declared, parse_declared
from loaders.events import is_eventbrite, is_meet, parse_eventbrite, parse_meet
from loaders.files import read_rows
from loaders.headers import header_key, map_columns
from loaders.registers import ParsedRegister, parse_communities, parse_organisations
from loaders.teams import is_teams, parse_teams
from loaders.zoom import is_zoom, parse_zoom

FORMATS = ("sign-in", "attendance-log", "zoom", "teams", "eventbrite", "meet", "organisations",
           "communities", "declared-ties")

__all__ = ["FORMATS", "SessionDefaults", "detect_format", "parse_file", "parse_rows"]


def detect_format(header: list[str], rows: list[list[str]] | None = None) -> str | None:
    """Which of :data:`FORMATS` a file is, from its header row (and, for the exports that
    begin with a meeting block, the rows after it)."""
    rows = rows if rows is not None else [header]
    if is_zoom(rows):
        return "zoom"
    if is_teams(rows):
        return "teams"
    if is_eventbrite(header):
        return "eventbrite"
    if is_meet(header):
        return "meet"
    if is_declared(header):
        return "declared-ties"
    keys = {header_key(h) for h in header}
    columns = map_columns(header)
    if "sector" in keys or "sectors" in keys:
        return "organisations"
    if "domain" in keys and ("community" in keys or "name" in keys):
        return "communities"
    if "name" in columns or "first_name" in columns or "email" in columns:
        return "attendance-log" if "date" in columns else "sign-in"
    return None


def parse_rows(rows: list[list[str]], *, source: str, format: str | None = None,
               defaults: SessionDefaults = SessionDefaults(), mapping: dict | None = None,
               sector_names: tuple[str, ...] = (), communities: tuple[str, ...] = (),
               stream: bool = False):
    """Parse a file's rows in its format (detected unless given). ``rows`` may be a list or
    a :class:`loaders.files.RowStream`; only sign-in sheets and logs are read as a stream, and
    with ``stream`` their records come as an iterator (see :func:`parse_attendance`)."""
    head = list(rows[:64])
    skip = 0
    while skip < len(head) and not any(c.strip() for c in head[skip]):
        skip += 1
    if skip == len(head):
        raise InputError("the file has no rows", file=source)
    header = head[skip]
    fmt = format or detect_format(header, head[skip:])
    if fmt not in ("sign-in", "attendance-log"):
        rows = list(rows)[skip:]
    elif skip:
        rows = _skipping(rows, skip)
    if fmt is None:
        raise InputError(
            "cannot tell what kind of file this is from its header row "
            f"({', '.join(h for h in header[:8] if h)}); expected a sign-in sheet or attendance "
            "log (Name, Email, Organisation, ...), an organisations register (Name, Sector, ...) "
            "or a communities register (Community, Domain, ...); --format names it",
            file=source, row=1)
    if fmt not in FORMATS:
        raise InputError("unknown format; accepted: " + ", ".join(FORMATS),
                         column="--format", value=fmt)
    meeting = {"zoom": parse_zoom, "teams": parse_teams, "eventbrite": parse_eventbrite,
               "meet": parse_meet}.get(fmt)
    if meeting is not None:
        try:
            return meeting(rows, source=source, defaults=defaults, communities=communities)
        except (IndexError, StopIteration) as exc:
            raise InputError(f"the file is not laid out as a {fmt} export ({type(exc).__name__})",
                             file=source) from exc
    if fmt == "declared-ties":
        return parse_declared(rows, source=source)
    if fmt == "organisations":
        return parse_organisations(rows, source=source, sector_names=sector_names)
    if fmt == "communities":
        return parse_communities(rows, source=source)
    return parse_attendance(rows, source=source, defaults=defaults, mapping=mapping,
                            stream=stream)


def _skipping(rows, count: int):
    for number, row in enumerate(rows):
        if number >= count:
            yield row


def parse_file(path: str | Path, **options) -> ParsedAttendance | ParsedRegister:
    """Read and parse one file; see :func:`parse_rows` for the options."""
    max_bytes = options.pop("max_bytes", None)
    rows = read_rows(path, max_bytes) if max_bytes else read_rows(path)
    return parse_rows(rows, source=Path(path).name, **options)
