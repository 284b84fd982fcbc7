"""Change over time: ties that outlived the session where people met, cross-sector ties by
quarter, and brokers gained and lost between two dates."""

from __future__ import annotations

import numpy as np

from graphsvc.analyses.betweenness import betweenness
from graphsvc.analyses.facts import Facts, quarter_numbers
from graphsvc.analyses.network import Network, TieHistory
from graphsvc.ties import TieNetwork


def ties_after_meeting(ties: TieNetwork, facts: Facts) -> list[dict]:
    """Per quarter: pairs of people who first met at a community session then, and how many
    of those met again later (at any session), or later met in another community.

    ``ties`` is the person tie network (every tie, with the sessions behind it).

    References
    ----------
    Wenger, McDermott and Snyder (2002): a community's value shows in relationships that
    carry on beyond its meetings.
    """
    if not len(ties):
        return []
    names = sorted(set(facts.session_community))
    community = np.searchsorted(names, np.array(facts.session_community, dtype=object))
    index = _index(ties.session_ids, facts.session_ids)
    starts, ends = ties._behind_indptr[:-1], ties._behind_indptr[1:]
    behind = community[index[ties._behind]]
    first_session = index[ties._behind[starts]]
    met_again = (ends - starts) > 1
    elsewhere = behind != np.repeat(behind[starts], ends - starts)
    crossed = np.add.reduceat(elsewhere.astype(np.int64), starts) > 0
    quarter = quarter_numbers(facts.session_dates)[first_session]
    return _by_quarter(quarter, first_met=None, met_again=met_again,
                       met_again_in_another_community=crossed)


def _by_quarter(quarter: np.ndarray, **counted) -> list[dict]:
    """Per quarter that has any (quarters counted from 1970-Q1): how many entries, under each
    name given ``None``, and how many of them are true in each mask given."""
    if not len(quarter):
        return []
    first = int(quarter.min())
    at = quarter - first  # a few dozen quarters: counted by bincount, not sorted
    entries = np.bincount(at)
    sums = {name: entries if mask is None else np.bincount(at, weights=mask)
            for name, mask in counted.items()}
    return [{"quarter": f"{(first + i) // 4 + 1970}-Q{(first + i) % 4 + 1}",
             **{name: int(values[i]) for name, values in sums.items()}}
            for i in np.flatnonzero(entries).tolist()]


def _index(names: list[str], within: list[str]) -> np.ndarray:
    where = {s: i for i, s in enumerate(within)}
    return np.array([where[s] for s in names], dtype=np.int64)


def cross_sector_by_quarter(history: TieHistory) -> list[dict]:
    """Organisation ties first seen per quarter, and how many crossed sectors or the
    statutory/VCSE line, from every tie up to a date (see :class:`TieHistory`)."""
    u, v, edge = history.tie_ends()
    cross, stat_vcse = history.crossings(u, v)
    first = history.ties.first_seen[edge]
    quarters = quarter_numbers(first)
    return _by_quarter(quarters, new_ties=None, cross_sector=cross, statutory_vcse=stat_vcse)


def brokers_gained_and_lost(before: Network, after: Network, *, top: float = 0.1,
                            seed: int = 0, k: int | None = None) -> dict:
    """Who became, or stopped being, a broker between two dates.

    A broker is a node in the top ``top`` share of betweenness (and above zero) on that date.
    Only consenting people are listed by name.

    References
    ----------
    Brandes (2001), doi:10.1080/0022250X.2001.9990249.
    """
    def brokers_at(network: Network) -> tuple[dict[str, float], dict]:
        values, how = betweenness(network, k=k, seed=seed)
        positive = values > 0
        if not positive.any():
            return {}, how
        cut = np.quantile(values[positive], 1 - top)
        return {network.node_ids[i]: float(values[i])
                for i in np.flatnonzero(positive & (values >= cut))}, how

    first, how_first = brokers_at(before)
    second, how_second = brokers_at(after)
    names = {**dict(zip(before.node_ids, before.attributes.get("name") or before.node_ids)),
             **dict(zip(after.node_ids, after.attributes.get("name") or after.node_ids))}

    def listed(ids, values) -> list[dict]:
        return sorted(({"id": i, "name": names.get(i) or "", "betweenness": values[i]}
                       for i in ids), key=lambda r: (-r["betweenness"], r["id"]))

    return {"before": before.description.get("as_of"), "after": after.description.get("as_of"),
            "top": top, "betweenness": [how_first, how_second],
            "gained": listed(set(second) - set(first), second),
            "lost": listed(set(first) - set(second), first),
            "kept": listed(set(first) & set(second), second)}
