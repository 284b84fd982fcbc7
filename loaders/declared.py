"""Declared ties: who works with whom, as people said in a survey.

A header row, then one tie per row. ``Person A`` and ``Person B`` (an email, or a name as the
register holds it) for ties between people, or ``Organisation A`` and ``Organisation B`` for
ties between organisations; optional ``Strength`` (a positive number, default 1), ``Since``
(a date) and ``Note``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from graphsvc.errors import InputError
from loaders import values
from loaders.formats import DECLARED, Format, register
from loaders.headers import header_key

PAIRS = {"person": ("person a", "person b"), "organisation": ("organisation a", "organisation b")}


@dataclass(frozen=True)
class DeclaredRecord:
    row: int
    kind: str  # "person" or "organisation"
    a: str
    b: str
    weight: float
    since: date | None
    note: str


@dataclass
class ParsedDeclared:
    source: str
    format: str = "declared-ties"
    records: list[DeclaredRecord] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def is_declared(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return any(set(pair) <= keys for pair in PAIRS.values())


def parse_declared(rows: Sequence[list[str]], *, source: str = "<rows>") -> ParsedDeclared:
    header = [header_key(h) for h in rows[0]]
    out = ParsedDeclared(source)
    kind = next(k for k, pair in PAIRS.items() if set(pair) <= set(header))
    at_a, at_b = (header.index(c) for c in PAIRS[kind])
    at = {k: header.index(k) for k in ("strength", "since", "note") if k in header}
    for number, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        get = lambda i: values.clean_text(cells[i]) if i is not None and i < len(cells) else ""  # noqa: E731
        a, b = get(at_a), get(at_b)
        if not a or not b or a.lower() == b.lower():
            column = rows[0][at_a if not a else at_b]
            out.problems.append(InputError("a tie needs two different names", file=source,
                                           row=number, column=column, value=a or b))
            continue
        try:
            weight = float(get(at.get("strength")) or 1)
            if not weight > 0:
                raise ValueError
        except ValueError:
            out.problems.append(InputError("the strength must be a positive number", file=source,
                                           row=number, column="Strength",
                                           value=get(at.get("strength"))))
            continue
        since = None
        if get(at.get("since")):
            try:
                since = values.parse_date(get(at.get("since")))
            except ValueError as exc:
                out.problems.append(InputError(str(exc), file=source, row=number, column="Since",
                                               value=get(at.get("since"))))
                continue
        out.records.append(DeclaredRecord(number, kind, a, b, weight, since, get(at.get("note"))))
    return out


register(Format(
    "declared-ties", "ties people declared (a survey)", order=DECLARED, priority=40,
    detect=lambda header, rows: is_declared(header),
    parse=lambda rows, c: parse_declared(rows, source=c.source)))
