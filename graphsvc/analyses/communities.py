"""Communities of practice: detected clusters set against formal membership, and each
community's health over time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import numpy as np

from graphsvc.analyses.facts import Facts, quarter_ends, quarter_numbers, quarter_of
from graphsvc.analyses.kernels_leiden import REFINEMENT_RANDOMNESS, leiden
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, Network, months_before
from graphsvc.ties import TieNetwork


def clusters(network: Network, *, seed: int = 0, resolution: float = 1.0,
             iterations: int = 2) -> np.ndarray:
    """Leiden clusters of the weighted network optimising modularity, seeded; a label per node
    (:func:`graphsvc.analyses.kernels_leiden.leiden`: each cluster connected; two iterations,
    as igraph runs it by default, or ``iterations < 0`` until one changes nothing).

    References
    ----------
    V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden: guaranteeing
    well-connected communities", Sci. Rep. 9, 5233 (2019), doi:10.1038/s41598-019-41695-z.
    """
    adjacency = network.adjacency
    if adjacency.nnz and adjacency.data.min() <= 0:
        raise ValueError("Leiden needs tie weights above 0")
    return leiden(adjacency.indptr, adjacency.indices, adjacency.data, float(resolution),
                  iterations, REFINEMENT_RANDOMNESS, seed)


def normalised_mutual_information(a: np.ndarray, b: np.ndarray) -> float:
    """NMI with the arithmetic-mean normalisation (as scikit-learn's default).

    >>> normalised_mutual_information(np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0]))
    1.0

    References
    ----------
    L. Danon, A. Diaz-Guilera, J. Duch and A. Arenas, "Comparing community structure
    identification", J. Stat. Mech. P09008 (2005), doi:10.1088/1742-5468/2005/09/P09008.
    """
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    joint = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(joint, (a, b), 1)
    joint /= joint.sum()
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    mutual = float((joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum())
    entropy = lambda p: float(-(p[p > 0] * np.log(p[p > 0])).sum())  # noqa: E731
    mean = (entropy(pa) + entropy(pb)) / 2
    return round(mutual / mean, 12) if mean > 0 else 1.0


def clusters_against_membership(network: Network, *, seed: int = 0) -> dict:
    """Detected clusters of organisations against the community each took part in most:
    the overlap table and the normalised mutual information between the two."""
    degree = np.diff(network.adjacency.indptr)
    active = degree > 0
    labels = clusters(network, seed=seed)
    community = np.array([c or "" for c in network.attribute("community")], dtype=object)
    table: dict[int, Counter] = defaultdict(Counter)
    for i in np.flatnonzero(active):
        table[int(labels[i])][community[i]] += 1
    names = network.attributes.get("name") or network.node_ids
    rows = []
    for label, counts in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
        members = [i for i in np.flatnonzero(active & (labels == label))]
        top = sorted(members, key=lambda i: -degree[i])[:5]
        rows.append({"cluster": label, "size": int(sum(counts.values())),
                     "by_community": dict(sorted(counts.items())),
                     "main_community": counts.most_common(1)[0][0],
                     "examples": [names[i] for i in top]})
    return {"seed": seed, "method": "Leiden (modularity), Traag et al. 2019",
            "clusters": rows,
            "nmi": normalised_mutual_information(labels[active], community[active].astype(str))
            if active.any() else None}


def community_health(facts: Facts, person_ties: TieNetwork, *, as_of: date,
                     window_months: int | None = DEFAULT_WINDOW_MONTHS) -> dict:
    """Each community of practice's health, per quarter and now.

    Members and sessions in the window; attendance, retention (share of the previous
    quarter's people who came again: ``retained_people``, with ``new_people`` who did not
    come then and ``lapsed_people`` who came then but not again), new person ties (first
    made at this community's sessions), lived-experience share and senior involvement per
    quarter (retention only for a quarter that held sessions); ``last_met``, the date of its
    latest session by ``as_of``;
    ``waning`` when it held no session in the last two quarters after meeting before
    (``waning_why``: ``stopped``) or when attendance and new ties both fell for the last two
    quarters in a row (``falling``).

    References
    ----------
    E. Wenger, R. McDermott and W. M. Snyder, *Cultivating Communities of Practice* (2002):
    communities have a natural life cycle, and their energy can wane.
    """
    start = months_before(as_of, window_months) if window_months else None
    first = facts.session_dates.min().astype(object) if len(facts.session_ids) else as_of
    quarters = [quarter_of(q) for q in quarter_ends(first, as_of)]
    rows = facts.row_arrays()
    new_ties = _new_ties_by_community(person_ties, facts)
    in_window = facts.in_window(start, as_of)
    names = sorted(set(facts.session_community))
    code = np.searchsorted(names, np.array(facts.session_community, dtype=object))
    table, before = _quarterly(facts, code, len(names), quarters, first)
    out = []
    for c, name in enumerate(names):
        sessions = code == c
        at = sessions[facts.attendance_session]
        made = new_ties.get(name, Counter())
        by_quarter = [_quarter_cells(q, {key: values[c][i] for key, values in table.items()},
                                     before[c][i], made[q]) for i, q in enumerate(quarters)]
        waning = _waning(by_quarter)
        window = at & in_window
        members = dict(zip(rows["person"][window].tolist(), rows["lived"][window].tolist()))
        lived = list(members.values())
        senior = len(set(rows["person"][window & rows["senior"]].tolist()))
        out.append({
            "community": name,
            "members": len(set(rows["person"][window].tolist())),
            "sessions": int((sessions & facts.sessions_in_window(start, as_of)).sum()),
            "lived_experience_people": int(sum(lived)),
            "lived_experience_share": round(sum(lived) / len(lived), 6) if lived else None,
            "senior_people": senior,
            "senior_involvement": _share(senior, len(lived)),
            "quarters": by_quarter,
            "last_met": _last_met(facts.session_dates[sessions], as_of),
            "waning": waning is not None,
            "waning_why": waning,
        })
    return {"as_of": as_of.isoformat(), "window_months": window_months, "communities": out}


def _share(part, whole):
    return round(part / whole, 6) if whole else None


def _quarterly(facts: Facts, community: np.ndarray, count: int, quarters: list[str],
               first: date) -> tuple[dict[str, list], list]:
    """Per community (sessions' codes, ``count`` of them) and quarter (``quarters``, from
    ``first``'s): sessions, attendance, people, those who came in the community's last
    earlier quarter with anyone, lived experience and senior people, each a table of lists;
    and how many people that earlier quarter had. All of them counted at once."""
    width = len(quarters)
    start = quarter_numbers(np.array([first], dtype="datetime64[D]"))[0]
    session_q = quarter_numbers(facts.session_dates) - start
    inside = (session_q >= 0) & (session_q < width)
    cell = np.where(inside, community * width + session_q, -1)  # per session
    row_cell = cell[facts.attendance_session]
    kept = row_cell >= 0
    person = facts.row_codes()["person"][kept]
    span = int(person.max(initial=-1)) + 1
    rows = facts.row_arrays()
    # each person once per cell: (cell, person) keys, sorted, with a row of each
    keys, at = np.unique(row_cell[kept].astype(np.int64) * span + person, return_index=True)
    here = keys // span
    cells = count * width
    people = np.bincount(here, minlength=cells)
    retained, before = _retained(keys, here, people.reshape(count, width), span)
    table = {
        "sessions": np.bincount(cell[np.unique(facts.attendance_session[kept])],
                                minlength=cells),  # sessions anyone came to
        "attendance": np.bincount(row_cell[kept], minlength=cells),
        "people": people, "retained_people": retained,
        "lived_experience_people": np.bincount(here, rows["lived"][kept][at], cells),
        "senior_people": np.bincount(here, rows["senior"][kept][at], cells),
    }
    return ({key: values.astype(np.int64).reshape(count, width).tolist()
             for key, values in table.items()}, before.reshape(count, width).tolist())


def _retained(keys: np.ndarray, cell: np.ndarray, people: np.ndarray, span: int):
    """Per cell: how many of its people came in the community's last earlier quarter with
    anyone, and how many people that quarter had."""
    count, width = people.shape
    seen = np.where(people > 0, np.arange(width), -1)
    last = np.maximum.accumulate(seen, axis=1)  # the last quarter with anyone, up to each
    earlier = np.full((count, width), -1)
    earlier[:, 1:] = last[:, :-1]
    community, quarter = cell // width, cell % width
    previous = earlier[community, quarter]
    wanted = (community * width + previous) * span + keys % span
    found = np.searchsorted(keys, wanted)
    found = np.minimum(found, len(keys) - 1) if len(keys) else found
    again = (previous >= 0) & (keys[found] == wanted) if len(keys) else previous >= 0
    before = np.where(earlier >= 0, np.take_along_axis(people, np.maximum(earlier, 0), 1), 0)
    return np.bincount(cell[again], minlength=count * width), before.ravel()


def _quarter_cells(quarter: str, cells: dict, before: int, new_ties: int) -> dict:
    """One quarter of one community, as the result gives it."""
    people, lived, senior = (cells[key] for key in ("people", "lived_experience_people",
                                                    "senior_people"))
    retained, held = cells["retained_people"], cells["sessions"]
    return {"quarter": quarter, "sessions": held,
            "attendance": cells["attendance"], "people": people,
            "retained_people": retained, "new_people": people - retained,
            "lapsed_people": before - retained if held else None,
            "retention": _share(retained, before) if held else None,
            "new_person_ties": new_ties,
            "lived_experience_people": lived, "lived_experience_share": _share(lived, people),
            "senior_people": senior, "senior_share": _share(senior, people)}


def _new_ties_by_community(ties: TieNetwork, facts: Facts) -> dict[str, Counter]:
    """Person ties counted in the quarter and community of the session that first made them."""
    out: dict[str, Counter] = defaultdict(Counter)
    if not len(ties):
        return out
    index = {sid: i for i, sid in enumerate(facts.session_ids)}
    firsts = ties._behind[ties._behind_indptr[:-1]]
    counts = np.bincount(firsts, minlength=len(ties.session_ids))
    for session in np.flatnonzero(counts):
        s = index[ties.session_ids[session]]
        out[facts.session_community[s]][quarter_of(facts.session_dates[s])] += int(counts[session])
    return out


def _waning(quarters: list[dict]) -> str | None:
    """Why a community's energy is going (``stopped``: no session in the last two quarters;
    ``falling``: attendance and new ties both fell in each of them), or None; a community
    active in fewer than three quarters is too new to tell."""
    active = [q for q in quarters if q["attendance"] or q["new_person_ties"]]
    if len(active) < 3:
        return None
    last = quarters[-3:]
    if not any(q["sessions"] for q in last[1:]):
        return "stopped"
    falls = all(b["attendance"] < a["attendance"] and b["new_person_ties"] < a["new_person_ties"]
                for a, b in zip(last, last[1:]))
    return "falling" if falls else None


def _last_met(dates: np.ndarray, as_of: date) -> str | None:
    """The latest of these session dates by ``as_of`` (ISO), or None."""
    held = dates[dates <= np.datetime64(as_of)]
    return str(held.max()) if len(held) else None
