"""Registers: lists of organisations and of communities of practice, kept by the partnership."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from graphsvc.errors import InputError
from graphsvc.model import (
    COMMUNITY_SCOPES,
    ORGANISATION_TYPES,
    SCOPES,
    Community,
    Organisation,
    community_id,
    normalise_name,
    organisation_id,
    place_id,
    sector_id,
)
from loaders import values
from loaders.formats import REGISTERS, Format, register
from loaders.headers import header_key
from loaders.places import resolve_borough, resolve_postcode

ORGANISATION_COLUMNS = {
    "name": ("name", "organisation", "organization", "organisation name"),
    "sector": ("sector", "sectors"),
    "borough": ("borough", "local authority"),
    "postcode": ("postcode", "post code"),
    "scope": ("scope",),
    "type": ("type", "organisation type", "organization type"),
    "aliases": ("aliases", "also known as", "other names"),
    "domain": ("email domain", "domain", "website"),
}
COMMUNITY_COLUMNS = {
    "name": ("community", "name", "community of practice"),
    "domain": ("domain", "focus"),
    "scope": ("scope",),
    "place": ("place", "borough", "region"),
    "started": ("started", "start date", "launched"),
}


@dataclass
class ParsedRegister:
    source: str
    format: str
    organisations: list[Organisation] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def _columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [header_key(h) for h in header]
    return {f: keys.index(s) for f, spellings in wanted.items() for s in spellings[::-1] if s in keys}


def _sectors(text: str, known: dict[str, str]) -> tuple[str, ...]:
    ids = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        key = normalise_name(part)
        if key not in known:
            raise ValueError("unknown sector; accepted: " + ", ".join(sorted(set(known.values()))))
        ids.append(sector_id(known[key]))
    return tuple(ids)


def parse_organisations(rows: Iterable[list[str]], *, source: str = "<rows>",
                        sector_names: Iterable[str] = ()) -> ParsedRegister:
    """An organisations register: name, sector(s) separated by ``;``, borough or postcode,
    scope (local, regional, national), type (vcse, statutory, other), aliases (``;``)."""
    known = {normalise_name(n): n for n in sector_names}
    rows = iter(rows)
    header = next(rows, [])
    cols = _columns(header, ORGANISATION_COLUMNS)
    parsed = ParsedRegister(source, "organisations")
    if "name" not in cols:
        parsed.problems.append(InputError("no Name column in the organisations register",
                                          file=source, row=1))
        return parsed
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = lambda f: values.clean_text(cells[cols[f]]) if f in cols and cols[f] < len(cells) else ""  # noqa: E731
        try:
            sectors = _sectors(cell("sector"), known)
            scope = values.parse_choice(cell("scope") or "local", {s: s for s in SCOPES}, "scope")
            kind = values.parse_choice(cell("type") or "other",
                                       {t: t for t in ORGANISATION_TYPES}, "type")
        except ValueError as exc:
            column = ("sector" if "sector" in str(exc) else
                      "scope" if "scope" in str(exc) else "type")
            parsed.problems.append(InputError(str(exc), file=source, row=number,
                                              column=header[cols[column]], value=cell(column)))
            continue
        name = cell("name")
        if not name:
            parsed.problems.append(InputError("the name is empty", file=source, row=number,
                                              column=header[cols["name"]]))
            continue
        borough = _place_of(cell("borough"), cell("postcode"))
        parsed.organisations.append(Organisation(
            id=organisation_id(name), name=name, sector_ids=sectors,
            place_id=place_id(borough) if borough else None, scope=scope, type=kind,
            aliases=tuple(a.strip() for a in cell("aliases").split(";") if a.strip())
            + _domain_alias(cell("domain")),
        ))
    return parsed


def _domain_alias(text: str) -> tuple[str, ...]:
    """An email domain (or website) kept as the alias ``@domain``: staff emails then find the
    organisation even in exports that do not name it."""
    domain = text.strip().lower().removeprefix("https://").removeprefix("http://")
    domain = domain.removeprefix("www.").split("/")[0].lstrip("@")
    return (f"@{domain}",) if "." in domain else ()


def _place_of(borough: str, postcode: str) -> str | None:
    if borough:
        return resolve_borough(borough).borough_code
    if postcode:
        return resolve_postcode(postcode).borough_code
    return None


def parse_communities(rows: Iterable[list[str]], *, source: str = "<rows>") -> ParsedRegister:
    """A communities register: community, domain, scope (national or place), place, started."""
    rows = iter(rows)
    header = next(rows, [])
    cols = _columns(header, COMMUNITY_COLUMNS)
    parsed = ParsedRegister(source, "communities")
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = lambda f: values.clean_text(cells[cols[f]]) if f in cols and cols[f] < len(cells) else ""  # noqa: E731
        try:
            scope = values.parse_choice(cell("scope") or "national",
                                        {s: s for s in COMMUNITY_SCOPES}, "scope")
            started = values.parse_date(cell("started")) if cell("started") else None
        except ValueError as exc:
            column = "scope" if "scope" in str(exc) else "started"
            parsed.problems.append(InputError(str(exc), file=source, row=number,
                                              column=header[cols[column]], value=cell(column)))
            continue
        place = cell("place")
        code = resolve_borough(place).borough_code if place else None
        if place and not code and normalise_name(place) in ("greater manchester", "gm"):
            code = "E47000001"
        parsed.communities.append(Community(
            id=community_id(cell("name")), name=cell("name"), domain=cell("domain"),
            scope=scope, place_id=place_id(code) if code else None, started=started,
        ))
    return parsed


def is_organisations(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return "sector" in keys or "sectors" in keys


def is_communities(header: list[str]) -> bool:
    keys = {header_key(h) for h in header}
    return "domain" in keys and ("community" in keys or "name" in keys)


register(Format(
    "organisations", "an organisations register", order=REGISTERS, priority=60,
    detect=lambda header, rows: is_organisations(header),
    parse=lambda rows, c: parse_organisations(rows, source=c.source,
                                              sector_names=c.sector_names)))
register(Format(
    "communities", "a communities register", order=REGISTERS, priority=61,
    detect=lambda header, rows: is_communities(header),
    parse=lambda rows, c: parse_communities(rows, source=c.source)))
