"""Reading single cell values: dates, durations, emails, categories.

Each reader returns the value or raises ``ValueError`` with the reason; the caller adds the
file, row and column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, repeat
from datetime import date, datetime
from typing import Iterable

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$")
FORMULA_START = ("=", "+", "-", "@")

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y",
                 "%d.%m.%Y")

ATTENDING_AS = {
    "": "none", "professional": "none", "staff": "none", "volunteer": "none",
    "practitioner": "none", "none": "none", "no": "none",
    "lived experience": "lived_experience", "lived_experience": "lived_experience",
    "person with lived experience": "lived_experience", "patient": "lived_experience",
    "expert by experience": "lived_experience",
    "carer": "carer", "unpaid carer": "carer", "family carer": "carer",
}
SESSION_ROLES = {
    "": "attendee", "attendee": "attendee", "participant": "attendee",
    "facilitator": "facilitator", "host": "organiser", "co-host": "facilitator",
    "organiser": "organiser", "organizer": "organiser", "presenter": "presenter",
    "speaker": "presenter",
}
CONSENT = {
    "yes": "named", "y": "named", "named": "named", "true": "named",
    "no": "aggregate", "n": "aggregate", "aggregate": "aggregate", "false": "aggregate",
    "aggregate only": "aggregate", "withdrawn": "withdrawn",
}
SENIOR_TITLES = re.compile(
    r"\b(chief|director|head of|ceo|chair|chairperson|trustee|board member|"
    r"executive|commissioner|deputy director|assistant director|founder)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    text = text.strip()
    if not text:
        raise ValueError("the date is empty")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("this is not a date; use YYYY-MM-DD or DD/MM/YYYY")


def parse_minutes(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        raise ValueError("minutes must be a whole number such as 45")
    return int(text)


def parse_email(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if not EMAIL.match(text):
        raise ValueError("this is not an email address")
    return text.lower()


def parse_choice(text: str, choices: dict[str, str], what: str) -> str:
    key = " ".join(text.strip().lower().split())
    if key not in choices:
        accepted = ", ".join(sorted({k for k in choices if k}))
        raise ValueError(f"unknown {what}; accepted: {accepted}")
    return choices[key]


@lru_cache(maxsize=4096)
def seniority(job_title: str) -> str:
    return "senior" if SENIOR_TITLES.search(job_title or "") else "staff"


def is_blank(cells: list[str]) -> bool:
    """Whether a row has nothing in it but spaces (as ``not any(c.strip() for c in cells)``,
    without a generator per row).

    >>> is_blank(["", " ", "\\t"]), is_blank(["", "x"])
    (True, False)
    """
    return not "".join(cells).strip()


@lru_cache(maxsize=1 << 18)
def clean_text(text: str) -> str:
    """Trim and collapse spaces. Text is stored as text: a leading ``=`` is never evaluated."""
    return " ".join(text.split())


_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*(?:h|hr|hrs|hour|hours)\b\.?)?\s*"
    r"(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes)\b\.?)?\s*"
    r"(?:(?P<s>\d+)\s*(?:s|sec|secs|second|seconds)\b\.?)?\s*$", re.IGNORECASE)


_CLOCK_DURATION = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?")


@lru_cache(maxsize=1 << 14)  # (a long export repeats its durations)
def parse_duration(text: str) -> int | None:
    """Minutes from ``1h 13m 42s``, ``1 hr 2 min``, ``45 min``, ``01:13:42`` or ``73``."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 5:
        return int(text)
    clock = _CLOCK_DURATION.fullmatch(text) if ":" in text else None
    if clock:
        hours, minutes, seconds = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        return round(hours * 60 + minutes + seconds / 60)
    match = _DURATION.match(text)
    said = match.group("h", "m", "s") if match else (None, None, None)
    if said == (None, None, None):
        raise ValueError("this is not a duration; expected e.g. 1h 13m 42s, 1 hr 2 min or 45")
    hours, minutes, seconds = said
    return round(int(hours or 0) * 60 + int(minutes or 0) + int(seconds or 0) / 60)


_US_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%y, %I:%M:%S %p", "%m/%d/%Y, %I:%M:%S %p",
               "%m/%d/%Y %I:%M %p", "%m/%d/%y %I:%M:%S %p", "%m/%d/%Y, %I:%M %p")
_UK_FORMATS = ("%d/%m/%y, %H:%M:%S", "%d/%m/%Y, %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M:%S",
               "%d/%m/%Y %H:%M", "%d/%m/%y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
               "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M:%S")


@lru_cache(maxsize=1 << 16)
def parse_datetime(text: str) -> datetime:
    """A timestamp as exports write it: US with AM/PM (``03/14/2023 09:58:12 AM``,
    ``7/20/23, 4:16:29 PM``), UK 24-hour (``14/11/22, 09:29:07``), or ISO."""
    text = " ".join(text.replace("\u202f", " ").split())
    if not text:
        raise ValueError("the time is empty")
    formats = _US_FORMATS if text[-2:].upper() in ("AM", "PM") else _UK_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError("this is not a date and time; expected e.g. 03/14/2023 09:58:12 AM "
                     "(US, with AM/PM) or 14/11/22, 09:29:07 (UK)")


