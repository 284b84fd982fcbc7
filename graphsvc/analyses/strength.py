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

from graphsvc.analyses.counting import codes, distinct, touching
from graphsvc.analyses.facts import Facts
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, Network, months_before
from graphsvc.analyses.strength_index import METHOD, add_index, add_reasons


def _ties_by_borough(orgs: Network, boroughs: list[str]) -> dict[str, dict]:
    u, v, _ = orgs.tie_ends()
    borough = codes(orgs.attribute("borough"), boroughs)
    cross, stat_vcse = orgs.crossings(u, v)
    same = borough[u] == borough[v]
    counts = {key: touching(borough[u], borough[v], mask, len(boroughs)) for key, mask in
              (("inside", same), ("to_other_boroughs", ~same), ("cross_sector", cross),
               ("statutory_vcse", stat_vcse))}
    return {name: {key: int(c[b]) for key, c in counts.items()}
            for b, name in enumerate(boroughs)}


def _lived_experience(people: Network, boroughs: list[str]) -> list[dict]:
    """Per borough: its active people with lived experience (or carers), their share, their
    mean degree against the others', and the share of the borough's ties they are in."""
    count = len(boroughs)
    borough = codes(people._lowered("borough"), [b.lower() for b in boroughs])
    lived = ~people.select({"lived_experience": "none|"})
    degree = np.diff(people.adjacency.indptr)
    active = (degree > 0) & (borough >= 0)
    sums = {name: np.bincount(borough[active & mask], weights=weights[active & mask],
                              minlength=count)[:count]
            for name, mask, weights in (("lived", lived, np.ones(people.n)),
                                        ("others", ~lived, np.ones(people.n)),
                                        ("lived_degree", lived, degree.astype(np.float64)),
                                        ("others_degree", ~lived, degree.astype(np.float64)))}
    upper = sp.triu(people.adjacency, k=1).tocoo()
    bu, bv = borough[upper.row], borough[upper.col]
    all_ties = touching(bu, bv, np.ones(len(bu), dtype=bool), count)
    with_lived = touching(bu, bv, lived[upper.row] | lived[upper.col], count)
    return [_lived_row(sums, all_ties, with_lived, b) for b in range(count)]


def _lived_row(sums: dict, all_ties: np.ndarray, with_lived: np.ndarray, b: int) -> dict:
    lived, others = int(sums["lived"][b]), int(sums["others"][b])
    if not lived + others:
        return {"lived_experience_people": 0, "share_of_people": None, "degree_ratio": None,
                "share_of_ties": None}
    mean_lived = sums["lived_degree"][b] / lived if lived else 0.0
    mean_others = sums["others_degree"][b] / others if others else 0.0
    return {
        "lived_experience_people": lived,
        "share_of_people": round(float(lived / (lived + others)), 6),
        "degree_ratio": round(float(mean_lived / mean_others), 6) if mean_others else None,
        "share_of_ties": (round(float(with_lived[b] / all_ties[b]), 6) if all_ties[b]
                          else None),
    }


def _participation(facts: Facts, boroughs: list[str], start: date | None,
                   end: date) -> list[dict]:
    """Per borough: who takes part and how often, in the window."""
    count = len(boroughs)
    rows, coded = facts.row_arrays(), facts.row_codes()
    window = facts.in_window(start, end)
    mine = codes(coded["borough_names"], boroughs)  # the facts' borough codes -> ours
    org_b = np.where(window, mine[coded["organisation_borough"]], -1)
    person_b = np.where(window, mine[coded["person_borough"]], -1)
    known_org = coded["organisation"] != coded["no_organisation"]
    org_here = np.where(known_org, org_b, -1)
    session = facts.attendance_session
    both = np.r_[org_b, person_b]
    led = np.r_[rows["facilitating"], rows["facilitating"]]
    held = facts.sessions_in_window(start, end)
    session_b = codes(facts.session_borough, boroughs)
    counts = {
        "organisations": distinct(org_here, coded["organisation"], count),
        "people": distinct(person_b, coded["person"], count),
        "sessions": np.bincount(session_b[held & (session_b >= 0)], minlength=count)[:count],
        "sessions_attended": distinct(both, np.r_[session, session], count),
        "senior_organisations": distinct(np.where(rows["senior"], org_here, -1),
                                          coded["organisation"], count),
        "sessions_led_locally": distinct(np.where(led, both, -1), np.r_[session, session],
                                          count),
        "rows": np.bincount(person_b[person_b >= 0], minlength=count)[:count],
    }
    return [_participation_row({k: int(c[b]) for k, c in counts.items()})
            for b in range(count)]


def _participation_row(c: dict) -> dict:
    rows = c.pop("rows")
    # a person attends a session once (one row each)
    return {**c, "attendance_per_person": _share(rows, c["people"])}


def borough_strength(orgs: Network, people: Network, facts: Facts, *,
                     as_of: date, window_months: int | None = DEFAULT_WINDOW_MONTHS,
                     boroughs: list[str] | None = None, small_cell: int = 0) -> dict:
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
    small_cell : int
        Shares of fewer people than this are withheld from the index (scored 0 and left out
        of the other boroughs' scale: see :mod:`graphsvc.analyses.strength_index`).

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
    participation = _participation(facts, boroughs, start, as_of)
    lived_experience = _lived_experience(people, boroughs)
    for b, part, lived in zip(boroughs, participation, lived_experience):
        t = ties[b]
        touching = t["inside"] + t["to_other_boroughs"]
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
    add_index(rows, small_cell)
    add_reasons(rows)
    return {"as_of": as_of.isoformat(), "window_months": window_months, "method": METHOD,
            "boroughs": rows}


def _share(part, whole):
    return round(part / whole, 6) if whole else None
