"""Resolving where someone or something is: postcodes, postcode districts, borough names.

Postcode districts map to boroughs by the facts in ``data/postcode_districts.csv``. A district
that straddles boroughs, or lies partly outside Greater Manchester, is reported as such and not
guessed; a full postcode cannot be placed more exactly without the ONS Postcode Directory.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from graphsvc.model import normalise_name
from graphsvc.resources import data_dir

POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})?$")


@dataclass(frozen=True)
class PlaceMatch:
    """The borough a value points at (``None`` if it cannot say) and why."""

    borough_code: str | None
    status: str  # "inside", "borough", "straddles", "partly_outside", "outside", "unknown"
    detail: str = ""


@lru_cache(maxsize=1)
def borough_names() -> dict[str, str]:
    """Normalised borough name (and common spellings) -> ONS code."""
    with open(data_dir() / "boroughs.csv", newline="", encoding="utf-8") as handle:
        names = {normalise_name(row["name"]): row["code"] for row in csv.DictReader(handle)}
    for code in list(names.values()):
        names[code.lower()] = code
    for spelling, name in (("manchester city", "manchester"), ("city of manchester", "manchester"),
                           ("salford city", "salford"), ("wigan borough", "wigan"),
                           ("stockport mbc", "stockport"), ("bolton mbc", "bolton")):
        names[spelling] = names[name]
    for name in [n for n in names if not n.startswith("e0")]:
        names.setdefault(f"{name} council", names[name])
    return names


@lru_cache(maxsize=1)
def _districts() -> dict[str, list[tuple[str, int, str]]]:
    table: dict[str, list[tuple[str, int, str]]] = {}
    with open(data_dir() / "postcode_districts.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["district"], []).append(
                (row["borough_code"], int(row["share_percent"]), row["status"])
            )
    return table


@lru_cache(maxsize=1 << 16)
def resolve_postcode(text: str) -> PlaceMatch:
    """Place a full postcode or a postcode district in a borough, or say why not.

    >>> resolve_postcode("M1 4BT")
    PlaceMatch(borough_code='E08000003', status='inside', detail='M1')
    >>> resolve_postcode("M3").status
    'straddles'
    """
    match = POSTCODE.match(" ".join(text.upper().split()))
    if not match:
        return PlaceMatch(None, "unknown", f"{text!r} is not a UK postcode")
    district = match.group(1)
    rows = _districts().get(district)
    if not rows:
        return PlaceMatch(None, "outside", f"{district} is not a Greater Manchester district")
    status = rows[0][2]
    if status == "inside":
        return PlaceMatch(rows[0][0], "inside", district)
    shares = ", ".join(f"{code} {share}%" for code, share, _ in rows if code)
    if status in ("outside", "non_geographic"):
        return PlaceMatch(None, "outside", f"{district} lies outside Greater Manchester"
                          if status == "outside" else f"{district} is non-geographic")
    return PlaceMatch(None, status, f"{district} is split ({shares})")


@lru_cache(maxsize=4096)
def resolve_borough(text: str) -> PlaceMatch:
    """A borough name, common spelling or ONS code.

    >>> resolve_borough("Manchester City Council").borough_code
    'E08000003'
    """
    code = borough_names().get(normalise_name(text)) or borough_names().get(text.strip().lower())
    if code:
        return PlaceMatch(code, "borough", text)
    return PlaceMatch(None, "unknown", f"{text!r} is not a Greater Manchester borough")
