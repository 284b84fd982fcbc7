"""Compiled inner loops (numba) for betweenness: Dijkstra that keeps tied paths, and Brandes'
dependency accumulation, run in parallel over sources.

Path lengths are compared much as igraph compares them (``igraph_cmp_epsilon`` with
``IGRAPH_SHORTEST_PATH_EPSILON``): ``a`` is longer than ``b`` when
``a - b > tolerance * (a + b)``, and two lengths neither of which is longer are equal (igraph
asks for ``>=``, the same but at the boundary; with a tolerance of 0 this is exact comparison). When
Dijkstra relaxes tie (w, v), a path to v equal to the best so far adds w to v's predecessors
and its paths to v's count; a shorter one replaces them.

Sources are dealt to a fixed number of chunks (source ``i`` to chunk ``i % chunks``); each
chunk adds its sources' dependencies, in order, into its own row, and the rows are added in
order at the end. The result therefore does not depend on the number of threads or on which
thread finishes first: repeated runs agree to the last digit.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, inline="always")
def _longer(a, b, tolerance):
    """Whether path length ``a`` exceeds ``b`` by more than the relative tolerance."""
    return a - b > tolerance * (a + b)


@njit(cache=True, inline="always")
def _sift_up(keys, nodes, pos, i):
    key, node = keys[i], nodes[i]
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i], nodes[i] = keys[parent], nodes[parent]
        pos[nodes[i]] = i
        i = parent
    keys[i], nodes[i] = key, node
    pos[node] = i


@njit(cache=True, inline="always")
def _pop(keys, nodes, pos, size):
    """Remove the nearest node from a binary heap of ``size`` (key, node) entries."""
    top = nodes[0]
    pos[top] = -1
    size -= 1
    key, node = keys[size], nodes[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i], nodes[i] = keys[child], nodes[child]
        pos[nodes[i]] = i
        i = child
    if size > 0:
        keys[i], nodes[i] = key, node
        pos[node] = i
    return top, size


@njit(cache=True, inline="always")
def _relax(w, v, alt, tolerance, indptr, dist, sigma, preds, npred, keys, nodes, pos, size):
    """A path of length ``alt`` to ``v`` through ``w``; returns the heap's new size."""
    best = dist[v]
    if _longer(alt, best, tolerance):
        return size  # settled nodes are always nearer
    if best == np.inf or _longer(best, alt, tolerance):
        dist[v] = alt
        sigma[v] = sigma[w]
        preds[indptr[v]] = w
        npred[v] = 1
        if best == np.inf:
            size += 1
            keys[size - 1], nodes[size - 1] = alt, v
            _sift_up(keys, nodes, pos, size - 1)
        else:
            keys[pos[v]] = alt
            _sift_up(keys, nodes, pos, pos[v])
    else:
        sigma[v] += sigma[w]
        preds[indptr[v] + npred[v]] = w
        npred[v] += 1
    return size


@njit(cache=True, inline="always")
def shortest_paths(indptr, indices, lengths, source, tolerance, dist, sigma, order, preds,
                   npred, keys, nodes, pos):
    """Dijkstra from ``source`` keeping tied paths. Fills ``dist``, ``sigma`` (numbers of
    shortest paths), ``order`` (nodes as settled) and each node's predecessors in
    ``preds[indptr[v]:indptr[v] + npred[v]]`` (at most its ties); returns how many nodes were
    reached. Expects ``dist`` = inf and ``pos`` = -1 everywhere."""
    dist[source] = 0.0
    sigma[source] = 1.0
    npred[source] = 0
    keys[0], nodes[0], pos[source] = 0.0, source, 0
    size = 1
    reached = 0
    while size > 0:
        w, size = _pop(keys, nodes, pos, size)
        order[reached] = w
        reached += 1
        here = dist[w]
        for a in range(indptr[w], indptr[w + 1]):
            size = _relax(w, indices[a], here + lengths[a], tolerance, indptr, dist, sigma,
                          preds, npred, keys, nodes, pos, size)
    return reached


@njit(cache=True, inline="always")
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


@njit(cache=True, inline="always")
def _reset(order, reached, dist, delta):
    for i in range(reached):
        w = order[i]
        dist[w] = np.inf
        delta[w] = 0.0


@njit(cache=True, parallel=True)
def dependency_sums(indptr, indices, lengths, sources, tolerance, linear, chunks):
    """Every node's summed dependency over ``sources`` (each ordered pair once)."""
    n = len(indptr) - 1
    partial = np.zeros((chunks, n))
    for c in prange(chunks):
        dist = np.full(n, np.inf)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        order = np.empty(n, dtype=indices.dtype)
        npred = np.zeros(n, dtype=np.int64)
        preds = np.empty(len(indices), dtype=indices.dtype)
        keys = np.empty(n)
        nodes = np.empty(n, dtype=indices.dtype)
        pos = np.full(n, -1, dtype=np.int64)
        for i in range(c, len(sources), chunks):
            reached = shortest_paths(indptr, indices, lengths, sources[i], tolerance, dist,
                                     sigma, order, preds, npred, keys, nodes, pos)
            accumulate(indptr, order, reached, dist, sigma, preds, npred, delta, linear,
                       partial[c])
            _reset(order, reached, dist, delta)
    total = np.zeros(n)
    for c in range(chunks):
        total += partial[c]
    return total
