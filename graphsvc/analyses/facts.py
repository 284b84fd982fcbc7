"""The facts beside the tie networks that some analyses need: who attended what, where, when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from graphsvc.analyses.counting import sorted_codes
from graphsvc.attributes import column


@dataclass
class Facts:
    """Sessions and attendance as arrays, with node attributes by id."""

    session_ids: list[str]
    session_dates: np.ndarray  # datetime64[D]
    session_community: list[str]  # community names
    session_borough: list[str]  # '' when online or regional
    attendance_session: np.ndarray  # int index into session_ids
    attendance_person: list[str]
    attendance_organisation: list[str]  # '' when unknown
    attendance_role: list[str]
    people: Mapping[str, dict]  # node attributes (:mod:`graphsvc.attributes`)
    organisations: Mapping[str, dict]
    # each row's person and organisation as codes into their distinct values, when known
    # already (:func:`codes_of_rows`); else worked out from the rows
    coded_rows: tuple | None = field(default=None, repr=False, compare=False)

    def row_arrays(self) -> dict[str, np.ndarray]:
        """Per attendance row, as arrays: person, organisation, their boroughs, whether the
        person is senior and whether they facilitated."""
        cached = getattr(self, "_rows", None)
        if cached is None:
            people, orgs = self.people, self.organisations
            person = np.asarray(self.attendance_person, dtype=object)
            organisation = np.asarray(self.attendance_organisation, dtype=object)
            # look each person and organisation up once, then spread to their rows
            who, person_at, which, org_at = self.coded_rows or (*sorted_codes(person),
                                                                *sorted_codes(organisation))
            role = np.asarray(self.attendance_role, dtype=object)
            who_ids, which_ids = who.tolist(), which.tolist()
            person_borough = column(people, "borough", who_ids, "")
            org_borough = column(orgs, "borough", which_ids, "")
            cached = {
                "person": person, "organisation": organisation,
                "person_borough": np.array(person_borough, dtype=object)[person_at],
                "organisation_borough": np.array(org_borough, dtype=object)[org_at],
                "senior": np.array(list(map(bool, column(people, "senior", who_ids))),
                                   dtype=bool)[person_at],
                "facilitating": (role == "facilitator") | (role == "organiser"),
                "lived": np.array([v != "none" for v in column(people, "lived_experience",
                                                               who_ids, "none")],
                                  dtype=bool)[person_at],
            }
            self._rows = cached
            self._codes = _row_codes(person_borough, org_borough, person_at, which, org_at)
        return cached

    def row_codes(self) -> dict:
        """Per attendance row, integer codes (the same for the same value): ``person``,
        ``organisation`` and their boroughs' (``person_borough``, ``organisation_borough``,
        indexes into ``borough_names``); ``no_organisation`` is the code of an unknown
        organisation (or -1)."""
        self.row_arrays()
        return self._codes

    def session_quarters(self) -> np.ndarray:
        """Each session's quarter, as ``2019-Q3``."""
        months = self.session_dates.astype("datetime64[M]").astype(np.int64)
        return np.array([f"{m // 12 + 1970}-Q{(m % 12) // 3 + 1}" for m in months.tolist()],
                        dtype=object)

    def session_borough_array(self) -> np.ndarray:
        return np.array(self.session_borough, dtype=object)

    def in_window(self, start: date | None, end: date | None) -> np.ndarray:
        """Mask over attendance rows whose session falls in [start, end]."""
        dates = self.session_dates[self.attendance_session]
        mask = np.ones(len(dates), dtype=bool)
        if start is not None:
            mask &= dates >= np.datetime64(start)
        if end is not None:
            mask &= dates <= np.datetime64(end)
        return mask

    def sessions_in_window(self, start: date | None, end: date | None) -> np.ndarray:
        mask = np.ones(len(self.session_ids), dtype=bool)
        if start is not None:
            mask &= self.session_dates >= np.datetime64(start)
        if end is not None:
            mask &= self.session_dates <= np.datetime64(end)
        return mask


def codes_of_rows(ids: list[str], at: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``sorted_codes(ids[at])`` (``""`` for an ``at`` of -1), from ``ids`` already sorted and
    distinct, without looking at a string; None unless every id is used.

    >>> names, at = codes_of_rows(["a", "b"], np.array([1, -1, 1, 0]))
    >>> names.tolist(), at.tolist()
    (['', 'a', 'b'], [2, 0, 2, 1])
    """
    used = np.bincount(at + 1, minlength=len(ids) + 1)
    if not used[1:].all() or (len(ids) and ids[0] == "") or list(ids) != sorted(ids):
        return None
    names = np.array(([""] if used[0] else []) + list(ids), dtype=str)
    return names, (at + 1 if used[0] else at).astype(np.intp)


def _row_codes(person_borough: list[str], org_borough: list[str], person_at: np.ndarray,
               which: np.ndarray, org_at: np.ndarray) -> dict:
    """Integer codes per row, from each distinct person's and organisation's borough (see
    row_codes)."""
    names = sorted({b or "" for b in person_borough + org_borough})
    index = {b: i for i, b in enumerate(names)}
    return {"person": person_at, "organisation": org_at,
            "no_organisation": int(np.searchsorted(which, "")) if "" in which else -1,
            "borough_names": names,
            "person_borough": np.array([index[b or ""] for b in person_borough],
                                       dtype=np.int64)[person_at],
            "organisation_borough": np.array([index[b or ""] for b in org_borough],
                                             dtype=np.int64)[org_at]}


def quarter_numbers(dates: np.ndarray) -> np.ndarray:
    """Each date's quarter as a number (quarters since 1970-Q1), by a table of the days
    between the first and the last date (millions of dates span a few thousand days).

    >>> quarter_numbers(np.array(["1970-03-31", "2019-07-01"], dtype="datetime64[D]")).tolist()
    [0, 198]
    """
    dates = dates.astype("datetime64[D]")
    known = ~np.isnat(dates)
    out = dates.astype("datetime64[M]").astype(np.int64) // 3 if not known.all() else None
    days = dates[known].astype(np.int64)
    if not len(days):
        return out if out is not None else days
    first = int(days.min())
    span = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    numbers = (span.astype("datetime64[M]").astype(np.int64) // 3)[days - first]
    if out is None:
        return numbers
    out[known] = numbers  # an unknown date keeps what numpy makes of it
    return out


def quarter_of(day) -> str:
    day = np.datetime64(day, "D").astype(object)
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_ends(first: date, last: date) -> list[date]:
    """The last day of every quarter from first's to last's."""
    out = []
    year, quarter = first.year, (first.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        end = date(year + (month // 12), month % 12 + 1, 1) if month < 12 else date(year + 1, 1, 1)
        end = date.fromordinal(end.toordinal() - 1)
        out.append(end)
        if end >= last:
            return out
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
