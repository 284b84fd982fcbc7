"""Node attributes for the tie networks, gathered from the store's facts.

Every attribute can be an analysis's partition: ``sector``, ``borough``, ``type`` (vcse,
statutory, other), ``scope`` (local, regional, national) and ``community`` (the community of
practice a node took part in most) for both networks; people also carry their organisation's
values, their ``consent``, ``lived_experience`` and whether they are ``senior``.

A region has hundreds of thousands of people, and the networks take their attributes as
columns (:class:`NodeAttributes`): they are gathered as columns too, never as a dict per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from graphsvc.store import Store


class NodeAttributes(Mapping):
    """Node id -> its attributes (a dict made when asked for), held as one list per attribute
    in the order of ``ids``."""

    def __init__(self, ids: list[str], columns: dict[str, list]):
        self.ids = ids
        self.columns = columns
        self._at = None

    @classmethod
    def of(cls, nodes: Mapping[str, dict]) -> NodeAttributes:
        """``nodes`` as columns: as they are if held so, else from a dict per node (None where
        a node lacks an attribute another has)."""
        if isinstance(nodes, NodeAttributes):
            return nodes
        found = list(nodes.values())
        return cls(list(nodes), {name: [a.get(name) for a in found]
                                 for name in sorted(set().union(*found))})

    def position(self) -> dict[str, int]:
        """Each node's place in ``ids``."""
        if self._at is None:
            self._at = dict(zip(self.ids, range(len(self.ids))))
        return self._at

    def __getitem__(self, node_id: str) -> dict:
        i = self.position()[node_id]
        return {name: column[i] for name, column in self.columns.items()}

    def __contains__(self, node_id) -> bool:
        return node_id in self.position()

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, node_ids: Iterable) -> np.ndarray:
        """Each of ``node_ids``' place in ``ids`` (-1 for one not held)."""
        return np.fromiter(map(self.position().get, node_ids, repeat(-1)), dtype=np.intp)

    def column(self, name: str, node_ids: Iterable, default=None) -> list:
        """The attribute ``name`` of each of ``node_ids`` (``default`` for one not held)."""
        return self.taken(name, self.positions(node_ids), default)

    def taken(self, name: str, positions: np.ndarray, default=None) -> list:
        """The attribute ``name`` of the nodes at ``positions`` (``default`` at -1)."""
        values = np.empty(len(self.ids) + 1, dtype=object)
        values[:-1] = self.columns[name]
        values[-1] = default
        return values[positions].tolist()

    def in_order(self, node_ids: list[str]) -> dict[str, list]:
        """Every attribute as a list in the order of ``node_ids`` (None for a node not held),
        by name in name order."""
        names = sorted(self.columns)
        if not self.ids:  # none held: every attribute still named, None for each node
            return {name: [None] * len(node_ids) for name in names}
        if node_ids == self.ids:
            return {name: list(self.columns[name]) for name in names}
        positions = self.positions(node_ids)
        return {name: self.taken(name, positions) for name in names}

    def patched(self, touched: set[str], again: NodeAttributes) -> NodeAttributes:
        """These attributes with the ``touched`` nodes' worked out ``again`` (a touched node
        that ``again`` lacks is gone); in id order, as a store reads them, when a node is
        new."""
        at, again_at = self.position(), again.position()
        gone = touched - again_at.keys()
        new = any(node not in at for node in again.ids)
        if not gone and not new:  # the usual: a few held nodes changed
            columns = {name: list(values) for name, values in self.columns.items()}
            for node, j in again_at.items():
                for name, values in columns.items():
                    values[at[node]] = again.columns[name][j]
            out = NodeAttributes(self.ids, columns)
            out._at = at
            return out
        ids = [node for node in self.ids if node not in gone] if gone else self.ids
        if new:
            ids = sorted({*ids, *again.ids})
        source = [(again, again_at[node]) if node in again_at else (self, at[node])
                  for node in ids]
        return NodeAttributes(list(ids), {name: [held.columns[name][i] for held, i in source]
                                          for name in self.columns})


def column(nodes: Mapping[str, dict], name: str, node_ids: Iterable, default=None) -> list:
    """The attribute ``name`` of each of ``node_ids`` (``default`` for one not held, or
    lacking it), of attributes held either way."""
    if isinstance(nodes, NodeAttributes):
        return nodes.column(name, node_ids, default)
    return [nodes.get(node, {}).get(name, default) for node in node_ids]


