"""Where the things an attendance file names are: a person's home borough (from a borough or a
postcode), a session's place (a borough, the region, or online) and a community's scope."""

from __future__ import annotations

from graphsvc.errors import InputError
from graphsvc.model import Community, Session, community_id, normalise_name, place_id, session_id
from loaders.attendance import PersonPart, SessionPart
from loaders.places import resolve_borough, resolve_postcode
from loaders.reference import REGION_CODE


def home_of(record: PersonPart) -> tuple[str | None, str | None]:
    """The borough a person's borough or postcode names; else why not (or None when neither
    was given)."""
    match = None
    if record.borough:
        match = resolve_borough(record.borough)
    if (match is None or not match.borough_code) and record.postcode:
        match = resolve_postcode(record.postcode)
    if match is None:
        return None, None
    if match.borough_code is None:
        return None, match.detail
    return place_id(match.borough_code), None


def session_of(record: SessionPart, row: int, problems: list, source: str) -> Session | None:
    """The session a row names, or None (with a problem) when its place is not one."""
    online = record.place.strip().lower() in ("online", "virtual", "zoom", "teams", "remote")
    place = None
    if record.place and not online:
        match = resolve_borough(record.place)
        if match.borough_code is None and normalise_name(record.place) in (
                "greater manchester", "gm"):
            place = place_id(REGION_CODE)
        elif match.borough_code is None:
            problems.append(InputError(
                "the session's place is not a Greater Manchester borough or 'online'",
                file=source, row=row, column="place", value=record.place))
            return None
        else:
            place = place_id(match.borough_code)
    sid = session_id(record.community, record.held_on, record.title)
    return Session(sid, community_id(record.community), record.title,
                   record.held_on, place, online)


def community_of(name: str) -> Community:
    """A community as an attendance file implies it: a name with "GM" or "Greater Manchester"
    in it is a place-based community of Greater Manchester."""
    words = normalise_name(name)
    local = "gm" in words.split() or "greater manchester" in words
    return Community(community_id(name), name, scope="place" if local else "national",
                     place_id=place_id(REGION_CODE) if local else None)
