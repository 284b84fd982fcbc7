"""Compiled Leiden (numba): communities that optimise modularity, each one connected.

The algorithm is Traag, Waltman and van Eck's (2019), as their paper's appendix writes it
and as igraph runs it. Modularity with resolution ``gamma`` is written in the form both use:
moving node ``v`` into community ``C`` gains ``w(v, C) - scale * k_v * K_C``, where ``w(v, C)``
is the weight of ``v``'s ties into ``C``, ``k_v`` the weight of all its ties, ``K_C`` the sum
of ``k`` over ``C`` (without ``v``) and ``scale = gamma / 2m``. Each level of one iteration:

1. *Fast local moving*: nodes are taken from a queue (all of them at first, in random order);
   each goes to the community of greatest gain (an empty one gains 0; staying wins a tie, and
   gains that differ only by rounding are tied, which igraph does not do: without it,
   iterating until nothing moves need not end when weights are fractions),
   and a node that moves puts those of its neighbours that are not in its new community back
   in the queue, until the queue is empty.
2. *Refinement*: within each community, starting from single nodes, a node that is still on
   its own and well connected to its community joins a well-connected part of the same
   community, chosen at random with probability proportional to ``exp(gain / beta)`` among
   the parts it would not lose by joining (its own included). Each part stays connected.
3. *Aggregation*: the parts become the nodes of the next level (ties between two parts
   summed), each starting in its community; when refinement merged nothing, the communities
   themselves become the nodes, as igraph does.

The levels stop when every node of a level is a community of its own. An iteration starts
from the communities the one before found; ``iterations < 0`` repeats them until one moves
nothing. numba's generator, seeded with ``seed``, draws every random choice, so a seed gives
the same communities on every run.
"""

from __future__ import annotations

import numpy as np
from numba import njit

REFINEMENT_RANDOMNESS = 0.01  # beta: the paper's theta, igraph's default
TIE = 1e-12  # gains this close, relative to the terms they are made of, are equal


@njit(cache=True)
def _compact(labels):
    """Labels renumbered 0, 1, ... in order of first appearance; and how many there are."""
    fresh = np.full(labels.size, -1, np.int64)
    out = np.empty(labels.size, np.int64)
    count = 0
    for v in range(labels.size):
        label = labels[v]
        if fresh[label] < 0:
            fresh[label] = count
            count += 1
        out[v] = fresh[label]
    return out, count


@njit(cache=True)
def _totals(membership, weight):
    """Each community's summed node weight and its number of nodes."""
    n = membership.size
    total, size = np.zeros(n), np.zeros(n, np.int64)
    for v in range(membership.size):
        total[membership[v]] += weight[v]
        size[membership[v]] += 1
    return total, size


@njit(cache=True)
def _gather(v, indptr, indices, data, label, into, touched, membership, community):
    """The weight of ``v``'s ties into each label (``into``, by label, for the ``touched``
    labels), counting only ties to members of ``community`` when it is not -1; returns how
    many labels were touched. Expects ``into`` zero everywhere."""
    count = 0
    for e in range(indptr[v], indptr[v + 1]):
        u = indices[e]
        if u == v or (community >= 0 and membership[u] != community):
            continue
        c = label[u]
        if into[c] == 0.0:
            touched[count] = c
            count += 1
        into[c] += data[e]
    return count


@njit(cache=True)
def _best(v, old, weight, scale, into, touched, count, total):
    """The community of greatest gain for ``v`` (out of ``old``), the gain, and the size of
    the terms it was worked out from. A gain beats another only by more than ``TIE`` of their
    terms: what is left is rounding (a total with ``v`` taken out of it is not always the same
    float as one that never held it), and moving on it could go on for ever."""
    cost = scale * weight[v] * total[old]
    best, gain, terms = old, into[old] - cost, into[old] + cost
    for t in range(count):
        c = touched[t]
        cost = scale * weight[v] * total[c]
        here = into[c] - cost
        if here - gain > TIE * (terms + into[c] + cost):
            best, gain, terms = c, here, into[c] + cost
    return best, gain, terms


@njit(cache=True)
def _unused(size):
    """The labels of the communities without nodes, as a stack (the lowest on top), with
    room for every label; and how many there are."""
    empty, count = np.empty(size.size, np.int64), 0
    for c in range(size.size - 1, -1, -1):
        if size[c] == 0:
            empty[count] = c
            count += 1
    return empty, count


@njit(cache=True)
def _move_nodes(indptr, indices, data, weight, membership, scale):
    """Fast local moving, in place; returns whether any node moved."""
    n = membership.size
    total, size = _totals(membership, weight)
    empty, empties = _unused(size)
    queue = np.random.permutation(n)
    queued = np.ones(n, np.bool_)
    into, touched = np.zeros(n), np.empty(n, np.int64)
    head, waiting, moved = 0, n, False
    while waiting > 0:
        v = queue[head]
        head, waiting = (head + 1) % n, waiting - 1
        queued[v] = False
        old = membership[v]
        count = _gather(v, indptr, indices, data, membership, into, touched, membership, -1)
        total[old] -= weight[v]
        size[old] -= 1
        best, gain, terms = _best(v, old, weight, scale, into, touched, count, total)
        if gain < -TIE * terms and size[old] > 0:  # alone in a community of its own gains 0
            empties -= 1
            best = empty[empties]
        for t in range(count):
            into[touched[t]] = 0.0
        membership[v] = best
        total[best] += weight[v]
        size[best] += 1
        if best == old:
            continue
        moved = True
        if size[old] == 0:
            empty[empties] = old
            empties += 1
        for e in range(indptr[v], indptr[v + 1]):
            u = indices[e]
            if not queued[u] and membership[u] != best:
                queued[u] = True
                queue[(head + waiting) % n] = u
                waiting += 1
    return moved


