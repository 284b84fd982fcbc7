"""Speed check of weighted betweenness (distance = 1 / weight) against networkit and igraph.

    python bench/bench_betweenness.py [--nodes 14000] [--ties 1400000] [--pivots 256]
                                      [--exact-nodes 5000] [--exact-ties 50000]

A random network of organisation-network size (Greater Manchester scale: 14,000 nodes,
1.4 M ties, integer tie weights 1-10, fixed seed), then, in the same process:

- graphsvc's estimate from 256 pivots (numba, both cores);
- networkit's EstimateBetweenness with 256 pivots (both cores; it compares float path lengths
  exactly, so it drops tied paths and is not computing the same numbers; it also draws
  nSamples + 1 pivots, with replacement);
- igraph's betweenness from the same 256 sources (``Graph.betweenness(sources=...)``, one
  core; the same tie rule as graphsvc, so its sums are checked against ours);

and exact betweenness on a 5,000-node network against igraph's exact betweenness. The target
is to be within 2x of the fastest. The numba compile (cached on disk after the first run) is
timed apart.
"""

from __future__ import annotations

import argparse

import igraph as ig
import networkit as nk
import numba
import numpy as np
import scipy.sparse as sp

from _timing import timed
from graphsvc.analyses import Network, betweenness
from graphsvc.analyses.betweenness import TOLERANCE, exact
from graphsvc.analyses.kernels_paths import dependency_sums


def random_network(n: int, ties: int, seed: int) -> Network:
    """About ``ties`` distinct random ties among ``n`` nodes, weights 1-10."""
    rng = np.random.default_rng(seed)
    u = rng.integers(0, n, int(ties * 1.02))
    v = rng.integers(0, n, len(u))
    keep = u != v
    pairs = np.unique(np.minimum(u, v)[keep] * n + np.maximum(u, v)[keep])[:ties]
    rng.shuffle(pairs)
    low, high = pairs // n, pairs % n
    weight = rng.integers(1, 11, len(pairs)).astype(np.float64)
    adjacency = sp.csr_matrix((np.r_[weight, weight], (np.r_[low, high], np.r_[high, low])),
                              shape=(n, n))
    adjacency.sort_indices()
    return Network([str(i) for i in range(n)], adjacency)


def upper_ties(network: Network):
    upper = sp.triu(network.adjacency, k=1).tocoo()
    return upper.row, upper.col, upper.data


def igraph_graph(network: Network):
    row, col, weight = upper_ties(network)
    graph = ig.Graph(n=network.n, edges=np.column_stack([row, col]).tolist())
    return graph, (1.0 / weight).tolist()


def networkit_graph(network: Network):
    row, col, weight = upper_ties(network)
    graph = nk.Graph(network.n, weighted=True, directed=False)
    graph.addEdges((1.0 / weight, (row.astype(np.uint64), col.astype(np.uint64))))
    return graph


def line(label: str, seconds: float, fastest: float) -> None:
    print(f"  {label:<52}{seconds:8.2f} s  {seconds / fastest:5.2f}x the fastest")


def sampled(network: Network, pivots: int) -> None:
    print(f"{network.n:,} nodes, {network.edges:,} ties, {pivots} pivots "
          f"({numba.get_num_threads()} numba threads, {nk.getMaxNumberOfThreads()} networkit)")
    (_, how), t_ours = timed(lambda: betweenness(network, k=pivots, seed=0, exact_limit=0))
    sources = np.random.default_rng(0).choice(network.n, size=pivots, replace=False)

    graph = networkit_graph(network)
    nk.engineering.setSeed(0, False)
    algorithm = nk.centrality.EstimateBetweenness(graph, pivots, normalized=True, parallel=True)
    _, t_nk = timed(algorithm.run)

    igraph, weights = igraph_graph(network)
    theirs, t_ig = timed(lambda: np.asarray(igraph.betweenness(
        weights=weights, sources=sources.tolist(), directed=False)))

    fastest = min(t_ours, t_nk, t_ig)
    line(f"graphsvc, {how['k']} pivots (linearly scaled estimate)", t_ours, fastest)
    line(f"networkit EstimateBetweenness, {pivots} pivots", t_nk, fastest)
    line(f"igraph, the same {pivots} sources", t_ig, fastest)
    print(f"  ratios: networkit / graphsvc {t_nk / t_ours:.2f}, igraph / graphsvc "
          f"{t_ig / t_ours:.2f}")
    adjacency = network.adjacency
    sums = dependency_sums(adjacency.indptr.astype(np.int64), adjacency.indices.astype(np.int32),
                           1.0 / adjacency.data, sources, TOLERANCE, False,
                           min(64, len(sources)))
    # igraph's subset betweenness is half the summed dependencies of the sources
    gap = np.max(np.abs(sums / 2 - theirs) / np.maximum(np.abs(theirs), 1e-300))
    print(f"  graphsvc's sums from those sources against igraph's: largest relative gap "
          f"{gap:.1e} (networkit draws its own pivots, so its values are not compared)")


def exact_against_igraph(network: Network) -> None:
    print(f"exact, {network.n:,} nodes, {network.edges:,} ties")
    ours, t_ours = timed(lambda: exact(network))
    igraph, weights = igraph_graph(network)
    theirs, t_ig = timed(lambda: np.asarray(igraph.betweenness(weights=weights, directed=False)))
    n = network.n
    theirs = theirs * 2 / ((n - 1) * (n - 2))
    fastest = min(t_ours, t_ig)
    line("graphsvc exact", t_ours, fastest)
    line("igraph exact", t_ig, fastest)
    gap = np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300))
    print(f"  ratio igraph / graphsvc {t_ig / t_ours:.2f}; largest relative gap {gap:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=14_000)
    parser.add_argument("--ties", type=int, default=1_400_000)
    parser.add_argument("--pivots", type=int, default=256)
    parser.add_argument("--exact-nodes", type=int, default=5_000)
    parser.add_argument("--exact-ties", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _, compile_seconds = timed(lambda: exact(random_network(10, 20, 0)))
    print(f"numba kernel compiled or loaded from its cache in {compile_seconds:.2f} s")
    network, t = timed(lambda: random_network(args.nodes, args.ties, args.seed))
    print(f"random network built in {t:.1f} s")
    sampled(network, args.pivots)
    exact_against_igraph(random_network(args.exact_nodes, args.exact_ties, args.seed))


if __name__ == "__main__":
    main()
