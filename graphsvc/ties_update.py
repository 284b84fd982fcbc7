"""A projection carried forward: the attendance table and tie networks after an import that
only added sessions, from those before it and the new sessions' attendance, without projecting
everything again.

The result is the one :func:`graphsvc.ties.project` gives on the whole new table, entry for
entry (tests/graphsvc/test_ties_update.py checks it on random stores): people and
organisations are numbered in id order and sessions in date order, so newcomers are inserted
without reordering anyone, the old ties keep their order, and each new session's pairs are
merged in. A tie a new session touches has its weight summed again over its sessions in
session order, the order the full projection's product adds them in, so the floating-point
sums agree too.

Only whole-history projections (no fading, a window open at the start) are carried forward:
a new session changes nothing but its own pairs there.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

import numpy as np

from graphsvc.model import Attendance, Session
from graphsvc.ties import (AttendanceTable, ProjectionRule, TieNetwork, _first_sessions,
                           _incidence, session_weights)


class NotAdditive(ValueError):
    """The change is not only new sessions: project afresh."""


def extend_table(table: AttendanceTable, sessions: Sequence[Session],
                 rows: Sequence[Attendance]) -> AttendanceTable:
    """``table`` with the attendance ``rows`` of new sessions added; ``sessions`` are all the
    sessions now held (the old ones unchanged)."""
    ordered = sorted(sessions, key=lambda s: (s.held_on, s.id))
    session_ids = [s.id for s in ordered]
    dates = np.array([s.held_on for s in ordered], dtype="datetime64[D]")
    where = {sid: i for i, sid in enumerate(session_ids)}
    session_map = _mapping(table.session_ids, where)
    if not np.array_equal(dates[session_map], table.session_dates):
        raise NotAdditive("a session's date changed")
    old = set(table.session_ids)
    if any(r.session_id in old or r.session_id not in where for r in rows):
        raise NotAdditive("attendance of a session held before")
    person_ids = sorted(set(table.person_ids) | {r.person_id for r in rows})
    organisation_ids = sorted(set(table.organisation_ids)
                              | {r.organisation_id for r in rows if r.organisation_id})
    people = {p: i for i, p in enumerate(person_ids)}
    orgs = {o: i for i, o in enumerate(organisation_ids)}
    at = _insertion_points(table, [r.session_id for r in rows])
    org_map = np.r_[_mapping(table.organisation_ids, orgs), -1].astype(np.int32)
    return AttendanceTable(
        session_ids=session_ids, session_dates=dates, person_ids=person_ids,
        organisation_ids=organisation_ids,
        session=np.insert(session_map[table.session], at,
                          [where[r.session_id] for r in rows]).astype(np.int32),
        person=np.insert(_mapping(table.person_ids, people)[table.person], at,
                         [people[r.person_id] for r in rows]).astype(np.int32),
        organisation=np.insert(org_map[table.organisation], at,
                               [orgs[r.organisation_id] if r.organisation_id else -1
                                for r in rows]).astype(np.int32),
        role=np.insert(_roles(table), at, np.array([r.role for r in rows], dtype=object)),
    )


def _mapping(ids: Sequence[str], index: dict[str, int]) -> np.ndarray:
    return np.fromiter((index[i] for i in ids), dtype=np.int64, count=len(ids))


def _roles(table: AttendanceTable) -> np.ndarray:
    return table.role if table.role is not None else np.full(len(table.session), None, object)


def _insertion_points(table: AttendanceTable, row_sessions: list[str]) -> np.ndarray:
    """Where each new row goes among the old ones, which a store reads in (session id,
    person id) order: after every old row of a session whose id sorts first."""
    by_id = np.argsort(np.array(table.session_ids, dtype=object)).astype(np.int64)
    sorted_ids = np.array(table.session_ids, dtype=object)[by_id]
    rows_by_id = np.bincount(table.session, minlength=len(table.session_ids))[by_id]
    before = np.r_[0, np.cumsum(rows_by_id)]
    if not row_sessions:
        return np.zeros(0, dtype=np.int64)
    return before[np.searchsorted(sorted_ids, np.array(row_sessions, dtype=object))]


def extend_ties(ties: TieNetwork, old: AttendanceTable, table: AttendanceTable,
                rule: ProjectionRule) -> TieNetwork:
    """The whole-history tie network of ``table`` (``old`` plus new sessions), from ``ties``,
    the whole-history network of ``old``."""
    if ties.half_life_days or ties.window[0] is not None:
        raise NotAdditive("only whole-history projections are carried forward")
    network = ties.network
    node_ids, incidence, weights = _session_weights(table, network, rule)
    latest = table.session_dates.max().astype(object)
    n = len(node_ids)
    node_map = _mapping(ties.node_ids, {v: i for i, v in enumerate(node_ids)})
    session_map = _mapping(old.session_ids, {s: i for i, s in enumerate(table.session_ids)})
    # (mostly nobody new, and sessions later than all held: the old numbers stand)
    keys = (_renumbered(node_map, ties.source).astype(np.int64) * n
            + _renumbered(node_map, ties.target))
    behind = _renumbered(session_map, ties._behind)
    new_keys, new_sessions = _new_pairs(incidence, weights, set(session_map.tolist()), n)
    keys, indptr, behind, gaps = _merge(keys, ties._behind_indptr, behind, new_keys,
                                        new_sessions)
    weight = _refold(np.insert(ties.weight, gaps, 0.0), keys, np.unique(new_keys), indptr,
                     behind, weights)
    return TieNetwork(
        network=network, node_ids=list(node_ids), source=(keys // n).astype(np.int32),
        target=(keys % n).astype(np.int32), weight=weight,
        shared_sessions=np.diff(indptr).astype(np.int32),
        first_seen=table.session_dates[behind[indptr[:-1]]],
        last_seen=table.session_dates[behind[indptr[1:] - 1]],
        session_ids=table.session_ids, rule=rule, window=(None, latest), as_of=latest,
        node_first_seen=_first_sessions(incidence, table.session_dates),
        _behind_indptr=indptr, _behind=behind.astype(np.int32, copy=False),
    )


def _renumbered(mapping: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """``mapping[numbers]``, or ``numbers`` themselves when the mapping keeps every number."""
    if np.array_equal(mapping, np.arange(len(mapping))):
        return numbers
    return mapping[numbers]


def as_it_stood(ties: TieNetwork, table: AttendanceTable, day: date,
                rule: ProjectionRule) -> TieNetwork:
    """The tie network of the sessions held by ``day`` (what :func:`project` gives with
    ``window=(None, day)``), from ``ties``, the whole-history network of ``table``: each
    tie keeps the sessions behind it up to then (those are the first ones: sessions go in
    date order), and its weight is summed again over them in session order, as the full
    product sums them; a tie with none is left out."""
    if ties.half_life_days or ties.window[0] is not None or ties.session_ids != table.session_ids:
        raise NotAdditive("only a whole-history projection of this table is cut back")
    node_ids, incidence, weights = _session_weights(table, ties.network, rule)
    held = int(np.searchsorted(table.session_dates, np.datetime64(day), side="right"))
    entry = ties._behind < held  # per session behind a tie: held by the day
    tie = np.repeat(np.arange(len(ties)), np.diff(ties._behind_indptr))[entry]
    behind = ties._behind[entry]
    counts = np.bincount(tie, minlength=len(ties))
    # bincount adds each tie's entries one by one in their order: the product's sum
    weight = np.bincount(tie, weights=weights[behind], minlength=len(ties)).astype(np.float64)
    kept = counts > 0
    indptr = np.concatenate(([0], np.cumsum(counts[kept]))).astype(np.int64)
    return TieNetwork(
        network=ties.network, node_ids=list(node_ids), source=ties.source[kept],
        target=ties.target[kept], weight=weight[kept],
        shared_sessions=counts[kept].astype(np.int32), first_seen=ties.first_seen[kept],
        last_seen=table.session_dates[behind[indptr[1:] - 1]],
        session_ids=table.session_ids, rule=rule, window=(None, day),
        as_of=table.session_dates.max().astype(object),
        node_first_seen=_first_sessions(incidence, table.session_dates),
        _behind_indptr=indptr, _behind=behind.astype(np.int32, copy=False),
    )


def _session_weights(table: AttendanceTable, network: str, rule: ProjectionRule):
    """A network's node ids, its session-by-node incidence, and what each session adds to a
    tie over the whole history (as :func:`project` works them out)."""
    if network == "people":
        node_ids, rows, cols = table.person_ids, table.session, table.person
    else:
        known = table.organisation >= 0
        node_ids = table.organisation_ids
        rows, cols = table.session[known], table.organisation[known]
    latest = table.session_dates.max().astype(object)
    incidence = _incidence(rows, cols, len(table.session_ids), len(node_ids))
    weights = session_weights(table, np.diff(incidence.indptr), rule, (None, latest), None,
                              latest)
    return node_ids, incidence, weights


def _new_pairs(incidence, weights: np.ndarray, old_sessions: set[int], n: int):
    """Each pair of nodes at a new session that makes ties, as (key, session), key order."""
    keys, sessions = [], []
    for s in range(incidence.shape[0]):
        if s in old_sessions or weights[s] <= 0:
            continue
        members = incidence.indices[incidence.indptr[s]:incidence.indptr[s + 1]]
        i, j = np.triu_indices(len(members), k=1)
        keys.append(members[i].astype(np.int64) * n + members[j])
        sessions.append(np.full(len(i), s, dtype=np.int64))
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys_all, sessions_all = np.concatenate(keys), np.concatenate(sessions)
    order = np.lexsort((sessions_all, keys_all))
    return keys_all[order], sessions_all[order]


def _merge(keys: np.ndarray, indptr: np.ndarray, behind: np.ndarray,
           new_keys: np.ndarray, new_sessions: np.ndarray):
    """Ties (sorted keys, sessions behind each) with new (key, session) entries merged in."""
    # (membership by binary search: the new entries are few, the ties millions)
    edge = np.searchsorted(keys, new_keys)  # the old tie, or where the new one goes
    held = np.zeros(len(new_keys), dtype=bool)
    inside = edge < len(keys)
    held[inside] = keys[edge[inside]] == new_keys[inside]
    fresh = np.unique(new_keys[~held])
    gaps = np.searchsorted(keys, fresh)  # where the new ties go among the old
    merged = np.insert(keys, gaps, fresh)
    # each new entry goes after the sessions behind its tie that are older (smaller index)
    lengths = np.diff(indptr)
    at = indptr[edge].copy()
    for k in np.flatnonzero(held):
        e = edge[k]
        at[k] += np.searchsorted(behind[indptr[e]:indptr[e + 1]], new_sessions[k])
    # entries come in (tie, session) order, so ``at`` never decreases: inserted as they come
    behind = np.insert(behind, at, new_sessions)
    counts = np.insert(lengths, gaps, 0)
    np.add.at(counts, np.searchsorted(merged, new_keys), 1)
    return merged, np.concatenate(([0], np.cumsum(counts))).astype(np.int64), behind, gaps


def _refold(weight: np.ndarray, keys: np.ndarray, touched: np.ndarray, indptr: np.ndarray,
            behind: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The merged ties' weights (``weight``: the old ones, 0 for new ties): those a new session
    touched summed again over their sessions one by one in session order, as the full
    product sums them, so that the floating-point sums agree."""
    for e in np.searchsorted(keys, touched):
        total = 0.0
        for s in behind[indptr[e]:indptr[e + 1]]:
            total += float(weights[s])
        weight[e] = total
    return weight