@njit(cache=True)
def _choose(v, weight, scale, beta, into, touched, count, part, part_total, outside,
            community_total, chance):
    """The part ``v`` joins: a well-connected part it gains by joining (at least nothing),
    drawn with probability proportional to ``exp(gain / beta)``; ``v``'s own when none."""
    top = 0.0
    for t in range(count):
        c = touched[t]
        gain = into[c] - scale * weight[v] * part_total[c]
        fits = outside[c] >= scale * part_total[c] * (community_total - part_total[c])
        chance[t] = gain if fits and gain >= 0.0 else -np.inf
        top = max(top, chance[t])
    mass = np.exp(-top / beta)  # staying alone gains 0
    for t in range(count):
        chance[t] = np.exp((chance[t] - top) / beta) if chance[t] > -np.inf else 0.0
        mass += chance[t]
    draw = np.random.random() * mass
    for t in range(count):
        draw -= chance[t]
        if draw < 0.0:
            return touched[t]
    return part[v]


@njit(cache=True)
def _refine(indptr, indices, data, weight, membership, scale, beta):
    """Refinement: the parts of each community (labels, not yet compact)."""
    n = membership.size
    community_total, _ = _totals(membership, weight)
    part = np.arange(n)
    part_total, part_size = weight.copy(), np.ones(n, np.int64)
    outside = np.zeros(n)  # a part's ties to the rest of its community
    for v in range(n):
        for e in range(indptr[v], indptr[v + 1]):
            if indices[e] != v and membership[indices[e]] == membership[v]:
                outside[v] += data[e]
    into, touched, chance = np.zeros(n), np.empty(n, np.int64), np.empty(n)
    for v in np.random.permutation(n):
        own, c = part[v], membership[v]
        alone = outside[own]  # v's ties to the rest of its community
        if part_size[own] != 1 or alone < scale * weight[v] * (community_total[c] - weight[v]):
            continue
        count = _gather(v, indptr, indices, data, part, into, touched, membership, c)
        chosen = _choose(v, weight, scale, beta, into, touched, count, part, part_total,
                         outside, community_total[c], chance)
        if chosen != own:
            outside[chosen] += alone - 2.0 * into[chosen]
            part_total[chosen] += weight[v]
            part_size[chosen] += 1
            part_size[own] = 0
            part[v] = chosen
        for t in range(count):
            into[touched[t]] = 0.0
    return part


@njit(cache=True)
def _aggregate(indptr, indices, data, weight, label, count):
    """The network of ``count`` labelled groups: ties between two groups summed, ties within
    one left out; each group's weight the sum of its nodes'."""
    n = label.size
    start = np.zeros(count + 1, np.int64)
    for v in range(n):
        start[label[v] + 1] += 1
    start = np.cumsum(start)
    members, fill = np.empty(n, np.int64), start[:-1].copy()
    for v in range(n):
        members[fill[label[v]]] = v
        fill[label[v]] += 1
    out_ptr = np.zeros(count + 1, np.int64)
    out_idx, out_w = np.empty(indices.size, np.int64), np.empty(indices.size)
    into, touched = np.zeros(count), np.empty(count, np.int64)
    grouped, at = np.zeros(count), 0
    for g in range(count):
        seen = 0
        for m in range(start[g], start[g + 1]):
            v = members[m]
            grouped[g] += weight[v]
            for e in range(indptr[v], indptr[v + 1]):
                h = label[indices[e]]
                if h == g:
                    continue
                if into[h] == 0.0:
                    touched[seen] = h
                    seen += 1
                into[h] += data[e]
        for t in range(seen):
            out_idx[at], out_w[at] = touched[t], into[touched[t]]
            into[touched[t]] = 0.0
            at += 1
        out_ptr[g + 1] = at
    return out_ptr, out_idx[:at], out_w[:at], grouped


@njit(cache=True)
def _iteration(indptr, indices, data, weight, membership, scale, beta):
    """One iteration of Leiden from ``membership`` (in place); whether any node moved."""
    node = np.arange(membership.size)  # each original node's node at this level
    level = membership.copy()
    changed = False
    while True:
        changed |= _move_nodes(indptr, indices, data, weight, level, scale)
        level, communities = _compact(level)
        if communities == level.size:
            break
        part, parts = _compact(_refine(indptr, indices, data, weight, level, scale, beta))
        if parts == level.size:  # refinement merged nothing: aggregate the communities
            part, parts = level, communities
        start = np.empty(parts, np.int64)  # each part's community, its start at the next level
        start[part] = level
        indptr, indices, data, weight = _aggregate(indptr, indices, data, weight, part, parts)
        node = part[node]
        level = start
    membership[:] = level[node]
    return changed


@njit(cache=True)
def leiden(indptr, indices, data, resolution, iterations, beta, seed):
    """Communities of the weighted undirected network in CSR form (each tie both ways, every
    weight above 0, no ties of a node to itself) that optimise modularity at ``resolution``;
    a label per node, 0, 1, ... in order of each community's first node."""
    np.random.seed(seed)
    n = indptr.size - 1
    ptr, ends, ties = indptr.astype(np.int64), indices.astype(np.int64), data.astype(np.float64)
    weight = np.zeros(n)
    for v in range(n):
        for e in range(ptr[v], ptr[v + 1]):
            weight[v] += ties[e]
    membership = np.arange(n)
    whole = weight.sum()
    if whole == 0.0:
        return membership
    scale = resolution / whole
    done = 0
    while iterations < 0 or done < iterations:
        done += 1
        if not _iteration(ptr, ends, ties, weight, membership, scale, beta):
            break
    return _compact(membership)[0]