_NUMERIC_STAMP = re.compile(
    r"(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([ap])\.?\s*m\.?)?", re.IGNORECASE)


def _numeric_stamp(text: str) -> re.Match | None:
    return _NUMERIC_STAMP.fullmatch(" ".join(text.replace("\u202f", " ").split()))


def day_first(stamps: Iterable[str]) -> bool:
    """Whether a file's numeric dates put the day first (``27/01/2021``) or the month
    (``9/22/2020``), decided once for the whole file as the downloader's locale wrote them.
    A first number over 12 (or a dotted date) shows day-first, a second one over 12
    month-first; with neither, AM/PM means a US (month-first) locale and a 24-hour clock a
    day-first one. Other text is passed over; dates that contradict each other are an error.

    >>> day_first(["11/12/2020, 12:27:24"]), day_first(["2/1/25, 9:04:01 pm"])
    (True, False)
    >>> day_first(["1/2/2021, 10:00:00", "1/13/2021, 10:00:00"])
    False
    """
    day = month = None
    twelve_hour = False
    texts = list(stamps)
    timed = compress(texts, map(str.__contains__, texts, repeat(":")))  # (a cheap test, in C)
    for text in dict.fromkeys(timed):  # each text once (a file repeats its times)
        match = _numeric_stamp(text)
        if match is None:
            continue
        if int(match[1]) > 12 or match[2] == ".":
            day = day or text
        if int(match[3]) > 12:
            month = month or text
        twelve_hour = twelve_hour or bool(match[8])
    if day and month:
        raise ValueError(f"the dates disagree: {day.strip()!r} can only be day-first and "
                         f"{month.strip()!r} only month-first")
    return bool(day) if (day or month) else not twelve_hour


def parse_numeric_datetime(text: str, *, day_first: bool) -> datetime:
    """A timestamp such as ``11/12/2020, 12:27:24`` or ``2/1/25, 9:04:01 pm`` in the file's
    date order (see :func:`day_first`); anything else as :func:`parse_datetime` reads it.

    >>> parse_numeric_datetime("11/12/2020, 12:27:24", day_first=True)
    datetime.datetime(2020, 12, 11, 12, 27, 24)
    >>> parse_numeric_datetime("2/1/25, 9:04:01 pm", day_first=False)
    datetime.datetime(2025, 2, 1, 21, 4, 1)
    """
    match = _numeric_stamp(text)
    if match is None:
        return parse_datetime(text)
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    day, month = (first, second) if day_first else (second, first)
    if len(match[4]) == 2:
        year += 2000 if year < 69 else 1900  # as strptime's %y
    hour, minute, seconds = int(match[5]), int(match[6]), int(match[7] or 0)
    if match[8]:
        if not 1 <= hour <= 12:
            raise ValueError("this is not a time: with AM or PM the hour is 1 to 12")
        hour = hour % 12 + (12 if match[8].lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute, seconds)
    except ValueError:
        order = "day/month/year" if day_first else "month/day/year"
        raise ValueError(f"this is not a date and time read as {order}, the order of the "
                         "file's other dates") from None


# what can follow a surname after a comma without being a first name
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "obe", "mbe", "cbe", "esq"}
_NAME_WORD = r"[^\W\d_]+(?:[-'\u2019.]+[^\W\d_]*)*"  # letters, maybe joined by - ' or .
_NAME_WORDS = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}")  # one to four words
_TRAILING_BRACKET = re.compile(r"^(.*?)(\s*\([^()]*\))?$")


def surname_first(name: str) -> str:
    """A directory name written ``Surname, First`` turned round, whatever the number of
    words in the surname: ``"Lee, Ann"`` -> ``"Ann Lee"``, ``"De La Vega, Tomas"`` ->
    ``"Tomas De La Vega"``. A bracket at the end stays there (``"Ashby, Abigail (EXT)"`` ->
    ``"Abigail Ashby (EXT)"``). Unchanged: names without exactly one comma (``"ASHBY ABIGAIL
    (EXT)"`` cannot be told apart from a first name first), a suffix after the comma
    (``"King, Jr."``) and text that does not look like a name (digits, over four words a side).

    >>> surname_first("Martínez Ruíz, Pablo"), surname_first("King, Jr.")
    ('Pablo Martínez Ruíz', 'King, Jr.')
    """
    if "," not in name:
        return name
    if name.endswith(")") or "\n" in name:
        body, bracket = _TRAILING_BRACKET.match(name).groups()
    else:  # (the common case, without the regular expression)
        body, bracket = name, None
    if body.count(",") != 1:
        return name
    last, first = body.split(",")
    last, first = " ".join(last.split()), " ".join(first.split())
    if (first.lower().strip(".") in _NAME_SUFFIXES
            or not (_NAME_WORDS.fullmatch(last) and _NAME_WORDS.fullmatch(first))):
        return name
    return f"{first} {last}" + (bracket or "")
