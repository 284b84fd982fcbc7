"""Reading a page's or an API route's query string: every value checked, every mistake a
400 in the one error shape, naming the parameter and the value; and the OpenAPI descriptions
of the parameters the routes share."""

from __future__ import annotations

from datetime import date

from flask import request

from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS
from graphsvc.errors import InputError

WINDOWS = {"6": 6, "12": 12, "18": 18, "24": 24, "36": 36, "all": None}
DEFAULT_WINDOW = str(DEFAULT_WINDOW_MONTHS)  # a key of WINDOWS: the window every page starts at


def query(name: str, description: str, schema: dict, required: bool = False) -> dict:
    """An OpenAPI query parameter."""
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


def path(name: str, description: str, schema: dict | None = None) -> dict:
    """An OpenAPI path parameter."""
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string", "minLength": 1}}


# the answer of a route that analyses attendance before any is loaded (NothingLoaded)
NOTHING_LOADED = {"409": "Nothing to analyse yet: no attendance has been loaded"}

WINDOW = (
    query("as_of", "the date the analysis looks from (YYYY-MM-DD); default the latest session",
          {"type": "string", "format": "date"}),
    query("window", "months a tie stays active, or all", {"enum": list(WINDOWS)}),
)
NETWORK = query("network", "which network", {"enum": ["organisations", "people"]})
LIMIT = query("limit", "how many rows", {"type": "integer", "minimum": 1, "maximum": 100})


def choice(name: str, choices, default: str) -> str:
    value = request.args.get(name, default) or default
    if value not in choices:
        raise InputError("accepted: " + ", ".join(choices), column=name, value=value)
    return value


def as_of() -> date | None:
    text = request.args.get("as_of", "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError("give the date as YYYY-MM-DD", column="as_of", value=text) from None
    if not date(1900, 1, 1) <= day <= date(2200, 12, 31):
        raise InputError("give a date from 1900 to 2200", column="as_of", value=text)
    return day


def window_months() -> int | None:
    return WINDOWS[choice("window", WINDOWS, DEFAULT_WINDOW)]


def number(name: str, default: float, low: float, high: float) -> float:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise InputError("give a number", column=name, value=text) from None
    if not low <= value <= high:
        raise InputError(f"give a number from {low:g} to {high:g}", column=name, value=text)
    return value
