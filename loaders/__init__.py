"""Reading real files into the model.

Each format registers itself (:mod:`loaders.formats`) with how to recognise it and how to parse
it; ``parse_*`` functions are pure (rows in, records and row-numbered problems out);
``read_rows`` is the only place that opens files; :func:`parse_rows` detects the format and
dispatches to its registration.
"""

from __future__ import annotations

from pathlib import Path

from graphsvc.errors import InputError
from loaders import (attendance, declared, eventbrite, meet, registers,  # noqa: F401 (register)
                     teams, zoom)
from loaders.files import read_rows
from loaders.formats import FORMATS as REGISTERED
from loaders.formats import Context, SessionDefaults, detect

# every format, in the order detection tries them
FORMATS = tuple(f.name for f in sorted(REGISTERED.values(), key=lambda f: (f.priority, f.name)))

__all__ = ["FORMATS", "SessionDefaults", "detect_format", "parse_file", "parse_rows"]


def detect_format(header: list[str], rows: list[list[str]] | None = None) -> str | None:
    """Which of :data:`FORMATS` a file is, from its header row (and, for the exports that
    begin with a meeting block, the rows after it)."""
    return detect(header, rows if rows is not None else [header])


def parse_rows(rows: list[list[str]], *, source: str, format: str | None = None,
               defaults: SessionDefaults = SessionDefaults(), mapping: dict | None = None,
               sector_names: tuple[str, ...] = (), communities: tuple[str, ...] = (),
               stream: bool = False, count: str = "attended", people: dict | None = None):
    """Parse a file's rows in its format (detected unless given). ``rows`` may be a list or
    a :class:`loaders.files.RowStream`; formats that stream read it as one, and with
    ``stream`` their records come as an iterator (see :func:`parse_attendance`). ``people``
    (a dict, empty at first) lets the files of one import share the people they read: a
    person's cells are then read once, not once per file."""
    head = list(rows[:64])
    skip = 0
    while skip < len(head) and not any(c.strip() for c in head[skip]):
        skip += 1
    if skip == len(head):
        raise InputError("the file has no rows", file=source)
    header = head[skip]
    name = format or detect_format(header, head[skip:])
    if name is None:
        raise InputError(
            "cannot tell what kind of file this is from its header row "
            f"({', '.join(h for h in header[:8] if h)}); expected "
            + "; ".join(f"{f.summary} ({f.name})" for f in REGISTERED.values())
            + "; or say which it is", file=source, row=1, option="format")
    if name not in REGISTERED:
        raise InputError("unknown format; accepted: " + ", ".join(FORMATS),
                         value=name, option="format")
    fmt = REGISTERED[name]
    rows = (_skipping(rows, skip) if skip else rows) if fmt.streams else list(rows)[skip:]
    context = Context(source, defaults, mapping, sector_names, communities, stream, count,
                      people)
    try:
        return fmt.parse(rows, context)
    except (IndexError, StopIteration) as exc:
        raise InputError(f"the file is not laid out as {fmt.summary} ({type(exc).__name__})",
                         file=source) from exc


def _skipping(rows, count: int):
    for number, row in enumerate(rows):
        if number >= count:
            yield row


def parse_file(path: str | Path, **options):
    """Read and parse one file; see :func:`parse_rows` for the options."""
    max_bytes = options.pop("max_bytes", None)
    rows = read_rows(path, max_bytes) if max_bytes else read_rows(path)
    return parse_rows(rows, source=Path(path).name, **options)
