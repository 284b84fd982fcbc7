"""Node attributes carried from one revision to the next along the chain of witnessed imports
(:mod:`graphsvc.service.carried`), worked out again only for the nodes that can have changed.

An import that only adds sessions changes a node's attributes only if it claims the node
(a person, their job, an organisation), if the node attended a new session (the community
a node took part in most), or, for a person, if it claims their organisation. Anything that
names every node's attributes at once (a place, a sector or a community read differently)
breaks the chain, as does anything that breaks the table's: the attributes are then worked
out afresh.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from graphsvc.attributes import NodeAttributes
from graphsvc.service.carried import Carried
from graphsvc.ties import AttendanceTable

EVERYONE_PARTS = ("places", "sectors", "communities")  # reads every node's attributes use


def attributes(carried: Carried, revision: int, network: str, *, table: AttendanceTable,
               reads, full: Callable[[], NodeAttributes],
               some: Callable[[set[str]], NodeAttributes],
               current: Callable[[], int]) -> NodeAttributes:
    """The node attributes of ``network`` at ``revision``: those of the last revision held,
    with the nodes that can have changed worked out again (``some``), or ``full()``."""
    shared = tuple(getattr(reads, part)() for part in EVERYONE_PARTS)
    with carried.lock:
        chain = carried.chain(revision, lambda at: (at, network) in carried.nodes)
        base = carried.nodes.get((chain[0], network)) if chain else None
        step = _step(carried, chain[0], revision, table) if base is not None else None
    touched = None
    if step is not None:
        new_sessions = set(table.session_ids) - set(step[0].session_ids)
        if _same_for_everyone(base[1], shared, reads.sessions(), new_sessions):
            touched = _touched(network, table, new_sessions, step[1], reads)
    if touched is None:
        out, how = full(), "full"
    else:
        out, how = base[0].patched(touched, some(touched)), "carried"
    if current() == revision:
        with carried.lock:
            carried.nodes[(revision, network)] = (out, shared)
            carried.last_nodes = how
            for key in [k for k in carried.nodes if k[1] == network and k[0] < revision]:
                del carried.nodes[key]
    return out


def _step(carried: Carried, base: int, revision: int, table: AttendanceTable):
    """The table at ``base`` and what the imports since claimed, when every import since
    only added sessions (else None)."""
    old = carried.tables.get(base)
    claims = carried.claims_since(base, revision)
    additive = all(at in carried.carried_tables for at in range(base + 1, revision + 1))
    if old is None or claims is None or not additive or carried.tables.get(revision) is not table:
        return None
    return old, claims


def _same_for_everyone(before: tuple, after: tuple, sessions: list, new_sessions: set[str]):
    """Whether the places, sectors and communities read the same for every node held before:
    the same, but for communities only new sessions meet in."""
    (places, sectors, communities), (places_now, sectors_now, communities_now) = before, after
    if places != places_now or sectors != sectors_now:
        return False
    old = {c.id: c for c in communities}
    now = {c.id: c for c in communities_now}
    added = set(now) - set(old)
    return (all(now.get(i) == c for i, c in old.items())
            and not any(s.community_id in added for s in sessions if s.id not in new_sessions))


def _touched(network: str, table: AttendanceTable, new_sessions: set[str],
             claims: dict[str, frozenset[str]], reads) -> set[str]:
    """The nodes whose attributes the new sessions and the claims can have changed."""
    new = [i for i, sid in enumerate(table.session_ids) if sid in new_sessions]
    rows = np.isin(table.session, new)
    if network == "organisations":
        attending = table.organisation[rows]
        ids = table.organisation_ids
        return {ids[i] for i in np.unique(attending[attending >= 0]).tolist()} | set(
            claims.get("organisations", ()))
    employed = claims.get("organisations", frozenset())
    return ({table.person_ids[i] for i in np.unique(table.person[rows]).tolist()}
            | set(claims.get("people", ())) | set(claims.get("employments", ()))
            | {job.person_id for job in reads.employments() if job.organisation_id in employed})
