"""Compiled inner loops (numba) for betweenness: Dijkstra with tied path lengths, and Brandes'
dependency accumulation, run in parallel over sources.

Two path lengths ``a`` and ``b`` count as equal when ``a == b`` or
``|a - b| < tolerance * (a + b)``: igraph's ``igraph_cmp_epsilon`` with its
``IGRAPH_SHORTEST_PATH_EPSILON`` (1e-10) as the tolerance. A settled neighbour ``v`` of ``w``
is a predecessor of ``w`` on shortest paths when ``dist[v] + length(v, w)`` equals ``dist[w]``
by that rule; the number of shortest paths to ``w`` is summed over those predecessors when
``w`` is settled, so path counts and predecessors always agree.

Sources are dealt to a fixed number of chunks (source ``i`` to chunk ``i % chunks``); each
chunk adds its sources' dependencies, in order, into its own row, and the rows are added in
order at the end. The result therefore does not depend on the number of threads or on which
thread finishes first: repeated runs agree to the last digit.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True)
def same_length(a, b, tolerance):
    """igraph's tie rule for two non-negative path lengths."""
    return a == b or abs(a - b) < tolerance * (a + b)


@njit(cache=True)
def _sift_up(heap, pos, dist, i):
    node = heap[i]
    key = dist[node]
    while i > 0:
        parent = (i - 1) >> 1
        above = heap[parent]
        if dist[above] <= key:
            break
        heap[i] = above
        pos[above] = i
        i = parent
    heap[i] = node
    pos[node] = i


@njit(cache=True)
def _sift_down(heap, pos, dist, size, i):
    node = heap[i]
    key = dist[node]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and dist[heap[child + 1]] < dist[heap[child]]:
            child += 1
        below = heap[child]
        if dist[below] >= key:
            break
        heap[i] = below
        pos[below] = i
        i = child
    heap[i] = node
    pos[node] = i


@njit(cache=True)
def _pop(heap, pos, dist, size):
    """Remove the nearest node from a binary heap of ``size`` nodes keyed by ``dist``."""
    top = heap[0]
    pos[top] = -1
    size -= 1
    if size > 0:
        heap[0] = heap[size]
        _sift_down(heap, pos, dist, size, 0)
    return top, size


@njit(cache=True)
def shortest_paths(indptr, indices, lengths, source, tolerance, dist, sigma, settled,
                   order, preds, npred, heap, pos):
    """Dijkstra from ``source``. Fills ``dist``, ``sigma`` (shortest paths), ``order`` (nodes
    as settled) and each node's predecessors in ``preds[indptr[w]:indptr[w] + npred[w]]``;
    returns how many nodes were reached. Expects ``dist`` = inf, ``settled`` = False and
    ``pos`` = -1 everywhere."""
    dist[source] = 0.0
    heap[0] = source
    pos[source] = 0
    size = 1
    reached = 0
    while size > 0:
        w, size = _pop(heap, pos, dist, size)
        settled[w] = True
        order[reached] = w
        reached += 1
        here = dist[w]
        paths = 1.0 if w == source else 0.0
        slot = indptr[w]
        for a in range(indptr[w], indptr[w + 1]):
            v = indices[a]
            if settled[v]:
                if same_length(dist[v] + lengths[a], here, tolerance):
                    paths += sigma[v]
                    preds[slot] = v
                    slot += 1
            elif here + lengths[a] < dist[v]:
                first = dist[v] == np.inf
                dist[v] = here + lengths[a]
                if first:
                    heap[size] = v
                    size += 1
                _sift_up(heap, pos, dist, size - 1 if first else pos[v])
        sigma[w] = paths
        npred[w] = slot - indptr[w]
    return reached


@njit(cache=True)
def accumulate(indptr, order, reached, dist, sigma, preds, npred, delta, linear, out):
    """Brandes' dependencies of the source (``order[0]``) on every node it reached, added to
    ``out``. With ``linear``, each pair's share is scaled by the node's distance from the
    source over the pair's distance (Geisberger, Sanders and Schultes' linear scaling)."""
    for i in range(reached - 1, 0, -1):
        w = order[i]
        share = (1.0 + delta[w]) / sigma[w]
        if linear:
            share /= dist[w]
        for j in range(indptr[w], indptr[w] + npred[w]):
            v = preds[j]
            delta[v] += sigma[v] * (dist[v] * share if linear else share)
        out[w] += delta[w]


@njit(cache=True)
def _reset(order, reached, dist, delta, settled):
    for i in range(reached):
        w = order[i]
        dist[w] = np.inf
        delta[w] = 0.0
        settled[w] = False


@njit(cache=True, parallel=True)
def dependency_sums(indptr, indices, lengths, sources, tolerance, linear, chunks):
    """Every node's summed dependency over ``sources`` (each ordered pair once)."""
    n = len(indptr) - 1
    partial = np.zeros((chunks, n))
    for c in prange(chunks):
        dist = np.full(n, np.inf)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        settled = np.zeros(n, dtype=np.bool_)
        order = np.empty(n, dtype=indices.dtype)
        npred = np.zeros(n, dtype=np.int64)
        preds = np.empty(len(indices), dtype=indices.dtype)
        heap = np.empty(n, dtype=indices.dtype)
        pos = np.full(n, -1, dtype=np.int64)
        for i in range(c, len(sources), chunks):
            reached = shortest_paths(indptr, indices, lengths, sources[i], tolerance, dist,
                                     sigma, settled, order, preds, npred, heap, pos)
            accumulate(indptr, order, reached, dist, sigma, preds, npred, delta, linear,
                       partial[c])
            _reset(order, reached, dist, delta, settled)
    total = np.zeros(n)
    for c in range(chunks):
        total += partial[c]
    return total
