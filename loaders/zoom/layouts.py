"""Which Zoom report a file is, told from its header rows, and where each column is.

Zoom has written its participant lists in several layouts over the years (see
``tests/fixtures/real/README.md``, "What the files show"): with or without a meeting block
above the participants, with the meeting's columns on every row (the active hosts report),
in the interface's language, and as an older meeting report with no e-mail column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from loaders.headers import header_key

# field -> header spellings, as :func:`zoom_key` reads them
PARTICIPANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name (original name)", "名前 (元の名前)", "user name"),
    "email": ("user email", "email", "ユーザーメール"),
    "joined": ("join time", "参加時刻"),
    "left": ("leave time", "退出時刻"),
    "duration": ("duration (minutes)", "所要時間 (分)"),
    "total": ("total duration (minutes)",),
    "waiting": ("in waiting room",),
}
MEETING_COLUMNS: dict[str, tuple[str, ...]] = {
    "topic": ("topic",),
    "id": ("meeting id", "id"),
    "host": ("host",),  # the 2025 web report: "Name (address)"
    "host_name": ("user name",),  # the active hosts report
    "host_email": ("user email",),
    "starts": ("start time",),
    "ends": ("end time",),
    "length": ("duration (minutes)",),
}
# a participant table starts at one of these (``user name`` only in the older report, first)
TABLE_STARTS = ("name (original name)", "名前 (元の名前)")

KNOWN = ("the participants report (Name (Original Name), User Email, Join Time, Leave Time, "
         "Duration (Minutes); or Total Duration (Minutes) for unique users; also in Japanese), "
         "with or without its meeting block (Meeting ID, Topic, Start Time, End Time, User "
         "Email, Duration (Minutes), Participants); the web report of 2025 (Topic, ID, Host, "
         "..., then Name (original name), Email, Join time, ...); the active hosts report "
         "(the meeting's columns, then the participant's, on every row); the older meeting "
         "report (User Name, Join time, Leave time, Duration(Minutes))")


class UnknownLayout(ValueError):
    """Rows that are not laid out as any Zoom report this loader knows."""


@dataclass(frozen=True)
class Layout:
    """Where things are. ``people`` and ``meeting`` map fields to column positions;
    ``table`` is the row index of the participant header; ``block`` the row index of the
    meeting block's values (None: no block); ``flat``: the meeting's columns are on every
    row."""

    people: dict[str, int]
    meeting: dict[str, int]
    table: int
    block: int | None = None
    flat: bool = False


def zoom_key(text: str) -> str:
    """A header cell as a key: lower case, one space before a bracket, full-width
    brackets made plain: ``Duration(Minutes)`` and ``所要時間（分）`` read as
    ``duration (minutes)`` and ``所要時間 (分)``.

    >>> zoom_key("\\ufeffDuration(Minutes)"), zoom_key("所要時間（分）")
    ('duration (minutes)', '所要時間 (分)')
    """
    key = header_key(unicodedata.normalize("NFKC", text))
    return re.sub(r"\s*\(\s*", " (", key).strip()


def find_layout(rows: Sequence[list[str]]) -> Layout:
    """The layout of a Zoom report, from its first rows; :class:`UnknownLayout` otherwise."""
    if not rows:
        raise UnknownLayout("the file has no rows")
    keys = [zoom_key(h) for h in rows[0]]
    starts = next((i for i, k in enumerate(keys) if k in TABLE_STARTS), None)
    if _is_meeting_header(keys) and starts is not None:
        return Layout(_columns(keys[starts:], PARTICIPANT_COLUMNS, offset=starts),
                      _columns(keys[:starts], MEETING_COLUMNS), table=0, flat=True)
    if _is_meeting_header(keys):
        return _after_block(rows, keys)
    people = _columns(keys, PARTICIPANT_COLUMNS)
    if _is_table(keys, people):
        return Layout(people, {}, table=0)
    raise UnknownLayout(f"its first row is {_shown(rows[0])}")


def _after_block(rows: Sequence[list[str]], keys: list[str]) -> Layout:
    """A meeting block (header, values), empty or comma-only lines, then the participants."""
    for index in range(2, min(len(rows), 12)):
        if not any(c.strip() for c in rows[index]):
            continue
        table = [zoom_key(h) for h in rows[index]]
        people = _columns(table, PARTICIPANT_COLUMNS)
        if not _is_table(table, people):
            raise UnknownLayout(f"its meeting block is followed by {_shown(rows[index])}, "
                                "not by a participant table")
        return Layout(people, _columns(keys, MEETING_COLUMNS), table=index, block=1)
    raise UnknownLayout("its meeting block is not followed by a participant table")


def _is_meeting_header(keys: list[str]) -> bool:
    return "topic" in keys and ("meeting id" in keys or "id" in keys) and "start time" in keys


def _is_table(keys: list[str], people: dict[str, int]) -> bool:
    """A participant header: Zoom's name column, and times or a duration to read."""
    named = any(k in TABLE_STARTS for k in keys) or (keys[:1] == ["user name"])
    timed = ("joined" in people and "left" in people) or "total" in people or "duration" in people
    return named and timed


def _columns(keys: list[str], spellings: dict[str, tuple[str, ...]], offset: int = 0
             ) -> dict[str, int]:
    """Field -> position; the first column of a field wins."""
    found: dict[str, int] = {}
    for index, key in enumerate(keys):
        field = next((f for f, names in spellings.items() if key in names), None)
        if field and field not in found:
            found[field] = index + offset
    return found


def _shown(row: list[str]) -> str:
    cells = [c.replace("\ufeff", "").strip() for c in row if c.strip()]
    return "'" + ", ".join(cells[:8]) + (", ..." if len(cells) > 8 else "") + "'"
