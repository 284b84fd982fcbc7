"""Reading single Zoom cells: times, participants' names, the host, e-mail addresses.

Each reader returns the value or raises ``ValueError`` with the reason; the caller adds the
file, row and column.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from loaders import values

# Zoom writes the month first, 12 h in participants reports, 24 h in the active hosts
# report; a spreadsheet re-save drops the seconds, and the Japanese interface puts the year
# first. ISO forms are what a workbook's cells become when read.
_TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S",
                 "%m/%d/%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_HOST_MARKER = re.compile(r"\s*\(host\)\s*$", re.IGNORECASE)
_ORIGINAL_NAME = re.compile(r"\s*\([^()]*\)\s*$")
_NAMED_ADDRESS = re.compile(r"^(?P<name>.*?)\s*\((?P<email>[^()]*@[^()]*)\)\s*$")
TRUNCATED = ("\u2026", "...")


@lru_cache(maxsize=1 << 14)
def zoom_time(text: str) -> datetime:
    """A time as Zoom writes it, month first.

    >>> zoom_time("09/10/2021 08:00:21"), zoom_time("2020/12/8 8:55")
    (datetime.datetime(2021, 9, 10, 8, 0, 21), datetime.datetime(2020, 12, 8, 8, 55))
    """
    text = " ".join(text.replace("\u202f", " ").split())
    if not text:
        raise ValueError("the time is empty")
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError("this is not a time as Zoom writes it; expected the month first, "
                     "e.g. 03/14/2023 09:58:12 AM, 09/10/2021 08:00:21 or 3/14/2023 9:58 "
                     "(or 2020/12/8 8:55 from the Japanese interface)")


def participant_name(text: str) -> tuple[str, bool]:
    """The name someone chose, without the original name Zoom adds in brackets, and whether
    Zoom marked them ``(Host)``.

    >>> participant_name("Brian Hollins (Host)"), participant_name("Eric's iPad (Clapton)")
    (('Brian Hollins', True), ("Eric's iPad", False))
    """
    text = values.clean_text(text)
    if ")" not in text:  # (most names: neither bracket can be there)
        return text, False
    marked = bool(_HOST_MARKER.search(text))
    text = _HOST_MARKER.sub("", text) if marked else text
    name = _ORIGINAL_NAME.sub("", text).strip()
    return (name or text.strip("() ")), marked


def host_parts(text: str) -> tuple[str, str]:
    """The 2025 web report's host cell, ``Name (address)``, as name and address; a cell
    with only one of them gives the other empty.

    >>> host_parts("Felix Lindley (academy@example.com)"), host_parts("host@example.com")
    (('Felix Lindley', 'academy@example.com'), ('', 'host@example.com'))
    """
    text = values.clean_text(text)
    found = _NAMED_ADDRESS.match(text)
    if found:
        return found["name"], found["email"]
    return ("", text) if "@" in text else (text, "")


def is_truncated(text: str) -> bool:
    """A cell cut short for display (``jiro1…``): not an address, and not a typo either."""
    text = text.strip()
    return bool(text) and text.endswith(TRUNCATED) and not values.EMAIL.match(text)
