"""Borough strength: where partnership working is strong or thin, and why.

For each borough, as of a date and over the active window: who takes part and how often, the
ties inside and beyond the borough, how far ties cross sectors and the statutory/VCSE line,
how far people with lived experience are included, whether the sessions the borough's people
attend are led locally, and whether senior leaders take part. A composite index summarises
them, its components always shown beside it with a sentence saying what puts the borough
where it is (:mod:`graphsvc.analyses.strength_index`).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import scipy.sparse as sp

from graphsvc.analyses.facts import Facts
from graphsvc.analyses.network import Network, months_before
from graphsvc.analyses.strength_index import METHOD, add_index, add_reasons


def _codes(values: list, names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    return np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=len(values))


def _ties_by_borough(orgs: Network, boroughs: list[str]) -> dict[str, dict]:
    u, v, _ = orgs.tie_ends()
    borough = _codes(orgs.attribute("borough"), boroughs)
    cross, stat_vcse = orgs.crossings(u, v)
    same = borough[u] == borough[v]
    out = {}
    for b, name in enumerate(boroughs):
        touching = (borough[u] == b) | (borough[v] == b)
        out[name] = {"inside": int((touching & same).sum()),
                     "to_other_boroughs": int((touching & ~same).sum()),
                     "cross_sector": int((touching & cross).sum()),
                     "statutory_vcse": int((touching & stat_vcse).sum())}
    return out


def _lived_experience(people: Network, borough: str) -> dict:
    mine = people.select({"borough": borough}) if borough else np.zeros(people.n, dtype=bool)
    lived = ~people.select({"lived_experience": "none|"})
    degree = np.diff(people.adjacency.indptr)
    active = mine & (degree > 0)
    if not active.any():
        return {"lived_experience_people": 0, "share_of_people": None, "degree_ratio": None,
                "share_of_ties": None}
    others = active & ~lived
    mean_lived = degree[active & lived].mean() if (active & lived).any() else 0.0
    mean_others = degree[others].mean() if others.any() else 0.0
    upper = sp.triu(people.adjacency, k=1).tocoo()
    touching = active[upper.row] | active[upper.col]
    with_lived = touching & (lived[upper.row] | lived[upper.col])
    return {
        "lived_experience_people": int((active & lived).sum()),
        "share_of_people": round(float((active & lived).sum() / active.sum()), 6),
        "degree_ratio": round(float(mean_lived / mean_others), 6) if mean_others else None,
        "share_of_ties": round(float(with_lived.sum() / touching.sum()), 6) if touching.any() else None,
    }


def _participation(facts: Facts, borough: str, start: date | None, end: date) -> dict:
    rows = facts.in_window(start, end)
    rows_here = facts.row_arrays()
    held = facts.sessions_in_window(start, end) & (facts.session_borough_array() == borough)
    org_here = rows & (rows_here["organisation_borough"] == borough)
    person_here = rows & (rows_here["person_borough"] == borough)
    from_here = org_here | person_here
    organisation, session = rows_here["organisation"], facts.attendance_session
    people = len(set(rows_here["person"][person_here].tolist()))
    return {
        "organisations": len(set(organisation[org_here].tolist()) - {""}),
        "people": people,
        "sessions": int(held.sum()),
        "sessions_attended": len(set(session[from_here].tolist())),
        "senior_organisations": len(set(organisation[org_here & rows_here["senior"]].tolist()) - {""}),
        "sessions_led_locally": len(set(session[from_here & rows_here["facilitating"]].tolist())),
        # a person attends a session once (one row each)
        "attendance_per_person": _share(int(person_here.sum()), people),
    }


def borough_strength(orgs: Network, people: Network, facts: Facts, *,
                     as_of: date, window_months: int | None = 18,
                     boroughs: list[str] | None = None) -> dict:
    """Every borough's strength profile and composite index, as of a date.

    Parameters
    ----------
    orgs, people : Network
        The active organisation and person networks as of ``as_of``.
    facts : Facts
    as_of : date
    window_months : int
        Participation counts cover the same window as the active ties.
    boroughs : list of str, optional
        The region's boroughs, so that one with nobody taking part yet has its row too;
        those of the organisations are always included.

    Returns
    -------
    dict with ``boroughs`` (one dict per borough: counts, ties, shares, the measures, their
    ``components`` on the index's scale, ``missing``, ``index`` and ``why``), ``as_of``,
    ``window_months`` and the ``method`` (how the index is made).

    References
    ----------
    E. Wenger, R. McDermott and W. M. Snyder, *Cultivating Communities of Practice*, Harvard
    Business School Press, 2002 (the qualities measured); the index is this project's own,
    documented in :mod:`graphsvc.analyses.strength_index`.
    """
    start = months_before(as_of, window_months) if window_months else None
    boroughs = sorted({b for b in orgs.attribute("borough") if b} | set(boroughs or ()))
    ties = _ties_by_borough(orgs, boroughs)
    rows = []
    for b in boroughs:
        part = _participation(facts, b, start, as_of)
        t = ties[b]
        touching = t["inside"] + t["to_other_boroughs"]
        lived = _lived_experience(people, b)
        rows.append({
            "borough": b, **part, "ties_inside": t["inside"],
            "ties_to_other_boroughs": t["to_other_boroughs"],
            "cross_sector_share": _share(t["cross_sector"], touching),
            "statutory_vcse_ties": t["statutory_vcse"],
            "statutory_vcse_share": _share(t["statutory_vcse"], touching),
            "lived_experience": lived,
            "local_ownership": _share(part["sessions_led_locally"], part["sessions_attended"]),
            "senior_involvement": _share(part["senior_organisations"], part["organisations"]),
            "ties_per_organisation": _share(touching, part["organisations"]),
        })
    add_index(rows)
    add_reasons(rows)
    return {"as_of": as_of.isoformat(), "window_months": window_months, "method": METHOD,
            "boroughs": rows}


def _share(part, whole):
    return round(part / whole, 6) if whole else None
