"""Reading single cell values: dates, durations, emails, categories.

Each reader returns the value or raises ``ValueError`` with the reason; the caller adds the
file, row and column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime

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


@lru_cache(maxsize=1 << 18)
def clean_text(text: str) -> str:
    """Trim and collapse spaces. Text is stored as text: a leading ``=`` is never evaluated."""
    return " ".join(text.split())


_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*(?:h|hr|hrs|hour|hours)\b\.?)?\s*"
    r"(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes)\b\.?)?\s*"
    r"(?:(?P<s>\d+)\s*(?:s|sec|secs|second|seconds)\b\.?)?\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """Minutes from ``1h 13m 42s``, ``1 hr 2 min``, ``45 min``, ``01:13:42`` or ``73``."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,5}", text):
        return int(text)
    clock = re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", text)
    if clock:
        hours, minutes, seconds = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        return round(hours * 60 + minutes + seconds / 60)
    match = _DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        raise ValueError("this is not a duration; expected e.g. 1h 13m 42s, 1 hr 2 min or 45")
    hours, minutes, seconds = (int(match[k] or 0) for k in ("h", "m", "s"))
    return round(hours * 60 + minutes + seconds / 60)


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


def surname_first(name: str) -> str:
    """``"Lee, Ann"`` -> ``"Ann Lee"``; other names unchanged."""
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and " " not in last.strip("-'"):
            return f"{first} {last}"
    return name
