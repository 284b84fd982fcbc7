"""Compiled inner loops (numba) for the measures built on two-paths.

Burt's constraint and effective size, and the Gould-Fernandez role counts, all need, for every
node ``i`` and every pair of its contacts ``q`` and ``j`` that are tied to each other, a small
sum. One pass over each node's neighbourhood gives all three. The loop runs in parallel over
``i``, and every write goes to ``i``'s own slots, so there are no races.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

# Gould-Fernandez roles, in this order everywhere.
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


@njit(cache=True, inline="always")
def _ego_sums(i, lo, hi, indptr, indices, p, m, groups, position, mark, sums, closed, common):
    """Node i's closed two-paths q - i - j: the sums into its arcs, and its roles."""
    gi = groups[i]
    for a in range(lo, hi):
        q = indices[a]
        p_iq = p[a]
        gq = groups[q]
        # q's contacts that are i's too, gathered without a branch per contact (a branch
        # taken about as often as not is mispredicted as often): the sums below see them in
        # the same order, so they add up to the same numbers
        total = 0
        for b in range(indptr[q], indptr[q + 1]):
            common[total] = b
            total += mark[indices[b]]
        same_i = same_q = 0
        for k in range(total):
            b = common[k]
            j = indices[b]
            at = position[j]
            sums[at, 0] += p_iq * p[b]
            sums[at, 1] += p_iq * m[b]
            gj = groups[j]
            same_i += gj == gi
            same_q += gj == gq
        if gq == gi:
            closed[i, 0] += same_i  # coordinator
            closed[i, 2] += total - same_i  # representative
        else:
            closed[i, 3] += same_i  # gatekeeper
            closed[i, 1] += same_q  # itinerant
            closed[i, 4] += total - same_i - same_q  # liaison


@njit(cache=True, parallel=True)
def two_path_sums(indptr, indices, weights, groups, n_groups):
    """Per arc (i, j): indirect = sum_q p_iq p_qj and redundancy = sum_q p_iq m_jq over
    common contacts q; per node: closed two-paths by role.

    p_iq = w_iq / sum_k w_ik (proportional tie strength); m_jq = w_jq / max_k w_jk.
    """
    n = len(indptr) - 1
    strength = np.zeros(n)
    largest = np.zeros(n)
    for i in range(n):
        for a in range(indptr[i], indptr[i + 1]):
            strength[i] += weights[a]
            if weights[a] > largest[i]:
                largest[i] = weights[a]
    # per arc (q -> j): p_qj, and m_jq (the same tie, normalised by j's strongest tie)
    owner = np.empty(len(indices), dtype=np.int64)
    for i in range(n):
        for a in range(indptr[i], indptr[i + 1]):
            owner[a] = i
    p = np.empty(len(indices))
    m = np.empty(len(indices))
    for a in range(len(indices)):
        p[a] = weights[a] / strength[owner[a]]
        m[a] = weights[a] / largest[indices[a]]
    # indirect and redundancy of an arc side by side: one cache line per common contact
    sums = np.zeros((len(indices), 2))
    closed = np.zeros((n, 5), dtype=np.int64)
    widest = 0
    for i in range(n):
        widest = max(widest, indptr[i + 1] - indptr[i])
    chunks = 64
    for chunk in prange(chunks):
        position = np.full(n, -1, dtype=np.int64)
        mark = np.zeros(n, dtype=np.uint8)  # i's contacts: a byte each, to stay in cache
        common = np.empty(widest + 1, dtype=np.int64)
        for i in range(chunk, n, chunks):
            lo, hi = indptr[i], indptr[i + 1]
            for a in range(lo, hi):
                position[indices[a]] = a
                mark[indices[a]] = 1
            _ego_sums(i, lo, hi, indptr, indices, p, m, groups, position, mark, sums, closed,
                      common)
            for a in range(lo, hi):
                position[indices[a]] = -1
                mark[indices[a]] = 0
    indirect = sums[:, 0].copy()
    redundancy = sums[:, 1].copy()
    return indirect, redundancy, closed, strength


@njit(cache=True)
def all_two_paths_by_role(indptr, indices, groups, n_groups):
    """Per node: ordered pairs of distinct contacts (a, c), by role, open or closed."""
    n = len(indptr) - 1
    out = np.zeros((n, 5), dtype=np.int64)
    counts = np.zeros(n_groups, dtype=np.int64)
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        degree = hi - lo
        for a in range(lo, hi):
            counts[groups[indices[a]]] += 1
        gi = groups[i]
        same = counts[gi]
        others = degree - same
        out[i, 0] = same * (same - 1)
        out[i, 2] = same * others
        out[i, 3] = others * same
        # pairs among contacts outside i's group: same outside group -> itinerant, else liaison
        same_outside = 0
        for a in range(lo, hi):
            g = groups[indices[a]]
            if g != gi and counts[g] > 0:
                same_outside += counts[g] * (counts[g] - 1)
                counts[g] = -counts[g]  # count each group once
        out[i, 1] = same_outside
        out[i, 4] = others * (others - 1) - same_outside
        for a in range(lo, hi):
            counts[groups[indices[a]]] = 0
    return out