def _main_community(store: Store, key: str, table=None, only=None) -> dict[str, str]:
    """The community each person (key="person") or organisation took part in most (ties go
    to the community whose name sorts first); of only those ``only`` names, if given."""
    from graphsvc.ties import AttendanceTable

    table = table or AttendanceTable.from_records(store.sessions(), store.attendance())
    names = {c.id: c.name for c in store.communities()}
    by_session = {s.id: names.get(s.community_id, "") for s in store.sessions()}
    labels = sorted(set(by_session.values()))
    community = np.searchsorted(labels, np.array([by_session[s] for s in table.session_ids],
                                                 dtype=object))[table.session]
    node = table.person if key == "person" else table.organisation
    ids = table.person_ids if key == "person" else table.organisation_ids
    keep = node >= 0
    if only is not None:
        keep &= np.isin(node, [i for i, node_id in enumerate(ids) if node_id in only])
    return _most_attended(node[keep], community[keep], ids, labels)


def _most_attended(node, community, ids: list[str], labels: list[str]) -> dict[str, str]:
    """Each node's most frequent community (the first label of those tied), counted in a
    sparse node-by-label matrix: its rows' largest counts, and where each first appears."""
    import scipy.sparse as sp

    counts = sp.csr_matrix((np.ones(len(node)), (node, community)),
                           shape=(len(ids), max(len(labels), 1)))
    counts.sum_duplicates()  # and each row's labels in order
    sizes = np.diff(counts.indptr)
    rows = np.flatnonzero(sizes)
    if not len(rows):
        return {}
    starts = counts.indptr[rows]
    most = np.maximum.reduceat(counts.data, starts)
    place = np.arange(counts.nnz)
    first = np.minimum.reduceat(np.where(counts.data == np.repeat(most, sizes[rows]), place,
                                         counts.nnz), starts)
    return {ids[n]: labels[c] for n, c in zip(rows.tolist(), counts.indices[first].tolist())}


def borough_names(store: Store) -> dict[str, str]:
    """Place id -> the name of the borough it is in (a ward's borough is its parent)."""
    places = {p.id: p for p in store.places()}
    out = {}
    for place in places.values():
        if place.kind == "borough":
            out[place.id] = place.name
        elif place.kind == "ward" and place.parent_id in places:
            out[place.id] = places[place.parent_id].name
    return out


def organisation_attributes(store: Store, table=None, only=None) -> NodeAttributes:
    """Every organisation's attributes (or those of the organisations ``only`` names)."""
    places = borough_names(store)
    sectors = {s.id: s.name for s in store.sectors()}
    community = _main_community(store, "organisation", table, only)
    orgs = [o for o in store.organisations() if only is None or o.id in only]
    ids = [o.id for o in orgs]
    return NodeAttributes(ids, {
        "kind": ["organisation"] * len(ids),
        "name": [o.name for o in orgs],
        "sector": [sectors.get(o.sector_ids[0], "") if o.sector_ids else "" for o in orgs],
        "sectors": [";".join(sectors.get(s, s) for s in o.sector_ids) for o in orgs],
        "borough": [places.get(o.place_id, "") for o in orgs],
        "scope": [o.scope for o in orgs],
        "type": [o.type for o in orgs],
        "community": [community.get(node, "") for node in ids],
    })


def people_attributes(store: Store, organisations: NodeAttributes | None = None,
                      table=None, only=None) -> NodeAttributes:
    """Everyone's attributes (or those of the people ``only`` names); only people who
    consented to be named carry their name. A person takes their first job's organisation's
    values."""
    organisations = organisations or organisation_attributes(store, table)
    places = borough_names(store)
    employer, senior = _jobs(store.employments(), only)
    community = _main_community(store, "person", table, only)
    people = [p for p in store.people() if only is None or p.id in only]
    ids = [p.id for p in people]
    works_at = list(map(employer.get, ids))
    employers = organisations.positions(works_at)

    def of_employer(name: str) -> list:
        return organisations.taken(name, employers, "")

    lived = [p.lived_experience for p in people]
    return NodeAttributes(ids, {
        "kind": ["person"] * len(ids),
        "name": [p.name if p.consent == "named" else "" for p in people],
        "consent": [p.consent for p in people],
        "lived_experience": lived,
        "organisation": of_employer("name"),
        "organisation_id": ["" if at is None else at for at in works_at],
        "senior": [node in senior for node in ids],
        "sector": [sector or ("Lived experience" if experience != "none" else "")
                   for sector, experience in zip(of_employer("sector"), lived)],
        "borough": [places.get(p.place_id, "") or borough
                    for p, borough in zip(people, of_employer("borough"))],
        "type": of_employer("type"),
        "scope": of_employer("scope"),
        "community": [community.get(node, "") for node in ids],
    })


def _jobs(employments, only) -> tuple[dict[str, str], set[str]]:
    """Each person's first job's organisation, and who holds a senior job (of those ``only``
    names)."""
    employer: dict[str, str] = {}
    senior: set[str] = set()
    for job in employments:
        if only is None or job.person_id in only:
            employer.setdefault(job.person_id, job.organisation_id)
            if job.seniority == "senior":
                senior.add(job.person_id)
    return employer, senior
