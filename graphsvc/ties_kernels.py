"""Compiled inner loops (numba) for the tie projection and the active network.

The ties between nodes are the pairs that share a session. A sparse product ``B.T @ W @ B``
finds them and their weights, but not their first and last dates or the sessions behind them,
which took a second pass (every session's pairs, sorted by tie). One pass per node does it all:
for node ``i``, the sessions it attended, oldest first, and in each the nodes ``j > i``. Each
tie's sessions come out oldest first, and its weight is summed in that order (as the product
sums it: the same number to the last bit).
"""

from __future__ import annotations

import functools
import threading

import numpy as np
from numba import njit, prange

# numba runs parallel kernels on OpenMP or TBB where it can load one, and else on its own
# workqueue, which ends the process if two threads run parallel kernels at once (a slim image
# without libgomp, say). The web app works in several threads, so these run one at a time.
_PARALLEL = threading.Lock()


def _one_at_a_time(kernel):
    """``kernel`` (a parallel one) run by one thread at a time."""
    @functools.wraps(kernel)
    def run(*args):
        with _PARALLEL:
            return kernel(*args)

    return run


@njit(cache=True, inline="always")
def _later_members(i, session, indptr, indices):
    """Where the members of ``session`` (sorted) after node ``i`` start."""
    lo, hi = indptr[session], indptr[session + 1]
    return lo + np.searchsorted(indices[lo:hi], i, side="right")


CHUNKS = 16  # nodes i, i + CHUNKS, ... go to one thread, with scratch of its own


@njit(cache=True, parallel=True)
def _counts(by_node_indptr, by_node, indptr, indices, n_nodes):
    """Per node ``i``: its ties to nodes ``j > i``, and the sessions behind them."""
    ties = np.zeros(n_nodes, dtype=np.int64)
    pairs = np.zeros(n_nodes, dtype=np.int64)
    for chunk in prange(CHUNKS):
        seen = np.full(n_nodes, -1, dtype=np.int64)
        for i in range(chunk, n_nodes, CHUNKS):
            for a in range(by_node_indptr[i], by_node_indptr[i + 1]):
                session = by_node[a]
                start = _later_members(i, session, indptr, indices)
                pairs[i] += indptr[session + 1] - start
                for b in range(start, indptr[session + 1]):
                    j = indices[b]
                    if seen[j] != i:
                        seen[j] = i
                        ties[i] += 1
    return ties, pairs


@njit(cache=True, inline="always")
def _node_ties(i, by_node_indptr, by_node, indptr, indices, weights, days, at, used, count,
               total, neighbours, target, weight, shared, behind_indptr, behind, first, last):
    """Node ``i``'s ties to nodes ``j > i``, written from tie ``at`` and session slot
    ``used`` on; ``count``, ``total`` and ``neighbours`` are scratch, left as found (zero)."""
    found = 0
    for a in range(by_node_indptr[i], by_node_indptr[i + 1]):
        session = by_node[a]
        for b in range(_later_members(i, session, indptr, indices), indptr[session + 1]):
            j = indices[b]
            if count[j] == 0:
                neighbours[found] = j
                found += 1
            count[j] += 1
    order = np.sort(neighbours[:found])
    for t in range(found):
        j = order[t]
        target[at + t] = j
        neighbours[t] = used  # now where the tie's sessions start
        shared[at + t] = count[j]
        behind_indptr[at + t + 1] = used + count[j]
        count[j], used = used, used + count[j]  # count[j] is now j's next slot
    for a in range(by_node_indptr[i], by_node_indptr[i + 1]):
        session = by_node[a]
        for b in range(_later_members(i, session, indptr, indices), indptr[session + 1]):
            j = indices[b]
            behind[count[j]] = session
            count[j] += 1
            total[j] += weights[session]
    for t in range(found):
        j = order[t]
        weight[at + t] = total[j]
        first[at + t] = days[behind[neighbours[t]]]
        last[at + t] = days[behind[count[j] - 1]]
        total[j], count[j] = 0.0, 0


@_one_at_a_time
@njit(cache=True, parallel=True)
def tie_sessions(by_node_indptr, by_node, indptr, indices, weights, days, n_nodes):
    """The ties of a session-by-node incidence (its CSR ``indptr``/``indices`` with sorted
    rows, and the same by node, ``by_node_indptr``/``by_node``, sessions ascending), in (i, j)
    order with i < j: their ends, weights (each session's ``weights`` summed oldest first),
    how many sessions made each, the sessions behind each
    (``behind[behind_indptr[t]:behind_indptr[t + 1]]``, oldest first), and the ``days`` of the
    first and the last. Sessions without weight must have been left out of the incidence."""
    ties, pairs = _counts(by_node_indptr, by_node, indptr, indices, n_nodes)
    tie_at = np.zeros(n_nodes + 1, dtype=np.int64)
    tie_at[1:] = np.cumsum(ties)
    pair_at = np.zeros(n_nodes + 1, dtype=np.int64)
    pair_at[1:] = np.cumsum(pairs)
    n_ties = tie_at[-1]
    source = np.empty(n_ties, dtype=np.int32)
    target = np.empty(n_ties, dtype=np.int32)
    weight = np.empty(n_ties, dtype=np.float64)
    shared = np.empty(n_ties, dtype=np.int32)
    first = np.empty(n_ties, dtype=np.int64)
    last = np.empty(n_ties, dtype=np.int64)
    behind_indptr = np.empty(n_ties + 1, dtype=np.int64)
    behind_indptr[0] = 0
    behind = np.empty(pair_at[-1], dtype=np.int32)
    for chunk in prange(CHUNKS):
        count = np.zeros(n_nodes, dtype=np.int64)  # per j: sessions with i, then a slot
        total = np.zeros(n_nodes, dtype=np.float64)
        neighbours = np.empty(n_nodes, dtype=np.int64)
        for i in range(chunk, n_nodes, CHUNKS):
            source[tie_at[i]:tie_at[i + 1]] = i
            _node_ties(i, by_node_indptr, by_node, indptr, indices, weights, days, tie_at[i],
                       pair_at[i], count, total, neighbours, target, weight, shared,
                       behind_indptr, behind, first, last)
    return source, target, weight, shared, behind_indptr, behind, first, last


