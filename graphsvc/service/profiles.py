"""Profiles: one borough, one organisation or one person, as the web pages and scripts see them.

A borough's strength against the Greater Manchester average, its sector mix, brokers, gaps, ties
to the other boroughs and trend; a node's attributes, strongest ties with the sessions behind
them, and its people or organisations. People appear only if they agreed to be named.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from graphsvc.analyses.gaps import mixing
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS
from graphsvc.errors import NotFound
from graphsvc.model import name_order
from graphsvc.service.cache import Work


def borough_profile(data, analyses, borough: str, *, as_of: date | None = None,
                    window_months: int | None = DEFAULT_WINDOW_MONTHS) -> dict:
    """One borough's page, computed once per database revision."""
    return borough_work(data, analyses, borough, as_of=as_of,
                        window_months=window_months).compute()


def borough_work(data, analyses, borough: str, *, as_of: date | None = None,
                 window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Work:
    """:func:`borough_profile` as :class:`Work`; an unknown borough is refused at once."""
    place = borough_place(data, borough)
    return data.work(("borough", borough.lower(), as_of, window_months),
                     lambda: _borough_profile(data, analyses, place, as_of, window_months))


def borough_place(data, borough: str):
    """The borough of this name or ONS code (any case), else NotFound naming the boroughs."""
    places = {p.name.lower(): p for p in data.read("places") if p.kind == "borough"}
    place = places.get(borough.lower()) or next(
        (p for p in places.values() if p.code == borough), None)
    if place is None:
        raise NotFound(f"no borough {borough!r}; the boroughs are "
                       + ", ".join(sorted(p.name for p in places.values())))
    return place


def _borough_profile(data, analyses, place, as_of: date | None,
                     window_months: int | None) -> dict:
    name = place.name
    strength = analyses.compute("strength", as_of=as_of, window_months=window_months)
    rows = {r["borough"]: r for r in strength["boroughs"]}
    mine = rows[name]
    average = {}
    for key in mine["components"]:
        known = [r["components"][key] for r in rows.values() if r["components"][key] is not None]
        average[key] = sum(known) / len(known) if known else None
    net = data.network("organisations", as_of=as_of, window_months=window_months)
    here = net.select({"borough": name})
    sectors = [s or "Sector not known" for s, h in zip(net.attribute("sector"), here) if h]
    local = _ids(net, here)
    brokers = analyses.compute("brokers", as_of=as_of, window_months=window_months)
    gaps = analyses.compute("gaps", as_of=as_of, window_months=window_months,
                            within=f"borough={name}")
    between = mixing(net, "borough")
    row = between["rows"].index(name) if name in between["rows"] else None
    return {
        "borough": name, "code": place.code, "as_of": strength["as_of"],
        "window_months": window_months, "rule": strength["rule"],
        "strength": mine, "average_components": average,
        "sector_mix": sorted(({"sector": s, "organisations": sectors.count(s)}
                              for s in set(sectors)), key=lambda x: (-x["organisations"],
                                                                     x["sector"])),
        "brokers": _ranked_brokers(brokers["nodes"], local),
        "brokers_ranked": len(brokers["nodes"]),
        "gaps": gaps["gaps"][:5],
        "sector_pairs_judged": _pairs_judged(gaps),
        "ties_to_boroughs": [] if row is None else [
            {"borough": other, "ties": between["observed"][row][j]}
            for j, other in enumerate(between["columns"]) if other and other != name],
        "trend": [dict(q) for q in strength["trend"]["boroughs"].get(name, [])],
    }


def _pairs_judged(gaps: dict) -> int:
    """How many pairs of (known) sectors had enough ties expected to be judged a gap or not."""
    named = sum(1 for name in gaps["matrix"]["rows"] if name)
    return named * (named - 1) // 2 - len(gaps["too_few_to_judge"])


def _ranked_brokers(nodes: list[dict], local: set[str], limit: int = 10) -> list[dict]:
    """The borough's organisations that lie on shortest paths between others (betweenness
    above 0), strongest first, each with its rank among all the region's organisations (1 is
    the highest; equal values share a rank) and its percentile (the share of them with lower
    betweenness), so that small values read against the rest of the region."""
    values = np.sort(np.array([n["betweenness"] or 0.0 for n in nodes], dtype=np.float64))
    out = []
    for node in nodes:
        value = node["betweenness"] or 0.0
        if node["id"] not in local or value <= 0:
            continue
        below = int(np.searchsorted(values, value, side="left"))
        above = len(values) - int(np.searchsorted(values, value, side="right"))
        out.append({**node, "rank": above + 1,
                    "percentile": round(100 * below / len(values), 1)})
        if len(out) == limit:
            break
    return out


def _ids(net, mask: np.ndarray) -> set[str]:
    return {net.node_ids[i] for i in np.flatnonzero(mask)}


def node_profile(data, node_id: str, *, as_of: date | None = None,
                 window_months: int | None = None, ties: int = 25) -> dict:
    """An organisation's or a named person's page: attributes, strongest ties, affiliations."""
    kind = "people" if node_id.startswith("person:") else "organisations"
    attributes = data.node_attributes(kind).get(node_id)
    if attributes is None or (kind == "people" and attributes.get("consent") != "named"):
        raise NotFound(f"no {'named person' if kind == 'people' else 'organisation'} "
                       f"{node_id!r}")
    net = data.network(kind, as_of=as_of, window_months=window_months)
    sessions = data.cached(("sessions by id",), lambda: {s.id: s for s in data.read("sessions")})
    names = net.attribute("name")
    index = net.index()
    strongest = []
    if node_id in index:
        i = index[node_id]
        lo, hi = net.adjacency.indptr[i], net.adjacency.indptr[i + 1]
        for arc in sorted(range(lo, hi), key=lambda a: -net.adjacency.data[a])[:ties]:
            tie = net.tie(arc)
            other = net.adjacency.indices[arc]
            tie["name"] = names[other] or ""
            tie["sessions_behind"] = [
                {"id": s, "title": sessions[s].title, "held_on": sessions[s].held_on.isoformat()}
                for s in tie.pop("session_ids", [])[-5:] if s in sessions]
            strongest.append(tie)
    return {"id": node_id, "kind": kind, "attributes": attributes, "ties": strongest,
            "ties_in_window": int(net.adjacency.indptr[index[node_id] + 1]
                                  - net.adjacency.indptr[index[node_id]])
            if node_id in index else 0,
            "affiliations": _affiliations(data, node_id, kind)}


def _affiliations(data, node_id: str, kind: str) -> list[dict]:
    """An organisation's named people, or a person's organisations."""
    jobs = data.read("employments")
    if kind == "organisations":
        people = data.node_attributes("people")
        return sorted(({"id": j.person_id, "name": people[j.person_id]["name"],
                        "role": j.role} for j in jobs if j.organisation_id == node_id
                       and people.get(j.person_id, {}).get("consent") == "named"),
                      key=lambda x: name_order(x["name"]))
    orgs = data.node_attributes("organisations")
    return [{"id": j.organisation_id, "name": orgs.get(j.organisation_id, {}).get("name", ""),
             "role": j.role} for j in jobs if j.person_id == node_id]
