"""Each borough, quarter by quarter: sessions held there and sessions attended from there,
the organisations and people taking part, and the new organisation ties."""

from __future__ import annotations

from datetime import date

import numpy as np

from graphsvc.analyses.facts import Facts, quarter_ends, quarter_of
from graphsvc.analyses.network import Network

SERIES = ("sessions_held", "sessions_attended", "organisations", "people", "new_ties",
          "new_cross_sector_ties")


def _quarter_index(dates: np.ndarray) -> np.ndarray:
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months // 3


def borough_trend(orgs_all: Network, facts: Facts, *, first: date, last: date) -> dict:
    """Per borough and quarter: sessions held in the borough, sessions attended from it (by
    people or organisations based there, wherever or however the session was held),
    organisations and people taking part, and new organisation ties (first seen that
    quarter), all of them and those across sectors.

    ``orgs_all`` is the organisation network without an activity window, so every tie's
    first sighting is known.

    Examples
    --------
    A borough whose sessions are all online holds none, yet its people attend them:

    >>> from graphsvc.analyses.facts import Facts
    >>> import networkx as nx
    >>> orgs = Network.from_networkx(nx.empty_graph(["org:a"]))
    >>> orgs.attributes = {"borough": ["Wigan"], "sector": [""], "type": [""]}
    >>> facts = Facts(["s1"], np.array(["2019-02-01"], dtype="datetime64[D]"), ["c"], [""],
    ...               np.array([0]), ["person:p"], ["org:a"], ["attendee"],
    ...               {"person:p": {"borough": "Wigan"}}, {"org:a": {"borough": "Wigan"}})
    >>> quarter = borough_trend(orgs, facts, first=date(2019, 1, 1), last=date(2019, 3, 31))
    >>> {k: quarter["boroughs"]["Wigan"][0][k] for k in ("sessions_held", "sessions_attended")}
    {'sessions_held': 0, 'sessions_attended': 1}
    """
    ends = quarter_ends(first, last)
    quarters = [quarter_of(q) for q in ends]
    base = _quarter_index(np.array([ends[0]], dtype="datetime64[D]"))[0]
    count = len(quarters)
    boroughs = sorted({b for b in orgs_all.attribute("borough") if b})
    table = {b: {key: np.zeros(count, dtype=np.int64) for key in SERIES} for b in boroughs}
    session_q = _quarter_index(facts.session_dates) - base
    for b in boroughs:
        _count_sessions(facts, b, session_q, count, table[b])
    if orgs_all.ties is not None:
        _count_new_ties(orgs_all, boroughs, table, base, count)
    return {"quarters": quarters, "boroughs": {
        b: [{"quarter": q, **{k: int(v[i]) for k, v in cells.items()}}
            for i, q in enumerate(quarters)] for b, cells in table.items()}}


def _count_sessions(facts: Facts, borough: str, session_q: np.ndarray, count: int,
                    cells: dict) -> None:
    """Sessions held and attended, organisations and people, per quarter, into ``cells``."""
    rows = facts.row_arrays()
    row_q = session_q[facts.attendance_session]
    in_range = (row_q >= 0) & (row_q < count)
    held = (facts.session_borough_array() == borough) & (session_q >= 0) & (session_q < count)
    cells["sessions_held"] = np.bincount(session_q[held], minlength=count)[:count]
    from_here = ((rows["organisation_borough"] == borough)
                 | (rows["person_borough"] == borough)) & in_range
    attended = np.unique(facts.attendance_session[from_here])
    cells["sessions_attended"] = np.bincount(session_q[attended], minlength=count)[:count]
    for key, who, where in (("organisations", "organisation", "organisation_borough"),
                            ("people", "person", "person_borough")):
        mask = (rows[where] == borough) & in_range
        pairs = set(zip(row_q[mask].tolist(), rows[who][mask].tolist()))
        quarters = np.array([q for q, _ in pairs], dtype=np.int64)
        cells[key] = np.bincount(quarters, minlength=count)[:count]


def _count_new_ties(orgs_all: Network, boroughs: list[str], table: dict, base: int,
                    count: int) -> None:
    u, v, edge = orgs_all.tie_ends()
    first_q = _quarter_index(orgs_all.ties.first_seen[edge]) - base
    index = {name: i for i, name in enumerate(boroughs)}
    borough = np.fromiter((index.get(b, -1) for b in orgs_all.attribute("borough")),
                          dtype=np.int64, count=orgs_all.n)
    cross, _ = orgs_all.crossings(u, v)
    inside = (first_q >= 0) & (first_q < count)
    for b, name in enumerate(boroughs):
        touching = ((borough[u] == b) | (borough[v] == b)) & inside
        table[name]["new_ties"] = np.bincount(first_q[touching], minlength=count)[:count]
        table[name]["new_cross_sector_ties"] = np.bincount(first_q[touching & cross],
                                                           minlength=count)[:count]
