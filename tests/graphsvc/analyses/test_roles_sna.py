"""Gould-Fernandez brokerage roles (observed, expected, z) against R's ``sna::brokerage``.

sna reads a graph as directed: a role is a two-path i -> v -> j with no arc i -> j. graphsvc's
networks are undirected (ties of co-attendance), so each one is given to sna as its symmetric
adjacency matrix, that is as a digraph with both arcs of every tie; sna's density is then
``arcs / (N (N - 1))``, which is graphsvc's. The same network handed to sna as an undirected
``network`` object gives the same answer, which the test checks too, so the comparison does not
depend on how sna was told. graphsvc has no directed networks, so there is nothing directed to
compare. Role names map as sna's columns do: w_I coordinator, w_O itinerant, b_IO
representative, b_OI gatekeeper, b_O liaison.

Observed counts and expectations must be equal to the last bit; z to floating-point rounding
(the variances use the same formulas, multiplied in a different order: they differ in the
last digit). A z that R gives as NaN or infinite (a role no one
in the group can hold: its standard deviation is 0) is shown by graphsvc as None.
"""

from __future__ import annotations

import math
import random
import subprocess

import networkx as nx
import pytest

from graphsvc.analyses import Network, brokers
from graphsvc.analyses.kernels import ROLES
from tests.graphsvc.analyses.r_reference import r_package_or_skip

R_SCRIPT = r"""
suppressPackageStartupMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2])
ties <- read.table(args[1], header = TRUE)
groups <- readLines(args[3])
m <- matrix(0, n, n)
for (k in seq_len(nrow(ties))) {
  m[ties$from[k] + 1, ties$to[k] + 1] <- ties$weight[k]
  m[ties$to[k] + 1, ties$from[k] + 1] <- ties$weight[k]
}
as_digraph <- brokerage(m, groups)
as_undirected <- brokerage(network(m > 0, directed = FALSE), groups)
stopifnot(isTRUE(all.equal(unname(as_digraph$z.nli), unname(as_undirected$z.nli))))
stopifnot(all(as_digraph$raw.nli == as_undirected$raw.nli))
out <- cbind(as_digraph$raw.nli[, 1:5], as_digraph$exp.nli[, 1:5], as_digraph$z.nli[, 1:5])
write.table(format(out, digits = 17), sep = " ", quote = FALSE, row.names = FALSE,
            col.names = FALSE)
"""


def random_network(seed: int) -> tuple[nx.Graph, list[str]]:
    """A small random network with tie weights 1-3, an isolate or two, and groups of unequal
    sizes (one of a single member, so some roles have no variance)."""
    rng = random.Random(seed)
    n = rng.randint(8, 22)
    graph = nx.gnm_random_graph(n, rng.randint(n, 3 * n), seed=seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1, 2, 3])
    groups = [rng.choice("aaabbcd") for _ in range(n)]
    groups[-1] = "z"  # a group of one
    for node in graph:
        graph.nodes[node]["sector"] = groups[node]
    return graph, groups


def sna_brokerage(graph: nx.Graph, groups: list[str], folder) -> list[list[float]]:
    (folder / "ties.txt").write_text("from to weight\n" + "".join(
        f"{u} {v} {d['weight']}\n" for u, v, d in graph.edges(data=True)))
    (folder / "groups.txt").write_text("\n".join(groups) + "\n")
    (folder / "brokerage.R").write_text(R_SCRIPT)
    out = subprocess.run(["Rscript", str(folder / "brokerage.R"), str(folder / "ties.txt"),
                          str(graph.number_of_nodes()), str(folder / "groups.txt")],
                         capture_output=True, text=True, check=True).stdout
    return [[float(x) for x in line.split()] for line in out.strip().splitlines()]


def same(ours, theirs: float) -> bool:
    if ours is None:
        return math.isnan(theirs) or math.isinf(theirs)
    return ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_roles_equal_r_sna_brokerage(tmp_path, seed):
    r_package_or_skip("sna")
    graph, groups = random_network(seed)
    rows = sna_brokerage(graph, groups, tmp_path)
    result = brokers(Network.from_networkx(graph), "sector")
    by_id = {node["id"]: node for node in result["nodes"]}
    assert len(rows) == len(by_id) == graph.number_of_nodes()
    undefined = 0
    for v, row in enumerate(rows):
        roles = by_id[str(v)]["roles"]
        for r, role in enumerate(ROLES):
            ours = roles[role]
            assert ours["observed"] == row[r], (v, role)
            assert ours["expected"] == row[5 + r], (v, role)
            assert same(ours["z"], row[10 + r]), (v, role, ours["z"], row[10 + r])
            undefined += ours["z"] is None
    assert undefined  # the group of one: some z are undefined, and both say so
    # every role is held somewhere, so each column is compared on something
    assert all(sum(row[r] for row in rows) > 0 for r in range(5))
