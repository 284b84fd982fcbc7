"""Node attributes for the tie networks, gathered from the store's facts.

Every attribute can be an analysis's partition: ``sector``, ``borough``, ``type`` (vcse,
statutory, other), ``scope`` (local, regional, national) and ``community`` (the community of
practice a node took part in most) for both networks; people also carry their organisation's
values, their ``consent``, ``lived_experience`` and whether they are ``senior``.
"""

from __future__ import annotations

from graphsvc.store import Store


def _main_community(store: Store, key: str, table=None, only=None) -> dict[str, str]:
    """The community each person (key="person") or organisation took part in most (ties go
    to the community whose name sorts first); of only those ``only`` names, if given."""
    import numpy as np

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
    import numpy as np
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


def organisation_attributes(store: Store, table=None, only=None) -> dict[str, dict]:
    """Every organisation's attributes (or those of the organisations ``only`` names)."""
    places = borough_names(store)
    sectors = {s.id: s.name for s in store.sectors()}
    community = _main_community(store, "organisation", table, only)
    return {
        o.id: {
            "kind": "organisation",
            "name": o.name,
            "sector": sectors.get(o.sector_ids[0], "") if o.sector_ids else "",
            "sectors": ";".join(sectors.get(s, s) for s in o.sector_ids),
            "borough": places.get(o.place_id, ""),
            "scope": o.scope,
            "type": o.type,
            "community": community.get(o.id, ""),
        }
        for o in store.organisations() if only is None or o.id in only
    }


def people_attributes(store: Store, organisations: dict[str, dict] | None = None,
                      table=None, only=None) -> dict[str, dict]:
    """Everyone's attributes (or those of the people ``only`` names); only people who
    consented to be named carry their name."""
    organisations = organisations or organisation_attributes(store, table)
    places = borough_names(store)
    employer: dict[str, str] = {}  # each person's first job's organisation
    senior: set[str] = set()
    for job in store.employments():
        if only is None or job.person_id in only:
            employer.setdefault(job.person_id, job.organisation_id)
            if job.seniority == "senior":
                senior.add(job.person_id)
    community = _main_community(store, "person", table, only)
    out = {}
    for person in store.people():
        if only is not None and person.id not in only:
            continue
        works_at = employer.get(person.id)
        org = organisations.get(works_at, {}) if works_at is not None else {}
        out[person.id] = {
            "kind": "person",
            "name": person.name if person.consent == "named" else "",
            "consent": person.consent,
            "lived_experience": person.lived_experience,
            "organisation": org.get("name", ""),
            "organisation_id": works_at if works_at is not None else "",
            "senior": person.id in senior,
            "sector": org.get("sector", "") or ("Lived experience"
                                               if person.lived_experience != "none" else ""),
            "borough": places.get(person.place_id, "") or org.get("borough", ""),
            "type": org.get("type", ""),
            "scope": org.get("scope", ""),
            "community": community.get(person.id, ""),
        }
    return out
