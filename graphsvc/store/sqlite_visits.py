"""The SQLite store's reads of visits: each session's claims as one row (SQLite joins them),
split into the columns of :meth:`Store.attendance_columns`, or coded without a string per
visit (:meth:`Store.attendance_coded`, :mod:`graphsvc.text_codes`). A visit that more than one
import claimed is read again claim by claim and folded by the rules."""

from __future__ import annotations

from itertools import islice
from operator import itemgetter, lt

import numpy as np

from graphsvc.store.base import CodedVisits, coded_visits, kept_codes
from graphsvc.text_codes import code_texts, code_values


def visit_columns(rows: list[tuple], fold) -> tuple[list, list, list, list]:
    """Visits' claims (session, person, organisation, minutes, role), in key order, as the
    columns of :meth:`Store.attendance_columns`: one entry per visit, a visit's claims
    folded by ``fold(first, others)`` where more than one import made one (few do)."""
    if not rows:
        return [], [], [], []
    session, person, organisation, _, role = (list(map(itemgetter(i), rows)) for i in range(5))
    role = [r or "attendee" for r in role]
    keys = [np.array(column, dtype=object) for column in (session, person)]
    repeats = (np.flatnonzero((keys[0][1:] == keys[0][:-1]) & (keys[1][1:] == keys[1][:-1]))
               + 1).tolist()
    if not repeats:
        return session, person, organisation, role
    drop = set(repeats)
    for k in repeats:
        if k - 1 not in drop:
            first = k - 1  # the visit's first claim
        if k + 1 not in drop:  # and k its last
            visit = fold(rows[first], rows[first + 1:k + 1])
            organisation[first], role[first] = visit.organisation_id, visit.role
    return tuple([c for k, c in enumerate(column) if k not in drop]
                  for column in (session, person, organisation, role))


# Each session's visits as one row: its claims' fields joined by a separator that no id holds
# (an id that did hold one would split into more parts than the session has claims, and is
# caught), NULL as a mark of its own (counted against the claims that name none).
SEPARATOR, NONE = "\x1e", "\x1f"  # ASCII's record and unit separators
SESSION_VISITS = (
    "SELECT session_id, count(*), count(organisation_id), group_concat(person_id, char(30)), "
    "group_concat(ifnull(organisation_id, char(31)), char(30)), "
    "group_concat(ifnull(role, ''), char(30)) FROM attendance_claims GROUP BY session_id "
    "ORDER BY session_id")


def session_visit_columns(groups, claims, fold) -> tuple[list, list, list, list]:
    """:func:`visit_columns` of every session's claims, from :data:`SESSION_VISITS`'s rows
    (split here: no row or tuple per visit). A session whose claims are not one per person,
    people in order, (a visit claimed by more than one import) is read again claim by claim,
    ``claims(session_id)``, and folded."""
    session, person, organisation, role = [], [], [], []
    for session_id, count, named, people, organisations, roles in groups:
        people, organisations, roles = (text.split(SEPARATOR)
                                        for text in (people, organisations, roles))
        if not (len(people) == len(organisations) == len(roles) == count
                and organisations.count(NONE) == count - named
                and all(map(lt, people, islice(people, 1, None)))):
            _, people, organisations, roles = visit_columns(claims(session_id), fold)
        elif named < count:
            organisations = [None if o == NONE else o for o in organisations]
        session += [session_id] * len(people)
        person += people
        organisation += organisations
        role += [r or "attendee" for r in roles] if "" in roles else roles
    return session, person, organisation, role


