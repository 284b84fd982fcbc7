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
    if not re.fullmatch(r"\d{1,5}", text):
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
