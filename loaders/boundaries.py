"""Places from a boundaries file: the wards (and districts) of a GeoJSON the user points at.

Only the properties are read here (codes, names, parent district), so ward names in
attendance files can be placed in their borough; drawing maps from the geometry is the web
app's business. Property names as ONS and common re-publishers write them are recognised
(``WD23CD``/``ward_code``, ``WD23NM``/``ward_name``, ``LAD23CD``/``lad_code``, any year).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from graphsvc.errors import InputError
from graphsvc.model import Place, place_id

WARD_CODE = re.compile(r"^(wd\d{2}cd|ward_code|ward code|wardcode)$", re.IGNORECASE)
WARD_NAME = re.compile(r"^(wd\d{2}nm|ward_name|ward name|wardname)$", re.IGNORECASE)
DISTRICT_CODE = re.compile(r"^(lad\d{2}cd|lad_code|district_code|local_authority_code)$",
                           re.IGNORECASE)


@dataclass
class ParsedPlaces:
    source: str
    format: str = "places"
    places: list[Place] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def is_geojson(start: bytes) -> bool:
    text = start.lstrip()[:4096]
    return text.startswith(b"{") and b"FeatureCollection" in text


def _property(props: dict, pattern: re.Pattern) -> str:
    return next((str(v) for k, v in props.items() if pattern.match(k) and v), "")


def parse_boundaries(data: dict, *, source: str = "<geojson>",
                     boroughs: dict[str, str] | None = None) -> ParsedPlaces:
    """Wards (kind ``ward``, parent their district) from a GeoJSON FeatureCollection.

    ``boroughs`` maps the district codes the database knows to their place ids; a ward in
    another district is reported, not guessed.
    """
    out = ParsedPlaces(source)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        out.problems.append(InputError("not a GeoJSON FeatureCollection", file=source))
        return out
    for number, feature in enumerate(features, 1):
        props = (feature or {}).get("properties") or {}
        code, name = _property(props, WARD_CODE), _property(props, WARD_NAME)
        parent = _property(props, DISTRICT_CODE)
        if not code:
            continue  # a district or another kind of area: the boroughs are known already
        if not name:
            out.problems.append(InputError("the ward has no name", file=source, row=number,
                                           column="ward name", value=code))
            continue
        if boroughs is not None and parent not in boroughs:
            out.problems.append(InputError("the ward's district is not a Greater Manchester "
                                           "borough", file=source, row=number,
                                           column="district code", value=parent))
            continue
        out.places.append(Place(place_id(code), "ward", name, code, place_id(parent)))
    if not out.places and not out.problems:
        out.problems.append(InputError("no wards found: expected properties such as WD23CD, "
                                       "WD23NM and LAD23CD", file=source))
    return out


def read_wards(path, boroughs: dict[str, str] | None = None) -> ParsedPlaces:
    from pathlib import Path

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the GeoJSON cannot be read ({exc})", file=path.name) from exc
    return parse_boundaries(data, source=path.name, boroughs=boroughs)