def session_visits_coded(groups, claims, fold) -> CodedVisits:
    """:class:`CodedVisits` of :data:`SESSION_VISITS`'s rows, coded from the joined texts
    (:func:`graphsvc.text_codes.code_texts`). Sessions whose texts are not one visit per
    claim, people in order, are read again with ``claims(session_id)`` and folded; should a
    folded value be one no text held, or the texts not split as counted, everything is read
    the plain way (:func:`session_visit_columns`)."""
    groups = list(groups)
    if not groups:
        return coded_visits(([], [], [], []))
    sessions, count, named, people, organisations, roles = map(list, zip(*groups))
    person, person_ids, person_parts = code_texts(people, SEPARATOR)
    organisation, organisation_ids, organisation_parts = code_texts(organisations, SEPARATOR)
    organisation, organisation_ids, nones = _unknown_as_minus_one(
        organisation, organisation_ids, organisation_parts)
    role, role_names, role_parts = code_texts(roles, SEPARATOR)
    renamed, role_names = code_values([name or "attendee" for name in role_names])
    coded = CodedVisits(sessions, person_parts, person_ids, person, organisation_ids,
                        organisation, role_names, renamed[role])
    count, named = np.array(count), np.array(named)
    unlike = ((person_parts != count) | (organisation_parts != count) | (role_parts != count)
              | (nones != count - named) | _out_of_order(person, person_parts))
    if unlike.any():
        parts = (person_parts, organisation_parts, role_parts)
        refolded = _refolded(coded, parts, np.flatnonzero(unlike),
                             lambda k: visit_columns(claims(sessions[k]), fold))
        if refolded is None:
            return coded_visits(session_visit_columns(groups, claims, fold))
        coded = refolded
    return coded


def _unknown_as_minus_one(codes: np.ndarray, ids: list[str], parts: np.ndarray):
    """Organisation codes with :data:`NONE` as -1 (and out of the ids), and how many each
    text held."""
    if NONE not in ids:
        return codes, ids, np.zeros(len(parts), dtype=np.int64)
    unknown = ids.index(NONE)
    marked = codes == unknown
    starts = np.concatenate([[0], np.cumsum(parts)[:-1]])
    codes = np.where(marked, -1, codes - (codes > unknown)).astype(np.int32)
    nones = np.add.reduceat(marked.astype(np.int64), starts)
    return codes, ids[:unknown] + ids[unknown + 1:], nones


def _out_of_order(person: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Per text, whether its people are not strictly rising (a visit claimed twice)."""
    first = np.zeros(len(person), dtype=bool)  # each text's first visit: a fall into it is none
    first[np.cumsum(parts)[:-1]] = True
    falls = np.flatnonzero((person[1:] <= person[:-1]) & ~first[1:]) + 1
    out = np.zeros(len(parts), dtype=bool)
    out[np.searchsorted(np.cumsum(parts), falls, side="right")] = True
    return out


def _refolded(coded: CodedVisits, parts: tuple, sessions: np.ndarray, folded):
    """``coded`` with these sessions' visits replaced by ``folded(k)``'s columns, coded by
    the distinct values already found (None where one is not among them), then each code
    list kept to the values still used."""
    index = [{value: i for i, value in enumerate(ids)} for ids in
             (coded.person_ids, coded.organisation_ids, coded.role_names)]
    index[1][None] = -1
    replace = []
    for k in sessions.tolist():
        _, people, organisations, roles = folded(k)
        try:
            replace.append([np.array([column[value] for value in values], dtype=np.int32)
                            for column, values in zip(index, (people, organisations, roles))])
        except KeyError:
            return None
    columns = [_spliced(codes, counts, sessions, [r[c] for r in replace])
               for c, (codes, counts) in enumerate(zip(
                   (coded.person, coded.organisation, coded.role), parts))]
    counts = parts[0].copy()
    counts[sessions] = [len(r[0]) for r in replace]
    (person, person_ids), (organisation, organisation_ids), (role, role_names) = (
        kept_codes(codes, ids) for codes, ids in zip(columns, (
            coded.person_ids, coded.organisation_ids, coded.role_names)))
    return CodedVisits(coded.session_ids, counts, person_ids, person, organisation_ids,
                       organisation, role_names, role)


def _spliced(codes: np.ndarray, counts: np.ndarray, sessions: np.ndarray,
             replacements: list[np.ndarray]) -> np.ndarray:
    """``codes`` (``counts[k]`` of text k, in turn) with those of ``sessions`` replaced."""
    ends = np.cumsum(counts)
    pieces, at = [], 0
    for k, replacement in zip(sessions.tolist(), replacements):
        pieces += [codes[at:ends[k] - counts[k]], replacement]
        at = ends[k]
    return np.concatenate([*pieces, codes[at:]]).astype(np.int32)