@_one_at_a_time
@njit(cache=True, parallel=True)
def symmetric_arcs(source, target, weight, keep, renumber, n):
    """The symmetric CSR adjacency of the ties ``keep`` marks (distinct, ``source < target``,
    in (source, target) order), their ends renumbered by ``renumber`` (in order; -1 for a node
    left out): ``indptr``, ``indices``, the ``weight`` of each arc's tie and its place in
    ``source``. Row ``r`` lists the ties ``(u, r)`` by ``u``, then ``(r, v)`` by ``v``:
    sorted, as every ``u < r < v``. Two halves of the rows, one per core, each filled from
    a pass over every tie."""
    half = len(source) // 2
    degrees = np.zeros((2, n + 1), dtype=np.int64)
    bad = np.zeros(2, dtype=np.int64)  # 1: an end left out, 2: out of order
    for part in prange(2):
        bad[part] = _degrees(source, target, keep, renumber, part * half,
                             len(source) if part else half, degrees[part])
    first = bad[0]  # the first fault in the ties' order, as one pass would meet it
    if first == 0 and not _in_order_at(source, target, keep, renumber, half):
        first = 2
    if first == 0:
        first = bad[1]
    if first == 1:
        raise AssertionError("a tie kept has an end left out")
    if first == 2:
        raise ValueError("the ties are not distinct, in (source, target) order")
    indptr = np.cumsum(degrees[0] + degrees[1])
    indices = np.empty(indptr[-1], dtype=np.int32)
    data = np.empty(indptr[-1], dtype=np.float64)
    arc_edge = np.empty(indptr[-1], dtype=np.int64)
    middle = np.searchsorted(indptr, indptr[-1] // 2)  # rows split where the arcs halve
    for part in prange(2):
        lo, hi = (0, middle) if part == 0 else (middle, n)
        _fill_rows(source, target, weight, keep, renumber, indptr, indices, data, arc_edge,
                   lo, hi)
    return indptr, indices, data, arc_edge


@njit(cache=True)
def _degrees(source, target, keep, renumber, start, stop, degree):
    """Each row's arcs among ties ``start`` to ``stop`` counted into ``degree`` (shifted by
    one); 1 if a kept tie has an end left out, 2 if they are not distinct and in order."""
    last_u, last_v = -1, -1
    for t in range(start, stop):
        if not keep[t]:
            continue
        u, v = renumber[source[t]], renumber[target[t]]
        if u < 0 or v < 0:
            return 1
        if u >= v or u < last_u or (u == last_u and v <= last_v):
            return 2
        last_u, last_v = u, v
        degree[u + 1] += 1
        degree[v + 1] += 1
    return 0


@njit(cache=True)
def _in_order_at(source, target, keep, renumber, half):
    """Whether the last kept tie before ``half`` comes before the first kept from it."""
    before = half - 1
    while before >= 0 and not keep[before]:
        before -= 1
    after = half
    while after < len(source) and not keep[after]:
        after += 1
    if before < 0 or after >= len(source):
        return True
    u, v = renumber[source[before]], renumber[target[before]]
    x, y = renumber[source[after]], renumber[target[after]]
    if min(u, v, x, y) < 0:
        return True  # an end left out: the halves' passes say so
    return u < x or (u == x and v < y)


@njit(cache=True)
def _fill_rows(source, target, weight, keep, renumber, indptr, indices, data, arc_edge, lo, hi):
    """Rows ``lo`` to ``hi`` of :func:`symmetric_arcs`: the ``(v, u)`` arcs, in each row by
    ``u`` as the ties come, then the ``(u, v)`` arcs, after every ``(u, w)`` with ``w < u``."""
    fill = indptr[lo:hi].copy()
    for t in range(len(source)):
        if keep[t]:
            v = renumber[target[t]]
            if lo <= v < hi:
                at = fill[v - lo]
                indices[at], data[at], arc_edge[at] = renumber[source[t]], weight[t], t
                fill[v - lo] = at + 1
    for t in range(len(source)):
        if keep[t]:
            u = renumber[source[t]]
            if lo <= u < hi:
                at = fill[u - lo]
                indices[at], data[at], arc_edge[at] = renumber[target[t]], weight[t], t
                fill[u - lo] = at + 1
