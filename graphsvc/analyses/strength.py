"""Borough strength: where partnership working is strong or thin, and why.

For each borough, as of a date and over the active window: who takes part, the ties inside
and beyond the borough, how far ties cross sectors and the statutory/VCSE line, how far people
with lived experience are included, whether the borough's sessions are led locally, and
whether senior leaders take part. A composite index summarises them; its components are always
shown beside it.

The strength index is the mean of six components, each between 0 and 1:

* ``ties_per_organisation``: active organisation ties touching the borough per active
  organisation, divided by the largest such figure among the boroughs;
* ``cross_sector_share``: share of those ties between organisations of different sectors;
* ``statutory_vcse_share``: share of those ties between a statutory and a VCSE organisation;
* ``lived_experience_inclusion``: the mean degree of people with lived experience or caring
  roles over that of everyone else, capped at 1;
* ``local_ownership``: share of the borough's sessions facilitated by people from
  organisations based in the borough;
* ``senior_involvement``: share of active organisations with a senior leader taking part.

Index = 100 x the mean of the components available for the borough.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import scipy.sparse as sp

from graphsvc.analyses.facts import Facts, quarter_ends, quarter_of
from graphsvc.analyses.network import Network, months_before

COMPONENTS = ("ties_per_organisation", "cross_sector_share", "statutory_vcse_share",
              "lived_experience_inclusion", "local_ownership", "senior_involvement")


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
    led = rows & held[facts.attendance_session] & rows_here["facilitating"]
    organisation = rows_here["organisation"]
    return {
        "organisations": len(set(organisation[org_here].tolist()) - {""}),
        "people": len(set(rows_here["person"][person_here].tolist())),
        "sessions": int(held.sum()),
        "senior_organisations": len(set(organisation[org_here & rows_here["senior"]].tolist()) - {""}),
        "sessions_facilitated": len(set(facts.attendance_session[led].tolist())),
        "sessions_led_locally": len(set(facts.attendance_session[
            led & (rows_here["organisation_borough"] == borough)].tolist())),
    }


def borough_strength(orgs: Network, people: Network, facts: Facts, *,
                     as_of: date, window_months: int | None = 18) -> dict:
    """Every borough's strength profile and composite index, as of a date.

    Parameters
    ----------
    orgs, people : Network
        The active organisation and person networks as of ``as_of``.
    facts : Facts
    as_of : date
    window_months : int
        Participation counts cover the same window as the active ties.

    Returns
    -------
    dict with ``boroughs`` (one dict per borough: counts, ties, shares, ``components`` and
    ``index``), ``as_of``, ``window_months`` and the ``method`` (how the index is made).

    References
    ----------
    E. Wenger, R. McDermott and W. M. Snyder, *Cultivating Communities of Practice*, Harvard
    Business School Press, 2002 (the qualities measured); the index is this project's own,
    documented in the module.
    """
    start = months_before(as_of, window_months) if window_months else None
    boroughs = sorted({b for b in orgs.attribute("borough") if b})
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
            "local_ownership": _share(part["sessions_led_locally"], part["sessions_facilitated"]),
            "senior_involvement": _share(part["senior_organisations"], part["organisations"]),
            "ties_per_organisation": _share(touching, part["organisations"]),
        })
    _add_index(rows)
    return {"as_of": as_of.isoformat(), "window_months": window_months,
            "method": __doc__.split("The strength index")[1].strip(), "boroughs": rows}


def _share(part, whole):
    return round(part / whole, 6) if whole else None


def _add_index(rows: list[dict]) -> None:
    best = max((r["ties_per_organisation"] or 0 for r in rows), default=0) or 1
    for r in rows:
        ratio = r["lived_experience"]["degree_ratio"]
        components = {
            "ties_per_organisation": None if r["ties_per_organisation"] is None
            else round(r["ties_per_organisation"] / best, 6),
            "cross_sector_share": r["cross_sector_share"],
            "statutory_vcse_share": r["statutory_vcse_share"],
            "lived_experience_inclusion": None if ratio is None else round(min(ratio, 1.0), 6),
            "local_ownership": r["local_ownership"],
            "senior_involvement": r["senior_involvement"],
        }
        known = [v for v in components.values() if v is not None]
        r["components"] = components
        r["index"] = round(100 * sum(known) / len(known), 2) if known else None


def _quarter_index(dates: np.ndarray) -> np.ndarray:
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months // 3


def borough_trend(orgs_all: Network, facts: Facts, *, first: date, last: date) -> dict:
    """Per borough and quarter: sessions held, organisations and people taking part, and new
    organisation ties (first seen that quarter), all of them and those across sectors.

    ``orgs_all`` is the organisation network without an activity window, so every tie's
    first sighting is known.
    """
    ends = quarter_ends(first, last)
    quarters = [quarter_of(q) for q in ends]
    base = _quarter_index(np.array([ends[0]], dtype="datetime64[D]"))[0]
    count = len(quarters)
    boroughs = sorted({b for b in orgs_all.attribute("borough") if b})
    table = {b: {key: np.zeros(count, dtype=np.int64) for key in
                 ("sessions", "organisations", "people", "new_ties", "new_cross_sector_ties")}
             for b in boroughs}
    session_q = _quarter_index(facts.session_dates) - base
    session_borough = facts.session_borough_array()
    rows = facts.row_arrays()
    row_q = session_q[facts.attendance_session]
    for b in boroughs:
        here = (session_borough == b) & (session_q >= 0) & (session_q < count)
        table[b]["sessions"] = np.bincount(session_q[here], minlength=count)[:count]
        for key, who, where in (("organisations", "organisation", "organisation_borough"),
                                ("people", "person", "person_borough")):
            mask = (rows[where] == b) & (row_q >= 0) & (row_q < count)
            pairs = set(zip(row_q[mask].tolist(), rows[who][mask].tolist()))
            table[b][key] = np.bincount([q for q, _ in pairs], minlength=count)[:count]
    if orgs_all.ties is not None:
        _count_new_ties(orgs_all, boroughs, table, base, count)
    return {"quarters": quarters, "boroughs": {
        b: [{"quarter": q, **{k: int(v[i]) for k, v in cells.items()}}
            for i, q in enumerate(quarters)] for b, cells in table.items()}}


def _count_new_ties(orgs_all: Network, boroughs: list[str], table: dict, base: int,
                    count: int) -> None:
    u, v, edge = orgs_all.tie_ends()
    first_q = _quarter_index(orgs_all.ties.first_seen[edge]) - base
    borough = _codes(orgs_all.attribute("borough"), boroughs)
    cross, _ = orgs_all.crossings(u, v)
    inside = (first_q >= 0) & (first_q < count)
    for b, name in enumerate(boroughs):
        touching = ((borough[u] == b) | (borough[v] == b)) & inside
        table[name]["new_ties"] = np.bincount(first_q[touching], minlength=count)[:count]
        table[name]["new_cross_sector_ties"] = np.bincount(first_q[touching & cross],
                                                           minlength=count)[:count]
