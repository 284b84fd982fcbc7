"""Each borough, quarter by quarter: sessions held there and sessions attended from there,
the organisations and people taking part, and the new organisation ties."""

from __future__ import annotations

from datetime import date

import numpy as np

from graphsvc.analyses.counting import codes, distinct_per_cell, distinct_values, touching
from graphsvc.analyses.facts import Facts, quarter_ends, quarter_numbers, quarter_of
from graphsvc.analyses.network import Network, TieHistory

SERIES = ("sessions_held", "sessions_attended", "organisations", "people", "new_ties",
          "new_cross_sector_ties")


def borough_trend(history: TieHistory | Network, facts: Facts, *, first: date,
                  last: date, boroughs: list[str] = ()) -> dict:
    """Per borough and quarter: sessions held in the borough, sessions attended from it (by
    people or organisations based there, wherever or however the session was held),
    organisations and people taking part, and new organisation ties (first seen that
    quarter), all of them and those across sectors.

    ``history`` holds every organisation tie up to ``last`` with its first sighting (a
    network without its projection counts no new ties). The boroughs are ``boroughs`` (those
    the strength table lists) and every borough an organisation is based in: a borough that
    only holds sessions is counted too.

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
    base = quarter_numbers(np.array([ends[0]], dtype="datetime64[D]"))[0]
    count = len(quarters)
    boroughs = sorted({b for b in [*history.attribute("borough"), *boroughs] if b})
    session_q = quarter_numbers(facts.session_dates) - base
    table = _count_sessions(facts, boroughs, session_q, count)
    if history.ties is not None:
        table.update(_count_new_ties(history, boroughs, base, count))
    else:
        table.update({key: np.zeros((len(boroughs), count), dtype=np.int64)
                      for key in ("new_ties", "new_cross_sector_ties")})
    table = {name: {key: table[key][b] for key in SERIES} for b, name in enumerate(boroughs)}
    return {"quarters": quarters, "boroughs": {
        b: [{"quarter": q, **{k: int(v[i]) for k, v in cells.items()}}
            for i, q in enumerate(quarters)] for b, cells in table.items()}}


def _per_quarter(groups: np.ndarray, quarters: np.ndarray, count: int, width: int,
                 items: np.ndarray | None = None) -> np.ndarray:
    """(group, quarter) table of how many entries (or distinct items) each cell has; groups
    and quarters outside the table are left out."""
    keep = (groups >= 0) & (quarters >= 0) & (quarters < width)
    cells = groups[keep] * width + quarters[keep]
    if items is not None:
        return distinct_per_cell(cells, items[keep], count * width).reshape(count, width)
    return np.bincount(cells, minlength=count * width)[:count * width].reshape(count, width)


def _count_sessions(facts: Facts, boroughs: list[str], session_q: np.ndarray,
                    width: int) -> dict[str, np.ndarray]:
    """Per borough and quarter: sessions held and attended, organisations and people."""
    count, coded = len(boroughs), facts.row_codes()
    mine = codes(coded["borough_names"], boroughs)
    org_b, person_b = mine[coded["organisation_borough"]], mine[coded["person_borough"]]
    session = facts.attendance_session
    row_q = session_q[session]
    # a session attended from a borough by people and organisations alike counts once
    attended = distinct_values(np.r_[org_b, person_b] * len(session_q) + np.r_[session, session],
                               count * len(session_q))
    held = codes(facts.session_borough, boroughs)
    return {
        "sessions_held": _per_quarter(held, session_q, count, width),
        "sessions_attended": _per_quarter(attended // len(session_q),
                                          session_q[attended % len(session_q)], count, width),
        "organisations": _per_quarter(org_b, row_q, count, width, coded["organisation"]),
        "people": _per_quarter(person_b, row_q, count, width, coded["person"]),
    }


def _count_new_ties(history: TieHistory, boroughs: list[str], base: int,
                    width: int) -> dict[str, np.ndarray]:
    u, v, edge = history.tie_ends()
    first_q = quarter_numbers(history.ties.first_seen[edge]) - base
    borough = codes(history.attribute("borough"), boroughs)
    cross, _ = history.crossings(u, v)
    inside = (first_q >= 0) & (first_q < width)
    bins = np.where(inside, first_q, 0)
    # one quarter (an "as of" early in the data) comes back flat: keep it a table
    return {key: touching(borough[u], borough[v], inside & mask, len(boroughs), bins,
                          width).reshape(len(boroughs), width)
            for key, mask in (("new_ties", np.ones(len(u), dtype=bool)),
                              ("new_cross_sector_ties", cross))}
